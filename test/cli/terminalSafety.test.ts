// CLI (Node): nothing the CLI prints from a bundle, a record, a contact or a file can drive the terminal. A bundle
// signed with a name carrying ESC[2K ESC[1G (erase the line, back to column 1) and a right-to-left override used to
// repaint "UNKNOWN signer" away (issue #19); titles and names with such characters are shown visibly in every listing,
// each field stays in its column and line, and --json keeps the exact text as JSON escapes.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDocument } from '../../electron/core/library/documentService'
import { createDossier } from '../../electron/core/dossiers/dossierService'
import { IDENTITY_RECORD_KIND, loadOwnIdentity } from '../../electron/core/exchange/identity'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF, type Vault } from '../../electron/core/vault/vault'
import { REPO_ROOT, runCustodia, type CliResult } from '../helpers/cli'
import { createTempDir } from '../helpers/vaultTestUtils'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
const bundleEnv = { ...env, CUSTODIA_BUNDLE_PASSPHRASE: 'read to each other over the phone' }
const ESC = '\u001b'
const RLO = '\u202e'
/** The signer name: erase the line, back to column 1, then pretend to be a verified contact; bidi at the end. */
const SPOOF_NAME = `Evil${ESC}[2K${ESC}[1GTrusted Org \u2066AAAA\u2069 verified contact${RLO}`
/** A title that would recolour the terminal, set its window title, start a new line and reverse what follows. */
const SPOOF_TITLE = `Report ${ESC}[31mred${ESC}]0;pwned\u0007\nsecond line\t${RLO}cod.exe\u009b2J\u200b`
/** Every byte or character that must not reach the terminal raw: C0 (other than LF and tab), DEL, C1, bidi, invisible. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/

const root = createTempDir()
const sender = path.join(root, 'sender')
const receiver = path.join(root, 'receiver')
const bundle = path.join(root, 'spoof.custodia')
let letterId: string
let dossierId: string

/** Stands in for a partner's modified client: the identity name is stored as-is, past the checks of our own UI. */
function renameIdentityRaw(vault: Vault, name: string): void {
  loadOwnIdentity(vault)
  const [row] = vault.listRecords({ kind: IDENTITY_RECORD_KIND })
  const body = vault.getRecord<Record<string, unknown>>(row!.id).body
  vault.updateRecord(row!.id, { summary: { v: 1 }, body: { ...body, name } })
}

function expectNoRawControl(result: CliResult): void {
  expect(result.stdout).not.toMatch(RAW_CONTROL)
  expect(result.stderr).not.toMatch(RAW_CONTROL)
}

