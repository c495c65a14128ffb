// Renderer: the vault's members (Security → Members) — who they are, their roles and statuses; an admin adds a member
// and sees the one-time invitation code once, changes roles, suspends, reinstates and removes. A member whose role may
// not manage members sees the list and why the buttons are missing. Rules are core's (docs/MEMBERS.md): this panel
// shows what core answers, in core's words.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { MemberView } from '../../../../shared/ipc/channels/memberChannels'
import { ROLE_LABELS, ROLES, roleCan, type Role } from '../../../../shared/members/roles'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useAsync } from '../../hooks/useAsync'

function describeState(member: MemberView): string {
  if (member.status === 'suspended') return 'Suspended'
  if (member.status === 'removed') return 'Removed'
  if (!member.joined)
    return member.invitationExpiresAt ? `Invited (code valid until ${member.invitationExpiresAt.slice(0, 10)})` : 'Invited'
  return 'Active'
}

export function MembersPanel({ myRole }: { myRole: Role | null }) {
  const api = useApi()
  const [members, setMembers] = useState<MemberView[]>([])
  const [currentId, setCurrentId] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('viewer')
  const [invitation, setInvitation] = useState<{ name: string; code: string; until: string } | null>(null)
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
      const added = await api['members:add']({ name, role })
      setInvitation({
        name: added.member.name,
        code: added.invitationCode,
        until: added.invitationExpiresAt.slice(0, 16).replace('T', ' '),
      })
      setName('')
      await reload()
    })
  }

  const change = (work: () => Promise<unknown>) => {
    setInvitation(null)
    void action.run(async () => {
      await work()
      await reload()
    })
  }

  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      <p className="hint">
        Each member unlocks with their own passphrase. Each role may do only what it is for; Custodia refuses the rest and says why.
      </p>
      <ErrorMessage message={action.error} />
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Status</th>
            {canManage && <th>Change</th>}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id} data-testid={`member-${m.id}`}>
              <td>
                {m.name}
                {m.id === currentId ? ' (you)' : ''}
              </td>
              <td>
                {canManage && m.status !== 'removed' ? (
                  <select
                    aria-label={`Role of ${m.name}`}
                    value={m.role}
                    disabled={action.busy}
                    onChange={(e) => change(() => api['members:setRole']({ id: m.id, role: e.target.value as Role }))}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABELS[r]}
                      </option>
                    ))}
                  </select>
                ) : (
                  ROLE_LABELS[m.role]
                )}
              </td>
              <td>{describeState(m)}</td>
              {canManage && (
                <td>
                  {m.status === 'active' && m.id !== currentId && (
                    <button type="button" disabled={action.busy} onClick={() => change(() => api['members:suspend']({ id: m.id }))}>
                      Suspend {m.name}
                    </button>
                  )}
                  {m.status === 'suspended' && (
                    <button type="button" disabled={action.busy} onClick={() => change(() => api['members:reinstate']({ id: m.id }))}>
                      Reinstate {m.name}
                    </button>
                  )}
                  {m.status !== 'removed' && m.id !== currentId && (
                    <button
                      type="button"
                      disabled={action.busy}
                      onClick={() => {
                        if (window.confirm(`Remove ${m.name}? Their passphrase and recovery key stop opening this vault.`))
                          change(() => api['members:remove']({ id: m.id }))
                      }}
                    >
                      Remove {m.name}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canManage ? (
        <form onSubmit={add} aria-label="Add a member">
          <label>
            Name <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
          </label>
          <label>
            Role{' '}
            <select aria-label="Role of the new member" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={action.busy || !name.trim()}>
            Add member
          </button>
        </form>
      ) : (
        <p className="hint">Only an admin can add, suspend or remove members.</p>
      )}
      {invitation && (
        <div role="status" data-testid="invitation">
          <p>
            Invitation code for {invitation.name}, shown only this once (valid until {invitation.until} UTC):
          </p>
          <p>
            <code>{invitation.code}</code>
          </p>
          <p className="hint">
            Give it to them in person or by another channel than the vault files. They choose their own passphrase when they join.
          </p>
        </div>
      )}
    </section>
  )
}
