// Main process (Node only): the vault key hierarchy — passphrase and recovery-key KEKs, key wrapping, subkeys,
// and the associated-data (AD) encoding every ciphertext in the vault binds to its place.

import { createHash } from 'node:crypto'
import { CustodiaError } from '../../../../shared/errors'
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, PWHASH_SALT_BYTES, type SodiumBackend } from './sodium'

/** Vault key, KEKs and subkeys are all 32 bytes. */
export const KEY_BYTES = 32
/** A wrapped vault key: 32-byte key + 16-byte Poly1305 tag. */
export const WRAPPED_KEY_BYTES = KEY_BYTES + AEAD_TAG_BYTES
/** crypto_kdf context for every vault subkey (8 ASCII bytes). */
export const SUBKEY_CONTEXT = 'custodia'

/** crypto_kdf subkey ids. Never renumber: stored data depends on them. */
export const SUBKEY_IDS = {
  records: 1,
  attachments: 2,
  auditMac: 3,
  kindTag: 4,
  searchIndex: 5,
  auditEncryption: 6,
  // The whole-vault state commitment (vault/stateCommitment.ts): AES-256 key of the per-row PRF, and the MAC key.
  stateElements: 7,
  stateMac: 8,
  // Backups (backup/): the MAC key of a backup's manifest, so `custodia backup verify` can tell a genuine manifest.
  backupManifest: 9,
  // Members' sealed details (vault/members.ts): name, e-mail, role, status, public signing key.
  members: 10,
  // Item keys (vault/itemKeys.ts): wraps each record's and attachment's own key, so destroying one wrapped key
  // shreds that item for good (docs/CRYPTO.md section 13).
  itemKeyWrap: 11,
} as const
export type SubkeyName = keyof typeof SUBKEY_IDS
/** One separate 32-byte buffer per purpose, derived from the vault key. */
export type Subkeys = Record<SubkeyName, Buffer>

/**
 * Builds associated data: "custodia" domain tag, then each field as u32 big-endian length + bytes (strings UTF-8,
 * numbers as decimal text). Length prefixes make the encoding injective: no two field lists give the same bytes.
 */
export function buildAssociatedData(purpose: string, ...fields: (string | number | Uint8Array)[]): Buffer {
  const parts: Buffer[] = []
  for (const field of ['custodia', purpose, ...fields]) {
    const bytes =
      typeof field === 'string' ? Buffer.from(field, 'utf8') : typeof field === 'number' ? Buffer.from(String(field)) : Buffer.from(field)
    const len = Buffer.alloc(4)
    len.writeUInt32BE(bytes.length)
    parts.push(len, bytes)
  }
  return Buffer.concat(parts)
}

/**
 * Validates a UTF-8 passphrase and returns its NFC form in a new buffer the caller must zero. ASCII input is copied
 * without ever becoming a JS string (strings cannot be wiped); other input must pass through a string to normalise.
 * Empty or invalid UTF-8 → VALIDATION.
 */
export function normalizePassphrase(passphrase: Uint8Array): Buffer {
  if (!(passphrase instanceof Uint8Array) || passphrase.length === 0) {
    throw new CustodiaError('VALIDATION', 'The passphrase must not be empty')
  }
  if (passphrase.every((b) => b < 0x80)) return Buffer.from(passphrase)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(passphrase)
  } catch {
    throw new CustodiaError('VALIDATION', 'The passphrase is not valid UTF-8')
  }
  return Buffer.from(text.normalize('NFC'), 'utf8')
}

/** Argon2id parameters: opslimit = passes, memlimit in bytes. */
export interface KdfParams {
  opslimit: number
  memlimit: number
}

/** Derives the 32-byte KEK of a passphrase keyslot (Argon2id, caller-normalised passphrase, 16-byte salt). */
export async function derivePassphraseKek(
  sodium: SodiumBackend,
  passphrase: Uint8Array,
  salt: Uint8Array,
  kdf: KdfParams,
): Promise<Buffer> {
  if (salt.length !== PWHASH_SALT_BYTES) throw new CustodiaError('CORRUPT', 'A keyslot salt has the wrong size')
  return sodium.pwhash(KEY_BYTES, passphrase, salt, kdf.opslimit, kdf.memlimit)
}

/**
 * Derives the KEK of a recovery keyslot: keyed BLAKE2b-256 with the 32 recovery bytes as key over a fixed label and
 * the vault and keyslot ids. The recovery bytes are uniformly random (256 bits), so no slow KDF is needed.
 */
export function deriveRecoveryKek(sodium: SodiumBackend, recoveryBytes: Uint8Array, vaultId: string, keyslotId: string): Buffer {
  if (recoveryBytes.length !== KEY_BYTES) throw new CustodiaError('VALIDATION', 'The recovery key has the wrong length')
  const kek = sodium.allocKey(KEY_BYTES)
  const hash = sodium.generichash(KEY_BYTES, buildAssociatedData('recovery-kek', vaultId, keyslotId), recoveryBytes)
  kek.set(hash)
  sodium.memzero(hash)
  return kek
}

/** AD of a keyslot's wrapped key: binds vault id, keyslot id, kind, format version and (passphrase) KDF params. */
export function buildKeyslotAd(vaultId: string, keyslotId: string, kind: string, formatVersion: number, kdf?: KdfParams): Buffer {
  return buildAssociatedData('keyslot', vaultId, keyslotId, kind, formatVersion, kdf?.opslimit ?? 0, kdf?.memlimit ?? 0)
}

