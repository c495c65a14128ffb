// Renderer: Security → Sync — copies of this vault in several offices kept up to date through a folder the office's sync
// program (Syncthing) shares (docs/SYNC.md). Not set up: what sync is and "Set up sync…". Set up: where things stand,
// "Sync now" with what came in and what was refused, the other copies (an admin removes one, after a confirmation),
// "Invite another office" (a file and a one-time code), and, optionally, what this computer's Syncthing says.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import type { SyncRunView, SyncStatusView, SyncthingStateView } from '../../../../shared/ipc/channels/syncChannels'
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
import { formatDateTime } from '../../i18n/format'
import { t } from '../../i18n/intl'
import { roleName } from '../../i18n/codeNames'

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: roleName(r) }))

function describeRun(run: SyncRunView): string {
  return t('home.syncPanel.runSummary', {
    applied: run.applied,
    written: run.written,
    waiting: run.waiting,
    refused: run.refused.length,
  })
}

function describeSyncthing(state: SyncthingStateView): string[] {
  if (!state.running) return [state.problem ?? t('home.syncPanel.syncthingIsNotRunning')]
  const lines = [t('home.syncPanel.syncthingIsRunningOn')]
  lines.push(
    state.devicesKnown === 0
      ? t('home.syncPanel.itKnowsNoOther')
      : t('home.syncPanel.devicesConnected', { connected: state.devicesConnected, known: state.devicesKnown }),
  )
  if (state.folder)
    lines.push(
      state.folder.filesToGo === 0
        ? t('home.syncPanel.theFolderIsUp', { label: state.folder.label })
        : t('home.syncPanel.theFolderStillHas', { label: state.folder.label, count: state.folder.filesToGo }),
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
      toast(t('home.syncPanel.syncIsSetUp'))
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
      toast(t('home.syncPanel.theSyncthingKeyIs'))
    })

  const activeDevices = status?.devices.filter((d) => !d.removed) ?? []
  // Shown beside "Sync now" once sync is set up (is Syncthing doing its part?), else with the Syncthing settings.
  const syncthingState = syncthing && (
    <div className="syncthing-state" role="status" aria-label={t('home.syncPanel.syncthing')} data-testid="syncthing-state">
      <ul>
        {describeSyncthing(syncthing).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </div>
  )

  return (
    <section className="sync-panel" aria-labelledby="sync-title">
      <h2 id="sync-title">{t('home.syncPanel.syncWithOtherOffices')}</h2>
      <ErrorMessage message={action.error} details={action.details} />

      {status && !status.setUp && (
        <EmptyState
          title={t('home.syncPanel.thisVaultIsNot')}
          action={
            canManage ? (
              <Button variant="primary" disabled={action.busy} onClick={setUp}>
                {t('home.syncPanel.setUpSync')}
              </Button>
            ) : undefined
          }
        >
          <p>{t('home.syncPanel.syncKeepsCopiesOf')}</p>
          {!canManage && <p>{t('home.syncPanel.askAnAdminTo')}</p>}
        </EmptyState>
      )}

      {status?.setUp && (
        <>
          <div className="sync-summary" data-testid="sync-summary">
            <p>
              {t('home.syncPanel.thisCopyBelongsTo')} <strong>{status.thisDevice?.member}</strong>
              {status.thisDevice ? ` (${roleName(status.thisDevice.role)})` : ''}
              {t('home.syncPanel.sharedFolder')} <code>{status.folder}</code>
            </p>
            <p>
              {activeDevices.length === 0
                ? t('home.syncPanel.noOtherOfficeHas')
                : t('home.syncPanel.otherCopiesInTeam', { count: activeDevices.length })}{' '}
              {status.conflicts.length > 0
                ? t('home.syncPanel.conflictsWaiting', { count: status.conflicts.length })
                : t('home.syncPanel.noDocumentIsWaiting')}
            </p>
            {syncthingState}
            <Button variant="primary" disabled={action.busy} onClick={syncNow}>
              {t('home.syncPanel.syncNow')}
            </Button>
          </div>

          {lastRun && (
            <p className="notice" role="status" data-testid="sync-result">
              {describeRun(lastRun)}
            </p>
          )}

          {status.waitingForFiles > 0 && (
            <p className="hint" data-testid="sync-waiting-files">
              {t('home.syncPanel.waitingForFiles', { count: status.waitingForFiles })}
            </p>
          )}

          {status.devices.some((d) => d.clockAheadDays !== null && !d.removed) && (
            <ul className="notice warning" data-testid="sync-clock-ahead">
              {status.devices
                .filter((d) => d.clockAheadDays !== null && !d.removed)
                .map((d) => (
                  <li key={d.deviceId}>
                    {t('sync.clockAhead', { member: d.member, days: d.clockAheadDays!, years: Math.floor(d.clockAheadDays! / 365) })}
                  </li>
                ))}
            </ul>
          )}

          {status.conflicts.length > 0 && (
            <div aria-labelledby="sync-conflicts-title">
              <h3 id="sync-conflicts-title">{t('home.syncPanel.changedInTwoOffices')}</h3>
              <ul>
                {status.conflicts.map((c) => (
                  <li key={c.id}>{c.title || t('home.syncPanel.aDocumentWithoutA')}</li>
                ))}
              </ul>
            </div>
          )}

          {status.refused.length > 0 && (
            <div aria-labelledby="sync-refused-title">
              <h3 id="sync-refused-title">{t('home.syncPanel.changesRefused')}</h3>
              <p className="hint">{t('home.syncPanel.theseChangesWereNot')}</p>
              <ul data-testid="sync-refused">
                {status.refused.map((r, i) => (
                  <li key={i}>{t('home.syncPanel.from', { from: r.from, reason: r.reason })}</li>
                ))}
              </ul>
            </div>
          )}

          <h3 id="sync-devices-title">{t('home.syncPanel.otherCopiesOfThis')}</h3>
          {status.devices.length === 0 ? (
            <p className="hint">{t('home.syncPanel.noneYetInviteAnother')}</p>
          ) : (
            <table className="data-table" aria-labelledby="sync-devices-title">
              <thead>
                <tr>
                  <th scope="col">{t('home.syncPanel.usedBy')}</th>
                  <th scope="col">{t('home.syncPanel.role')}</th>
                  <th scope="col">{t('home.syncPanel.changesReceivedFromIt')}</th>
                  {canManage && <th scope="col">{t('home.syncPanel.change')}</th>}
                </tr>
              </thead>
              <tbody>
                {status.devices.map((d) => (
                  <tr key={d.deviceId} className={d.removed ? 'removed' : undefined}>
                    <td>{d.member}</td>
                    <td>{roleName(d.role)}</td>
                    <td>
                      {d.removed
                        ? t('home.syncPanel.removedFromTheTeam')
                        : d.lastAppliedAt
                          ? t('home.syncPanel.changesAppliedLast', {
                              count: d.changesApplied,
                              when: formatDateTime(d.lastAppliedAt),
                            })
                          : t('home.syncPanel.nothingYet')}
                    </td>
                    {canManage && (
                      <td>
                        {!d.removed && (
                          <Button
                            size="sm"
                            variant="danger"
                            disabled={action.busy}
                            aria-label={t('home.syncPanel.removeSCopy', { member: d.member })}
                            onClick={() => setRemoving(d.member)}
                          >
                            {t('home.syncPanel.remove')}
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
                {t('home.syncPanel.invitationFor')} <strong>{invitation.name}</strong> {t('home.syncPanel.savedAs')}{' '}
                <code>{invitation.path}</code>
                {t('home.syncPanel.itsCodeShownOnly')}
              </p>
              <p className="recovery-key">
                <code>{invitation.code}</code>
              </p>
              <p className="hint">{t('home.syncPanel.giveTheFileAnd')}</p>
            </div>
          )}

          {canManage && (
            <form className="add-member" onSubmit={invite} aria-labelledby="sync-invite-title">
              <h3 id="sync-invite-title">{t('home.syncPanel.inviteAnotherOffice')}</h3>
              <div className="add-member-fields">
                <Field id="sync-invite-name" label={t('home.syncPanel.whoWillUseThe')}>
                  <input value={inviteName} onChange={(e) => setInviteName(e.target.value)} required maxLength={200} />
                </Field>
                <Field id="sync-invite-role" label={t('home.syncPanel.whatTheirChangesMay')}>
                  <Select
                    aria-label={t('home.syncPanel.roleOfTheNew')}
                    value={inviteRole}
                    onChange={setInviteRole}
                    options={ROLE_OPTIONS}
                  />
                </Field>
              </div>
              <Button type="submit" disabled={action.busy || !inviteName.trim()}>
                {t('home.syncPanel.makeAnInvitationFile')}
              </Button>
            </form>
          )}
        </>
      )}

      <div className="subform" aria-labelledby="syncthing-title">
        <h3 id="syncthing-title">{t('home.syncPanel.syncthingOnThisComputer')}</h3>
        <p className="hint">{t('home.syncPanel.toSeeHereWhether')}</p>
        {status?.syncthingAddress && (
          <p data-testid="syncthing-saved">
            {t('home.syncPanel.saved')} <code>{status.syncthingAddress}</code> {t('home.syncPanel.andItsKey')}
            <Button size="sm" variant="quiet" disabled={engine.busy} onClick={checkSyncthing}>
              {t('home.syncPanel.checkAgain')}
            </Button>{' '}
            {canSetEngine && (
              <Button size="sm" variant="quiet" disabled={engine.busy} onClick={forgetSyncthing}>
                {t('home.syncPanel.forgetTheKey')}
              </Button>
            )}
          </p>
        )}
        {!status?.setUp && syncthingState}
        <ErrorMessage message={engine.error} details={engine.details} />
        {canSetEngine && (
          <form onSubmit={saveSyncthing} aria-label={t('home.syncPanel.connectToSyncthing')}>
            <div className="add-member-fields">
              <Field id="syncthing-address" label={t('home.syncPanel.syncthingAddress')}>
                <input value={address} onChange={(e) => setAddress(e.target.value)} required maxLength={200} />
              </Field>
              <Field id="syncthing-key" label={t('home.syncPanel.apiKey')}>
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
              {t('home.syncPanel.saveAndCheck')}
            </Button>
          </form>
        )}
      </div>

      {removing && (
        <ConfirmDialog
          title={t('home.syncPanel.removeSCopyFrom', { removing })}
          confirmLabel={t('home.syncPanel.remove')}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const member = removing
            setRemoving(null)
            setInvitation(null)
            void action.run(async () => {
              setStatus(await api['sync:removeDevice']({ member }))
              toast(t('home.syncPanel.copyRemoved', { member }))
            })
          }}
        >
          <p>{t('home.syncPanel.changesMadeOnThat')}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
