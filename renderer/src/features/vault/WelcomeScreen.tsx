// Renderer: first run — create a vault (passphrase, strength, recovery key with a confirm step) or open one.
import { useEffect, useState, type FormEvent } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import { explainError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { FolderField } from './FolderField'
import { MIN_ACCEPTED_SCORE, PassphraseStrength, scorePassphrase } from './PassphraseStrength'
import { RecoveryKeyStep } from './RecoveryKeyStep'
import { TeamJoinScreen } from './TeamJoinScreen'
import { UnlockScreen } from './UnlockScreen'
import { usePageTitle } from '../../hooks/usePageTitle'
import { Field } from '../../components/Field'
import { useFieldErrors } from '../../hooks/useFieldErrors'
import { problemAt } from '../../../../shared/messages/messages'
import { t } from '../../i18n/intl'

type Mode =
  | { kind: 'choose' }
  | { kind: 'create' }
  | { kind: 'joinTeam' }
  | { kind: 'open'; dir: string }
  | { kind: 'recovery'; key: string; status: VaultState }

export function WelcomeScreen({ onUnlocked }: { onUnlocked: (status: VaultState) => void }) {
  const api = useApi()
  const [mode, setMode] = useState<Mode>({ kind: 'choose' })
  usePageTitle(
    {
      choose: t('vault.welcomeScreen.welcome'),
      create: t('vault.welcomeScreen.createAVault'),
      joinTeam: null,
      recovery: t('vault.welcomeScreen.yourRecoveryKey'),
      open: null,
    }[mode.kind],
  )
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
  if (mode.kind === 'joinTeam') return <TeamJoinScreen onJoined={onUnlocked} onCancel={() => setMode({ kind: 'choose' })} />
  if (mode.kind === 'recovery') {
    return <RecoveryKeyStep recoveryKey={mode.key} onConfirmed={() => onUnlocked(mode.status)} />
  }
  if (mode.kind === 'open') {
    return <UnlockScreen dir={mode.dir} notice={null} onUnlocked={onUnlocked} onChooseOther={() => setMode({ kind: 'choose' })} />
  }
  return (
    <main className="centered">
      <section className="card welcome">
        <h1>{t('vault.welcomeScreen.custodia')}</h1>
        <p className="lede">{t('vault.welcomeScreen.yourLettersCorrespondenceAnd')}</p>
        <div className="choices">
          <div>
            <h2>{t('vault.welcomeScreen.newVault')}</h2>
            <p>{t('vault.welcomeScreen.startAnEmptyEncrypted')}</p>
            <button className="primary" onClick={() => setMode({ kind: 'create' })}>
              {t('vault.welcomeScreen.createAVault2')}
            </button>
          </div>
          <form
            onSubmit={(e) => {
              e.preventDefault()
              if (openDir.trim()) setMode({ kind: 'open', dir: openDir.trim() })
            }}
          >
            <h2>{t('vault.welcomeScreen.existingVault')}</h2>
            <FolderField id="open-dir" label={t('vault.welcomeScreen.vaultFolder')} value={openDir} purpose="open" onChange={setOpenDir} />
            <button type="submit" disabled={!openDir.trim()}>
              {t('vault.welcomeScreen.open')}
            </button>
          </form>
          <div>
            <h2>{t('vault.welcomeScreen.teamVault')}</h2>
            <p>{t('vault.welcomeScreen.teamVaultHint')}</p>
            <button onClick={() => setMode({ kind: 'joinTeam' })}>{t('vault.welcomeScreen.joinTeam')}</button>
          </div>
        </div>
        {recent.length > 0 ? (
          <nav aria-label={t('vault.welcomeScreen.recentVaults')} className="recent">
            <h2>{t('vault.welcomeScreen.recent')}</h2>
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
  const { fieldErrors, refuse, clearFieldErrors, formRef } = useFieldErrors<'dir' | 'passphrase' | 'confirm'>()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    clearFieldErrors()
    if (passphrase !== confirm) return refuse({ confirm: t('vault.welcomeScreen.theTwoPassphrasesAre') })
    if ((await scorePassphrase(passphrase)) < MIN_ACCEPTED_SCORE) {
      return refuse({ passphrase: t('vault.welcomeScreen.thisPassphraseIsToo') })
    }
    setBusy(true)
    try {
      const { recoveryKey, status } = await api['vault:create']({ dir: dir.trim(), passphrase })
      setPassphrase('')
      setConfirm('')
      props.onCreated(recoveryKey, status)
    } catch (err) {
      const failure = explainError(err)
      const dirProblem = problemAt(failure.fields, 'dir')
      const passphraseProblem = problemAt(failure.fields, 'passphrase')
      if (dirProblem || passphraseProblem) refuse({ dir: dirProblem ?? undefined, passphrase: passphraseProblem ?? undefined })
      else setError(failure.message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="centered">
      <form className="card narrow" ref={formRef} onSubmit={(e) => void submit(e)} aria-busy={busy} noValidate>
        <h1>{t('vault.welcomeScreen.createAVault')}</h1>
        <FolderField
          id="create-dir"
          label={t('vault.welcomeScreen.emptyFolderForThe')}
          value={dir}
          purpose="create"
          onChange={setDir}
          error={fieldErrors.dir}
        />
        <Field
          id="new-passphrase"
          label={t('vault.welcomeScreen.passphrase')}
          error={fieldErrors.passphrase}
          hint={<PassphraseStrength passphrase={passphrase} />}
        >
          <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />
        </Field>
        <Field id="confirm-passphrase" label={t('vault.welcomeScreen.repeatPassphrase')} error={fieldErrors.confirm}>
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </Field>
        <p className="hint">{t('vault.welcomeScreen.nobodyCanRecoverA')}</p>
        <ErrorMessage message={error} />
        <div className="actions">
          <button type="button" onClick={props.onCancel} disabled={busy}>
            {t('vault.welcomeScreen.back')}
          </button>
          <button type="submit" className="primary" disabled={busy || !dir.trim() || !passphrase}>
            {busy ? t('vault.welcomeScreen.creatingDerivingKeys') : t('vault.welcomeScreen.createVault')}
          </button>
        </div>
      </form>
    </main>
  )
}
