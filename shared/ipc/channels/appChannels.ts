// Shared: IPC channels of the application itself, which answer whether or not a vault is open (version, log folder).
import { z } from 'zod'
import { channel, empty } from './commonSchemas'

/**
 * Which screen locks this copy of Custodia sees, and so locks the vault at, so Settings promises no more than that:
 * - 'all': every one (macOS and Windows; Linux with a screensaver that announces locks on D-Bus: GNOME, KDE, …);
 * - 'session': Linux with systemd-logind only: locks made through the login session (`loginctl lock-session`, lid
 *   and idle policies), not a locker started on its own (a key bound straight to i3lock or swaylock);
 * - 'none': none at all.
 */
export const screenLockCoverageSchema = z.enum(['all', 'session', 'none'])
export type ScreenLockCoverage = z.infer<typeof screenLockCoverageSchema>

export const appChannels = {
  'app:getInfo': channel(
    empty,
    z.strictObject({
      name: z.string(),
      version: z.string(),
      platform: z.string(),
      backend: z.string(),
      screenLock: screenLockCoverageSchema,
    }),
  ),
  // Opens the folder of the application log (main decides which: the request names none). `folder` is shown to the
  // user too, so the log can be found by hand when no file manager opens.
  'app:openLogFolder': channel(empty, z.strictObject({ folder: z.string(), opened: z.boolean() })),
} as const
