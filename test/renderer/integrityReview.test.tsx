// Renderer (jsdom): the review after an unlock that found the vault changed outside Custodia — what it lists, that
// nothing of the workspace is reachable meanwhile, and what each way out calls (accept → workspace, lock/Escape →
// unlock screen), through the app's own screen switch against a typed fake bridge.
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult, VaultState } from '../../shared/ipc/contract'
import { VaultScreens } from '../../renderer/src/App'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const DIR = '/home/secretary/vault'
const hexId = (n: number) => n.toString(16).padStart(2, '0').repeat(16)
const REMOVED = [1, 2, 3, 4, 5, 6, 7].map(hexId)
const PROBLEMS = [
  { area: 'records', message: '7 records were removed.', ids: REMOVED },
  { area: 'settings', message: 'The setting “autoLockMinutes” was changed outside Custodia.', ids: [] },
  { area: 'audit', message: 'The activity log was cut or replaced.', ids: [] },
]
const LOCKED: VaultState = { state: 'locked', dir: DIR, vaultId: null, autoLockMinutes: 10 }
const OPEN: VaultState = { state: 'unlocked', dir: DIR, vaultId: 'v1', autoLockMinutes: 10 }
const IN_REVIEW: VaultState = { ...OPEN, integrityProblems: PROBLEMS }

