// Core test (Node): wipe after failed unlocks and the duress passphrase (issue #16), on real vaults in temp folders with
// real libsodium. Every unlock opens the vault files again (new snapshot and database handles); test/cli/protect.test.ts
// runs the failures in separate processes.

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { VaultSession } from '../../../electron/core/session/vaultSession'
import { COMPANION_PREFIX } from '../../../electron/core/vault/duress'
import {
  createVault,
  DEFAULT_KDF,
  MIN_KDF,
  openVault,
  openVaultWithRecoveryKey,
  readUnlockGuard,
  type Vault,
} from '../../../electron/core/vault/vault'
import { createTempDir, listFilesRecursive, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const DECOY_PASSPHRASE = 'a decoy passphrase that is ordinary'
const root = createTempDir()
let sodium: SodiumBackend
let counter = 0

beforeAll(async () => {
  sodium = await loadSodium('native')
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

async function createLockedVault(
  prepare?: (vault: Vault) => void | Promise<void>,
  passphrase = TEST_PASSPHRASE,
): Promise<{ dir: string; recoveryKey: string }> {
  const dir = path.join(root, `vault-${++counter}`)
  const { vault, recoveryKey } = await createVault(dir, passphrase, { sodium, kdf: MIN_KDF })
  try {
    await prepare?.(vault)
  } finally {
    vault.lock()
  }
  return { dir, recoveryKey }
}

async function withOpenVault<T>(dir: string, work: (vault: Vault) => T | Promise<T>, passphrase = TEST_PASSPHRASE): Promise<T> {
  const vault = await openVault(dir, passphrase, { sodium })
  try {
    return await work(vault)
  } finally {
    vault.lock()
  }
}

function wrong(dir: string, i: number): Promise<Vault> {
  return openVault(dir, Buffer.from(`not the passphrase ${i}`), { sodium })
}

/** The keyslots' wrapped keys as stored now (read with a plain SQLite handle, as anyone with the files could). */
function readWrappedKeys(dir: string): Buffer[] {
  const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true })
  try {
    return (db.prepare('SELECT wrapped_key FROM keyslots').all() as { wrapped_key: Buffer }[]).map((row) => row.wrapped_key)
  } finally {
    db.close()
  }
}

function filesHolding(dir: string, needles: Buffer[]): string[] {
  const hits: string[] = []
  for (const file of listFilesRecursive(dir)) {
    const data = fs.readFileSync(file)
    for (const needle of needles) if (data.includes(needle)) hits.push(path.relative(dir, file))
  }
  return hits
}

function settingsOf(dir: string): Map<string, string> {
  const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true })
  try {
    return new Map(
      (db.prepare('SELECT name, value FROM settings').all() as { name: string; value: string }[]).map((r) => [r.name, r.value]),
    )
  } finally {
    db.close()
  }
}

