// Tests (core, Node, Chromium): line breaking as printed — a 2,000-character unbreakable subject wraps and the page
// keeps its size and type (no shrink to fit); in Ukrainian no line ends in a one-letter word, a compound such as
// "будь-яких" breaks only at its own hyphen, and words break at the patterns' soft hyphens.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { findChromium, renderPdfWithChromium } from '../../../electron/core/letters/chromiumPdf'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { composeLetter } from '../../../electron/core/letters/render/compose'
import { buildRunningContent } from '../../../electron/core/letters/render/letterPages'
import { renderLetterHtml } from '../../../electron/core/letters/render/render'
import type { LetterData, LetterTemplate } from '../../../shared/letters/templateModel'
import { readPdfPages, squash } from '../../helpers/pdfPages'
import { createTempDir } from '../../helpers/vaultTestUtils'

const { builtins, fonts } = loadLetterAssets()
const hog = builtins.find((t) => t.id === 'head-of-government-letter') as LetterTemplate
const sample = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../resources/templates/samples/head-of-government-letter.json'), 'utf8'),
) as Record<string, unknown>
const work = createTempDir()
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

async function printPdf(name: string, template: LetterTemplate, data: LetterData): Promise<string> {
  const { html } = renderLetterHtml(template, data, { fonts, strict: true })
  const file = path.join(work, `${name}.pdf`)
  fs.writeFileSync(file, await renderPdfWithChromium(html, { workDir: work }))
  return file
}

type Word = { text: string; xMin: number; yMin: number; height: number }

/** Words of page 1 with their boxes (poppler's pdftotext -bbox, in points). */
function wordsOfFirstPage(file: string): Word[] {
  const xml = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' })
  return [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[4] ?? '',
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    height: Number(m[3]) - Number(m[2]),
  }))
}

describe.runIf(findChromium() !== null)('line breaking in print', () => {
  it('wraps a 2,000-character token in the subject without shrinking the page', async () => {
    const normal = await printPdf('normal', hog, sample)
    const long = await printPdf('long', hog, { ...sample, subject: 'X'.repeat(2000) })
    const pageSize = (file: string) => /Page size:.*/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[0]
    expect(pageSize(long)).toMatch(/\(A4\)/)
    expect(pageSize(long)).toBe(pageSize(normal))
    // The same words above the subject stand at the same place and size in both letters.
    const before = wordsOfFirstPage(normal)
    const after = wordsOfFirstPage(long)
    for (const text of ['Ingrid', 'Examplesen', 'Minister', 'Oslo']) {
      const a = before.find((w) => w.text === text)
      const b = after.find((w) => w.text === text)
      expect(a, text).toBeDefined()
      expect(b, text).toBeDefined()
      expect(Math.abs(a!.xMin - b!.xMin), text).toBeLessThan(0.5)
      expect(Math.abs(a!.yMin - b!.yMin), text).toBeLessThan(0.5)
      expect(Math.abs(a!.height - b!.height), text).toBeLessThan(0.2)
    }
    // The token is printed in full, in lines no wider than the text column (595 pt less the 25 and 22 mm margins).
    // Pages 2 on open with the continuation line, whose subject is the token cut short ("XXX…"): it is not the letter's text.
    const running = buildRunningContent(composeLetter(hog, { ...sample, subject: 'X'.repeat(2000) }))
    expect(running.continuation).toMatch(/ · X+…$/)
    const pages = readPdfPages(long)
    expect(pages.length).toBeGreaterThan(1)
    pages.slice(1).forEach((lines, i) => expect(squash(lines[0] ?? ''), `continuation on page ${i + 2}`).toBe(running.continuation))
    const text = pages.map((lines, i) => (i === 0 ? lines : lines.slice(1)).join('\n')).join('\n')
    expect(text.replace(/[^X]/g, '').length).toBe(2000)
    const xs = after.filter((w) => /^X+$/.test(w.text))
    expect(xs.length).toBeGreaterThan(10)
    for (const w of xs) expect(w.xMin).toBeGreaterThanOrEqual(70)
  }, 60_000)

  it.each(['X'.repeat(2000), 'W'.repeat(120), 'Ж'.repeat(120), 'Щ ю '.repeat(60)])(
    'prints the continuation line for a long subject inside the text column (%s)',
    async (subject) => {
      // Chromium does not clip a margin box: the line's own text must fit the 163 mm between the margins.
      const file = await printPdf('header', hog, { ...sample, subject, body: `${String(sample['body'])}`.repeat(3) })
      const xml = execFileSync('pdftotext', ['-bbox', '-f', '2', '-l', '2', file, '-'], { encoding: 'utf8' })
      const header = [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"/g)].filter((m) => Number(m[2]) < 55)
      expect(header.length).toBeGreaterThan(3)
      expect(Math.min(...header.map((m) => Number(m[1])))).toBeGreaterThanOrEqual(70)
      expect(Math.max(...header.map((m) => Number(m[3])))).toBeLessThanOrEqual(595.3 - 22 * (72 / 25.4) + 0.5)
    },
    60_000,
  )

  it('keeps Ukrainian one-letter words with the next word and breaks compounds only at their hyphen', async () => {
    const words =
      'Ми звертаємося до вас у зв’язку з утриманням цивільних осіб і закликаємо уряд вжити будь-яких заходів, щоб забезпечити звільнення громадян, а також повернення дітей в Україну з окупованих територій.'.split(
        ' ',
      )
    // The same sentence, shifted by one word per paragraph, puts every word at a line end somewhere; each paragraph
    // ends in a long word, so a one-letter word is never last in its paragraph.
    const paragraphs = words.map((_, i) => `<p>${[...words.slice(i), ...words.slice(0, i)].join(' ')} наостанок.</p>`).join('')
    const template: LetterTemplate = { ...hog, language: 'uk-UA' }
    const file = await printPdf('uk', template, { ...sample, body: paragraphs + paragraphs })
    const lines = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.replace(/\u00AD/g, '').trimEnd())
      .filter((l) => l !== '')
    const oneLetter = /(^|\s)[увіайзоксУВІАЙЗОКС]$/
    expect(lines.filter((l) => oneLetter.test(l))).toEqual([])
    let hyphenated = 0
    lines.forEach((line, i) => {
      // A hyphenation break prints U+2010: the word it splits never holds a hyphen of its own.
      if (!line.endsWith('\u2010')) return
      hyphenated++
      const word = `${line.split(/\s/).pop()}${lines[i + 1]?.split(/\s/)[0] ?? ''}`
      expect(word, `line ${i + 1}`).not.toContain('-')
    })
    expect(hyphenated).toBeGreaterThan(0)
    // "будь-" may end a line (its own hyphen); "бу‐" or "будь-я‐" never.
    expect(lines.some((l) => /будь$|бу\u2010$|будь-[а-яґєії]+\u2010$/.test(l))).toBe(false)
  }, 60_000)
})
