// Main process (and the e2e harness): the handler for every IPC channel, assembled from one object per area.
import type { Handlers } from '../dispatch'
import type { HandlerContext } from '../context'
import { createVaultHandlers } from './vaultHandlers'
import { createLibraryHandlers } from './libraryHandlers'
import { createDossierHandlers } from './dossierHandlers'
import { createLettersHandlers } from './letterHandlers'
import { createBundlesHandlers } from './exchangeHandlers'
import { createAnnotationHandlers } from './annotationHandlers'

export function createHandlers(ctx: HandlerContext): Handlers {
  return {
    ...createVaultHandlers(ctx),
    ...createLibraryHandlers(ctx),
    ...createDossierHandlers(ctx),
    ...createLettersHandlers(ctx),
    ...createBundlesHandlers(ctx),
    ...createAnnotationHandlers(ctx),
  }
}
