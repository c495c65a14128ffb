// Shared: IPC channels of the application itself, which answer whether or not a vault is open (version, log folder).
import { z } from 'zod'
import { channel, empty } from './commonSchemas'

export const appChannels = {
  'app:getInfo': channel(empty, z.strictObject({ name: z.string(), version: z.string(), platform: z.string(), backend: z.string() })),
  // Opens the folder of the application log (main decides which: the request names none). `folder` is shown to the
  // user too, so the log can be found by hand when no file manager opens.
  'app:openLogFolder': channel(empty, z.strictObject({ folder: z.string(), opened: z.boolean() })),
} as const
