// Main process (Node only): setting and clearing a member's duress passphrase (duress.ts holds the companions the unlock
// reads). Setting one checks that it opens the decoy vault the user prepared and does not open this one, then seals the
// note into the member's companion. Design and limits: docs/CRYPTO.md section 14.

import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { buildKeyslotAd, derivePassphraseKek, normalizePassphrase, unwrapVaultKey } from '../platform/crypto/keys'
import { sealJson } from '../platform/crypto/sealedJson'
import type { SodiumBackend } from '../platform/crypto/sodium'
import { readKeyslots, type KeyslotRow } from '../platform/db/vaultRepo'
import {
  COMPANION_BYTES,
  companionAd,
  NOTE_BYTES,
  randomCompanion,
  readDuressStatus,
  writeCompanion,
  type DuressAction,
  type DuressNote,
} from './duress'
import type { VaultInternals } from './internals'
import { checkStoredKeyslot, withVaultSnapshot } from './unlock'

/** Longest decoy folder path accepted (bytes of UTF-8), so the note always fits in NOTE_BYTES. */
const MAX_DECOY_PATH_BYTES = 300

/** The decoy's key, found by trying the duress passphrase on its passphrase keyslots (as an unlock would; writes nothing). */
async function openDecoyKey(
  sodium: SodiumBackend,
  decoyDir: string,
  normalized: Buffer,
): Promise<{ vaultId: string; slotId: string; key: Buffer }> {
  const { snap, slots } = withVaultSnapshot(decoyDir, (snap) => ({
    snap,
    slots: snap.keyslots
      .filter((slot) => slot.kind === 'passphrase')
      .map((slot) => ({ slot, kdf: checkStoredKeyslot(slot, snap.createdKdf) })),
  }))
  for (const { slot, kdf } of slots) {
    const kek = await derivePassphraseKek(sodium, normalized, slot.salt!, kdf)
    try {
      const key = unwrapVaultKey(
        sodium,
        slot.wrapped_key,
        slot.nonce,
        kek,
        buildKeyslotAd(snap.vaultId, slot.id, 'passphrase', snap.formatVersion, kdf),
      )
      if (key) return { vaultId: snap.vaultId, slotId: slot.id, key }
    } finally {
      sodium.memzero(kek)
    }
  }
  throw new CustodiaError('WRONG_PASSPHRASE', 'The duress passphrase does not open the decoy vault. Use the decoy vault’s own passphrase.')
}

/**
 * Sets the working member's duress passphrase: it must open the decoy vault in `decoyDir` (another vault, prepared by
 * the user) and must not open this one. Seals the note into the member's companion. Refusals change nothing:
 * no member → FORBIDDEN; decoy missing → NOT_A_VAULT; same vault, path too long, bad action → VALIDATION;
 * passphrase opening this vault or not the decoy → VALIDATION / WRONG_PASSPHRASE.
 */
export async function setDuressPassphrase(
  vault: VaultInternals,
  duressPassphrase: Uint8Array,
  opts: { decoyDir: string; action: DuressAction; keepRecovery: boolean },
): Promise<void> {
  vault.assertUnlocked()
  if (opts.action !== 'decoy' && opts.action !== 'wipe')
    throw new CustodiaError('VALIDATION', 'Choose what the duress passphrase does: open the decoy, or erase this vault and open the decoy.')
  const decoyDir = path.resolve(opts.decoyDir)
  if (Buffer.byteLength(decoyDir, 'utf8') > MAX_DECOY_PATH_BYTES)
    throw new CustodiaError('VALIDATION', `The decoy vault's folder path is too long (at most ${MAX_DECOY_PATH_BYTES} characters).`)
  if (decoyDir === path.resolve(vault.dir)) throw new CustodiaError('VALIDATION', 'The decoy must be another vault, not this one.')
  const slot = memberSlot(vault)
  const normalized = normalizePassphrase(duressPassphrase)
  let decoyKey: Buffer | null = null
  try {
    const decoy = await openDecoyKey(vault.sodium, decoyDir, normalized)
    decoyKey = decoy.key
    if (decoy.vaultId === vault.vaultId) throw new CustodiaError('VALIDATION', 'The decoy must be another vault, not a copy of this one.')
    const kdf = checkStoredKeyslot(slot)
    const kek = await derivePassphraseKek(vault.sodium, normalized, slot.salt!, kdf)
    try {
      vault.assertUnlocked()
      const opensThis = unwrapVaultKey(
        vault.sodium,
        slot.wrapped_key,
        slot.nonce,
        kek,
        buildKeyslotAd(vault.vaultId, slot.id, 'passphrase', vault.formatVersion, kdf),
      )
      if (opensThis) {
        vault.sodium.memzero(opensThis)
        throw new CustodiaError('VALIDATION', 'The duress passphrase must differ from your passphrase.')
      }
      const note: DuressNote = {
        v: 1,
        action: opts.action,
        keepRecovery: opts.action === 'wipe' && opts.keepRecovery,
        decoyDir,
        decoyVaultId: decoy.vaultId,
        decoySlotId: decoy.slotId,
        decoyKey: decoy.key.toString('base64'),
      }
      const sealed = sealJson(vault.sodium, kek, companionAd(vault.vaultId, slot.id, vault.formatVersion), note, NOTE_BYTES)
      note.decoyKey = ''
      if (sealed.nonce.length + sealed.ciphertext.length !== COMPANION_BYTES)
        throw new CustodiaError('INTERNAL', 'The duress note does not fit')
      const value = Buffer.concat([sealed.nonce, sealed.ciphertext]).toString('base64')
      vault.repo.runInTransaction(() => {
        writeCompanion(vault, slot.id, value)
        vault.chain.append('duress.changed', { on: true, action: opts.action, keepRecovery: note.keepRecovery })
      })
    } finally {
      vault.sodium.memzero(kek)
    }
  } finally {
    normalized.fill(0)
    if (decoyKey) vault.sodium.memzero(decoyKey)
  }
}

/** Turns the working member's duress passphrase off: their companion becomes random again. */
export function clearDuressPassphrase(vault: VaultInternals): void {
  vault.assertUnlocked()
  const slot = memberSlot(vault)
  vault.repo.runInTransaction(() => {
    writeCompanion(vault, slot.id, randomCompanion(vault.sodium))
    if (readDuressStatus(vault).on) vault.chain.append('duress.changed', { on: false })
  })
}

function memberSlot(vault: VaultInternals): KeyslotRow {
  const member = vault.member ? vault.repo.getMember(vault.member.id) : undefined
  const slot = member?.keyslot_id ? readKeyslots(vault.db).find((s) => s.id === member.keyslot_id) : undefined
  if (!slot || slot.kind !== 'passphrase' || !slot.salt)
    throw new CustodiaError(
      'FORBIDDEN',
      'A duress passphrase belongs to a member with a passphrase: unlock with your own passphrase first.',
    )
  return slot
}
