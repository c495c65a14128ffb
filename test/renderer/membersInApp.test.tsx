// Renderer (jsdom): members in the app against a typed fake bridge — unlocking as a member by name sends it (so core
// derives only that member's keyslot) and a wrong name or passphrase is said in words; joining with an invitation code
// checks the two passphrases before any call, shows core's refusal in core's words, then the recovery key; the
// sections a role cannot use are not offered; the activity panel lists, filters, verifies and words the result.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import type { ActivityEntryView } from '../../shared/ipc/channels/auditChannels'
import { UnlockScreen } from '../../renderer/src/features/vault/UnlockScreen'
import { ActivityPanel } from '../../renderer/src/features/home/ActivityPanel'
import { visibleSections } from '../../renderer/src/features/home/Workspace'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

function fakeBridge(answer: (channel: string, request: unknown) => IpcResult<unknown>): CustodiaBridge & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = []
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request])
      return answer(channel, request)
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

// The screen reads the unlock guard (tries left before the erase) on opening and after each refusal; these tests are
// about what it asks core to do, so that read is left out of the calls they compare.
const requestsBesidesGuard = (calls: [string, unknown][]) => calls.filter(([channel]) => channel !== 'vault:getUnlockGuard')

const STATUS = { state: 'unlocked', dir: '/v', vaultId: 'abc', autoLockMinutes: 10 }
const renderUnlock = (bridge: CustodiaBridge, onUnlocked: (s: unknown) => void = () => undefined) =>
  renderWithApi(<UnlockScreen dir="/v" notice={null} onUnlocked={onUnlocked} onChooseOther={() => undefined} />, bridge)

describe('unlocking as a member', () => {
  it('sends the typed name, trimmed, and words a refusal with the name in mind', async () => {
    const bridge = fakeBridge(() => ({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: 'The member name or the passphrase is wrong' },
    }))
    renderUnlock(bridge)
    fireEvent.change(screen.getByLabelText('Your name'), { target: { value: '  Anna Kovalenko ' } })
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'secret words' } })
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('That name and passphrase do not open this vault.'))
    expect(requestsBesidesGuard(bridge.calls)).toEqual([
      ['vault:unlock', { dir: '/v', passphrase: 'secret words', member: 'Anna Kovalenko' }],
    ])
  })
})

describe('joining with an invitation code', () => {
  it('refuses two different passphrases before any call', async () => {
    const bridge = fakeBridge(() => ({ ok: true, value: {} }))
    renderUnlock(bridge)
    fireEvent.click(screen.getByRole('button', { name: 'Join with an invitation code' }))
    fireEvent.change(screen.getByLabelText('Invitation code'), { target: { value: 'ABCD' } })
    fireEvent.change(screen.getByLabelText('Your new passphrase'), { target: { value: 'violet harbour sixteen lanterns quietly' } })
    fireEvent.change(screen.getByLabelText('Repeat passphrase'), { target: { value: 'violet harbour sixteen lanterns' } })
    fireEvent.click(screen.getByRole('button', { name: 'Join the vault' }))
    await screen.findByText('The two passphrases are not the same. Type the same passphrase twice.')
    expect(requestsBesidesGuard(bridge.calls)).toEqual([])
  })

  it("shows core's refusal of an expired code in core's words, then on success the recovery key once", async () => {
    const expired = 'This invitation code expired on 2026-12-10 (codes last 7 days). Ask an admin for a new one.'
    let answer: IpcResult<unknown> = { ok: false, error: { code: 'FORBIDDEN', message: expired } }
    const bridge = fakeBridge(() => answer)
    let unlocked: unknown = null
    renderUnlock(bridge, (s) => (unlocked = s))
    fireEvent.click(screen.getByRole('button', { name: 'Join with an invitation code' }))
    const passphrase = 'violet harbour sixteen lanterns quietly'
    fireEvent.change(screen.getByLabelText('Invitation code'), { target: { value: ' ABCD-EFGH ' } })
    fireEvent.change(screen.getByLabelText('Your new passphrase'), { target: { value: passphrase } })
    fireEvent.change(screen.getByLabelText('Repeat passphrase'), { target: { value: passphrase } })
    fireEvent.click(screen.getByRole('button', { name: 'Join the vault' }))
    await screen.findByText(expired)
    expect(requestsBesidesGuard(bridge.calls)).toEqual([['members:join', { dir: '/v', code: 'ABCD-EFGH', newPassphrase: passphrase }]])

    answer = { ok: true, value: { recoveryKey: 'AAAA-BBBB-CCCD', status: STATUS } }
    fireEvent.click(screen.getByRole('button', { name: 'Join the vault' }))
    expect((await screen.findByTestId('recovery-key')).textContent).toBe('AAAA-BBBB-CCCD')
    fireEvent.click(screen.getByRole('button', { name: 'I have written it down' }))
    fireEvent.change(screen.getByLabelText('Type the last group of the recovery key'), { target: { value: 'cccd' } })
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }))
    expect(unlocked).toEqual(STATUS)
  })
})

describe('sections by role', () => {
  it('offers Exchange and Vocabularies only to roles that can use them; all sections without members', () => {
    const ids = (role: Parameters<typeof visibleSections>[0]) => visibleSections(role).map((s) => s.id)
    expect(ids('admin')).toContain('vocabularies')
    expect(ids('legal-adviser')).not.toContain('exchange')
    expect(ids('legal-adviser')).not.toContain('vocabularies')
    expect(ids('archivist')).toContain('exchange')
    expect(ids('viewer')).toEqual(['library', 'search', 'letters', 'dossiers', 'organisation', 'security'])
    expect(ids(null)).toEqual(ids('admin'))
  })
})

