// Main process (and the e2e harness): the handler for every IPC channel, assembled from one object per area.
// Nothing here imports electron: what only Electron can do (dialogs) arrives through `Platform`.
import type { Handlers } from './dispatch'
import type { VaultSession } from '../app/vaultSession'
import type { AppSettingsStore } from '../app/appSettings'
import { createVaultHandlers } from './handlers/vault'

/** The few things handlers need from the desktop shell. Tests supply their own. */
export interface Platform {
  chooseFolder(purpose: 'create' | 'open'): Promise<string | null>
}

export interface HandlerContext {
  app: { name: string; version: string; platform: string }
  session: VaultSession
  settings: AppSettingsStore
  platform: Platform
  sodiumBackend: string
}

export function createHandlers(ctx: HandlerContext): Handlers {
  return {
    ...createVaultHandlers(ctx),
  }
}
