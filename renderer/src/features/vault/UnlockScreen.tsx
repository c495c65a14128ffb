// Renderer: unlock with the passphrase (or the recovery key); shows progress while main derives the key. In a vault
// shared by several people a member types their name, so only their keyslot is derived (one Argon2id run however many
// members there are); an invited member joins from here with their invitation code (JoinScreen). When the vault
// erases its keys after wrong tries, it shows how many tries are left, read from the vault folder without the key.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import type { UnlockGuard } from '../../../../shared/ipc/channels/vaultChannels'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { usePageTitle, vaultDisplayName } from '../../hooks/usePageTitle'
import { JoinScreen } from './JoinScreen'
import { t } from '../../i18n/intl'

/** The lock screen's warning: tries left before the erase (after a first wrong one), or that the erase happened. */
export function describeUnlockGuard(guard: UnlockGuard | null): string | null {
  if (!guard) return null
  if (guard.erased === 'all') return t('vault.unlockScreen.thisVaultWasErased')
  if (guard.erased === 'passphrase') return t('vault.unlockScreen.thePassphrasesOfThis')
  if (guard.triesLeft === null || guard.failed === 0) return null
  return guard.triesLeft === 1
    ? t('vault.unlockScreen.1TryLeftBefore')
    : t('vault.unlockScreen.triesLeftBeforeThis', { triesLeft: guard.triesLeft })
}

export function UnlockScreen(props: {
  dir: string
  notice: string | null
  onUnlocked: (status: VaultState) => void
  onChooseOther: () => void
}) {
  const api = useApi()
  usePageTitle(t('vault.unlockScreen.unlockVault'), vaultDisplayName(props.dir, null))
  const [secret, setSecret] = useState('')
  const [memberName, setMemberName] = useState('')
  const [useRecovery, setUseRecovery] = useState(false)
  const [joining, setJoining] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [startedAt, setStartedAt] = useState<number | null>(null)
  const [elapsed, setElapsed] = useState(0)
  const [guard, setGuard] = useState<UnlockGuard | null>(null)
  const [moving, setMoving] = useState<{ done: number; total: number } | null>(null)

  const refreshGuard = useCallback(() => {
    api['vault:getUnlockGuard']({ dir: props.dir }).then(setGuard, () => setGuard(null))
  }, [api, props.dir])
  useEffect(refreshGuard, [refreshGuard])
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
        : await api['vault:unlock']({ dir: props.dir, passphrase: secret, ...(memberName.trim() ? { member: memberName.trim() } : {}) })
      setSecret('')
      props.onUnlocked(status)
    } catch (err) {
      if (err instanceof ApiError && err.code === 'WRONG_PASSPHRASE') {
        setError(
          useRecovery
            ? t('vault.unlockScreen.thatRecoveryKeyDoes')
            : memberName.trim()
              ? t('vault.unlockScreen.thatNameAndPassphrase')
              : t('vault.unlockScreen.wrongPassphraseCheckCaps'),
        )
      } else {
        setError(describeError(err))
      }
      refreshGuard()
    } finally {
      setStartedAt(null)
    }
  }

  const busy = startedAt !== null
  if (joining) return <JoinScreen dir={props.dir} onJoined={props.onUnlocked} onCancel={() => setJoining(false)} />
  return (
    <main className="centered">
      <form className="card narrow" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <h1>{t('vault.unlockScreen.unlockVault')}</h1>
        <p className="path" title={props.dir}>
          {props.dir}
        </p>
        {props.notice ? (
          <p className="notice" role="status">
            {props.notice}
          </p>
        ) : null}
        {!useRecovery && (
          <div className="field">
            <label htmlFor="unlock-member">{t('vault.unlockScreen.yourName')}</label>
            <input
              id="unlock-member"
              autoComplete="username"
              spellCheck={false}
              value={memberName}
              disabled={busy}
              maxLength={200}
              aria-describedby="unlock-member-hint"
              onChange={(e) => setMemberName(e.target.value)}
            />
            <p className="hint" id="unlock-member-hint">
              {t('vault.unlockScreen.ifSeveralPeopleShare')}
            </p>
          </div>
        )}
        <div className="field">
          <label htmlFor="unlock-secret">{useRecovery ? t('vault.unlockScreen.recoveryKey') : t('vault.unlockScreen.passphrase')}</label>
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
          <div className="progress" role="progressbar" aria-label={t('vault.unlockScreen.derivingTheKey')} data-testid="unlock-progress">
            <div className="bar indeterminate" />
            <span>
              {t('vault.unlockScreen.derivingTheKeyFrom', {
                secret: useRecovery ? t('vault.unlockScreen.recoveryKey2') : t('vault.unlockScreen.passphrase2'),
                seconds: elapsed / 1000,
              })}
            </span>
          </div>
        ) : null}
        {busy && moving ? (
          <div
            className="progress"
            role="progressbar"
            aria-label={t('vault.unlockScreen.movingToPerItem')}
            aria-valuemin={0}
            aria-valuemax={moving.total}
            aria-valuenow={moving.done}
          >
            <span>{t('vault.unlockScreen.movingThisVaultTo', { done: moving.done, total: moving.total })}</span>
          </div>
        ) : null}
        <ErrorMessage message={error} />
        {describeUnlockGuard(guard) ? (
          <p className="notice warning" role="alert" data-testid="unlock-guard">
            {describeUnlockGuard(guard)}
          </p>
        ) : null}
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
            {useRecovery ? t('vault.unlockScreen.useThePassphrase') : t('vault.unlockScreen.useTheRecoveryKey')}
          </button>
          <button type="button" onClick={props.onChooseOther} disabled={busy}>
            {t('vault.unlockScreen.otherVault')}
          </button>
          <button type="submit" className="primary" disabled={busy || !secret}>
            {t('vault.unlockScreen.unlock')}
          </button>
        </div>
        <p className="join-offer">
          {t('vault.unlockScreen.newHereWithAn')}{' '}
          <button type="button" className="link" onClick={() => setJoining(true)} disabled={busy}>
            {t('vault.unlockScreen.joinWithAnInvitation')}
          </button>
        </p>
      </form>
    </main>
  )
}
