// Main process (and the e2e harness): handlers of the application's own channels (version, log folder).
import { CustodiaError } from '../../../../shared/errors'
import type { appChannels } from '../../../../shared/ipc/channels/appChannels'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'
import { DEFAULT_PANIC_SHORTCUT, type PanicLock, type PanicLockStatus } from '../../session/panicLock'
import { describeShortcut } from '../../../../shared/desktop/shortcuts'

export function createAppHandlers(ctx: HandlerContext): AreaHandlers<typeof appChannels> {
  const requirePanicLock = (): PanicLock => {
    if (!ctx.panicLock) throw new CustodiaError('UNSUPPORTED', 'This copy of Custodia has no panic lock.')
    return ctx.panicLock
  }
  const shown = (status: PanicLockStatus) => ({
    ...status,
    display: status.shortcut === null ? null : describeShortcut(status.shortcut, ctx.app.platform),
    defaultShortcut: DEFAULT_PANIC_SHORTCUT,
  })
  return {
    'app:getPanicLock': async () => shown(requirePanicLock().current()),
    'app:setPanicLock': async ({ shortcut }) => shown(requirePanicLock().change(shortcut)),
    'app:markCopied': async () => {
      // Without a panic lock there is nothing to remember the copy for.
      await ctx.panicLock?.noteCopied()
      return {}
    },
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
