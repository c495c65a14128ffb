// Unit (Node): the IPC registration loop with a fake ipcMain — untrusted frames are refused before dispatch.
import type { IpcMainInvokeEvent } from 'electron'
import { describe, expect, it } from 'vitest'
import { TRANSPORT_INVOKE } from '../../../shared/ipc/transport'
import { registerIpc } from '../../../electron/main/ipcRegistration'
import { APP_ORIGIN } from '../../../electron/main/security'

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown

function setup() {
  const registered = new Map<string, Listener>()
  const dispatched: unknown[][] = []
  const ourSender = { id: 1 }
  registerIpc(
    { handle: (channel: string, listener: Listener) => void registered.set(channel, listener) } as never,
    async (channel, request) => {
      dispatched.push([channel, request])
      return { ok: true, value: 'dispatched' }
    },
    { isOurWebContents: (event) => event.sender === (ourSender as never) },
  )
  const call = (frame: { url: string; parent: unknown } | null, sender: unknown = ourSender) =>
    registered.get(TRANSPORT_INVOKE)!({ senderFrame: frame, sender } as unknown as IpcMainInvokeEvent, 'app:getInfo', {})
  return { registered, dispatched, call }
}

describe('registerIpc', () => {
  it('registers exactly one transport handler', () => {
    expect([...setup().registered.keys()]).toEqual([TRANSPORT_INVOKE])
  })

  it('dispatches calls from our top-level app page', async () => {
    const { call, dispatched } = setup()
    expect(await call({ url: `${APP_ORIGIN}/index.html`, parent: null })).toEqual({ ok: true, value: 'dispatched' })
    expect(dispatched).toEqual([['app:getInfo', {}]])
  })

  it('refuses foreign origins, subframes, other webContents and missing frames without dispatching', async () => {
    const { call, dispatched } = setup()
    const refused = { ok: false, error: { code: 'VALIDATION', message: 'Request refused.' } }
    expect(await call({ url: 'https://evil.example/', parent: null })).toEqual(refused)
    expect(await call({ url: `${APP_ORIGIN}/index.html`, parent: { url: APP_ORIGIN } })).toEqual(refused)
    expect(await call({ url: `${APP_ORIGIN}/index.html`, parent: null }, { id: 2 })).toEqual(refused)
    expect(await call(null)).toEqual(refused)
    expect(dispatched).toEqual([])
  })
})
