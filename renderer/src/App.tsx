// Renderer: top-level screen switch driven by the vault state in main (none → create/open, locked → unlock,
// unlocked → workspace, or first the integrity review when the unlock found the vault changed outside Custodia).
// Main is the source of truth; the renderer re-reads status after every change.
import { useCallback, useEffect, useState } from 'react'
import type { VaultState } from '../../shared/ipc/contract'
import type { Api } from './api/client'
import { describeError } from './api/client'
import { ApiProvider, useApi } from './api/ApiProvider'
import { WelcomeScreen } from './features/vault/WelcomeScreen'
import { UnlockScreen } from './features/vault/UnlockScreen'
import { Workspace } from './features/home/Workspace'
import { IntegrityReview } from './features/vault/IntegrityReview'
import { ErrorMessage } from './components/ErrorMessage'
import { ToastProvider } from './components/Toast'
import { t } from './i18n/intl'

/** The whole app: the one place the API is handed down; everything below reads it with useApi(). */
export function App({ api }: { api: Api }) {
  return (
    <ApiProvider api={api}>
      <ToastProvider>
        <VaultScreens />
      </ToastProvider>
    </ApiProvider>
  )
}

/** The screen for the vault's state; exported for tests, which give it the API through their own ApiProvider. */
export function VaultScreens() {
  const api = useApi()
  const [status, setStatus] = useState<VaultState | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [lockNotice, setLockNotice] = useState<string | null>(null)

  const refresh = useCallback(async () => {
    try {
      setStatus(await api['vault:status']({}))
    } catch (error) {
      setLoadError(describeError(error))
    }
  }, [api])

  useEffect(() => {
    void refresh()
    return api.on('vault:locked', ({ reason }) => {
      // After a panic lock the screen says nothing about why: whoever is looking at it may be the reason.
      setLockNotice(
        reason === 'idle'
          ? t('app.app.theVaultLockedItself')
          : reason === 'user' || reason === 'panic'
            ? null
            : t('app.app.theVaultWasLocked'),
      )
      void refresh()
    })
  }, [api, refresh])

  useEffect(() => {
    // After a copy or cut, main notes (as a keyed hash) what the clipboard holds, so a panic lock can empty it. The
    // clipboard is written after the event's handlers run: hence the next tick.
    const noteCopy = () => {
      setTimeout(() => void api['app:markCopied']({}).catch(() => undefined), 0)
    }
    document.addEventListener('copy', noteCopy)
    document.addEventListener('cut', noteCopy)
    return () => {
      document.removeEventListener('copy', noteCopy)
      document.removeEventListener('cut', noteCopy)
    }
  }, [api])

  if (loadError)
    return (
      <main className="centered">
        <ErrorMessage message={loadError} />
      </main>
    )
  if (!status)
    return (
      <main className="centered" aria-busy="true">
        <p>{t('app.app.starting')}</p>
      </main>
    )

  if (status.state === 'unlocked' && status.integrityProblems && status.integrityProblems.length > 0) {
    // Nothing of the workspace is mounted until the person has chosen: every write would be refused meanwhile.
    return (
      <IntegrityReview
        problems={status.integrityProblems}
        onStatus={(next) => {
          setLockNotice(null)
          setStatus(next)
        }}
      />
    )
  }
  if (status.state === 'unlocked') {
    return (
      <Workspace
        status={status}
        onStatus={(next) => {
          setLockNotice(null)
          setStatus(next)
        }}
      />
    )
  }
  if (status.state === 'locked' && status.dir) {
    return (
      <UnlockScreen
        dir={status.dir}
        notice={lockNotice}
        onUnlocked={setStatus}
        onChooseOther={() => setStatus({ ...status, state: 'none', dir: null })}
      />
    )
  }
  return <WelcomeScreen onUnlocked={setStatus} />
}
