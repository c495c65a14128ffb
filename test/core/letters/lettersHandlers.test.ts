// Tests (core, Node): the letters IPC area through the real dispatcher and services — preview into the store,
// export with the (fake) save dialog, refusal of incomplete letters before any dialog, mail merge, lock clears.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../../electron/core/app/services'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { findChromium, renderPdfWithChromium } from '../../../electron/core/letters/chromiumPdf'
import { MIN_KDF } from '../../../electron/core/vault/vault'
import { createTempDir } from '../../helpers/vaultTestUtils'

const sample = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../resources/templates/samples/head-of-government-letter.json'), 'utf8'),
) as Record<string, unknown>

let dir: string
let services: AppServices
const dialog = { saveAs: null as string | null, folder: null as string | null, offered: [] as string[] }

async function call<T = Record<string, unknown>>(channel: string, request: unknown): Promise<T> {
  const result = await services.dispatch(channel, request)
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.value as T
}

beforeAll(async () => {
  dir = createTempDir()
  services = createAppServices({
    userDataDir: path.join(dir, 'user'),
    sodium: await loadSodium('native'),
    kdf: MIN_KDF,
    app: { name: 'Custodia', version: 'test', platform: process.platform },
    platform: {
      chooseFolder: async () => null,
      chooseFiles: async () => [],
      chooseSaveLocation: async (name) => {
        dialog.offered.push(name)
        return dialog.saveAs
      },
      chooseExportFolder: async () => dialog.folder,
      // Where the CLI prints: the vault's tmp/ folder (created with the vault below, before any print).
      renderPdf: (html) => renderPdfWithChromium(html, { workDir: path.join(dir, 'vault', 'tmp') }),
    },
  })
  await services.session.create(path.join(dir, 'vault'), 'correct horse battery staple')
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('letters IPC', () => {
  it('previews an incomplete letter into the store and reports what is missing', async () => {
    const { url, report } = await call<{ url: string; report: { missing: { field: string }[] } }>('letters:preview', {
      templateId: 'head-of-government-letter',
      data: { subject: 'Preview <b>subject</b>' },
    })
    expect(url).toMatch(/^\/letter-preview\/[0-9a-f]{32}$/)
    const html = services.letterPreviews.getPreview(url)!
    expect(html).toContain('Preview &lt;b&gt;subject&lt;/b&gt;')
    expect(html).not.toMatch(/<script/i)
    expect(report.missing.map((m) => m.field)).toEqual(['recipients', 'place', 'letterDate', 'body', 'signatories'])
  })

  it('refuses to export an incomplete letter before any dialog, naming each missing field', async () => {
    dialog.offered.length = 0
    const result = await services.dispatch('letters:export', {
      templateId: 'head-of-government-letter',
      data: { subject: 'x' },
      format: 'txt',
      confirmPlaceholders: true,
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    const message = (result as { error: { message: string } }).error.message
    for (const label of [
      'Recipient (recipients)',
      'Place (place)',
      'Date (letterDate)',
      'Letter text (body)',
      'Signatories (signatories)',
    ]) {
      expect(message).toContain(label)
    }
    expect(dialog.offered).toEqual([])
  })

  it('exports TXT and DOCX where the dialog says, offering a name from the subject; cancel writes nothing', async () => {
    dialog.saveAs = path.join(dir, 'out.txt')
    expect(
      await call('letters:export', { templateId: 'head-of-government-letter', data: sample, format: 'txt', confirmPlaceholders: true }),
    ).toEqual({
      path: dialog.saveAs,
    })
    expect(dialog.offered.at(-1)).toMatch(/^Detained civilians a proposal for diplomatic support to the.*\.txt$/)
    const text = fs.readFileSync(dialog.saveAs, 'utf8')
    expect(text).toContain('26 May 2025')
    expect(text).toContain('Kari Nordmann')

    dialog.saveAs = path.join(dir, 'out.docx')
    await call('letters:export', { templateId: 'head-of-government-letter', data: sample, format: 'docx', confirmPlaceholders: true })
    expect(fs.readFileSync(dialog.saveAs).subarray(0, 2).toString('latin1')).toBe('PK')

    dialog.saveAs = null
    expect(
      await call('letters:export', { templateId: 'head-of-government-letter', data: sample, format: 'txt', confirmPlaceholders: true }),
    ).toEqual({ path: null })
  })

  it.runIf(findChromium() !== null)('exports a PDF through the platform printer', async () => {
    dialog.saveAs = path.join(dir, 'out.pdf')
    await call('letters:export', { templateId: 'head-of-government-letter', data: sample, format: 'pdf', confirmPlaceholders: true })
    expect(fs.readFileSync(dialog.saveAs).subarray(0, 5).toString('latin1')).toBe('%PDF-')
  })

  it('mail-merges one file per recipient into the chosen folder, and refuses to overwrite', async () => {
    const folder = path.join(dir, 'merge')
    fs.mkdirSync(folder)
    dialog.folder = folder
    const recipients = [
      { name: 'Ada Lovelace', title: 'Minister', salutation: 'Dear Minister Lovelace,' },
      { name: 'Ivan Franko', title: 'Ambassador' },
    ]
    const result = await call<{ dir: string; files: string[] }>('letters:merge', {
      templateId: 'head-of-government-letter',
      data: { ...sample, recipients },
      format: 'txt',
      confirmPlaceholders: true,
    })
    expect(result.files).toEqual(['01-Ada Lovelace.txt', '02-Ivan Franko.txt'])
    const first = fs.readFileSync(path.join(folder, result.files[0]!), 'utf8')
    const second = fs.readFileSync(path.join(folder, result.files[1]!), 'utf8')
    expect(first).toContain('Dear Minister Lovelace,')
    expect(first).not.toContain('Ivan Franko')
    expect(second).toContain('Ivan Franko')
    expect(second).not.toContain('Ada Lovelace')
    const again = await services.dispatch('letters:merge', {
      templateId: 'head-of-government-letter',
      data: { ...sample, recipients },
      format: 'txt',
      confirmPlaceholders: true,
    })
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } })
    const single = await services.dispatch('letters:merge', {
      templateId: 'head-of-government-letter',
      data: sample,
      format: 'txt',
      confirmPlaceholders: true,
    })
    expect(single).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'Mail merge needs at least two recipients.' } })
  })

  it('drafts round-trip over IPC; a template imported from JSON is offered with the built-ins', async () => {
    const saved = await call<{ id: string; revision: number }>('letters:saveDraft', {
      templateId: 'head-of-government-letter',
      data: sample,
    })
    const draft = await call<{ letterData: unknown; status: string }>('letters:getDraft', { id: saved.id })
    expect(draft).toMatchObject({ status: 'draft', letterData: sample })
    const { template } = await call<{ template: { id: string } }>('templates:duplicate', { templateId: 'standpoint' })
    const { templates } = await call<{ templates: { id: string; builtIn: boolean }[] }>('letters:listTemplates', {})
    expect(templates.at(-1)).toEqual(expect.objectContaining({ id: template.id, builtIn: false }))
    const bad = await services.dispatch('templates:import', { json: '{"id": 3}' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
  })

  it('forgets previews on lock, and refuses letter calls while locked', async () => {
    const { url } = await call<{ url: string }>('letters:preview', { templateId: 'standpoint', data: {} })
    expect(services.letterPreviews.getPreview(url)).not.toBeNull()
    services.session.lock('user')
    expect(services.letterPreviews.getPreview(url)).toBeNull()
    expect(await services.dispatch('letters:preview', { templateId: 'standpoint', data: {} })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    })
  })
})
