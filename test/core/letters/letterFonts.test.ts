// Tests (core, Node + Debian Chromium): how a letter's fonts reach the print. Linked fonts are served only at their
// exact paths; a linked letter carries no font bytes; a running Chromium that prints letter after letter, as the app's
// print window does, loads each face once and sets the text in the bundled faces, not in the system's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
import { launchPrinter } from '../../helpers/pdfPages'

const { fonts } = loadLetterAssets()
const letters = loadSampleLetters()

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
  })
  afterAll(async () => {
    await printer.close()
  })

  it('loads each face once for all the letters it prints, and sets the text in the bundled faces', async () => {
    for (const { template, data } of letters) {
      const pdf = await printer.print(renderLetterHtml(template, data, { fonts, fontSource: 'linked', strict: true }).html)
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    }
    // Every letter sets its text in these faces; the first print fetched them and Chromium's cache served the rest.
    expect(printer.fontRequests()).toBeGreaterThan(0)
    expect(printer.fontRequests()).toBeLessThanOrEqual(usedFaces(fonts).length)
    // The system has the same Liberation fonts installed, so the pages alone cannot tell which were used: Chromium can.
    const cdp = await printer.page.context().newCDPSession(printer.page)
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument')
    for (const selector of ['.letterhead .org', 'p']) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
      expect(nodeId, selector).toBeGreaterThan(0)
      const { fonts: used } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
      expect(used.length, selector).toBeGreaterThan(0)
      for (const font of used) expect(font.isCustomFont, `${selector}: ${font.familyName}`).toBe(true)
    }
    await cdp.detach()
  })
})
