// Main process (and the e2e harness): the handler for every IPC channel, assembled from one object per area.
import type { Handlers } from '../dispatch'
import type { HandlerContext } from '../context'
import { createAppHandlers } from './appHandlers'
import { createAuditHandlers } from './auditHandlers'
import { createVaultHandlers } from './vaultHandlers'
import { createLibraryHandlers } from './libraryHandlers'
import { createDossierHandlers } from './dossierHandlers'
import { createLettersHandlers } from './letterHandlers'
import { createBundlesHandlers } from './exchangeHandlers'
import { createAnnotationHandlers } from './annotationHandlers'
import { createOrganisationHandlers } from './organisationHandlers'
import { createBackupHandlers } from './backupHandlers'
import { createMemberHandlers } from './memberHandlers'
import { createSyncHandlers } from './syncHandlers'

export function createHandlers(ctx: HandlerContext): Handlers {
  return {
    ...createAppHandlers(ctx),
    ...createVaultHandlers(ctx),
    ...createAuditHandlers(ctx),
    ...createLibraryHandlers(ctx),
    ...createDossierHandlers(ctx),
    ...createLettersHandlers(ctx),
    ...createBundlesHandlers(ctx),
    ...createAnnotationHandlers(ctx),
    ...createOrganisationHandlers(ctx),
    ...createBackupHandlers(ctx),
    ...createMemberHandlers(ctx),
    ...createSyncHandlers(ctx),
  }
}
