// Main process: the security posture of the window, as pure functions a unit test can assert exactly.
// Sources: Electron security checklist (https://www.electronjs.org/docs/latest/tutorial/security), items noted inline.
import { normalize, resolve, sep } from 'node:path'
import type { BrowserWindowConstructorOptions } from 'electron'

/** The app is served from its own privileged scheme, never from file:// or http:// (checklist 18). */
export const APP_SCHEME = 'app'
export const APP_HOST = 'custodia'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * The Content-Security-Policy sent with every response of the app scheme (checklist 7).
 * No remote origins at all; no eval; no inline script; styles only from our files (React sets styles through
 * the CSSOM, which CSP allows); images and fonts also as data: (embedded logos and letter fonts).
 */
export function buildContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'self' blob:",
    "worker-src 'self'",
    "child-src 'self' blob:",
    "manifest-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** The same policy for a <meta> tag, which cannot carry frame-ancestors (browsers ignore it there). */
export function buildMetaContentSecurityPolicy(): string {
  return buildContentSecurityPolicy()
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ')
}

/** Headers added to every app-scheme response. */
export function buildSecurityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': buildContentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
  }
}

export interface WindowOptionsInput {
  preloadPath: string
  isPackaged: boolean
}

export function buildWindowOptions({ preloadPath, isPackaged }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Custodia',
    backgroundColor: '#f6f5f1',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true, // checklist 3
      sandbox: true, // checklist 4
      nodeIntegration: false, // checklist 2
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true, // checklist 6
      allowRunningInsecureContent: false, // checklist 8
      experimentalFeatures: false, // checklist 9
      enableBlinkFeatures: '', // checklist 10
      webviewTag: false, // checklist 12
      navigateOnDragDrop: false, // dropped files are handled by the app, never navigated to
      spellcheck: false, // Chromium's spellchecker would fetch dictionaries from the network
      safeDialogs: true,
      devTools: !isPackaged,
    },
  }
}

/** Only our own top-level app page may call IPC (checklist 17). */
export function isTrustedSenderUrl(url: string | undefined, devServerUrl?: string): boolean {
  if (!url) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true
  if (devServerUrl) {
    const dev = new URL(devServerUrl)
    return parsed.origin === dev.origin
  }
  return false
}

/** Navigation is allowed only within the app's own origin (checklist 13). */
export function isAllowedNavigation(url: string, devServerUrl?: string): boolean {
  return isTrustedSenderUrl(url, devServerUrl)
}

/**
 * Maps a request URL of the app scheme to a file inside the renderer folder, or null when it would escape it.
 * Unknown paths without an extension fall back to index.html (client-side routes).
 */
export function resolveAppAsset(rendererDir: string, requestUrl: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(requestUrl)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  const root = resolve(rendererDir)
  const relative = pathname === '/' || !/\.[a-z0-9]+$/i.test(pathname) ? 'index.html' : pathname.replace(/^\/+/, '')
  const target = resolve(root, normalize(relative))
  if (target !== root && !target.startsWith(root + sep)) return null
  return target
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}

export function mimeTypeFor(file: string): string {
  const dot = file.lastIndexOf('.')
  return MIME_TYPES[file.slice(dot).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * Headers of the letter preview route (/letter-preview/<token>): the exact HTML that prints, shown in an
 * <iframe sandbox> without allow-scripts and loaded by the hidden print window. Its policy allows no script at all,
 * only inline styles, data: images, and fonts from our own origin (the /letter-fonts/ route) or data: (checklist 7).
 * The `sandbox` directive keeps it sandboxed even when loaded on its own (the print window): no script, form, popup,
 * plugin or top-level navigation. It allows one thing, `allow-same-origin`, so the print window's page keeps our
 * origin: its font loads are then same-origin, and Chromium serves them from its cache at every later print instead
 * of fetching and decoding them again (a sandboxed page without it gets a new opaque origin each time, and nothing it
 * loads is reused). Without allow-scripts that grants no script anything, because none can run (HTML's sandboxing
 * note warns only against allow-scripts together with allow-same-origin). frame-ancestors lets only our page embed it.
 */
export function buildLetterPreviewHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "style-src 'unsafe-inline'",
      "font-src 'self' data:",
      'img-src data:',
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'self'",
      'sandbox allow-same-origin',
    ].join('; '),
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=(), bluetooth=()',
  }
}

/**
 * Headers of the letter font route (/letter-fonts/<face>-<hash>.ttf): the Liberation fonts a letter's page loads
 * (electron/core/letters/render/letterFonts.ts, readLetterFont). Public, unchanging bytes: cached for a year and
 * `immutable` (the path carries a hash of the bytes), so a running Chromium reads and decodes each face once. The
 * in-app preview frame has an opaque origin (its iframe is sandboxed without allow-same-origin), so its font loads
 * are cross-origin CORS requests: `Access-Control-Allow-Origin: *` lets it use them, and exposes nothing that is not
 * already in the app's resources folder.
 */
export function buildLetterFontHeaders(): Record<string, string> {
  return {
    'Content-Type': 'font/ttf',
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Access-Control-Allow-Origin': '*',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  }
}

/**
 * Headers of the attachment viewer route (/attachment-view/<token>): a decrypted PDF or picture, fetched by pdf.js or
 * shown in an <img> on our own page. Its type is the one its bytes were checked to be (never the stored name's), no
 * sniffing, never cached, never readable by another origin, and sandboxed with no script should it be opened alone.
 */
export function buildAttachmentViewHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
  }
}
