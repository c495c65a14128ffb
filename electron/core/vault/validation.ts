// Main process (Node only): the checks every vault call makes on its arguments before touching keys or files
// (ids, kinds, content size, authors, revisions, attachment names, setting names, KDF limits), all → VALIDATION.

import { CustodiaError } from '../../../shared/errors'
import type { KdfParams } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'
import {
  ID_PATTERN,
  MAX_BODY_BYTES,
  MAX_KDF,
  MAX_SUMMARY_BYTES,
  MIN_KDF,
  RECORD_KIND_PATTERN,
  type AttachmentMeta,
  type RecordContent,
} from './types'

export function createRandomId(sodium: SodiumBackend): string {
  return sodium.randomBytes(16).toString('hex')
}

export function validateId(id: unknown, what: string): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id))
    throw new CustodiaError('VALIDATION', `The ${what} id must be 32 lower-case hex characters`)
}

export function validateKind(kind: unknown): asserts kind is string {
  if (typeof kind !== 'string' || !RECORD_KIND_PATTERN.test(kind)) {
    throw new CustodiaError('VALIDATION', 'The record kind must be 2-32 lower-case letters, digits or hyphens, starting with a letter')
  }
}

export function validateContent(content: unknown): asserts content is RecordContent {
  if (typeof content !== 'object' || content === null) throw new CustodiaError('VALIDATION', 'The record content must be an object')
  const { summary, body } = content as Partial<RecordContent>
  if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) {
    throw new CustodiaError('VALIDATION', 'The record summary must be a plain object')
  }
  let summaryJson: string | undefined
  let bodyJson: string | undefined
  try {
    summaryJson = JSON.stringify(summary)
    bodyJson = JSON.stringify(body)
  } catch (err) {
    // JSON.stringify recurses: a tree nested thousands of levels deep (e.g. a rich-text document) overflows the stack.
    if (err instanceof RangeError && /call stack/i.test(err.message))
      throw new CustodiaError('VALIDATION', 'The record content is nested too deeply to store')
    throw new CustodiaError('VALIDATION', 'The record content cannot be represented as JSON')
  }
  if (bodyJson === undefined) throw new CustodiaError('VALIDATION', 'The record body is missing or not representable as JSON')
  if (Buffer.byteLength(summaryJson, 'utf8') > MAX_SUMMARY_BYTES)
    throw new CustodiaError('VALIDATION', 'The record summary is larger than 64 KiB')
  if (Buffer.byteLength(bodyJson, 'utf8') > MAX_BODY_BYTES) throw new CustodiaError('VALIDATION', 'The record body is larger than 64 MiB')
}

/**
 * The record content rules createRecord and updateRecord apply (a plain-object summary ≤ MAX_SUMMARY_BYTES, a body
 * ≤ MAX_BODY_BYTES, both representable as JSON — which also bounds how deeply they nest), for callers that must know
 * a whole batch passes before they write any of it (bundle import). Same checks, same VALIDATION messages: the rule
 * is validateContent's, written once.
 */
export function checkRecordContent(content: unknown): asserts content is RecordContent {
  validateContent(content)
}

export function validateAuthor(author: unknown): string {
  if (author === undefined) return ''
  if (typeof author !== 'string' || author.length > 200)
    throw new CustodiaError('VALIDATION', 'The author must be text of at most 200 characters')
  return author
}

export function validateRevision(revision: unknown): asserts revision is number {
  if (!Number.isSafeInteger(revision) || (revision as number) < 1)
    throw new CustodiaError('VALIDATION', 'The revision must be a positive integer')
}

export function validateAttachmentMeta(meta: unknown): asserts meta is AttachmentMeta {
  const m = meta as Partial<AttachmentMeta> | null
  if (typeof m?.filename !== 'string' || m.filename.length === 0 || m.filename.length > 255 || /[\u0000-\u001f/\\]/.test(m.filename)) {
    throw new CustodiaError('VALIDATION', 'The attachment filename must be 1-255 characters without slashes or control characters')
  }
  if (typeof m.mediaType !== 'string' || m.mediaType.length > 127 || !/^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/.test(m.mediaType)) {
    throw new CustodiaError('VALIDATION', 'The attachment media type must look like "type/subtype"')
  }
}

export function validateSettingName(name: unknown): void {
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(name))
    throw new CustodiaError('VALIDATION', 'The setting name is invalid')
}

export function validateKdfForCreate(kdf: unknown): KdfParams {
  const k = kdf as Partial<KdfParams> | null
  if (!Number.isSafeInteger(k?.opslimit) || !Number.isSafeInteger(k?.memlimit)) {
    throw new CustodiaError('VALIDATION', 'KDF parameters must be integers')
  }
  const { opslimit, memlimit } = k as KdfParams
  if (opslimit < MIN_KDF.opslimit || memlimit < MIN_KDF.memlimit) {
    throw new CustodiaError('VALIDATION', 'KDF parameters are too weak: at least 64 MiB and 3 passes are required')
  }
  if (opslimit > MAX_KDF.opslimit || memlimit > MAX_KDF.memlimit) {
    throw new CustodiaError('VALIDATION', 'KDF parameters are too large: at most 4 GiB and 20 passes')
  }
  return { opslimit, memlimit }
}
