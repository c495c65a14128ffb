// Main process (and the e2e harness, and the CLI): composes the app's services and the IPC dispatcher in one place,
// so the Electron shell and the browser tests run exactly the same backend; the core services under them (the session
// with search wired) are built by createCoreServices, which the `custodia` CLI uses too.
import { AppSettingsStore } from '../session/appSettings'
import { PanicLock } from '../session/panicLock'
import { VaultSession, type LockReason, type VaultSessionOptions } from '../session/vaultSession'
import { createDispatcher, type Dispatch } from '../api/dispatch'
import type { Platform } from '../api/context'
import { createHandlers } from '../api/handlers/createHandlers'
import { dossierSearchExtractor } from '../dossiers/dossierSearchExtractor'
import { dossierPartSplitter } from '../dossiers/dossierParts'
import { annotationSearchExtractor } from '../annotations/annotationSearchExtractor'
import { savedSearchExtractor } from '../library/savedSearches'
import { createSearchExtractors, SearchService } from '../search/searchService'
import { clearFoldCaches } from '../search/foldCache'
import { LetterPreviewStore } from '../letters/previewStore'
import { AttachmentViewStore } from '../library/attachmentViewer'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { KdfParams } from '../vault/vault'
import { errorFields, silentLog, type AppLog } from '../platform/log/appLog'
import { logInternalError } from './appLogEvents'

/**
 * Every record kind's search extractor, in one set: the app and the CLI open a vault's index with the same set, so
 * neither re-indexes what the other indexed (an index built with other extractors re-indexes the kinds that differ).
 */
export const SEARCH_EXTRACTORS = createSearchExtractors([dossierSearchExtractor, annotationSearchExtractor, savedSearchExtractor])

export interface CoreServicesOptions extends Omit<VaultSessionOptions, 'onOpened' | 'openSearch'> {
  /**
   * The app's own settings file (recent vaults), told about every vault opened. The CLI passes none: it has no
   * Electron userData folder, and a vault a script opens is not one the user picked in the app, so the CLI writes
   * nothing outside the vault.
   */
  settings?: AppSettingsStore
  /**
   * Whether the session opens the search index (at unlock, and on demand through requireSearch). Default true. The
   * CLI turns it off for commands that do not search, so they do not pay for decrypting the index; the next open of
   * the index catches up with whatever they changed.
   */
  search?: boolean
  /** Where vault opens, locks and lock-cleanup failures are noted (the app's log file, the CLI's --verbose). */
  log?: AppLog
}

export interface CoreServices {
  session: VaultSession
}

/** The session, with search wired to the one extractor set, that both the app and the `custodia` CLI work through. */
export function createCoreServices(options: CoreServicesOptions): CoreServices {
  const { settings, search = true, log = silentLog, ...sessionOptions } = options
  const session = new VaultSession({
    ...sessionOptions,
    // The log gets the event and the lock reason, never the folder: its name can name an organisation or a person.
    onOpened: (dir) => {
      log.info('vault.opened')
      settings?.rememberVault(dir)
    },
    onLocked: (reason) => {
      log.info('vault.locked', { reason })
      sessionOptions.onLocked?.(reason)
    },
    onCleanupError: (error) => {
      log.error('vault.lockCleanupFailed', errorFields(error))
      sessionOptions.onCleanupError?.(error)
    },
    // Dossiers written before their sensitive sections were sealed apart are moved at a key holder's unlock.
    partSplitters: [dossierPartSplitter],
    openSearch: search ? (vault) => SearchService.open(vault, { sodium: options.sodium, extractors: SEARCH_EXTRACTORS }) : undefined,
  })
  return { session }
}

export interface AppServicesOptions {
  userDataDir: string
  sodium: SodiumBackend
  platform: Platform
  app: { name: string; version: string; platform: string }
  kdf?: KdfParams
  onLocked?: (reason: LockReason) => void
  onInternalError?: (channel: string, error: unknown) => void
  /** The application log (main opens it in app.getPath('logs')); without one nothing is logged. */
  log?: AppLog
  /** The clock for invitation expiry (tests inject one). */
  now?: () => number
}

export interface AppServices {
  session: VaultSession
  settings: AppSettingsStore
  /** Letter previews (plaintext HTML) for the /letter-preview/ route and the printer; emptied at every lock. */
  letterPreviews: LetterPreviewStore
  /** Attachments opened in the viewer, for the /attachment-view/ route; emptied (and zeroed) at every lock. */
  attachmentViews: AttachmentViewStore
  dispatch: Dispatch
  /** The panic lock, when the platform gives its desktop part; main registers its shortcut with start(). */
  panicLock?: PanicLock
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const log = options.log ?? silentLog
  log.info('app.started', { version: options.app.version, platform: options.app.platform })
  const settings = new AppSettingsStore(options.userDataDir)
  const { session } = createCoreServices({
    settings,
    log,
    sodium: options.sodium,
    kdf: options.kdf,
    now: options.now,
    onLocked: options.onLocked,
    // The app shows what changed and lets the user decide; the CLI (createCoreServices' default) refuses.
    onTampered: 'review',
    // An older vault is re-encrypted under per-item keys once, at its first unlock: the unlock screen shows how far.
    onItemKeyMigration: (progress) => options.platform.emitEvent?.('vault:itemKeyProgress', progress),
    // The error class only, as for IPC failures: a message might quote data.
    onCleanupError: (error) => options.onInternalError?.('lock cleanup', error),
  })
  // Plaintext that outlives no unlock: letter previews, the search folding caches (words of decrypted text, also
  // cleared when the index closes), and attachments opened in the viewer.
  const letterPreviews = new LetterPreviewStore()
  session.onLock(() => letterPreviews.clearPreviews())
  session.onLock(clearFoldCaches)
  const attachmentViews = new AttachmentViewStore()
  session.onLock(() => attachmentViews.clear())
  const panicLock = options.platform.panic ? new PanicLock(session, settings, options.platform.panic) : undefined
  const handlers = createHandlers({
    app: options.app,
    panicLock,
    session,
    settings,
    letterPreviews,
    attachmentViews,
    platform: options.platform,
    sodiumBackend: options.sodium.name,
    sodium: options.sodium,
    log,
  })
  const dispatch = createDispatcher(handlers, {
    caller: () => {
      if (!session.isUnlocked()) return 'locked'
      const member = session.member()
      return member ? { role: member.role } : 'unknown'
    },
    onInternalError: (channel, error, failure) => {
      logInternalError(log, channel, error, failure)
      options.onInternalError?.(channel, error)
    },
  })
  return { session, settings, letterPreviews, attachmentViews, dispatch, panicLock }
}
