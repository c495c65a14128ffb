// Main process / CLI (Node only): the vault's own exchange identity — an X25519 age identity (bundles are encrypted
// to it) and an Ed25519 signing key (bundles we send are signed with it) — kept ENCRYPTED as one vault record of kind
// 'identity', created on first use; plus the small text file that carries a PUBLIC identity to a partner.
import crypto from 'node:crypto'
import { CustodiaError } from '../../../shared/errors'
import { decodeX25519Recipient, encodeX25519Recipient, generateX25519Identity, deriveX25519PublicKey } from '../platform/crypto/age/age'
import { formatFingerprint } from './bundle/manifest'
import type { Vault } from '../vault/vault'

export const IDENTITY_RECORD_KIND = 'identity'
export const IDENTITY_FILE_HEADER = 'custodia-identity: 1'
/** A public identity file is a few hundred bytes; anything much larger is not one. */
export const MAX_IDENTITY_FILE_BYTES = 8 * 1024
const DEFAULT_NAME = 'Custodia user'
// DER prefixes wrapping a raw Ed25519 seed / public key as PKCS#8 / SPKI (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** Our identity with its secrets: zero `x25519SecretKey` and `signingSecretKey` (disposeIdentity) when done. */
export interface OwnIdentity {
  readonly recordId: string
  /** The name bundles are signed with (the organisation as it names itself). */
  readonly name: string
  readonly organisation: string
  /** 32 bytes. */
  readonly x25519SecretKey: Buffer
  /** `age1…` */
  readonly recipient: string
  /** 32-byte Ed25519 seed. */
  readonly signingSecretKey: Buffer
  /** 32-byte Ed25519 public key. */
  readonly signingPublicKey: Buffer
  /** formatFingerprint(signingPublicKey): what partners compare by phone. */
  readonly fingerprint: string
  /** formatFingerprint(X25519 public key): what bundle manifests list for recipients. */
  readonly recipientFingerprint: string
}

/** What may be shown and shared: no secret. */
export interface PublicIdentity {
  readonly name: string
  readonly organisation: string
  readonly recipient: string
  /** Standard base64 (padded) of the 32-byte Ed25519 public key. */
  readonly signingKey: string
  readonly fingerprint: string
  readonly recipientFingerprint: string
}

interface IdentityBody {
  v: 1
  name: string
  organisation: string
  /** base64 of 32 bytes: encoded only inside the encrypted record body. */
  x25519Secret: string
  signingSeed: string
}

/** A fresh Ed25519 key pair as raw bytes (32-byte seed, 32-byte public key). */
export function generateSigningKeyPair(): { secretKey: Buffer; publicKey: Buffer } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519')
  return {
    secretKey: Buffer.from(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(ED25519_PKCS8_PREFIX.length)),
    publicKey: Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length)),
  }
}

function deriveSigningPublicKey(seed: Uint8Array): Buffer {
  const key = crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  return Buffer.from(crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length))
}

function checkName(name: unknown, what: string, allowEmpty: boolean): string {
  if (typeof name !== 'string') throw new CustodiaError('VALIDATION', `The ${what} must be text`)
  const trimmed = name.trim().normalize('NFC')
  if ((!allowEmpty && trimmed.length === 0) || trimmed.length > 200 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new CustodiaError('VALIDATION', `The ${what} must be ${allowEmpty ? 'at most' : '1 to'} 200 characters without line breaks`)
  }
  return trimmed
}

function decodeKey(text: unknown): Buffer {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(text)) throw new CustodiaError('CORRUPT', 'The stored identity is malformed')
  return Buffer.from(text, 'base64')
}

function readIdentityRecord(vault: Vault): { id: string; body: IdentityBody } | null {
  const rows = vault.listRecords({ kind: IDENTITY_RECORD_KIND })
  if (rows.length > 1) throw new CustodiaError('CORRUPT', 'The vault holds more than one exchange identity')
  const row = rows[0]
  if (!row) return null
  const body = vault.getRecord<IdentityBody>(row.id).body
  if (body?.v !== 1 || typeof body.name !== 'string') throw new CustodiaError('CORRUPT', 'The stored identity is malformed')
  return { id: row.id, body }
}

