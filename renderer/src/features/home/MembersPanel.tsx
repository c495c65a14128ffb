// Renderer: the vault's members (Security → Members) — who they are, their roles and statuses; an admin adds a member
// and sees the one-time invitation code once, changes roles, suspends, reinstates and removes (removal asks first). A
// member whose role may not manage members sees the list and why the controls are missing. Rules are core's
// (docs/MEMBERS.md): this panel shows what core answers, in core's words.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { MemberView } from '../../../../shared/ipc/channels/memberChannels'
import { ROLES, roleCan, type Role } from '../../../../shared/members/roles'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Field } from '../../components/Field'
import { Select } from '../../components/Select'
import { useToast } from '../../components/Toast'
import { useAsync } from '../../hooks/useAsync'
import { t } from '../../i18n/intl'
import { roleName } from '../../i18n/codeNames'

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: roleName(r) }))

function describeState(member: MemberView): { text: string; tone: 'ok' | 'warn' | 'muted' } {
  if (member.status === 'suspended') return { text: t('home.membersPanel.suspended'), tone: 'warn' }
  if (member.status === 'removed') return { text: t('home.membersPanel.removed'), tone: 'muted' }
  if (!member.joined)
    return {
      text: member.invitationExpiresAt
        ? t('home.membersPanel.invitedCodeValidUntil', { invitationExpiresAt: member.invitationExpiresAt.slice(0, 10) })
        : t('home.membersPanel.invited'),
      tone: 'warn',
    }
  return { text: t('home.membersPanel.active'), tone: 'ok' }
}

