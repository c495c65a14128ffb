// Main process (core, Node only): the backup reminder — "remind me when the last backup is older than N days" — kept
// as two plain vault settings (the number of days, and when the last backup finished), which the vault's state
// commitment covers like every setting, so a reminder switched off outside Custodia is reported at unlock.
import { CustodiaError } from '../../../shared/errors'
import { MAX_BACKUP_REMINDER_DAYS, type BackupStatus } from '../../../shared/ipc/channels/backupChannels'
import type { Vault } from '../vault/vault'
import { LAST_BACKUP_SETTING } from './createBackup'

/** Vault setting: remind after this many days without a backup (decimal text; absent or 0 = never). */
export const REMINDER_SETTING = 'backupReminderDays'

const DAY_MS = 24 * 60 * 60 * 1000

/** The reminder and the last backup's time; `overdue` as of `now` (ms since the epoch). */
export function readBackupStatus(vault: Vault, now: number = Date.now()): BackupStatus {
  const raw = Number(vault.getSetting(REMINDER_SETTING) ?? '0')
  const reminderDays = Number.isInteger(raw) && raw >= 0 && raw <= MAX_BACKUP_REMINDER_DAYS ? raw : 0
  const last = vault.getSetting(LAST_BACKUP_SETTING) ?? null
  const lastMs = last === null ? NaN : Date.parse(last)
  const overdue = reminderDays > 0 && (Number.isNaN(lastMs) || now - lastMs > reminderDays * DAY_MS)
  return { lastBackupAt: Number.isNaN(lastMs) ? null : last, reminderDays, overdue }
}

/** Sets the reminder (0 = off; whole days up to 365, else VALIDATION); logged like every setting change. */
export function setBackupReminder(vault: Vault, days: number, now: number = Date.now()): BackupStatus {
  if (!Number.isInteger(days) || days < 0 || days > MAX_BACKUP_REMINDER_DAYS)
    throw new CustodiaError('VALIDATION', `The reminder must be a whole number of days from 0 (off) to ${MAX_BACKUP_REMINDER_DAYS}.`)
  vault.setSetting(REMINDER_SETTING, String(days))
  return readBackupStatus(vault, now)
}
