// Main process: creates the one app window and fences it in: app-scheme assets with security headers,
// permissions denied, navigation and new windows blocked, webviews refused.
import { readFile } from 'node:fs/promises'
import { BrowserWindow, protocol, session, type WebContents } from 'electron'
import { isLetterPreviewPath, type LetterPreviewStore } from '../core/letters/previewStore'
import type { AttachmentViewStore } from '../core/library/attachmentViewer'
import {
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  buildSecurityHeaders,
  buildAttachmentViewHeaders,
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
 * Serves out/renderer on app://custodia with the CSP and other headers on every response, and letter previews from
 * the services' store, and attachments opened in the viewer from theirs (both emptied at every lock).
 */
export function serveRenderer(rendererDir: string, letterPreviews: LetterPreviewStore, attachmentViews: AttachmentViewStore): void {
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
 * Prints letter HTML to PDF in a hidden window that loads it from the preview route: sandboxed, JavaScript off,
 * no preload, navigation fenced like the main window (Electron checklist 2–4, 13). The window is always destroyed.
 */
export async function printLetterPdf(letterPreviews: LetterPreviewStore, html: string, pageSize: 'A4' | 'Letter'): Promise<Buffer> {
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
  const urlPath = letterPreviews.putPreview(html)
  try {
    await printer.loadURL(`${APP_ORIGIN}${urlPath}`)
    // Page numbers, the footer and the continuation line are the letter's own CSS margin boxes (letterPages.ts), as in
    // the CLI's chromium --print-to-pdf; Chromium's header/footer templates stay off so nothing is printed twice.
    return await printer.webContents.printToPDF({ pageSize, printBackground: true, preferCSSPageSize: true, displayHeaderFooter: false })
  } finally {
    printer.destroy()
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
