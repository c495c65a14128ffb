// Tests (core, Node + Debian Chromium): how a letter's fonts reach the print. Linked fonts are served only at their
// exact paths; a linked letter carries no font bytes; a running Chromium that prints letter after letter into one
// page, as the app's print window does, loads each face once, prints each letter as itself, and sets the text in the
// bundled faces, not in the system's.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { showInPrintPage } from '../../../electron/core/letters/letterPrintPage'
import {
  LETTER_FONT_PREFIX,
  isLetterFontPath,
  letterFontPaths,
  readLetterFont,
  renderLetterHtml,
} from '../../../electron/core/letters/render/render'
import { usedFaces } from '../../../electron/core/letters/render/letterFonts'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { loadSampleLetters } from '../../helpers/letterSamples'
import { launchPrinter, squash } from '../../helpers/pdfPages'
import { createTempDir } from '../../helpers/vaultTestUtils'

const { fonts } = loadLetterAssets()
const letters = loadSampleLetters()
const work = createTempDir()

describe('the font route', () => {
  it('answers each used face at its own path with its bytes', () => {
    const paths = letterFontPaths(fonts)
    const faces = usedFaces(fonts)
    expect(paths).toHaveLength(faces.length)
    expect(new Set(paths).size).toBe(paths.length)
    paths.forEach((p, i) => {
      expect(p).toMatch(/^\/letter-fonts\/Liberation(Serif|Sans)-(Regular|Bold|Italic)-[0-9a-f]{16}\.ttf$/)
      expect(isLetterFontPath(p)).toBe(true)
      expect(readLetterFont(fonts, p)?.equals(faces[i]!.bytes)).toBe(true)
    })
  })

  it('answers nothing else: no other name, hash, folder or query', () => {
    const [first] = letterFontPaths(fonts)
    for (const bad of [
      LETTER_FONT_PREFIX,
      `${LETTER_FONT_PREFIX}LiberationSans-Italic.ttf`,
      `${LETTER_FONT_PREFIX}LiberationSerif-Regular.ttf`,
      `${LETTER_FONT_PREFIX}../fonts/LiberationSerif-Regular.ttf`,
      first!.replace(/[0-9a-f]{16}/, '0'.repeat(16)),
      `${first}?x=1`,
      `${first}/`,
      first!.toUpperCase(),
      first!.slice(LETTER_FONT_PREFIX.length - 1),
    ]) {
      expect(readLetterFont(fonts, bad), bad).toBeNull()
    }
    expect(isLetterFontPath('/letter-preview/abc')).toBe(false)
  })

  it('names the bytes: other fonts get other paths', () => {
    const other = { ...fonts, serif: { ...fonts.serif, regular: Buffer.concat([fonts.serif.regular, Buffer.from([0])]) } }
    expect(letterFontPaths(other)[0]).not.toBe(letterFontPaths(fonts)[0])
    expect(letterFontPaths(other).slice(1)).toEqual(letterFontPaths(fonts).slice(1))
  })
})

describe('a letter with linked fonts', () => {
  const { template, data } = letters[0]!
  const linked = renderLetterHtml(template, data, { fonts, fontSource: 'linked', strict: true }).html
  const embedded = renderLetterHtml(template, data, { fonts, strict: true }).html

  it('links every face and carries no font bytes, where the embedded one carries them all', () => {
    for (const p of letterFontPaths(fonts)) expect(linked).toContain(`url(${p})`)
    expect(linked).not.toContain('data:font')
    expect(embedded.match(/data:font\/ttf;base64,/g)).toHaveLength(usedFaces(fonts).length)
    expect(embedded.length - linked.length).toBeGreaterThan(900_000)
    // Apart from the font sources, the two are the same document.
    const withoutSources = (html: string): string => html.replace(/src:url\([^)]*\) format\('truetype'\)/g, 'src:…')
    expect(withoutSources(linked)).toBe(withoutSources(embedded))
  })
})

describe('printing letters in a running Chromium', () => {
  let printer: Awaited<ReturnType<typeof launchPrinter>>
  beforeAll(async () => {
    printer = await launchPrinter()
    await printer.send('DOM.enable')
    await printer.send('CSS.enable')
  })
  afterAll(async () => {
    await printer.close()
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('loads each face once for all the letters it prints, and sets the text in the bundled faces', async () => {
    const texts: string[] = []
    for (const { template, data } of letters) {
      const pdf = await printer.print(renderLetterHtml(template, data, { fonts, fontSource: 'linked', strict: true }).html)
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      texts.push(readPdfText(pdf))
    }
    // Each print is its own letter, though every one replaced the same page's document (goldenLetters.test.ts holds
    // each to its approved pages).
    expect(new Set(texts.map(squash)).size).toBe(letters.length)
    // The shell loaded every face; Chromium kept them for all the prints.
    expect(printer.fontRequests()).toBe(usedFaces(fonts).length)
    // The system has the same Liberation fonts installed, so the pages alone cannot tell which were used: Chromium can.
    const last = letters.at(-1)!
    // The shell's return after the last print goes first: this test drives the page itself from here.
    await printer.idle()
    for (const source of ['linked', 'embedded'] as const) {
      await showInPrintPage(printer.send, renderLetterHtml(last.template, last.data, { fonts, fontSource: source, strict: true }).html)
      const { root } = (await printer.send('DOM.getDocument', { depth: 1 })) as {
        root: { nodeId: number; children: { nodeName: string; attributes?: string[] }[] }
      }
      const html = root.children.find((c) => c.nodeName === 'HTML')!
      expect(html.attributes, 'the letter’s language is the document’s').toEqual(expect.arrayContaining(['lang', last.template.language]))
      for (const selector of ['.letterhead .org', 'p']) {
        const { nodeId } = (await printer.send('DOM.querySelector', { nodeId: root.nodeId, selector })) as { nodeId: number }
        expect(nodeId, selector).toBeGreaterThan(0)
        // CSS.getPlatformFontsForNode reads the layout as it stands and does not run it; after setOuterHTML a busy
        // machine may not have laid the new document out yet (CI saw no fonts at all). DOM.getBoxModel forces layout.
        await printer.send('DOM.getBoxModel', { nodeId })
        const { fonts: used } = (await printer.send('CSS.getPlatformFontsForNode', { nodeId })) as {
          fonts: { familyName: string; isCustomFont: boolean }[]
        }
        expect(used.length, selector).toBeGreaterThan(0)
        for (const font of used) expect(font.isCustomFont, `${source} ${selector}: ${font.familyName}`).toBe(true)
      }
    }
    expect(printer.fontRequests()).toBe(usedFaces(fonts).length)
  })
})

/** The text of a PDF (poppler's pdftotext). */
function readPdfText(pdf: Buffer): string {
  const file = path.join(work, `print-${Math.random().toString(36).slice(2)}.pdf`)
  fs.writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}