function buildOwnIdentity(id: string, body: IdentityBody): OwnIdentity {
  const x25519SecretKey = decodeKey(body.x25519Secret)
  const signingSecretKey = decodeKey(body.signingSeed)
  const x25519Public = deriveX25519PublicKey(x25519SecretKey)
  const signingPublicKey = deriveSigningPublicKey(signingSecretKey)
  return {
    recordId: id,
    name: body.name,
    organisation: typeof body.organisation === 'string' ? body.organisation : '',
    x25519SecretKey,
    recipient: encodeX25519Recipient(x25519Public),
    signingSecretKey,
    signingPublicKey,
    fingerprint: formatFingerprint(signingPublicKey),
    recipientFingerprint: formatFingerprint(x25519Public),
  }
}

/**
 * Our identity with its secret keys; generated and stored (audit `identity.created`, public fingerprint only) on
 * first use. `name`/`organisation` are used only when creating it. Zero the keys with disposeIdentity when done.
 */
export function loadOwnIdentity(vault: Vault, opts: { name?: string; organisation?: string } = {}): OwnIdentity {
  const found = readIdentityRecord(vault)
  if (found) return buildOwnIdentity(found.id, found.body)
  const name = checkName(opts.name ?? DEFAULT_NAME, 'identity name', false)
  const organisation = checkName(opts.organisation ?? '', 'organisation', true)
  const x = generateX25519Identity()
  const s = generateSigningKeyPair()
  const body: IdentityBody = {
    v: 1,
    name,
    organisation,
    x25519Secret: x.secretKey.toString('base64'),
    signingSeed: s.secretKey.toString('base64'),
  }
  x.secretKey.fill(0)
  s.secretKey.fill(0)
  const ref = vault.createRecord(IDENTITY_RECORD_KIND, { summary: { v: 1 }, body })
  vault.audit.append('identity.created', { recordId: ref.id, fingerprint: formatFingerprint(s.publicKey) })
  return buildOwnIdentity(ref.id, body)
}

/** Zeroes the secret keys of an identity obtained from loadOwnIdentity. */
export function disposeIdentity(identity: OwnIdentity): void {
  identity.x25519SecretKey.fill(0)
  identity.signingSecretKey.fill(0)
}

/** The public half of our identity (created on first use). */
export function describeOwnIdentity(vault: Vault): PublicIdentity {
  const own = loadOwnIdentity(vault)
  try {
    return toPublicIdentity(own)
  } finally {
    disposeIdentity(own)
  }
}

function toPublicIdentity(own: OwnIdentity): PublicIdentity {
  return {
    name: own.name,
    organisation: own.organisation,
    recipient: own.recipient,
    signingKey: own.signingPublicKey.toString('base64'),
    fingerprint: own.fingerprint,
    recipientFingerprint: own.recipientFingerprint,
  }
}

/** Renames our identity (keys unchanged) as a new revision of its record. Logs `identity.renamed`. */
export function renameOwnIdentity(vault: Vault, names: { name: string; organisation?: string }): PublicIdentity {
  const name = checkName(names.name, 'identity name', false)
  const own = loadOwnIdentity(vault)
  disposeIdentity(own)
  const found = readIdentityRecord(vault) as { id: string; body: IdentityBody }
  const organisation = names.organisation === undefined ? found.body.organisation : checkName(names.organisation, 'organisation', true)
  vault.updateRecord(found.id, { summary: { v: 1 }, body: { ...found.body, name, organisation } })
  vault.audit.append('identity.renamed', { recordId: found.id })
  return describeOwnIdentity(vault)
}

/**
 * The public identity file, for sending to a partner (by mail, on a stick) and comparing fingerprints by phone:
 *
 *   custodia-identity: 1
 *   name: …
 *   organisation: …            (optional)
 *   age-recipient: age1…
 *   signing-key: <base64 of the 32-byte Ed25519 public key>
 *   fingerprint: XXXX XXXX XXXX XXXX XXXX XXXX XXXX XXXX
 */
export function formatIdentityFile(
  identity: Pick<PublicIdentity, 'name' | 'organisation' | 'recipient' | 'signingKey' | 'fingerprint'>,
): string {
  const lines = [
    '# Custodia public identity: contains no secret. Compare the fingerprint with the sender by phone before trusting it.',
    IDENTITY_FILE_HEADER,
    `name: ${identity.name}`,
    ...(identity.organisation ? [`organisation: ${identity.organisation}`] : []),
    `age-recipient: ${identity.recipient}`,
    `signing-key: ${identity.signingKey}`,
    `fingerprint: ${identity.fingerprint}`,
  ]
  return `${lines.join('\n')}\n`
}

