// Tests (core, Node + Debian Chromium + poppler): golden page images. Every built-in sample and the two real-length
// letters print to PDF (Chromium, as the app prints: fonts linked from the letter's origin) and each page, rasterised
// small and grey by pdftoppm, must match its approved image in test/fixtures/golden-letters/ (pixelmatch, with a small
// tolerance); the same letter with its fonts embedded (as the CLI prints it) must give the very same pixels. The
// letters' data is fixed (dates included) and their fonts are the bundled ones, so a print is the same on every run.
//
// After a deliberate change of layout: `UPDATE_GOLDEN=1 npx vitest run test/core/letters/goldenLetters.test.ts`
// rewrites the approved images; look at every page before committing them.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pixelmatch from 'pixelmatch'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderLetterHtml } from '../../../electron/core/letters/render/render'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { loadSampleLetters } from '../../helpers/letterSamples'
import { launchPrinter } from '../../helpers/pdfPages'
import { createTempDir } from '../../helpers/vaultTestUtils'

const GOLDEN = path.resolve(import.meta.dirname, '../../fixtures/golden-letters')
const UPDATE = process.env['UPDATE_GOLDEN'] === '1'
/** Small enough to keep the approved files small (an A4 page is 413 × 585 pixels), large enough to see lines move. */
const DPI = 50
/** pixelmatch's colour distance for "the same pixel" (its default). */
const THRESHOLD = 0.1
/**
 * Pixels a page may differ by: a few specks (a glyph's edge rounded the other way), far fewer than one short word
 * more or less makes (" today" in a 14 pt heading is about 75 pixels).
 */
const MAX_DIFFERENT_PIXELS = 24

const { fonts } = loadLetterAssets()
const letters = loadSampleLetters()
const work = createTempDir()
let printer: Awaited<ReturnType<typeof launchPrinter>>

beforeAll(async () => {
  printer = await launchPrinter()
})
afterAll(async () => {
  await printer.close()
  fs.rmSync(work, { recursive: true, force: true })
})

/** The letter's pages as grey PNG files, in page order. */
async function printPages(name: string, html: string): Promise<Buffer[]> {
  const pdf = path.join(work, `${name}.pdf`)
  fs.writeFileSync(pdf, await printer.print(html))
  const prefix = path.join(work, name)
  // Without anti-aliasing: every pixel is ink or paper or a flat grey, so the files stay small (about 10 KiB a page)
  // and a difference is a real one, not a smoothed edge.
  execFileSync('pdftoppm', ['-r', String(DPI), '-gray', '-aa', 'no', '-aaVector', 'no', '-png', pdf, prefix])
  return fs
    .readdirSync(work)
    .filter((file) => file.startsWith(`${name}-`) && file.endsWith('.png'))
    .sort((a, b) => Number(/-(\d+)\.png$/.exec(a)?.[1]) - Number(/-(\d+)\.png$/.exec(b)?.[1]))
    .map((file) => fs.readFileSync(path.join(work, file)))
}

const goldenFile = (name: string, page: number): string => path.join(GOLDEN, `${name}-${page}.png`)
const approvedPages = (name: string): string[] =>
  fs.existsSync(GOLDEN) ? fs.readdirSync(GOLDEN).filter((file) => new RegExp(`^${name}-\\d+\\.png$`).test(file)) : []

/** Mismatched pixels between two PNGs of one size; writes the difference picture to `diffFile`. */
function comparePng(actual: Buffer, approved: Buffer, diffFile: string): { different: number; sameSize: boolean } {
  const a = PNG.sync.read(actual)
  const b = PNG.sync.read(approved)
  if (a.width !== b.width || a.height !== b.height) return { different: Infinity, sameSize: false }
  const diff = new PNG({ width: a.width, height: a.height })
  const different = pixelmatch(a.data, b.data, diff.data, a.width, a.height, { threshold: THRESHOLD, includeAA: true })
  if (different > 0) fs.writeFileSync(diffFile, PNG.sync.write(diff))
  return { different, sameSize: true }
}

describe('golden page images', () => {
  it.each(letters.map((l) => l.name))('%s prints as its approved pages', async (name) => {
    const { template, data } = letters.find((l) => l.name === name)!
    const { html } = renderLetterHtml(template, data, { fonts, fontSource: 'linked', strict: true })
    const pages = await printPages(name, html)
    expect(pages.length).toBeGreaterThan(0)
    // Linked (the app) or embedded (the CLI), the fonts are the same bytes: the pages are the same, pixel for pixel.
    const embedded = await printPages(`${name}-embedded`, renderLetterHtml(template, data, { fonts, strict: true }).html)
    expect(embedded.length, `${name}: embedded fonts give as many pages`).toBe(pages.length)
    embedded.forEach((png, i) => {
      const { different } = comparePng(png, pages[i]!, path.join(work, `${name}-${i + 1}.embedded.diff.png`))
      expect(different, `${name} page ${i + 1}: embedded fonts print other pixels than linked ones`).toBe(0)
    })
    if (UPDATE) {
      fs.mkdirSync(GOLDEN, { recursive: true })
      for (const file of approvedPages(name)) fs.rmSync(path.join(GOLDEN, file))
      pages.forEach((png, i) => fs.writeFileSync(goldenFile(name, i + 1), png))
      console.info(`golden-letters: wrote ${pages.length} page(s) of ${name}`)
    }
    expect(approvedPages(name), `${name}: the approved images count the pages`).toHaveLength(pages.length)
    pages.forEach((png, i) => {
      const diffFile = path.join(work, `${name}-${i + 1}.diff.png`)
      const { different, sameSize } = comparePng(png, fs.readFileSync(goldenFile(name, i + 1)), diffFile)
      if (different > 0) console.info(`golden-letters: ${name} page ${i + 1}: ${different} pixels differ`)
      expect(sameSize, `${name} page ${i + 1}: the page size changed`).toBe(true)
      // A failing page leaves its print and the difference (red) in a folder of their own, to look at.
      let kept = ''
      if (different > MAX_DIFFERENT_PIXELS) {
        kept = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-golden-'))
        fs.copyFileSync(diffFile, path.join(kept, 'difference.png'))
        fs.writeFileSync(path.join(kept, 'printed.png'), png)
      }
      expect(different, `${name} page ${i + 1}: ${different} pixels differ from the approved image (see ${kept})`).toBeLessThanOrEqual(
        MAX_DIFFERENT_PIXELS,
      )
    })
  })

  it('notices a changed page: one short word more in the subject is over the tolerance', async () => {
    const { template, data } = letters.find((l) => l.name === 'standpoint')!
    const changed = { ...data, subject: `${String(data['subject'])} today` }
    const [page] = await printPages(
      'standpoint-changed',
      renderLetterHtml(template, changed, { fonts, fontSource: 'linked', strict: true }).html,
    )
    const { different } = comparePng(page!, fs.readFileSync(goldenFile('standpoint', 1)), path.join(work, 'changed.diff.png'))
    expect(different).toBeGreaterThan(MAX_DIFFERENT_PIXELS)
  })
})
