// CLI (Node): the passphrase policy is written once (shared/passphrasePolicy.ts) and core enforces it — a too-short
// bundle or vault passphrase is refused by the app's handlers, by exportBundle itself and by the CLI, with the same
// plain message and nothing written; and a passphrase is encoded one way (NFC) everywhere, so a bundle protected in
// the CLI with decomposed accents opens in the app with composed ones.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIN_BUNDLE_PASSPHRASE_CHARS, MIN_VAULT_PASSPHRASE_CHARS } from '../../shared/passphrasePolicy'
import type { AppServices } from '../../electron/core/app/services'
import { EXIT_CODES } from '../../electron/cli/io'
import { exportBundle } from '../../electron/core/exchange/exportService'
import { encodePassphrase } from '../../electron/core/session/passphrase'
import { callChannel, failChannel, startTestServices, TEST_PASSPHRASE } from '../helpers/appServices'
import { runCustodia } from '../helpers/cli'
import { createTempDir } from '../helpers/vaultTestUtils'

const root = createTempDir()
const dir = path.join(root, 'vault')
const env = { CUSTODIA_PASSPHRASE: TEST_PASSPHRASE }
const SHORT = 'eleven char'
const BUNDLE_REFUSAL = `The bundle passphrase must be at least ${MIN_BUNDLE_PASSPHRASE_CHARS} characters.`
const VAULT_REFUSAL = `The passphrase must be at least ${MIN_VAULT_PASSPHRASE_CHARS} characters.`
let services: AppServices
let saveDialogs = 0
let bundleToOpen = ''

function jobId(): string {
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('')
}

beforeAll(async () => {
  services = await startTestServices(root, {
    chooseSaveLocation: async (name) => {
      saveDialogs += 1
      return path.join(root, name)
    },
    chooseFiles: async () => [bundleToOpen],
  })
  await callChannel(services, 'library:create', {
    document: { kind: 'letter', title: 'Appeal', date: '2026-05-12', text: 'Release them.' },
  })
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

describe('bundle passphrases', () => {
  it('the app refuses a short one before asking where to save, with the plain policy message', async () => {
    expect([...SHORT]).toHaveLength(MIN_BUNDLE_PASSPHRASE_CHARS - 1)
    const failure = await failChannel(services, 'bundles:export', { jobId: jobId(), selection: { all: true }, passphrase: SHORT })
    expect(failure).toEqual({ code: 'VALIDATION', message: BUNDLE_REFUSAL })
    expect(saveDialogs).toBe(0)
  })

  it('exportBundle refuses it for any caller, and writes no file', async () => {
    const out = path.join(root, 'direct.custodia')
    const passphrase = encodePassphrase(SHORT)
    await expect(
      exportBundle(services.session.requireVault(), { selection: { all: true }, passphrase }, { outPath: out }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: BUNDLE_REFUSAL,
    })
    expect(fs.existsSync(out)).toBe(false)
  })

  it('the CLI refuses it with the same message and its VALIDATION exit code, and writes no file', async () => {
    services.session.lock('user')
    const out = path.join(root, 'cli.custodia')
    const result = await runCustodia(['bundle', 'export', dir, '--passphrase-prompt', '--all', '--out', out], {
      env: { ...env, CUSTODIA_BUNDLE_PASSPHRASE: SHORT },
    })
    expect(result.code).toBe(EXIT_CODES.VALIDATION)
    expect(result.stderr).toBe(`custodia: ${BUNDLE_REFUSAL}\n`)
    expect(fs.existsSync(out)).toBe(false)
  })

  it('is encoded as NFC everywhere: made in the CLI with decomposed accents, opened in the app with composed ones', async () => {
    const composed = 'crème brûlée à la café'
    const decomposed = composed.normalize('NFD')
    expect(decomposed).not.toBe(composed)
    bundleToOpen = path.join(root, 'accents.custodia')
    const made = await runCustodia(['bundle', 'export', dir, '--passphrase-prompt', '--all', '--out', bundleToOpen], {
      env: { ...env, CUSTODIA_BUNDLE_PASSPHRASE: decomposed },
    })
    expect(made.stderr).toBe('')
    expect(made.code).toBe(0)
    await services.session.unlock(dir, TEST_PASSPHRASE)
    const opened = await callChannel<{ opened: boolean; token: string }>(services, 'bundles:open', {
      keys: { kind: 'passphrase', passphrase: composed },
    })
    expect(opened.opened).toBe(true)
    await callChannel(services, 'bundles:close', { token: opened.token })
  }, 60_000)
})

describe('vault passphrases', () => {
  it('the app refuses a short one for a new vault and a passphrase change, with the plain policy message', async () => {
    const fresh = path.join(root, 'fresh')
    expect(await failChannel(services, 'vault:create', { dir: fresh, passphrase: SHORT })).toEqual({
      code: 'VALIDATION',
      message: VAULT_REFUSAL,
    })
    expect(fs.existsSync(fresh)).toBe(false)
    // The refused create left the open vault open.
    expect(services.session.isUnlocked()).toBe(true)
    expect(await failChannel(services, 'vault:changePassphrase', { oldPassphrase: TEST_PASSPHRASE, newPassphrase: SHORT })).toEqual({
      code: 'VALIDATION',
      message: VAULT_REFUSAL,
    })
    services.session.lock('user')
    await services.session.unlock(dir, TEST_PASSPHRASE)
  })

  it('the CLI refuses a short one for init and passwd with the same message, and the old passphrase still opens', async () => {
    services.session.lock('user')
    const fresh = path.join(root, 'fresh-cli')
    const init = await runCustodia(['init', fresh], { env: { CUSTODIA_PASSPHRASE: SHORT } })
    expect(init.code).toBe(EXIT_CODES.VALIDATION)
    expect(init.stderr).toBe(`custodia: ${VAULT_REFUSAL}\n`)
    expect(fs.existsSync(path.join(fresh, 'vault.sqlite'))).toBe(false)
    const passwd = await runCustodia(['passwd', dir], { env: { ...env, CUSTODIA_NEW_PASSPHRASE: SHORT } })
    expect(passwd.code).toBe(EXIT_CODES.VALIDATION)
    expect(passwd.stderr).toBe(`custodia: ${VAULT_REFUSAL}\n`)
    expect((await runCustodia(['unlock-check', dir], { env })).code).toBe(0)
  })
})
