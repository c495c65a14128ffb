// Tests (core, Node): the Word structure behind "DOCX equal to the PDF" — the letter's language on the document
// defaults and on every run, a different first page with the continuation line in the header from page 2, the footer
// with PAGE and NUMPAGES fields, signatories side by side in one borderless table row, keep-with-next on the end of
// the text and the closing, and letterCss.ts's line height. The rendered result is checked in docxLayout.test.ts.
import { describe, expect, it } from 'vitest'
import { composeLetter } from '../../../../electron/core/letters/render/compose'
import { buildRunningContent } from '../../../../electron/core/letters/render/letterPages'
import { renderLetterDocx } from '../../../../electron/core/letters/render/render'
import { loadSampleLetters } from '../../../helpers/letterSamples'
import { readZipEntry } from './zipEntries'

const letters = loadSampleLetters()
const nb = letters.find((l) => l.name === 'nb-head-of-government-letter')!

/** Every header or footer part of the document, by file name. */
function readParts(docx: Buffer, kind: 'header' | 'footer'): string[] {
  const parts: string[] = []
  for (let i = 1; i <= 6; i++) {
    try {
      parts.push(readZipEntry(docx, `word/${kind}${i}.xml`))
    } catch {
      // no such part
    }
  }
  return parts
}

/** XML text with entities for < > & " decoded, to compare with plain text. */
const decode = (xml: string) =>
  xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')

/**
 * A paragraph's text as a reader sees it: its runs' text joined, the soft hyphens the typesetter puts between runs
 * (<w:softHyphen/>) left out and no-break spaces read as spaces.
 */
const paragraphText = (paragraph: string): string =>
  [...paragraph.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
    .map((m) => m[1] ?? '')
    .join('')
    .replace(/\u00AD/g, '')
    .replace(/\u00A0/g, ' ')

describe('DOCX structure', () => {
  it.each(letters.map((l) => l.name))('%s: the letter’s language on the document defaults and on every run with text', async (name) => {
    const { template, data } = letters.find((l) => l.name === name)!
    const docx = await renderLetterDocx(template, data, { strict: true })
    const styles = readZipEntry(docx, 'word/styles.xml')
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(styles)?.[0] ?? ''
    expect(defaults).toContain(`<w:lang w:val="${template.language}"/>`)
    const body = readZipEntry(docx, 'word/document.xml')
    const runs = body.match(/<w:r>[\s\S]*?<\/w:r>/g) ?? []
    const textRuns = runs.filter((run) => run.includes('<w:t'))
    expect(textRuns.length).toBeGreaterThan(5)
    for (const run of textRuns) expect(run, run.slice(0, 200)).toContain(`<w:lang w:val="${template.language}"/>`)
  })

  it('prints the continuation line from page 2 and the footer with PAGE / NUMPAGES on every page', async () => {
    const docx = await renderLetterDocx(nb.template, nb.data, { strict: true })
    const body = readZipEntry(docx, 'word/document.xml')
    const running = buildRunningContent(composeLetter(nb.template, nb.data))
    expect(body).toContain('<w:titlePg/>')
    expect(body).toMatch(/<w:headerReference w:type="first"/)
    expect(body).toMatch(/<w:headerReference w:type="default"/)
    expect(body).toMatch(/<w:footerReference w:type="first"/)
    expect(body).toMatch(/<w:footerReference w:type="default"/)
    const headers = readParts(docx, 'header').map(decode)
    expect(headers.filter((h) => h.includes(running.continuation))).toHaveLength(1)
    expect(headers.some((h) => !h.includes('<w:t'))).toBe(true) // the first page's header is empty
    const footers = readParts(docx, 'footer').map(decode)
    expect(footers).toHaveLength(2)
    for (const footer of footers) {
      expect(footer).toContain(running.footer!)
      expect(footer).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/)
      expect(footer).toMatch(/<w:instrText[^>]*>\s*NUMPAGES\s*<\/w:instrText>/)
    }
    // The footer is the page footer only, not also a paragraph at the end of the text.
    expect(decode(body)).not.toContain(running.footer!)
  })

  it('sets signatories side by side in one borderless row, kept with the closing and the end of the text', async () => {
    const docx = await renderLetterDocx(nb.template, nb.data, { strict: true })
    const body = decode(readZipEntry(docx, 'word/document.xml'))
    const tables = body.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? []
    const signatures = tables.find((t) => t.includes('Berit Eksempel'))!
    expect(signatures).toBeDefined()
    const rows = signatures.match(/<w:tr>[\s\S]*?<\/w:tr>|<w:tr [\s\S]*?<\/w:tr>/g) ?? []
    expect(rows.find((r) => r.includes('Berit Eksempel'))).toContain('Ola Prøvesen')
    expect(rows.every((r) => r.includes('<w:cantSplit/>'))).toBe(true)
    const borders = /<w:tblBorders>[\s\S]*?<\/w:tblBorders>/.exec(signatures)?.[0] ?? ''
    for (const side of ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'])
      expect(borders).toMatch(new RegExp(`<w:${side} w:val="none"`))
    // The pictures' lines grow with them: no exact line height on a paragraph holding a picture.
    const pictures = signatures.match(/<w:p>(?:(?!<\/w:p>)[\s\S])*?<w:drawing>[\s\S]*?<\/w:p>/g) ?? []
    expect(pictures).toHaveLength(2)
    for (const p of pictures) expect(p).not.toMatch(/w:lineRule="exact"/)
    const paragraphs = body.match(/<w:p>[\s\S]*?<\/w:p>/g) ?? []
    const closing = paragraphs.findIndex((p) => paragraphText(p) === 'Med vennlig hilsen')
    expect(closing).toBeGreaterThan(0)
    expect(paragraphs[closing]).toContain('<w:keepNext/>')
    // The last paragraph of the text keeps with the closing (at least its last two lines: widow control).
    expect(paragraphs[closing - 1]).toContain('<w:keepNext/>')
    expect(paragraphs[closing - 1]).toContain('<w:widowControl/>')
    expect(paragraphText(paragraphs[closing - 1]!)).toMatch(/bruke den\.$/)
  })

  it('sets the body in 11.5 pt on lines of 1.38 as the PDF does, at least (never clipping)', async () => {
    const docx = await renderLetterDocx(nb.template, nb.data, { strict: true })
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(readZipEntry(docx, 'word/styles.xml'))?.[0] ?? ''
    expect(defaults).toContain('<w:sz w:val="23"/>')
    expect(defaults).toMatch(new RegExp(`<w:spacing [^>]*w:line="${Math.round(11.5 * 1.38 * 20)}"[^>]*w:lineRule="atLeast"`))
  })
})
