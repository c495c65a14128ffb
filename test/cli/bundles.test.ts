// CLI (Node): `custodia identity show`, `contacts add|ls`, `bundle export|inspect|verify|import` between two vaults —
// identity files exchanged as files, consent exclusions reported on stderr, passphrase bundles from the environment,
// and exit codes for usage errors and a vault that is not a recipient.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createDocument } from '../../electron/core/library/documentService'
import { createDossier } from '../../electron/core/dossiers/dossierService'
import { createVault, MIN_KDF, openVault } from '../../electron/core/vault/vault'
import { runCustodia } from '../helpers/cli'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
let work: string
const dirs: Record<string, string> = {}
let letterId: string
let internalId: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-'))
  const sodium = await loadSodium('native')
  for (const name of ['a', 'b', 'c']) {
    dirs[name] = join(work, name)
    const { vault } = await createVault(dirs[name]!, new TextEncoder().encode(PASSPHRASE), { sodium, kdf: MIN_KDF })
    if (name === 'a') {
      letterId = createDocument(vault, { kind: 'letter', title: 'Appeal', date: '2026-05-12', text: 'Release them.' }).id
      internalId = createDossier(vault, { names: { original: 'Kept Home' }, category: 'political-prisoner', consent: 'internal' }).id
    }
    vault.lock()
  }
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('custodia identity, contacts and bundle', () => {
  let bundle: string

  it('exchanges identity files and lists verified contacts with fingerprints', async () => {
    for (const name of ['a', 'b']) {
      const shown = await runCustodia(['identity', 'show', dirs[name]!], { env })
      expect(shown.code).toBe(0)
      expect(shown.stdout).toMatch(/^custodia-identity: 1$/m)
      expect(shown.stdout).not.toMatch(/SECRET/)
      writeFileSync(join(work, `${name}.identity`), shown.stdout)
    }
    const added = await runCustodia(['contacts', 'add', dirs.a!, join(work, 'b.identity'), '--verified'], { env })
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
    expect(added.stdout).toMatch(/^[0-9a-f]{32}\tCustodia user\t([A-Z2-7]{4} ){7}[A-Z2-7]{4}\tverified$/m)
    // Same default name in B: contacts need distinct names, so B names A by flags from A's file.
    const fileA = (await runCustodia(['identity', 'show', dirs.a!], { env })).stdout
    const field = (k: string) => new RegExp(`^${k}: (.*)$`, 'm').exec(fileA)![1]!
    const byFlags = await runCustodia(
      [
        'contacts',
        'add',
        dirs.b!,
        '--name',
        'Viasna',
        '--recipient',
        field('age-recipient'),
        '--signing-key',
        field('signing-key'),
        '--fingerprint',
        field('fingerprint'),
        '--verified',
      ],
      { env },
    )
    expect(byFlags.code).toBe(0)
    const ls = await runCustodia(['contacts', 'ls', dirs.b!], { env })
    expect(ls.stdout.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`\\tViasna\\t\\t${field('fingerprint')}\\tverified$`))])
    const bad = await runCustodia(
      [
        'contacts',
        'add',
        dirs.b!,
        '--name',
        'X',
        '--recipient',
        field('age-recipient'),
        '--signing-key',
        field('signing-key'),
        '--fingerprint',
        'AAAA BBBB CCCC DDDD EEEE FFFF GGGG HHHH',
      ],
      { env },
    )
    expect(bad.code).toBe(EXIT_CODES.VALIDATION)
    expect(bad.stderr).toMatch(/fingerprint does not match/)
  })

  it('exports to a contact by name; consent keeps the internal dossier home and says so', async () => {
    bundle = join(work, 'out.custodia')
    const r = await runCustodia(
      ['bundle', 'export', dirs.a!, '--to', 'Custodia user', '--ids', `${letterId},${internalId}`, '--out', bundle],
      { env },
    )
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^exported 1 item\(s\), 0 attachment\(s\); 1 left out by consent$/m)
    expect(r.stderr).toContain(`not exported: dossier ${internalId} (Kept Home): consent is "internal"`)
    const inspect = await runCustodia(['bundle', 'inspect', bundle])
    expect(inspect.code).toBe(0)
    expect(inspect.stdout).toMatch(/^protection\tx25519$/m)
    expect(inspect.stdout).toMatch(/^x25519 recipients\t1$/m)
  })

  it('verifies and imports in the other vault, signer shown as a verified contact', async () => {
    const v = await runCustodia(['bundle', 'verify', dirs.b!, bundle], { env })
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^signer\tCustodia user\t[A-Z2-7 ]{39}\tverified contact$/m)
    expect(v.stdout).toContain(`${letterId}\tletter\tpartners\tnew\tAppeal`)
    const i = await runCustodia(['bundle', 'import', dirs.b!, bundle], { env })
    expect(i.code).toBe(0)
    expect(i.stdout.trim()).toBe(`created\t${letterId}`)
    const vault = await openVault(dirs.b!, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native') })
    try {
      expect(vault.getRecord(letterId).body).toMatchObject({ title: 'Appeal', text: 'Release them.' })
      expect(vault.audit.list().map((e) => e.type)).toEqual(expect.arrayContaining(['bundle.opened', 'bundle.imported']))
    } finally {
      vault.lock()
    }
  })

  it('a vault that is not a recipient gets exit code 4 and nothing changes', async () => {
    const r = await runCustodia(['bundle', 'import', dirs.c!, bundle], { env })
    expect(r.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect(r.stderr).toMatch(/no identity matches/)
  })

  it('passphrase bundles: the passphrase comes from CUSTODIA_BUNDLE_PASSPHRASE; an unknown signer needs a decision', async () => {
    const out = join(work, 'pass.custodia')
    const penv = { ...env, CUSTODIA_BUNDLE_PASSPHRASE: 'shared over the phone' }
    expect((await runCustodia(['bundle', 'export', dirs.a!, '--passphrase-prompt', '--all', '--out', out], { env: penv })).code).toBe(0)
    expect((await runCustodia(['bundle', 'inspect', out])).stdout).toMatch(/^protection\tpassphrase$/m)
    const refused = await runCustodia(['bundle', 'import', dirs.c!, out, '--passphrase-prompt'], { env: penv })
    expect(refused.code).toBe(EXIT_CODES.VALIDATION)
    expect(refused.stderr).toMatch(/UNKNOWN signer/)
    const ok = await runCustodia(['bundle', 'import', dirs.c!, out, '--passphrase-prompt', '--trust-unknown-signer'], { env: penv })
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain(`created\t${letterId}`)
    const wrong = await runCustodia(['bundle', 'verify', dirs.c!, out, '--passphrase-prompt'], {
      env: { ...env, CUSTODIA_BUNDLE_PASSPHRASE: 'nope' },
    })
    expect(wrong.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
  }, 30_000)

  it('usage errors exit 2 and write nothing', async () => {
    const out = join(work, 'never.custodia')
    expect((await runCustodia(['bundle', 'export', dirs.a!, '--all', '--out', out], { env })).code).toBe(EXIT_CODES.USAGE)
    expect((await runCustodia(['bundle', 'export', dirs.a!, '--to', 'x', '--out', out], { env })).code).toBe(EXIT_CODES.USAGE)
    expect(
      (await runCustodia(['bundle', 'export', dirs.a!, '--to', 'x', '--all', '--profile', 'everything', '--out', out], { env })).code,
    ).toBe(EXIT_CODES.USAGE)
    expect(existsSync(out)).toBe(false)
  })
})
