// Main process (and the e2e harness): what every handler is given — the session, settings, and the few things only the
// desktop shell can do (dialogs, printing), which arrive through `Platform` so nothing here imports electron.
import type { VaultSession } from '../session/vaultSession'
import type { AppSettingsStore } from '../session/appSettings'
import type { PageSize } from '../../../shared/letters/templateModel'
import type { AppLog } from '../platform/log/appLog'
import type { LetterPreviewStore } from '../letters/previewStore'
import type { AttachmentViewStore } from '../library/attachmentViewer'
import type { ScreenLockCoverage } from '../../../shared/ipc/channels/appChannels'
import type { PanicLock, PanicPlatform } from '../session/panicLock'
import type { SodiumBackend } from '../platform/crypto/sodium'

/** What a file dialog is for: it decides the dialog's title and file filters. */
export type FilePurpose = 'import' | 'attach' | 'bundle' | 'identity' | 'invitation'

/** The few things handlers need from the desktop shell. Tests supply their own. */
export interface Platform {
  /** Native "choose folder": for a new vault, an existing vault, or the folder the sync engine shares ('sync'). */
  chooseFolder(purpose: 'create' | 'open' | 'sync'): Promise<string | null>
  /** Native "open files" dialog (several files); [] when cancelled. Absolute paths. */
  chooseFiles(purpose: FilePurpose): Promise<string[]>
  /** Native "save as" dialog proposing `defaultName`; null when cancelled. Absolute path. */
  chooseSaveLocation(defaultName: string): Promise<string | null>
  /**
   * Native "choose folder" dialog for exporting several files (mail merge); null when cancelled.
   * Optional only so test platforms of other areas need not supply it; the app and the e2e harness do.
   */
  chooseExportFolder?(): Promise<string | null>
  /**
   * Prints a standalone letter HTML document (no script) to PDF bytes with Chromium: Electron's printToPDF in the
   * app, page.pdf() in the e2e harness. The CSS @page rule sets the size; `pageSize` backs it up.
   * Optional for the same reason as chooseExportFolder; without it PDF export reports UNSUPPORTED.
   */
  renderPdf?(html: string, pageSize: PageSize): Promise<Buffer>
  /**
   * True when the origin that serves the preview route (letterPreviews) also serves the letter fonts at their
   * /letter-fonts/ paths (readLetterFont) and renderPdf prints from that origin: the app's protocol and the e2e
   * harness's server do. Letter previews and prints then link their fonts, which a running Chromium keeps cached,
   * instead of embedding ~1 MB of them in every page (letterFonts.ts, LetterFontSource). Otherwise they embed them.
   */
  servesLetterFonts?: boolean
  /**
   * Native "save as" for an encrypted bundle, a public identity file or a sync invitation (titled accordingly); null
   * when cancelled.
   * Optional: without it chooseSaveLocation is used.
   */
  chooseBundleSaveLocation?(defaultName: string, kind: 'bundle' | 'identity' | 'invitation'): Promise<string | null>
  /**
   * Native "choose folder" dialog for backups: where to write one ('backup'), which to verify or restore
   * ('backupSource'), where to restore it ('restoreDestination'); null when cancelled. Optional like the others.
   */
  chooseBackupFolder?(purpose: 'backup' | 'backupSource' | 'restoreDestination'): Promise<string | null>
  /** Sends a main → renderer event (`events` in the contract), e.g. bundle export progress. Optional: none are sent. */
  emitEvent?(name: string, payload: unknown): void
  /**
   * Shows a folder in the system's file manager (Electron's shell.openPath); true when it opened. Only ever given a
   * folder main chose (the log folder), never a path from the renderer. Optional: without it nothing opens.
   */
  openFolder?(path: string): Promise<boolean>
  /**
   * Which screen locks the shell sees and locks the vault at (ScreenLockCoverage): Electron's powerMonitor on macOS
   * and Windows ('all'); on Linux what platform/desktop/screenLockSignal.ts found on D-Bus. May wait for that watch
   * to start. Optional: without it (or if it fails), 'none'.
   */
  screenLockCoverage?(): Promise<ScreenLockCoverage>
  /** The desktop's part of the panic lock (global shortcut, clipboard, windows). Optional: without it, no panic lock. */
  panic?: PanicPlatform
}

export interface HandlerContext {
  app: { name: string; version: string; platform: string }
  session: VaultSession
  settings: AppSettingsStore
  /** The app's letter preview store (owned by app/services.ts, emptied at every lock). */
  letterPreviews: LetterPreviewStore
  platform: Platform
  sodiumBackend: string
  /** The crypto backend itself, for core steps that take it (sync). */
  sodium: SodiumBackend
  /** Attachments opened in the viewer (decrypted, in memory only; emptied at every lock). */
  attachmentViews: AttachmentViewStore
  /** The panic lock, when the platform has one (the app and the e2e harness; not the CLI). */
  panicLock?: PanicLock
  /** The application log; absent in tests and the e2e harness, which keep none. */
  log?: AppLog
}
