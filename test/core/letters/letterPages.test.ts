// Tests (core, Node + Debian Chromium): what a printed letter repeats on its pages and where its pages break.
// Every built-in sample and the real-length letters of test/fixtures/letters-long print with "n / N" and the footer on
// every page and the continuation line from page 2 on; the closing never leaves the signatures or the last lines of
// the text, a signatory list never splits, a heading never ends a page — checked while the text grows line by line
// across a page end. The CLI's `chromium --print-to-pdf` prints the same pages as the running Chromium the app uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderPdfWithChromium } from '../../../electron/core/letters/chromiumPdf'
import { composeLetter } from '../../../electron/core/letters/render/compose'
import { buildPageMarginCss, buildRunningContent, cssString, shortenText } from '../../../electron/core/letters/render/letterPages'
import { splitLastBlocks } from '../../../electron/core/letters/render/letterHtml'
import { renderLetterHtml } from '../../../electron/core/letters/render/render'
import { letterPdfMetadata } from '../../../electron/core/letters/letterExport'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import type { LetterData, LetterTemplate } from '../../../shared/letters/templateModel'
import { loadSampleLetters, type SampleLetter } from '../../helpers/letterSamples'
import { bodyBlocks, contentLines, countPdfPages, launchPrinter, readPdfPages, savePdf, squash } from '../../helpers/pdfPages'
import { createTempDir } from '../../helpers/vaultTestUtils'

const { fonts } = loadLetterAssets()
const samples = loadSampleLetters()
const sample = (name: string): SampleLetter => samples.find((s) => s.name === name)!

/** The plain text of the headings (h1, h2) in a letter's HTML. */
const headingsOf = (html: string): string[] =>
  [...html.matchAll(/<h[12][^>]*>([\s\S]*?)<\/h[12]>/g)].map((m) => squash((m[1] ?? '').replace(/<[^>]+>/g, '')))

describe('running content', () => {
  it('shortens a long subject at a word and marks the cut', () => {
    expect(shortenText('Short subject', 60)).toBe('Short subject')
    const cut = shortenText('Sivile i fangenskap: forslag om norsk politisk og diplomatisk støtte til kampanjen', 60)
    expect(cut).toBe('Sivile i fangenskap: forslag om norsk politisk og…')
    expect(cut.length).toBeLessThanOrEqual(60)
    expect(shortenText('x'.repeat(200), 60)).toBe(`${'x'.repeat(59)}…`)
  })

  it('cuts the continuation line short and keeps hyphenation out of it and of the document title', () => {
    const { template, data } = sample('nb-head-of-government-letter')
    // A soft hyphen the author typed, no-break spaces and an unbreakable token: the line is one plain line that fits.
    const typed = composeLetter(template, { ...data, subject: 'Sivile i fangen\u00ADskap:\u00A0forslag' })
    expect(typed.title).toBe('Sivile i fangenskap: forslag')
    expect(letterPdfMetadata(template, { ...data, subject: 'Sivile i fangen\u00ADskap' }).title).toBe('Sivile i fangenskap')
    for (const subject of ['X'.repeat(2000), 'W'.repeat(59), 'Ж'.repeat(80), `${'Менш '.repeat(30)}`]) {
      const { continuation } = buildRunningContent(composeLetter(template, { ...data, subject }))
      expect(continuation).toMatch(/^Eksempelkomiteen for menneskerettigheter · 26\. mai 2025 · \S.*…$/)
      expect(continuation).not.toMatch(/[\u00AD\u00A0]/)
      expect(continuation.length).toBeLessThan(110)
    }
    // How wide it prints is measured on paper: typesetPdf.test.ts.
  })

  it('names the organisation, the date in the letter’s language and the subject', () => {
    const { template, data } = sample('nb-head-of-government-letter')
    const running = buildRunningContent(composeLetter(template, data))
    expect(running.continuation).toBe(
      'Eksempelkomiteen for menneskerettigheter · 26. mai 2025 · Sivile i fangenskap: forslag om norsk politisk og…',
    )
    expect(running.footer).toBe(
      'Kirkegata 5, 0153 Oslo · +47 22 00 00 00 · post@eksempelkomiteen.example.org · eksempelkomiteen.example.org',
    )
    const statement = buildRunningContent(composeLetter(sample('uk-joint-statement').template, sample('uk-joint-statement').data))
    expect(statement.continuation).toContain('12 серпня 2025')
    expect(statement.footer).toBeUndefined()
  })

  it('keeps letter text inside its CSS string: quotes, backslashes, "<" and line breaks are escaped', () => {
    const hostile = 'a"b\\c</style><p>x\n}@page{margin:0}'
    const literal = cssString(hostile)
    expect(literal).toBe('"a\\22 b\\5c c\\3c /style\\3e \\3c p\\3e x\\a }@page{margin:0}"')
    const css = buildPageMarginCss({ continuation: hostile, footer: hostile })
    expect(css).not.toContain('<')
    expect(css).not.toContain('\n}@page{margin:0}')
  })
})

