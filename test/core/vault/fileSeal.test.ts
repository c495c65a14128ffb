// Core test (Node): the unlock's fast path for the whole-vault check (vault/fileSeal.ts) on real vault files. A clean
// lock seals the database file; the next unlock that finds it byte for byte as sealed skips the row scan, and removes
// the seal. Anything else — a row deleted or rolled back after the lock, a forged seal, another vault's seal, a panic
// lock, a vault opened for review — is checked row by row and reported as before.

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { SEAL_FILE, sealIsCheaper } from '../../../electron/core/vault/fileSeal'
import type { VaultOptions } from '../../../electron/core/vault/types'
import { createVault, MIN_KDF, openVault } from '../../../electron/core/vault/vault'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let counter = 0
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** A closed vault with two records, locked the ordinary way (sealed). */
async function sealedVault(): Promise<{ dir: string; letter: string }> {
  const dir = path.join(root, `v${++counter}`)
  const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
  const letter = vault.createRecord('letter', { summary: { title: 'Letter' }, body: { text: 'one' } }).id
  vault.updateRecord(letter, { summary: { title: 'Letter' }, body: { text: 'two' } })
  vault.createRecord('note', { summary: { title: 'Note' }, body: { text: 'note' } })
  vault.lock()
  return { dir, letter }
}

/** Unlocks and says which way the state was checked ('seal' or 'scan'), or the error code. */
async function unlockPath(dir: string, opts: Partial<VaultOptions> = {}): Promise<string> {
  let path: string | null = null
  try {
    const vault = await openVault(dir, TEST_PASSPHRASE, { ...opts, __statePath: (p) => (path = p) })
    vault.lock()
  } catch (error) {
    return (error as { code: string }).code
  }
  return path ?? 'none'
}

function editDb(dir: string, sql: string): void {
  const db = new Database(path.join(dir, 'vault.sqlite'))
  try {
    db.exec(sql)
  } finally {
    db.close()
  }
}

describe('the sealed database file', () => {
  it('a clean lock seals the file; the next unlock checks the seal instead of every row, removes it, and seals again at its lock', async () => {
    const { dir } = await sealedVault()
    const seal = JSON.parse(fs.readFileSync(path.join(dir, SEAL_FILE), 'utf8')) as { v: number; size: number; mac: string }
    expect(seal).toEqual({ v: 1, size: fs.statSync(path.join(dir, 'vault.sqlite')).size, mac: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(fs.statSync(path.join(dir, SEAL_FILE)).mode & 0o777).toBe(0o600)
    const vault = await openVault(dir, TEST_PASSPHRASE, { __statePath: (p) => expect(p).toBe('seal') })
    expect(fs.existsSync(path.join(dir, SEAL_FILE))).toBe(false)
    vault.createRecord('note', { summary: { title: 'Later' }, body: {} })
    vault.lock()
    expect(await unlockPath(dir)).toBe('seal')
  })

  it('a row deleted or rolled back after the lock: the seal no longer matches, every row is checked, and it is reported', async () => {
    const deleted = await sealedVault()
    editDb(deleted.dir, `DELETE FROM revisions WHERE record_id = '${deleted.letter}' AND revision = 1`)
    expect(await unlockPath(deleted.dir)).toBe('TAMPERED')
    const rolledBack = await sealedVault()
    editDb(rolledBack.dir, `UPDATE records SET current_revision = 1 WHERE id = '${rolledBack.letter}'`)
    expect(await unlockPath(rolledBack.dir)).toBe('TAMPERED')
    // Opened for review, the vault is not sealed at its lock: the next unlock reports the change again.
    expect(await unlockPath(rolledBack.dir, { onTampered: 'review' })).toBe('scan')
    expect(fs.existsSync(path.join(rolledBack.dir, SEAL_FILE))).toBe(false)
    expect(await unlockPath(rolledBack.dir)).toBe('TAMPERED')
  })

  it('a forged seal or another vault’s seal over a changed file is no way around the check', async () => {
    const { dir, letter } = await sealedVault()
    const other = await sealedVault()
    editDb(dir, `UPDATE records SET current_revision = 1 WHERE id = '${letter}'`)
    // The seal recomputed for the changed file without the key: a MAC of random bytes.
    const forged = { v: 1, size: fs.statSync(path.join(dir, 'vault.sqlite')).size, mac: 'ab'.repeat(32) }
    fs.writeFileSync(path.join(dir, SEAL_FILE), JSON.stringify(forged))
    expect(await unlockPath(dir)).toBe('TAMPERED')
    fs.copyFileSync(path.join(other.dir, SEAL_FILE), path.join(dir, SEAL_FILE))
    expect(await unlockPath(dir)).toBe('TAMPERED')
    // An unreadable seal is no seal.
    fs.writeFileSync(path.join(dir, SEAL_FILE), 'not a seal')
    expect(await unlockPath(dir)).toBe('TAMPERED')
  })

  it('an untouched vault with a seal that is not its own is checked row by row and opens', async () => {
    const { dir } = await sealedVault()
    const other = await sealedVault()
    fs.copyFileSync(path.join(other.dir, SEAL_FILE), path.join(dir, SEAL_FILE))
    expect(await unlockPath(dir)).toBe('scan')
  })

  it('a panic lock leaves no seal (it must be quick): the next unlock checks every row', async () => {
    const { dir } = await sealedVault()
    const vault = await openVault(dir, TEST_PASSPHRASE)
    vault.lock({ seal: false })
    expect(fs.existsSync(path.join(dir, SEAL_FILE))).toBe(false)
    expect(await unlockPath(dir)).toBe('scan')
  })

  it('is made only when hashing the file costs less than scanning its rows (a vault of long texts is scanned)', () => {
    // The bench vault: 230 MiB, 351,000 committed rows.
    expect(sealIsCheaper(230 * 2 ** 20, 351_000)).toBe(true)
    // 100k letters of 20 KiB: 2 GiB to hash against 350,000 rows to scan.
    expect(sealIsCheaper(2 * 2 ** 30, 350_000)).toBe(false)
    // Small vaults either way: a few milliseconds.
    expect(sealIsCheaper(200 * 1024, 12)).toBe(true)
  })
})
