// CLI (Node): `custodia identity show`, `contacts add|ls`, `bundle export|inspect|verify|import` between two vaults —
// identity files exchanged as files, consent exclusions reported on stderr, passphrase bundles from the environment,
// exit codes for usage errors and a vault that is not a recipient, and imports that are all or nothing: the same bundle
// twice refused (exit 9), an older bundle never over a newer one (kept in the history, with a notice), a bundle with one bad item storing nothing.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createDocument } from '../../electron/core/library/documentService'
import { createDossier } from '../../electron/core/dossiers/dossierService'
import { updateDocument } from '../../electron/core/library/documentService'
import { createVault, MIN_KDF, openVault, type Vault } from '../../electron/core/vault/vault'
import { listBlobFiles, writeCraftedBundle, type CraftedItem } from '../core/exchange/helpers'
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

async function withVaultIn(dir: string, work: (vault: Vault) => void): Promise<void> {
  const vault = await openVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native') })
  try {
    work(vault)
  } finally {
    vault.lock()
  }
}

/** Records, audit entries and blob files of a vault: what a refused import must leave as it was. */
async function countRecords(dir: string): Promise<{ records: number; audit: number; blobs: number }> {
  let counts = { records: 0, audit: 0, blobs: 0 }
  await withVaultIn(dir, (vault) => {
    // Each unlock appends its own entries (vault.unlocked, vault.locked): leave them out of the comparison.
    const audit = vault.audit.list().filter((e) => !e.type.startsWith('vault.') && e.type !== 'bundle.opened').length
    counts = { records: vault.listRecords().length, audit, blobs: listBlobFiles(vault).length }
  })
  return counts
}

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
    expect(r.stdout).toMatch(/^exported 1 item, 0 attachments; 1 left out by consent$/m)
    expect(r.stderr).toContain(`not exported: dossier ${internalId} (Kept Home): consent allows it inside your organisation only`)
    const inspect = await runCustodia(['bundle', 'inspect', bundle])
    expect(inspect.code).toBe(0)
    expect(inspect.stdout).toMatch(/^protection\tx25519$/m)
    expect(inspect.stdout).toMatch(/^x25519 recipients\t1$/m)
  })

  it('verifies and imports in the other vault, signer shown as a verified contact', async () => {
    const v = await runCustodia(['bundle', 'verify', dirs.b!, bundle], { env })
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^OK signature and 1 item verified$/m)
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

  it('the same bundle again: exit 9, the day of the first import in a sentence, nothing changes', async () => {
    const before = await countRecords(dirs.b!)
    const again = await runCustodia(['bundle', 'import', dirs.b!, bundle, '--as-revisions'], { env })
    expect(again.code).toBe(EXIT_CODES.CONFLICT)
    expect(again.stderr).toMatch(/^custodia: This bundle was already imported on \d{1,2} [A-Z][a-z]+ \d{4}\.$/m)
    expect(again.stdout).toBe('')
    expect(await countRecords(dirs.b!)).toEqual(before)
  })

  it('an older bundle --as-revisions after a newer one: exit 0, kept in the history with a notice, the newer content stays current', async () => {
    const older = join(work, 'older.custodia')
    const newer = join(work, 'newer.custodia')
    const exportTo = (out: string) =>
      runCustodia(['bundle', 'export', dirs.a!, '--to', 'Custodia user', '--ids', letterId, '--out', out], { env })
    // Revision 1 was imported above; the older bundle carries revision 2, the newer one revision 3.
    await withVaultIn(dirs.a!, (vault) => {
      updateDocument(vault, letterId, { kind: 'letter', title: 'Appeal', date: '2026-05-12', text: 'Release them soon.' })
    })
    expect((await exportTo(older)).code).toBe(0)
    await withVaultIn(dirs.a!, (vault) => {
      updateDocument(vault, letterId, { kind: 'letter', title: 'Appeal', date: '2026-05-12', text: 'Release them now.' })
    })
    expect((await exportTo(newer)).code).toBe(0)
    const applied = await runCustodia(['bundle', 'import', dirs.b!, newer, '--as-revisions'], { env })
    expect(applied.code).toBe(0)
    expect(applied.stdout.trim()).toBe(`revised\t${letterId}\t2`)
    const kept = await runCustodia(['bundle', 'import', dirs.b!, older, '--as-revisions'], { env })
    expect(kept.code).toBe(0)
    expect(kept.stdout.trim()).toBe(`kept\t${letterId}\t3`)
    expect(kept.stderr).toContain(
      'custodia: An older version of “Appeal” from Viasna was kept in its history; the newer version stays current.',
    )
    await withVaultIn(dirs.b!, (vault) => {
      expect(vault.getRecord(letterId)).toMatchObject({ revision: 4, body: { text: 'Release them now.' } })
      expect(vault.getRecord(letterId, 3).body).toMatchObject({ text: 'Release them soon.' })
      expect(vault.checkIntegrity()).toEqual({ intact: true, problems: [] })
    })
  })

  it('a bundle whose second item is over a vault limit: exit 8, nothing of the first item stored', async () => {
    const crafted = join(work, 'crafted.custodia')
    const first = '3'.repeat(32)
    const form = (i: number) => [0, 1, 2, 3, 4, 5].map((j) => `${'漢字'.repeat(20)}${i}x${j}`).join(' ')
    const a = await openVault(dirs.a!, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native') })
    const b = await openVault(dirs.b!, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native') })
    try {
      const items: CraftedItem[] = [
        {
          kind: 'note',
          id: first,
          body: { kind: 'note', title: 'First', date: null, text: 'First.' },
          attachments: [{ attachmentId: '4'.repeat(32), filename: 'scan.bin', bytes: Buffer.alloc(100_000, 1) }],
        },
        {
          kind: 'dossier',
          id: '5'.repeat(32),
          body: {
            names: {
              original: form(0),
              otherSpellings: Array.from({ length: 50 }, (_, i) => form(i + 1)),
              aliases: Array.from({ length: 50 }, (_, i) => form(i + 100)),
            },
            category: 'political-prisoner',
            consent: 'public',
          },
        },
      ]
      await writeCraftedBundle(a, b, items, crafted)
    } finally {
      a.lock()
      b.lock()
    }
    const before = await countRecords(dirs.b!)
    const r = await runCustodia(['bundle', 'import', dirs.b!, crafted], { env })
    expect(r.code).toBe(EXIT_CODES.VALIDATION)
    expect(r.stderr).toMatch(
      /^custodia: Nothing was imported: item 5{32} of this bundle cannot be stored here: the record summary is larger than 64 KiB\.$/m,
    )
    expect(r.stdout).toBe('')
    expect(await countRecords(dirs.b!)).toEqual(before)
    await withVaultIn(dirs.b!, (vault) => expect(vault.hasRecord(first)).toBe(false))
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

  it('counts in words: "1 item" above, "2 items" for two (never "item(s)")', async () => {
    let secondId = ''
    await withVaultIn(dirs.a!, (vault) => {
      secondId = createDocument(vault, { kind: 'letter', title: 'Second appeal', date: '2026-05-13', text: 'Again.' }).id
    })
    const two = join(work, 'two.custodia')
    const exported = await runCustodia(
      ['bundle', 'export', dirs.a!, '--to', 'Custodia user', '--ids', `${letterId},${secondId}`, '--out', two],
      { env },
    )
    expect(exported.code).toBe(0)
    expect(exported.stdout).toMatch(/^exported 2 items, 0 attachments; 0 left out by consent$/m)
    const verified = await runCustodia(['bundle', 'verify', dirs.b!, two], { env })
    expect(verified.code).toBe(0)
    expect(verified.stdout).toMatch(/^OK signature and 2 items verified$/m)
  })

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
