// Main process (Node only): the vault's public vocabulary — format version, KDF limits, id/kind patterns, size
// limits and the shapes of records and attachments. Split out of vault.ts so every vault part can use them
// without importing the facade; vault.ts re-exports all of it.

import type { KdfParams } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { CommittedArea } from '../platform/db/committedRows'
import type { Role } from '../../../shared/members/roles'

/** A sealed sensitive part as stored in a record's body envelope (vault/sensitiveParts.ts; bytes base64). */
export interface SealedPart {
  v: 1
  /** The area key that wraps the part key: "sensitive:<epoch>". */
  by: string
  kn: string
  k: string
  n: string
  c: string
}

/** What a reader gets: the part opened, or hidden (their keys do not open it), with its sealed form to carry over. */
export type RecordPartView = { state: 'open'; value: unknown; sealed: SealedPart } | { state: 'hidden'; sealed: SealedPart }

/** What a writer gives: a value to seal under the newest epoch, or a sealed part carried over as it is. */
export type RecordPartInput = { value: unknown } | { sealed: SealedPart }

/** How an area splits a stored body of its kind into open body and sensitive part; null for a body it cannot read. */
export interface PartSplitter {
  readonly kind: string
  split(body: unknown): { body: unknown; part: unknown } | null
}

/** Who the unlocked vault is working for: recorded as the author of revisions and audit entries (vault/members.ts). */
export interface CurrentMember {
  readonly id: string
  readonly name: string
  readonly role: Role
}

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
  /**
   * When the unlock finds the vault changed outside Custodia (vault/integrity.ts): 'refuse' (default) fails with
   * TAMPERED naming what changed; 'review' opens it for reading with `vault.integrity` set, refusing every write
   * until the user accepts what is there (Vault.acceptIntegrityReport).
   */
  onTampered?: 'refuse' | 'review'
  /** The user confirmed a keyslot that asks for more key-derivation work than the vault was created with. */
  allowStrongerKdf?: boolean
  /**
   * The member who unlocks (their name as the admin entered it; case and spacing do not matter): only their keyslot is
   * tried. Without it every passphrase keyslot is tried, as in a vault of one person.
   */
  member?: string
  /** Name of the admin member made when a vault is created, or when a vault from before members is first unlocked. */
  adminName?: string
  /** The clock (ms since 1970), for invitation expiry; default Date.now. Tests inject one. */
  now?: () => number
  /**
   * Progress of the one-time re-encryption of a vault from before item keys under per-item keys (done/total items),
   * at the unlock that migrates it; not called for a vault that needs none.
   */
  onItemKeyMigration?: (progress: { done: number; total: number }) => void
  /**
   * Kinds of record with sensitive sections to seal apart (vault/partMigration.ts), handed in by the area that owns
   * them (the dossiers): their older revisions are moved at the first unlock by a holder of the sensitive key.
   */
  partSplitters?: readonly PartSplitter[]
  /** Bench only (`npm run bench -- integrity`): unlock without the state check, to measure what the check adds. */
  __benchSkipStateCheck?: boolean
  /**
   * Bench only: told when the passphrase unlock has scanned the committed rows ('scanned', on the main thread while
   * Argon2id runs on the libuv pool) and when the first key derivation has finished ('keyDerived'), so the bench can
   * split the unlock into what overlaps with the derivation and the critical path after it.
   */
  __benchPhase?: (phase: 'scanned' | 'keyDerived') => void
  /**
   * Tests and bench: told how this unlock checked the vault's state — 'seal' (the database file is the one a clean lock
   * sealed: fileSeal.ts) or 'scan' (every committed row, stateCommitment.ts).
   */
  __statePath?: (path: 'seal' | 'scan') => void
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
  /** The member id of the author (revisions written since members exist). */
  authorId?: string
  /** The record's sensitive part (vault/sensitiveParts.ts): open, or hidden when the reader's keys do not open it. */
  part?: RecordPartView
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
/**
 * An attachment encrypted into the blob store by vault.stageAttachment but not yet linked to a record: no row, no
 * audit entry, invisible to every list. vault.linkStagedAttachment links it (inside vault.transaction() too); one
 * never linked is an orphan blob, removed by vault.discardStagedAttachment or at the next unlock.
 */
export interface StagedAttachment {
  /** The attachment id it will have once linked (chosen before encryption: the blob's AD binds it). */
  readonly id: string
  readonly filename: string
  readonly mediaType: string
  /** Plaintext size in bytes. */
  readonly size: number
  /** SHA-256 (64 lower-case hex) of the plaintext, computed while encrypting. */
  readonly sha256: string
}
export interface RecordContent {
  summary: Record<string, unknown>
  body: unknown
  /** A part sealed apart under the sensitive area key (vault/sensitiveParts.ts): a value, or a stored part kept as it is. */
  part?: RecordPartInput
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

/** One finding of the whole-vault integrity check (vault/integrity.ts). */
export interface IntegrityProblem {
  readonly area: CommittedArea
  /** One sentence in the user's terms. */
  readonly message: string
  /** Record or attachment ids concerned (may be empty). */
  readonly ids: readonly string[]
}

export interface IntegrityReport {
  readonly intact: boolean
  readonly problems: readonly IntegrityProblem[]
}

export const INTACT: IntegrityReport = Object.freeze({ intact: true, problems: [] })

/** The report as one message for an error or a terminal: every problem, ids shortened, and the way out. */
export function formatIntegrityReport(report: IntegrityReport, wayOut: string): string {
  const lines = report.problems.map((problem) => {
    const ids = problem.ids.length === 0 ? '' : ` (${problem.ids.slice(0, 5).join(', ')}${problem.ids.length > 5 ? ', …' : ''})`
    return `- ${problem.message}${ids}`
  })
  return ['This vault was changed outside Custodia since it was last used:', ...lines, wayOut].join('\n')
}
