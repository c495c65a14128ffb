// CLI (Node): `custodia search` — output format (tab-separated, «marks», flattened newlines), --kind and --limit,
// usage errors, and that the command leaves an encrypted snapshot behind.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDocument } from '../../electron/core/library/documentService'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { EXIT_CODES } from '../../electron/cli/io'
import { runCustodia } from '../helpers/cli'
import { getSnapshotPath } from '../../electron/core/search/snapshot'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { createTempDir } from '../helpers/vaultTestUtils'

const PASSPHRASE = 'correct horse battery staple'
const root = createTempDir()
const dir = path.join(root, 'vault')
const ids: Record<string, string> = {}

async function runSearch(
  argv: string[],
  env: Record<string, string> = { CUSTODIA_PASSPHRASE: PASSPHRASE },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCustodia(['search', ...argv], { env })
}

beforeAll(async () => {
  const { vault } = await createVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  ids['letter'] = createDocument(vault, {
    kind: 'letter',
    title: 'Appeal for Бяляцкі',
    date: '2024-03-01',
    text: 'Dear Minister,\n\twe ask for the release of Алесь Бяляцкі,\nwho is held in a penal colony.',
  }).id
  ids['note'] = createDocument(vault, {
    kind: 'note',
    title: 'Call notes',
    date: null,
    text: 'Spoke about Ales Bialiatski and his health.',
  }).id
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
    expect(
      notes.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual([ids['note']])
    const both = await runSearch([dir, 'Bialiatski', '--kind', 'note', '--kind', 'letter', '--limit', '1'])
    expect(both.stdout.trimEnd().split('\n')).toHaveLength(1)
    expect(both.stderr).toMatch(/1 of 2 hits/)
    expect((await runSearch([dir, 'nothing-like-this'])).stdout).toBe('')
  })

  it('rejects a bad --limit as a usage error before opening the vault', async () => {
    for (const limit of ['0', '201', 'ten', '1.5']) {
      // No passphrase is given: reaching the vault would fail differently ("No passphrase given").
      const result = await runSearch([dir, 'x', '--limit', limit], {})
      expect(result.code).toBe(EXIT_CODES.USAGE)
      expect(result.stderr).toContain('--limit must be a whole number from 1 to 200')
    }
  })
})
