// Tests (core, Node): every built-in template, filled with its sample data, prints to PDF through the same Chromium
// path as `custodia letter render --format pdf`, and the PDF's text (poppler's pdftotext) holds every filled value.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderPdfWithChromium } from '../../../electron/core/letters/chromiumPdf'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { formatLetterDate, renderLetterHtml } from '../../../electron/core/letters/render/render'
import { BUILTIN_TEMPLATE_IDS } from '../../../electron/core/letters/render/builtinTemplates'
import { createTempDir } from '../../helpers/vaultTestUtils'

const SAMPLES = path.resolve(import.meta.dirname, '../../../resources/templates/samples')

/** Every string in the sample data as a person would read it: tags dropped, entities decoded, spaces collapsed. */
function readableValues(value: unknown): string[] {
  if (typeof value === 'string') {
    return value
      .split(/<\/?(?:p|h[1-6]|li|ul|ol|blockquote|br)\b[^>]*>/)
      .map((part) =>
        part
          .replace(/<[^>]*>/g, '')
          .replace(/&amp;/g, '&')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .filter((part) => part.length > 0)
  }
  if (Array.isArray(value)) return value.flatMap(readableValues)
  if (value && typeof value === 'object') return Object.values(value).flatMap(readableValues)
  return []
}

/**
 * Text comparison that ignores how the PDF broke lines and which quote marks typography chose. Chromium keeps the
 * letter's soft hyphens (U+00AD) in the PDF's text and prints a hyphenated line end as U+2010: both go.
 */
function normalise(text: string): string {
  return text
    .replace(/\u2010\n/g, '')
    .replace(/\u00AD/g, '')
    .replace(/[‘’']/g, "'")
    .replace(/[“”"]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
}

describe('built-in templates print to PDF', () => {
  const { builtins, fonts } = loadLetterAssets()
  const work = createTempDir()

  it.each([...BUILTIN_TEMPLATE_IDS])('%s: every filled value is in the PDF text', async (id) => {
    const template = builtins.find((t) => t.id === id)!
    const data = JSON.parse(fs.readFileSync(path.join(SAMPLES, `${id}.json`), 'utf8')) as Record<string, unknown>
    const { html } = renderLetterHtml(template, data, { fonts, strict: true })
    const pdf = await renderPdfWithChromium(html, { workDir: work })
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const file = path.join(work, `${id}.pdf`)
    fs.writeFileSync(file, pdf)
    const text = normalise(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }))
    // Dates print in the letter's language and signature images as pictures: every other value prints as written.
    const all = readableValues(data).filter((v) => !v.startsWith('data:image/'))
    const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v)
    expect(all.length).toBeGreaterThan(3)
    for (const value of all) {
      const printed = isDate(value) ? formatLetterDate(value, template.language) : value
      expect(text, `${id}: ${printed}`).toContain(normalise(printed))
    }
  })
})
