// Renderer (jsdom): Security → "If the laptop is taken" and the lock screen's warning, against a typed fake bridge that
// keeps the protection state as the vault would: what is set is said in plain words, the choices reach the vault as
// asked, a refusal is shown, and the lock screen warns before the last try and after an erase.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelName, CustodiaBridge, IpcResult, VaultState } from '../../shared/ipc/contract'
import type { UnlockGuard, VaultProtection } from '../../shared/ipc/channels/vaultChannels'
import { SecurityPanel } from '../../renderer/src/features/home/SecurityPanel'
import { UnlockScreen } from '../../renderer/src/features/vault/UnlockScreen'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const ADMIN: VaultState = {
  state: 'unlocked',
  dir: '/v',
  vaultId: 'abc',
  autoLockMinutes: 10,
  member: { id: 'm', name: 'Ana', role: 'admin' },
}

function protectionBridge(): CustodiaBridge & { calls: [string, unknown][]; protection: VaultProtection } {
  const calls: [string, unknown][] = []
  const state = {
    calls,
    protection: {
      wipeAfter: null,
      wipeIncludesRecovery: false,
      duress: { on: false, action: null, keepRecovery: false },
    } as VaultProtection,
    invoke: async (channel: string, request: unknown): Promise<IpcResult<unknown>> => {
      calls.push([channel, request])
      switch (channel as ChannelName) {
        case 'vault:getProtection':
          return { ok: true, value: state.protection }
        case 'vault:setWipeAfter': {
          const { after, includesRecovery } = request as { after: number | null; includesRecovery: boolean }
          state.protection = { ...state.protection, wipeAfter: after, wipeIncludesRecovery: includesRecovery }
          return { ok: true, value: state.protection }
        }
        case 'vault:setDuress': {
          const { passphrase, action, keepRecovery } = request as { passphrase: string; action: 'decoy' | 'wipe'; keepRecovery: boolean }
          if (passphrase !== 'decoy words')
            return { ok: false, error: { code: 'WRONG_PASSPHRASE', message: 'The duress passphrase does not open the decoy vault.' } }
          state.protection = { ...state.protection, duress: { on: true, action, keepRecovery } }
          return { ok: true, value: state.protection }
        }
        default:
          return { ok: false, error: { code: 'UNSUPPORTED', message: 'not here' } }
      }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
  return state as CustodiaBridge & { calls: [string, unknown][]; protection: VaultProtection }
}

describe('Security: if the laptop is taken', () => {
  it('is shown to admins only', async () => {
    renderWithApi(
      <SecurityPanel status={{ ...ADMIN, member: { id: 'm', name: 'Bo', role: 'viewer' } }} onStatus={() => undefined} />,
      protectionBridge(),
    )
    await screen.findByText('Lock automatically after')
    expect(screen.queryByTestId('protection-settings')).toBeNull()
  })

  it('turns the wipe on with the recovery keys, saying plainly that nobody can open the vault afterwards', async () => {
    const bridge = protectionBridge()
    renderWithApi(<SecurityPanel status={ADMIN} onStatus={() => undefined} />, bridge)
    expect((await screen.findByTestId('wipe-status')).textContent).toContain('Off')
    expect(screen.getByText(/copied the vault folder first/).textContent).toContain('guess on their copy')
    fireEvent.change(screen.getByLabelText('Erase after'), { target: { value: '5' } })
    fireEvent.click(screen.getByRole('checkbox', { name: /Erase the recovery keys too/ }))
    fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    await waitFor(() => expect(screen.getByTestId('wipe-status').textContent).toContain('after 5 wrong tries in a row'))
    expect(screen.getByTestId('wipe-status').textContent).toContain('Nobody will be able to open it again')
    expect(bridge.calls).toContainEqual(['vault:setWipeAfter', { after: 5, includesRecovery: true }])
  })

  it('sets a duress passphrase that erases first, and shows a refusal in plain words', async () => {
    const bridge = protectionBridge()
    renderWithApi(<SecurityPanel status={ADMIN} onStatus={() => undefined} />, bridge)
    expect((await screen.findByTestId('duress-status')).textContent).toBe('Not set.')
    fireEvent.change(screen.getByLabelText('Decoy vault folder'), { target: { value: '/home/ana/Decoy' } })
    fireEvent.change(screen.getByLabelText(/Duress passphrase \(the decoy/), { target: { value: 'wrong words' } })
    fireEvent.change(screen.getByLabelText('Repeat it'), { target: { value: 'wrong words' } })
    fireEvent.click(screen.getByRole('button', { name: 'Set duress passphrase' }))
    expect(await screen.findByText(/does not open the decoy vault/)).toBeTruthy()

    fireEvent.change(screen.getByLabelText(/Duress passphrase \(the decoy/), { target: { value: 'decoy words' } })
    fireEvent.change(screen.getByLabelText('Repeat it'), { target: { value: 'decoy words' } })
    fireEvent.click(screen.getByRole('radio', { name: /Erase this vault, then open the decoy vault/ }))
    fireEvent.click(screen.getByRole('checkbox', { name: /Keep the recovery keys/ }))
    fireEvent.click(screen.getByRole('button', { name: 'Set duress passphrase' }))
    await waitFor(() =>
      expect(screen.getByTestId('duress-status').textContent).toContain('erases this vault for good, then opens your decoy vault'),
    )
    expect(bridge.calls).toContainEqual([
      'vault:setDuress',
      { passphrase: 'decoy words', decoyDir: '/home/ana/Decoy', action: 'wipe', keepRecovery: false },
    ])
  })
})

describe('lock screen', () => {
  function guardBridge(guards: UnlockGuard[]): CustodiaBridge {
    let index = 0
    return {
      invoke: async (channel: string) => {
        if ((channel as ChannelName) === 'vault:getUnlockGuard') return { ok: true, value: guards[Math.min(index++, guards.length - 1)] }
        if ((channel as ChannelName) === 'vault:unlock')
          return {
            ok: false,
            error: { code: 'WRONG_PASSPHRASE', message: 'The passphrase is wrong. 1 try left before this vault is erased.' },
          }
        return { ok: false, error: { code: 'UNSUPPORTED', message: 'not here' } }
      },
      on: () => () => undefined,
      pathForFile: () => '',
    } as CustodiaBridge
  }
  const base: UnlockGuard = { wipeAfter: 3, includesRecovery: false, failed: 0, triesLeft: 3, erased: null }

  it('says nothing before a wrong try, and warns before the last one', async () => {
    renderWithApi(
      <UnlockScreen dir="/v" notice={null} onUnlocked={() => undefined} onChooseOther={() => undefined} />,
      guardBridge([base, { ...base, failed: 2, triesLeft: 1 }]),
    )
    await screen.findByLabelText('Passphrase')
    expect(screen.queryByTestId('unlock-guard')).toBeNull()
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'guess' } })
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await waitFor(() => expect(screen.getByTestId('unlock-guard').textContent).toBe('1 try left before this vault is erased.'))
  })

  it('says when the passphrases were erased', async () => {
    renderWithApi(
      <UnlockScreen dir="/v" notice={null} onUnlocked={() => undefined} onChooseOther={() => undefined} />,
      guardBridge([{ ...base, erased: 'passphrase' }]),
    )
    await waitFor(() => expect(screen.getByTestId('unlock-guard').textContent).toContain('Use the recovery key'))
  })
})
