// Renderer: Security → Backup — back up the open vault into a folder, check a backup, restore one into a new folder,
// and the reminder when the last backup is older than the chosen number of days (shown here when it is overdue).
import { useEffect, useState } from 'react'
import type { BackupProgressEvent, BackupStatus } from '../../../../shared/ipc/channels/backupChannels'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useAsync } from '../../hooks/useAsync'
import { formatDateTime, formatSize } from '../../i18n/format'
import { t } from '../../i18n/intl'

const REMINDER_CHOICES = [0, 1, 3, 7, 14, 30, 90] as const
const DAY_MS = 24 * 60 * 60 * 1000

function reminderText(status: BackupStatus): string {
  if (status.lastBackupAt === null) return t('home.backupPanel.noBackupOfThis')
  const days = Math.floor((Date.now() - Date.parse(status.lastBackupAt)) / DAY_MS)
  return t('home.backupPanel.theLastBackupIs', { days, dateTime: formatDateTime(status.lastBackupAt) })
}

const PROGRESS_WORDS: Record<BackupProgressEvent['action'], string> = {
  backup: t('home.backupPanel.backingUp'),
  verify: t('home.backupPanel.checkingTheBackup'),
  restore: t('home.backupPanel.checkingAndRestoring'),
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
      return t('home.backupPanel.backupCompleteInAttachment', {
        dir,
        attachments: done.attachments,
        copied: done.copied,
        size: formatSize(done.copiedBytes),
      })
    })

  const verify = () =>
    act(async () => {
      const { dir } = await api['backups:chooseFolder']({ purpose: 'backupSource' })
      if (!dir) return null
      const done = await api['backups:verify']({ dir, passphrase })
      return t('home.backupPanel.theBackupMadeIs', {
        dateTime: formatDateTime(done.createdAt),
        attachments: done.attachments,
        size: formatSize(done.bytes),
      })
    })

  const restore = () =>
    act(async () => {
      const source = await api['backups:chooseFolder']({ purpose: 'backupSource' })
      if (!source.dir) return null
      const destination = await api['backups:chooseFolder']({ purpose: 'restoreDestination' })
      if (!destination.dir) return null
      const done = await api['backups:restore']({ dir: source.dir, destination: destination.dir, passphrase })
      setPassphrase('')
      return t('home.backupPanel.restoredTheBackupMade', { dateTime: formatDateTime(done.createdAt), dir: done.dir })
    })

  return (
    <div className="subform" aria-labelledby="backup-title">
      <h2 id="backup-title">{t('home.backupPanel.backup')}</h2>
      {status?.overdue ? (
        <p className="notice" role="status" data-testid="backup-reminder">
          {reminderText(status)}
        </p>
      ) : null}
      <p className="hint">{t('home.backupPanel.aBackupIsA')}</p>
      <p data-testid="backup-last">
        {status?.lastBackupAt
          ? t('home.backupPanel.lastBackup', { dateTime: formatDateTime(status.lastBackupAt) })
          : t('home.backupPanel.noBackupMadeYet')}
      </p>
      <button disabled={busy} onClick={backUp}>
        {t('home.backupPanel.backUpNow')}
      </button>
      <div className="field">
        <label htmlFor="backup-reminder-days">{t('home.backupPanel.remindMeWhenThe')}</label>
        <select
          id="backup-reminder-days"
          value={status?.reminderDays ?? 0}
          disabled={busy || status === null}
          onChange={(e) => void run(async () => setStatus(await api['backups:setReminder']({ days: Number(e.target.value) })))}
        >
          {REMINDER_CHOICES.map((d) => (
            <option key={d} value={d}>
              {d === 0 ? t('home.backupPanel.neverRemindMe') : t('home.backupPanel.day', { d })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="backup-passphrase">{t('home.backupPanel.passphraseOfTheVault')}</label>
        <input
          id="backup-passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
        />
        <p className="hint">{t('home.backupPanel.toCheckOrRestore')}</p>
      </div>
      <button disabled={busy || !passphrase} onClick={verify}>
        {t('home.backupPanel.checkABackup')}
      </button>{' '}
      <button disabled={busy || !passphrase} onClick={restore}>
        {t('home.backupPanel.restoreABackupInto')}
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
