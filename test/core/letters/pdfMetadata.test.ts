// Tests (core, Node + Debian Chromium + poppler): an exported letter PDF names the letter, the organisation, the kind
// of letter and its language, and nothing in it names the browser or the operating system that printed it; the
// rewrite keeps the fonts embedded and the text as it was.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
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
