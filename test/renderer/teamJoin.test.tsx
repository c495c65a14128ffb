// Renderer (jsdom): joining a team's vault from the welcome screen against a typed fake bridge — the code refused at
// its field, whom the invitation is for before any passphrase, folder problems at their fields, and the recovery key
// after a join that says how many changes arrived.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { TeamJoinScreen } from '../../renderer/src/features/vault/TeamJoinScreen'
import { WelcomeScreen } from '../../renderer/src/features/vault/WelcomeScreen'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const PASSPHRASE = 'river lantern copper meadow violet'
const STATUS = { state: 'unlocked', dir: '/home/olena/team-vault', vaultId: 'abc', autoLockMinutes: 10 }
const OPENED = { opened: true, token: 't1', teamId: 'team42', member: 'Olena Kyiv', role: 'legal-adviser' }

function fakeBridge(answers: Record<string, (request: unknown) => IpcResult<unknown>>): CustodiaBridge & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = []
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request])
      const answer = answers[channel]
      return answer ? answer(request) : { ok: true, value: { dirs: [] } }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

async function openInvitation(): Promise<void> {
  fireEvent.change(screen.getByLabelText('Invitation code'), { target: { value: 'ABCD-EFGH-JKLM' } })
  fireEvent.click(screen.getByRole('button', { name: 'Choose the invitation file…' }))
  await screen.findByTestId('invitation-summary')
}

function fillCopy(dir: string, confirm = PASSPHRASE): void {
  fireEvent.change(screen.getByLabelText('Empty folder for your copy of the vault'), { target: { value: dir } })
  fireEvent.change(screen.getByLabelText('Sync folder'), { target: { value: '/home/olena/Sync/custodia' } })
  fireEvent.change(screen.getByLabelText('Your new passphrase'), { target: { value: PASSPHRASE } })
  fireEvent.change(screen.getByLabelText('Repeat passphrase'), { target: { value: confirm } })
  fireEvent.click(screen.getByRole('button', { name: 'Join the team' }))
}

describe('joining a team from the welcome screen', () => {
  it('is offered on the welcome screen', async () => {
    renderWithApi(<WelcomeScreen onUnlocked={() => undefined} />, fakeBridge({}))
    fireEvent.click(screen.getByRole('button', { name: "Join your team's vault…" }))
    expect(await screen.findByRole('heading', { name: "Join your team's vault" })).toBeTruthy()
  })

  it('shows a refused code at its field and goes no further', async () => {
    const bridge = fakeBridge({
      'sync:openInvitation': () => ({
        ok: false,
        error: { code: 'VALIDATION', message: 'The invitation code is mistyped: check the groups.' },
      }),
    })
    renderWithApi(<TeamJoinScreen onJoined={() => undefined} onCancel={() => undefined} />, bridge)
    fireEvent.change(screen.getByLabelText('Invitation code'), { target: { value: 'ABCD' } })
    fireEvent.click(screen.getByRole('button', { name: 'Choose the invitation file…' }))
    await waitFor(() => expect(screen.getByLabelText('Invitation code').getAttribute('aria-invalid')).toBe('true'))
    expect(screen.getByText('The invitation code is mistyped: check the groups.')).toBeTruthy()
    expect(screen.queryByTestId('invitation-summary')).toBeNull()
  })

  it('names the member and role, refuses differing passphrases without asking main, and shows a folder problem at its field', async () => {
    const bridge = fakeBridge({
      'sync:openInvitation': () => ({ ok: true, value: OPENED }),
      'sync:join': () => ({ ok: false, error: { code: 'CONFLICT', message: 'Choose an empty folder for your copy of the vault.' } }),
    })
    renderWithApi(<TeamJoinScreen onJoined={() => undefined} onCancel={() => undefined} />, bridge)
    await openInvitation()
    expect(screen.getByTestId('invitation-summary').textContent).toContain('This invitation is for Olena Kyiv, as Legal adviser.')
    fillCopy('/home/olena/Documents', 'another passphrase entirely')
    await waitFor(() => expect(screen.getByLabelText('Repeat passphrase').getAttribute('aria-invalid')).toBe('true'))
    expect(bridge.calls.some(([channel]) => channel === 'sync:join')).toBe(false)
    fillCopy('/home/olena/Documents')
    await waitFor(() => expect(screen.getByLabelText('Empty folder for your copy of the vault').getAttribute('aria-invalid')).toBe('true'))
    expect(screen.getByText('Choose an empty folder for your copy of the vault.')).toBeTruthy()
  })

  it('joins, says how many changes arrived, and hands over the open vault once the recovery key is confirmed', async () => {
    const bridge = fakeBridge({
      'sync:openInvitation': () => ({ ok: true, value: OPENED }),
      'sync:join': () => ({ ok: true, value: { recoveryKey: 'AAAA-BBBB-CCCC-DDDD', status: STATUS, applied: 3 } }),
    })
    let joined: unknown = null
    renderWithApi(<TeamJoinScreen onJoined={(status) => (joined = status)} onCancel={() => undefined} />, bridge)
    await openInvitation()
    fillCopy('/home/olena/team-vault')
    expect((await screen.findByRole('status')).textContent).toBe(
      'You joined the team. 3 batches of changes from the other offices have arrived.',
    )
    expect(bridge.calls.find(([channel]) => channel === 'sync:join')![1]).toEqual({
      token: 't1',
      code: 'ABCD-EFGH-JKLM',
      dir: '/home/olena/team-vault',
      folder: '/home/olena/Sync/custodia',
      passphrase: PASSPHRASE,
    })
    fireEvent.click(screen.getByRole('button', { name: 'I have written it down' }))
    fireEvent.change(await screen.findByLabelText(/last group/i), { target: { value: 'DDDD' } })
    fireEvent.click(screen.getByRole('button', { name: /confirm|continue/i }))
    await waitFor(() => expect(joined).toEqual(STATUS))
  })
})
