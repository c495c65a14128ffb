// Test helper (Node): a small team vault for the tests of what a removed member keeps (content epochs, CRYPTO.md §17):
// an admin, Anna (legal adviser), Sam and Lee (secretariat), all joined; unlocking as one of them; and everything a
// member could take with them before a removal, captured with SQL and libsodium alone (test/helpers/rawVaultKeys.ts).

import path from 'node:path'
import _sodium from 'libsodium-wrappers-sumo'
import { expect } from 'vitest'
import { parseRecoveryKey } from '../../electron/core/platform/crypto/keys'
import { createVault, joinVault, MIN_KDF, openVault, type Vault } from '../../electron/core/vault/vault'
import { ad, deriveRawKeys, openRawItemKey, readDb, readVaultMeta, symmetricKeys } from './rawVaultKeys'
import { TEST_PASSPHRASE } from './vaultTestUtils'

export interface Login {
  name: string
  passphrase: Buffer
}

export const ADMIN = 'Secretary General'
export const ADMIN_LOGIN: Login = { name: ADMIN, passphrase: TEST_PASSPHRASE }
export const ANNA: Login = { name: 'Anna Kovalenko', passphrase: Buffer.from('anna keeps the dossiers safe', 'utf8') }
export const SAM: Login = { name: 'Sam Secretariat', passphrase: Buffer.from('sam drafts the letters daily', 'utf8') }
export const LEE: Login = { name: 'Lee Fieldworker', passphrase: Buffer.from('lee collects the testimonies', 'utf8') }

let counter = 0

/** An admin vault in a new folder under `root`; Anna, Sam and Lee joined; the admin unlocked once more. */
export async function createTeamVault(
  root: string,
): Promise<{ dir: string; annaId: string; samId: string; leeId: string; annaRecovery: string }> {
  const dir = path.join(root, `team${++counter}`)
  const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF, adminName: ADMIN })
  const anna = vault.addMember({ name: ANNA.name, role: 'legal-adviser' })
  const sam = vault.addMember({ name: SAM.name, role: 'secretariat' })
  const lee = vault.addMember({ name: LEE.name, role: 'secretariat' })
  vault.lock()
  const annaJoined = await joinVault(dir, anna.invitationCode, ANNA.passphrase)
  annaJoined.vault.lock()
  ;(await joinVault(dir, sam.invitationCode, SAM.passphrase)).vault.lock()
  ;(await joinVault(dir, lee.invitationCode, LEE.passphrase)).vault.lock()
  ;(await openVault(dir, TEST_PASSPHRASE, { member: ADMIN })).lock()
  return { dir, annaId: anna.member.id, samId: sam.member.id, leeId: lee.member.id, annaRecovery: annaJoined.recoveryKey }
}

/** Unlocks as `who`, runs `work`, locks. */
export async function as<T>(dir: string, who: Login, work: (vault: Vault) => T | Promise<T>): Promise<T> {
  const vault = await openVault(dir, who.passphrase, { member: who.name })
  try {
    return await work(vault)
  } finally {
    vault.lock()
  }
}

/**
 * Everything the member could take with them before the removal: passphrase KEK, recovery KEK, vault key, its 11
 * subkeys, X25519 secret key, every area key sealed to them, and every item key the vault held that any of those opens.
 * Callers await rawSodiumReady() first.
 */
export function captureEverything(dir: string, memberId: string, passphrase: Buffer, recoveryKey: string): Uint8Array[] {
  const raw = deriveRawKeys(dir, memberId, passphrase)
  const recoveryKek = readDb(dir, (db) => {
    const meta = readVaultMeta(db)
    const slotId = (db.prepare('SELECT recovery_slot_id FROM members WHERE id = ?').get(memberId) as { recovery_slot_id: string })
      .recovery_slot_id
    return _sodium.crypto_generichash(32, ad('recovery-kek', meta.vault_id, slotId), parseRecoveryKey(recoveryKey))
  })
  const keys = [...symmetricKeys(raw), recoveryKek]
  const itemKeys = readDb(dir, (db) =>
    (db.prepare('SELECT item_kind, id FROM item_keys').all() as { item_kind: 'record' | 'attachment'; id: string }[]).map((row) =>
      openRawItemKey(db, row.item_kind, row.id, keys),
    ),
  )
  // Every item key existing then opened with what they held (a positive control: the captured keys are the real ones).
  expect(itemKeys.every((key) => key !== null)).toBe(true)
  return [...keys, ...(itemKeys as Uint8Array[])]
}
