// Core test (Node): the backups channels through the real dispatcher — back up the open vault, verify, restore into a
// new folder (never over the open vault), progress events, and the reminder kept as a vault setting.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { readBackupStatus, REMINDER_SETTING } from '../../../electron/core/backup/backupReminder'
import { LAST_BACKUP_SETTING } from '../../../electron/core/backup/createBackup'
import type { BackupStatus } from '../../../shared/ipc/channels/backupChannels'
import { callChannel, failChannel, startTestServices, TEST_PASSPHRASE } from '../../helpers/appServices'
import { createTempDir } from '../../helpers/vaultTestUtils'

const root = createTempDir()
const events: [string, unknown][] = []
let chosen: string | null = null
let services: AppServices
beforeAll(async () => {
  services = await startTestServices(root, {
    chooseBackupFolder: async () => chosen,
    emitEvent: (name, payload) => events.push([name, payload]),
  })
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

describe('backups channels', () => {
  it('backs up the open vault, verifies and restores it into a new folder, with progress', async () => {
    await callChannel(services, 'library:create', { document: { kind: 'note', title: 'Visit', date: null, text: 'Met the lawyer.' } })
    chosen = path.join(root, 'backup')
    const { dir } = await callChannel<{ dir: string }>(services, 'backups:chooseFolder', { purpose: 'backup' })
    const created = await callChannel<{ createdAt: string; status: BackupStatus }>(services, 'backups:create', { dir })
    expect(created.status.lastBackupAt).toBe(created.createdAt)
    expect(events.some(([name, p]) => name === 'backups:progress' && (p as { action: string }).action === 'backup')).toBe(true)

    const verified = await callChannel<{ vaultId: string }>(services, 'backups:verify', { dir, passphrase: TEST_PASSPHRASE })
    expect(verified.vaultId).toBe(services.session.requireVault().vaultId)

    const openDir = services.session.requireVault().dir
    const over = await failChannel(services, 'backups:restore', { dir, destination: openDir, passphrase: TEST_PASSPHRASE })
    expect(over).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('never restored over the open vault') })

    const destination = path.join(root, 'restored')
    const restored = await callChannel<{ dir: string }>(services, 'backups:restore', { dir, destination, passphrase: TEST_PASSPHRASE })
    expect(restored.dir).toBe(destination)
    expect(fs.existsSync(path.join(destination, 'vault.sqlite'))).toBe(true)

    const wrong = await failChannel(services, 'backups:verify', { dir, passphrase: 'a wrong passphrase here' })
    expect(wrong.code).toBe('WRONG_PASSPHRASE')
  })

  it('keeps the reminder as a vault setting and says when a backup is overdue', async () => {
    const vault = services.session.requireVault()
    const off = await callChannel<BackupStatus>(services, 'backups:setReminder', { days: 0 })
    expect(off).toMatchObject({ reminderDays: 0, overdue: false })
    const on = await callChannel<BackupStatus>(services, 'backups:setReminder', { days: 7 })
    expect(on).toMatchObject({ reminderDays: 7, overdue: false })
    expect(vault.getSetting(REMINDER_SETTING)).toBe('7')
    const last = Date.parse(vault.getSetting(LAST_BACKUP_SETTING)!)
    expect(readBackupStatus(vault, last + 6 * 86_400_000).overdue).toBe(false)
    expect(readBackupStatus(vault, last + 8 * 86_400_000).overdue).toBe(true)
    expect(await failChannel(services, 'backups:setReminder', { days: 400 })).toMatchObject({ code: 'VALIDATION' })
    expect(await callChannel<BackupStatus>(services, 'backups:getStatus', {})).toMatchObject({ reminderDays: 7 })
  })
})
