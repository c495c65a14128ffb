// Tests (core, Node): the five built-in templates load, validate, are read-only, and render their sample data to
// HTML, plain text and DOCX with every filled field present, in block order.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mammoth from 'mammoth'
import { describe, expect, it } from 'vitest'
import { TemplateSchema, type LetterTemplate } from '../../../../shared/letters/templateModel'
import {
  BUILTIN_TEMPLATE_IDS,
  duplicateTemplate,
  formatLetterDate,
  loadBuiltinTemplates,
  loadLetterFonts,
  renderLetterDocx,
  renderLetterHtml,
  renderLetterText,
} from '../../../../electron/core/letters/render/render'
import { removeSoftHyphens } from '../../../../electron/core/letters/render/typeset'
import { readZipEntry } from './zipEntries'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
const templatesDir = path.join(root, 'resources/templates')
const builtins = loadBuiltinTemplates(templatesDir)
const fonts = loadLetterFonts(path.join(root, 'resources/fonts'))

function readSample(id: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(templatesDir, 'samples', `${id}.json`), 'utf8')) as Record<string, unknown>
}

/** Visible text of an HTML document: no style, no tags, entities decoded, soft hyphens dropped, white space collapsed. */
function htmlToText(html: string): string {
  return removeSoftHyphens(html)
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<title>[\s\S]*?<\/title>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
}

const collapse = (text: string): string => removeSoftHyphens(text).replace(/\s+/g, ' ')
const probeOf = (text: string): string => collapse(text).trim().slice(0, 30)

/**
 * For each block in order, the snippets of the sample's values it must show. Also returns which fields produced
 * a snippet, so the test can check that every filled field is shown.
 */