/** Encrypts the 32-byte vault key under a KEK. Returns a random 24-byte nonce and the 48-byte wrapped key. */
export function wrapVaultKey(
  sodium: SodiumBackend,
  vaultKey: Uint8Array,
  kek: Uint8Array,
  ad: Uint8Array,
): { nonce: Buffer; wrapped: Buffer } {
  const nonce = sodium.randomBytes(AEAD_NONCE_BYTES)
  return { nonce, wrapped: sodium.aeadEncrypt(vaultKey, ad, nonce, kek) }
}

/**
 * Decrypts a wrapped vault key into a new key buffer. Returns null when it does not authenticate (wrong
 * passphrase/recovery key, or an edited keyslot: the two cannot be told apart).
 */
export function unwrapVaultKey(
  sodium: SodiumBackend,
  wrapped: Uint8Array,
  nonce: Uint8Array,
  kek: Uint8Array,
  ad: Uint8Array,
): Buffer | null {
  if (wrapped.length !== WRAPPED_KEY_BYTES || nonce.length !== AEAD_NONCE_BYTES) return null
  try {
    const plain = sodium.aeadDecrypt(wrapped, ad, nonce, kek)
    const key = sodium.allocKey(KEY_BYTES)
    key.set(plain)
    sodium.memzero(plain)
    return key
  } catch {
    return null
  }
}

/**
 * AD of an item key wrapped for the vault: binds vault id, what the item is ('record' | 'attachment'), its id, which key
 * wraps it ('vault' today; an area key id later) and the format version. A wrapped key moved to another item, kind or
 * wrapping key fails to unwrap.
 */
export function buildItemKeyAd(vaultId: string, itemKind: string, itemId: string, wrappedBy: string, formatVersion: number): Buffer {
  return buildAssociatedData('item.key', vaultId, itemKind, itemId, wrappedBy, formatVersion)
}

/** Derives every subkey from the vault key (crypto_kdf_derive_from_key, context "custodia"). */
export function deriveSubkeys(sodium: SodiumBackend, vaultKey: Uint8Array): Subkeys {
  const out = {} as Subkeys
  for (const [name, id] of Object.entries(SUBKEY_IDS) as [SubkeyName, number][]) {
    out[name] = sodium.kdfDerive(KEY_BYTES, id, SUBKEY_CONTEXT, vaultKey)
  }
  return out
}

// --- recovery key encoding ---------------------------------------------------------------------------------------

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** 32 bytes = 256 bits → 52 base32 characters (4 zero pad bits) + 4 checksum characters = 14 groups of 4. */
const DATA_CHARS = 52
const CHECK_CHARS = 4
export const RECOVERY_KEY_GROUPS = (DATA_CHARS + CHECK_CHARS) / 4

function encodeBase32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  if (bits > 0) out += CROCKFORD[(value << (5 - bits)) & 31]
  return out
}

/** Checksum: first 20 bits of SHA-256 over a label and the 32 bytes, as 4 base32 characters. Detects typos only. */
function computeChecksum(bytes: Uint8Array): string {
  const digest = createHash('sha256').update('custodia-recovery-v1').update(bytes).digest()
  return encodeBase32(digest.subarray(0, 3)).slice(0, CHECK_CHARS)
}

/** Formats 32 recovery bytes as 14 hyphen-separated groups of 4 Crockford base32 characters (last = checksum). */
export function encodeRecoveryKey(bytes: Uint8Array): string {
  if (bytes.length !== KEY_BYTES) throw new CustodiaError('INTERNAL', 'A recovery key is 32 bytes')
  const text = encodeBase32(bytes) + computeChecksum(bytes)
  return text.match(/.{4}/g)!.join('-')
}

/**
 * Parses a recovery key typed by a person: case-insensitive, spaces and hyphens ignored, O→0 and I/L→1 (Crockford).
 * Returns the 32 bytes (caller zeroes them). Wrong length, a foreign character or a checksum mismatch → VALIDATION
 * with a message saying which (never echoing the key).
 */
export function parseRecoveryKey(text: string): Buffer {
  if (typeof text !== 'string') throw new CustodiaError('VALIDATION', 'The recovery key must be text')
  const cleaned = text.replace(/[\s-]/g, '').toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1')
  if (cleaned.length !== DATA_CHARS + CHECK_CHARS) {
    throw new CustodiaError(
      'VALIDATION',
      `The recovery key must have ${RECOVERY_KEY_GROUPS} groups of 4 characters (${DATA_CHARS + CHECK_CHARS} characters); ${cleaned.length} were given`,
    )
  }
  for (let i = 0; i < cleaned.length; i++) {
    if (!CROCKFORD.includes(cleaned[i]!)) {
      throw new CustodiaError('VALIDATION', `The recovery key has a character that is not allowed in group ${Math.floor(i / 4) + 1}`)
    }
  }
  const bytes = Buffer.alloc(KEY_BYTES)
  let bits = 0
  let value = 0
  let index = 0
  for (let i = 0; i < DATA_CHARS; i++) {
    const digit = CROCKFORD.indexOf(cleaned[i]!)
    value = (value << 5) | digit
    bits += 5
    if (bits >= 8) {
      bytes[index++] = (value >>> (bits - 8)) & 0xff
      bits -= 8
      value &= (1 << bits) - 1
    }
  }
  const checksum = cleaned.slice(DATA_CHARS)
  if (value !== 0 || computeChecksum(bytes) !== checksum) {
    bytes.fill(0)
    throw new CustodiaError('VALIDATION', 'The recovery key checksum does not match: a character was mistyped')
  }
  return bytes
}
