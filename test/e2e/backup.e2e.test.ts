// E2E (Chromium + real backend): Security → Backup — the overdue reminder is shown, "Back up now" writes a backup into
// the folder the dialog gave and the reminder goes, and the backup is restored into a new folder with the passphrase
// through the UI, giving a vault that opens.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openVault } from '../../electron/core/vault/vault'
import { GOOD_PASSPHRASE, useHarness } from './harness'

describe('backups in Chromium', () => {
  const harness = useHarness()

  it('reminds, backs up into the chosen folder, and restores into a new one', async () => {
    const h = harness()
    const { page, services } = h
    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE)
    services.session.requireVault().setSetting('backupReminderDays', '7')
    await page.reload()
    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByTestId('backup-reminder').waitFor()
    expect(await page.getByTestId('backup-reminder').textContent()).toContain('No backup of this vault has been made yet')
    await h.screenshot('backup-reminder')

    const target = join(h.workDir, 'usb', 'custodia-backups')
    h.nextBackupFolders = [target]
    await page.getByRole('button', { name: 'Back up now…' }).click()
    await page.getByTestId('backup-message').waitFor()
    expect(await page.getByTestId('backup-message').textContent()).toContain(`Backup complete in ${target}`)
    expect(await page.getByTestId('backup-reminder').count()).toBe(0)
    expect(existsSync(join(target, 'custodia-backup.json'))).toBe(true)

    const restored = join(h.workDir, 'restored')
    h.nextBackupFolders = [target, restored]
    await page.getByLabel('Passphrase of the vault when the backup was made').fill(GOOD_PASSPHRASE)
    await page.getByRole('button', { name: 'Restore a backup into a new folder…' }).click()
    await page.getByText(`into ${restored}`, { exact: false }).waitFor()
    await h.screenshot('backup-restored')
    const vault = await openVault(restored, new TextEncoder().encode(GOOD_PASSPHRASE))
    try {
      expect(vault.vaultId).toBe(services.session.requireVault().vaultId)
      expect(vault.audit.verify()).toMatchObject({ ok: true })
    } finally {
      vault.lock()
    }
  }, 60_000)
})
