// Main process (Node): text of an imported PDF via pdf.js (legacy build for Node), with line and paragraph breaks.
// isEvalSupported:false closes the font-program code path of CVE-2024-4367; fonts are never installed
// (disableFontFace) and nothing is fetched: the document comes in as bytes and no URL parameters are given.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { CustodiaError } from '../../../../shared/errors'

interface PdfLine {
  text: string
  y: number
  height: number
}

interface TextItemLike {
  str?: unknown
  hasEOL?: unknown
  transform?: unknown
  height?: unknown
}

function collectLines(items: readonly TextItemLike[]): PdfLine[] {
  const lines: PdfLine[] = []
  let current: PdfLine | null = null
  for (const item of items) {
    if (typeof item.str !== 'string') continue // marked-content markers carry no text
    const transform = Array.isArray(item.transform) ? (item.transform as number[]) : []
    const y = typeof transform[5] === 'number' ? transform[5] : 0
    const height = typeof item.height === 'number' && item.height > 0 ? item.height : 12
    if (current === null) current = { text: '', y, height }
    current.text += item.str
    current.height = Math.max(current.height, height)
    if (item.hasEOL === true) {
      lines.push(current)
      current = null
    }
  }
  if (current !== null) lines.push(current)
  return lines
}

/** Join lines of one page: a vertical gap clearly larger than a line (or an empty line) starts a paragraph. */
function joinLines(lines: readonly PdfLine[]): string[] {
  const paragraphs: string[] = []
  let paragraph: string[] = []
  let previous: PdfLine | null = null
  for (const line of lines) {
    const text = line.text.replace(/\s+$/u, '')
    if (text.trim() === '') {
      if (paragraph.length > 0) paragraphs.push(paragraph.join('\n'))
      paragraph = []
      previous = null
      continue
    }
    if (previous !== null) {
      const gap = previous.y - line.y
      if (gap < 0 || gap > Math.max(previous.height, line.height) * 1.75) {
        paragraphs.push(paragraph.join('\n'))
        paragraph = []
      }
    }
    paragraph.push(text)
    previous = line
  }
  if (paragraph.length > 0) paragraphs.push(paragraph.join('\n'))
  return paragraphs
}

/**
 * Extract the paragraphs of a PDF (each paragraph's lines joined by '\n').
 * Throws CustodiaError VALIDATION "could not read PDF file" for anything pdf.js cannot open, and a specific message
 * for a password-protected file.
 */
export async function extractPdfParagraphs(bytes: Uint8Array): Promise<string[]> {
  if (!Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-')) {
    throw new CustodiaError('VALIDATION', 'could not read PDF file: it has no PDF header')
  }
  // pdf.js may transfer (detach) the buffer it is given; hand it a private copy.
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    isOffscreenCanvasSupported: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
  })
  try {
    const doc = await task.promise
    const paragraphs: string[] = []
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n)
      const content = await page.getTextContent()
      paragraphs.push(...joinLines(collectLines(content.items as TextItemLike[])))
      page.cleanup()
    }
    return paragraphs
  } catch (error) {
    if (error instanceof CustodiaError) throw error
    const name = error instanceof Error ? error.name : ''
    if (name === 'PasswordException') {
      throw new CustodiaError('VALIDATION', 'could not read PDF file: it is password-protected')
    }
    throw new CustodiaError('VALIDATION', 'could not read PDF file')
  } finally {
    await task.destroy()
  }
}
