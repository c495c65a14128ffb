// CLI (Node): `templates ls` and `letter render` — the example in docs/LETTERS.md renders as-is (TXT, DOCX, and
// PDF when Chromium is installed); missing fields exit with VALIDATION naming each one and write nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { findChromium } from '../../electron/core/letters/chromiumPdf'
import { duplicateLetterTemplate } from '../../electron/core/letters/userTemplates'
import { loadLetterAssets } from '../../electron/core/letters/resources'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { REPO_ROOT, runCustodia } from '../helpers/cli'
import { readZipEntry } from '../core/letters/render/zipEntries'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
let work: string
let vaultDir: string
let userTemplateId: string

/** The one ```json block of docs/LETTERS.md. */
function readDocExample(): string {
  const blocks = [...readFileSync(join(REPO_ROOT, 'docs/LETTERS.md'), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)]
  expect(blocks).toHaveLength(1)
  return blocks[0]![1]!
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-cli-letters-'))
  vaultDir = join(work, 'vault')
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  userTemplateId = duplicateLetterTemplate(vault, loadLetterAssets().builtins, 'standpoint').id
  vault.lock()
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('custodia templates ls', () => {
  it('prints one line per template: id, name, language, built-in/user', async () => {
    const result = await runCustodia(['templates', 'ls', vaultDir], { env })
    expect(result.code).toBe(0)
    const lines = result.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'))
    expect(lines.map((l) => l[0])).toEqual([
      'head-of-government-letter',
      'coalition-letter',
      'joint-statement',
      'press-release',
      'standpoint',
      userTemplateId,
    ])
    expect(lines[0]).toEqual(['head-of-government-letter', 'Letter to a head of government', 'en-GB', 'built-in'])
    expect(lines[5]).toEqual([userTemplateId, 'Standpoint (copy)', 'en-GB', 'user'])
  })

  it('exits with WRONG_PASSPHRASE for a wrong passphrase', async () => {
    const result = await runCustodia(['templates', 'ls', vaultDir], { env: { CUSTODIA_PASSPHRASE: 'wrong wrong wrong' } })
    expect(result.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
  })
})

describe('custodia letter render', () => {
  it('renders the example of docs/LETTERS.md as-is to TXT and DOCX', async () => {
    const example = readDocExample()
    expect(JSON.parse(example).template).toBe('head-of-government-letter')
    const data = join(work, 'example.json')
    writeFileSync(data, example)

    const txt = join(work, 'example.txt')
    const t = await runCustodia(['letter', 'render', vaultDir, '--data', data, '--format', 'txt', '--out', txt, '--allow-placeholders'], {
      env,
    })
    expect(t).toMatchObject({ code: 0, stderr: '' })
    const text = readFileSync(txt, 'utf8')
    const order = [
      'Prime Minister',
      'Ingrid Examplesen',
      'Tor Placeholder',
      'Oslo',
      '26 May 2025',
      'Detained civilians',
      'Dear Prime Minister Examplesen,',
      'With our best regards,',
      'Kari Nordmann',
      'Ola Testesen',
    ]
    const positions = order.map((s) => text.indexOf(s))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)

    const docx = join(work, 'example.docx')
    const d = await runCustodia(['letter', 'render', vaultDir, '--data', data, '--format', 'docx', '--out', docx, '--allow-placeholders'], {
      env,
    })
    expect(d.code).toBe(0)
    const xml = readZipEntry(readFileSync(docx), 'word/document.xml')
    expect(xml).toContain('Detained civilians: a proposal for diplomatic support')
    expect(xml).toContain('Ola Testesen')
  })

  it.runIf(findChromium() !== null)('renders the example to PDF with the system Chromium', async () => {
    const data = join(work, 'example-pdf.json')
    writeFileSync(data, readDocExample())
    const pdf = join(work, 'example.pdf')
    const result = await runCustodia(
      ['letter', 'render', vaultDir, '--data', data, '--format', 'pdf', '--out', pdf, '--allow-placeholders'],
      { env },
    )
    expect(result.code).toBe(0)
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' })
    expect(text).toContain('Ingrid Examplesen')
    expect(text).toContain('26 May 2025')
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/Page size:.*pts \(A4\)/)
  })

  it('exits with VALIDATION naming each missing required field, writing nothing', async () => {
    const data = join(work, 'partial.json')
    writeFileSync(data, JSON.stringify({ template: 'head-of-government-letter', fields: { subject: 'Only a subject' } }))
    const out = join(work, 'partial.txt')
    const result = await runCustodia(
      ['letter', 'render', vaultDir, '--data', data, '--format', 'txt', '--out', out, '--allow-placeholders'],
      { env },
    )
    expect(result.code).toBe(EXIT_CODES.VALIDATION)
    for (const missing of [
      'Recipient (recipients)',
      'Place (place)',
      'Date (letterDate)',
      'Letter text (body)',
      'Signatories (signatories)',
    ]) {
      expect(result.stderr).toContain(`${missing} is required`)
    }
    expect(result.stderr).not.toContain('Only a subject')
    expect(existsSync(out)).toBe(false)
  })

  it('gives clear errors for bad input: format, template clash, unknown template, malformed JSON, bad value', async () => {
    const data = join(work, 'plain.json')
    writeFileSync(data, JSON.stringify({ subject: 'S', publishedOn: '2025-13-01', body: '<p>x</p>', demands: ['a'] }))
    const out = join(work, 'never.txt')
    const run = (args: string[]) =>
      runCustodia(['letter', 'render', vaultDir, '--data', data, '--out', out, '--allow-placeholders', ...args], { env })

    expect((await run(['--format', 'odt', '--template', 'standpoint'])).code).toBe(EXIT_CODES.USAGE)
    const noTemplate = await run(['--format', 'txt'])
    expect(noTemplate.code).toBe(EXIT_CODES.USAGE)
    expect(noTemplate.stderr).toContain('--template')
    const unknown = await run(['--format', 'txt', '--template', 'no-such-template'])
    expect(unknown.code).toBe(EXIT_CODES.NOT_FOUND)
    const badDate = await run(['--format', 'txt', '--template', 'standpoint'])
    expect(badDate.code).toBe(EXIT_CODES.VALIDATION)
    expect(badDate.stderr).toContain('(publishedOn)')

    writeFileSync(data, '{"template": "standpoint", "fields": ')
    const broken = await run(['--format', 'txt'])
    expect(broken.code).toBe(EXIT_CODES.VALIDATION)
    expect(broken.stderr).toContain('not valid JSON')

    writeFileSync(data, JSON.stringify({ template: 'standpoint', fields: {} }))
    const clash = await run(['--format', 'txt', '--template', 'press-release'])
    expect(clash.code).toBe(EXIT_CODES.VALIDATION)
    expect(existsSync(out)).toBe(false)
  })

  it('renders with a user template from the vault', async () => {
    const data = join(work, 'user.json')
    writeFileSync(
      data,
      JSON.stringify({
        template: userTemplateId,
        fields: { subject: 'Our standpoint', publishedOn: '2025-05-26', body: '<p>Text.</p>', demands: ['Act now.'] },
      }),
    )
    const out = join(work, 'user.txt')
    const result = await runCustodia(
      ['letter', 'render', vaultDir, '--data', data, '--format', 'txt', '--out', out, '--allow-placeholders'],
      { env },
    )
    expect(result.code).toBe(0)
    expect(readFileSync(out, 'utf8')).toContain('Act now.')
  })
})
