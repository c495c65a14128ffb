// Test helpers (Node): the app's real services and dispatcher over a fresh unlocked vault, with a fake desktop
// shell (dialogs, printing) that each test fills in — the same composition main and the e2e harness use.
import path from 'node:path'
import { createAppServices, type AppServices, type AppServicesOptions } from '../../electron/core/app/services'
import type { Platform } from '../../electron/core/api/context'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { MIN_KDF } from '../../electron/core/vault/vault'
import type { IpcFailure } from '../../shared/ipc/contract'

export const TEST_PASSPHRASE = 'correct horse battery staple'

/**
 * Services over a new vault in `root/vault` (minimum KDF), unlocked. Dialogs answer "cancelled" unless given;
 * `hooks` are main's callbacks (lock events, the internal-error log) for tests that watch them.
 */
export async function startTestServices(
  root: string,
  platform: Partial<Platform> = {},
  hooks: Pick<AppServicesOptions, 'onLocked' | 'onInternalError'> = {},
): Promise<AppServices> {
  const services = createAppServices({
    ...hooks,
    userDataDir: path.join(root, 'user-data'),
    sodium: await loadSodium('native'),
    kdf: MIN_KDF,
    app: { name: 'Custodia', version: 'test', platform: process.platform },
    platform: { chooseFolder: async () => null, chooseFiles: async () => [], chooseSaveLocation: async () => null, ...platform },
  })
  await services.session.create(path.join(root, 'vault'), TEST_PASSPHRASE)
  return services
}

/** Calls a channel through the dispatcher: the value on success, an Error naming the code otherwise. */
export async function callChannel<T = Record<string, unknown>>(services: AppServices, channel: string, request: unknown): Promise<T> {
  const result = await services.dispatch(channel, request)
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`)
  return result.value as T
}

/** Calls a channel that must fail, and returns its typed failure. */
export async function failChannel(services: AppServices, channel: string, request: unknown): Promise<IpcFailure> {
  const result = await services.dispatch(channel, request)
  if (result.ok) throw new Error(`${channel} unexpectedly succeeded`)
  return result.error
}