describe('the end of the text that goes with the sign-off', () => {
  const long = `<p>${'Long enough to fill more than two lines of the letter. '.repeat(5)}</p>`
  it('is the last paragraph, or the last two when the last is short, and a heading goes with its text', () => {
    expect(splitLastBlocks(`<p>a</p>${long}`)).toEqual(['<p>a</p>', long])
    expect(splitLastBlocks(`<p>a</p>${long}<p>Thank you.</p>`)).toEqual(['<p>a</p>', `${long}<p>Thank you.</p>`])
    expect(splitLastBlocks(`<p>a</p><h2>Next</h2>${long}`)).toEqual(['<p>a</p>', `<h2>Next</h2>${long}`])
    const nested = '<ul><li><p>x</p><ul><li>y</li></ul></li></ul>'
    expect(splitLastBlocks(`<p>a</p>${long}${nested}`)).toEqual(['<p>a</p>', `${long}${nested}`])
    expect(splitLastBlocks('<p>only</p>')).toEqual(['', '<p>only</p>'])
    expect(splitLastBlocks('<p>unclosed')).toEqual(['<p>unclosed', ''])
  })
})

describe('printed pages', () => {
  const work = createTempDir()
  let printer: Awaited<ReturnType<typeof launchPrinter>>
  beforeAll(async () => {
    printer = await launchPrinter()
  })
  afterAll(async () => {
    await printer.close()
  })

  const printPages = async (name: string, template: LetterTemplate, data: LetterData) => {
    const { html } = renderLetterHtml(template, data, { fonts, strict: true })
    const file = savePdf(work, name, await printer.print(html))
    return { html, file, pages: readPdfPages(file), running: buildRunningContent(composeLetter(template, data)) }
  }

  it.each(samples.map((s) => s.name))('%s: "n / N" and the footer on every page, the continuation line from page 2', async (name) => {
    const { template, data } = sample(name)
    const { file, pages, running } = await printPages(name, template, data)
    expect(pages.length).toBe(countPdfPages(file))
    if (name.startsWith('nb-')) expect(pages.length).toBe(3)
    if (name.startsWith('uk-')) expect(pages.length).toBe(2)
    pages.forEach((lines, i) => {
      // pdftotext runs the margin box's pieces together: "2/3".
      expect((lines.at(-1) ?? '').replace(/\s/g, ''), `page ${i + 1}`).toBe(`${i + 1}/${pages.length}`)
      const text = squash(lines.join(' '))
      if (running.footer) expect(text, `footer on page ${i + 1}`).toContain(squash(running.footer))
      // Hyphenation stays in the text: never a soft hyphen in the running header or footer.
      const furniture = [
        ...(i > 0 ? lines.slice(0, 1) : []),
        ...lines.slice((i > 0 ? 1 : 0) + contentLines(lines, i, running.footer).length),
      ]
      expect(furniture.length, `page ${i + 1}`).toBeGreaterThan(0)
      expect(furniture.join('\n'), `page ${i + 1}`).not.toContain('\u00AD')
      const top = squash(lines[0] ?? '')
      if (i === 0) expect(top).not.toBe(running.continuation)
      else expect(top, `continuation on page ${i + 1}`).toBe(running.continuation)
    })
    // The footer is printed once per page, not also once more at the end of the text.
    if (running.footer) {
      const count = pages.flat().filter((line) => squash(line).includes(squash(running.footer!).slice(0, 30))).length
      expect(count).toBe(pages.length)
    }
  })

  it('keeps the closing with both signatures and with at least two lines of text, and no heading ends a page, as the text grows', async () => {
    const { template, data } = sample('nb-head-of-government-letter')
    const blocks = bodyBlocks(String(data['body']))
    // The letter without its last section ends near the foot of page 2; a growing last paragraph walks the closing
    // and the signatures across that page end one line at a time.
    const base = blocks.slice(0, -3).join('')
    const words = 'Vi ber regjeringen om å følge saken tett og holde oss orientert om fremdriften i samtalene.'.split(' ')
    let crossed = 0
    for (let n = 0; n <= 90; n += 6) {
      const filler = Array.from({ length: n }, (_, i) => words[i % words.length]).join(' ')
      const body = `${base}${n > 0 ? `<p>${filler}.</p>` : ''}`
      const { html, pages, running } = await printPages(`keep-${n}`, template, { ...data, body })
      const closingPage = pages.findIndex((lines) => lines.some((l) => squash(l) === 'Med vennlig hilsen'))
      expect(closingPage, `closing printed (${n} words)`).toBeGreaterThanOrEqual(0)
      const content = contentLines(pages[closingPage]!, closingPage, running.footer)
      const closingLine = content.findIndex((l) => squash(l) === 'Med vennlig hilsen')
      expect(closingLine, `${n} words: at least two lines of text above the closing on its page`).toBeGreaterThanOrEqual(2)
      const rest = squash(content.slice(closingLine).join(' '))
      expect(rest, `${n} words: signatures on the closing's page`).toContain('Berit Eksempel')
      expect(rest).toContain('Ola Prøvesen')
      const headings = headingsOf(html)
      pages.forEach((lines, i) => {
        const last = squash(contentLines(lines, i, running.footer).at(-1) ?? '')
        expect(
          headings.some((h) => h.endsWith(last)),
          `${n} words: page ${i + 1} ends with a heading ("${last}")`,
        ).toBe(false)
      })
      if (closingPage === pages.length - 1 && pages.length === 3) crossed++
    }
    // The sweep did push the closing onto a new page at least once, so the rule was put to the test.
    expect(crossed).toBeGreaterThan(0)
  }, 120_000)

  it('never splits the list of signing organisations, and keeps it with the date and the text above', async () => {
    const { template, data } = sample('uk-joint-statement')
    const organisations = data['organisations'] as string[]
    const conclusion = bodyBlocks(String(data['conclusion']))
    const words = 'Ми закликаємо партнерів підтримати ці вимоги і стежити за їх виконанням.'.split(' ')
    const pageCounts = new Set<number>()
    for (let n = 0; n <= 150; n += 10) {
      const extra = Array.from({ length: n }, (_, i) => words[i % words.length]).join(' ')
      const grown = { ...data, conclusion: `${conclusion.join('')}${n > 0 ? `<p>${extra}.</p>` : ''}` }
      const { pages, running } = await printPages(`orgs-${n}`, template, grown)
      pageCounts.add(pages.length)
      // The first organisation also heads the letterhead: look from the end.
      const onPage = organisations.map((org) => pages.findLastIndex((lines) => lines.some((l) => squash(l) === org)))
      expect(new Set(onPage).size, `${n} words: organisations on pages ${onPage.join(', ')}`).toBe(1)
      const page = onPage[0]!
      const content = contentLines(pages[page]!, page, running.footer)
      const dateLine = content.findIndex((l) => squash(l) === '12 серпня 2025')
      expect(dateLine, `${n} words: the date is on the organisations' page, below two lines of text`).toBeGreaterThanOrEqual(2)
    }
    expect(pageCounts.size).toBeGreaterThan(1)
  }, 120_000)

  it('prints the same pages through the CLI’s chromium --print-to-pdf', async () => {
    const { template, data } = sample('nb-head-of-government-letter')
    const { html, pages } = await printPages('app', template, data)
    const cli = savePdf(work, 'cli', await renderPdfWithChromium(html, { workDir: work }))
    expect(readPdfPages(cli)).toEqual(pages)
  }, 60_000)
})
