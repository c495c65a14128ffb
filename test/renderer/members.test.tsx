// Renderer (jsdom): Security → Members against a typed fake bridge — an admin adds a member and sees the invitation code
// once, suspends someone, and sees core's refusal in core's words; a viewer sees the list without the buttons, and why.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { MemberView } from '../../shared/ipc/channels/memberChannels'
import { MembersPanel } from '../../renderer/src/features/home/MembersPanel'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const ADMIN: MemberView = {
  id: 'a'.repeat(32),
  name: 'Olena Admin',
  email: null,
  role: 'admin',
  status: 'active',
  joined: true,
  createdAt: '2026-12-01T10:00:00.000Z',
  signingPublicKey: 'b'.repeat(64),
  invitationExpiresAt: null,
}
const CODE = 'ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6789-ABCD-EFGH-JKMN-PQRS-TVWX-YZ01'

function fakeBridge(): CustodiaBridge & { calls: [string, unknown][] } {
  const members: MemberView[] = [ADMIN]
  const calls: [string, unknown][] = []
  const ok = (value: unknown): IpcResult<unknown> => ({ ok: true, value })
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request])
      const req = request as { id?: string; name?: string; role?: MemberView['role'] }
      switch (channel) {
        case 'members:list':
          return ok({ members: members.map((m) => ({ ...m })), currentMemberId: ADMIN.id })
        case 'members:add': {
          const member: MemberView = {
            ...ADMIN,
            id: 'c'.repeat(32),
            name: req.name!,
            role: req.role!,
            joined: false,
            invitationExpiresAt: '2026-12-08T10:00:00.000Z',
          }
          members.push(member)
          return ok({ member, invitationCode: CODE, invitationExpiresAt: member.invitationExpiresAt })
        }
        case 'members:suspend': {
          const member = members.find((m) => m.id === req.id)!
          member.status = 'suspended'
          return ok({ member })
        }
        case 'members:setRole':
          return {
            ok: false,
            error: { code: 'FORBIDDEN', message: 'You are the last admin of this vault. Make another member admin first.' },
          }
        default:
          return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

describe('MembersPanel', () => {
  it('an admin adds a member and sees the code once, then suspends them', async () => {
    const bridge = fakeBridge()
    renderWithApi(<MembersPanel myRole="admin" />, bridge)
    await screen.findByText('Olena Admin (you)')
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Anna Kovalenko' } })
    fireEvent.change(screen.getByLabelText('Role of the new member'), { target: { value: 'legal-adviser' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add member' }))
    await waitFor(() => expect(screen.getByTestId('invitation').textContent).toContain(CODE))
    expect(bridge.calls).toContainEqual(['members:add', { name: 'Anna Kovalenko', role: 'legal-adviser' }])
    expect(await screen.findByText('Invited (code valid until 2026-12-08)')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Suspend Anna Kovalenko' }))
    await screen.findByText('Suspended')
    // The code is shown only until the next change.
    expect(screen.queryByTestId('invitation')).toBeNull()
    // No button to suspend or remove oneself.
    expect(screen.queryByRole('button', { name: 'Suspend Olena Admin' })).toBeNull()
  })

  it("shows core's refusal in core's words", async () => {
    renderWithApi(<MembersPanel myRole="admin" />, fakeBridge())
    await screen.findByText('Olena Admin (you)')
    fireEvent.change(screen.getByLabelText('Role of Olena Admin'), { target: { value: 'viewer' } })
    await screen.findByText('You are the last admin of this vault. Make another member admin first.')
  })

  it('a viewer sees the members without the buttons, and why', async () => {
    const bridge = fakeBridge()
    renderWithApi(<MembersPanel myRole="viewer" />, bridge)
    await screen.findByText('Olena Admin (you)')
    expect(screen.queryByRole('button', { name: 'Add member' })).toBeNull()
    expect(screen.getByText('Only an admin can add, suspend or remove members.')).toBeTruthy()
    expect(bridge.calls.map(([channel]) => channel)).toEqual(['members:list'])
  })
})