beforeAll(async () => {
  const sodium = await loadSodium('native')
  const a = (await createVault(sender, new TextEncoder().encode(PASSPHRASE), { sodium, kdf: MIN_KDF })).vault
  renameIdentityRaw(a, SPOOF_NAME)
  letterId = createDocument(a, { kind: 'letter', title: SPOOF_TITLE, date: '2026-01-02', text: `Body ${ESC}[2J cleared` }).id
  dossierId = createDossier(a, { names: { original: `Ales ${RLO}ikstaylaiB` }, category: 'political-prisoner', consent: 'public' }).id
  a.lock()
  ;(await createVault(receiver, new TextEncoder().encode(PASSPHRASE), { sodium, kdf: MIN_KDF })).vault.lock()
  const exported = await runCustodia(['bundle', 'export', sender, '--passphrase-prompt', '--ids', letterId, '--out', bundle], {
    env: bundleEnv,
  })
  expect(exported.code).toBe(0)
  expectNoRawControl(exported)
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describe('terminal safety of the CLI output', () => {
  it('bundle verify: the spoofing signer name is shown visibly and UNKNOWN signer stays on its line', async () => {
    const result = await runCustodia(['bundle', 'verify', receiver, bundle, '--passphrase-prompt'], { env: bundleEnv })
    expect(result.code).toBe(0)
    expectNoRawControl(result)
    const signerLines = result.stdout.split('\n').filter((l) => l.startsWith('signer\t'))
    expect(signerLines).toHaveLength(1)
    const [, name, fingerprint, status] = signerLines[0]!.split('\t')
    expect(name).toBe('Evil␛[2K␛[1GTrusted Org \ufffdAAAA\ufffd verified contact\ufffd')
    expect(fingerprint).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/)
    expect(status).toBe('UNKNOWN signer (not in your contacts)')
    expect(result.stdout).toContain(`${letterId}\tletter\tpartners\tnew\tReport ␛[31mred␛]0;pwned␇ second line \ufffdcod.exe\ufffd2J\ufffd`)
    expect(result.stderr).toMatch(/^custodia: warning: the signer is not in your contacts/m)
  })

  it('bundle import: the signer line on stderr is visible too, and still says UNKNOWN signer', async () => {
    const result = await runCustodia(['bundle', 'import', receiver, bundle, '--passphrase-prompt'], { env: bundleEnv })
    expectNoRawControl(result)
    const line = result.stderr.split('\n').find((l) => l.startsWith('custodia: signer '))
    expect(line).toMatch(
      /^custodia: signer Evil␛\[2K␛\[1GTrusted Org .* verified contact\ufffd ([A-Z2-7]{4} ){7}[A-Z2-7]{4}: UNKNOWN signer/,
    )
  })

  it('ls, search, files-like listings: the title is one visible field in its column', async () => {
    const ls = await runCustodia(['ls', sender], { env })
    expect(ls.code).toBe(0)
    expectNoRawControl(ls)
    const row = ls.stdout
      .split('\n')
      .map((l) => l.split('\t'))
      .find((r) => r[0] === letterId)
    expect(row).toEqual([letterId, 'letter', '2026-01-02', 'Report ␛[31mred␛]0;pwned␇ second line \ufffdcod.exe\ufffd2J\ufffd'])

    const search = await runCustodia(['search', sender, 'pwned'], { env })
    expect(search.code).toBe(0)
    expectNoRawControl(search)
    const hits = search.stdout.trimEnd().split('\n')
    expect(hits).toHaveLength(1)
    expect(hits[0]!.split('\t')).toHaveLength(5)
    expect(hits[0]).toContain('\ufffdcod.exe')

    const dossiers = await runCustodia(['dossier', 'ls', sender], { env })
    expectNoRawControl(dossiers)
    expect(dossiers.stdout).toContain(`${dossierId}\t`)
    expect(dossiers.stdout).toContain('Ales \ufffdikstaylaiB')
  })

  it('cat prints the body visibly; cat --json and dossier show keep the exact text as JSON escapes', async () => {
    const text = await runCustodia(['cat', sender, letterId], { env })
    expectNoRawControl(text)
    expect(text.stdout).toBe('Body ␛[2J cleared\n')

    const json = await runCustodia(['cat', sender, letterId, '--json'], { env })
    expectNoRawControl(json)
    expect(json.stdout).toContain('\\u202e')
    expect((JSON.parse(json.stdout) as { summary: { title: string } }).summary.title).toBe(SPOOF_TITLE)

    const shown = await runCustodia(['dossier', 'show', sender, dossierId], { env })
    expectNoRawControl(shown)
    expect((JSON.parse(shown.stdout) as { dossier: { names: { original: string } } }).dossier.names.original).toBe(`Ales ${RLO}ikstaylaiB`)
  })

  it('contacts: a partner name with a bidi override is listed visibly', async () => {
    const identity = await runCustodia(['identity', 'show', sender], { env })
    expectNoRawControl(identity)
    const field = (k: string) => new RegExp(`^${k}: (.*)$`, 'm').exec(identity.stdout)![1]!
    const added = await runCustodia(
      [
        'contacts',
        'add',
        receiver,
        '--name',
        `Partner ${RLO}gro`,
        '--recipient',
        field('age-recipient'),
        '--signing-key',
        field('signing-key'),
      ],
      { env },
    )
    expect(added.code).toBe(0)
    expectNoRawControl(added)
    const ls = await runCustodia(['contacts', 'ls', receiver], { env })
    expectNoRawControl(ls)
    expect(ls.stdout).toContain('\tPartner \ufffdgro\t')
  })

  it('no command writes to stdout or stderr except through io.ts, which makes every line terminal-safe', () => {
    const cliDir = path.join(REPO_ROOT, 'electron/cli')
    for (const name of fs.readdirSync(cliDir)) {
      if (name === 'io.ts') continue
      const source = fs.readFileSync(path.join(cliDir, name), 'utf8')
      expect(source, name).not.toMatch(/\.(stdout|stderr)\.write\(|console\.(log|error|warn|info)\(/)
    }
  })
})
