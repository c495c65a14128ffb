// Shared: IPC channels of backups — back up the open vault into a folder, verify a backup, restore one into a new
// folder, and the reminder when the last backup is older than the user's chosen number of days.
import { z } from 'zod'
import { absolutePath, channel, empty } from './commonSchemas'

const passphrase = z.string().min(1, 'passphrase is empty').max(1024, 'passphrase is too long')

/** Longest reminder interval a person can choose, in days (0 = no reminder). */
export const MAX_BACKUP_REMINDER_DAYS = 365

export const backupStatusSchema = z.strictObject({
  /** When the last backup of this vault finished (ISO 8601), or null if none was made (with this vault's settings). */
  lastBackupAt: z.string().nullable(),
  /** Remind after this many days without a backup; 0 = never. */
  reminderDays: z.number().int().min(0).max(MAX_BACKUP_REMINDER_DAYS),
  /** True when a reminder is set and the last backup is older than it (or there is none). */
  overdue: z.boolean(),
})
export type BackupStatus = z.infer<typeof backupStatusSchema>

export const backupProgressSchema = z.strictObject({
  action: z.enum(['backup', 'verify', 'restore']),
  doneBytes: z.number().int().min(0),
  totalBytes: z.number().int().min(0),
})
export type BackupProgressEvent = z.infer<typeof backupProgressSchema>

export const backupsChannels = {
  /** The folder dialog: where to write a backup, which backup to verify or restore, where to restore it. null = cancelled. */
  'backups:chooseFolder': channel(
    z.strictObject({ purpose: z.enum(['backup', 'backupSource', 'restoreDestination']) }),
    z.strictObject({ dir: z.string().nullable() }),
  ),
  'backups:create': channel(
    z.strictObject({ dir: absolutePath }),
    z.strictObject({
      createdAt: z.string(),
      attachments: z.number().int(),
      copied: z.number().int(),
      copiedBytes: z.number().int(),
      status: backupStatusSchema,
    }),
  ),
  'backups:verify': channel(
    z.strictObject({ dir: absolutePath, passphrase }),
    z.strictObject({ vaultId: z.string(), createdAt: z.string(), attachments: z.number().int(), bytes: z.number().int() }),
  ),
  'backups:restore': channel(
    z.strictObject({ dir: absolutePath, destination: absolutePath, passphrase }),
    z.strictObject({ dir: z.string(), vaultId: z.string(), createdAt: z.string(), attachments: z.number().int() }),
  ),
  'backups:getStatus': channel(empty, backupStatusSchema),
  'backups:setReminder': channel(z.strictObject({ days: z.number().int().min(0).max(MAX_BACKUP_REMINDER_DAYS) }), backupStatusSchema),
} as const
