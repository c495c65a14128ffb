// Test helper (Node): printing letter HTML in one running Debian Chromium as the app prints in Electron's Chromium
// (from a server that answers as the app's protocol does), and reading a PDF back page by page with poppler's pdftotext.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
import { findChromium } from '../../electron/core/letters/chromiumPdf'
import { buildPrintShellHtml, showInPrintPage, type CdpSend } from '../../electron/core/letters/letterPrintPage'
import { isLetterPreviewPath, LetterPreviewStore } from '../../electron/core/letters/previewStore'
import { isLetterFontPath, readLetterFont } from '../../electron/core/letters/render/render'
import { loadLetterAssets } from '../../electron/core/letters/resources'
import { buildLetterFontHeaders, buildLetterPreviewHeaders, buildSecurityHeaders } from '../../electron/main/security'

/**
 * A running headless Chromium with one page for printing, as the app prints (electron/main/window.ts,
 * LetterPrintWindow): one long-lived page loads the print shell (letterPrintPage.ts) from the preview route of a local
 * server that answers exactly as the app's protocol does (the preview store, the same headers, the letter fonts at
 * /letter-fonts/); each letter then replaces the page's document, prints, and the shell comes back after the bytes
 * are handed on (as the app's queue does), before the next print starts; `idle` waits for it. `close` when done. `fontRequests` counts the font loads that reached the server; `page` and `send` (its DevTools protocol) are
 * the printing page's, for a look at what it loaded.
 */
export async function launchPrinter(): Promise<{
  print: (html: string) => Promise<Buffer>
  idle: () => Promise<void>
  close: () => Promise<void>
  fontRequests: () => number
  page: Page
  send: CdpSend
}> {
  const executablePath = findChromium()
  if (!executablePath) throw new Error('these tests need Chromium on the PATH (Debian: apt-get install chromium)')
  const previews = new LetterPreviewStore()
  const { fonts } = loadLetterAssets()
  let fontRequests = 0
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (isLetterFontPath(url.pathname)) {
      fontRequests++
      const font = readLetterFont(fonts, url.pathname)
      if (font === null) res.writeHead(404, buildSecurityHeaders()).end('Not found')
      else res.writeHead(200, buildLetterFontHeaders()).end(font)
      return
    }
    const html = isLetterPreviewPath(url.pathname) ? previews.getPreview(url.pathname) : null
    if (html === null) res.writeHead(404, buildLetterPreviewHeaders()).end('Not found')
    else res.writeHead(200, buildLetterPreviewHeaders()).end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const browser: Browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  const page: Page = await browser.newPage()
  // As LetterPrintWindow: the shell loads once, then each letter replaces its document, and the shell comes back after.
  const shell = buildPrintShellHtml(fonts)
  await page.goto(`${origin}${previews.putPreview(shell)}`, { waitUntil: 'load' })
  const cdp = await page.context().newCDPSession(page)
  const send: CdpSend = (method, params) => (cdp as unknown as { send: CdpSend }).send(method, params)
  // The shell's return after the last print; a failure there fails the next print (or `idle`), not silently.
  let shellBack: Promise<void> = Promise.resolve()
  const idle = (): Promise<void> => shellBack
  return {
    // The same options as Electron's printToPDF in electron/main/window.ts.
    print: async (html) => {
      await idle()
      await showInPrintPage(send, html)
      const pdf = await page.pdf({ printBackground: true, preferCSSPageSize: true })
      shellBack = showInPrintPage(send, shell)
      shellBack.catch(() => undefined)
      return pdf
    },
    idle,
    close: async () => {
      await idle()
      await browser.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    fontRequests: () => fontRequests,
    page,
    send,
  }
}

/** Writes `pdf` to `dir/name.pdf` and returns the path. */
export function savePdf(dir: string, name: string, pdf: Uint8Array): string {
  const file = path.join(dir, `${name}.pdf`)
  fs.writeFileSync(file, pdf)
  return file
}

/** Each page's text lines (layout kept, trailing spaces and empty lines dropped), first page first. */
export function readPdfPages(file: string): string[][] {
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  const pages = text.split('\f')
  if (pages.at(-1)?.trim() === '') pages.pop()
  return pages.map((page) =>
    page
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line.trim() !== ''),
  )
}

/** The PDF's page count from pdfinfo. */
export function countPdfPages(file: string): number {
  const match = /^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))
  if (!match) throw new Error(`pdfinfo found no page count in ${file}`)
  return Number(match[1])
}

/**
 * A printed line as a reader sees it, for comparing with source text: the soft hyphens the typesetter put in words
 * (pdftotext reports each unbroken one as U+00AD) left out, and spaces (no-break ones too) collapsed.
 */
export const squash = (text: string): string =>
  text
    .replace(/\u00AD/g, '')
    .replace(/\s+/g, ' ')
    .trim()

/** The top-level blocks of a body's HTML (paragraphs, headings, lists), in order. */
export const bodyBlocks = (html: string): string[] => html.match(/<(p|h2|h3|ul|ol|blockquote)>[\s\S]*?<\/\1>/g) ?? []

/** A page's lines without the page furniture: the continuation line (page 2 on), the footer and "n / N". */
export function contentLines(lines: readonly string[], pageIndex: number, footer: string | undefined): string[] {
  const withoutHeader = pageIndex > 0 ? lines.slice(1) : [...lines]
  const furniture = squash(`${footer ?? ''} ${squash(withoutHeader.at(-1) ?? '')}`)
  let end = withoutHeader.length - 1
  let tail = squash(withoutHeader[end] ?? '')
  while (end > 0 && furniture.endsWith(squash(`${withoutHeader[end - 1]} ${tail}`))) {
    end--
    tail = squash(`${withoutHeader[end]} ${tail}`)
  }
  return withoutHeader.slice(0, end)
}
