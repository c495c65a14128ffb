// Main process (and the e2e harness): composes the app's services and the IPC dispatcher in one place,
// so the Electron shell and the browser tests run exactly the same backend.
import { AppSettingsStore } from '../session/appSettings'
import { VaultSession, type LockReason } from '../session/vaultSession'
import { createDispatcher, type Dispatch } from '../api/dispatch'
import type { Platform } from '../api/context'
import { createHandlers } from '../api/handlers/createHandlers'
import { registerDossierSearchExtractor } from '../dossiers/dossierSearchExtractor'
import { registerAnnotationSearchExtractor } from '../annotations/annotationSearchExtractor'
import { SearchService } from '../search/searchService'
import { clearFoldCaches } from '../search/foldCache'
import { LetterPreviewStore } from '../letters/previewStore'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { KdfParams } from '../vault/vault'
import { errorFields, silentLog, type AppLog } from '../platform/log/appLog'
import { logInternalError } from './appLogEvents'

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
}

export interface AppServices {
  session: VaultSession
  settings: AppSettingsStore
  /** Letter previews (plaintext HTML) for the /letter-preview/ route and the printer; emptied at every lock. */
  letterPreviews: LetterPreviewStore
  dispatch: Dispatch
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const log = options.log ?? silentLog
  log.info('app.started', { version: options.app.version, platform: options.app.platform })
  // Before any index opens, so dossiers are indexed by their name forms and notes (never family contacts).
  registerDossierSearchExtractor()
  registerAnnotationSearchExtractor()
  const settings = new AppSettingsStore(options.userDataDir)
  const session = new VaultSession({
    sodium: options.sodium,
    kdf: options.kdf,
    // The log gets the event and the lock reason, never the folder: its name can name an organisation or a person.
    onLocked: (reason) => {
      log.info('vault.locked', { reason })
      options.onLocked?.(reason)
    },
    onOpened: (dir) => {
      log.info('vault.opened')
      settings.rememberVault(dir)
    },
    openSearch: (vault) => SearchService.open(vault, { sodium: options.sodium }),
    // The error class only, as for IPC failures: a message might quote data.
    onCleanupError: (error) => {
      log.error('vault.lockCleanupFailed', errorFields(error))
      options.onInternalError?.('lock cleanup', error)
    },
  })
  // Plaintext that outlives no unlock: letter previews, and the search folding caches (words of decrypted text,
  // also cleared when the index closes).
  const letterPreviews = new LetterPreviewStore()
  session.onLock(() => letterPreviews.clearPreviews())
  session.onLock(clearFoldCaches)
  const handlers = createHandlers({
    app: options.app,
    session,
    settings,
    letterPreviews,
    platform: options.platform,
    sodiumBackend: options.sodium.name,
    log,
  })
  const dispatch = createDispatcher(handlers, {
    onInternalError: (channel, error, failure) => {
      logInternalError(log, channel, error, failure)
      options.onInternalError?.(channel, error)
    },
  })
  return { session, settings, letterPreviews, dispatch }
}
