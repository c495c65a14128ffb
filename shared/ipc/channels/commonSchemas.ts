// Shared: building blocks for the per-area channel tables.
import { z } from 'zod'

/** A channel = the schema of its request and of its response. Requests are strict objects (no extra keys). */
export const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response })

export const empty = z.strictObject({})

/** An absolute path on POSIX or Windows (drive letter or UNC). */
export const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), {
    message: 'must be an absolute folder path',
  })

/** Record ids: 32 lower-case hex characters. */
export const recordId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a record id')
