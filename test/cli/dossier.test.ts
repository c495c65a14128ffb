// CLI (Node): `custodia dossier add | ls | show` round trips — single and bulk input, duplicate warnings, JSON-path
// validation errors that write nothing, family contacts held back from `show`, and the example in docs/DOSSIERS.md.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { REPO_ROOT, runCustodia } from '../helpers/cli'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
let work: string
let vaultDir: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-'))
  vaultDir = join(work, 'vault')
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  vault.lock()
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const ls = async () => (await runCustodia(['dossier', 'ls', vaultDir], { env })).stdout.trim().split('\n').filter(Boolean)

describe('custodia dossier', () => {
  it('adds the complete example from docs/DOSSIERS.md as it is, and shows it back without family contacts', async () => {
    const markdown = readFileSync(join(REPO_ROOT, 'docs/DOSSIERS.md'), 'utf8')
    const blocks = [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(blocks).toHaveLength(1)
    const example = JSON.parse(blocks[0]!)

    const added = await runCustodia(['dossier', 'add', vaultDir], { stdin: blocks[0]!, env })
    expect(added.stderr).toBe('')
    expect(added.code).toBe(0)
    const id = added.stdout.trim()
    expect(id).toMatch(/^[0-9a-f]{32}$/)

    const shown = await runCustodia(['dossier', 'show', vaultDir, id], { env })
    expect(shown.code).toBe(0)
    const out = JSON.parse(shown.stdout)
    expect(out).toMatchObject({ id, revision: 1, redacted: ['family'] })
    expect(out.dossier.family.contacts).toEqual([])
    expect(shown.stdout).not.toContain(example.family.contacts[0].email)
    expect(out.dossier.names).toEqual(example.names)
    expect(out.dossier.statusHistory).toEqual(example.statusHistory)
    expect(out.dossier.vulnerability).toEqual(example.vulnerability)

    const full = JSON.parse((await runCustodia(['dossier', 'show', vaultDir, id, '--include-family'], { env })).stdout)
    expect(full.redacted).toEqual([])
    expect(full.dossier).toEqual(example)

    expect(await ls()).toContain(`${id}\tcharged\t${example.names.original}`)
  })

  it('bulk-adds a JSON array (one id per line) and warns about likely duplicates on stderr', async () => {
    const batch = [
      {
        names: { original: 'Алесь Бяляцкі' },
        birth: { year: 1962 },
        category: 'political-prisoner',
        statusHistory: [{ date: '2023-03-03', status: 'convicted' }],
      },
      { names: { original: 'Ekeløve Hansen' }, category: 'other' },
      { names: { original: 'Bialiatski Ales' }, birth: { year: 1962 }, category: 'political-prisoner' },
    ]
    const result = await runCustodia(['dossier', 'add', vaultDir], { stdin: JSON.stringify(batch), env })
    expect(result.code).toBe(0)
    const ids = result.stdout.trim().split('\n')
    expect(ids).toHaveLength(3)
    expect(result.stderr).toMatch(/warning: entry 2 may be the same person as entry 0 \(same name\)/)
    expect(result.stderr).not.toContain('Bialiatski')

    const again = await runCustodia(['dossier', 'add', vaultDir], {
      stdin: JSON.stringify({ names: { original: 'Ekelove Hansen' }, category: 'other' }),
      env,
    })
    expect(again.code).toBe(0)
    expect(again.stderr).toContain(`may be the same person as dossier ${ids[1]}`)

    const lines = await ls()
    expect(lines).toContain(`${ids[0]}\tconvicted\tАлесь Бяляцкі`)
    expect(lines).toContain(`${ids[1]}\tunknown\tEkeløve Hansen`)
  })

  it('names the JSON path of invalid input and adds nothing, not even the valid entries of a batch', async () => {
    const before = await ls()
    const batch = [
      { names: { original: 'Valid Person' }, category: 'other' },
      { names: { original: 'X' }, category: 'other', statusHistory: [{ date: '2023-02-30', status: 'detained' }] },
    ]
    const bad = await runCustodia(['dossier', 'add', vaultDir], { stdin: JSON.stringify(batch), env })
    expect(bad.code).toBe(EXIT_CODES.VALIDATION)
    expect(bad.stderr).toContain('$[1].statusHistory[0].date')
    expect(bad.stdout).toBe('')

    const single = await runCustodia(['dossier', 'add', vaultDir], { stdin: JSON.stringify({ names: { original: 'Y' } }), env })
    expect(single.code).toBe(EXIT_CODES.VALIDATION)
    expect(single.stderr).toContain('$.category')
    expect((await runCustodia(['dossier', 'add', vaultDir], { stdin: '{not json', env })).code).toBe(EXIT_CODES.VALIDATION)
    expect((await runCustodia(['dossier', 'add', vaultDir], { stdin: '[]', env })).code).toBe(EXIT_CODES.VALIDATION)
    expect(await ls()).toEqual(before)
  })

  it('reports unknown ids and wrong passphrases with their exit codes', async () => {
    expect((await runCustodia(['dossier', 'show', vaultDir, 'f'.repeat(32)], { env })).code).toBe(EXIT_CODES.NOT_FOUND)
    expect((await runCustodia(['dossier', 'show', vaultDir, 'nope'], { env })).code).toBe(EXIT_CODES.VALIDATION)
    expect((await runCustodia(['dossier', 'ls', vaultDir], { env: { CUSTODIA_PASSPHRASE: 'wrong passphrase!' } })).code).toBe(
      EXIT_CODES.WRONG_PASSPHRASE,
    )
    expect((await runCustodia(['dossier', 'show', vaultDir], { env })).code).toBe(EXIT_CODES.USAGE)
  })
})
