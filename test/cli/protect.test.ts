// CLI (Node): `custodia protect` — bad input refused before anything changes, the wipe counted across separate
// processes (each wrong try is its own `custodia` process: nothing is remembered in memory between them), the warning
// before the last try, the erase at N, and the duress passphrase set from CUSTODIA_DURESS_PASSPHRASE.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium, type SodiumBackend } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF, readUnlockGuard } from '../../electron/core/vault/vault'
import { REPO_ROOT, runCustodia, type CliResult } from '../helpers/cli'

const PASSPHRASE = 'correct horse battery staple'
const DECOY_PASSPHRASE = 'an ordinary decoy passphrase'
let work: string
let sodium: SodiumBackend
let counter = 0

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-protect-'))
  sodium = await loadSodium('native')
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

async function makeVault(passphrase = PASSPHRASE): Promise<{ dir: string; vaultId: string }> {
  const dir = join(work, `vault-${++counter}`)
  const { vault } = await createVault(dir, new TextEncoder().encode(passphrase), { sodium, kdf: MIN_KDF })
  const vaultId = vault.vaultId
  vault.lock()
  return { dir, vaultId }
}

/** `custodia …argv` in a new Node process, from the sources (as bin/custodia.js runs the built one). */
function runInNewProcess(argv: string[], env: Record<string, string>): CliResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/helpers/cliChild.ts'), ...argv], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: work, TMPDIR: work, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

describe('custodia protect', () => {
  it('refuses --wipe-after outside 3..20 with a plain message, before unlocking, and changes nothing', async () => {
    const { dir } = await makeVault()
    for (const bad of ['2', '21', 'abc', '3.5', '0']) {
      const result = await runCustodia(['protect', dir, '--wipe-after', bad], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
      expect(result.code, bad).toBe(EXIT_CODES.USAGE)
      expect(result.stderr).toContain('--wipe-after must be a whole number from 3 to 20, or off')
    }
    expect(readUnlockGuard(dir)).toMatchObject({ wipeAfter: null })
    const shown = await runCustodia(['protect', dir], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('Wipe after wrong passphrases: off.')
    expect(shown.stdout).toContain('Duress passphrase: not set.')
  })

  it('counts wrong tries across processes, warns before the last one, and erases the keys at N', async () => {
    const { dir } = await makeVault()
    const set = await runCustodia(['protect', dir, '--wipe-after', '3', '--wipe-recovery'], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
    expect(set.code).toBe(0)
    expect(set.stdout).toContain('after 3 wrong tries in a row')
    expect(set.stdout).toContain('nobody will be able to open it again')

    const first = runInNewProcess(['unlock-check', dir], { CUSTODIA_PASSPHRASE: 'wrong one' })
    expect(first.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect(first.stderr).toContain('2 tries left before this vault is erased')
    const second = runInNewProcess(['unlock-check', dir], { CUSTODIA_PASSPHRASE: 'wrong two' })
    expect(second.stderr).toContain('1 try left before this vault is erased')
    const third = runInNewProcess(['unlock-check', dir], { CUSTODIA_PASSPHRASE: 'wrong three' })
    expect(third.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect(third.stderr).toContain("this vault's keys have been erased")
    const right = runInNewProcess(['unlock-check', dir], { CUSTODIA_PASSPHRASE: PASSPHRASE })
    expect(right.code).toBe(EXIT_CODES.FORBIDDEN)
    expect(right.stderr).toContain('nobody can open it any more')
  }, 300_000)

  it('a right passphrase in another process resets the count', async () => {
    const { dir } = await makeVault()
    expect((await runCustodia(['protect', dir, '--wipe-after', '3'], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })).code).toBe(0)
    expect(runInNewProcess(['unlock-check', dir], { CUSTODIA_PASSPHRASE: 'wrong' }).stderr).toContain('2 tries left')
    expect(runInNewProcess(['unlock-check', dir], { CUSTODIA_PASSPHRASE: 'wrong' }).stderr).toContain('1 try left')
    expect(runInNewProcess(['unlock-check', dir], { CUSTODIA_PASSPHRASE: PASSPHRASE }).code).toBe(0)
    expect(runInNewProcess(['unlock-check', dir], { CUSTODIA_PASSPHRASE: 'wrong' }).stderr).toContain('2 tries left')
  }, 300_000)

  it('sets a duress passphrase that opens the decoy, and refuses one that does not open it', async () => {
    const decoy = await makeVault(DECOY_PASSPHRASE)
    const { dir, vaultId } = await makeVault()
    const refused = await runCustodia(['protect', dir, '--duress', '--decoy', decoy.dir], {
      env: { CUSTODIA_PASSPHRASE: PASSPHRASE, CUSTODIA_DURESS_PASSPHRASE: 'not the decoy passphrase' },
    })
    expect(refused.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect(refused.stderr).toContain('does not open the decoy vault')
    const noDecoy = await runCustodia(['protect', dir, '--duress'], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
    expect(noDecoy.code).toBe(EXIT_CODES.USAGE)

    const set = await runCustodia(['protect', dir, '--duress', '--decoy', decoy.dir, '--duress-action', 'wipe'], {
      env: { CUSTODIA_PASSPHRASE: PASSPHRASE, CUSTODIA_DURESS_PASSPHRASE: DECOY_PASSPHRASE },
    })
    expect(set.code).toBe(0)
    expect(set.stdout).toContain("Duress passphrase: set. It erases this vault's keys, then opens the decoy vault.")
    const duress = await runCustodia(['unlock-check', dir], { env: { CUSTODIA_PASSPHRASE: DECOY_PASSPHRASE } })
    expect(duress.code).toBe(0)
    expect(duress.stdout).toBe(`OK ${decoy.vaultId}\n`)
    expect(duress.stdout).not.toContain(vaultId)
    const real = await runCustodia(['unlock-check', dir], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
    expect(real.code).toBe(EXIT_CODES.FORBIDDEN)
  })
})
