// Main process: creates the one app window and fences it in: app-scheme assets with security headers,
// permissions denied, navigation and new windows blocked, webviews refused.
import { readFile } from 'node:fs/promises'
import { BrowserWindow, protocol, session, type WebContents } from 'electron'
import { isLetterPreviewPath, type LetterPreviewStore } from '../core/letters/previewStore'
import { buildPrintShellHtml, showInPrintPage, type CdpSend } from '../core/letters/letterPrintPage'
import { isLetterFontPath, readLetterFont, type LetterFonts } from '../core/letters/render/render'
import type { AttachmentViewStore } from '../core/library/attachmentViewer'
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  buildSecurityHeaders,
  buildAttachmentViewHeaders,
  buildLetterFontHeaders,
  buildLetterPreviewHeaders,
  buildWindowOptions,
  isAllowedNavigation,
  mimeTypeFor,
  resolveAppAsset,
} from './security'

/** Must run before `app.ready`: the scheme is standard and secure so 'self' in the CSP means our origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/**
 * Serves out/renderer on app://custodia with the CSP and other headers on every response, letter previews from
 * the services' store, attachments opened in the viewer from theirs (both emptied at every lock), and the letter
 * fonts (the used faces only, at their exact /letter-fonts/ paths) that previews and prints link to.
 */
export function serveRenderer(
  rendererDir: string,
  letterPreviews: LetterPreviewStore,
  attachmentViews: AttachmentViewStore,
  letterFonts: () => LetterFonts,
): void {
  protocol.handle(APP_SCHEME, async (request) => {
    // Letter previews come from memory (electron/core/letters/previewStore.ts), never from the renderer folder.
    const url = new URL(request.url)
    // So do attachments opened in the viewer (electron/core/library/attachmentViewer.ts).
    if (url.host === APP_HOST && attachmentViews.owns(url.pathname)) {
      const served = attachmentViews.get(url.pathname)
      return served === null
        ? new Response('Not found', { status: 404, headers: buildAttachmentViewHeaders('text/plain') })
        : new Response(new Uint8Array(served.bytes), { headers: buildAttachmentViewHeaders(served.contentType) })
    }
    if (url.host === APP_HOST && isLetterFontPath(url.pathname)) {
      const font = readLetterFont(letterFonts(), url.pathname)
      return font === null
        ? new Response('Not found', { status: 404, headers: buildSecurityHeaders() })
        : new Response(new Uint8Array(font), { headers: buildLetterFontHeaders() })
    }
    if (url.host === APP_HOST && isLetterPreviewPath(url.pathname)) {
      const html = letterPreviews.getPreview(url.pathname)
      return html === null
        ? new Response('Not found', { status: 404, headers: buildLetterPreviewHeaders() })
        : new Response(html, { headers: buildLetterPreviewHeaders() })
    }
    const file = resolveAppAsset(rendererDir, request.url)
    if (!file) return new Response('Not found', { status: 404, headers: buildSecurityHeaders() })
    try {
      const body = await readFile(file)
      return new Response(body, { headers: { ...buildSecurityHeaders(), 'Content-Type': mimeTypeFor(file) } })
    } catch {
      return new Response('Not found', { status: 404, headers: buildSecurityHeaders() })
    }
  })
}

/** Session-wide guards (checklist 5 and 11): no permission is ever granted, no webview is ever attached. */
export function hardenSession(): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)
}

export function guardWebContents(contents: WebContents, devServerUrl?: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, devServerUrl)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url, devServerUrl)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
}

/**
 * Prints letter HTML to PDF in one hidden window: sandboxed, JavaScript off, no preload, navigation fenced like the
 * main window (Electron checklist 2–4, 13).
 *
 * The window is kept between prints (one print at a time). It loads the print shell (letterPrintPage.ts) once from
 * the preview route, which loads every letter face from /letter-fonts/; each letter then replaces the shell's
 * document through the DevTools protocol (webContents.debugger, DOM.setOuterHTML: no script runs, the page keeps the
 * preview route's strict headers), prints, and the shell comes back so no letter stays on the page. That is what the
 * tests and the bench do in Debian's Chromium (test/helpers/pdfPages.ts): a new window per print was a navigation
 * and a new renderer that fetched and decoded the fonts again, most of a print's time. Should the protocol be
 * unavailable (the debugger is taken), each letter is loaded from the preview route instead.
 * `close` destroys the window; main calls it at every lock and when the main window closes (a hidden window left
 * open would keep the app running).
 */
