// Renderer: unlock with the passphrase (or the recovery key); shows progress while main derives the key.
import { useEffect, useState, type FormEvent } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { usePageTitle, vaultDisplayName } from '../../hooks/usePageTitle'

export function UnlockScreen(props: {
  dir: string
  notice: string | null
  onUnlocked: (status: VaultState) => void
  onChooseOther: () => void
}) {
  const api = useApi()
  usePageTitle('Unlock vault', vaultDisplayName(props.dir, null))
  const [secret, setSecret] = useState('')
  const [useRecovery, setUseRecovery] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [startedAt, setStartedAt] = useState<number | null>(null)
  const [elapsed, setElapsed] = useState(0)
  const [moving, setMoving] = useState<{ done: number; total: number } | null>(null)

  useEffect(() => api.on('vault:itemKeyProgress', (p) => setMoving(p)), [api])

  useEffect(() => {
    if (startedAt === null) return
    const timer = setInterval(() => setElapsed(Date.now() - startedAt), 100)
    return () => clearInterval(timer)
  }, [startedAt])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setStartedAt(Date.now())
    setElapsed(0)
    try {
      const status = useRecovery
        ? await api['vault:unlockWithRecoveryKey']({ dir: props.dir, recoveryKey: secret })
        : await api['vault:unlock']({ dir: props.dir, passphrase: secret })
      setSecret('')
      props.onUnlocked(status)
    } catch (err) {
      if (err instanceof ApiError && err.code === 'WRONG_PASSPHRASE') {
        setError(
          useRecovery
            ? 'That recovery key does not open this vault.'
            : 'Wrong passphrase. Check Caps Lock and the keyboard layout, then try again.',
        )
      } else {
        setError(describeError(err))
      }
    } finally {
      setStartedAt(null)
    }
  }

  const busy = startedAt !== null
  return (
    <main className="centered">
      <form className="card narrow" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <h1>Unlock vault</h1>
        <p className="path" title={props.dir}>
          {props.dir}
        </p>
        {props.notice ? (
          <p className="notice" role="status">
            {props.notice}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="unlock-secret">{useRecovery ? 'Recovery key' : 'Passphrase'}</label>
          <input
            id="unlock-secret"
            type={useRecovery ? 'text' : 'password'}
            autoComplete="off"
            spellCheck={false}
            value={secret}
            disabled={busy}
            onChange={(e) => setSecret(e.target.value)}
            autoFocus
          />
        </div>
        {busy ? (
          <div className="progress" role="progressbar" aria-label="Deriving the key" data-testid="unlock-progress">
            <div className="bar indeterminate" />
            <span>
              Deriving the key from your {useRecovery ? 'recovery key' : 'passphrase'}… {(elapsed / 1000).toFixed(1)} s
            </span>
          </div>
        ) : null}
        {busy && moving ? (
          <div
            className="progress"
            role="progressbar"
            aria-label="Moving to per-item keys"
            aria-valuemin={0}
            aria-valuemax={moving.total}
            aria-valuenow={moving.done}
          >
            <span>
              Moving this vault to per-item keys, once, so items can later be destroyed for good: {moving.done} of {moving.total}
            </span>
          </div>
        ) : null}
        <ErrorMessage message={error} />
        <div className="actions">
          <button
            type="button"
            className="link"
            onClick={() => {
              setUseRecovery(!useRecovery)
              setSecret('')
              setError(null)
            }}
            disabled={busy}
          >
            {useRecovery ? 'Use the passphrase' : 'Use the recovery key'}
          </button>
          <button type="button" onClick={props.onChooseOther} disabled={busy}>
            Other vault…
          </button>
          <button type="submit" className="primary" disabled={busy || !secret}>
            Unlock
          </button>
        </div>
      </form>
    </main>
  )
}
