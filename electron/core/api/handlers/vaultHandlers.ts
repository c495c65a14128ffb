// Main process (and the e2e harness): handlers of the vault area — life cycle, settings, audit — and of the app's own
// channels (info, log folder).
import { CustodiaError } from '../../../../shared/errors'
import type { vaultChannels } from '../../../../shared/ipc/channels/vaultChannels'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'

export function createVaultHandlers(ctx: HandlerContext): AreaHandlers<typeof vaultChannels> {
  const { session } = ctx
  return {
    'app:info': () => ({ ...ctx.app, backend: ctx.sodiumBackend }),
    'app:openLogFolder': async () => {
      const folder = ctx.log?.folder() ?? null
      if (!folder) throw new CustodiaError('UNSUPPORTED', 'This copy of Custodia keeps no application log.')
      // Only the folder main chose is ever opened; a file manager that fails to start is answered, not thrown.
      const opened = ctx.platform.openFolder ? await ctx.platform.openFolder(folder).catch(() => false) : false
      return { folder, opened }
    },
    'vault:status': () => session.status(),
    'vault:recent': () => ({ dirs: ctx.settings.read().recentVaults }),
    'vault:chooseFolder': async ({ purpose }) => ({ dir: await ctx.platform.chooseFolder(purpose) }),
    'vault:create': async ({ dir, passphrase }) => {
      const { recoveryKey } = await session.create(dir, passphrase)
      return { recoveryKey, status: session.status() }
    },
    'vault:unlock': async ({ dir, passphrase }) => {
      await session.unlock(dir, passphrase)
      return session.status()
    },
    'vault:unlockWithRecoveryKey': async ({ dir, recoveryKey }) => {
      await session.unlockWithRecoveryKey(dir, recoveryKey)
      return session.status()
    },
    'vault:lock': () => {
      session.lock('user')
      return session.status()
    },
    'vault:changePassphrase': async ({ oldPassphrase, newPassphrase }) => {
      await session.changePassphrase(oldPassphrase, newPassphrase)
      return {}
    },
    'vault:setAutoLock': ({ minutes }) => {
      session.setAutoLockMinutes(minutes)
      return session.status()
    },
    'audit:verify': () => {
      const result = session.requireVault().audit.verify()
      return { ok: result.ok, entries: result.entries, firstBrokenSeq: result.ok ? null : result.firstBrokenSeq }
    },
  }
}