export function MembersPanel({ myRole }: { myRole: Role | null }) {
  const api = useApi()
  const toast = useToast()
  const [members, setMembers] = useState<MemberView[]>([])
  const [currentId, setCurrentId] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const [invitation, setInvitation] = useState<{ name: string; code: string; until: string } | null>(null)
  const [removing, setRemoving] = useState<MemberView | null>(null)
  const action = useAsync<void>()
  const canManage = myRole !== null && roleCan(myRole, 'members.manage')

  const reload = useCallback(async () => {
    const listed = await api['members:list']({})
    setMembers(listed.members)
    setCurrentId(listed.currentMemberId)
  }, [api])

  useEffect(() => {
    void action.run(reload)
    // Loads once per mount; run is stable.
  }, [reload]) // eslint-disable-line react-hooks/exhaustive-deps

  const add = (e: FormEvent) => {
    e.preventDefault()
    void action.run(async () => {
      const added = await api['members:add']({ name, role, ...(email.trim() ? { email: email.trim() } : {}) })
      setInvitation({
        name: added.member.name,
        code: added.invitationCode,
        until: added.invitationExpiresAt.slice(0, 16).replace('T', ' '),
      })
      setName('')
      setEmail('')
      await reload()
    })
  }

  const change = (work: () => Promise<unknown>, done: string) => {
    setInvitation(null)
    void action.run(async () => {
      await work()
      await reload()
      toast(done)
    })
  }

  const renew = (m: MemberView) => {
    void action.run(async () => {
      const renewed = await api['members:createInvitation']({ id: m.id })
      setInvitation({ name: m.name, code: renewed.invitationCode, until: renewed.invitationExpiresAt.slice(0, 16).replace('T', ' ') })
      await reload()
    })
  }

  return (
    <section className="members-panel" aria-labelledby="members-title">
      <h2 id="members-title">{t('home.membersPanel.members')}</h2>
      <p className="hint">{t('home.membersPanel.eachMemberUnlocksWith')}</p>
      <ErrorMessage message={action.error} details={action.details} />
      {members.length === 0 && !action.busy ? <EmptyState title={t('home.membersPanel.noMembersListed')} /> : null}
      {members.length > 0 && (
        <table className="data-table members-table" aria-label={t('home.membersPanel.members')}>
          <thead>
            <tr>
              <th scope="col">{t('home.membersPanel.name')}</th>
              <th scope="col">{t('home.membersPanel.role')}</th>
              <th scope="col">{t('home.membersPanel.status')}</th>
              {canManage && <th scope="col">{t('home.membersPanel.change')}</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const state = describeState(m)
              return (
                <tr key={m.id} data-testid={`member-${m.id}`} className={m.status === 'removed' ? 'removed' : undefined}>
                  <td>
                    <span className="member-name">
                      {m.name}
                      {m.id === currentId ? t('home.membersPanel.you') : ''}
                    </span>
                    {m.email ? <div className="muted small">{m.email}</div> : null}
                  </td>
                  <td>
                    {canManage && m.status !== 'removed' ? (
                      <Select
                        aria-label={t('home.membersPanel.roleOf', { name: m.name })}
                        value={m.role}
                        disabled={action.busy}
                        options={ROLE_OPTIONS}
                        onChange={(next) =>
                          change(
                            () => api['members:setRole']({ id: m.id, role: next }),
                            t('home.membersPanel.isNow', { name: m.name, value: roleName(next) }),
                          )
                        }
                      />
                    ) : (
                      roleName(m.role)
                    )}
                  </td>
                  <td>
                    <span className={`status-pill ${state.tone}`}>{state.text}</span>
                  </td>
                  {canManage && (
                    <td>
                      <div className="row-actions">
                        {m.status === 'active' && !m.joined && (
                          <Button size="sm" variant="quiet" disabled={action.busy} onClick={() => renew(m)}>
                            {t('home.membersPanel.newCode')}
                          </Button>
                        )}
                        {m.status === 'active' && m.id !== currentId && (
                          <Button
                            size="sm"
                            disabled={action.busy}
                            aria-label={t('home.membersPanel.suspend2', { name: m.name })}
                            onClick={() =>
                              change(() => api['members:suspend']({ id: m.id }), t('home.membersPanel.isSuspended', { name: m.name }))
                            }
                          >
                            {t('home.membersPanel.suspend')}
                          </Button>
                        )}
                        {m.status === 'suspended' && (
                          <Button
                            size="sm"
                            disabled={action.busy}
                            aria-label={t('home.membersPanel.reinstate2', { name: m.name })}
                            onClick={() =>
                              change(() => api['members:reinstate']({ id: m.id }), t('home.membersPanel.isReinstated', { name: m.name }))
                            }
                          >
                            {t('home.membersPanel.reinstate')}
                          </Button>
                        )}
                        {m.status !== 'removed' && m.id !== currentId && (
                          <Button
                            size="sm"
                            variant="danger"
                            disabled={action.busy}
                            aria-label={t('home.membersPanel.remove2', { name: m.name })}
                            onClick={() => setRemoving(m)}
                          >
                            {t('home.membersPanel.remove')}
                          </Button>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
              )
            })}
          </tbody>
        </table>
      )}

      {invitation && (
        <div className="invitation" role="status" data-testid="invitation">
          <p>
            {t('home.membersPanel.invitationCodeFor')} <strong>{invitation.name}</strong>
            {t('home.membersPanel.shownOnlyThisOnce', { until: invitation.until })}
          </p>
          <p className="recovery-key">
            <code>{invitation.code}</code>
          </p>
          <p className="hint">{t('home.membersPanel.giveItToThem')}</p>
        </div>
      )}

      {canManage ? (
        <form className="add-member" onSubmit={add} aria-label={t('home.membersPanel.addAMember')}>
          <h3>{t('home.membersPanel.addAMember')}</h3>
          <div className="add-member-fields">
            <Field id="member-name" label={t('home.membersPanel.name')}>
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
            </Field>
            <Field id="member-email" label={t('home.membersPanel.eMailOptional')}>
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} />
            </Field>
            <Field id="member-role" label={t('home.membersPanel.role')}>
              <Select aria-label={t('home.membersPanel.roleOfTheNew')} value={role} onChange={setRole} options={ROLE_OPTIONS} />
            </Field>
          </div>
          <Button type="submit" variant="primary" disabled={action.busy || !name.trim()}>
            {t('home.membersPanel.addMember')}
          </Button>
        </form>
      ) : (
        <p className="hint">{t('home.membersPanel.onlyAnAdminCan')}</p>
      )}

      {removing && (
        <ConfirmDialog
          title={t('home.membersPanel.remove3', { name: removing.name })}
          confirmLabel={t('home.membersPanel.remove')}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const m = removing
            setRemoving(null)
            change(() => api['members:remove']({ id: m.id }), t('home.membersPanel.isRemoved', { name: m.name }))
          }}
        >
          <p>{t('home.membersPanel.theirPassphraseAndRecovery')}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
