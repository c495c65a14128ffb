// Renderer (jsdom): Security → Sync against a typed fake bridge — not set up: the explanation and "Set up sync…" (an
// admin only); set up through the folder dialog; "Sync now" says what came in and what was refused, in plain words;
// an invitation shows its file and one-time code; removing a copy asks first; the Syncthing key is sent once and not
// kept in the page, and Syncthing's state and problems are shown.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { NOT_SET_UP_SYNC_STATUS, type SyncStatusView, type SyncthingStateView } from '../../shared/ipc/channels/syncChannels'
import { SyncPanel } from '../../renderer/src/features/home/SyncPanel'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const NOT_SET_UP: SyncStatusView = NOT_SET_UP_SYNC_STATUS
const SET_UP: SyncStatusView = {
  ...NOT_SET_UP,
  setUp: true,
  folder: '/home/office/Sync/custodia',
  thisDevice: { member: 'Olena Admin', role: 'admin' },
}
const WITH_PEER: SyncStatusView = {
  ...SET_UP,
  devices: [
    {
      deviceId: 'd'.repeat(32),
      member: 'Amina Office B',
      role: 'secretariat',
      changesApplied: 3,
      lastAppliedAt: '2026-12-04T10:00:00.000Z',
      clockAheadDays: null,
      removed: false,
    },
  ],
}
const CODE = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01'

