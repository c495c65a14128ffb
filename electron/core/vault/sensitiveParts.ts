// Main process (Node only): a record's sensitive part — what only members holding the sensitive area key may read
// (today: the family contacts, medical note and sources of a dossier). It travels inside the record's body envelope as
// its own ciphertext under a fresh *part key*, and the part key is wrapped by the newest epoch of the sensitive area
// key (areaKeys.ts). A member without that key reads the rest of the record and sees the part as hidden. docs/CRYPTO.md §16.
//
// Format (JSON inside the body envelope, bytes base64):
//   { v: 1, by: "sensitive:<epoch>", kn: nonce, k: XChaCha20-Poly1305(area key, part key, AD("part.key", vaultId, recordId, by, fv)),
//     n: nonce, c: sealJson(part key, value, AD("record.part", vaultId, recordId, fv), padded to 256 B) }
// The part's AD binds the record but not the revision, so a writer without the key can carry the part over unchanged
// into the next revision (the body envelope around it binds the revision).

import { CustodiaError } from '../../../shared/errors'
import { buildAssociatedData, KEY_BYTES, WRAPPED_KEY_BYTES } from '../platform/crypto/keys'
import { openJson, sealJson } from '../platform/crypto/sealedJson'
import { AEAD_NONCE_BYTES } from '../platform/crypto/sodium'
import { currentSensitiveKey, SENSITIVE_AREA } from './areaKeys'
import type { VaultInternals } from './internals'
import type { RecordPartInput, RecordPartView, SealedPart } from './types'

const tampered = () => new CustodiaError('TAMPERED', "A record's sensitive part does not match it: it was changed outside Custodia")

function partKeyAd(vault: VaultInternals, recordId: string, by: string): Buffer {
  return buildAssociatedData('part.key', vault.vaultId, recordId, by, vault.formatVersion)
}

function partAd(vault: VaultInternals, recordId: string): Buffer {
  return buildAssociatedData('record.part', vault.vaultId, recordId, vault.formatVersion)
}

/** True for something shaped like a SealedPart (checked before any field is used). */
export function isSealedPart(value: unknown): value is SealedPart {
  const p = value as Partial<SealedPart> | null
  return (
    typeof p === 'object' &&
    p !== null &&
    p.v === 1 &&
    typeof p.by === 'string' &&
    /^[a-z]+:[1-9][0-9]{0,8}$/.test(p.by) &&
    ['kn', 'k', 'n', 'c'].every((field) => typeof (p as Record<string, unknown>)[field] === 'string')
  )
}

/**
 * Seals `value` for record `recordId` under a fresh part key wrapped by the newest sensitive epoch. FORBIDDEN, in plain
 * words, when the working member does not hold that key.
 */
export function sealPart(vault: VaultInternals, recordId: string, value: unknown): SealedPart {
  const area = currentSensitiveKey(vault)
  if (!area)
    throw new CustodiaError(
      'FORBIDDEN',
      'Your keys do not open the sensitive parts of dossiers (family contacts, medical notes, sources), so you cannot change them. Ask an admin to unlock the vault once: that gives you the key if your role allows it.',
    )
  const partKey = vault.sodium.randomBytes(KEY_BYTES)
  try {
    const kn = vault.sodium.randomBytes(AEAD_NONCE_BYTES)
    const k = vault.sodium.aeadEncrypt(partKey, partKeyAd(vault, recordId, area.label), kn, area.key)
    const sealed = sealJson(vault.sodium, partKey, partAd(vault, recordId), value, 256)
    return {
      v: 1,
      by: area.label,
      kn: kn.toString('base64'),
      k: k.toString('base64'),
      n: sealed.nonce.toString('base64'),
      c: sealed.ciphertext.toString('base64'),
    }
  } finally {
    vault.sodium.memzero(partKey)
  }
}

/** Opens a stored part: open when the working member holds its area key, hidden otherwise; TAMPERED when it fails. */
export function openPart(vault: VaultInternals, recordId: string, sealed: unknown): RecordPartView {
  if (!isSealedPart(sealed)) throw tampered()
  if (!sealed.by.startsWith(`${SENSITIVE_AREA}:`))
    throw new CustodiaError('UNSUPPORTED', 'This item is locked with a key this version of Custodia does not know')
  const areaKey = vault.areaKeys.get(sealed.by)
  if (!areaKey) return { state: 'hidden', sealed }
  const kn = Buffer.from(sealed.kn, 'base64')
  const k = Buffer.from(sealed.k, 'base64')
  if (kn.length !== AEAD_NONCE_BYTES || k.length !== WRAPPED_KEY_BYTES) throw tampered()
  let partKey: Buffer
  try {
    partKey = vault.sodium.aeadDecrypt(k, partKeyAd(vault, recordId, sealed.by), kn, areaKey)
  } catch {
    throw tampered()
  }
  try {
    const value = openJson<unknown>(vault.sodium, partKey, partAd(vault, recordId), {
      nonce: Buffer.from(sealed.n, 'base64'),
      ciphertext: Buffer.from(sealed.c, 'base64'),
    })
    return { state: 'open', value, sealed }
  } catch (err) {
    if (err instanceof CustodiaError && err.code === 'TAMPERED') throw tampered()
    throw err
  } finally {
    vault.sodium.memzero(partKey)
  }
}

/** The sealed form of a writer's part: sealed now, or carried over (checked for shape). */
export function resolvePartInput(vault: VaultInternals, recordId: string, input: RecordPartInput): SealedPart {
  if ('sealed' in input) {
    if (!isSealedPart(input.sealed)) throw new CustodiaError('VALIDATION', 'A sensitive part to keep is malformed')
    return input.sealed
  }
  return sealPart(vault, recordId, input.value)
}
