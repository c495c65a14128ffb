// Renderer: the unlocked workspace frame — header with the lock button (Ctrl+L), navigation, and the panels.
import { useEffect, useState } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import { describeError, type Api } from '../../api/client'
import { ErrorMessage } from '../../components/ErrorMessage'
import { SecurityPanel } from './SecurityPanel'

export function Workspace({ api, status, onStatus }: { api: Api; status: VaultState; onStatus: (s: VaultState) => void }) {
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l') {
        e.preventDefault()
        void lock()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  const lock = async () => {
    try {
      onStatus(await api['vault:lock']({}))
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <div className="workspace">
      <header className="topbar">
        <span className="brand">Custodia</span>
        <span className="path" title={status.dir ?? ''}>
          {status.dir}
        </span>
        <button onClick={() => void lock()} title="Lock the vault (Ctrl+L)" aria-keyshortcuts="Control+L">
          Lock
        </button>
      </header>
      <div className="body">
        <nav className="sidebar" aria-label="Sections">
          <ul>
            <li>
              <a aria-current="page" href="#security">
                Security
              </a>
            </li>
          </ul>
        </nav>
        <main className="content" id="security">
          <ErrorMessage message={error} />
          <SecurityPanel api={api} status={status} onStatus={onStatus} />
        </main>
      </div>
    </div>
  )
}
