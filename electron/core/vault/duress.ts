// Main process (Node only): the duress passphrase (issue #16). Every passphrase keyslot has a companion, a plain
// setting `slotCompanion.<slotId>` of fixed size: random bytes, or — for the member who set a duress passphrase — a
// sealed note {what to do, the decoy vault's folder, id, keyslot and key} under a key derived from the duress
// passphrase with *that keyslot's* salt and KDF parameters. So the unlock's one Argon2id run per slot opens either the
// keyslot or its companion (never both), at the same cost; and since every slot always has a companion of the same size,
// the files do not show whether any of them is real. Design and limits: docs/CRYPTO.md section 14.

import { buildAssociatedData, KEY_BYTES } from '../platform/crypto/keys'
import { openJson } from '../platform/crypto/sealedJson'
import { AEAD_NONCE_BYTES, type SodiumBackend } from '../platform/crypto/sodium'
import type { KeyslotRow } from '../platform/db/vaultRepo'
import type { VaultInternals } from './internals'

/** Setting name prefix of a keyslot's companion. */
export const COMPANION_PREFIX = 'slotCompanion.'
/** Plaintext size of a companion note (JSON padded with spaces): the decoy's folder must fit. */
export const NOTE_BYTES = 512
const AEAD_TAG_BYTES = 16

export type DuressAction = 'decoy' | 'wipe'

/** What the duress passphrase does, once it opened a companion. */
export interface DuressNote {
  v: 1
  /** 'decoy': open the decoy vault. 'wipe': destroy this vault's keyslots first, then open the decoy vault. */
  action: DuressAction
  /** With 'wipe': the recovery keys survive (only the passphrases are destroyed). */
  keepRecovery: boolean
  decoyDir: string
  decoyVaultId: string
  decoySlotId: string
  /** The decoy's vault key, base64. */
  decoyKey: string
}

export function companionName(slotId: string): string {
  return `${COMPANION_PREFIX}${slotId}`
}

/** Bytes of a companion: nonce, note, tag. */
export const COMPANION_BYTES = AEAD_NONCE_BYTES + NOTE_BYTES + AEAD_TAG_BYTES

export function companionAd(vaultId: string, slotId: string, formatVersion: number): Buffer {
  return buildAssociatedData('keyslot.companion', vaultId, slotId, formatVersion)
}

/** A companion that opens under no key: random bytes of exactly a sealed note's size, base64. */
export function randomCompanion(sodium: SodiumBackend): string {
  return sodium.randomBytes(COMPANION_BYTES).toString('base64')
}

/**
 * Tries to open `value` (a companion setting) with the KEK the unlock derived for `slot`. Returns the note, or null
 * (a random companion, another passphrase, or damage: all look the same, on purpose). Costs one AEAD decryption.
 */
export function openCompanion(
  sodium: SodiumBackend,
  value: string | undefined,
  kek: Uint8Array,
  vault: { vaultId: string; formatVersion: number },
  slotId: string,
): DuressNote | null {
  if (value === undefined) return null
  const bytes = Buffer.from(value, 'base64')
  if (bytes.length !== COMPANION_BYTES) return null
  try {
    const note = openJson<DuressNote>(sodium, kek, companionAd(vault.vaultId, slotId, vault.formatVersion), {
      nonce: bytes.subarray(0, AEAD_NONCE_BYTES),
      ciphertext: bytes.subarray(AEAD_NONCE_BYTES),
    })
    return note?.v === 1 && (note.action === 'decoy' || note.action === 'wipe') ? note : null
  } catch {
    return null
  }
}

/** Gives every passphrase keyslot without one a random companion (inside the caller's transaction). */
export function ensureCompanions(vault: VaultInternals, slots: readonly KeyslotRow[]): void {
  for (const slot of slots) {
    if (slot.kind !== 'passphrase' || vault.repo.getSetting(companionName(slot.id)) !== undefined) continue
    writeCompanion(vault, slot.id, randomCompanion(vault.sodium))
  }
}

export function writeCompanion(vault: VaultInternals, slotId: string, value: string): void {
  // Not logged as a setting change: the entry that goes with it says why (vault.created, vault.unlocked,
  // vault.passphrase_changed, duress.changed), and the state commitment covers the row like any setting.
  vault.repo.setSetting(companionName(slotId), value)
}

/**
 * After the member's passphrase changed (new salt): the old companion can no longer open, so it becomes random, and
 * a duress passphrase that was set is logged as off (the Security page then says it must be set again).
 */
export function resetCompanionAfterPassphraseChange(vault: VaultInternals, slotId: string): void {
  const wasOn = vault.member !== null && readDuressStatus(vault).on
  writeCompanion(vault, slotId, randomCompanion(vault.sodium))
  if (wasOn) vault.chain.append('duress.changed', { on: false, reason: 'passphrase_changed' })
}

/** Whether the working member has a duress passphrase, from the (encrypted) activity log: the files never say. */
export function readDuressStatus(vault: VaultInternals): { on: boolean; action: DuressAction | null; keepRecovery: boolean } {
  const memberId = vault.member?.id
  let status: { on: boolean; action: DuressAction | null; keepRecovery: boolean } = { on: false, action: null, keepRecovery: false }
  // The entries that verify: a log broken further back must not stop a passphrase change or the Security page.
  for (const entry of vault.chain.readIntactEntries()) {
    if (entry.type !== 'duress.changed' || entry.by !== memberId) continue
    const details = entry.details as Record<string, unknown>
    status =
      details['on'] === true
        ? { on: true, action: details['action'] === 'wipe' ? 'wipe' : 'decoy', keepRecovery: details['keepRecovery'] === true }
        : { on: false, action: null, keepRecovery: false }
  }
  return status
}

/** The decoy's key as a key buffer the caller owns (zeroed with the vault at lock). */
export function takeDecoyKey(sodium: SodiumBackend, note: DuressNote): Buffer | null {
  const bytes = Buffer.from(note.decoyKey, 'base64')
  if (bytes.length !== KEY_BYTES) return null
  const key = sodium.allocKey(KEY_BYTES)
  key.set(bytes)
  sodium.memzero(bytes)
  return key
}