export class LetterPrintWindow {
  private window: BrowserWindow | null = null
  private send: CdpSend | null = null
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly letterPreviews: LetterPreviewStore,
    private readonly letterFonts: () => LetterFonts,
  ) {}

  /** Prints `html` (a letter rendered with linked fonts) to PDF bytes; prints wait for the one before them. */
  print(html: string, pageSize: 'A4' | 'Letter'): Promise<Buffer> {
    const run = this.queue.then(() => this.printNow(html, pageSize))
    // The shell comes back after the bytes are handed on, before the next print starts.
    this.queue = run.then(
      () => this.showShell(),
      () => undefined,
    )
    return run
  }

  /** Destroys the window (at lock, and when the main window closes); the next print opens a new one. */
  close(): void {
    if (this.window && !this.window.isDestroyed()) this.window.destroy()
    this.window = null
    this.send = null
  }

  private async open(): Promise<BrowserWindow> {
    if (this.window && !this.window.isDestroyed()) return this.window
    // Hidden, JavaScript off and every new window denied by guardWebContents, so a middle-click cannot open one.
    // Electronegativity reads the exception from the constructor's own line, so the options stay inline there.
    // prettier-ignore
    const printer = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK
      show: false,
      webPreferences: {
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        javascript: false,
        webSecurity: true,
        spellcheck: false,
      },
    })
    guardWebContents(printer.webContents)
    printer.on('closed', () => {
      if (this.window === printer) this.close()
    })
    this.window = printer
    await printer.loadURL(`${APP_ORIGIN}${this.letterPreviews.putPreview(buildPrintShellHtml(this.letterFonts()))}`)
    try {
      printer.webContents.debugger.attach('1.3')
      this.send = (method, params) => printer.webContents.debugger.sendCommand(method, params) as Promise<unknown>
    } catch {
      this.send = null
    }
    return printer
  }

  private async printNow(html: string, pageSize: 'A4' | 'Letter'): Promise<Buffer> {
    try {
      const printer = await this.open()
      if (this.send) await showInPrintPage(this.send, html)
      else await printer.loadURL(`${APP_ORIGIN}${this.letterPreviews.putPreview(html)}`)
      // Page numbers, the footer and the continuation line are the letter's own CSS margin boxes (letterPages.ts), as
      // in the CLI's chromium --print-to-pdf; Chromium's header/footer templates stay off so nothing is printed twice.
      return await printer.webContents.printToPDF({ pageSize, printBackground: true, preferCSSPageSize: true, displayHeaderFooter: false })
    } catch (error) {
      // A window that failed half-way is not trusted with the next letter.
      this.close()
      throw error
    }
  }

  private async showShell(): Promise<void> {
    const printer = this.window
    if (!printer || printer.isDestroyed()) return
    try {
      const shell = buildPrintShellHtml(this.letterFonts())
      if (this.send) await showInPrintPage(this.send, shell)
      else await printer.loadURL(`${APP_ORIGIN}${this.letterPreviews.putPreview(shell)}`)
    } catch {
      // The letter must not stay on a page nobody looks after: without the shell, the window goes.
      this.close()
    }
  }
}

export function createMainWindow(options: { preloadPath: string; isPackaged: boolean; devServerUrl?: string }): BrowserWindow {
  // Electronegativity cannot follow the options into buildWindowOptions (security.ts), whose every field is
  // asserted by test/unit/main/security.test.ts; new windows are denied below, which covers middle-click.
  const window = new BrowserWindow(buildWindowOptions(options)) // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
  guardWebContents(window.webContents, options.devServerUrl)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.devServerUrl ?? `${APP_ORIGIN}/index.html`)
  return window
}
