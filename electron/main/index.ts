// Main process entry: app life cycle, the window, menus, dialogs and timers. Thin glue only:
// every decision lives in electron/core (tested under Node) or electron/main/security.ts (pure, tested).
import { join } from 'node:path'
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  powerMonitor,
  shell,
  Tray,
  type MenuItemConstructorOptions,
} from 'electron'
import { TRANSPORT_EVENT } from '../../shared/ipc/transport'
import { createAppServices } from '../core/app/services'
import { loadLetterAssets } from '../core/letters/resources'
import type { FilePurpose } from '../core/api/context'
import type { LockReason } from '../core/session/vaultSession'
import { loadSodium } from '../core/platform/crypto/sodium'
import { createFileLog, errorFields } from '../core/platform/log/appLog'
import { logUnexpectedErrors } from '../core/platform/log/processErrors'
import { startScreenLockWatch, type ScreenLockWatch } from '../core/platform/desktop/screenLockSignal'
import { registerIpc } from './ipcRegistration'
import { createMainWindow, hardenSession, registerAppScheme, serveRenderer } from './window'
import { LetterPrintWindow } from './window'

const IDLE_CHECK_INTERVAL_MS = 15_000

/** Title and filters of the "open files" dialog for each purpose. */
const FILE_DIALOGS: Record<FilePurpose, { title: string; filters: { name: string; extensions: string[] }[]; several: boolean }> = {
  import: {
    title: 'Import documents',
    filters: [{ name: 'Documents', extensions: ['txt', 'md', 'markdown', 'html', 'htm', 'docx', 'pdf'] }],
    several: true,
  },
  attach: { title: 'Attach files (they are encrypted into the vault)', filters: [], several: true },
  bundle: { title: 'Open a bundle', filters: [{ name: 'Bundles', extensions: ['age', 'custodia'] }], several: false },
  identity: { title: 'Open an identity or key file', filters: [{ name: 'Text files', extensions: ['txt'] }], several: false },
  invitation: { title: 'Open a sync invitation', filters: [{ name: 'Sync invitations', extensions: ['invitation'] }], several: false },
}
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined

// Checklist: sandbox every renderer, even ones we did not create.
app.enableSandbox()
registerAppScheme()

// The application log (docs/LOGGING.md), opened first so errors during start-up are noted too.
const log = createFileLog({ dir: app.getPath('logs') })
logUnexpectedErrors(log)

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same vault files concurrently: hand over to the first one instead.
  app.quit()
} else {
  void start()
}

/** Titles of the vault:chooseFolder dialogs (start screen; Security → Sync). */
const FOLDER_DIALOG_TITLES = {
  create: 'Choose an empty folder for the new vault',
  open: 'Open a Custodia vault folder',
  sync: 'Choose the folder your sync engine (Syncthing) shares with the other offices',
} as const

/** Titles of the backup folder dialogs (Security → Backup). */
const BACKUP_DIALOG_TITLES = {
  backup: 'Choose a folder for backups (empty, or one with this vault’s earlier backups)',
  backupSource: 'Choose the backup folder',
  restoreDestination: 'Choose a new, empty folder for the restored vault',
} as const

