// Renderer: shows the recovery key once, then asks for its last group back so nobody clicks past it unread.
import { useState, type FormEvent } from 'react'
import { ErrorMessage } from '../../components/ErrorMessage'

export function lastGroupOf(recoveryKey: string): string {
  const groups = recoveryKey.trim().split(/[\s-]+/)
  return groups[groups.length - 1] ?? ''
}

export function RecoveryKeyStep({ recoveryKey, onConfirmed }: { recoveryKey: string; onConfirmed: () => void }) {
  const [stage, setStage] = useState<'show' | 'confirm'>('show')
  const [typed, setTyped] = useState('')
  const [error, setError] = useState<string | null>(null)

  const confirm = (e: FormEvent) => {
    e.preventDefault()
    if (typed.trim().toUpperCase() === lastGroupOf(recoveryKey).toUpperCase()) onConfirmed()
    else setError('That is not the last group of your recovery key. Look at what you wrote down.')
  }

  if (stage === 'show') {
    return (
      <main className="centered">
        <section className="card narrow">
          <h1>Your recovery key</h1>
          <p>If you forget your passphrase, this key is the only other way into the vault. It is shown only now.</p>
          <p className="recovery-key" data-testid="recovery-key">
            {recoveryKey}
          </p>
          <p className="hint">
            Write it on paper or print it, and keep it somewhere safe and away from this computer. Do not store it in a file here.
          </p>
          <div className="actions">
            <button type="button" onClick={() => window.print()}>
              Print…
            </button>
            <button type="button" className="primary" onClick={() => setStage('confirm')} autoFocus>
              I have written it down
            </button>
          </div>
        </section>
      </main>
    )
  }
  return (
    <main className="centered">
      <form className="card narrow" onSubmit={confirm}>
        <h1>Confirm your recovery key</h1>
        <div className="field">
          <label htmlFor="recovery-last-group">Type the last group of the recovery key</label>
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
            Show the key again
          </button>
          <button type="submit" className="primary">
            Confirm
          </button>
        </div>
      </form>
    </main>
  )
}