function fakeBridge(first: SyncStatusView, syncthing?: SyncthingStateView) {
  let current = first
  const calls: [string, unknown][] = []
  const ok = (value: unknown): IpcResult<unknown> => ({ ok: true, value })
  const bridge: CustodiaBridge = {
    invoke: async (channel, request) => {
      calls.push([channel, request])
      switch (channel) {
        case 'sync:getStatus':
          return ok(current)
        case 'vault:chooseFolder':
          return ok({ dir: '/home/office/Sync/custodia' })
        case 'sync:createTeam':
          return ok((current = SET_UP))
        case 'sync:run':
          current = {
            ...WITH_PEER,
            refused: [{ from: 'Karim', reason: "Batch of changes no. 4 was written after Karim's device was removed from the team." }],
          }
          return ok({ written: 1, applied: 2, waiting: 0, conflicts: 0, refused: current.refused, status: current })
        case 'sync:createInvitation':
          return ok({ saved: true, path: '/home/office/amina.invitation', code: CODE, status: (current = WITH_PEER) })
        case 'sync:removeDevice':
          return ok((current = { ...current, devices: current.devices.map((d) => ({ ...d, removed: true })) }))
        case 'sync:setSyncthing':
          return ok((current = { ...current, syncthingAddress: 'http://127.0.0.1:8384' }))
        case 'sync:getSyncthingState':
          return syncthing ? ok(syncthing) : { ok: false, error: { code: 'NOT_FOUND', message: 'none' } }
        default:
          return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
  return { bridge, calls }
}

describe('SyncPanel', () => {
  it('explains sync when it is not set up, and an admin sets it up on the folder the dialog gave', async () => {
    const { bridge, calls } = fakeBridge(NOT_SET_UP)
    renderWithApi(<SyncPanel myRole="admin" />, bridge)
    await waitFor(() => screen.getByText('This vault is not shared with other offices'))
    expect(screen.getByText(/does not install that program/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Set up sync…' }))
    await waitFor(() => screen.getByTestId('sync-summary'))
    expect(calls).toContainEqual(['vault:chooseFolder', { purpose: 'sync' }])
    expect(calls).toContainEqual(['sync:createTeam', { folder: '/home/office/Sync/custodia' }])
    expect(screen.getByTestId('sync-summary').textContent).toContain('No other office has joined yet.')
  })

  it('offers no set-up, invitation or removal to a role that does not manage members', async () => {
    const { bridge } = fakeBridge(NOT_SET_UP)
    renderWithApi(<SyncPanel myRole="secretariat" />, bridge)
    await waitFor(() => screen.getByText('Ask an admin to set up sync.'))
    expect(screen.queryByRole('button', { name: 'Set up sync…' })).toBeNull()
    cleanup()
    renderWithApi(<SyncPanel myRole="secretariat" />, fakeBridge(WITH_PEER).bridge)
    await waitFor(() => screen.getByText('Amina Office B'))
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull()
    expect(screen.queryByRole('form', { name: 'Invite another office' })).toBeNull()
    expect(screen.queryByLabelText('API key')).toBeNull()
  })

  it('syncs now and says what came in and what was refused, without "change-set"', async () => {
    const { bridge } = fakeBridge(SET_UP)
    renderWithApi(<SyncPanel myRole="admin" />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }))
    const result = await screen.findByTestId('sync-result')
    expect(result.textContent).toBe(
      "Sync finished: 2 batches of changes received from other offices, 1 batch of this copy's changes sent, 1 refused (see below).",
    )
    expect(screen.getByTestId('sync-refused').textContent).toContain('From Karim: Batch of changes no. 4')
    expect(document.body.textContent).not.toMatch(/change-set/i)
    expect(screen.getByText(/^3, the last on/)).toBeTruthy()
  })

  it('makes an invitation and shows its file and one-time code; removing a copy asks first', async () => {
    const { bridge, calls } = fakeBridge(SET_UP)
    renderWithApi(<SyncPanel myRole="admin" />, bridge)
    fireEvent.change(await screen.findByLabelText('Who will use the new copy'), { target: { value: 'Amina Office B' } })
    fireEvent.click(screen.getByRole('button', { name: 'Make an invitation file…' }))
    const shown = await screen.findByTestId('sync-invitation')
    expect(shown.textContent).toContain('/home/office/amina.invitation')
    expect(shown.textContent).toContain(CODE)
    expect(calls).toContainEqual(['sync:createInvitation', { member: 'Amina Office B', role: 'secretariat' }])

    fireEvent.click(screen.getByRole('button', { name: "Remove Amina Office B's copy" }))
    const dialog = await screen.findByRole('dialog')
    expect(calls.some(([c]) => c === 'sync:removeDevice')).toBe(false)
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }))
    await waitFor(() => screen.getByText('Removed from the team'))
    expect(calls).toContainEqual(['sync:removeDevice', { member: 'Amina Office B' }])
  })

  it("sends the Syncthing key once, clears it from the page, and shows Syncthing's state", async () => {
    const { bridge, calls } = fakeBridge(SET_UP, {
      problem: null,
      running: true,
      devicesConnected: 1,
      devicesKnown: 2,
      folder: { label: 'Custodia team', filesToGo: 3, state: 'syncing' },
    })
    renderWithApi(<SyncPanel myRole="admin" />, bridge)
    const key = (await screen.findByLabelText('API key')) as HTMLInputElement
    expect(key.type).toBe('password')
    fireEvent.change(key, { target: { value: 'secret-api-key' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save and check' }))
    const state = await screen.findByTestId('syncthing-state')
    expect(state.textContent).toContain('Syncthing is running on this computer.')
    expect(state.textContent).toContain('1 of 2 other computers connected now.')
    expect(state.textContent).toContain('The folder “Custodia team” still has 3 files to receive.')
    expect(calls).toContainEqual(['sync:setSyncthing', { address: 'http://127.0.0.1:8384', apiKey: 'secret-api-key' }])
    expect(key.value).toBe('')
    expect(screen.getByTestId('syncthing-saved').textContent).toContain('http://127.0.0.1:8384')
  })

  it('shows why Syncthing cannot be read', async () => {
    const { bridge } = fakeBridge(
      { ...SET_UP, syncthingAddress: 'http://127.0.0.1:8384' },
      { problem: 'Syncthing does not answer at this address.', running: false, devicesConnected: 0, devicesKnown: 0, folder: null },
    )
    renderWithApi(<SyncPanel myRole="admin" />, bridge)
    expect((await screen.findByTestId('syncthing-state')).textContent).toBe('Syncthing does not answer at this address.')
  })

  it('names an office whose clock runs ahead, and says how many attached files are still arriving', async () => {
    const ahead: SyncStatusView = {
      ...WITH_PEER,
      waitingForFiles: 2,
      devices: [{ ...WITH_PEER.devices[0]!, clockAheadDays: 3652 }],
    }
    renderWithApi(<SyncPanel myRole="admin" />, fakeBridge(ahead).bridge)
    expect((await screen.findByTestId('sync-clock-ahead')).textContent).toBe(
      "Amina Office B's computer clock is about 10 years ahead of this one. Their changes were applied; ask them to set the date and time, or where edits cross theirs will always seem the latest.",
    )
    expect(screen.getByTestId('sync-waiting-files').textContent).toContain('2 attached files from other offices are still arriving')
  })
})
