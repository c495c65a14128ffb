// Renderer: joining a team's shared vault from the welcome screen, for a new member at another office. Step one: the
// invitation code and the invitation file (main opens its own file dialog) — the screen then says whom the
// invitation is for, so a wrong file is noticed before anything is created. Step two: an empty folder for the
// member's own copy, the folder the office's sync engine shares, and their own passphrase; core creates the vault,
// joins it to the team and runs a first sync. Then the recovery key, shown once.
import { useState, type FormEvent } from 'react'
import type { VaultState } from '../../../../shared/ipc/contract'
import type { Role } from '../../../../shared/members/roles'
import { problemAt } from '../../../../shared/messages/messages'
import { explainError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Field } from '../../components/Field'
import { useFieldErrors } from '../../hooks/useFieldErrors'
import { usePageTitle } from '../../hooks/usePageTitle'
import { roleName } from '../../i18n/codeNames'
import { t } from '../../i18n/intl'
import { FolderField } from './FolderField'
import { MIN_ACCEPTED_SCORE, PassphraseStrength, scorePassphrase } from './PassphraseStrength'
import { RecoveryKeyStep } from './RecoveryKeyStep'

type FieldName = 'code' | 'dir' | 'folder' | 'passphrase' | 'confirm'
type Invitation = { token: string; member: string; role: Role; teamId: string }

export function TeamJoinScreen(props: { onJoined: (status: VaultState) => void; onCancel: () => void }) {
  const api = useApi()
  usePageTitle(t('vault.teamJoin.title'))
  const [code, setCode] = useState('')
  const [invitation, setInvitation] = useState<Invitation | null>(null)
  const [dir, setDir] = useState('')
  const [folder, setFolder] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [joined, setJoined] = useState<{ recoveryKey: string; status: VaultState; applied: number } | null>(null)
  const { fieldErrors, refuse, clearFieldErrors, formRef } = useFieldErrors<FieldName>()

  const openInvitation = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    clearFieldErrors()
    if (!code.trim()) return refuse({ code: t('vault.teamJoin.typeTheCode') })
    setBusy(true)
    try {
      const opened = await api['sync:openInvitation']({ code: code.trim() })
      if (opened.opened) setInvitation({ token: opened.token, member: opened.member, role: opened.role, teamId: opened.teamId })
    } catch (err) {
      const failure = explainError(err)
      if (/invitation code/i.test(failure.message)) refuse({ code: failure.message })
      else setError(failure.message)
    } finally {
      setBusy(false)
    }
  }

  const join = async (e: FormEvent) => {
    e.preventDefault()
    if (invitation === null) return
    setError(null)
    clearFieldErrors()
    if (passphrase !== confirm) return refuse({ confirm: t('vault.teamJoin.passphrasesDiffer') })
    if ((await scorePassphrase(passphrase)) < MIN_ACCEPTED_SCORE) return refuse({ passphrase: t('vault.teamJoin.passphraseTooWeak') })
    setBusy(true)
    try {
      const result = await api['sync:join']({
        token: invitation.token,
        code: code.trim(),
        dir: dir.trim(),
        folder: folder.trim(),
        passphrase,
      })
      setPassphrase('')
      setConfirm('')
      setCode('')
      setJoined(result)
    } catch (err) {
      const failure = explainError(err)
      const fields: Partial<Record<FieldName, string>> = {
        dir: problemAt(failure.fields, 'dir') ?? (/empty folder|copy of the vault/i.test(failure.message) ? failure.message : undefined),
        folder:
          problemAt(failure.fields, 'folder') ??
          (/sync folder/i.test(failure.message) && !/copy of the vault/i.test(failure.message) ? failure.message : undefined),
        passphrase: problemAt(failure.fields, 'passphrase') ?? undefined,
      }
      if (fields.dir || fields.folder || fields.passphrase) refuse(fields)
      else setError(failure.message)
    } finally {
      setBusy(false)
    }
  }

  if (joined) {
    return (
      <RecoveryKeyStep
        recoveryKey={joined.recoveryKey}
        intro={t('vault.teamJoin.joined', { count: joined.applied })}
        onConfirmed={() => props.onJoined(joined.status)}
      />
    )
  }

  if (invitation === null) {
    return (
      <main className="centered">
        <form className="card narrow" ref={formRef} onSubmit={(e) => void openInvitation(e)} aria-busy={busy} noValidate>
          <h1>{t('vault.teamJoin.title')}</h1>
          <p className="lede">{t('vault.teamJoin.whatYouNeed')}</p>
          <Field id="team-invitation-code" label={t('vault.teamJoin.code')} error={fieldErrors.code} hint={t('vault.teamJoin.codeHint')}>
            <input value={code} onChange={(e) => setCode(e.target.value)} spellCheck={false} autoComplete="off" autoFocus />
          </Field>
          <ErrorMessage message={error} />
          <div className="actions">
            <Button type="button" onClick={props.onCancel} disabled={busy}>
              {t('vault.teamJoin.back')}
            </Button>
            <Button type="submit" variant="primary" disabled={busy || !code.trim()}>
              {t('vault.teamJoin.chooseInvitation')}
            </Button>
          </div>
        </form>
      </main>
    )
  }

  return (
    <main className="centered">
      <form className="card narrow" ref={formRef} onSubmit={(e) => void join(e)} aria-busy={busy} noValidate>
        <h1>{t('vault.teamJoin.title')}</h1>
        <p className="lede" data-testid="invitation-summary">
          {t('vault.teamJoin.invitationFor', { member: invitation.member, role: roleName(invitation.role) })}
        </p>
        <FolderField
          id="team-copy-dir"
          label={t('vault.teamJoin.copyFolder')}
          value={dir}
          purpose="create"
          onChange={setDir}
          error={fieldErrors.dir}
        />
        <FolderField
          id="team-sync-folder"
          label={t('vault.teamJoin.syncFolder')}
          value={folder}
          purpose="sync"
          onChange={setFolder}
          error={fieldErrors.folder}
          hint={t('vault.teamJoin.syncFolderHint')}
        />
        <Field
          id="team-passphrase"
          label={t('vault.teamJoin.passphrase')}
          error={fieldErrors.passphrase}
          hint={<PassphraseStrength passphrase={passphrase} />}
        >
          <input type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </Field>
        <Field id="team-confirm" label={t('vault.teamJoin.repeatPassphrase')} error={fieldErrors.confirm}>
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
        </Field>
        <p className="hint">{t('vault.teamJoin.onlyYou')}</p>
        <ErrorMessage message={error} />
        <div className="actions">
          <Button type="button" onClick={() => setInvitation(null)} disabled={busy}>
            {t('vault.teamJoin.back')}
          </Button>
          <Button type="submit" variant="primary" disabled={busy || !dir.trim() || !folder.trim() || !passphrase}>
            {busy ? t('vault.teamJoin.joining') : t('vault.teamJoin.join')}
          </Button>
        </div>
      </form>
    </main>
  )
}
