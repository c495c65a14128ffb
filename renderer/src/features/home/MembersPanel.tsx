// Renderer: the vault's members (Security → Members) — who they are, their roles and statuses; an admin adds a member
// and sees the one-time invitation code once, changes roles, suspends, reinstates and removes (removal asks first). A
// member whose role may not manage members sees the list and why the controls are missing. Rules are core's
// (docs/MEMBERS.md): this panel shows what core answers, in core's words.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { MemberView } from '../../../../shared/ipc/channels/memberChannels'
import { ROLE_LABELS, ROLES, roleCan, type Role } from '../../../../shared/members/roles'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Field } from '../../components/Field'
import { Select } from '../../components/Select'
import { useToast } from '../../components/Toast'
import { useAsync } from '../../hooks/useAsync'

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))

function describeState(member: MemberView): { text: string; tone: 'ok' | 'warn' | 'muted' } {
  if (member.status === 'suspended') return { text: 'Suspended', tone: 'warn' }
  if (member.status === 'removed') return { text: 'Removed', tone: 'muted' }
  if (!member.joined)
    return {
      text: member.invitationExpiresAt ? `Invited (code valid until ${member.invitationExpiresAt.slice(0, 10)})` : 'Invited',
      tone: 'warn',
    }
  return { text: 'Active', tone: 'ok' }
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
      <h2 id="members-title">Members</h2>
      <p className="hint">
        Each member unlocks with their own passphrase and their name stands on what they do. Each role may do only what it is for; Custodia
        refuses the rest and says why.
      </p>
      <ErrorMessage message={action.error} details={action.details} />
      {members.length === 0 && !action.busy ? <EmptyState title="No members listed" /> : null}
      {members.length > 0 && (
        <table className="data-table members-table" aria-label="Members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              {canManage && <th scope="col">Change</th>}
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
                      {m.id === currentId ? ' (you)' : ''}
                    </span>
                    {m.email ? <div className="muted small">{m.email}</div> : null}
                  </td>
                  <td>
                    {canManage && m.status !== 'removed' ? (
                      <Select
                        aria-label={`Role of ${m.name}`}
                        value={m.role}
                        disabled={action.busy}
                        options={ROLE_OPTIONS}
                        onChange={(next) =>
                          change(() => api['members:setRole']({ id: m.id, role: next }), `${m.name} is now ${ROLE_LABELS[next]}.`)
                        }
                      />
                    ) : (
                      ROLE_LABELS[m.role]
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
                            New code
                          </Button>
                        )}
                        {m.status === 'active' && m.id !== currentId && (
                          <Button
                            size="sm"
                            disabled={action.busy}
                            aria-label={`Suspend ${m.name}`}
                            onClick={() => change(() => api['members:suspend']({ id: m.id }), `${m.name} is suspended.`)}
                          >
                            Suspend
                          </Button>
                        )}
                        {m.status === 'suspended' && (
                          <Button
                            size="sm"
                            disabled={action.busy}
                            aria-label={`Reinstate ${m.name}`}
                            onClick={() => change(() => api['members:reinstate']({ id: m.id }), `${m.name} is reinstated.`)}
                          >
                            Reinstate
                          </Button>
                        )}
                        {m.status !== 'removed' && m.id !== currentId && (
                          <Button
                            size="sm"
                            variant="danger"
                            disabled={action.busy}
                            aria-label={`Remove ${m.name}`}
                            onClick={() => setRemoving(m)}
                          >
                            Remove
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
            Invitation code for <strong>{invitation.name}</strong>, shown only this once (valid until {invitation.until} UTC):
          </p>
          <p className="recovery-key">
            <code>{invitation.code}</code>
          </p>
          <p className="hint">
            Give it to them in person or by another channel than the vault files. On the unlock screen they choose “Join with an invitation
            code” and set their own passphrase.
          </p>
        </div>
      )}

      {canManage ? (
        <form className="add-member" onSubmit={add} aria-label="Add a member">
          <h3>Add a member</h3>
          <div className="add-member-fields">
            <Field id="member-name" label="Name">
              <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
            </Field>
            <Field id="member-email" label="E-mail (optional)">
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} />
            </Field>
            <Field id="member-role" label="Role">
              <Select aria-label="Role of the new member" value={role} onChange={setRole} options={ROLE_OPTIONS} />
            </Field>
          </div>
          <Button type="submit" variant="primary" disabled={action.busy || !name.trim()}>
            Add member
          </Button>
        </form>
      ) : (
        <p className="hint">Only an admin can add, suspend or remove members.</p>
      )}

      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const m = removing
            setRemoving(null)
            change(() => api['members:remove']({ id: m.id }), `${m.name} is removed.`)
          }}
        >
          <p>Their passphrase and recovery key stop opening this vault. Their name stays on what they did.</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
