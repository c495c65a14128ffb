// Core (Node): screen-lock signals on Linux over real D-Bus. Each test starts private dbus-daemons in a temp folder
// (one standing in for the session bus, one for the system bus) and fake services on them built with the product's
// D-Bus package: a screensaver that emits ActiveChanged, and a stand-in for systemd-logind that answers the session
// lookups and emits Session.Lock. The real logind cannot run here (it needs systemd as PID 1 and a real login), so
// what is not covered is only logind's own behaviour: which session it returns and when it sends Lock. The lookup
// calls, the match rule (sender, interface, member, our session's path) and the handling of the signal are real.
// dbus-daemon must be installed (Debian: dbus-daemon; .ci/run installs it): without it these tests fail, by design.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectDbus, sessionBusAddress, socketForBusAddress } from '../../../electron/core/platform/desktop/dbusClient'
import { declaresActiveChanged, startScreenLockWatch, type ScreenLockWatch } from '../../../electron/core/platform/desktop/screenLockSignal'
import {
  flushSignals,
  startFakeScreensaver,
  startFakeService,
  startPrivateBus,
  type FakeService,
  type PrivateBus,
} from '../../helpers/dbusDaemon'

const SESSION_PATH = '/org/freedesktop/login1/session/c7'
const OTHER_SESSION_PATH = '/org/freedesktop/login1/session/c8'

let dir: string
const cleanups: (() => unknown)[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'custodia-dbus-'))
})

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  rmSync(dir, { recursive: true, force: true })
})

async function bus(name: string, options: { abstract?: boolean } = {}): Promise<PrivateBus> {
  const started = await startPrivateBus(dir, name, options)
  cleanups.push(() => started.stop())
  return started
}

async function service(on: PrivateBus, names: readonly string[]): Promise<FakeService> {
  const started = await startFakeService(on, names)
  cleanups.push(() => started.close())
  return started
}

async function screensaver(on: PrivateBus, names: readonly string[], options: Parameters<typeof startFakeScreensaver>[2] = {}) {
  const started = await startFakeScreensaver(on, names, options)
  cleanups.push(() => started.close())
  return started
}

/** Starts a watch that counts its onLock calls, and stops it after the test. */
async function watch(env: NodeJS.ProcessEnv, extra: { coalesceMs?: number; now?: () => number; pid?: number; timeoutMs?: number } = {}) {
  const locks = { count: 0 }
  const started: ScreenLockWatch = await startScreenLockWatch(() => locks.count++, { env, coalesceMs: 0, timeoutMs: 5000, ...extra })
  cleanups.push(() => started.stop())
  return { watch: started, locks }
}

