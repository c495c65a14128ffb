// Renderer: Security → Sync — copies of this vault in several offices kept up to date through a folder the office's sync
// program (Syncthing) shares (docs/SYNC.md). Not set up: what sync is and "Set up sync…". Set up: where things stand,
// "Sync now" with what came in and what was refused, the other copies (an admin removes one, after a confirmation),
// "Invite another office" (a file and a one-time code), and, optionally, what this computer's Syncthing says.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { SyncRunView, SyncStatusView, SyncthingStateView } from '../../../../shared/ipc/channels/syncChannels'
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

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

function describeRun(run: SyncRunView): string {
  const parts = [
    `Sync finished: ${plural(run.applied, 'batch of changes', 'batches of changes')} received from other offices`,
    `${plural(run.written, 'batch', 'batches')} of this copy's changes sent`,
  ]
  if (run.waiting > 0) parts.push(`${run.waiting} still on the way (they arrive with the next sync)`)
  if (run.refused.length > 0) parts.push(`${run.refused.length} refused (see below)`)
  return `${parts.join(', ')}.`
}

function describeSyncthing(state: SyncthingStateView): string[] {
  if (!state.running) return [state.problem ?? 'Syncthing is not running.']
  const lines = ['Syncthing is running on this computer.']
  lines.push(
    state.devicesKnown === 0
      ? 'It knows no other computer yet: add the other offices’ computers in Syncthing.'
      : `${state.devicesConnected} of ${plural(state.devicesKnown, 'other computer', 'other computers')} connected now.`,
  )
  if (state.folder)
    lines.push(
      state.folder.filesToGo === 0
        ? `The folder “${state.folder.label}” is up to date.`
        : `The folder “${state.folder.label}” still has ${plural(state.folder.filesToGo, 'file', 'files')} to receive.`,
    )
  if (state.problem) lines.push(state.problem)
  return lines
}

