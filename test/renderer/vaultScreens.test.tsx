// Renderer (jsdom): vault screens against a typed fake bridge — what a person sees for each answer from main.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { CustodiaBridge, IpcResult } from '../../shared/ipc/contract'
import { UnlockScreen } from '../../renderer/src/features/vault/UnlockScreen'
import { RecoveryKeyStep, lastGroupOf } from '../../renderer/src/features/vault/RecoveryKeyStep'
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

describe('UnlockScreen', () => {
  it('says plainly when the passphrase is wrong', async () => {
    const bridge = fakeBridge(() => ({ ok: false, error: { code: 'WRONG_PASSPHRASE', message: 'Wrong passphrase.' } }))
    renderWithApi(<UnlockScreen dir="/v" notice={null} onUnlocked={() => undefined} onChooseOther={() => undefined} />, bridge)
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'nope' } })
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('Wrong passphrase. Check Caps Lock'))
    // The lock screen also reads the tries left (vault:getUnlockGuard) on its own.
    expect(bridge.calls.filter(([channel]) => channel !== 'vault:getUnlockGuard')).toEqual([
      ['vault:unlock', { dir: '/v', passphrase: 'nope' }],
    ])
  })

  it('sends the recovery key on the recovery channel and reports success upward', async () => {
    const status = { state: 'unlocked', dir: '/v', vaultId: 'abc', autoLockMinutes: 10 }
    const bridge = fakeBridge(() => ({ ok: true, value: status }))
    let unlocked: unknown = null
    renderWithApi(<UnlockScreen dir="/v" notice={null} onUnlocked={(s) => (unlocked = s)} onChooseOther={() => undefined} />, bridge)
    fireEvent.click(screen.getByRole('button', { name: 'Use the recovery key' }))
    fireEvent.change(screen.getByLabelText('Recovery key'), { target: { value: 'ABCD-EFGH' } })
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await waitFor(() => expect(unlocked).toEqual(status))
    expect(bridge.calls.filter(([channel]) => channel !== 'vault:getUnlockGuard')[0]).toEqual([
      'vault:unlockWithRecoveryKey',
      { dir: '/v', recoveryKey: 'ABCD-EFGH' },
    ])
  })

  it('shows a validation message from main in plain words, the request wording only under Details', async () => {
    const bridge = fakeBridge(() => ({
      ok: false,
      // As the dispatcher sends it (electron/core/api/dispatch.ts).
      error: {
        code: 'VALIDATION',
        message: 'Invalid request: dir: must be an absolute folder path',
        issues: [{ path: 'dir', message: 'must be an absolute folder path' }],
      },
    }))
    renderWithApi(<UnlockScreen dir="rel" notice={null} onUnlocked={() => undefined} onChooseOther={() => undefined} />, bridge)
    fireEvent.change(screen.getByLabelText('Passphrase'), { target: { value: 'x' } })
    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('The vault folder must be an absolute folder path.'))
  })
})

describe('RecoveryKeyStep', () => {
  it('continues only when the last group is typed back', () => {
    let confirmed = false
    render(<RecoveryKeyStep recoveryKey="AAAA-BBBB-CCCD" onConfirmed={() => (confirmed = true)} />)
    fireEvent.click(screen.getByRole('button', { name: 'I have written it down' }))
    fireEvent.change(screen.getByLabelText('Type the last group of the recovery key'), { target: { value: 'BBBB' } })
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }))
    expect(confirmed).toBe(false)
    expect(screen.getByRole('alert').textContent).toContain('not the last group')
    fireEvent.change(screen.getByLabelText('Type the last group of the recovery key'), { target: { value: 'cccd' } })
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }))
    expect(confirmed).toBe(true)
  })

  it('finds the last group whatever the separators', () => {
    expect(lastGroupOf('AAAA BBBB\nCCCC')).toBe('CCCC')
    expect(lastGroupOf('AAAA-BBBB-CCCC ')).toBe('CCCC')
  })
})