async function start(): Promise<void> {
  await app.whenReady()
  hardenSession()

  let window: BrowserWindow | null = null
  const sendEvent = (name: string, payload: unknown): void => {
    if (window && !window.isDestroyed()) window.webContents.send(TRANSPORT_EVENT, name, payload)
  }

  // The panic shortcut Electron holds for us now, so changing it unregisters only our own.
  let panicShortcut: string | null = null
  const panic = (): void => {
    services.panicLock?.run().catch((error: unknown) => log.error('vault.panicLockFailed', errorFields(error)))
  }

  // Set below, once the session exists; Settings asks through app:getInfo which screen locks lock the vault here.
  let screenLock: Promise<Pick<ScreenLockWatch, 'coverage' | 'stop'>> | null = null

  const sodium = await loadSodium('native')
  const services = createAppServices({
    userDataDir: app.getPath('userData'),
    sodium,
    app: { name: 'Custodia', version: app.getVersion(), platform: process.platform },
    platform: {
      chooseFolder: async (purpose) => {
        const options = {
          title: FOLDER_DIALOG_TITLES[purpose],
          properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
        }
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
        return result.canceled ? null : (result.filePaths[0] ?? null)
      },
      chooseFiles: async (purpose) => {
        const { title, filters, several } = FILE_DIALOGS[purpose]
        const options = {
          title,
          properties: (several ? ['openFile', 'multiSelections'] : ['openFile']) as ('openFile' | 'multiSelections')[],
          filters: [...filters, { name: 'All files', extensions: ['*'] }],
        }
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
        return result.canceled ? [] : result.filePaths
      },
      chooseSaveLocation: async (defaultName) => {
        const options = { title: 'Save an unencrypted copy', defaultPath: join(app.getPath('documents'), defaultName) }
        const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
        return result.canceled || !result.filePath ? null : result.filePath
      },
      chooseExportFolder: async () => {
        const options = {
          title: 'Choose a folder for the letters (unencrypted copies)',
          properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
        }
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
        return result.canceled ? null : (result.filePaths[0] ?? null)
      },
      chooseBackupFolder: async (purpose) => {
        const options = {
          title: BACKUP_DIALOG_TITLES[purpose],
          properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[],
        }
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
        return result.canceled ? null : (result.filePaths[0] ?? null)
      },
      renderPdf: (html, pageSize) => letterPrinter.print(html, pageSize),
      // serveRenderer answers /letter-fonts/ on the origin the print window and the preview frame load from.
      servesLetterFonts: true,
      chooseBundleSaveLocation: async (defaultName, kind) => {
        const options =
          kind === 'invitation'
            ? {
                title: 'Save the invitation file',
                defaultPath: join(app.getPath('documents'), defaultName),
                filters: [{ name: 'Custodia invitations', extensions: ['invitation'] }],
              }
            : kind === 'bundle'
              ? {
                  title: 'Save the encrypted bundle',
                  defaultPath: join(app.getPath('documents'), defaultName),
                  filters: [{ name: 'Custodia bundles', extensions: ['custodia', 'age'] }],
                }
              : {
                  title: 'Save your public identity file',
                  defaultPath: join(app.getPath('documents'), defaultName),
                  filters: [{ name: 'Identity files', extensions: ['txt'] }],
                }
        const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
        return result.canceled || !result.filePath ? null : result.filePath
      },
      emitEvent: (name, payload) => sendEvent(name, payload),
      openFolder: async (folder) => (await shell.openPath(folder)) === '',
      screenLockCoverage: async () => (screenLock ? (await screenLock).coverage : 'none'),
      panic: {
        registerShortcut: (accelerator) => {
          if (panicShortcut) globalShortcut.unregister(panicShortcut)
          panicShortcut = null
          if (accelerator === null) return true
          try {
            if (!globalShortcut.register(accelerator, panic)) return false
          } catch {
            return false
          }
          panicShortcut = accelerator
          return true
        },
        readClipboardText: () => clipboard.readText(),
        clearClipboard: () => {
          clipboard.clear()
          // Linux also keeps the last selected text (middle-click paste): what was just copied was selected in our window.
          clipboard.selection?.clear()
        },
        closeOtherWindows: () => {
          for (const other of BrowserWindow.getAllWindows()) if (other !== window) other.destroy()
        },
      },
    },
    // The session has already disposed everything lock-scoped (previews, opened bundles, jobs, tmp/) by now.
    onLocked: (reason) => sendEvent('vault:locked', { reason }),
    log,
  })

  const letterFonts = () => loadLetterAssets().fonts
  serveRenderer(join(import.meta.dirname, '../renderer'), services.letterPreviews, services.attachmentViews, letterFonts)
  // The one print window (kept with its fonts loaded) shows no letter after a print, and is destroyed at every lock.
  const letterPrinter = new LetterPrintWindow(services.letterPreviews, letterFonts)
  services.session.onLock(() => letterPrinter.close())
  const lock = (reason: LockReason): void => services.session.lock(reason)

  registerIpc(ipcMain, services.dispatch, {
    devServerUrl,
    isOurWebContents: (event) => window !== null && event.sender === window.webContents,
    onRejectedSender: () => console.warn('[ipc] refused a call from an untrusted frame'),
  })

  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenu(lock, panic)))
  services.panicLock?.start()
  app.on('will-quit', () => globalShortcut.unregisterAll())
  const tray = createTray(panic, () => window?.show())

  // Auto-lock: on suspend and screen lock at once, and after the configured idle time.
  powerMonitor.on('suspend', () => lock('suspend'))
  screenLock = watchScreenLock(() => lock('screen-lock'))
  app.on('will-quit', () => void screenLock?.then((watch) => watch.stop()))
  setInterval(() => {
    if (services.session.shouldAutoLock(powerMonitor.getSystemIdleTime())) lock('idle')
  }, IDLE_CHECK_INTERVAL_MS).unref()

  const open = (): void => {
    window = createMainWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      isPackaged: app.isPackaged,
      devServerUrl,
    })
    window.on('closed', () => {
      window = null
      // A hidden print window left open would keep the app from quitting.
      letterPrinter.close()
    })
  }
  open()

  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open()
  })
  app.on('before-quit', () => {
    lock('user')
    tray?.destroy()
  })
  app.on('window-all-closed', () => {
    lock('user')
    if (process.platform !== 'darwin') app.quit()
  })
}

/**
 * Calls `onLock` when the screen locks. Electron's powerMonitor 'lock-screen' fires on macOS and Windows only; on
 * Linux core listens to logind and the desktop's screensaver over D-Bus, and says which locks it can see.
 */
function watchScreenLock(onLock: () => void): Promise<Pick<ScreenLockWatch, 'coverage' | 'stop'>> {
  if (process.platform === 'linux') return startScreenLockWatch(onLock)
  powerMonitor.on('lock-screen', onLock)
  return Promise.resolve({ coverage: 'all', stop: () => powerMonitor.off('lock-screen', onLock) })
}

/**
 * The tray icon: "Lock now" reaches the panic lock with the mouse when the window is hidden or covered. Null where the
 * desktop has no tray (some Linux desktops): the shortcut and the menu remain.
 */
function createTray(panic: () => void, show: () => void): Tray | null {
  try {
    const tray = new Tray(nativeImage.createFromPath(join(import.meta.dirname, '../../resources/icons/tray.png')))
    tray.setToolTip('Custodia')
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Lock Now (Panic Lock)', click: panic },
        { label: 'Show Custodia', click: show },
      ]),
    )
    return tray
  } catch {
    return null
  }
}

function buildMenu(lock: (reason: LockReason) => void, panic: () => void): MenuItemConstructorOptions[] {
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'Vault',
      submenu: [
        { label: 'Lock Vault', accelerator: 'CmdOrCtrl+L', click: () => lock('shortcut') },
        // No accelerator here: the panic shortcut is global (registered by the panic lock) and would fire twice.
        { label: 'Panic Lock (Close Everything)', click: panic },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: app.isPackaged
        ? [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
        : [
            { role: 'reload' },
            { role: 'toggleDevTools' },
            { type: 'separator' },
            { role: 'resetZoom' },
            { role: 'zoomIn' },
            { role: 'zoomOut' },
          ],
    },
    { role: 'windowMenu' },
  ]
}
