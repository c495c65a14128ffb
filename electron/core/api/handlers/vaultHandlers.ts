// Main process (and the e2e harness): handlers of the vault's life cycle — create, unlock, lock, passphrase, auto-lock —
// and its protections (wipe after wrong passphrases, duress passphrase).
import type { vaultChannels } from '../../../../shared/ipc/channels/vaultChannels'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'
import { shredItem } from '../../library/shredItem'

export function createVaultHandlers(ctx: HandlerContext): AreaHandlers<typeof vaultChannels> {
  const { session } = ctx
  return {
    'vault:status': () => session.status(),
    'vault:listRecent': () => ({ dirs: ctx.settings.read().recentVaults }),
    'vault:chooseFolder': async ({ purpose }) => ({ dir: await ctx.platform.chooseFolder(purpose) }),
    'vault:create': async ({ dir, passphrase }) => {
      const { recoveryKey } = await session.create(dir, passphrase)
      return { recoveryKey, status: session.status() }
    },
    'vault:unlock': async ({ dir, passphrase, member }) => {
      await session.unlock(dir, passphrase, { member })
      return session.status()
    },
    'vault:unlockWithRecoveryKey': async ({ dir, recoveryKey }) => {
      await session.unlockWithRecoveryKey(dir, recoveryKey)
      return session.status()
    },
    'vault:acceptIntegrity': () => {
      session.acceptIntegrityReport()
      return session.status()
    },
    'vault:lock': () => {
      session.lock('user')
      return session.status()
    },
    'vault:shredItem': ({ id }) => shredItem(session, id),
    'vault:changePassphrase': async ({ oldPassphrase, newPassphrase }) => {
      await session.changePassphrase(oldPassphrase, newPassphrase)
      return {}
    },
    'vault:setAutoLock': ({ minutes }) => {
      session.setAutoLockMinutes(minutes)
      return session.status()
    },
    'vault:getProtection': () => session.protection(),
    'vault:setWipeAfter': ({ after, includesRecovery }) => {
      session.setWipeAfterFailures(after, includesRecovery)
      return session.protection()
    },
    'vault:setDuress': async ({ passphrase, decoyDir, action, keepRecovery }) => {
      await session.setDuressPassphrase(passphrase, { decoyDir, action, keepRecovery })
      return session.protection()
    },
    'vault:deleteDuress': () => {
      session.clearDuressPassphrase()
      return session.protection()
    },
    'vault:getUnlockGuard': ({ dir }) => session.unlockGuard(dir),
  }
}
