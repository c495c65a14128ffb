// Tests (core, Node + Debian Chromium + LibreOffice + poppler): the DOCX of every built-in sample and of the
// real-length letters, opened by a word processor (LibreOffice, converting to PDF), has as many pages as our PDF of
// the same letter, page numbers and the continuation line on its pages, and every signature picture whole, 18 mm
// high, side by side with the other signatory's. The signatures are swapped for framed test pictures of the same pixel
// size (so the layout does not change): a picture cut by its line shows as a frame with a side missing.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { composeLetter, decodeImage } from '../../../electron/core/letters/render/compose'
import { buildRunningContent } from '../../../electron/core/letters/render/letterPages'
import { renderLetterDocx, renderLetterHtml } from '../../../electron/core/letters/render/render'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import type { LetterData } from '../../../shared/letters/templateModel'
import { loadSampleLetters, type SampleLetter } from '../../helpers/letterSamples'
import { bodyBlocks, contentLines, countPdfPages, launchPrinter, readPdfPages, savePdf, squash } from '../../helpers/pdfPages'
import { encodePng, findRegions, pngDataUrl, rasterisePdf, type Box, type RasterPage } from '../../helpers/pixels'
import { createTempDir } from '../../helpers/vaultTestUtils'

const { fonts } = loadLetterAssets()
const DPI = 100
const MM = DPI / 25.4
/** Signature pictures print 18 mm high (letterCss.ts), at most 60 mm wide. */
const SIGNATURE_MM = 18
const FRAME_PX = 3

/** A white picture of the same size as `dataUrl`'s, with a solid red frame FRAME_PX wide all round. */
function framedLike(dataUrl: string): string {
  const { width, height } = decodeImage(dataUrl)
  if (!width || !height) throw new Error('unreadable test signature')
  const edge = (x: number, y: number) => x < FRAME_PX || y < FRAME_PX || x >= width - FRAME_PX || y >= height - FRAME_PX
  return pngDataUrl(encodePng(width, height, (x, y) => (edge(x, y) ? [255, 0, 0] : [255, 255, 255])))
}

/** The letter with every signatory's signature replaced by a framed picture; and how many there are. */
function withFramedSignatures(letter: SampleLetter): { data: LetterData; expected: { width: number; height: number }[] } {
  const data: Record<string, unknown> = { ...letter.data }
  const expected: { width: number; height: number }[] = []
  for (const block of letter.template.blocks) {
    if (block.type !== 'signatories') continue
    const value = data[block.field]
    const persons = (Array.isArray(value) ? value : value ? [value] : []) as Record<string, unknown>[]
    const framed = persons.map((person) => {
      if (typeof person['signature'] !== 'string') return person
      const { width, height } = decodeImage(person['signature'])
      expected.push({ width: width!, height: height! })
      return { ...person, signature: framedLike(person['signature']) }
    })
    data[block.field] = Array.isArray(value) ? framed : framed[0]
  }
  return { data, expected }
}

const isRed = ([r, g, b]: readonly [number, number, number]) => r > 200 && g < 80 && b < 80

/**
 * Share of a box's edge that is red: the best of its three outermost rows (or columns), since a frame scaled to a
 * fraction of a pixel blurs its outermost line.
 */
function edgeCoverage(page: RasterPage, box: Box, side: 'top' | 'bottom' | 'left' | 'right'): number {
  const redAt = (x: number, y: number): boolean => {
    const i = (y * page.width + x) * 3
    return isRed([page.rgb[i] ?? 0, page.rgb[i + 1] ?? 0, page.rgb[i + 2] ?? 0])
  }
  const shares = [0, 1, 2].map((inset) => {
    const points: [number, number][] = []
    if (side === 'top' || side === 'bottom') {
      const y = side === 'top' ? box.top + inset : box.bottom - inset
      for (let x = box.left + 3; x <= box.right - 3; x++) points.push([x, y])
    } else {
      const x = side === 'left' ? box.left + inset : box.right - inset
      for (let y = box.top + 3; y <= box.bottom - 3; y++) points.push([x, y])
    }
    return points.filter(([x, y]) => redAt(x, y)).length / points.length
  })
  return Math.max(...shares)
}

/** Every framed signature on the PDF's pages: page index and box, in reading order. */
function findSignatures(pdfFile: string, work: string): { page: number; box: Box; whole: boolean }[] {
  const found: { page: number; box: Box; whole: boolean }[] = []
  rasterisePdf(pdfFile, DPI, work).forEach((page, index) => {
    for (const box of findRegions(page, isRed, 40).sort((a, b) => a.top - b.top || a.left - b.left)) {
      const whole = (['top', 'bottom', 'left', 'right'] as const).every((side) => edgeCoverage(page, box, side) > 0.9)
      found.push({ page: index, box, whole })
    }
  })
  return found
}