/** A fake main process: answers from `state`, which the unlock, accept and lock calls change as core would. */
function fakeMain(initial: VaultState, options: { acceptFails?: boolean } = {}) {
  let state = initial
  const calls: string[] = []
  const ok = (value: unknown): IpcResult<unknown> => ({ ok: true, value })
  const bridge: CustodiaBridge = {
    invoke: async (channel) => {
      calls.push(channel)
      switch (channel) {
        case 'vault:status':
          return ok(state)
        case 'vault:unlock':
        case 'vault:unlockWithRecoveryKey':
          state = IN_REVIEW
          return ok(state)
        case 'vault:acceptIntegrity':
          if (options.acceptFails)
            return { ok: false, error: { code: 'VAULT_LOCKED', message: 'The vault is locked. Unlock it to continue.' } }
          state = OPEN
          return ok(state)
        case 'vault:lock':
          state = LOCKED
          return ok(state)
        case 'library:list':
          return ok({ documents: [] })
        case 'search:listSaved':
          return ok({ searches: [] })
        default:
          return { ok: false, error: { code: 'INTERNAL', message: `${channel} is not part of this test.` } }
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
  return { bridge, calls }
}

async function unlockWithPassphrase() {
  fireEvent.change(await screen.findByLabelText('Passphrase'), { target: { value: 'correct horse' } })
  fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
  return screen.findByRole('dialog', { name: 'This vault was changed outside Custodia' })
}

describe('integrity review', () => {
  it('lists every change after a passphrase unlock, with short ids, and keeps the workspace out of reach', async () => {
    const { bridge } = fakeMain(LOCKED)
    renderWithApi(<VaultScreens />, bridge)
    const dialog = await unlockWithPassphrase()

    const items = within(dialog).getAllByTestId('integrity-problem')
    expect(items.map((li) => li.firstChild?.textContent)).toEqual(PROBLEMS.map((p) => p.message))
    // At most five ids, each its first 8 characters in a code element, then how many more.
    const codes = within(items[0]!).getAllByText(/^[0-9a-f]{8}$/)
    expect(codes.map((c) => c.textContent)).toEqual(REMOVED.slice(0, 5).map((id) => id.slice(0, 8)))
    expect(codes.every((c) => c.tagName === 'CODE')).toBe(true)
    expect(items[0]!.textContent).toContain('and 2 more')
    expect(items[1]!.textContent).not.toContain('Affected')

    expect(dialog.getAttribute('aria-modal')).toBe('true')
    await waitFor(() => expect(document.activeElement).toBe(dialog))
    expect(dialog.textContent).toContain('damaged')
    expect(dialog.textContent).toContain('recorded in the activity log')
    // Nothing of the workspace is on the page while the question is open.
    expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Lock' })).toBeNull()
  })

  it('keeps working with what is there: calls vault:acceptIntegrity and opens the workspace', async () => {
    const { bridge, calls } = fakeMain(LOCKED)
    renderWithApi(<VaultScreens />, bridge)
    await unlockWithPassphrase()
    fireEvent.click(screen.getByRole('button', { name: 'Keep working with what is there' }))
    await screen.findByRole('navigation', { name: 'Sections' })
    await screen.findByText('The library is empty.', { exact: false })
    expect(screen.queryByRole('dialog')).toBeNull()
    // The unlock guard is only read (tries left before the erase); what matters here is what the screens ask core to do.
    expect(calls.filter((c) => c.startsWith('vault:') && c !== 'vault:getUnlockGuard')).toEqual([
      'vault:status',
      'vault:unlock',
      'vault:acceptIntegrity',
    ])
  })

  it('locks with the button: calls vault:lock and returns to the unlock screen', async () => {
    const { bridge, calls } = fakeMain(LOCKED)
    renderWithApi(<VaultScreens />, bridge)
    await unlockWithPassphrase()
    fireEvent.click(screen.getByRole('button', { name: 'Lock the vault' }))
    await screen.findByRole('heading', { name: 'Unlock vault' })
    expect(calls).toContain('vault:lock')
    expect(calls).not.toContain('vault:acceptIntegrity')
  })

  it('locks on Escape, the choice that changes nothing', async () => {
    const { bridge, calls } = fakeMain(LOCKED)
    renderWithApi(<VaultScreens />, bridge)
    await unlockWithPassphrase()
    fireEvent.keyDown(window, { key: 'Escape' })
    await screen.findByRole('heading', { name: 'Unlock vault' })
    expect(calls.filter((c) => c === 'vault:lock')).toHaveLength(1)
    expect(calls).not.toContain('vault:acceptIntegrity')
  })

  it('keeps Tab inside the dialog', async () => {
    const { bridge } = fakeMain(LOCKED)
    renderWithApi(<VaultScreens />, bridge)
    const dialog = await unlockWithPassphrase()
    await waitFor(() => expect(document.activeElement).toBe(dialog))
    const lock = screen.getByRole('button', { name: 'Lock the vault' })
    const keep = screen.getByRole('button', { name: 'Keep working with what is there' })
    fireEvent.keyDown(window, { key: 'Tab' })
    expect(document.activeElement).toBe(lock)
    keep.focus()
    fireEvent.keyDown(window, { key: 'Tab' })
    expect(document.activeElement).toBe(lock)
    fireEvent.keyDown(window, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(keep)
    // Focus that escaped (a click on the page around the card) comes back in.
    document.body.focus()
    fireEvent.keyDown(window, { key: 'Tab' })
    expect(document.activeElement).toBe(lock)
  })

  it('shows the review after a recovery-key unlock too', async () => {
    const { bridge, calls } = fakeMain(LOCKED)
    renderWithApi(<VaultScreens />, bridge)
    fireEvent.click(await screen.findByRole('button', { name: 'Use the recovery key' }))
    fireEvent.change(screen.getByLabelText('Recovery key'), { target: { value: 'ABCD-EFGH' } })
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await screen.findByRole('dialog', { name: 'This vault was changed outside Custodia' })
    expect(calls).toContain('vault:unlockWithRecoveryKey')
  })

  it('shows the review when the status read at start carries problems (the window was reloaded)', async () => {
    const { bridge } = fakeMain(IN_REVIEW)
    renderWithApi(<VaultScreens />, bridge)
    await screen.findByRole('dialog', { name: 'This vault was changed outside Custodia' })
    expect(screen.getByText('The activity log was cut or replaced.')).toBeTruthy()
  })

  it('stays on the review with a readable error when accepting fails', async () => {
    const { bridge } = fakeMain(LOCKED, { acceptFails: true })
    renderWithApi(<VaultScreens />, bridge)
    const dialog = await unlockWithPassphrase()
    fireEvent.click(screen.getByRole('button', { name: 'Keep working with what is there' }))
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe('The vault is locked. Unlock it to continue.'))
    expect(screen.getByRole('button', { name: 'Keep working with what is there' })).toHaveProperty('disabled', false)
    expect(screen.queryByRole('navigation', { name: 'Sections' })).toBeNull()
  })
})
