// Renderer (jsdom): Security → the auto-lock hint promises locking on screen lock only as far as main says it sees
// screen locks (app:getInfo's screenLock: all of them, only those made through the login session, or none, as on a
// Linux desktop where neither logind nor a screensaver answers on D-Bus), and says what to do instead.
import { cleanup, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelName, ChannelResponse, CustodiaBridge, IpcResult, VaultState } from '../../shared/ipc/contract'
import type { ScreenLockCoverage } from '../../shared/ipc/channels/appChannels'
import { SecurityPanel } from '../../renderer/src/features/home/SecurityPanel'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const STATUS: VaultState = { state: 'unlocked', dir: '/v', vaultId: 'abc', autoLockMinutes: 10 }
const INFO = { name: 'Custodia', version: '1', platform: 'linux', backend: 'native' }

/** A bridge that answers app:getInfo with `answer` and records every call. */
function fakeBridge(answer: IpcResult<ChannelResponse<'app:getInfo'>>): CustodiaBridge & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    invoke: async (channel) => {
      calls.push(channel)
      return (channel as ChannelName) === 'app:getInfo' ? answer : { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

const seeing = (screenLock: ScreenLockCoverage) => fakeBridge({ ok: true, value: { ...INFO, screenLock } })
const hint = (): string => screen.getByTestId('auto-lock-hint').textContent ?? ''
const CANNOT_SEE = 'Custodia cannot see when this computer’s screen locks, so locking the screen does not lock the vault'

describe('SecurityPanel: locking on screen lock', () => {
  it('promises it where main sees every screen lock', async () => {
    renderWithApi(<SecurityPanel status={STATUS} onStatus={() => undefined} />, seeing('all'))
    await waitFor(() => expect(hint()).toBe('The vault also locks when the computer sleeps or the screen locks.'))
    // The hint describes the auto-lock choice for screen readers too.
    expect(screen.getByLabelText('Lock automatically after').getAttribute('aria-describedby')).toBe('auto-lock-hint')
  })

  it('promises only locks made through the login session where main sees only those (logind without a screensaver)', async () => {
    renderWithApi(<SecurityPanel status={STATUS} onStatus={() => undefined} />, seeing('session'))
    await waitFor(() => expect(hint()).toContain('when the screen is locked through your login session'))
    expect(hint()).toContain('cannot see a screen locker started on its own')
    expect(hint()).toContain('Ctrl+L')
    expect(hint()).not.toContain('or the screen locks')
  })

  it('says plainly that a screen lock does not lock the vault where main sees none, and what to do instead', async () => {
    const bridge = seeing('none')
    renderWithApi(<SecurityPanel status={STATUS} onStatus={() => undefined} />, bridge)
    await waitFor(() => expect(hint()).toContain(CANNOT_SEE))
    expect(hint()).toContain('press Ctrl+L before you leave')
    expect(hint()).not.toContain('or the screen locks')
    // (backups:getStatus is the panel's Backup section asking about the reminder.)
    expect(bridge.calls.filter((channel) => channel !== 'backups:getStatus')).toEqual(['app:getInfo'])
  })

  it('promises nothing about screen lock before main answers, nor when it cannot answer', async () => {
    let answer: (value: IpcResult<ChannelResponse<'app:getInfo'>>) => void = () => undefined
    const pending: CustodiaBridge = {
      invoke: (channel) =>
        (channel as ChannelName) === 'app:getInfo'
          ? new Promise((resolve) => (answer = resolve as typeof answer))
          : Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }),
      on: () => () => undefined,
      pathForFile: () => '',
    }
    renderWithApi(<SecurityPanel status={STATUS} onStatus={() => undefined} />, pending)
    expect(hint()).toBe('The vault also locks when the computer sleeps.')
    answer({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong.' } })
    await waitFor(() => expect(hint()).toContain(CANNOT_SEE))
  })
})
