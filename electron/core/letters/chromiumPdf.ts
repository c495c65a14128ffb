// CLI / bench (core, Node only): prints letter HTML to PDF with the system's Chromium in headless mode, for places
// without Electron. The app prints with Electron's printToPDF and the tests with page.pdf(): all three are Chromium
// reading the same self-contained HTML (fonts embedded), so they print the same pages.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
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

export interface ChromiumPdfOptions {
  /**
   * An existing private folder for the print's files — the letter's HTML (plaintext), Chromium's throw-away profile
   * and its temp files, the PDF: pass the vault's tmp/ folder, which every lock empties and every unlock empties
   * again, so a print killed half-way leaves its plaintext inside the vault and nowhere else. Required: there is no
   * default in the OS temp folder, where a killed print used to leave the letter's text for good (issue #19).
   */
  workDir: string
  /** The Chromium program; default: the first of CHROMIUM_NAMES on the PATH. */
  chromium?: string
}

/**
 * Prints a standalone HTML document (a rendered letter) to PDF bytes with headless Chromium. The page size comes
 * from the document's CSS @page rule. Chromium reads a page only from a file or a URL: a data: URL would carry the
 * letter on the command line, which other users can read in the process list and which is capped at 128 KiB (the
 * embedded fonts alone are larger), and --print-to-pdf cannot read standard input. So the HTML is written to a new
 * 0700 subfolder of `opts.workDir`, together with Chromium's profile, its TMPDIR and the PDF, and the subfolder is
 * removed afterwards, also on failure. If this process exits while Chromium prints (the CLI does on Ctrl+C or
 * SIGTERM, then locks the vault), all of Chromium is killed first, so it cannot write into a folder being emptied.
 * Networking and extensions are off.
 * Throws CustodiaError: UNSUPPORTED when no Chromium is installed, INTERNAL when printing fails or times out.
 */
export async function renderPdfWithChromium(html: string, opts: ChromiumPdfOptions): Promise<Buffer> {
  const chromium = opts.chromium ?? findChromium()
  if (!chromium) {
    throw new CustodiaError(
      'UNSUPPORTED',
      `PDF export needs Chromium or Google Chrome on the PATH (looked for ${CHROMIUM_NAMES.join(', ')}); DOCX and TXT work without it.`,
    )
  }
  // mkdtemp creates the folder 0700 (whatever the umask), under the caller's private folder.
  const work = fs.mkdtempSync(path.join(opts.workDir, 'pdf-'))
  try {
    const input = path.join(work, 'letter.html')
    const output = path.join(work, 'letter.pdf')
    fs.writeFileSync(input, html, { mode: 0o600, flag: 'wx' })
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-extensions',
      '--disable-breakpad',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-quic',
      `--user-data-dir=${path.join(work, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${output}`,
      pathToFileURL(input).href,
    ]
    // Chromium's own temp files (shared memory fallbacks, spooled print data) go to the same folder, not to /tmp; and
    // it does not inherit CUSTODIA_PASSPHRASE and the other secrets a script may have put in our environment.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CUSTODIA_'))), TMPDIR: work }
    // Chromium is a tree of processes (zygotes, renderers, utility processes) that outlive the browser process for a
    // moment and may still write into its profile. Started as a process group of its own (POSIX), all of it is killed
    // at once: on timeout, when this process exits (the CLI does on Ctrl+C or SIGTERM, then empties the vault's tmp/),
    // and after the print, so nothing is left to write into the folder removed below.
    const ownGroup = process.platform !== 'win32'
    let killAll: (() => void) | undefined
    let timer: NodeJS.Timeout | undefined
    await new Promise<void>((resolve, reject) => {
      // spawn, not execFile: execFile does not pass `detached` on.
      const child = spawn(chromium, args, { env, detached: ownGroup, stdio: 'ignore' })
      child.once('error', reject)
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`Chromium exited with ${code}`))))
      killAll = () => {
        try {
          if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
          else child.kill('SIGKILL')
        } catch {
          // Nothing of it is left.
        }
      }
      timer = setTimeout(killAll, PRINT_TIMEOUT_MS)
      // Before any other exit listener (the CLI's, which locks and empties the vault's tmp/ folder).
      process.prependListener('exit', killAll)
    })
      .catch(() => {
        throw new CustodiaError('INTERNAL', 'Chromium could not print the letter to PDF.')
      })
      .finally(() => {
        clearTimeout(timer)
        if (killAll) {
          process.removeListener('exit', killAll)
          killAll()
        }
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
