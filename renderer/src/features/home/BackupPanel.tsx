// Renderer: Security → Backup — back up the open vault into a folder, check a backup, restore one into a new folder,
// and the reminder when the last backup is older than the chosen number of days (shown here when it is overdue).
import { useEffect, useState } from 'react'
import type { BackupProgressEvent, BackupStatus } from '../../../../shared/ipc/channels/backupChannels'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useAsync } from '../../hooks/useAsync'
import { formatDateTime, formatSize } from '../../i18n/format'

const REMINDER_CHOICES = [0, 1, 3, 7, 14, 30, 90] as const
const DAY_MS = 24 * 60 * 60 * 1000

function reminderText(status: BackupStatus): string {
  if (status.lastBackupAt === null) return 'No backup of this vault has been made yet. Back it up now, to a disk you keep somewhere else.'
  const days = Math.floor((Date.now() - Date.parse(status.lastBackupAt)) / DAY_MS)
  return `The last backup is ${days} day${days === 1 ? '' : 's'} old (made ${formatDateTime(status.lastBackupAt)}). Back up now.`
}

const PROGRESS_WORDS: Record<BackupProgressEvent['action'], string> = {
  backup: 'Backing up',
  verify: 'Checking the backup',
  restore: 'Checking and restoring',
}

export function BackupPanel() {
  const api = useApi()
  const [status, setStatus] = useState<BackupStatus | null>(null)
  const [progress, setProgress] = useState<BackupProgressEvent | null>(null)
  const [passphrase, setPassphrase] = useState('')
  const [message, setMessage] = useState<string | null>(null)
  const { busy, error, run } = useAsync<void>()

  useEffect(() => {
    let live = true
    // Without the status (an older main, a failure) the panel still backs up; it just shows no reminder.
    api['backups:getStatus']({})
      .then((s) => live && setStatus(s))
      .catch(() => undefined)
    const off = api.on('backups:progress', (p) => live && setProgress(p))
    return () => {
      live = false
      off()
    }
  }, [api])

  const act = (work: () => Promise<string | null>) =>
    void run(async () => {
      setMessage(null)
      setProgress(null)
      try {
        const said = await work()
        if (said) setMessage(said)
      } finally {
        setProgress(null)
      }
    })

  const backUp = () =>
    act(async () => {
      const { dir } = await api['backups:chooseFolder']({ purpose: 'backup' })
      if (!dir) return null
      const done = await api['backups:create']({ dir })
      setStatus(done.status)
      return `Backup complete in ${dir}: ${done.attachments} attachment${done.attachments === 1 ? '' : 's'} (${done.copied} new), ${formatSize(done.copiedBytes)} written. Everything in it is still encrypted. Check it once (Check a backup…) before you rely on it.`
    })

  const verify = () =>
    act(async () => {
      const { dir } = await api['backups:chooseFolder']({ purpose: 'backupSource' })
      if (!dir) return null
      const done = await api['backups:verify']({ dir, passphrase })
      return `The backup made ${formatDateTime(done.createdAt)} is complete and unchanged: ${done.attachments} attachment${done.attachments === 1 ? '' : 's'}, ${formatSize(done.bytes)} checked.`
    })

  const restore = () =>
    act(async () => {
      const source = await api['backups:chooseFolder']({ purpose: 'backupSource' })
      if (!source.dir) return null
      const destination = await api['backups:chooseFolder']({ purpose: 'restoreDestination' })
      if (!destination.dir) return null
      const done = await api['backups:restore']({ dir: source.dir, destination: destination.dir, passphrase })
      setPassphrase('')
      return `Restored the backup made ${formatDateTime(done.createdAt)} into ${done.dir}. Open that folder from the start screen with the passphrase the vault had then.`
    })

  return (
    <div className="subform" aria-labelledby="backup-title">
      <h2 id="backup-title">Backup</h2>
      {status?.overdue ? (
        <p className="notice" role="status" data-testid="backup-reminder">
          {reminderText(status)}
        </p>
      ) : null}
      <p className="hint">
        A backup is a copy of this vault in a folder you choose, for example on a USB disk kept away from this computer. It stays encrypted:
        without the passphrase nobody can read it. Backing up again into the same folder adds only what is new. A backup opens with the
        passphrase the vault had when it was made, and it does not protect anything added after it.
      </p>
      <p data-testid="backup-last">
        {status?.lastBackupAt ? `Last backup: ${formatDateTime(status.lastBackupAt)}.` : 'No backup made yet.'}
      </p>
      <button disabled={busy} onClick={backUp}>
        Back up now…
      </button>
      <div className="field">
        <label htmlFor="backup-reminder-days">Remind me when the last backup is older than</label>
        <select
          id="backup-reminder-days"
          value={status?.reminderDays ?? 0}
          disabled={busy || status === null}
          onChange={(e) => void run(async () => setStatus(await api['backups:setReminder']({ days: Number(e.target.value) })))}
        >
          {REMINDER_CHOICES.map((d) => (
            <option key={d} value={d}>
              {d === 0 ? 'Never remind me' : `${d} day${d === 1 ? '' : 's'}`}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="backup-passphrase">Passphrase of the vault when the backup was made</label>
        <input
          id="backup-passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <p className="hint">
          To check or restore a backup. A restore goes into a new, empty folder, never over this vault, and only after every file of the
          backup was checked.
        </p>
      </div>
      <button disabled={busy || !passphrase} onClick={verify}>
        Check a backup…
      </button>{' '}
      <button disabled={busy || !passphrase} onClick={restore}>
        Restore a backup into a new folder…
      </button>
      {busy && progress && progress.totalBytes > 0 ? (
        <p role="status" data-testid="backup-progress">
          {PROGRESS_WORDS[progress.action]}… {Math.floor((100 * progress.doneBytes) / progress.totalBytes)} %
        </p>
      ) : null}
      <ErrorMessage message={error} />
      {message ? (
        <p className="notice" role="status" data-testid="backup-message">
          {message}
        </p>
      ) : null}
    </div>
  )
}
