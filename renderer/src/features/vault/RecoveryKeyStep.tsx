// Renderer: shows the recovery key once, then asks for its last group back so nobody clicks past it unread.
import { useState, type FormEvent, type ReactNode } from 'react'
import { ErrorMessage } from '../../components/ErrorMessage'
import { t } from '../../i18n/intl'

export function lastGroupOf(recoveryKey: string): string {
  const groups = recoveryKey.trim().split(/[\s-]+/)
  return groups[groups.length - 1] ?? ''
}

export function RecoveryKeyStep({
  recoveryKey,
  onConfirmed,
  intro,
}: {
  recoveryKey: string
  onConfirmed: () => void
  /** What just happened, said before the key (e.g. "You joined the team"). */
  intro?: ReactNode
}) {
  const [stage, setStage] = useState<'show' | 'confirm'>('show')
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<string | null>(null)

  const confirm = (e: FormEvent) => {
    e.preventDefault()
    if (typed.trim().toUpperCase() === lastGroupOf(recoveryKey).toUpperCase()) onConfirmed()
    else setError(t('vault.recoveryKeyStep.thatIsNotThe'))
  }

  if (stage === 'show') {
    return (
      <main className="centered">
        <section className="card narrow">
          <h1>{t('vault.recoveryKeyStep.yourRecoveryKey')}</h1>
          {intro ? (
            <p role="status" className="notice">
              {intro}
            </p>
          ) : null}
          <p>{t('vault.recoveryKeyStep.ifYouForgetYour')}</p>
          <p className="recovery-key" data-testid="recovery-key">
            {recoveryKey}
          </p>
          <p className="hint">{t('vault.recoveryKeyStep.writeItOnPaper')}</p>
          <div className="actions">
            <button type="button" onClick={() => window.print()}>
              {t('vault.recoveryKeyStep.print')}
            </button>
            <button type="button" className="primary" onClick={() => setStage('confirm')} autoFocus>
              {t('vault.recoveryKeyStep.iHaveWrittenIt')}
            </button>
          </div>
        </section>
      </main>
    )
  }
  return (
    <main className="centered">
      <form className="card narrow" onSubmit={confirm}>
        <h1>{t('vault.recoveryKeyStep.confirmYourRecoveryKey')}</h1>
        <div className="field">
          <label htmlFor="recovery-last-group">{t('vault.recoveryKeyStep.typeTheLastGroup')}</label>
          <input
            id="recovery-last-group"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setTyped(e.target.value)}
            autoFocus
          />
        </div>
        <ErrorMessage message={error} />
        <div className="actions">
          <button type="button" onClick={() => setStage('show')}>
            {t('vault.recoveryKeyStep.showTheKeyAgain')}
          </button>
          <button type="submit" className="primary">
            {t('vault.recoveryKeyStep.confirm')}
          </button>
        </div>
      </form>
    </main>
  )
}
