// Renderer: an invited member's first unlock — the one-time invitation code an admin gave them, and a passphrase of
// their own (typed twice, with the same strength rule as a new vault); then their recovery key, shown once with the
// confirm step of vault creation. Core checks the code (mistyped, unknown, expired, member suspended) and says why.
import { useState, type FormEvent } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import { problemAt } from '../../../../shared/messages/messages'
import { explainError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Field } from '../../components/Field'
import { useFieldErrors } from '../../hooks/useFieldErrors'
import { usePageTitle, vaultDisplayName } from '../../hooks/usePageTitle'
import { MIN_ACCEPTED_SCORE, PassphraseStrength, scorePassphrase } from './PassphraseStrength'
import { RecoveryKeyStep } from './RecoveryKeyStep'
import { t } from '../../i18n/intl'

type FieldName = 'code' | 'passphrase' | 'confirm'

export function JoinScreen(props: { dir: string; onJoined: (status: VaultState) => void; onCancel: () => void }) {
  const api = useApi()
  usePageTitle(t('vault.joinScreen.joinVault'), vaultDisplayName(props.dir, null))
  const [code, setCode] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [joined, setJoined] = useState<{ recoveryKey: string; status: VaultState } | null>(null)
  const { fieldErrors, refuse, clearFieldErrors, formRef } = useFieldErrors<FieldName>()

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    clearFieldErrors()
    if (!code.trim()) return refuse({ code: t('vault.joinScreen.typeTheInvitationCode') })
    if (passphrase !== confirm) return refuse({ confirm: t('vault.joinScreen.theTwoPassphrasesAre') })
    if ((await scorePassphrase(passphrase)) < MIN_ACCEPTED_SCORE) return refuse({ passphrase: t('vault.joinScreen.thisPassphraseIsToo') })
    setBusy(true)
    try {
      const result = await api['members:join']({ dir: props.dir, code: code.trim(), newPassphrase: passphrase })
      setPassphrase('')
      setConfirm('')
      setCode('')
      setJoined(result)
    } catch (err) {
      const failure = explainError(err)
      const passphraseProblem = problemAt(failure.fields, 'newPassphrase')
      if (passphraseProblem) refuse({ passphrase: passphraseProblem })
      else setError(failure.message)
    } finally {
      setBusy(false)
    }
  }

  if (joined) return <RecoveryKeyStep recoveryKey={joined.recoveryKey} onConfirmed={() => props.onJoined(joined.status)} />

  return (
    <main className="centered">
      <form className="card narrow" ref={formRef} onSubmit={(e) => void submit(e)} aria-busy={busy} noValidate>
        <h1>{t('vault.joinScreen.joinWithAnInvitation')}</h1>
        <p className="path" title={props.dir}>
          {props.dir}
        </p>
        <Field
          id="join-code"
          label={t('vault.joinScreen.invitationCode')}
          error={fieldErrors.code}
          hint={t('vault.joinScreen.14GroupsOf4')}
        >
          <input value={code} autoComplete="off" spellCheck={false} onChange={(e) => setCode(e.target.value)} autoFocus />
        </Field>
        <Field
          id="join-passphrase"
          label={t('vault.joinScreen.yourNewPassphrase')}
          error={fieldErrors.passphrase}
          hint={<PassphraseStrength passphrase={passphrase} />}
        >
          <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </Field>
        <Field id="join-confirm" label={t('vault.joinScreen.repeatPassphrase')} error={fieldErrors.confirm}>
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </Field>
        <p className="hint">{t('vault.joinScreen.onlyYouKnowThis')}</p>
        {busy ? (
          <div className="progress" role="progressbar" aria-label={t('vault.joinScreen.settingUpYourKeys')}>
            <div className="bar indeterminate" />
            <span>{t('vault.joinScreen.settingUpYourKeys2')}</span>
          </div>
        ) : null}
        <ErrorMessage message={error} />
        <div className="actions">
          <Button onClick={props.onCancel} disabled={busy}>
            {t('vault.joinScreen.back')}
          </Button>
          <Button type="submit" variant="primary" disabled={busy || !code.trim() || !passphrase}>
            {t('vault.joinScreen.joinTheVault')}
          </Button>
        </div>
      </form>
    </main>
  )
}
