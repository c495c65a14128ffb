// Tests (core, Node): letters take their letterhead, default signatories and place from the organisation profile —
// in every built-in, in HTML, DOCX and TXT, and through the app's preview and export — and an export that would still
// show a placeholder is refused unless the user confirms.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../../electron/core/app/services'
import { resolveLetter } from '../../../electron/core/letters/letterProfile'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { TEMPLATE_RECORD_KIND } from '../../../electron/core/letters/userTemplates'
import { BUILTIN_TEMPLATE_IDS, renderLetterDocx, renderLetterHtml, renderLetterText } from '../../../electron/core/letters/render/render'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { MIN_KDF } from '../../../electron/core/vault/vault'
import { createTempDir } from '../../helpers/vaultTestUtils'
import { readZipEntry } from './render/zipEntries'

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
const NAME = 'Quillfeather Rights Committee'
const STREET = 'Marrowgate 17'
const CITY = '5003 Bergen'
/** Every placeholder text of the built-ins' letterheads, and the renderer's marker for an empty required field. */
const PLACEHOLDERS = [
  '[Organisation name]',
  '[Street address]',
  '[Postcode and city]',
  '[E-mail address]',
  '[Telephone number]',
  '[missing:',
]
const PROFILE = {
  name: NAME,
  address: `${STREET}\n${CITY}`,
  phone: '+47 55 00 00 00',
  email: 'post@quillfeather.example.org',
  logo: PNG,
  defaultPlace: 'Bergen',
  defaultLanguage: 'en-GB',
  signatories: [{ name: 'Astrid Profilesen', title: 'Secretary General', signature: PNG }],
}

function readSample(id: string): Record<string, unknown> {
  return JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, `../../../resources/templates/samples/${id}.json`), 'utf8'),
  ) as Record<string, unknown>
}

let dir: string
let services: AppServices
const dialog = { saveAs: null as string | null, offered: 0 }

async function call<T = Record<string, unknown>>(channel: string, request: unknown): Promise<T> {
  const result = await services.dispatch(channel, request)
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.value as T
}

/** The text of a DOCX's body and headers, tags removed. */
function docxText(bytes: Buffer): string {
  const parts = ['word/document.xml', 'word/header1.xml', 'word/header2.xml'].flatMap((name) => {
    try {
      return [readZipEntry(bytes, name)]
    } catch {
      return []
    }
  })
  return parts.join('\n').replace(/<[^>]+>/g, '')
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
      chooseSaveLocation: async () => {
        dialog.offered++
        return dialog.saveAs
      },
    },
  })
  await services.session.create(path.join(dir, 'vault'), 'correct horse battery staple')
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('letters with the organisation profile', () => {
  it('refuses to export a letter with a placeholder letterhead before any dialog, unless confirmed', async () => {
    const request = { templateId: 'head-of-government-letter', data: readSample('head-of-government-letter'), format: 'txt' }
    const refused = await services.dispatch('letters:export', request)
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message:
          'The letterhead still says “[Organisation name]” and 4 other placeholders: fill in Settings → Organisation, or confirm to export anyway.',
      },
    })
    expect(dialog.offered).toBe(0)
    dialog.saveAs = path.join(dir, 'confirmed.txt')
    expect(await call('letters:export', { ...request, confirmPlaceholders: true })).toEqual({ path: dialog.saveAs })
    expect(fs.readFileSync(dialog.saveAs, 'utf8')).toContain('[Organisation name]')
  })

  it('names an unknown placeholder of a user template too', async () => {
    const { template } = await call<{ template: { id: string; letterhead: Record<string, string>; blocks: unknown[] } }>(
      'templates:duplicate',
      {
        templateId: 'standpoint',
      },
    )
    const edited = {
      ...template,
      letterhead: { organisation: 'Own Letterhead Org' },
      blocks: [...template.blocks, { type: 'text', template: 'Ref {{reference}}' }],
    }
    // Saving it now is refused, naming the placeholder …
    expect(await services.dispatch('templates:save', { template: edited })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('{{reference}} (block 10, text)') },
    })
    // … but a template stored before that rule still reaches export, where the marker is named.
    const vault = services.session.requireVault()
    const record = vault.listRecords({ kind: TEMPLATE_RECORD_KIND }).find((r) => r.summary['templateId'] === template.id)!
    vault.updateRecord(record.id, { summary: record.summary, body: edited }, { expectedRevision: record.revision })
    const refused = await services.dispatch('letters:export', { templateId: template.id, data: readSample('standpoint'), format: 'txt' })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('The letter still shows “[unknown: reference]”') },
    })
  })

  it('fills every built-in letterhead from the profile in HTML, DOCX and TXT, with no placeholder left', async () => {
    await call('organisation:setProfile', { profile: PROFILE })
    const vault = services.session.requireVault()
    const { builtins, fonts } = loadLetterAssets()
    for (const id of BUILTIN_TEMPLATE_IDS) {
      const { template, data } = resolveLetter(vault, builtins, id, readSample(id))
      const outputs = {
        txt: renderLetterText(template, data),
        html: renderLetterHtml(template, data, { fonts }).html,
        docx: docxText(await renderLetterDocx(template, data, { fonts })),
      }
      for (const [format, text] of Object.entries(outputs)) {
        for (const wanted of [NAME, STREET, CITY]) expect(text, `${id} ${format} shows ${wanted}`).toContain(wanted)
        for (const placeholder of PLACEHOLDERS) expect(text, `${id} ${format} shows ${placeholder}`).not.toContain(placeholder)
      }
      expect(outputs.html, `${id} html logo`).toContain(PNG)
    }
  })

  it("keeps the letter's own signatories and place, and fills them from the profile when empty", () => {
    const vault = services.session.requireVault()
    const { builtins } = loadLetterAssets()
    const sample = readSample('head-of-government-letter')
    const render = (data: Record<string, unknown>): string => {
      const letter = resolveLetter(vault, builtins, 'head-of-government-letter', data)
      return renderLetterText(letter.template, letter.data)
    }
    const own = render(sample)
    expect(own).toContain('Kari Nordmann')
    expect(own).toContain('Oslo')
    expect(own).not.toContain('Astrid Profilesen')
    const { signatories: _s, place: _p, ...rest } = sample
    const filled = render(rest)
    expect(filled).toContain('Astrid Profilesen')
    expect(filled).toContain('Bergen')
    expect(filled).not.toContain('Kari Nordmann')
  })

  it('exports and previews with the letterhead once a profile is set, without asking', async () => {
    dialog.saveAs = path.join(dir, 'with-profile.txt')
    const request = { templateId: 'press-release', data: readSample('press-release'), format: 'txt' }
    expect(await call('letters:export', request)).toEqual({ path: dialog.saveAs })
    const text = fs.readFileSync(dialog.saveAs, 'utf8')
    expect(text).toContain(NAME)
    expect(text).not.toContain('[Organisation name]')
    const { url } = await call<{ url: string }>('letters:preview', { templateId: 'press-release', data: readSample('press-release') })
    const html = services.letterPreviews.getPreview(url)
    expect(html).toContain(NAME)
    expect(html).not.toContain('[Organisation name]')
  })
})
