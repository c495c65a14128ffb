// Tests (core, Node + Debian Chromium + poppler): an exported letter PDF names the letter, the organisation, the kind
// of letter and its language, and nothing in it names the browser or the operating system that printed it; the
// rewrite keeps the fonts embedded and the text as it was.
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderPdfWithChromium } from '../../../electron/core/letters/chromiumPdf'
import { renderLetterExport, renderMergedExports } from '../../../electron/core/letters/letterExport'
import { setLetterPdfMetadata } from '../../../electron/core/letters/pdfMetadata'
import { renderLetterHtml } from '../../../electron/core/letters/render/render'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { loadSampleLetters } from '../../helpers/letterSamples'
import { launchPrinter, savePdf } from '../../helpers/pdfPages'
import { createTempDir } from '../../helpers/vaultTestUtils'

const { fonts } = loadLetterAssets()
/** What Chromium writes about itself and the machine (Creator "Mozilla/5.0 (X11; Linux x86_64) … HeadlessChrome/…"). */
const REVEALING = /chrom|skia|mozilla|webkit|linux|x11|windows|macintosh/i

function pdfinfo(file: string, ...args: string[]): string {
  return execFileSync('pdfinfo', [...args, file], { encoding: 'utf8' })
}

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(info)?.[1]
}

