// Core test (Node): each failed unlock is written to the audit log exactly once, with the method that failed — through
// the app's VaultSession (passphrase and recovery key) and through the CLI — on real vaults in temp folders.

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../../electron/cli/io'
import { encodeRecoveryKey, KEY_BYTES } from '../../../electron/core/platform/crypto/keys'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { VaultSession } from '../../../electron/core/session/vaultSession'
import { countUnlockFailures, createVault, MIN_KDF, openVault, type AuditEntry } from '../../../electron/core/vault/vault'
import { runCustodia } from '../../helpers/cli'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const PASSPHRASE = TEST_PASSPHRASE.toString('utf8')
const root = createTempDir()
let sodium: SodiumBackend
let counter = 0

beforeAll(async () => {
  sodium = await loadSodium('native')
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** A fresh, locked vault in its own folder (so the in-memory failure counts of other tests never mix in). */
async function createLockedVault(): Promise<string> {
  const dir = path.join(root, `vault-${++counter}`)
  const { vault } = await createVault(dir, TEST_PASSPHRASE, { sodium, kdf: MIN_KDF })
  vault.lock()
  return dir
}

function unlockFailures(entries: AuditEntry[]): AuditEntry[] {
  return entries.filter((entry) => entry.type === 'vault.unlock_failed')
}

describe('unlock failures are logged once, with their method', () => {
  it('N wrong passphrases through the session, then the right one → exactly N `passphrase` entries', async () => {
    const dir = await createLockedVault()
    const session = new VaultSession({ sodium })
    const attempts = 3
    for (let i = 0; i < attempts; i++) {
      await expect(session.unlock(dir, `not the passphrase ${i}`)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    }
    expect(countUnlockFailures(dir)).toBe(attempts)
    await session.unlock(dir, PASSPHRASE)
    try {
      const entries = session.requireVault().audit.list()
      const failures = unlockFailures(entries)
      expect(failures).toHaveLength(attempts)
      expect(failures.map((entry) => entry.details)).toEqual(Array.from({ length: attempts }, () => ({ method: 'passphrase' })))
      // They come right before the unlock that wrote them, and nothing is left to write at the next one.
      expect(entries.slice(-(attempts + 1)).map((entry) => entry.type)).toEqual([
        ...Array(attempts).fill('vault.unlock_failed'),
        'vault.unlocked',
      ])
      expect(countUnlockFailures(dir)).toBe(0)
    } finally {
      session.lock('user')
    }
  })

  it('one wrong recovery key through the session → exactly one `recovery` entry', async () => {
    const dir = await createLockedVault()
    const session = new VaultSession({ sodium })
    // Well formed (it passes the checksum), but it belongs to no keyslot of this vault.
    const strangerKey = encodeRecoveryKey(sodium.randomBytes(KEY_BYTES))
    await expect(session.unlockWithRecoveryKey(dir, strangerKey)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    expect(countUnlockFailures(dir)).toBe(1)
    await session.unlock(dir, PASSPHRASE)
    try {
      const failures = unlockFailures(session.requireVault().audit.list())
      expect(failures.map((entry) => entry.details)).toEqual([{ method: 'recovery' }])
    } finally {
      session.lock('user')
    }
  })

  it('N wrong passphrases through the CLI, then the right one → exactly N `passphrase` entries', async () => {
    const dir = await createLockedVault()
    const attempts = 2
    for (let i = 0; i < attempts; i++) {
      const wrong = await runCustodia(['unlock-check', dir], { env: { CUSTODIA_PASSPHRASE: `not the passphrase ${i}` } })
      expect(wrong.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
      expect(wrong.stderr).toMatch(/passphrase/i)
    }
    expect(countUnlockFailures(dir)).toBe(attempts)
    // The CLI runs in this process here, so its right unlock writes the failures its wrong ones noted.
    expect((await runCustodia(['unlock-check', dir], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })).code).toBe(0)
    const vault = await openVault(dir, TEST_PASSPHRASE, { sodium })
    try {
      const failures = unlockFailures(vault.audit.list())
      expect(failures.map((entry) => entry.details)).toEqual(Array.from({ length: attempts }, () => ({ method: 'passphrase' })))
    } finally {
      vault.lock()
    }
  })
})
