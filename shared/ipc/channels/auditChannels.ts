// Shared: IPC channels of the vault's audit log.
import { z } from 'zod'
import { channel, empty } from './commonSchemas'

export const auditChannels = {
  'audit:verify': channel(
    empty,
    z.strictObject({ ok: z.boolean(), entries: z.number().int(), firstBrokenSeq: z.number().int().nullable() }),
  ),
} as const
