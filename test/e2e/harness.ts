// Test process: runs the built renderer in Debian's Chromium (playwright-core) and routes the IPC contract to the
// real handlers in this process — page.exposeBinding stands in for preload, so a test goes UI → contract →
// dispatcher → services → vault files, with only the Electron shell (dialogs) replaced.
import { createServer, type Server } from 'node:http'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createAppServices, type AppServices } from '../../electron/core/app/services'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { MIN_KDF } from '../../electron/core/vault/vault'
import {
  APP_ORIGIN,
  buildAttachmentViewHeaders,
  buildLetterFontHeaders,
  buildLetterPreviewHeaders,
  buildSecurityHeaders,
  mimeTypeFor,
  resolveAppAsset,
} from '../../electron/main/security'
import { isLetterPreviewPath } from '../../electron/core/letters/previewStore'
import { isLetterFontPath, readLetterFont } from '../../electron/core/letters/render/render'
import { loadLetterAssets } from '../../electron/core/letters/resources'
import type { ScreenLockCoverage } from '../../shared/ipc/channels/appChannels'

export const REPO_ROOT = resolve(import.meta.dirname, '../..')
const RENDERER_DIR = join(REPO_ROOT, 'out/renderer')
export const RESULTS_DIR = join(REPO_ROOT, 'test-results')

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/**
 * Serves out/renderer exactly as the app scheme does (same path resolution, same CSP and headers), and letter
 * previews from the services' store (`previews` is asked per request: the services are made after the server).
 */
function serveRenderer(services: () => AppServices): Promise<{ server: Server; origin: string }> {
  const previews = () => services().letterPreviews
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', APP_ORIGIN)
    // Attachments opened in the viewer, from memory with their own headers, as window.ts does in the app.
    const views = services().attachmentViews
    if (views.owns(url.pathname)) {
      const served = views.get(url.pathname)
      if (served === null) res.writeHead(404, buildAttachmentViewHeaders('text/plain')).end('Not found')
      else res.writeHead(200, buildAttachmentViewHeaders(served.contentType)).end(served.bytes)
      return
    }
    // The letter fonts previews and prints link to, as window.ts serves them in the app.
    if (isLetterFontPath(url.pathname)) {
      const font = readLetterFont(loadLetterAssets().fonts, url.pathname)
      if (font === null) res.writeHead(404, buildSecurityHeaders()).end('Not found')
      else res.writeHead(200, buildLetterFontHeaders()).end(font)
      return
    }
    // The letter preview route, served from memory with its own headers, as window.ts does in the app.
    if (isLetterPreviewPath(url.pathname)) {
      const html = previews().getPreview(url.pathname)
      if (html === null) res.writeHead(404, buildLetterPreviewHeaders()).end('Not found')
      else res.writeHead(200, buildLetterPreviewHeaders()).end(html)
      return
    }
    const file = resolveAppAsset(RENDERER_DIR, `${APP_ORIGIN}${url.pathname}`)
    const headers = buildSecurityHeaders()
    if (!file) {
      res.writeHead(404, headers).end('Not found')
      return
    }
    try {
      const body = readFileSync(file)
      res.writeHead(200, { ...headers, 'Content-Type': mimeTypeFor(file) }).end(body)
    } catch {
      res.writeHead(404, headers).end('Not found')
    }
  })
  return new Promise((resolvePromise) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      resolvePromise({ server, origin: `http://127.0.0.1:${port}` })
    })
  })
}

