// Main process (and the e2e harness): the handler for every IPC channel, built over the app's services.
// Nothing here imports electron: what only Electron can do (dialogs) arrives through `Platform`.
import type { Handlers } from './dispatch'
import type { VaultSession } from '../app/vaultSession'
import type { AppSettingsStore } from '../app/appSettings'

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
  const { session } = ctx
  return {
    'app:info': () => ({ ...ctx.app, backend: ctx.sodiumBackend }),

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
      return {
        ok: result.ok,
        entries: result.entries,
        firstBrokenSeq: result.ok ? null : result.firstBrokenSeq,
      }
    },
  }
}
