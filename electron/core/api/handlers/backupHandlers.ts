// Main process (and the e2e harness): handlers of backups — back up the open vault into a folder the user chose,
// verify a backup, restore one into a new folder, and the reminder. Verify and restore need no open vault (they read
// only the backup and the passphrase), so they also work while it is locked; a restore never touches the open vault.
import type { backupsChannels, BackupProgressEvent } from '../../../../shared/ipc/channels/backupChannels'
import { CustodiaError } from '../../../../shared/errors'
import { createBackup } from '../../backup/createBackup'
import { readBackupStatus, setBackupReminder } from '../../backup/backupReminder'
import { restoreBackup } from '../../backup/restoreBackup'
import { verifyBackup } from '../../backup/verifyBackup'
import type { HandlerContext } from '../context'
import type { AreaHandlers } from '../dispatch'

/** Progress at most every 200 ms (and at the end), so a 2 GiB backup sends a few dozen events, not thousands. */
function progressSender(
  ctx: HandlerContext,
  action: BackupProgressEvent['action'],
): (p: { doneBytes: number; totalBytes: number }) => void {
  let last = 0
  return ({ doneBytes, totalBytes }) => {
    const now = Date.now()
    if (now - last < 200 && doneBytes < totalBytes) return
    last = now
    ctx.platform.emitEvent?.('backups:progress', { action, doneBytes, totalBytes } satisfies BackupProgressEvent)
  }
}

export function createBackupHandlers(ctx: HandlerContext): AreaHandlers<typeof backupsChannels> {
  const { session } = ctx
  return {
    'backups:chooseFolder': async ({ purpose }) => {
      if (!ctx.platform.chooseBackupFolder)
        throw new CustodiaError('UNSUPPORTED', 'Choosing a backup folder is not available in this window.')
      return { dir: await ctx.platform.chooseBackupFolder(purpose) }
    },
    // Not a lock-scoped job (session.holdUntilLock): a backup holds only ciphertext, and a lock during the run makes it
    // fail before its manifest is written (the manifest key is gone), leaving the folder's earlier backups as they were.
    'backups:create': async ({ dir }) => {
      const vault = session.requireVault()
      const summary = await createBackup(vault, dir, { onProgress: progressSender(ctx, 'backup') })
      return {
        createdAt: summary.createdAt,
        attachments: summary.attachments,
        copied: summary.copied,
        copiedBytes: summary.copiedBytes,
        status: readBackupStatus(vault),
      }
    },
    'backups:verify': async ({ dir, passphrase }) => {
      const verified = await verifyBackup(dir, Buffer.from(passphrase, 'utf8'), { onProgress: progressSender(ctx, 'verify') })
      const { manifest } = verified
      return { vaultId: manifest.vaultId, createdAt: manifest.createdAt, attachments: manifest.attachments.length, bytes: verified.bytes }
    },
    'backups:restore': async ({ dir, destination, passphrase }) => {
      const open = session.isUnlocked() ? session.requireVault().dir : null
      if (open !== null && destination === open)
        throw new CustodiaError('CONFLICT', 'A backup is never restored over the open vault: choose a new, empty folder.')
      return restoreBackup(dir, destination, Buffer.from(passphrase, 'utf8'), { onProgress: progressSender(ctx, 'restore') })
    },
    'backups:getStatus': () => readBackupStatus(session.requireVault()),
    'backups:setReminder': ({ days }) => setBackupReminder(session.requireVault(), days),
  }
}
