// Main process (Node only): the vault's public vocabulary — format version, KDF limits, id/kind patterns, size
// limits and the shapes of records and attachments. Split out of vault.ts so every vault part can use them
// without importing the facade; vault.ts re-exports all of it.

import type { KdfParams } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'

/** Envelope/AD format version written by this build; a vault with a higher one → UNSUPPORTED. */
export const FORMAT_VERSION = 1

const MiB = 1024 * 1024
/** Argon2id defaults for new passphrase keyslots: 256 MiB, 3 passes. */
export const DEFAULT_KDF: KdfParams = Object.freeze({ opslimit: 3, memlimit: 256 * MiB })
/** The weakest parameters accepted when creating a keyslot (VALIDATION below). */
export const MIN_KDF: KdfParams = Object.freeze({ opslimit: 3, memlimit: 64 * MiB })
/** The strongest parameters a stored keyslot may ask for; above → UNSUPPORTED before any derivation (anti-DoS). */
export const MAX_KDF: KdfParams = Object.freeze({ opslimit: 20, memlimit: 4096 * MiB })

/** Lower-case name of a record kind, /^[a-z][a-z0-9-]{1,31}$/ (e.g. 'note', 'letter', 'dossier'). */
export type RecordKind = string
export const RECORD_KIND_PATTERN = /^[a-z][a-z0-9-]{1,31}$/
/** Record, attachment, keyslot and vault ids: 32 lower-case hex characters (128 random bits). */
export const ID_PATTERN = /^[0-9a-f]{32}$/
/** readAttachment refuses attachments larger than this (use exportAttachment). */
export const MAX_READ_ATTACHMENT_BYTES = 64 * MiB
/** Serialised size limits (UTF-8 JSON bytes). */
export const MAX_SUMMARY_BYTES = 64 * 1024
export const MAX_BODY_BYTES = 64 * MiB

export interface VaultOptions {
  /** Crypto backend; default: loadSodium('native'). */
  sodium?: SodiumBackend
  /** KDF for the passphrase keyslot (createVault only); default DEFAULT_KDF. */
  kdf?: KdfParams
}

export interface RecordRef {
  id: string
  kind: RecordKind
  revision: number
  changeSeq: number
}
export interface StoredRecord<B = unknown, S = Record<string, unknown>> extends RecordRef {
  summary: S
  body: B
  /** ISO 8601 UTC: when revision 1 was saved. */
  createdAt: string
  /** ISO 8601 UTC: when this revision was saved. */
  savedAt: string
  author: string
}
export interface RevisionInfo {
  revision: number
  savedAt: string
  author: string
  summary: Record<string, unknown>
}
export interface AttachmentInfo {
  id: string
  recordId: string
  filename: string
  mediaType: string
  /** Plaintext size in bytes. */
  size: number
  addedAt: string
}
export interface RecordContent {
  summary: Record<string, unknown>
  body: unknown
}
export interface AttachmentMeta {
  filename: string
  mediaType: string
}
export interface VaultInspection {
  vaultId: string
  formatVersion: number
  schemaVersion: number
  keyslots: { id: string; kind: 'passphrase' | 'recovery'; kdf?: KdfParams }[]
}