/** Our public identity file (see formatIdentityFile). */
export function exportOwnIdentityFile(vault: Vault): string {
  return formatIdentityFile(describeOwnIdentity(vault))
}

const IDENTITY_FIELDS = new Set(['name', 'organisation', 'age-recipient', 'signing-key', 'fingerprint'])

/**
 * Parses a public identity file strictly: the header line first, then each known field at most once
 * (name, age-recipient, signing-key, fingerprint required; organisation optional); `#` comments and blank lines are
 * skipped; unknown fields, a secret key, a bad recipient/key, or a fingerprint that does not match the signing key
 * → VALIDATION with a specific message (never quoting the input).
 */
export function parseIdentityFile(text: string): PublicIdentity {
  if (typeof text !== 'string') throw new CustodiaError('VALIDATION', 'The identity file must be text')
  if (Buffer.byteLength(text, 'utf8') > MAX_IDENTITY_FILE_BYTES)
    throw new CustodiaError('VALIDATION', 'This is not an identity file: it is larger than 8 KiB')
  if (/AGE-SECRET-KEY-1/i.test(text)) {
    throw new CustodiaError('VALIDATION', 'This file contains a SECRET age key: never share it. Send the public identity file instead')
  }
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
  if (lines[0] !== IDENTITY_FILE_HEADER)
    throw new CustodiaError('VALIDATION', 'This is not a Custodia identity file (the first line must be "custodia-identity: 1")')
  const fields = new Map<string, string>()
  for (const [index, line] of lines.slice(1).entries()) {
    const m = /^([a-z-]+):\s*(.*)$/.exec(line)
    if (!m) throw new CustodiaError('VALIDATION', `Identity file line ${index + 2} is not "field: value"`)
    const [, key, value] = m as unknown as [string, string, string]
    if (!IDENTITY_FIELDS.has(key)) throw new CustodiaError('VALIDATION', `Identity file has an unknown field "${key}"`)
    if (fields.has(key)) throw new CustodiaError('VALIDATION', `Identity file has the field "${key}" twice`)
    fields.set(key, value)
  }
  for (const key of ['name', 'age-recipient', 'signing-key', 'fingerprint']) {
    if (!fields.get(key)) throw new CustodiaError('VALIDATION', `Identity file has no "${key}"`)
  }
  return buildPublicIdentity({
    name: fields.get('name') as string,
    organisation: fields.get('organisation') ?? '',
    recipient: fields.get('age-recipient') as string,
    signingKey: fields.get('signing-key') as string,
    fingerprint: fields.get('fingerprint') as string,
  })
}

/**
 * Checks public identity fields (from a file or typed in) and computes both fingerprints. A given `fingerprint`
 * must match the signing key (VALIDATION "does not match": a typo or a substituted key).
 */
export function buildPublicIdentity(input: {
  name: string
  organisation?: string
  recipient: string
  signingKey: string
  fingerprint?: string
}): PublicIdentity {
  const name = checkName(input.name, 'name', false)
  const organisation = checkName(input.organisation ?? '', 'organisation', true)
  let recipientKey: Buffer
  try {
    recipientKey = decodeX25519Recipient(input.recipient)
  } catch {
    throw new CustodiaError('VALIDATION', 'The age recipient is not a valid X25519 recipient (age1…)')
  }
  if (typeof input.signingKey !== 'string' || !/^[A-Za-z0-9+/]{43}=$/.test(input.signingKey.trim())) {
    throw new CustodiaError('VALIDATION', 'The signing key must be the base64 of a 32-byte Ed25519 public key')
  }
  const signingKey = input.signingKey.trim()
  const raw = Buffer.from(signingKey, 'base64')
  try {
    crypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
  } catch {
    throw new CustodiaError('VALIDATION', 'The signing key is not a valid Ed25519 public key')
  }
  const fingerprint = formatFingerprint(raw)
  if (input.fingerprint !== undefined && input.fingerprint.trim().toUpperCase().replace(/\s+/g, ' ') !== fingerprint) {
    throw new CustodiaError('VALIDATION', 'The fingerprint does not match the signing key: the file was mistyped or altered')
  }
  return {
    name,
    organisation,
    recipient: encodeX25519Recipient(recipientKey),
    signingKey,
    fingerprint,
    recipientFingerprint: formatFingerprint(recipientKey),
  }
}
