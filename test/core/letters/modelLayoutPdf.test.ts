// Tests (core, Node + Debian Chromium + poppler): the model layouts of issue #15 item 5 as they come out of the PDF,
// read back by pdftotext in layout mode — the press release's dateline under its headline, the copy list's title and
// name on one line, "1)" numbering in the statements (English and Ukrainian), the subject centred under the title,
// and the standpoint's "Shared by" list set in from the margin below the text. modelLayout.test.ts holds the same
// points in the HTML and the DOCX XML; this file proves Chromium prints them so.
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderLetterHtml } from '../../../electron/core/letters/render/render'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { loadSampleLetters } from '../../helpers/letterSamples'
import { launchPrinter, readPdfPages, savePdf, squash } from '../../helpers/pdfPages'
import { createTempDir } from '../../helpers/vaultTestUtils'

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

/** Every printed line of the sample `name`, all pages in order, as pdftotext lays it out (leading spaces kept). */
async function printedLines(name: string): Promise<string[]> {
  const letter = letters.find((l) => l.name === name)
  if (!letter) throw new Error(`no sample ${name}`)
  const { html } = renderLetterHtml(letter.template, letter.data, { fonts, fontSource: 'linked', strict: true })
  return readPdfPages(savePdf(work, name, await printer.print(html))).flat()
}

/** The index of the first line that starts with `start` (as read, squash); fails the test when there is none. */
function lineStarting(lines: readonly string[], start: string): number {
  const index = lines.findIndex((line) => squash(line).startsWith(start))
  expect(index, `no printed line starting "${start}"`).toBeGreaterThanOrEqual(0)
  return index
}

const indent = (line: string | undefined): number => /^ */.exec(line ?? '')?.[0].length ?? 0

describe('model layouts in the printed PDF', () => {
  it('press release: the headline, the dateline on the next line, then the lead', async () => {
    const lines = await printedLines('press-release')
    const headline = lineStarting(lines, 'More support for reuniting separated children')
    expect(squash(lines[headline + 1]!)).toBe('Press release | 12 June 2025 | [Organisation name]')
    expect(squash(lines[headline + 2]!)).toMatch(/^The foundation is increasing its support/)
  })

  it('copy list: title and name on one line, then the e-mail, in English and Norwegian', async () => {
    const en = await printedLines('head-of-government-letter')
    const cc = lineStarting(en, 'CC:')
    expect(en.slice(cc + 1, cc + 3).map(squash)).toEqual(['Minister of Foreign Affairs Tor Placeholder', 'E-mail: post@mfa.example.org'])
    const nb = await printedLines('nb-head-of-government-letter')
    const kopi = lineStarting(nb, 'Kopi:')
    expect(squash(nb[kopi + 1]!)).toBe('Utenriksminister Tor Plassholder')
    expect(squash(nb[kopi + 3]!)).toBe('Kari Mal, Statssekretær, Utenriksdepartementet')
  })

  it('joint statement: the subject centred under the title, the demands counted "1)", in English and Ukrainian', async () => {
    const en = await printedLines('joint-statement')
    const title = lineStarting(en, 'STATEMENT')
    const subject = en[title + 1]!
    expect(squash(subject)).toMatch(/^on protecting the rights of civilians/)
    // Centred: set in from the left margin, where the body's lines start.
    expect(indent(subject)).toBeGreaterThan(indent(en[lineStarting(en, 'Talks about a ceasefire')]) + 4)
    expect(squash(en[lineStarting(en, '1)')]!)).toBe('1) release of all civilians detained without lawful grounds;')
    expect(squash(en[lineStarting(en, '2)')]!)).toMatch(/^2\) an end to persecution/)
    const uk = await printedLines('uk-joint-statement')
    expect(squash(uk[lineStarting(uk, '1)')]!)).toMatch(/^1\) звільнення всіх цивільних/)
    expect(lineStarting(uk, '2)')).toBeGreaterThan(lineStarting(uk, '1)'))
  })

  it('standpoint: "Shared by" and the organisations below the text, set in from its margin', async () => {
    const lines = await printedLines('standpoint')
    const lastParagraph = lineStarting(lines, 'The organisations will continue to document')
    const sharedBy = lineStarting(lines, 'Shared by:')
    expect(sharedBy).toBeGreaterThan(lastParagraph)
    expect(lines.slice(sharedBy + 1, sharedBy + 3).map(squash)).toEqual(['Eastern Aid Network', 'Legal Support Foundation'])
    for (const line of lines.slice(sharedBy, sharedBy + 3)) expect(indent(line)).toBeGreaterThan(indent(lines[lastParagraph]))
  })
})
