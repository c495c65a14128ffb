// Renderer (jsdom): Security → Open log folder against a typed fake bridge — what the panel says the log holds, the
// one call the button makes, and where the log is said to be whether or not a file manager opened.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelName, ChannelResponse, CustodiaBridge, IpcResult, VaultState } from '../../shared/ipc/contract'
import { SecurityPanel } from '../../renderer/src/features/home/SecurityPanel'
import { renderWithApi } from './renderWithApi'

afterEach(cleanup)

const STATUS: VaultState = { state: 'unlocked', dir: '/v', vaultId: 'abc', autoLockMinutes: 10 }
const FOLDER = '/home/ana/.config/custodia/logs'

/** A bridge that answers app:openLogFolder with `answer` and records every call. */
function fakeBridge(answer: IpcResult<ChannelResponse<'app:openLogFolder'>>): CustodiaBridge & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = []
  return {
    calls,
    invoke: async (channel, request) => {
      calls.push([channel, request])
      return (channel as ChannelName) === 'app:openLogFolder'
        ? answer
        : { ok: false, error: { code: 'INTERNAL', message: 'unexpected call' } }
    },
    on: () => () => undefined,
    pathForFile: () => '',
  }
}

describe('SecurityPanel: application log', () => {
  it('says what the log holds and does not hold, before anything is clicked', () => {
    renderWithApi(
      <SecurityPanel status={STATUS} onStatus={() => undefined} />,
      fakeBridge({ ok: true, value: { folder: FOLDER, opened: true } }),
    )
    const button = screen.getByRole('button', { name: 'Open log folder' })
    const hint = document.getElementById(button.getAttribute('aria-describedby')!)!.textContent!
    expect(hint).toContain('no document content, no names')
    expect(hint).toContain('no passwords')
    expect(hint).toContain('on this computer')
  })

  it('asks main to open the log folder and says where it is', async () => {
    const bridge = fakeBridge({ ok: true, value: { folder: FOLDER, opened: true } })
    renderWithApi(<SecurityPanel status={STATUS} onStatus={() => undefined} />, bridge)
    fireEvent.click(screen.getByRole('button', { name: 'Open log folder' }))
    await waitFor(() => expect(screen.getByTestId('message').textContent).toBe(`Log folder opened: ${FOLDER}`))
    // The request names no folder: main decides which one opens. (app:getInfo is the panel asking about screen lock,
    // backups:getStatus its Backup section asking about the reminder.)
    expect(bridge.calls.filter(([channel]) => channel !== 'app:getInfo' && channel !== 'backups:getStatus')).toEqual([
      ['app:openLogFolder', {}],
    ])
  })

  it('still says where the log is when no file manager opened', async () => {
    renderWithApi(
      <SecurityPanel status={STATUS} onStatus={() => undefined} />,
      fakeBridge({ ok: true, value: { folder: FOLDER, opened: false } }),
    )
    fireEvent.click(screen.getByRole('button', { name: 'Open log folder' }))
    await waitFor(() => expect(screen.getByTestId('message').textContent).toBe(`The log folder could not be opened here. It is: ${FOLDER}`))
  })

  it('shows main’s plain message when this copy keeps no log', async () => {
    const message = 'This copy of Custodia keeps no application log.'
    renderWithApi(
      <SecurityPanel status={STATUS} onStatus={() => undefined} />,
      fakeBridge({ ok: false, error: { code: 'UNSUPPORTED', message } }),
    )
    fireEvent.click(screen.getByRole('button', { name: 'Open log folder' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(message))
  })
})