export function SyncPanel({ myRole }: { myRole: Role | null }) {
  const api = useApi()
  const toast = useToast()
  const [status, setStatus] = useState<SyncStatusView | null>(null)
  const [lastRun, setLastRun] = useState<SyncRunView | null>(null)
  const [inviteName, setInviteName] = useState('')
  const [inviteRole, setInviteRole] = useState<Role>('secretariat')
  const [invitation, setInvitation] = useState<{ name: string; path: string; code: string } | null>(null)
  const [removing, setRemoving] = useState<string | null>(null)
  const [address, setAddress] = useState('http://127.0.0.1:8384')
  const [apiKey, setApiKey] = useState('')
  const [syncthing, setSyncthing] = useState<SyncthingStateView | null>(null)
  const action = useAsync<void>()
  const engine = useAsync<void>()
  // Without a role (a vault from before members) core decides; the controls are shown.
  const canManage = myRole === null || roleCan(myRole, 'members.manage')
  const canSetEngine = myRole === null || roleCan(myRole, 'settings.manage')

  const checkSyncthing = useCallback(
    () => void engine.run(async () => setSyncthing(await api['sync:getSyncthingState']({}))),
    // run is stable.
    [api], // eslint-disable-line react-hooks/exhaustive-deps
  )

  useEffect(() => {
    void action.run(async () => {
      const loaded = await api['sync:getStatus']({})
      setStatus(loaded)
      if (loaded.syncthingAddress) {
        setAddress(loaded.syncthingAddress)
        checkSyncthing()
      }
    })
    // Loads once per mount; run is stable.
  }, [api]) // eslint-disable-line react-hooks/exhaustive-deps

  const setUp = () =>
    void action.run(async () => {
      const { dir } = await api['vault:chooseFolder']({ purpose: 'sync' })
      if (!dir) return
      setStatus(await api['sync:createTeam']({ folder: dir }))
      toast('Sync is set up. Invite the other offices next.')
    })

  const syncNow = () =>
    void action.run(async () => {
      // The code was shown once; moving on hides it (as on the Members page).
      setInvitation(null)
      const run = await api['sync:run']({})
      setLastRun(run)
      setStatus(run.status)
    })

  const invite = (e: FormEvent) => {
    e.preventDefault()
    void action.run(async () => {
      const made = await api['sync:createInvitation']({ member: inviteName.trim(), role: inviteRole })
      if (!made.saved) return
      setInvitation({ name: inviteName.trim(), path: made.path, code: made.code })
      setStatus(made.status)
      setInviteName('')
    })
  }

  const saveSyncthing = (e: FormEvent) => {
    e.preventDefault()
    void engine.run(async () => {
      const saved = await api['sync:setSyncthing']({ address, apiKey })
      // The key is not kept in the page once saved: core holds it, sealed in the vault.
      setApiKey('')
      setStatus(saved)
      setSyncthing(await api['sync:getSyncthingState']({}))
    })
  }

  const forgetSyncthing = () =>
    void engine.run(async () => {
      setStatus(await api['sync:deleteSyncthing']({}))
      setSyncthing(null)
      toast('The Syncthing key is forgotten.')
    })

  const activeDevices = status?.devices.filter((d) => !d.removed) ?? []
  // Shown beside "Sync now" once sync is set up (is Syncthing doing its part?), else with the Syncthing settings.
  const syncthingState = syncthing && (
    <div className="syncthing-state" role="status" aria-label="Syncthing" data-testid="syncthing-state">
      <ul>
        {describeSyncthing(syncthing).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  )

  return (
    <section className="sync-panel" aria-labelledby="sync-title">
      <h2 id="sync-title">Sync with other offices</h2>
      <ErrorMessage message={action.error} details={action.details} />

      {status && !status.setUp && (
        <EmptyState
          title="This vault is not shared with other offices"
          action={
            canManage ? (
              <Button variant="primary" disabled={action.busy} onClick={setUp}>
                Set up sync…
              </Button>
            ) : undefined
          }
        >
          <p>
            Sync keeps copies of this vault in several offices up to date. Custodia puts each office’s changes, locked so that only your
            team can read them, in a folder that a sync program copies between your computers. Custodia does not install that program:
            install Syncthing (free) on each computer and share one folder between them, then choose that folder here.
          </p>
          {!canManage && <p>Ask an admin to set up sync.</p>}
        </EmptyState>
      )}

      {status?.setUp && (
        <>
          <div className="sync-summary" data-testid="sync-summary">
            <p>
              This copy belongs to <strong>{status.thisDevice?.member}</strong>
              {status.thisDevice ? ` (${ROLE_LABELS[status.thisDevice.role]})` : ''}. Shared folder: <code>{status.folder}</code>
            </p>
            <p>
              {activeDevices.length === 0
                ? 'No other office has joined yet.'
                : `${plural(activeDevices.length, 'other copy', 'other copies')} in the team.`}{' '}
              {status.conflicts.length > 0
                ? `${plural(status.conflicts.length, 'document was', 'documents were')} changed in two offices at once: both versions are kept.`
                : 'No document is waiting for a choice between two versions.'}
            </p>
            {syncthingState}
            <Button variant="primary" disabled={action.busy} onClick={syncNow}>
              Sync now
            </Button>
          </div>

          {lastRun && (
            <p className="notice" role="status" data-testid="sync-result">
              {describeRun(lastRun)}
            </p>
          )}

          {status.conflicts.length > 0 && (
            <div aria-labelledby="sync-conflicts-title">
              <h3 id="sync-conflicts-title">Changed in two offices at once</h3>
              <ul>
                {status.conflicts.map((c) => (
                  <li key={c.id}>{c.title || 'A document without a title'}</li>
                ))}
              </ul>
            </div>
          )}

          {status.refused.length > 0 && (
            <div aria-labelledby="sync-refused-title">
              <h3 id="sync-refused-title">Changes refused</h3>
              <p className="hint">These changes were not applied here. Nothing else was held up by them.</p>
              <ul data-testid="sync-refused">
                {status.refused.map((r, i) => (
                  <li key={i}>
                    From {r.from}: {r.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}

          <h3 id="sync-devices-title">Other copies of this vault</h3>
          {status.devices.length === 0 ? (
            <p className="hint">None yet. Invite another office below.</p>
          ) : (
            <table className="data-table" aria-labelledby="sync-devices-title">
              <thead>
                <tr>
                  <th scope="col">Used by</th>
                  <th scope="col">Role</th>
                  <th scope="col">Changes received from it</th>
                  {canManage && <th scope="col">Change</th>}
                </tr>
              </thead>
              <tbody>
                {status.devices.map((d) => (
                  <tr key={d.deviceId} className={d.removed ? 'removed' : undefined}>
                    <td>{d.member}</td>
                    <td>{ROLE_LABELS[d.role]}</td>
                    <td>
                      {d.removed
                        ? 'Removed from the team'
                        : d.lastAppliedAt
                          ? `${d.changesApplied}, the last on ${formatDate(d.lastAppliedAt)}`
                          : 'Nothing yet'}
                    </td>
                    {canManage && (
                      <td>
                        {!d.removed && (
                          <Button
                            size="sm"
                            variant="danger"
                            disabled={action.busy}
                            aria-label={`Remove ${d.member}'s copy`}
                            onClick={() => setRemoving(d.member)}
                          >
                            Remove
                          </Button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          {invitation && (
            <div className="invitation" role="status" data-testid="sync-invitation">
              <p>
                Invitation for <strong>{invitation.name}</strong> saved as <code>{invitation.path}</code>. Its code, shown only this once:
              </p>
              <p className="recovery-key">
                <code>{invitation.code}</code>
              </p>
              <p className="hint">
                Give the file and the code by different ways (for example the file on a USB stick, the code by phone). On their computer
                they make their copy with the file and the code (custodia sync join, see “Working across offices” in the guide).
              </p>
            </div>
          )}

          {canManage && (
            <form className="add-member" onSubmit={invite} aria-labelledby="sync-invite-title">
              <h3 id="sync-invite-title">Invite another office</h3>
              <div className="add-member-fields">
                <Field id="sync-invite-name" label="Who will use the new copy">
                  <input value={inviteName} onChange={(e) => setInviteName(e.target.value)} required maxLength={200} />
                </Field>
                <Field id="sync-invite-role" label="What their changes may do">
                  <Select aria-label="Role of the new copy" value={inviteRole} onChange={setInviteRole} options={ROLE_OPTIONS} />
                </Field>
              </div>
              <Button type="submit" disabled={action.busy || !inviteName.trim()}>
                Make an invitation file…
              </Button>
            </form>
          )}
        </>
      )}

      <div className="subform" aria-labelledby="syncthing-title">
        <h3 id="syncthing-title">Syncthing on this computer (optional)</h3>
        <p className="hint">
          To see here whether Syncthing is running and has copied everything, give its address and API key (in Syncthing: Actions → Settings
          → General). Only an address on this computer is accepted, because the key gives full control of Syncthing. The key is kept locked
          in the vault and is not shown again.
        </p>
        {status?.syncthingAddress && (
          <p data-testid="syncthing-saved">
            Saved: <code>{status.syncthingAddress}</code> and its key.{' '}
            <Button size="sm" variant="quiet" disabled={engine.busy} onClick={checkSyncthing}>
              Check again
            </Button>{' '}
            {canSetEngine && (
              <Button size="sm" variant="quiet" disabled={engine.busy} onClick={forgetSyncthing}>
                Forget the key
              </Button>
            )}
          </p>
        )}
        {!status?.setUp && syncthingState}
        <ErrorMessage message={engine.error} details={engine.details} />
        {canSetEngine && (
          <form onSubmit={saveSyncthing} aria-label="Connect to Syncthing">
            <div className="add-member-fields">
              <Field id="syncthing-address" label="Syncthing address">
                <input value={address} onChange={(e) => setAddress(e.target.value)} required maxLength={200} />
              </Field>
              <Field id="syncthing-key" label="API key">
                <input
                  type="password"
                  autoComplete="off"
                  value={apiKey}
                  onChange={(e) => setApiKey(e.target.value)}
                  required
                  maxLength={200}
                />
              </Field>
            </div>
            <Button type="submit" disabled={engine.busy || !apiKey.trim() || !address.trim()}>
              Save and check
            </Button>
          </form>
        )}
      </div>

      {removing && (
        <ConfirmDialog
          title={`Remove ${removing}'s copy from the team?`}
          confirmLabel="Remove"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const member = removing
            setRemoving(null)
            setInvitation(null)
            void action.run(async () => {
              setStatus(await api['sync:removeDevice']({ member }))
              toast(`${member}'s copy is removed. Sync now so the other offices learn it.`)
            })
          }}
        >
          <p>
            Changes made on that copy from now on are refused by every office. It can still read what the team writes until you set up a new
            team, so do this when a computer is lost or someone leaves.
          </p>
        </ConfirmDialog>
      )}
    </section>
  )
}
