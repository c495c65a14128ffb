// Main process (Node only): the bundle manifest — strict zod schema, Ed25519 detached signature over its exact bytes,
// and the human-comparable fingerprint of public keys.
import crypto from 'node:crypto'
import { z } from 'zod'
import { CustodiaError } from '../../../../shared/errors'

export const BUNDLE_FORMAT = 'custodia-bundle'
export const BUNDLE_VERSION = 1
/** Ids used as file names inside a bundle: ASCII letters, digits, `_`, `-`; 1–64 chars; no leading `-`/`_`. */
export const BUNDLE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
export const FINGERPRINT_PATTERN = /^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$/
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
// DER prefixes that wrap a raw Ed25519 seed / public key as PKCS#8 / SPKI (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

const bundleId = z.string().regex(BUNDLE_ID_PATTERN)
const fingerprint = z.string().regex(FINGERPRINT_PATTERN)
const base64Key = z.string().regex(/^[A-Za-z0-9+/]{43}=$/)

export const ConsentSchema = z.enum(['internal', 'partners', 'public'])
export const FileRoleSchema = z.enum(['record', 'readable', 'attachment'])

export const ManifestFileSchema = z.strictObject({
  path: z.string().min(1).max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  role: FileRoleSchema,
  filename: z.string().min(1).max(255).optional(),
  mediaType: z.string().min(1).max(255).optional(),
})

export const ManifestItemSchema = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
  id: bundleId,
  revision: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  consent: ConsentSchema,
  title: z.string().max(1000).optional(),
  files: z.array(ManifestFileSchema).max(100_000),
})

export const ManifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  createdAt: z.iso.datetime(),
  sender: z.strictObject({
    name: z.string().min(1).max(200),
    signingKey: base64Key,
    fingerprint,
  }),
  recipients: z.array(z.strictObject({ fingerprint, label: z.string().min(1).max(200).optional() })).max(1000),
  items: z.array(ManifestItemSchema).max(100_000),
})

export type BundleManifest = z.infer<typeof ManifestSchema>
export type ManifestItem = z.infer<typeof ManifestItemSchema>
export type ManifestFile = z.infer<typeof ManifestFileSchema>

/**
 * Fingerprint of a public key for reading aloud: SHA-256 of the raw key bytes, first 160 bits, RFC 4648 base32,
 * 8 groups of 4 characters separated by spaces, e.g. `MFRG GZDF MZTW Q2LK NNWG 23TP OBYX E43U`.
 */
export function formatFingerprint(publicKey: Uint8Array): string {
  const digest = crypto.createHash('sha256').update(publicKey).digest().subarray(0, 20)
  let bits = 0
  let acc = 0
  let out = ''
  for (const byte of digest) {
    acc = (acc << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += BASE32[(acc >>> bits) & 31]
    }
    acc &= (1 << bits) - 1
  }
  return (out.match(/.{4}/g) as string[]).join(' ')
}

/** Ed25519 private KeyObject from a 32-byte seed or a 64-byte libsodium secret key (seed ‖ public key). */
export function importSigningKey(secretKey: Uint8Array, publicKey: Uint8Array): crypto.KeyObject {
  if (secretKey.length !== 32 && secretKey.length !== 64) {
    throw new CustodiaError('VALIDATION', 'signing secret key must be 32 or 64 bytes')
  }
  const key = crypto.createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, secretKey.subarray(0, 32)]),
    format: 'der',
    type: 'pkcs8',
  })
  const derived = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length)
  if (publicKey.length !== 32 || !crypto.timingSafeEqual(derived, publicKey)) {
    throw new CustodiaError('VALIDATION', 'signing public key does not belong to the secret key')
  }
  return key
}

/** Ed25519 signature (64 bytes) over the exact manifest bytes. */
export function signManifest(manifestBytes: Uint8Array, key: crypto.KeyObject): Buffer {
  return crypto.sign(null, manifestBytes, key)
}

/** True iff `signature` is a valid Ed25519 signature by `publicKey` (32 raw bytes) over `manifestBytes`. */
export function verifyManifestSignature(manifestBytes: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false
  try {
    const key = crypto.createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    })
    return crypto.verify(null, manifestBytes, key, signature)
  } catch {
    return false
  }
}

/**
 * Parses manifest bytes: strict UTF-8 JSON; `format` must be custodia-bundle (VALIDATION), `version` must be 1
 * (UNSUPPORTED otherwise, checked before the schema so a newer bundle says so), then the strict schema (VALIDATION)
 * and sender fingerprint = formatFingerprint(signingKey) (VALIDATION).
 */
export function parseManifest(bytes: Uint8Array): BundleManifest {
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    throw new CustodiaError('VALIDATION', 'manifest is not valid JSON')
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== BUNDLE_FORMAT) {
    throw new CustodiaError('VALIDATION', 'not a Custodia bundle manifest')
  }
  if ((raw as { version?: unknown }).version !== BUNDLE_VERSION) {
    throw new CustodiaError('UNSUPPORTED', 'bundle format version is not supported')
  }
  const parsed = ManifestSchema.safeParse(raw)
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? ''
    throw new CustodiaError('VALIDATION', `manifest does not match the schema (at ${where || 'top level'})`)
  }
  const key = Buffer.from(parsed.data.sender.signingKey, 'base64')
  if (formatFingerprint(key) !== parsed.data.sender.fingerprint) {
    throw new CustodiaError('VALIDATION', 'sender fingerprint does not match the signing key')
  }
  return parsed.data
}

/** Bundle path a file of `role` must have for `itemId` (attachments: `files/<attachmentId>`). */
export function checkFilePlacement(item: ManifestItem, file: ManifestFile): void {
  const ok =
    (file.role === 'record' && file.path === `records/${item.id}.json`) ||
    (file.role === 'readable' && (file.path === `readable/${item.id}.pdf` || file.path === `readable/${item.id}.txt`)) ||
    (file.role === 'attachment' && /^files\/[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(file.path))
  if (!ok) throw new CustodiaError('VALIDATION', 'manifest lists a file at a path its role does not allow')
}
