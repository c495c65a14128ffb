// CLI (Node): round trips for every vault command, and the specific exit code of each failure.
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { runBuiltCustodia, runCustodia } from '../helpers/cli'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
let work: string
let vaultDir: string

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const full = join(dir, name)
    if (statSync(full).isFile()) out[name] = createHash('sha256').update(readFileSync(full)).digest('hex')
  }
  return out
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-cli-'))
  vaultDir = join(work, 'vault')
  // The vault for most tests is made with the minimum KDF to keep the suite fast; `init` is tested on its own.
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  vault.lock()
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('custodia CLI', () => {
  it('init creates a vault with the default KDF and prints a recovery key once', async () => {
    const dir = join(work, 'fresh')
    const passFile = join(work, 'pass.txt')
    writeFileSync(passFile, `${PASSPHRASE}\n`)
    const result = await runCustodia(['init', dir, '--passphrase-file', passFile])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^Created vault [0-9a-f]+\nRecovery key: \S/)
    expect(readdirSync(dir)).toContain('vault.sqlite')
    const again = await runCustodia(['init', dir], { env })
    expect(again.code).toBe(EXIT_CODES.CONFLICT)
  })

  it('init refuses a short passphrase without creating anything', async () => {
    const dir = join(work, 'short')
    const result = await runCustodia(['init', dir], { env: { CUSTODIA_PASSPHRASE: 'short' } })
    expect(result.code).toBe(EXIT_CODES.VALIDATION)
    expect(() => statSync(join(dir, 'vault.sqlite'))).toThrow()
  })

  it('unlock-check: 0 with the right passphrase, 4 with a wrong one (files untouched), 3 for a non-vault', async () => {
    expect((await runCustodia(['unlock-check', vaultDir], { env })).code).toBe(0)
    const before = snapshot(vaultDir)
    const wrong = await runCustodia(['unlock-check', vaultDir], { env: { CUSTODIA_PASSPHRASE: 'not the passphrase' } })
    expect(wrong.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect(wrong.stderr).toMatch(/passphrase/i)
    expect(snapshot(vaultDir)).toEqual(before)
    const empty = join(work, 'empty')
    mkdirSync(empty)
    expect((await runCustodia(['unlock-check', empty], { env })).code).toBe(EXIT_CODES.NOT_A_VAULT)
    expect((await runCustodia(['unlock-check', join(work, 'missing')], { env })).code).toBe(EXIT_CODES.NOT_A_VAULT)
  })

  it('reports a corrupt vault with its own exit code', async () => {
    const dir = join(work, 'corrupt')
    mkdirSync(dir)
    writeFileSync(join(dir, 'vault.sqlite'), Buffer.alloc(8192, 0x41))
    expect((await runCustodia(['unlock-check', dir], { env })).code).toBe(EXIT_CODES.CORRUPT)
  })

  it('add, ls and cat round-trip a document, with Cyrillic and Norwegian text intact', async () => {
    const body = 'Лист до Прем’єр-міністра.\nKjære statsminister Støre,\n'
    const added = await runCustodia(['add', vaultDir, '--kind', 'letter', '--title', 'Letter to the PM', '--date', '2025-05-26'], {
      stdin: body,
      env,
    })
    expect(added.code).toBe(0)
    const id = added.stdout.trim()
    expect(id).toMatch(/^[0-9a-f]{32}$/)

    const ls = await runCustodia(['ls', vaultDir], { env })
    expect(ls.code).toBe(0)
    expect(ls.stdout.split('\n')).toContain(`${id}\tletter\t2025-05-26\tLetter to the PM`)

    const cat = await runCustodia(['cat', vaultDir, id], { env })
    expect(cat.stdout).toBe(body)
    const json = JSON.parse((await runCustodia(['cat', vaultDir, id, '--json'], { env })).stdout)
    expect(json).toMatchObject({ id, kind: 'letter', revision: 1, body: { title: 'Letter to the PM', text: body } })
  })

  it('add rejects a bad kind or a missing title as usage errors', async () => {
    expect((await runCustodia(['add', vaultDir, '--kind', 'poem', '--title', 'x'], { stdin: 'x', env })).code).toBe(EXIT_CODES.USAGE)
    expect((await runCustodia(['add', vaultDir, '--kind', 'note'], { stdin: 'x', env })).code).toBe(EXIT_CODES.USAGE)
    expect((await runCustodia(['add', vaultDir, '--kind', 'note', '--title', 't', '--date', '26/05/2025'], { stdin: 'x', env })).code).toBe(
      EXIT_CODES.VALIDATION,
    )
  })

  it('attach encrypts a file into the vault; cat of an unknown id is NOT_FOUND', async () => {
    const id = (
      await runCustodia(['add', vaultDir, '--kind', 'note', '--title', 'with file'], { stdin: 'see attachment', env })
    ).stdout.trim()
    const file = join(work, 'evidence.txt')
    const content = 'ATTACHMENT-MARKER-Бяляцкі '.repeat(1000)
    writeFileSync(file, content)
    const attached = await runCustodia(['attach', vaultDir, id, file], { env })
    expect(attached.code).toBe(0)
    expect(attached.stdout).toMatch(new RegExp(`^[0-9a-f]+\t${Buffer.byteLength(content)}\tevidence\\.txt\n$`))
    expect((await runCustodia(['attach', vaultDir, 'f'.repeat(32), file], { env })).code).toBe(EXIT_CODES.NOT_FOUND)
    expect((await runCustodia(['cat', vaultDir, 'f'.repeat(32)], { env })).code).toBe(EXIT_CODES.NOT_FOUND)
  })

  it("files lists a record's attachments; detach deletes one for good, and refuses an id that is not that record's", async () => {
    const doc = (await runCustodia(['add', vaultDir, '--kind', 'letter', '--title', 'two files'], { stdin: 'text', env })).stdout.trim()
    const other = (await runCustodia(['add', vaultDir, '--kind', 'note', '--title', 'elsewhere'], { stdin: 'text', env })).stdout.trim()
    const [a, b] = ['annex-a.txt', 'annex-b.txt'].map((name) => {
      writeFileSync(join(work, name), `${name} `.repeat(100))
      return join(work, name)
    }) as [string, string]
    const idA = (await runCustodia(['attach', vaultDir, doc, a], { env })).stdout.split('\t')[0]!
    const idB = (await runCustodia(['attach', vaultDir, doc, b], { env })).stdout.split('\t')[0]!
    const listed = await runCustodia(['files', vaultDir, doc], { env })
    expect(listed.code).toBe(0)
    expect(listed.stdout).toBe(`${idA}\t1200\tannex-a.txt\n${idB}\t1200\tannex-b.txt\n`)

    // Another record's id and an unknown attachment: NOT_FOUND, nothing deleted.
    expect((await runCustodia(['detach', vaultDir, other, idA], { env })).code).toBe(EXIT_CODES.NOT_FOUND)
    expect((await runCustodia(['detach', vaultDir, doc, 'f'.repeat(32)], { env })).code).toBe(EXIT_CODES.NOT_FOUND)
    expect((await runCustodia(['files', vaultDir, doc], { env })).stdout.split('\n').filter(Boolean)).toHaveLength(2)

    const blobsBefore = Object.keys(snapshot(vaultDir)).filter((name) => name.includes(idA))
    expect(blobsBefore).toHaveLength(1)
    const detached = await runCustodia(['detach', vaultDir, doc, idA], { env })
    expect(detached.code).toBe(0)
    expect(detached.stdout).toBe(`deleted ${idA}\n`)
    expect((await runCustodia(['files', vaultDir, doc], { env })).stdout).toBe(`${idB}\t1200\tannex-b.txt\n`)
    // The encrypted blob is gone from the disk too, and the audit log records it.
    expect(Object.keys(snapshot(vaultDir)).filter((name) => name.includes(idA))).toEqual([])
    expect((await runCustodia(['audit', 'verify', vaultDir], { env })).code).toBe(0)
  })

  it('passwd re-wraps the key: the new passphrase opens, the old one fails', async () => {
    const dir = join(work, 'passwd')
    const { vault } = await createVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
    vault.lock()
    const changed = await runCustodia(['passwd', dir], {
      env: { CUSTODIA_PASSPHRASE: PASSPHRASE, CUSTODIA_NEW_PASSPHRASE: 'a brand new passphrase 2025' },
    })
    expect(changed.code).toBe(0)
    expect((await runCustodia(['unlock-check', dir], { env })).code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect((await runCustodia(['unlock-check', dir], { env: { CUSTODIA_PASSPHRASE: 'a brand new passphrase 2025' } })).code).toBe(0)
  })

  it('audit verify reports the chain intact', async () => {
    const result = await runCustodia(['audit', 'verify', vaultDir], { env })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^OK \d+ entries\n$/)
  })

  it('without a passphrase source and no terminal, it explains how to give one (usage error)', async () => {
    const result = await runCustodia(['ls', vaultDir])
    expect(result.code).toBe(EXIT_CODES.USAGE)
    expect(result.stderr).toContain('CUSTODIA_PASSPHRASE')
  })

  it('rejects unknown commands and options with a usage error', async () => {
    expect((await runCustodia(['frobnicate'])).code).toBe(EXIT_CODES.USAGE)
    expect((await runCustodia(['ls', vaultDir, '--colour'], { env })).code).toBe(EXIT_CODES.USAGE)
    expect((await runCustodia(['ls'], { env })).code).toBe(EXIT_CODES.USAGE)
  })

  it('the built binary runs the same commands and exit codes', () => {
    const ok = runBuiltCustodia(['ls', vaultDir], { env })
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('\tletter\t2025-05-26\tLetter to the PM')
    expect(runBuiltCustodia(['unlock-check', vaultDir], { env: { CUSTODIA_PASSPHRASE: 'wrong passphrase!' } }).code).toBe(
      EXIT_CODES.WRONG_PASSPHRASE,
    )
    expect(runBuiltCustodia(['--help']).stdout).toContain('audit verify <dir>')
  })
})