function buildProbes(template: LetterTemplate, data: Record<string, unknown>): { probes: string[]; shown: Set<string> } {
  const probes: string[] = []
  const shown = new Set<string>()
  const add = (field: string | undefined, texts: string[]): void => {
    if (!field || data[field] === undefined) return
    shown.add(field)
    probes.push(...texts.map(probeOf))
  }
  const names = (field: string): string[] => {
    const value = data[field] as { name: string } | { name: string }[]
    return (Array.isArray(value) ? value : [value]).map((p) => p.name)
  }
  const firstText = (html: string): string =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  for (const block of template.blocks) {
    switch (block.type) {
      case 'letterhead':
        probes.push(template.letterhead.organisation)
        break
      case 'recipients':
      case 'cc':
      case 'signatories':
        add(block.field, names(block.field))
        break
      case 'placeDate':
      case 'dateline':
        if (block.placeField && !block.template) {
          const place = String(data[block.placeField])
          add(block.placeField, [block.type === 'dateline' ? place.toUpperCase() : place])
        }
        add(block.dateField, [formatLetterDate(String(data[block.dateField]), template.language)])
        break
      case 'subject':
      case 'closing':
      case 'salutation':
        if (block.field) add(block.field, [String(data[block.field])])
        break
      case 'body':
        add(block.field, [firstText(String(data[block.field]))])
        // Quotes set into the text: the first follows the text's first paragraph.
        if (block.quotes) add(block.quotes, (data[block.quotes] as string[] | undefined) ?? [])
        break
      case 'requests':
      case 'demands':
      case 'quotes':
      case 'organisations': {
        const intro = /^\{\{(\w+)\}\}$/.exec(block.template ?? '')?.[1] ?? /\{\{#(\w+)\}\}/.exec(block.template ?? '')?.[1]
        if (intro && template.fields.some((f) => f.name === intro)) add(intro, [String(data[intro])])
        add(block.field, (data[block.field] as string[] | undefined) ?? [])
        break
      }
      case 'text':
        for (const match of block.template.matchAll(/\{\{[#^]?\s*(\w+)\s*\}\}/g)) {
          const name = match[1] ?? ''
          if (shown.has(name) || !template.fields.some((f) => f.name === name)) continue
          add(name, [String(data[name]).split('\n')[0] ?? ''])
        }
        break
    }
  }
  return { probes, shown }
}

/** Asserts every probe occurs in `text`, each after the previous one. */
function expectInOrder(text: string, probes: readonly string[]): void {
  let from = 0
  for (const probe of probes) {
    const at = text.indexOf(probe, from)
    expect(at, `"${probe}" missing or out of order`).toBeGreaterThanOrEqual(0)
    from = at + probe.length
  }
}

describe('built-in templates', () => {
  it('loads all five, valid against the schema, frozen and marked built-in', () => {
    expect(builtins.map((t) => t.id)).toEqual([...BUILTIN_TEMPLATE_IDS])
    for (const template of builtins) {
      const raw = JSON.parse(fs.readFileSync(path.join(templatesDir, `${template.id}.json`), 'utf8'))
      expect(TemplateSchema.safeParse(raw).success).toBe(true)
      expect(template.builtIn).toBe(true)
      expect(Object.isFrozen(template)).toBe(true)
      expect(Object.isFrozen(template.blocks[0])).toBe(true)
      expect(() => {
        ;(template as { name: string }).name = 'changed'
      }).toThrow(TypeError)
    }
  })

  it('has the structure each model letter needs', () => {
    const byId = new Map(builtins.map((t) => [t.id, t]))
    const hog = readSample('head-of-government-letter')
    expect(byId.get('head-of-government-letter')?.blocks.map((b) => b.type)).toContain('cc')
    expect((hog.signatories as unknown[]).length).toBe(2)
    const coalition = byId.get('coalition-letter')
    expect(coalition?.blocks.find((b) => b.type === 'requests')?.template).toBe('{{words.weUrgeYou}}')
    expect(coalition?.fields.find((f) => f.name === 'signatory')?.type).toBe('person')
    expect(byId.get('joint-statement')?.blocks.map((b) => b.type)).toEqual(expect.arrayContaining(['requests', 'organisations']))
    expect(byId.get('press-release')?.blocks.map((b) => b.type)).toEqual(expect.arrayContaining(['dateline', 'body', 'demands']))
    expect(byId.get('standpoint')?.blocks.map((b) => b.type)).toContain('demands')
  })

  it('refuses a built-ins folder with a broken template, naming the template and path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
    try {
      for (const id of BUILTIN_TEMPLATE_IDS) fs.copyFileSync(path.join(templatesDir, `${id}.json`), path.join(dir, `${id}.json`))
      const broken = JSON.parse(fs.readFileSync(path.join(dir, 'standpoint.json'), 'utf8'))
      broken.blocks[2].field = 'subjct'
      fs.writeFileSync(path.join(dir, 'standpoint.json'), JSON.stringify(broken))
      expect(() => loadBuiltinTemplates(dir)).toThrow(/standpoint.*blocks\.2\.field: no field named "subjct"/)
      fs.rmSync(path.join(dir, 'press-release.json'))
      expect(() => loadBuiltinTemplates(dir)).toThrow(/press-release is missing/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('embeds the five faces letters use, in HTML and DOCX alike, and not Liberation Sans Italic', async () => {
    const template = builtins.find((t) => t.id === 'press-release') as LetterTemplate
    const data = readSample('press-release')
    const { html } = renderLetterHtml(template, data, { fonts, strict: true })
    const faces = [...html.matchAll(/@font-face\{font-family:'([^']+)';font-weight:(\d+);font-style:(\w+);/g)].map((m) =>
      m.slice(1).join(' '),
    )
    expect(faces).toEqual([
      'Liberation Serif 400 normal',
      'Liberation Serif 700 normal',
      'Liberation Serif 400 italic',
      'Liberation Sans 400 normal',
      'Liberation Sans 700 normal',
    ])
    const docx = await renderLetterDocx(template, data, { fonts, strict: true })
    const fontTable = readZipEntry(docx, 'word/fontTable.xml')
    expect(fontTable.match(/<w:embed\w+ /g)?.length).toBe(5)
    expect(/<w:font w:name="Liberation Sans">[\s\S]*?<\/w:font>/.exec(fontTable)?.[0]).not.toContain('w:embedItalic')
  })

  it('duplicates a built-in as an editable copy with a new id, leaving the original alone', () => {
    const original = builtins[1] as LetterTemplate
    const copy = duplicateTemplate(original)
    expect(copy.id).not.toBe(original.id)
    expect(copy.builtIn).toBe(false)
    expect(copy.name).toBe(`${original.name} (copy)`)
    expect(Object.isFrozen(copy)).toBe(false)
    copy.blocks.push({ type: 'text', template: 'P.S.' })
    expect(original.blocks.length).toBe(copy.blocks.length - 1)
    expect(duplicateTemplate(original, 'my-letter').id).toBe('my-letter')
    expect(() => duplicateTemplate(original, 'Not An Id')).toThrow(/id: must be lower-case/)
  })

  for (const id of BUILTIN_TEMPLATE_IDS) {
    describe(id, () => {
      const template = builtins.find((t) => t.id === id) as LetterTemplate
      const data = readSample(id)
      const { probes, shown } = buildProbes(template, data)

      it('has sample data that fills every field it shows', () => {
        for (const field of template.fields) {
          if (field.type === 'dossierList') continue
          expect(data[field.name], `sample lacks ${field.name}`).toBeDefined()
          expect(shown.has(field.name), `no probe for ${field.name}`).toBe(true)
        }
      })

      it('renders a complete standalone HTML document with the fields in order', () => {
        const { html, unknownPlaceholders } = renderLetterHtml(template, data, { fonts, strict: true })
        expect(unknownPlaceholders).toEqual([])
        expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
        expect(html).toContain(`<html lang="${template.language}">`)
        expect(html).toContain('@page{size:A4')
        expect(html).toMatch(
          /@font-face\{font-family:'Liberation Serif';font-weight:400;font-style:normal;.*src:url\(data:font\/ttf;base64,AAEAAA/,
        )
        expect(html).not.toMatch(/<script|\son\w+=|javascript:/i)
        expect(html).not.toContain('[missing')
        expectInOrder(htmlToText(html), probes)
      })

      it('renders plain text with the fields in the same order', () => {
        const text = renderLetterText(template, data)
        expect(text).not.toMatch(/<\/?[a-z]+[\s>]/)
        expectInOrder(collapse(text), probes)
      })

      it('renders DOCX with the fields in order, real numbering and the letter font', async () => {
        const docx = await renderLetterDocx(template, data)
        const { value } = await mammoth.extractRawText({ buffer: docx })
        expectInOrder(collapse(value), probes)
        const documentXml = readZipEntry(docx, 'word/document.xml')
        const numberingXml = readZipEntry(docx, 'word/numbering.xml')
        expect(readZipEntry(docx, 'word/styles.xml')).toContain('w:ascii="Liberation Serif"')
        expect(documentXml).toContain('<w:pgSz w:w="11906" w:h="16838"')
        const listItems = [...documentXml.matchAll(/<w:numPr>/g)].length
        const blockTypes = template.blocks.map((b) => b.type)
        if (blockTypes.includes('requests')) {
          expect(numberingXml).toContain('w:val="decimal"')
          const field = template.blocks.find((b) => b.type === 'requests') as { field: string }
          expect(listItems).toBeGreaterThanOrEqual((data[field.field] as string[]).length)
        }
        if (blockTypes.includes('demands')) {
          expect(numberingXml).toContain('w:val="bullet"')
          expect(listItems).toBeGreaterThan(0)
        }
        if (blockTypes.includes('subject')) expect(documentXml).toMatch(/<w:pStyle w:val="Heading1"\/>/)
        if (template.blocks.some((b) => b.type === 'text' && b.style === 'title')) {
          expect(documentXml).toMatch(/<w:pStyle w:val="Title"\/>/)
        }
      })
    })
  }
})
