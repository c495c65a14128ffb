// CLI (Node): `custodia search` — output format (tab-separated, «marks», flattened newlines), --kind and --limit,
// usage errors, and that the command leaves an encrypted snapshot behind. Runs the command from its own table with
// parseArgs exactly as electron/cli/index.ts does (the lead wires it into COMMANDS).
import fs from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { parseArgs } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDocument } from '../../electron/core/documents/documentService'
import { loadSodium } from '../../electron/core/crypto/sodium'
import { searchCommands } from '../../electron/cli/searchCommands'
import { UsageError } from '../../electron/cli/io'
import { getSnapshotPath } from '../../electron/core/search/snapshot'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { createTempDir } from '../helpers/vaultTestUtils'

const PASSPHRASE = 'correct horse battery staple'
const root = createTempDir()
const dir = path.join(root, 'vault')
const ids: Record<string, string> = {}

async function runSearch(argv: string[], env: Record<string, string> = { CUSTODIA_PASSPHRASE: PASSPHRASE }): Promise<{ stdout: string; stderr: string }> {
  const command = searchCommands.find((c) => c.words.join(' ') === 'search')!
  const { values, positionals } = parseArgs({ args: argv, options: command.options ?? {}, allowPositionals: true, strict: true })
  expect(positionals.length).toBe(command.arity)
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')))
  const stdin = new PassThrough()
  stdin.end()
  await command.run({ io: { stdin, stdout, stderr, env }, args: positionals, options: values as Record<string, string | boolean | string[] | undefined> })
  return { stdout: out, stderr: err }
}

beforeAll(async () => {
  const { vault } = await createVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  ids['letter'] = createDocument(vault, {
    kind: 'letter',
    title: 'Appeal for Бяляцкі',
    date: '2024-03-01',
    text: 'Dear Minister,\n\twe ask for the release of Алесь Бяляцкі,\nwho is held in a penal colony.',
  }).id
  ids['note'] = createDocument(vault, { kind: 'note', title: 'Call notes', date: null, text: 'Spoke about Ales Bialiatski and his health.' }).id
  vault.lock()
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describe('custodia search', () => {
  it('prints one tab-separated line per hit with «marks» and flattened whitespace', async () => {
    const { stdout } = await runSearch([dir, 'Bialiatski'])
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    const rows = lines.map((l) => l.split('\t'))
    for (const row of rows) expect(row).toHaveLength(5)
    const letter = rows.find((r) => r[0] === ids['letter'])!
    expect(letter).toEqual([
      ids['letter'],
      'letter',
      '2024-03-01',
      'Appeal for «Бяляцкі»',
      'Dear Minister, we ask for the release of Алесь «Бяляцкі», who is held in a penal colony.',
    ])
    const note = rows.find((r) => r[0] === ids['note'])!
    expect(note.slice(1)).toEqual(['note', '-', 'Call notes', 'Spoke about Ales «Bialiatski» and his health.'])
    // The title hit ranks first.
    expect(rows[0]![0]).toBe(ids['letter'])
    expect(fs.existsSync(getSnapshotPath(dir))).toBe(true)
  })

  it('filters with --kind and limits with --limit, saying how many were left out', async () => {
    const notes = await runSearch([dir, 'Bialiatski', '--kind', 'note'])
    expect(notes.stdout.trimEnd().split('\n').map((l) => l.split('\t')[0])).toEqual([ids['note']])
    const both = await runSearch([dir, 'Bialiatski', '--kind', 'note', '--kind', 'letter', '--limit', '1'])
    expect(both.stdout.trimEnd().split('\n')).toHaveLength(1)
    expect(both.stderr).toMatch(/1 of 2 hits/)
    expect((await runSearch([dir, 'nothing-like-this'])).stdout).toBe('')
  })

  it('rejects a bad --limit as a usage error before opening the vault', async () => {
    for (const limit of ['0', '201', 'ten', '1.5']) {
      await expect(runSearch([dir, 'x', '--limit', limit], {})).rejects.toBeInstanceOf(UsageError)
    }
  })
})