export interface Harness {
  page: Page
  services: AppServices
  /** A scratch folder for this harness: vaults, exports. Removed on close. */
  workDir: string
  /** What the fake "choose folder" dialog answers next. */
  nextChosenFolder: string | null
  /** What the fake "open files" dialog answers next ([] = cancelled). */
  nextChosenFiles: string[]
  /** What the fake "save as" dialog answers next (null = cancelled); the names it was offered. */
  nextSaveLocation: string | null
  offeredSaveNames: string[]
  /** What the fake "choose export folder" dialog answers next (null = cancelled). */
  nextExportFolder: string | null
  /** What the fake backup folder dialogs answer, in order (none left = cancelled). */
  nextBackupFolders: string[]
  /**
   * Which screen locks the shell sees (app:getInfo's screenLock). 'none' by default, as for the app on a Linux
   * desktop where neither logind nor a screensaver answers on D-Bus, which is what this machine is.
   */
  screenLockCoverage: ScreenLockCoverage
  /**
   * The desktop's part of the panic lock: shortcuts the fake system refuses (as if another program held them), the
   * one registered now, and how many other windows it was asked to close. The clipboard is the page's own (Chromium's).
   */
  takenShortcuts: string[]
  registeredPanicShortcut: string | null
  otherWindowsClosed: number
  /** Every console message and page error, for tests that assert nothing unexpected ran. */
  consoleMessages: { type: string; text: string }[]
  pageErrors: string[]
  /** Every request the page made that did not go to our own origin. */
  foreignRequests: string[]
  dialogs: string[]
  origin: string
  screenshot(name: string): Promise<string>
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  const workDir = mkdtempSync(join(tmpdir(), 'custodia-e2e-'))
  const { server, origin } = await serveRenderer(() => harness.services)
  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 820 },
    permissions: ['clipboard-read', 'clipboard-write'],
  })
  const page = await context.newPage()

  const sodium = await loadSodium('native')
  const harness: Harness = {
    page,
    services: undefined as unknown as AppServices,
    workDir,
    nextChosenFolder: null,
    nextChosenFiles: [],
    nextSaveLocation: null,
    offeredSaveNames: [],
    nextExportFolder: null,
    nextBackupFolders: [],
    screenLockCoverage: 'none',
    takenShortcuts: [],
    registeredPanicShortcut: null,
    otherWindowsClosed: 0,
    consoleMessages: [],
    pageErrors: [],
    foreignRequests: [],
    dialogs: [],
    origin,
    screenshot: async (name) => {
      mkdirSync(RESULTS_DIR, { recursive: true })
      const file = join(RESULTS_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`)
      await page.screenshot({ path: file, fullPage: true })
      return file
    },
    close: async () => {
      harness.services.session.lock('user')
      await browser.close()
      await new Promise<void>((r) => server.close(() => r()))
      rmSync(workDir, { recursive: true, force: true })
    },
  }

  harness.services = createAppServices({
    userDataDir: join(workDir, 'user-data'),
    sodium,
    kdf: MIN_KDF,
    app: { name: 'Custodia', version: 'e2e', platform: process.platform },
    platform: {
      chooseFolder: async () => harness.nextChosenFolder,
      chooseFiles: async () => harness.nextChosenFiles,
      chooseSaveLocation: async (defaultName) => {
        harness.offeredSaveNames.push(defaultName)
        return harness.nextSaveLocation
      },
      chooseExportFolder: async () => harness.nextExportFolder,
      chooseBackupFolder: async () => harness.nextBackupFolders.shift() ?? null,
      screenLockCoverage: async () => harness.screenLockCoverage,
      panic: {
        registerShortcut: (accelerator) => {
          harness.registeredPanicShortcut = null
          if (accelerator !== null && harness.takenShortcuts.includes(accelerator)) return false
          harness.registeredPanicShortcut = accelerator
          return true
        },
        // Chromium's clipboard, which the page's copy wrote to (clipboard permissions are granted to the context).
        readClipboardText: () => page.evaluate(() => navigator.clipboard.readText()),
        clearClipboard: async () => {
          await page.evaluate(() => navigator.clipboard.writeText(''))
        },
        closeOtherWindows: () => {
          harness.otherWindowsClosed++
        },
      },
      // Main → renderer events (e.g. bundle export progress), delivered as preload would.
      emitEvent: (name, payload) => {
        void page
          .evaluate(({ n, p }) => (globalThis as unknown as { __custodiaEmit: (n: string, p: unknown) => void }).__custodiaEmit(n, p), {
            n: name,
            p: payload,
          })
          .catch(() => undefined)
      },
      // As the app prints (a page loading the preview route), with page.pdf() standing in for printToPDF.
      renderPdf: async (html, pageSize) => {
        const printPage = await context.newPage()
        try {
          await printPage.goto(`${origin}${harness.services.letterPreviews.putPreview(html)}`)
          return await printPage.pdf({ format: pageSize, printBackground: true, preferCSSPageSize: true })
        } finally {
          await printPage.close()
        }
      },
      // The server above answers /letter-fonts/, as the app's protocol does.
      servesLetterFonts: true,
    },
    onLocked: (reason) => {
      void page
        .evaluate(
          ({ name, payload }) =>
            (globalThis as unknown as { __custodiaEmit: (n: string, p: unknown) => void }).__custodiaEmit(name, payload),
          {
            name: 'vault:locked',
            payload: { reason },
          },
        )
        .catch(() => undefined)
    },
  })

  // As main does at start-up: the saved (or default) panic shortcut is registered.
  harness.services.panicLock?.start()

  page.on('console', (msg) => harness.consoleMessages.push({ type: msg.type(), text: msg.text() }))
  page.on('pageerror', (err) => harness.pageErrors.push(err.message))
  page.on('dialog', (dialog) => {
    harness.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
      harness.foreignRequests.push(request.url())
    }
  })

  // Stand-in for preload: only the top frame of our page may call, as register.ts enforces in the app.
  await page.exposeBinding('__custodiaInvoke', (source, channel: unknown, request: unknown) => {
    if (source.frame !== page.mainFrame()) return { ok: false, error: { code: 'VALIDATION', message: 'Request refused.' } }
    return harness.services.dispatch(channel, request)
  })
  await page.addInitScript(() => {
    type Listener = (payload: unknown) => void
    const listeners = new Map<string, Set<Listener>>()
    const w = globalThis as unknown as Record<string, unknown>
    w['__custodiaEmit'] = (name: string, payload: unknown) => listeners.get(name)?.forEach((l) => l(payload))
    const invoke = w['__custodiaInvoke'] as (c: string, r: unknown) => Promise<unknown>
    w['custodia'] = Object.freeze({
      invoke: (channel: string, request: unknown) => invoke(channel, request),
      on: (event: string, listener: Listener) => {
        if (!listeners.has(event)) listeners.set(event, new Set())
        listeners.get(event)!.add(listener)
        return () => listeners.get(event)?.delete(listener)
      },
      // A browser page has no file paths: dropped files are refused, as they would be from a non-file source.
      pathForFile: () => '',
    })
  })
  await page.goto(`${origin}/index.html`)
  return harness
}

/** A passphrase the strength meter accepts. */
export const GOOD_PASSPHRASE = 'violet harbour sixteen lanterns quietly'

/**
 * Registers hooks for a test file: one harness (browser + backend) per file, a fresh page state per test is up
 * to the test, and a full-page screenshot of every failing test saved under test-results/.
 */
export function useHarness(): () => Harness {
  let harness: Harness | null = null
  beforeAll(async () => {
    harness = await startHarness()
  })
  afterEach(async (context) => {
    if (harness && context.task.result?.state === 'fail') {
      await harness.screenshot(`FAILED-${context.task.name}`).catch(() => undefined)
    }
  })
  afterAll(async () => {
    await harness?.close()
  })
  return () => {
    if (!harness) throw new Error('harness not started')
    return harness
  }
}
