// CLI (Node): the global --verbose flag — the application log's safe events on stderr (command, error class and
// code, exit code, duration), never the passphrase, the title, the vault's path or a message; quiet without it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMANDS } from '../../electron/cli/commands'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { formatLogLine } from '../../electron/core/platform/log/appLog'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { runCustodia } from '../helpers/cli'

const PASSPHRASE = 'PASSMARKER correct horse battery staple'
const TITLE = 'TITLEMARKER Appeal for Nasrin Sotoudeh'
const BODY = 'BODYMARKER the text of the appeal'
const MARKERS = ['PASSMARKER', 'TITLEMARKER', 'Sotoudeh', 'BODYMARKER', 'PATHMARKER']
const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO|WARN|ERROR) /

let work: string
let vaultDir: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-cli-verbose-'))
  vaultDir = join(work, 'PATHMARKER-vault')
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  vault.lock()
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** stderr's log lines, timestamps and durations taken off so they compare exactly. */
function events(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => LINE.test(line))
    .map((line) => line.slice(25).replace(/durationMs=\d+/, 'durationMs=N'))
}

describe('custodia --verbose', () => {
  it('prints the command, exit code and duration, and not the title, body, passphrase or path', async () => {
    const result = await runCustodia(['--verbose', 'add', vaultDir, '--kind', 'note', '--title', TITLE], {
      stdin: BODY,
      env: { CUSTODIA_PASSPHRASE: PASSPHRASE },
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^[0-9a-f-]+\n$/)
    expect(events(result.stderr)).toEqual([
      'INFO cli.started command=add version=0.1.0 platform=' + process.platform,
      'INFO cli.finished exitCode=0 durationMs=N',
    ])
    for (const marker of MARKERS) expect(result.stderr).not.toContain(marker)
  })

  it('names a failure by class and code, wherever the flag stands before `--`', async () => {
    const result = await runCustodia(['unlock-check', vaultDir, '--verbose'], { env: { CUSTODIA_PASSPHRASE: `${PASSPHRASE} wrong` } })
    expect(result.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect(events(result.stderr)).toEqual([
      'INFO cli.started command=unlock-check version=0.1.0 platform=' + process.platform,
      'WARN cli.failed command=unlock-check errorClass=CustodiaError errorCode=WRONG_PASSPHRASE',
      `INFO cli.finished exitCode=${EXIT_CODES.WRONG_PASSPHRASE} durationMs=N`,
    ])
    // The person still gets the plain message, as without --verbose.
    expect(result.stderr).toMatch(/^custodia: .*passphrase/im)
    for (const marker of MARKERS) expect(result.stderr).not.toContain(marker)
  })

  it('stays quiet without the flag', async () => {
    const ok = await runCustodia(['unlock-check', vaultDir], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
    expect(ok.code).toBe(0)
    expect(ok.stderr).toBe('')
    const failed = await runCustodia(['unlock-check', join(work, 'PATHMARKER-nothing')], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
    expect(failed.code).toBe(EXIT_CODES.NOT_A_VAULT)
    expect(events(failed.stderr)).toEqual([])
    expect(failed.stderr.split('\n').filter(Boolean)).toHaveLength(1)
  })

  it('leaves a --verbose after `--` to the command as an argument', async () => {
    const result = await runCustodia(['unlock-check', '--', '--verbose'], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
    expect(result.code).not.toBe(0)
    expect(events(result.stderr)).toEqual([])
  })

  it('can log every command of the table by name', () => {
    for (const command of COMMANDS) {
      const line = formatLogLine(new Date(0), 'info', 'cli.started', { command: command.words.join(' ') })
      expect(line, command.words.join(' ')).not.toContain('[redacted]')
    }
  })
})
