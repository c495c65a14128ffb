// Renderer: first run — create a vault (passphrase, strength, recovery key with a confirm step) or open one.
import { useEffect, useState, type FormEvent } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { FolderField } from './FolderField'
import { MIN_ACCEPTED_SCORE, PassphraseStrength, scorePassphrase } from './PassphraseStrength'
import { RecoveryKeyStep } from './RecoveryKeyStep'
import { UnlockScreen } from './UnlockScreen'
import { usePageTitle } from '../../hooks/usePageTitle'

type Mode = { kind: 'choose' } | { kind: 'create' } | { kind: 'open'; dir: string } | { kind: 'recovery'; key: string; status: VaultState }

export function WelcomeScreen({ onUnlocked }: { onUnlocked: (status: VaultState) => void }) {
  const api = useApi()
  const [mode, setMode] = useState<Mode>({ kind: 'choose' })
  usePageTitle({ choose: 'Welcome', create: 'Create a vault', recovery: 'Your recovery key', open: null }[mode.kind])
  const [recent, setRecent] = useState<string[]>([])
  const [openDir, setOpenDir] = useState('')

  useEffect(() => {
    void api['vault:listRecent']({}).then(
      (r) => setRecent(r.dirs),
      () => setRecent([]),
    )
  }, [api])

  if (mode.kind === 'create') {
    return (
      <CreateVaultForm
        onCancel={() => setMode({ kind: 'choose' })}
        onCreated={(key, status) => setMode({ kind: 'recovery', key, status })}
      />
    )
  }
  if (mode.kind === 'recovery') {
    return <RecoveryKeyStep recoveryKey={mode.key} onConfirmed={() => onUnlocked(mode.status)} />
  }
  if (mode.kind === 'open') {
    return <UnlockScreen dir={mode.dir} notice={null} onUnlocked={onUnlocked} onChooseOther={() => setMode({ kind: 'choose' })} />
  }
  return (
    <main className="centered">
      <section className="card welcome">
        <h1>Custodia</h1>
        <p className="lede">Your letters, correspondence and dossiers, encrypted on this computer.</p>
        <div className="choices">
          <div>
            <h2>New vault</h2>
            <p>Start an empty, encrypted vault in a folder you choose.</p>
            <button className="primary" onClick={() => setMode({ kind: 'create' })}>
              Create a vault…
            </button>
          </div>
          <form
            onSubmit={(e) => {
              e.preventDefault()
              if (openDir.trim()) setMode({ kind: 'open', dir: openDir.trim() })
            }}
          >
            <h2>Existing vault</h2>
            <FolderField id="open-dir" label="Vault folder" value={openDir} purpose="open" onChange={setOpenDir} />
            <button type="submit" disabled={!openDir.trim()}>
              Open
            </button>
          </form>
        </div>
        {recent.length > 0 ? (
          <nav aria-label="Recent vaults" className="recent">
            <h2>Recent</h2>
            <ul>
              {recent.map((dir) => (
                <li key={dir}>
                  <button className="link" onClick={() => setMode({ kind: 'open', dir })}>
                    {dir}
                  </button>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </section>
    </main>
  )
}

function CreateVaultForm(props: { onCancel: () => void; onCreated: (recoveryKey: string, status: VaultState) => void }) {
  const api = useApi()
  const [dir, setDir] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    if (passphrase !== confirm) return setError('The two passphrases are not the same.')
    if ((await scorePassphrase(passphrase)) < MIN_ACCEPTED_SCORE) {
      return setError('This passphrase is too easy to guess. Use four or more unrelated words.')
    }
    setBusy(true)
    try {
      const { recoveryKey, status } = await api['vault:create']({ dir: dir.trim(), passphrase })
      setPassphrase('')
      setConfirm('')
      props.onCreated(recoveryKey, status)
    } catch (err) {
      setError(describeError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="centered">
      <form className="card narrow" onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <h1>Create a vault</h1>
        <FolderField id="create-dir" label="Empty folder for the vault" value={dir} purpose="create" onChange={setDir} />
        <div className="field">
          <label htmlFor="new-passphrase">Passphrase</label>
          <input
            id="new-passphrase"
            type="password"
            autoComplete="new-password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            autoFocus
          />
          <PassphraseStrength passphrase={passphrase} />
        </div>
        <div className="field">
          <label htmlFor="confirm-passphrase">Repeat passphrase</label>
          <input
            id="confirm-passphrase"
            type="password"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
          />
        </div>
        <p className="hint">
          Nobody can recover a lost passphrase. You will get a recovery key next: keep it on paper, apart from this computer.
        </p>
        <ErrorMessage message={error} />
        <div className="actions">
          <button type="button" onClick={props.onCancel} disabled={busy}>
            Back
          </button>
          <button type="submit" className="primary" disabled={busy || !dir.trim() || !passphrase}>
            {busy ? 'Creating… (deriving keys)' : 'Create vault'}
          </button>
        </div>
      </form>
    </main>
  )
}
