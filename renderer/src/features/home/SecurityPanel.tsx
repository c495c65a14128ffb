// Renderer: vault security settings — auto-lock time (and whether a screen lock locks the vault on this computer),
// the protections for a taken laptop (admins: ProtectionSettings), passphrase change, activity-log verification (the
// log itself is Security → Activity), and the way to the application log (for problem reports).
import { useEffect, useState, type FormEvent } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import type { ScreenLockCoverage } from '../../../../shared/ipc/channels/appChannels'
import { describeVerification } from '../../../../shared/activity/activityLabels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { PanicLockSettings } from './PanicLockSettings'
import { BackupPanel } from './BackupPanel'
import { ProtectionSettings } from './ProtectionSettings'
import { t } from '../../i18n/intl'

const AUTO_LOCK_CHOICES = [1, 5, 10, 15, 30, 60, 0] as const

/**
 * Which screen locks this copy of Custodia sees and locks the vault at (main knows: all on macOS and Windows; on
 * Linux what logind and the screensaver answer on D-Bus). null until main has answered; 'none' when it could not
 * answer, so the panel never promises more than it knows.
 */
function useScreenLockCoverage(): ScreenLockCoverage | null {
  const api = useApi()
  const [coverage, setCoverage] = useState<ScreenLockCoverage | null>(null)
  useEffect(() => {
    let live = true
    api['app:getInfo']({})
      .then((info) => live && setCoverage(info.screenLock))
      .catch(() => live && setCoverage('none'))
    return () => {
      live = false
    }
  }, [api])
  return coverage
}

const SLEEP_LOCKS = t('home.securityPanel.theVaultAlsoLocks')
const LOCK_YOURSELF = t('home.securityPanel.pressCtrlLBefore')

function autoLockHint(coverage: ScreenLockCoverage | null): string {
  switch (coverage) {
    case 'all':
      return t('home.securityPanel.orTheScreenLocks', { SLEEP_LOCKS })
    case 'session':
      return t('home.securityPanel.andWhenTheScreen', { SLEEP_LOCKS, LOCK_YOURSELF })
    case 'none':
      return t('home.securityPanel.custodiaCannotSeeWhen', { SLEEP_LOCKS, LOCK_YOURSELF })
    default:
      return `${SLEEP_LOCKS}.`
  }
}

export function SecurityPanel({ status, onStatus }: { status: VaultState; onStatus: (s: VaultState) => void }) {
  const api = useApi()
  const [error, setError] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [oldPassphrase, setOldPassphrase] = useState('')
  const [newPassphrase, setNewPassphrase] = useState('')
  const [busy, setBusy] = useState(false)
  const screenLockCoverage = useScreenLockCoverage()

  const run = async (action: () => Promise<string>) => {
    setError(null)
    setMessage(null)
    setBusy(true)
    try {
      setMessage(await action())
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  const changePassphrase = (e: FormEvent) => {
    e.preventDefault()
    void run(async () => {
      await api['vault:changePassphrase']({ oldPassphrase, newPassphrase })
      setOldPassphrase('')
      setNewPassphrase('')
      return t('home.securityPanel.passphraseChangedTheOld')
    })
  }

  return (
    <section className="panel" aria-labelledby="security-title">
      <h1 id="security-title">{t('home.securityPanel.security')}</h1>
      <p role="status" data-testid="vault-unlocked">
        {t('home.securityPanel.vaultUnlocked')}
      </p>

      <div className="field">
        <label htmlFor="auto-lock">{t('home.securityPanel.lockAutomaticallyAfter')}</label>
        <select
          id="auto-lock"
          aria-describedby="auto-lock-hint"
          value={status.autoLockMinutes}
          disabled={busy}
          onChange={(e) =>
            void run(async () => {
              onStatus(await api['vault:setAutoLock']({ minutes: Number(e.target.value) }))
              return t('home.securityPanel.autoLockUpdated')
            })
          }
        >
          {AUTO_LOCK_CHOICES.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? t('home.securityPanel.neverNotRecommended') : t('home.securityPanel.minuteOfInactivity', { m })}
            </option>
          ))}
        </select>
        <p className="hint" id="auto-lock-hint" data-testid="auto-lock-hint">
          {autoLockHint(screenLockCoverage)}
        </p>
      </div>

      <PanicLockSettings />

      {status.member?.role === 'admin' ? <ProtectionSettings /> : null}

      <form onSubmit={changePassphrase} className="subform">
        <h2>{t('home.securityPanel.changePassphrase')}</h2>
        <div className="field">
          <label htmlFor="old-passphrase">{t('home.securityPanel.currentPassphrase')}</label>
          <input
            id="old-passphrase"
            type="password"
            autoComplete="current-password"
            value={oldPassphrase}
            onChange={(e) => setOldPassphrase(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="changed-passphrase">{t('home.securityPanel.newPassphrase')}</label>
          <input
            id="changed-passphrase"
            type="password"
            autoComplete="new-password"
            value={newPassphrase}
            onChange={(e) => setNewPassphrase(e.target.value)}
          />
        </div>
        <button type="submit" disabled={busy || !oldPassphrase || !newPassphrase}>
          {t('home.securityPanel.changePassphrase')}
        </button>
      </form>

      <BackupPanel />

      <div className="subform">
        <h2>{t('home.securityPanel.activityLog')}</h2>
        <p className="hint">{t('home.securityPanel.whoDidWhatIn')}</p>
        <button
          disabled={busy}
          onClick={() =>
            void run(async () => {
              const result = await api['audit:verify']({})
              return describeVerification(result)
            })
          }
        >
          {t('home.securityPanel.verifyActivityLog')}
        </button>
      </div>

      <div className="subform">
        <h2>{t('home.securityPanel.applicationLog')}</h2>
        <p className="hint" id="app-log-hint">
          {t('home.securityPanel.whenSomethingGoesWrong')}
        </p>
        <button
          disabled={busy}
          aria-describedby="app-log-hint"
          onClick={() =>
            void run(async () => {
              const { folder, opened } = await api['app:openLogFolder']({})
              // The place is said either way, so the log can be found by hand when no file manager opens.
              return opened ? t('home.securityPanel.logFolderOpened', { folder }) : t('home.securityPanel.theLogFolderCould', { folder })
            })
          }
        >
          {t('home.securityPanel.openLogFolder')}
        </button>
      </div>

      <ErrorMessage message={error} />
      {message ? (
        <p className="notice" role="status" data-testid="message">
          {message}
        </p>
      ) : null}
    </section>
  )
}