describe('wipe after failed unlocks', () => {
  it('refuses N outside 3..20 (or not whole) with a plain message and changes nothing', async () => {
    const { dir } = await createLockedVault()
    await withOpenVault(dir, (vault) => {
      const entriesBefore = vault.audit.list().length
      for (const bad of [2, 21, 0, -3, 3.5, Number.NaN]) {
        expect(() => vault.setWipeAfterFailures(bad, false)).toThrow(
          expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('from 3 to 20') }),
        )
      }
      expect(vault.getProtection()).toMatchObject({ wipeAfter: null, wipeIncludesRecovery: false })
      expect(vault.audit.list()).toHaveLength(entriesBefore)
    })
    expect([...settingsOf(dir).keys()].filter((name) => name.startsWith('wipe'))).toEqual([])
  })

  it('counts wrong tries across unlocks, warns before the last one, and a right passphrase starts the count again', async () => {
    const { dir } = await createLockedVault((vault) => vault.setWipeAfterFailures(3, false))
    expect(readUnlockGuard(dir)).toMatchObject({ wipeAfter: 3, failed: 0, triesLeft: 3, erased: null })
    await expect(wrong(dir, 1)).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringContaining('2 tries left before this vault is erased'),
    })
    await expect(wrong(dir, 2)).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringContaining('1 try left before this vault is erased'),
    })
    expect(readUnlockGuard(dir)).toMatchObject({ failed: 2, triesLeft: 1 })
    await withOpenVault(dir, (vault) => expect(vault.getProtection().wipeAfter).toBe(3))
    expect(readUnlockGuard(dir)).toMatchObject({ failed: 0, triesLeft: 3 })
    // Two more wrong tries do not erase it: the count started again.
    await expect(wrong(dir, 3)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await expect(wrong(dir, 4)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await withOpenVault(dir, () => undefined)
  })

  it('at the Nth wrong try destroys every keyslot: no wrapped key is left in any file, and nobody can open it', async () => {
    const { dir, recoveryKey } = await createLockedVault((vault) => vault.setWipeAfterFailures(3, true))
    const wrapped = readWrappedKeys(dir)
    expect(wrapped).toHaveLength(2)
    expect(filesHolding(dir, wrapped).length).toBeGreaterThan(0)
    await expect(wrong(dir, 1)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await expect(wrong(dir, 2)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    // Nothing is erased before the Nth try.
    expect(readWrappedKeys(dir)).toHaveLength(2)
    await expect(wrong(dir, 3)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE', message: expect.stringContaining('nobody can open it') })
    expect(readWrappedKeys(dir)).toEqual([])
    expect(filesHolding(dir, wrapped)).toEqual([])
    await expect(openVault(dir, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('erased'),
    })
    await expect(openVaultWithRecoveryKey(dir, recoveryKey, { sodium })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(readUnlockGuard(dir)).toMatchObject({ erased: 'all' })
  })

  it('wrong recovery keys count too; when the user chose so, the recovery key still opens the vault after the wipe', async () => {
    const { dir, recoveryKey } = await createLockedVault((vault) => vault.setWipeAfterFailures(3, false))
    const strangerKey = (await createLockedVault()).recoveryKey
    await expect(openVaultWithRecoveryKey(dir, strangerKey, { sodium })).rejects.toMatchObject({
      message: expect.stringContaining('2 tries left'),
    })
    await expect(wrong(dir, 2)).rejects.toMatchObject({ message: expect.stringContaining('1 try left') })
    await expect(wrong(dir, 3)).rejects.toMatchObject({ message: expect.stringContaining('Only a recovery key can open it now') })
    await expect(openVault(dir, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('recovery key'),
    })
    // The passphrases' erase was made by Custodia without the key: accepted and logged, not reported as tampering.
    const vault = await openVaultWithRecoveryKey(dir, recoveryKey, { sodium, onTampered: 'refuse' })
    try {
      expect(vault.integrity.intact).toBe(true)
      expect(vault.audit.list().map((entry) => entry.type)).toContain('vault.passphrases_erased')
      expect(vault.audit.verify()).toMatchObject({ ok: true })
    } finally {
      vault.lock()
    }
  })

  it('an erase cut short (its mark written, the keyslots still there) is finished by the next wrong try', async () => {
    const { dir } = await createLockedVault((vault) => vault.setWipeAfterFailures(3, true))
    // What a crash between the mark and the database transaction leaves behind.
    fs.writeFileSync(path.join(dir, 'unlock-attempts'), JSON.stringify({ v: 1, failed: 3, erased: 'all' }))
    expect(readWrappedKeys(dir)).toHaveLength(2)
    await expect(wrong(dir, 1)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE', message: expect.stringContaining('erased') })
    expect(readWrappedKeys(dir)).toEqual([])
  })

  it('a right passphrase after an erase cut short opens the vault and clears the mark', async () => {
    const { dir } = await createLockedVault((vault) => vault.setWipeAfterFailures(3, false))
    fs.writeFileSync(path.join(dir, 'unlock-attempts'), JSON.stringify({ v: 1, failed: 3, erased: 'passphrase' }))
    await withOpenVault(dir, (vault) => expect(vault.getProtection().wipeAfter).toBe(3))
    expect(fs.existsSync(path.join(dir, 'unlock-attempts'))).toBe(false)
    expect(readUnlockGuard(dir)).toMatchObject({ failed: 0, triesLeft: 3, erased: null })
  })

  it('the setting is authenticated: removing it outside Custodia is reported as TAMPERED at the next unlock', async () => {
    const { dir } = await createLockedVault((vault) => vault.setWipeAfterFailures(5, false))
    const db = new Database(path.join(dir, 'vault.sqlite'))
    db.prepare(`DELETE FROM settings WHERE name = 'wipeAfterFailures'`).run()
    db.close()
    expect(readUnlockGuard(dir).wipeAfter).toBeNull()
    await expect(openVault(dir, TEST_PASSPHRASE, { sodium, onTampered: 'refuse' })).rejects.toMatchObject({
      code: 'TAMPERED',
      message: expect.stringContaining('wipeAfterFailures'),
    })
  })

  it('turned off, a wrong passphrase again leaves every file untouched', async () => {
    const { dir } = await createLockedVault((vault) => {
      vault.setWipeAfterFailures(4, false)
      vault.setWipeAfterFailures(null, false)
    })
    const before = listFilesRecursive(dir).map((file) => [file, fs.readFileSync(file).toString('hex')])
    await expect(wrong(dir, 1)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE', message: 'The passphrase is wrong' })
    expect(listFilesRecursive(dir).map((file) => [file, fs.readFileSync(file).toString('hex')])).toEqual(before)
  })
})

describe('duress passphrase', () => {
  const REAL_MARKER = 'RealVaultMarker'

  async function prepareVaults(
    action: 'decoy' | 'wipe',
    keepRecovery = false,
  ): Promise<{ real: string; decoy: string; decoyId: string; recoveryKey: string }> {
    let decoyId = ''
    const decoy = await createLockedVault(async (vault) => {
      decoyId = vault.vaultId
      vault.setSetting('organisationName', 'Decoy Org')
    }, Buffer.from(DECOY_PASSPHRASE))
    const { dir: real, recoveryKey } = await createLockedVault(async (vault) => {
      vault.setSetting('marker', REAL_MARKER)
      await vault.setDuressPassphrase(Buffer.from(DECOY_PASSPHRASE), { decoyDir: decoy.dir, action, keepRecovery })
    })
    return { real, decoy: decoy.dir, decoyId, recoveryKey }
  }

  it('refuses a duress passphrase that does not open the decoy, equals the real one, or names this vault; nothing changes', async () => {
    const decoy = await createLockedVault(undefined, Buffer.from(DECOY_PASSPHRASE))
    const { dir } = await createLockedVault()
    const companionsBefore = [...settingsOf(dir)].filter(([name]) => name.startsWith(COMPANION_PREFIX))
    await withOpenVault(dir, async (vault) => {
      const opts = { decoyDir: decoy.dir, action: 'decoy' as const, keepRecovery: false }
      await expect(vault.setDuressPassphrase(Buffer.from('not the decoy one'), opts)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
      await expect(vault.setDuressPassphrase(Buffer.from(DECOY_PASSPHRASE), { ...opts, decoyDir: dir })).rejects.toMatchObject({
        code: 'VALIDATION',
      })
      await expect(
        vault.setDuressPassphrase(Buffer.from(DECOY_PASSPHRASE), { ...opts, decoyDir: path.join(root, 'nothing-here') }),
      ).rejects.toMatchObject({
        code: 'NOT_A_VAULT',
      })
      expect(vault.getProtection().duress.on).toBe(false)
    })
    // The real passphrase as "duress": refused (a decoy sharing it is made for the test).
    const twin = await createLockedVault()
    await withOpenVault(dir, async (vault) => {
      await expect(
        vault.setDuressPassphrase(TEST_PASSPHRASE, { decoyDir: twin.dir, action: 'decoy', keepRecovery: false }),
      ).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringContaining('must differ'),
      })
    })
    const companionsAfter = [...settingsOf(dir)].filter(([name]) => name.startsWith(COMPANION_PREFIX))
    expect(companionsAfter.map(([name, value]) => [name, value.length])).toEqual(
      companionsBefore.map(([name, value]) => [name, value.length]),
    )
  })

  it('opens the decoy vault as an ordinary unlock; the real vault still opens with its own passphrase', async () => {
    const { real, decoyId } = await prepareVaults('decoy')
    const session = new VaultSession({ sodium })
    await session.unlock(real, DECOY_PASSPHRASE)
    try {
      const vault = session.requireVault()
      expect(vault.vaultId).toBe(decoyId)
      expect(vault.getSetting('marker')).toBeUndefined()
      expect(vault.getSetting('organisationName')).toBe('Decoy Org')
      // The status names the folder the user opened, never the decoy's.
      expect(session.status()).toMatchObject({ state: 'unlocked', dir: real })
      // Nothing in the decoy's log mentions the real vault.
      expect(JSON.stringify(vault.audit.list())).not.toContain(path.basename(real))
    } finally {
      session.lock('user')
    }
    await withOpenVault(real, (vault) => {
      expect(vault.getSetting('marker')).toBe(REAL_MARKER)
      expect(vault.getProtection().duress).toEqual({ on: true, action: 'decoy', keepRecovery: false })
    })
  })

  it('wipes the real vault, then opens the decoy; afterwards the real passphrase opens nothing', async () => {
    const { real, decoy, decoyId, recoveryKey } = await prepareVaults('wipe')
    const wrapped = readWrappedKeys(real)
    const vault = await openVault(real, Buffer.from(DECOY_PASSPHRASE), { sodium })
    try {
      expect(vault.vaultId).toBe(decoyId)
    } finally {
      vault.lock()
    }
    expect(readWrappedKeys(real)).toEqual([])
    expect(filesHolding(real, wrapped)).toEqual([])
    await expect(openVault(real, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(openVaultWithRecoveryKey(real, recoveryKey, { sodium })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // The decoy itself is untouched by the wipe and opens with its passphrase.
    await withOpenVault(decoy, (decoyVault) => expect(decoyVault.vaultId).toBe(decoyId), Buffer.from(DECOY_PASSPHRASE))
  })

  it('the files do not show whether a duress passphrase is set: every passphrase keyslot has a companion of one size', async () => {
    const plain = await createLockedVault()
    const { real } = await prepareVaults('decoy')
    const companions = (dir: string) =>
      [...settingsOf(dir)].filter(([name]) => name.startsWith(COMPANION_PREFIX)).map(([, value]) => value.length)
    expect(companions(plain.dir)).toHaveLength(1)
    expect(companions(real)).toEqual(companions(plain.dir))
    expect([...settingsOf(real).keys()].filter((name) => !name.startsWith(COMPANION_PREFIX) && name !== 'marker').sort()).toEqual(
      [...settingsOf(plain.dir).keys()].filter((name) => !name.startsWith(COMPANION_PREFIX)).sort(),
    )
  })

  it('a passphrase change turns the duress passphrase off (its companion becomes random again)', async () => {
    const { real } = await prepareVaults('decoy')
    await withOpenVault(real, (vault) => vault.changePassphrase(TEST_PASSPHRASE, Buffer.from('a brand new passphrase here')))
    const vault = await openVault(real, Buffer.from('a brand new passphrase here'), { sodium })
    try {
      expect(vault.getProtection().duress.on).toBe(false)
    } finally {
      vault.lock()
    }
    await expect(openVault(real, Buffer.from(DECOY_PASSPHRASE), { sodium })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
  })

  it('both ways take the same time as an ordinary unlock (20 rounds of real unlocks at the default KDF, within 10 %)', async () => {
    // The default Argon2id cost (256 MiB, 3 passes), as users have it: what could tell the paths apart is the decoy's
    // own check after the derivation and, for "erase", the keyslots' destruction; both must stay inside the 10 %.
    const decoy = await createLockedVault(undefined, Buffer.from(DECOY_PASSPHRASE))
    const makeReal = async (action: 'decoy' | 'wipe'): Promise<string> => {
      const dir = path.join(root, `vault-${++counter}`)
      const { vault } = await createVault(dir, TEST_PASSPHRASE, { sodium, kdf: DEFAULT_KDF })
      await vault.setDuressPassphrase(Buffer.from(DECOY_PASSPHRASE), { decoyDir: decoy.dir, action, keepRecovery: false })
      vault.lock()
      return dir
    }
    const real = await makeReal('decoy')
    // An erase can happen once per vault: each try gets its own copy of a vault whose duress passphrase erases.
    const erasing = await makeReal('wipe')
    const copies = Array.from({ length: 40 }, (_, i) => {
      const copy = `${erasing}-copy-${i}`
      fs.cpSync(erasing, copy, { recursive: true })
      return copy
    })
    const times = { ordinary: [] as number[], decoy: [] as number[], wipe: [] as number[] }
    const time = async (dir: string, passphrase: Buffer): Promise<number> => {
      const started = process.hrtime.bigint()
      const vault = await openVault(dir, passphrase, { sodium })
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      vault.lock()
      return ms
    }
    const runs: [keyof typeof times, (copy: number) => Promise<number>][] = [
      ['ordinary', () => time(real, TEST_PASSPHRASE)],
      ['decoy', () => time(real, Buffer.from(DECOY_PASSPHRASE))],
      ['wipe', (copy) => time(copies[copy]!, Buffer.from(DECOY_PASSPHRASE))],
    ]
    // 20 rounds. In each, every way is tried twice, interleaved and each in turn first, so a busy moment of the
    // (shared) machine falls on all three alike; a round keeps each way's faster try. The machine's noise only ever adds
    // time (another process, a page fault on Argon2id's fresh 256 MiB), so the faster of two back-to-back tries is the
    // way's own cost — which is what would tell the ways apart.
    for (let i = 0; i < 20; i++) {
      const round: Record<keyof typeof times, number[]> = { ordinary: [], decoy: [], wipe: [] }
      for (let rep = 0; rep < 2; rep++)
        for (let k = 0; k < runs.length; k++) {
          const [way, run] = runs[(i + k + rep) % runs.length]!
          round[way].push(await run(2 * i + rep))
        }
      for (const way of Object.keys(times) as (keyof typeof times)[]) times[way].push(Math.min(...round[way]))
    }
    expect(readWrappedKeys(copies[0]!)).toEqual([])
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
    // Each round's three unlocks ran back to back: the median of the per-round ratios cancels the machine's load drifting
    // between rounds, which separate medians of a shared two-core machine do not.
    const pairedRatio = (duress: number[]) => median(duress.map((ms, i) => ms / times.ordinary[i]!))
    const decoyRatio = pairedRatio(times.decoy)
    const wipeRatio = pairedRatio(times.wipe)
    console.info(
      `unlock medians: ordinary ${median(times.ordinary).toFixed(0)} ms, duress→decoy ${median(times.decoy).toFixed(0)} ms, duress→erase ${median(times.wipe).toFixed(0)} ms; per-round ratio medians: decoy ${decoyRatio.toFixed(3)}, erase ${wipeRatio.toFixed(3)}`,
    )
    console.info(`all times (ms): ${JSON.stringify(Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.map(Math.round)])))}`)
    for (const ratio of [decoyRatio, wipeRatio]) {
      expect(ratio).toBeGreaterThan(0.9)
      expect(ratio).toBeLessThan(1.1)
    }
  }, 900_000)
})
