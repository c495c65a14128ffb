// Main process (and the e2e harness): handlers of the application's own channels (version, log folder).
import { CustodiaError } from '../../../../shared/errors'
import type { appChannels } from '../../../../shared/ipc/channels/appChannels'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'

export function createAppHandlers(ctx: HandlerContext): AreaHandlers<typeof appChannels> {
  return {
    'app:getInfo': async () => ({
      ...ctx.app,
      backend: ctx.sodiumBackend,
      screenLock: (await ctx.platform.screenLockCoverage?.().catch(() => 'none' as const)) ?? 'none',
    }),
    'app:openLogFolder': async () => {
      const folder = ctx.log?.folder() ?? null
      if (!folder) throw new CustodiaError('UNSUPPORTED', 'This copy of Custodia keeps no application log.')
      // Only the folder main chose is ever opened; a file manager that fails to start is answered, not thrown.
      const opened = ctx.platform.openFolder ? await ctx.platform.openFolder(folder).catch(() => false) : false
      return { folder, opened }
    },
  }
}
