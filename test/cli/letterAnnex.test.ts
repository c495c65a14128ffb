// CLI (Node): `letter render --data` builds the annex from the data's `cases` (dossier ids), filtered by consent for
// --audience as in the app; an id that names no dossier exits NOT_FOUND (7) naming it and writes nothing; a copy list
// over 40 people needs --allow-long-cc; a 270-row annex prints to PDF with every date on one line.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { findChromium } from '../../electron/core/letters/chromiumPdf'
import { createDossier } from '../../electron/core/dossiers/dossierService'
import { formatLetterDate } from '../../electron/core/letters/render/render'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { REPO_ROOT, runCustodia } from '../helpers/cli'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
const ROWS = 270
let work: string
let vaultDir: string
const ids = { public: '', internal: '', many: [] as string[] }

function person(name: string, consent: 'internal' | 'partners' | 'public', from = '2024-03-01') {
  return {
    names: { original: name },
    category: 'civilian-detainee',
    consent,
    sharePartners: [],
    statusHistory: [{ date: from, status: 'detained' }],
    detentions: [{ facility: 'SIZO-2', location: 'Simferopol', from }],
  }
}

const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'resources/templates/samples/head-of-government-letter.json'), 'utf8')) as Record<
  string,
  unknown
>

/** Writes a data file for the head-of-government letter with the given extra field values. */
function dataFile(name: string, fields: Record<string, unknown>): string {
  const file = join(work, `${name}.json`)
  writeFileSync(file, JSON.stringify({ template: 'head-of-government-letter', fields: { ...sample, ...fields } }))
  return file
}

const render = (data: string, out: string, format: 'txt' | 'pdf', ...extra: string[]) =>
  runCustodia(['letter', 'render', vaultDir, '--data', data, '--format', format, '--out', out, '--allow-placeholders', ...extra], { env })

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-cli-annex-'))
  vaultDir = join(work, 'vault')
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  ids.public = createDossier(vault, person('Public Case Person', 'public')).id
  ids.internal = createDossier(vault, person('Internal Case Person', 'internal')).id
  vault.transaction(() => {
    for (let i = 1; i <= ROWS; i++) {
      const month = String((i % 12) + 1).padStart(2, '0')
      ids.many.push(createDossier(vault, person(`Annex Person ${String(i).padStart(3, '0')}`, 'public', `2023-${month}-1${i % 10}`)).id)
    }
  })
  vault.lock()
}, 120_000)
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('letter render with cases', () => {
  it('prints the annex the data names, filtered for the public unless told otherwise', async () => {
    const data = dataFile('cases', { cases: [ids.public, ids.internal] })
    const out = join(work, 'cases.txt')
    const result = await render(data, out, 'txt')
    expect(result).toMatchObject({ code: 0, stderr: '' })
    const text = readFileSync(out, 'utf8')
    expect(text).toContain('Annex: individual cases')
    expect(text).toContain(`Public Case Person | 1\u00A0March\u00A02024 | `)
    expect(text).not.toContain('Internal Case Person')
    expect(text).toContain('1 further case is not listed')

    const internal = join(work, 'cases-internal.txt')
    expect((await render(data, internal, 'txt', '--audience', 'internal')).code).toBe(0)
    expect(readFileSync(internal, 'utf8')).toContain('Internal Case Person')
  })

  it('exits NOT_FOUND naming an id that is no dossier, and writes nothing', async () => {
    for (const made of ['made-up-id', 'f'.repeat(32)]) {
      const data = dataFile('unknown', { cases: [ids.public, made] })
      const out = join(work, 'unknown.txt')
      const result = await render(data, out, 'txt')
      expect(result.code).toBe(EXIT_CODES.NOT_FOUND)
      expect(EXIT_CODES.NOT_FOUND).toBe(7)
      expect(result.stderr).toContain(`There is no dossier with the id "${made}" in this vault (named in Individual cases, "cases")`)
      expect(existsSync(out)).toBe(false)
    }
  })

  it('refuses a usage mistake in --audience before asking for anything', async () => {
    const data = dataFile('audience', { cases: [ids.public] })
    expect((await render(data, join(work, 'a.txt'), 'txt', '--audience', 'partner')).code).toBe(EXIT_CODES.USAGE)
    expect((await render(data, join(work, 'a.txt'), 'txt', '--audience', 'everyone')).code).toBe(EXIT_CODES.USAGE)
  })
})

describe('letter render with a long copy list', () => {
  const cc = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Copy Person ${i + 1}`, title: 'Minister' }))

  it('refuses more than 40 people, naming the flag, and writes them with --allow-long-cc', async () => {
    const data = dataFile('long-cc', { cc: cc(41) })
    const out = join(work, 'long-cc.txt')
    const refused = await render(data, out, 'txt')
    expect(refused.code).toBe(EXIT_CODES.VALIDATION)
    expect(refused.stderr).toContain('“Copies to” lists 41 people, more than 40')
    expect(refused.stderr).toContain('or add --allow-long-cc to write it anyway.')
    expect(existsSync(out)).toBe(false)
    expect((await render(data, out, 'txt', '--allow-long-cc')).code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('Copy Person 41')
    expect((await render(dataFile('forty', { cc: cc(40) }), join(work, 'forty.txt'), 'txt')).code).toBe(0)
  })

  it('names both flags when the letter also shows a placeholder', async () => {
    const out = join(work, 'both.txt')
    const result = await runCustodia(
      ['letter', 'render', vaultDir, '--data', dataFile('both', { cc: cc(41) }), '--format', 'txt', '--out', out],
      { env },
    )
    expect(result.code).toBe(EXIT_CODES.VALIDATION)
    expect(result.stderr).toContain('or add --allow-placeholders and --allow-long-cc to write it anyway.')
  })
})

describe.runIf(findChromium() !== null)('a long annex in PDF', () => {
  it(`prints all ${ROWS} rows, each date on one line, at full size`, async () => {
    const out = join(work, 'annex.pdf')
    const result = await render(dataFile('many', { cases: ids.many }), out, 'pdf')
    expect(result).toMatchObject({ code: 0 })
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', out, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    for (let i = 1; i <= ROWS; i++) {
      const from = `2023-${String((i % 12) + 1).padStart(2, '0')}-1${i % 10}`
      // -layout keeps each table row on its text line: the whole date must stand on the line of its name.
      const line = text.split('\n').find((l) => l.includes(`Annex Person ${String(i).padStart(3, '0')}`))
      expect(line, `row ${i}`).toBeDefined()
      expect(line!.replace(/\u00A0/g, ' ')).toContain(formatLetterDate(from, 'en-GB'))
    }
    // Printed at 100 %: the table's text is 9.5 pt, the same as in a one-row annex (no shrink to fit).
    const heights = execFileSync('pdftotext', ['-bbox', '-f', '3', '-l', '3', out, '-'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes('>Annex<') || l.includes('>Person<'))
      .map((l) => {
        const [, yMin, yMax] = /yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"/.exec(l) ?? []
        return Number(yMax) - Number(yMin)
      })
    expect(heights.length).toBeGreaterThan(10)
    for (const h of heights) expect(h).toBeGreaterThan(9.5 * 0.95)
  }, 120_000)
})