describe('ActivityPanel', () => {
  const entry = (over: Partial<ActivityEntryView>): ActivityEntryView => ({
    seq: 1,
    at: '2026-12-03T10:00:00.000Z',
    action: 'vault.created',
    actionLabel: 'Created the vault',
    memberId: 'a'.repeat(32),
    memberName: 'Olena Admin',
    recordId: null,
    recordKind: null,
    recordTitle: null,
    origin: null,
    ...over,
  })
  const LISTING = {
    entries: [
      entry({
        seq: 2,
        action: 'dossier.updated',
        actionLabel: 'Edited a dossier',
        memberId: 'b'.repeat(32),
        memberName: 'Anna Kovalenko',
        recordId: 'c'.repeat(32),
        recordKind: 'Dossier',
        recordTitle: 'Ivan Petrenko',
      }),
      entry({}),
    ],
    matched: 2,
    verification: { ok: true, entries: 2, firstBrokenSeq: null },
    members: [
      { id: 'a'.repeat(32), name: 'Olena Admin' },
      { id: 'b'.repeat(32), name: 'Anna Kovalenko' },
    ],
    actions: [
      { action: 'vault.created', label: 'Created the vault' },
      { action: 'dossier.updated', label: 'Edited a dossier' },
    ],
  }

  it('lists by name and record, sends only the filters set, and words the chain check', async () => {
    const bridge = fakeBridge((channel) => {
      if (channel === 'audit:list') return { ok: true, value: LISTING }
      if (channel === 'audit:verify') return { ok: true, value: { ok: false, entries: 3, firstBrokenSeq: 4 } }
      return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
    })
    renderWithApi(<ActivityPanel />, bridge)
    const rows = await screen.findAllByTestId('activity-row')
    expect(within(rows[0]!).getByText('Anna Kovalenko')).toBeTruthy()
    expect(rows[0]!.textContent).toContain('Edited a dossier')
    expect(rows[0]!.textContent).toContain('Ivan Petrenko')

    fireEvent.change(screen.getByLabelText('Filter by member'), { target: { value: 'b'.repeat(32) } })
    fireEvent.change(screen.getByLabelText('From date'), { target: { value: '2026-12-01' } })
    fireEvent.click(screen.getByRole('button', { name: 'Show' }))
    await waitFor(() => expect(bridge.calls.filter(([c]) => c === 'audit:list')).toHaveLength(2))
    expect(bridge.calls.filter(([c]) => c === 'audit:list').map(([, r]) => r)).toEqual([
      {},
      { memberId: 'b'.repeat(32), since: '2026-12-01' },
    ])

    fireEvent.click(screen.getByRole('button', { name: 'Verify' }))
    expect((await screen.findByTestId('activity-verdict')).textContent).toBe(
      'The activity log was changed outside Custodia at entry 4. The 3 entries before it check out; what came after cannot be trusted and is not shown. Ask an admin to restore the vault from a backup.',
    )
  })

  it('says who did it in another office, and when it happened there', async () => {
    const fromOslo = entry({
      seq: 3,
      at: '2026-12-03T11:00:00.000Z',
      action: 'record.shredded',
      actionLabel: 'Destroyed a record for good',
      memberId: null,
      memberName: 'Anna (another office)',
      recordId: 'd'.repeat(32),
      origin: { deviceId: 'e'.repeat(32), member: 'Anna', at: '2026-12-03T10:58:00.000Z' },
    })
    const bridge = fakeBridge((channel) =>
      channel === 'audit:list'
        ? { ok: true, value: { ...LISTING, entries: [fromOslo, ...LISTING.entries], matched: 3 } }
        : { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } },
    )
    renderWithApi(<ActivityPanel />, bridge)
    const rows = await screen.findAllByTestId('activity-row')
    expect(within(rows[0]!).getByText('Anna (another office)')).toBeTruthy()
    expect(within(rows[0]!).getByTestId('activity-origin').textContent).toContain('Done in their office at')
    expect(within(rows[0]!).getByTestId('activity-origin').textContent).toContain('10:58')
    // A local entry says nothing of the sort.
    expect(within(rows[1]!).queryByTestId('activity-origin')).toBeNull()
  })

  it('exports what is listed, with the filters applied', async () => {
    const bridge = fakeBridge((channel) => {
      if (channel === 'audit:list') return { ok: true, value: LISTING }
      if (channel === 'audit:exportReport') return { ok: true, value: { saved: true, fingerprint: 'ABCD EFGH' } }
      return { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
    })
    renderWithApi(<ActivityPanel />, bridge)
    await screen.findAllByTestId('activity-row')
    fireEvent.change(screen.getByLabelText('Filter by action'), { target: { value: 'dossier.updated' } })
    fireEvent.click(screen.getByRole('button', { name: 'Show' }))
    await waitFor(() => expect(bridge.calls.filter(([c]) => c === 'audit:list')).toHaveLength(2))
    // Export waits for the listing it exports (the button is off while the filters are being applied).
    const exportButton = screen.getByRole<HTMLButtonElement>('button', { name: 'Export signed JSON…' })
    await waitFor(() => expect(exportButton.disabled).toBe(false))
    fireEvent.click(exportButton)
    await waitFor(() => expect(bridge.calls.some(([c]) => c === 'audit:exportReport')).toBe(true))
    expect(bridge.calls.find(([c]) => c === 'audit:exportReport')![1]).toEqual({ filter: { action: 'dossier.updated' }, format: 'json' })
  })
})