describe('PDF document properties', () => {
  const work = createTempDir()
  let printer: Awaited<ReturnType<typeof launchPrinter>>
  beforeAll(async () => {
    printer = await launchPrinter()
  })
  afterAll(async () => {
    await printer.close()
  })

  it.each(['nb-head-of-government-letter', 'uk-joint-statement'])(
    '%s: Title, Author, Subject and Language are the letter’s, through the running Chromium',
    async (name) => {
      const { template, data } = loadSampleLetters().find((s) => s.name === name)!
      const pdf = await renderLetterExport(template, data, 'pdf', { fonts, printPdf: (html) => printer.print(html) })
      const file = savePdf(work, name, pdf)
      const info = pdfinfo(file)
      expect(infoField(info, 'Title')).toBe(typeof data['subject'] === 'string' ? data['subject'] : '')
      expect(infoField(info, 'Author')).toBe(template.letterhead.organisation)
      expect(infoField(info, 'Subject')).toBe(template.name)
      expect(infoField(info, 'Creator')).toBe('Custodia')
      expect(infoField(info, 'Producer')).toBe('Custodia')
      expect(infoField(info, 'Pages')).toMatch(/^[23]$/)
      expect(info).not.toMatch(REVEALING)
      const xmp = pdfinfo(file, '-meta')
      expect(xmp).toContain(`<dc:language><rdf:Bag><rdf:li>${template.language}</rdf:li></rdf:Bag></dc:language>`)
      expect(xmp).not.toMatch(REVEALING)
      // The catalog's /Lang, and no leftover of the browser's Info dictionary anywhere in the file's objects.
      const raw = fs.readFileSync(file).toString('latin1')
      expect(raw).toContain(`/Lang (${template.language})`)
      expect(raw).not.toMatch(REVEALING)
    },
    60_000,
  )

  it('a letter without a subject line (coalition letter) is titled by its recipients in its own language', async () => {
    const { template, data } = loadSampleLetters().find((s) => s.name === 'coalition-letter')!
    const norwegian = { ...template, language: 'nb-NO' as const }
    const pdf = await renderLetterExport(norwegian, data, 'pdf', { fonts, printPdf: (html) => printer.print(html) })
    const info = pdfinfo(savePdf(work, 'coalition-nb', pdf))
    expect(infoField(info, 'Title')).toBe('Brev – Anna Sample og Erik Muster')
    expect(infoField(info, 'Title')).not.toContain(template.name)
    expect(info).not.toMatch(REVEALING)
  }, 60_000)

  it('the CLI’s Chromium print gets the same properties', async () => {
    const { template, data } = loadSampleLetters().find((s) => s.name === 'head-of-government-letter')!
    const pdf = await renderLetterExport(template, data, 'pdf', {
      fonts,
      printPdf: (html) => renderPdfWithChromium(html, { workDir: work }),
    })
    const info = pdfinfo(savePdf(work, 'cli', pdf))
    expect(infoField(info, 'Title')).toBe(String(data['subject']))
    expect(infoField(info, 'Producer')).toBe('Custodia')
    expect(info).not.toMatch(REVEALING)
  }, 60_000)

  it('mail merge: every recipient’s PDF gets the properties', async () => {
    const { template, data } = loadSampleLetters().find((s) => s.name === 'nb-head-of-government-letter')!
    const recipients = [
      { name: 'Ingrid Eksempelsen', title: 'Statsminister' },
      { name: 'Tor Plassholder', title: 'Utenriksminister' },
    ]
    const files = await renderMergedExports(template, { ...data, recipients }, 'pdf', { fonts, printPdf: (html) => printer.print(html) })
    expect(files).toHaveLength(2)
    for (const { name, bytes } of files) {
      const info = pdfinfo(savePdf(work, `merged-${name}`, bytes))
      expect(infoField(info, 'Author')).toBe('Eksempelkomiteen for menneskerettigheter')
      expect(infoField(info, 'Producer')).toBe('Custodia')
      expect(info).not.toMatch(REVEALING)
    }
  }, 60_000)

  it('appends the properties to Chromium’s bytes as an incremental update that readers take without complaint', async () => {
    const { template, data } = loadSampleLetters().find((s) => s.name === 'uk-joint-statement')!
    const printed = await printer.print(renderLetterHtml(template, data, { fonts, strict: true }).html)
    const meta = { title: 'Заява – «тест»', author: 'Правозахисна група', subject: 'Joint statement', language: 'uk-UA' }
    const updated = await setLetterPdfMetadata(printed, meta)
    // Chromium's bytes are all still there, at the same offsets: only its Info dictionary is blanked, in place.
    expect(updated.length).toBeGreaterThan(printed.length)
    const changed = [...printed].flatMap((byte, i) => (updated[i] === byte ? [] : [i]))
    const oldInfo = printed.toString('latin1').indexOf('HeadlessChrome')
    expect(changed.length).toBeGreaterThan(0)
    expect(changed[0]).toBeLessThan(oldInfo)
    expect(updated.subarray(changed[0]!, changed[changed.length - 1]! + 1).toString('latin1')).toMatch(/^[ <>]+$/)
    expect(updated.subarray(printed.length).toString('latin1')).toMatch(/\/Prev \d+>>\nstartxref\n\d+\n%%EOF\n$/)
    // poppler reads it without a syntax error, and sees the new properties in Cyrillic.
    const file = savePdf(work, 'incremental', updated)
    for (const tool of [
      ['pdfinfo', file],
      ['pdftotext', file, '-'],
    ]) {
      const run = spawnSync(tool[0]!, tool.slice(1), { encoding: 'utf8' })
      expect(run.status).toBe(0)
      expect(run.stderr).toBe('')
    }
    const info = pdfinfo(file)
    expect(infoField(info, 'Title')).toBe(meta.title)
    expect(infoField(info, 'Author')).toBe(meta.author)
    expect(infoField(info, 'Pages')).toBe(infoField(pdfinfo(savePdf(work, 'printed', printed)), 'Pages'))
    expect(pdfinfo(file, '-meta')).toContain('<dc:language><rdf:Bag><rdf:li>uk-UA</rdf:li></rdf:Bag></dc:language>')
    expect(updated.toString('latin1')).not.toMatch(REVEALING)
    // pdf-lib, a second reader, finds the same catalog and properties.
    const reread = await PDFDocument.load(updated, { updateMetadata: false })
    expect(reread.getTitle()).toBe(meta.title)
    expect(reread.getProducer()).toBe('Custodia')
    expect(reread.getPageCount()).toBeGreaterThan(1)
  }, 60_000)

  it('rewrites a PDF without a classic cross-reference table (object streams) whole, with the same properties', async () => {
    const { template, data } = loadSampleLetters().find((s) => s.name === 'standpoint')!
    const printed = await printer.print(renderLetterHtml(template, data, { fonts, strict: true }).html)
    const compressed = await (await PDFDocument.load(printed)).save({ useObjectStreams: true })
    expect(Buffer.from(compressed).toString('latin1')).not.toMatch(/\nxref\n/)
    const file = savePdf(
      work,
      'object-streams',
      await setLetterPdfMetadata(compressed, { title: 'T', author: 'A', subject: 'S', language: 'en-GB' }),
    )
    const info = pdfinfo(file)
    expect(infoField(info, 'Title')).toBe('T')
    expect(infoField(info, 'Producer')).toBe('Custodia')
  }, 60_000)

  it('keeps every font embedded and the text unchanged, and refuses bytes that are not a PDF', async () => {
    const { template, data } = loadSampleLetters().find((s) => s.name === 'uk-joint-statement')!
    const { html } = renderLetterHtml(template, data, { fonts, strict: true })
    const printed = await printer.print(html)
    const before = savePdf(work, 'before', printed)
    const after = savePdf(work, 'after', await setLetterPdfMetadata(printed, { title: 't', author: 'a', subject: 's', language: 'uk-UA' }))
    const fontsOf = (file: string) => execFileSync('pdffonts', [file], { encoding: 'utf8' })
    expect(fontsOf(after)).toBe(fontsOf(before))
    expect(fontsOf(after)).toMatch(/LiberationSerif/)
    expect(fontsOf(after)).not.toMatch(/ no /) // the "emb" column says yes for every font
    const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
    expect(text(after)).toBe(text(before))
    await expect(
      setLetterPdfMetadata(Buffer.from('not a pdf'), { title: 't', author: 'a', subject: 's', language: 'en-GB' }),
    ).rejects.toThrow('could not be read back')
  }, 60_000)
})