/** Lengths (in words) of a paragraph added to the end of the Ukrainian statement's conclusion. */
const STATEMENT_GROWTH = [0, 40, 80, 120]

/**
 * Lengths (in words) of a paragraph added to the end of the Norwegian letter, walking its closing across a page end
 * (at about 108 words since the copy list sets title and name on one line).
 */
const GROWTH = [0, 60, 90, 96, 100, 104, 108, 112, 116, 120, 140]
const FILLER_UK = 'Ми закликаємо партнерів підтримати ці вимоги і стежити за їх виконанням.'.split(' ')
const FILLER = 'Vi ber regjeringen om å følge saken tett og holde oss orientert om fremdriften i samtalene.'.split(' ')

/** The Norwegian letter without its last section, plus a paragraph of `words` words. */
function grownLetter(letter: SampleLetter, words: number): LetterData {
  const base = bodyBlocks(String(letter.data['body'])).slice(0, -5).join('')
  const filler = Array.from({ length: words }, (_, i) => FILLER[i % FILLER.length]).join(' ')
  return { ...letter.data, body: `${base}${words > 0 ? `<p>${filler}.</p>` : ''}` }
}

const soffice = ['soffice', 'libreoffice'].find((name) => {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})

describe('DOCX opened in a word processor matches the PDF', () => {
  const work = createTempDir()
  const letters = loadSampleLetters()
  const results = new Map<string, { ours: string; word: string; expected: { width: number; height: number }[] }>()
  let printer: Awaited<ReturnType<typeof launchPrinter>>

  beforeAll(async () => {
    if (!soffice) throw new Error('these tests need LibreOffice (Debian: apt-get install libreoffice-writer-nogui)')
    printer = await launchPrinter()
    const docxDir = path.join(work, 'docx')
    const wordDir = path.join(work, 'word')
    fs.mkdirSync(docxDir)
    for (const letter of letters) {
      const { data, expected } = withFramedSignatures(letter)
      const { html } = renderLetterHtml(letter.template, data, { fonts, strict: true })
      const ours = savePdf(work, letter.name, await printer.print(html))
      fs.writeFileSync(path.join(docxDir, `${letter.name}.docx`), await renderLetterDocx(letter.template, data, { fonts }))
      results.set(letter.name, { ours, word: path.join(wordDir, `${letter.name}.pdf`), expected })
    }
    const nb = letters.find((l) => l.name === 'nb-head-of-government-letter')!
    for (const words of GROWTH) {
      fs.writeFileSync(path.join(docxDir, `grown-${words}.docx`), await renderLetterDocx(nb.template, grownLetter(nb, words), { fonts }))
    }
    const uk = letters.find((l) => l.name === 'uk-joint-statement')!
    for (const words of STATEMENT_GROWTH) {
      const extra = Array.from({ length: words }, (_, i) => FILLER_UK[i % FILLER_UK.length]).join(' ')
      const conclusion = `${String(uk.data['conclusion'])}${words > 0 ? `<p>${extra}.</p>` : ''}`
      fs.writeFileSync(
        path.join(docxDir, `statement-${words}.docx`),
        await renderLetterDocx(uk.template, { ...uk.data, conclusion }, { fonts }),
      )
    }
    // One LibreOffice run converts them all, with a profile of its own so parallel runs do not collide.
    const docs = [...letters.map((l) => l.name), ...GROWTH.map((w) => `grown-${w}`), ...STATEMENT_GROWTH.map((w) => `statement-${w}`)].map(
      (name) => path.join(docxDir, `${name}.docx`),
    )
    execFileSync(
      soffice!,
      [
        `-env:UserInstallation=${pathToFileURL(path.join(work, 'lo-profile')).href}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        wordDir,
        ...docs,
      ],
      { stdio: 'ignore', timeout: 180_000, env: { ...process.env, HOME: work } },
    )
  }, 240_000)
  afterAll(async () => {
    await printer?.close()
  })

  it.each(loadSampleLetters().map((l) => l.name))('%s: same page count, page numbers and continuation line', (name) => {
    const { ours, word } = results.get(name)!
    const letter = letters.find((l) => l.name === name)!
    const pages = countPdfPages(ours)
    expect(countPdfPages(word), `${name}: pages in Word vs PDF`).toBe(pages)
    const running = buildRunningContent(composeLetter(letter.template, letter.data))
    readPdfPages(word).forEach((lines, i) => {
      expect((lines.at(-1) ?? '').replace(/\s/g, ''), `page ${i + 1}`).toBe(`${i + 1}/${pages}`)
      if (running.footer) expect(squash(lines.join(' '))).toContain(squash(running.footer))
      if (i > 0) expect(squash(lines[0] ?? '')).toBe(running.continuation)
      else expect(squash(lines[0] ?? '')).not.toBe(running.continuation)
    })
  })

  it.each(loadSampleLetters().map((l) => l.name))('%s: every signature picture whole, 18 mm high, side by side', (name) => {
    const { ours, word, expected } = results.get(name)!
    for (const [label, pdf] of [
      ['Word', word],
      ['PDF', ours],
    ] as const) {
      const found = findSignatures(pdf, fs.mkdtempSync(path.join(work, `${name}-${label}-`)))
      expect(found.length, `${label}: signatures found`).toBe(expected.length)
      found.forEach(({ box, whole }, i) => {
        const height = (box.bottom - box.top + 1) / MM
        const width = (box.right - box.left + 1) / MM
        const { width: w, height: h } = expected[i]!
        const expectedWidth = Math.min(60, (SIGNATURE_MM * w) / h)
        const expectedHeight = Math.min(SIGNATURE_MM, (60 * h) / w)
        expect(whole, `${label} signature ${i + 1}: frame complete`).toBe(true)
        expect(Math.abs(height - expectedHeight), `${label} signature ${i + 1}: ${height.toFixed(1)} mm high`).toBeLessThan(0.8)
        expect(Math.abs(width - expectedWidth), `${label} signature ${i + 1}: ${width.toFixed(1)} mm wide`).toBeLessThan(0.8)
      })
      // Two signatories sign side by side: same line, the second to the right of the first.
      if (found.length === 2) {
        const [a, b] = found as [(typeof found)[0], (typeof found)[0]]
        expect(a.page).toBe(b.page)
        expect(Math.abs(a.box.top - b.box.top), `${label}: side by side`).toBeLessThanOrEqual(2)
        expect(b.box.left - a.box.right).toBeGreaterThan(10 * MM)
      }
    }
  })

  it('keeps the closing with both signatures and two lines of text as the text grows across a page end', () => {
    const nb = letters.find((l) => l.name === 'nb-head-of-government-letter')!
    const running = buildRunningContent(composeLetter(nb.template, nb.data))
    const closingPages = new Set<number>()
    for (const words of GROWTH) {
      const pages = readPdfPages(path.join(work, 'word', `grown-${words}.pdf`))
      const closingPage = pages.findIndex((lines) => lines.some((l) => squash(l) === 'Med vennlig hilsen'))
      expect(closingPage, `${words} words: closing printed`).toBeGreaterThanOrEqual(0)
      closingPages.add(closingPage)
      const content = contentLines(pages[closingPage]!, closingPage, running.footer)
      const closingLine = content.findIndex((l) => squash(l) === 'Med vennlig hilsen')
      expect(closingLine, `${words} words: two lines of text above the closing on its page`).toBeGreaterThanOrEqual(2)
      const rest = squash(content.slice(closingLine).join(' '))
      expect(rest, `${words} words: signatures with the closing`).toContain('Berit Eksempel')
      expect(rest).toContain('Ola Prøvesen')
    }
    // The closing did move to the next page within the sweep.
    expect(closingPages.size).toBeGreaterThan(1)
  })

  it('never splits the signing organisations in Word, and keeps them with the date and two lines of text', () => {
    const uk = letters.find((l) => l.name === 'uk-joint-statement')!
    const organisations = uk.data['organisations'] as string[]
    const pageCounts = new Set<number>()
    for (const words of STATEMENT_GROWTH) {
      const pages = readPdfPages(path.join(work, 'word', `statement-${words}.pdf`))
      pageCounts.add(pages.length)
      const onPage = organisations.map((org) => pages.findLastIndex((lines) => lines.some((l) => squash(l) === org)))
      expect(new Set(onPage).size, `${words} words: organisations on pages ${onPage.join(', ')}`).toBe(1)
      const content = contentLines(pages[onPage[0]!]!, onPage[0]!, undefined)
      expect(
        content.findIndex((l) => squash(l) === '12 серпня 2025'),
        `${words} words: date two lines below text`,
      ).toBeGreaterThanOrEqual(2)
    }
    expect(pageCounts.size).toBeGreaterThan(1)
  })

  it('the framed test picture is found cut when a line clips it (the check can fail)', () => {
    const page: RasterPage = (() => {
      const width = 200
      const height = 100
      const rgb = Buffer.alloc(width * height * 3, 255)
      // A 20 × 60 px frame whose top 8 rows are cut off: its top edge is white inside the box.
      for (let y = 8; y < 80; y++)
        for (let x = 20; x < 80; x++) {
          const edge = x < 23 || x >= 77 || y >= 77
          if (edge) rgb.set([255, 0, 0], (y * width + x) * 3)
        }
      return { width, height, rgb }
    })()
    const [box] = findRegions(page, isRed, 40)
    expect(box).toBeDefined()
    expect(edgeCoverage(page, box!, 'top')).toBeLessThan(0.9)
    expect(edgeCoverage(page, box!, 'bottom')).toBeGreaterThan(0.9)
  })
})
