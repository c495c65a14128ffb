// Shared: IPC channels of the vault's activity log (the audit chain): check it, read it in words, export a report.
import { z } from 'zod'
import { channel, empty, recordId } from './commonSchemas'

/** A day (YYYY-MM-DD) or a full ISO time; core reads it and says in words what is wrong with it. */
const dateBound = z.string().max(40).optional()

export const activityFilterSchema = z.strictObject({
  memberId: recordId.optional(),
  action: z.string().max(64).optional(),
  /** A record id or words of its title. */
  record: z.string().max(200).optional(),
  since: dateBound,
  until: dateBound,
})
export type ActivityFilterRequest = z.infer<typeof activityFilterSchema>

const verificationSchema = z.strictObject({ ok: z.boolean(), entries: z.number().int(), firstBrokenSeq: z.number().int().nullable() })

export const activityEntrySchema = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  memberId: z.string().nullable(),
  memberName: z.string().nullable(),
  recordId: z.string().nullable(),
  recordKind: z.string().nullable(),
  recordTitle: z.string().nullable(),
  /** Another office did it (its entry came with sync): its device, the roster's member for it, when (by its clock). */
  origin: z.strictObject({ deviceId: z.string(), member: z.string(), at: z.string() }).nullable(),
})
export type ActivityEntryView = z.infer<typeof activityEntrySchema>

export const auditChannels = {
  'audit:verify': channel(empty, verificationSchema),
  /** The log in words, newest first (at most 500 rows; `matched` counts them all), with the chain check. */
  'audit:list': channel(
    activityFilterSchema,
    z.strictObject({
      entries: z.array(activityEntrySchema),
      matched: z.number().int(),
      verification: verificationSchema,
      members: z.array(z.strictObject({ id: z.string(), name: z.string() })),
      actions: z.array(z.strictObject({ action: z.string(), label: z.string() })),
    }),
  ),
  /** The listed entries as a signed JSON report or a PDF, saved where the user chooses. */
  'audit:exportReport': channel(
    z.strictObject({ filter: activityFilterSchema, format: z.enum(['json', 'pdf']) }),
    z.strictObject({ saved: z.boolean(), fingerprint: z.string().nullable() }),
  ),
} as const
