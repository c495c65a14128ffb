// CLI / bench (core, Node only): prints letter HTML to PDF with the system's Chromium in headless mode, for places
// without Electron. The app prints with Electron's printToPDF and the tests with page.pdf(): all three are Chromium
// reading the same self-contained HTML (fonts embedded), so they print the same pages.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'

/** Program names tried on PATH, in order. */
export const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const

/** Longest a print may take before it is abandoned. */
const PRINT_TIMEOUT_MS = 60_000

/**
 * Returns the full path of the first Chromium found on `searchPath` (default: $PATH), or null. Only regular files
 * with an execute bit count, so a same-named folder is skipped.
 */
export function findChromium(searchPath: string = process.env['PATH'] ?? ''): string | null {
  for (const name of CHROMIUM_NAMES) {
    for (const dir of searchPath.split(path.delimiter)) {
      if (!dir) continue
      const candidate = path.join(dir, name)
      try {
        const stat = fs.statSync(candidate)
        if (stat.isFile() && (stat.mode & 0o111) !== 0) return candidate
      } catch {
        // not here: try the next folder
      }
    }
  }
  return null
}

/**
 * Prints a standalone HTML document (a rendered letter) to PDF bytes with headless Chromium. The page size comes
 * from the document's CSS @page rule. The HTML is written to a private temp folder (mode 0700) together with a
 * throw-away browser profile, and both are removed afterwards, also on failure. Networking and extensions are off.
 * Throws CustodiaError: UNSUPPORTED when no Chromium is installed, INTERNAL when printing fails or times out.
 */
export async function renderPdfWithChromium(html: string, opts: { chromium?: string } = {}): Promise<Buffer> {
  const chromium = opts.chromium ?? findChromium()
  if (!chromium) {
    throw new CustodiaError(
      'UNSUPPORTED',
      `PDF export needs Chromium or Google Chrome on the PATH (looked for ${CHROMIUM_NAMES.join(', ')}); DOCX and TXT work without it.`,
    )
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-pdf-'))
  try {
    fs.chmodSync(work, 0o700)
    const input = path.join(work, 'letter.html')
    const output = path.join(work, 'letter.pdf')
    fs.writeFileSync(input, html, { mode: 0o600 })
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-quic',
      `--user-data-dir=${path.join(work, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${output}`,
      `file://${input}`,
    ]
    await new Promise<void>((resolve, reject) => {
      execFile(chromium, args, { timeout: PRINT_TIMEOUT_MS, maxBuffer: 4 * 1024 * 1024 }, (error) => (error ? reject(error) : resolve()))
    }).catch(() => {
      throw new CustodiaError('INTERNAL', 'Chromium could not print the letter to PDF.')
    })
    let pdf: Buffer
    try {
      pdf = fs.readFileSync(output)
    } catch {
      throw new CustodiaError('INTERNAL', 'Chromium finished without writing the PDF.')
    }
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
      throw new CustodiaError('INTERNAL', 'Chromium wrote something that is not a PDF.')
    return pdf
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}
