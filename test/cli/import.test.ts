// CLI (Node): `custodia import <dir> <files…>` on our own fixture letters (and on the real seed letters when their
// folder sits beside the repository) — one line per file with id, kind, date, title — and a bad file that gets its
// own error line and a non-zero exit while the good files still import.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { getDocument } from '../../electron/core/library/documentService'
import { createVault, MIN_KDF, openVault } from '../../electron/core/vault/vault'
import { runCustodia } from '../helpers/cli'
import { describeSeedLetters, OWN_LETTERS, type LetterSet } from '../helpers/letterSets'

const PASSPHRASE = 'import command passphrase'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }

let work: string
let vaultDir: string

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
  vaultDir = path.join(work, 'vault')
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  vault.lock()
})
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

/** Imports a whole letter set with one command; checks each line ([kind, date] and some titles) and the vault. */
async function importLetterSet(set: LetterSet, kindsAndDates: string[][], titles: Record<number, string>): Promise<void> {
  const result = await runCustodia(['import', vaultDir, ...set.paths], { env })
  expect(result.stderr).toBe('')
  expect(result.code).toBe(0)
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
  expect(lines.map((l) => l.slice(1, 3))).toEqual(kindsAndDates)
  for (const [index, title] of Object.entries(titles)) expect(lines[Number(index)]![3]).toBe(title)
  // The ids are real documents with those fields and their originals attached.
  const vault = await openVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native') })
  try {
    for (const [id, kind, date, title] of lines) {
      expect(id).toMatch(/^[0-9a-f]{32}$/)
      expect(getDocument(vault, id!).document).toMatchObject({ kind, date, title })
      expect(vault.listAttachments(id!)).toHaveLength(1)
    }
  } finally {
    vault.lock()
  }
}

describeSeedLetters('custodia import', (seeds) => {
  it('imports the five seed letters, one line each: id, kind, date, title', async () => {
    await importLetterSet(
      seeds,
      [
        ['letter', '2023-03-23'],
        ['statement', '2025-08-12'],
        ['statement', '2025-08-13'],
        ['correspondence', '2025-06-12'],
        ['letter', '2025-05-26'],
      ],
      {
        3: 'Strengthening efforts to protect children and prisoners',
        4: 'Ukraine: Proposal for Norwegian political and diplomatic support to the People First campaign',
      },
    )
  })
})

describe('custodia import', () => {
  it('imports our own fixture letters (English, Norwegian, Ukrainian), one line each: id, kind, date, title', async () => {
    await importLetterSet(
      OWN_LETTERS,
      [
        ['letter', '2024-02-09'],
        ['letter', '2025-04-14'],
        ['correspondence', '2025-01-30'],
        ['statement', '2025-03-18'],
        ['letter', '2025-05-06'],
        ['letter', '2024-03-03'],
        ['statement', '2025-03-19'],
        ['letter', '2024-05-05'],
      ],
      {
        1: 'Dravonia: Request for Norwegian support to an independent prison monitoring mission',
        2: 'More help for the families of detained civilians',
        5: 'Besøk hos fengslede journalister i Dravonia',
        7: 'Доступ адвокатів до затриманих журналістів',
      },
    )
  })

  it('prints an error line naming each bad file, imports the rest and exits non-zero', async () => {
    const bad = path.join(work, 'scan.odt')
    fs.writeFileSync(bad, 'not importable')
    const good = OWN_LETTERS.paths[0]!
    const result = await runCustodia(['import', vaultDir, bad, good, path.join(work, 'missing.txt')], { env })
    expect(result.code).toBe(EXIT_CODES.VALIDATION)
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    expect(result.stdout).toMatch(/^[0-9a-f]{32}\tletter\t2024-02-09\t/)
    const errors = result.stderr.trim().split('\n')
    expect(errors[0]).toBe('custodia: scan.odt: unsupported file type: import accepts .txt, .md, .html, .docx and .pdf files')
    expect(errors[1]).toBe('custodia: missing.txt: the file does not exist')
    expect(errors[2]).toBe('custodia: 2 of 3 files could not be imported')
    expect(result.stderr).not.toContain(work)
  })

  it('needs a vault and at least one file', async () => {
    expect((await runCustodia(['import', vaultDir], { env })).code).toBe(EXIT_CODES.USAGE)
    expect(
      (await runCustodia(['import', vaultDir, OWN_LETTERS.paths[0]!], { env: { CUSTODIA_PASSPHRASE: 'wrong passphrase' } })).code,
    ).toBe(EXIT_CODES.WRONG_PASSPHRASE)
  })
})