/** An env with no session bus and a system bus address that leads nowhere, unless overridden. */
function envWith(overrides: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${join(dir, 'no-system-bus')}`, ...overrides }
}

describe('the desktop screensaver on the session bus', () => {
  it('locks on ActiveChanged(true) and reports the screensaver it found', async () => {
    const session = await bus('session')
    const saver = await screensaver(session, ['org.freedesktop.ScreenSaver'])
    const { watch: w, locks } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }))
    expect(w).toMatchObject({ available: true, sources: ['org.freedesktop.ScreenSaver'], coverage: 'all' })

    saver.emit('org.freedesktop.ScreenSaver', true)
    await expect.poll(() => locks.count).toBe(1)
  })

  it('finds KDE’s screensaver at its short path /ScreenSaver', async () => {
    const session = await bus('session')
    const saver = await screensaver(session, ['org.freedesktop.ScreenSaver'], { pathOf: () => '/ScreenSaver' })
    const { watch: w, locks } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }))
    expect(w).toMatchObject({ sources: ['org.freedesktop.ScreenSaver'], coverage: 'all' })
    saver.emit('org.freedesktop.ScreenSaver', true)
    await expect.poll(() => locks.count).toBe(1)
  })

  it('does not count a service that owns the name for inhibition only (no ActiveChanged declared), yet would hear it', async () => {
    const session = await bus('session')
    const shim = await screensaver(session, ['org.freedesktop.ScreenSaver'], { announcesLocks: false })
    const { watch: w, locks } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }))
    expect(w).toMatchObject({ available: false, sources: [], coverage: 'none' })
    shim.emit('org.freedesktop.ScreenSaver', true)
    await expect.poll(() => locks.count).toBe(1)
  })

  it('does not count a name owner that serves no screensaver interface', async () => {
    const session = await bus('session')
    await service(session, ['org.mate.ScreenSaver'])
    const { watch: w } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }))
    expect(w).toMatchObject({ available: false, sources: [], coverage: 'none' })
  })

  it('does not lock on ActiveChanged(false) (the screen unlocking), nor on other members or interfaces', async () => {
    const session = await bus('session')
    const saver = await screensaver(session, ['org.freedesktop.ScreenSaver'])
    const { locks } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }))

    saver.emit('org.freedesktop.ScreenSaver', false)
    saver.bus.sendSignal('/org/freedesktop/ScreenSaver', 'org.freedesktop.ScreenSaver', 'WakeUpScreen', '', [])
    saver.bus.sendSignal('/org/example', 'org.example.NotAScreenSaver', 'ActiveChanged', 'b', [true])
    await flushSignals(saver)
    expect(locks.count).toBe(0)

    saver.emit('org.freedesktop.ScreenSaver', true)
    await expect.poll(() => locks.count).toBe(1)
  })

  it('hears GNOME’s and MATE’s interfaces too, and counts one lock announced on two of them once', async () => {
    const session = await bus('session')
    const saver = await screensaver(session, ['org.gnome.ScreenSaver', 'org.mate.ScreenSaver'])
    let clock = 1_000_000
    const { watch: w, locks } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }), {
      coalesceMs: 2000,
      now: () => clock,
    })
    expect(w.sources).toEqual(['org.gnome.ScreenSaver', 'org.mate.ScreenSaver'])

    saver.emit('org.gnome.ScreenSaver', true)
    saver.emit('org.mate.ScreenSaver', true)
    await flushSignals(saver)
    expect(locks.count).toBe(1)

    // A later lock (after unlocking) is a new one.
    clock += 60_000
    saver.emit('org.mate.ScreenSaver', true)
    await expect.poll(() => locks.count).toBe(2)
  })

  it('calls nothing after stop()', async () => {
    const session = await bus('session')
    const saver = await screensaver(session, ['org.freedesktop.ScreenSaver'])
    const env = envWith({ DBUS_SESSION_BUS_ADDRESS: session.address })
    const stopped = await watch(env)
    const running = await watch(env)

    stopped.watch.stop()
    stopped.watch.stop()
    saver.emit('org.freedesktop.ScreenSaver', true)
    // The signal was delivered: the watch still running saw it.
    await expect.poll(() => running.locks.count).toBe(1)
    await flushSignals(saver)
    expect(stopped.locks.count).toBe(0)
  })

  it('is connected but not available when no screensaver runs, and still locks when one starts later', async () => {
    const session = await bus('session')
    const { watch: w, locks } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }))
    expect(w).toMatchObject({ available: false, sources: [] })

    const saver = await screensaver(session, ['org.xfce.ScreenSaver'])
    saver.emit('org.xfce.ScreenSaver', true)
    await expect.poll(() => locks.count).toBe(1)
  })

  it('finds the session bus at $XDG_RUNTIME_DIR/bus when DBUS_SESSION_BUS_ADDRESS is not set', async () => {
    const session = await bus('bus')
    const saver = await screensaver(session, ['org.cinnamon.ScreenSaver'])
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: dir })).toBe(`unix:path=${join(dir, 'bus')}`)
    const { watch: w, locks } = await watch(envWith({ XDG_RUNTIME_DIR: dir }))
    expect(w.sources).toEqual(['org.cinnamon.ScreenSaver'])
    saver.emit('org.cinnamon.ScreenSaver', true)
    await expect.poll(() => locks.count).toBe(1)
  })

  // Node reaches abstract sockets from libuv 1.48 on (libuv#4266): Electron 45's Node does, the Node 20 that runs
  // these tests (libuv 1.46) does not. Either way the answer must be true: lock, or say it is unavailable at once.
  it('connects to a bus on an abstract socket (unix:abstract=…) where Node can, and otherwise says it is unavailable', async () => {
    const session = await bus('abstract-session', { abstract: true })
    expect(session.address).toMatch(/^unix:abstract=/)
    const [major = 0, minor = 0] = process.versions.uv.split('.').map(Number)
    const nodeReachesAbstract = major > 1 || (major === 1 && minor >= 48)
    console.info(`[screen lock] libuv ${process.versions.uv}: abstract sockets ${nodeReachesAbstract ? 'reachable' : 'not reachable'} here`)
    if (nodeReachesAbstract) {
      const saver = await screensaver(session, ['org.freedesktop.ScreenSaver'])
      const { watch: w, locks } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }))
      expect(w.available).toBe(true)
      saver.emit('org.freedesktop.ScreenSaver', true)
      await expect.poll(() => locks.count).toBe(1)
    } else {
      const { watch: w } = await watch(envWith({ DBUS_SESSION_BUS_ADDRESS: session.address }), { timeoutMs: 300 })
      expect(w).toMatchObject({ available: false, sources: [] })
    }
  })
})

/** A stand-in for systemd-logind: the Manager's session lookups, recording what was asked. */
async function fakeLogind(
  on: PrivateBus,
  answers: { bySessionId?: Record<string, string>; byPid?: Record<number, string>; auto?: string },
) {
  const logind = await service(on, ['org.freedesktop.login1'])
  const asked: string[] = []
  const noSuchSession = (): Error => Object.assign(new Error('No such session'), { dbusName: 'org.freedesktop.login1.NoSuchSession' })
  logind.bus.exportInterface(
    {
      GetSession: (id: string) => {
        asked.push(`GetSession(${id})`)
        const path = id === 'auto' ? answers.auto : answers.bySessionId?.[id]
        return path ?? noSuchSession()
      },
      GetSessionByPID: (pid: number) => {
        asked.push(`GetSessionByPID(${pid})`)
        return answers.byPid?.[pid] ?? noSuchSession()
      },
    },
    '/org/freedesktop/login1',
    { name: 'org.freedesktop.login1.Manager', methods: { GetSession: ['s', 'o'], GetSessionByPID: ['u', 'o'] }, signals: {} },
  )
  const lock = (path: string): void => logind.bus.sendSignal(path, 'org.freedesktop.login1.Session', 'Lock', '', [])
  return { logind, asked, lock }
}

describe('systemd-logind on the system bus (a stand-in service: see the file comment)', () => {
  it('looks our session up by XDG_SESSION_ID and locks on that session’s Lock signal only', async () => {
    const system = await bus('system')
    const { logind, asked, lock } = await fakeLogind(system, { bySessionId: { c7: SESSION_PATH, c8: OTHER_SESSION_PATH } })
    const { watch: w, locks } = await watch({ DBUS_SYSTEM_BUS_ADDRESS: system.address, XDG_SESSION_ID: 'c7' })
    // logind alone sees only locks made through the session, not a locker started on its own.
    expect(w).toMatchObject({ available: true, sources: ['logind'], coverage: 'session' })
    expect(asked).toEqual(['GetSession(c7)'])

    lock(OTHER_SESSION_PATH)
    logind.bus.sendSignal(SESSION_PATH, 'org.freedesktop.login1.Session', 'Unlock', '', [])
    await flushSignals(logind)
    expect(locks.count).toBe(0)

    lock(SESSION_PATH)
    await expect.poll(() => locks.count).toBe(1)
  })

  it('ignores a Lock broadcast for our session’s path by another connection than logind’s (the match rule names logind)', async () => {
    const system = await bus('system')
    const { lock } = await fakeLogind(system, { bySessionId: { c7: SESSION_PATH } })
    const impostor = await service(system, ['org.example.Impostor'])
    const { locks } = await watch({ DBUS_SYSTEM_BUS_ADDRESS: system.address, XDG_SESSION_ID: 'c7' })

    impostor.bus.sendSignal(SESSION_PATH, 'org.freedesktop.login1.Session', 'Lock', '', [])
    await flushSignals(impostor)
    expect(locks.count).toBe(0)
    lock(SESSION_PATH)
    await expect.poll(() => locks.count).toBe(1)
  })

  it('looks the session up by process id without XDG_SESSION_ID, then falls back to logind’s "auto" session', async () => {
    const system = await bus('system')
    const byPid = await fakeLogind(system, { byPid: { 4242: SESSION_PATH } })
    const first = await watch({ DBUS_SYSTEM_BUS_ADDRESS: system.address }, { pid: 4242 })
    expect(first.watch.sources).toEqual(['logind'])
    expect(byPid.asked).toEqual(['GetSessionByPID(4242)'])
    byPid.lock(SESSION_PATH)
    await expect.poll(() => first.locks.count).toBe(1)
    byPid.logind.close()

    // An app a desktop starts in a systemd user scope belongs to no session: logind's "auto" names the user's.
    const auto = await fakeLogind(system, { auto: OTHER_SESSION_PATH })
    const second = await watch({ DBUS_SYSTEM_BUS_ADDRESS: system.address }, { pid: 4242 })
    expect(second.watch.sources).toEqual(['logind'])
    expect(auto.asked).toEqual(['GetSessionByPID(4242)', 'GetSession(auto)'])
    auto.lock(OTHER_SESSION_PATH)
    await expect.poll(() => second.locks.count).toBe(1)
  })

  it('reports logind unavailable, without throwing, when logind knows no session of ours', async () => {
    const system = await bus('system')
    const { asked } = await fakeLogind(system, {})
    const { watch: w } = await watch({ DBUS_SYSTEM_BUS_ADDRESS: system.address, XDG_SESSION_ID: 'gone' }, { pid: 1 })
    expect(w).toMatchObject({ available: false, sources: [], coverage: 'none' })
    expect(asked).toEqual(['GetSession(gone)', 'GetSessionByPID(1)', 'GetSession(auto)'])
  })

  it('uses both buses together and lists both sources', async () => {
    const system = await bus('system')
    const session = await bus('session')
    const { lock } = await fakeLogind(system, { bySessionId: { c7: SESSION_PATH } })
    const saver = await screensaver(session, ['org.gnome.ScreenSaver'])
    const { watch: w, locks } = await watch({
      DBUS_SYSTEM_BUS_ADDRESS: system.address,
      DBUS_SESSION_BUS_ADDRESS: session.address,
      XDG_SESSION_ID: 'c7',
    })
    expect(w).toMatchObject({ available: true, sources: ['logind', 'org.gnome.ScreenSaver'], coverage: 'all' })
    lock(SESSION_PATH)
    await expect.poll(() => locks.count).toBe(1)
    saver.emit('org.gnome.ScreenSaver', true)
    await expect.poll(() => locks.count).toBe(2)
  })
})

describe('no bus, or a bus that does not answer', () => {
  it('resolves available:false without throwing when there is no bus address and no system bus socket', async () => {
    const started = await startScreenLockWatch(
      () => {
        throw new Error('must not be called')
      },
      { env: envWith({}) },
    )
    expect(started).toMatchObject({ available: false, sources: [] })
    started.stop()
  })

  it('resolves available:false when the addresses are not unix sockets or are garbage', async () => {
    const started = await startScreenLockWatch(() => undefined, {
      env: { DBUS_SESSION_BUS_ADDRESS: 'tcp:host=127.0.0.1,port=1', DBUS_SYSTEM_BUS_ADDRESS: ';;:=,' },
    })
    expect(started).toMatchObject({ available: false, sources: [] })
    started.stop()
  })

  it('gives up on a socket that accepts but never speaks D-Bus, within the time limit', async () => {
    const silentPath = join(dir, 'silent')
    const connections: { destroy(): void }[] = []
    const server: Server = createServer((socket) => connections.push(socket))
    await new Promise<void>((resolve) => server.listen(silentPath, resolve))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const c of connections) c.destroy()
          server.close(() => resolve())
        }),
    )
    const address = `unix:path=${silentPath}`
    const startedAt = Date.now()
    const started = await startScreenLockWatch(() => undefined, {
      env: { DBUS_SESSION_BUS_ADDRESS: address, DBUS_SYSTEM_BUS_ADDRESS: address },
      timeoutMs: 300,
    })
    expect(started).toMatchObject({ available: false, sources: [] })
    expect(Date.now() - startedAt).toBeLessThan(5000)
    // Both connections were made and then closed by us.
    expect(connections.length).toBe(2)
    started.stop()
  })

  it('rejects a call that gets no reply within the time limit, instead of waiting forever', async () => {
    const session = await bus('session')
    const silent = await service(session, ['org.example.Silent'])
    silent.bus.exportInterface({ Hang: () => new Promise<never>(() => undefined) }, '/x', {
      name: 'org.example.X',
      methods: { Hang: ['', ''] },
      signals: {},
    })
    const client = await connectDbus(session.address, 300)
    cleanups.push(() => client.close())
    await expect(
      client.call({ destination: 'org.example.Silent', path: '/x', interface: 'org.example.X', member: 'Hang' }),
    ).rejects.toThrow(/no answer to org\.example\.X\.Hang within 300 ms/)
    // An error reply is an error too: a name nobody owns is answered by the bus itself.
    await expect(client.call({ destination: 'org.example.Nobody', path: '/x', interface: 'org.example.X', member: 'Y' })).rejects.toThrow(
      /ServiceUnknown/,
    )
  })
})

describe('introspection', () => {
  it('finds ActiveChanged only inside the screensaver’s own interface', () => {
    const xml = `<node>
  <interface name="org.gnome.ScreenSaver"><method name="Lock"/><signal name="ActiveChanged"><arg type="b"/></signal></interface>
  <interface name='org.freedesktop.ScreenSaver'><method name='Inhibit'/></interface>
</node>`
    expect(declaresActiveChanged(xml, 'org.gnome.ScreenSaver')).toBe(true)
    expect(declaresActiveChanged(xml, 'org.freedesktop.ScreenSaver')).toBe(false)
    expect(declaresActiveChanged(xml, 'org.mate.ScreenSaver')).toBe(false)
    expect(declaresActiveChanged(xml.replaceAll('"', "'"), 'org.gnome.ScreenSaver')).toBe(true)
    // A dot in the name is a dot, not "any character".
    expect(declaresActiveChanged(xml, 'org.gnomeXScreenSaver')).toBe(false)
  })
})

describe('bus addresses', () => {
  it('picks the first unix socket of an address list, unescaping values', () => {
    expect(socketForBusAddress('unix:path=/run/user/1000/bus')).toBe('/run/user/1000/bus')
    expect(socketForBusAddress('unix:abstract=/tmp/dbus-AbC,guid=0123')).toBe('\u0000/tmp/dbus-AbC')
    expect(socketForBusAddress('tcp:host=localhost,port=1;unix:path=/tmp/a%20b')).toBe('/tmp/a b')
    expect(socketForBusAddress('tcp:host=localhost,port=1')).toBeNull()
    expect(socketForBusAddress('')).toBeNull()
    expect(socketForBusAddress('unix:tmpdir=/tmp')).toBeNull()
  })

  it('finds no session bus when neither the variable nor $XDG_RUNTIME_DIR/bus exists', () => {
    expect(sessionBusAddress({})).toBeNull()
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: dir })).toBeNull()
    expect(sessionBusAddress({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x', XDG_RUNTIME_DIR: dir })).toBe('unix:path=/x')
  })
})
