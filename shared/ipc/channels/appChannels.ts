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

const panicLockStatusSchema = z.strictObject({
  shortcut: z.string().nullable(),
  display: z.string().nullable(),
  active: z.boolean(),
  defaultShortcut: z.string(),
})
export type PanicLockStatus = z.infer<typeof panicLockStatusSchema>

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
  // The panic lock's system-wide shortcut (Electron accelerator form, e.g. "CommandOrControl+Alt+Shift+L"; null when
  // turned off), `display` as this computer's keyboard says it, and whether the system accepted it.
  'app:getPanicLock': channel(empty, panicLockStatusSchema),
  'app:setPanicLock': channel(z.strictObject({ shortcut: z.string().min(1).max(100).nullable() }), panicLockStatusSchema),
  // Sent by the window after a copy or cut: main notes a keyed hash of what is on the clipboard now (never the text),
  // so the panic lock empties the clipboard only if it still holds something copied from Custodia.
  'app:markCopied': channel(empty, empty),
  // Opens the folder of the application log (main decides which: the request names none). `folder` is shown to the
  // user too, so the log can be found by hand when no file manager opens.
  'app:openLogFolder': channel(empty, z.strictObject({ folder: z.string(), opened: z.boolean() })),
} as const
