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
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { KdfParams } from '../vault/vault'

export interface AppServicesOptions {
  userDataDir: string
  sodium: SodiumBackend
  platform: Platform
  app: { name: string; version: string; platform: string }
  kdf?: KdfParams
  onLocked?: (reason: LockReason) => void
  onInternalError?: (channel: string, error: unknown) => void
}

export interface AppServices {
  session: VaultSession
  settings: AppSettingsStore
  dispatch: Dispatch
}

export function createAppServices(options: AppServicesOptions): AppServices {
  // Before any index opens, so dossiers are indexed by their name forms and notes (never family contacts).
  registerDossierSearchExtractor()
  registerAnnotationSearchExtractor()
  const settings = new AppSettingsStore(options.userDataDir)
  const session = new VaultSession({
    sodium: options.sodium,
    kdf: options.kdf,
    onLocked: options.onLocked,
    onOpened: (dir) => settings.rememberVault(dir),
    openSearch: (vault) => SearchService.open(vault, { sodium: options.sodium }),
  })
  const handlers = createHandlers({
    app: options.app,
    session,
    settings,
    platform: options.platform,
    sodiumBackend: options.sodium.name,
  })
  return { session, settings, dispatch: createDispatcher(handlers, { onInternalError: options.onInternalError }) }
}
