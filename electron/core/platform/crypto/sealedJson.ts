// Main process (Node only): sealing and opening small JSON envelopes (record summaries and bodies, attachment
// metadata, audit events) with XChaCha20-Poly1305 under a random nonce, plus the keyed kind tag.

import { CustodiaError } from '../../../../shared/errors'
import { AEAD_NONCE_BYTES, type SodiumBackend } from './sodium'
import { buildAssociatedData } from './keys'

/** kind_tag length in bytes: keyed BLAKE2b truncated to 128 bits. */
export const KIND_TAG_BYTES = 16

/** A sealed envelope as stored: 24-byte random nonce + ciphertext (plaintext length + 16). */
export interface Sealed {
  nonce: Buffer
  ciphertext: Buffer
}

/**
 * JSON-encodes `value`, pads it with trailing spaces (JSON whitespace) to a multiple of `padTo` bytes so ciphertext
 * lengths reveal only a size bucket, and encrypts it under `key` with `ad`. The plaintext buffer is zeroed after use.
 */
export function sealJson(sodium: SodiumBackend, key: Uint8Array, ad: Uint8Array, value: unknown, padTo = 1): Sealed {
  const json = JSON.stringify(value)
  if (json === undefined) throw new CustodiaError('VALIDATION', 'The content cannot be represented as JSON')
  const length = Buffer.byteLength(json, 'utf8')
  const padded = Buffer.alloc(Math.max(padTo, Math.ceil(length / padTo) * padTo), 0x20)
  padded.write(json, 0, 'utf8')
  const nonce = sodium.randomBytes(AEAD_NONCE_BYTES)
  try {
    return { nonce, ciphertext: sodium.aeadEncrypt(padded, ad, nonce, key) }
  } finally {
    sodium.memzero(padded)
  }
}

/**
 * Decrypts and parses an envelope made by sealJson. Authentication failure (changed bytes, wrong row, wrong
 * revision, wrong key) → TAMPERED; authentic but unparseable JSON → CORRUPT. Never returns partial plaintext.
 */
export function openJson<T>(sodium: SodiumBackend, key: Uint8Array, ad: Uint8Array, sealed: Sealed): T {
  if (!Buffer.isBuffer(sealed.nonce) || sealed.nonce.length !== AEAD_NONCE_BYTES || !Buffer.isBuffer(sealed.ciphertext)) {
    throw new CustodiaError('TAMPERED', 'An encrypted value has a malformed nonce or ciphertext')
  }
  const plain = sodium.aeadDecrypt(sealed.ciphertext, ad, sealed.nonce, key)
  try {
    return JSON.parse(plain.toString('utf8')) as T
  } catch {
    throw new CustodiaError('CORRUPT', 'An encrypted value does not hold valid JSON')
  } finally {
    sodium.memzero(plain)
  }
}

/** kind_tag = BLAKE2b-128 keyed with the kind-tag subkey over the kind name. Equal kinds give equal tags. */
export function computeKindTag(sodium: SodiumBackend, kindTagKey: Uint8Array, kind: string): Buffer {
  return sodium.generichash(KIND_TAG_BYTES, Buffer.from(kind, 'utf8'), kindTagKey)
}

/** Which half of a record revision an envelope holds. */
export type RecordPart = 'summary' | 'body'

/**
 * AD of one record revision part: binds vault id, record id, kind tag (hex; the kind itself is inside the summary
 * and checked against the tag), revision number, part and format version. Moving a ciphertext to another row,
 * revision or part makes authentication fail.
 */
export function buildRecordAd(
  vaultId: string,
  recordId: string,
  kindTag: Uint8Array,
  revision: number,
  part: RecordPart,
  formatVersion: number,
): Buffer {
  return buildAssociatedData(`record.${part}`, vaultId, recordId, Buffer.from(kindTag).toString('hex'), revision, formatVersion)
}

/** AD of an attachment's metadata row: binds vault id, attachment id, record id and format version. */
export function buildAttachmentMetaAd(vaultId: string, attachmentId: string, recordId: string, formatVersion: number): Buffer {
  return buildAssociatedData('attachment.meta', vaultId, attachmentId, recordId, formatVersion)
}
