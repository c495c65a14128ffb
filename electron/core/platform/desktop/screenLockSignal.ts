// Main process (Linux desktop; Node, tested under Node): tells when the user's screen locks, for the platform where
// Electron cannot. powerMonitor's 'lock-screen' event exists on macOS and Windows only
// (https://www.electronjs.org/docs/latest/api/power-monitor#event-lock-screen-macos-windows), so on Linux we listen
// over D-Bus ourselves, to the two places a lock is announced:
//   - systemd-logind, on the system bus: the `Lock` signal of org.freedesktop.login1.Session for our session
//     (sent for `loginctl lock-session`, by lid and idle policies, and by desktops that lock through logind);
//   - the desktop's screensaver, on the session bus: `ActiveChanged(true)` of org.freedesktop.ScreenSaver (KDE
//     Plasma, and lockers that implement the freedesktop interface), org.gnome.ScreenSaver (GNOME Shell),
//     org.mate.ScreenSaver, org.cinnamon.ScreenSaver, org.xfce.ScreenSaver.
// Either, both or neither may exist; what was found is reported, so Settings can say the truth: a screensaver
// counts only if its introspection declares ActiveChanged (GNOME's screensaver proxy, for one, owns
// org.freedesktop.ScreenSaver for inhibition only), and logind alone sees only locks made through the login session.
// A forged signal can only lock the vault, never keep it open, so signals are not checked for their sender beyond
// the bus's match rules.
import type { ScreenLockCoverage } from '../../../../shared/ipc/channels/appChannels'
import { connectDbus, sessionBusAddress, systemBusAddress, type DbusClient, type DbusSignal } from './dbusClient'

/** The screensaver interfaces whose ActiveChanged(true) means the screen locked (or blanked: we lock either way). */
export const SCREENSAVER_INTERFACES = [
  'org.freedesktop.ScreenSaver',
  'org.gnome.ScreenSaver',
  'org.mate.ScreenSaver',
  'org.cinnamon.ScreenSaver',
  'org.xfce.ScreenSaver',
] as const

/** The source name reported for logind. */
export const LOGIND_SOURCE = 'logind'

const LOGIND = 'org.freedesktop.login1'
const LOGIND_MANAGER_PATH = '/org/freedesktop/login1'
const LOGIND_MANAGER = 'org.freedesktop.login1.Manager'
const LOGIND_SESSION = 'org.freedesktop.login1.Session'
const DBUS = { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus' } as const

export interface ScreenLockWatch {
  /** True when at least one source was found. */
  readonly available: boolean
  /** What was found: "logind" and/or the screensaver interfaces whose service runs and announces locks. */
  readonly sources: readonly string[]
  /** Which screen locks are seen: 'all' with a screensaver, 'session' with logind alone, else 'none'. */
  readonly coverage: ScreenLockCoverage
  /** Stops listening and closes the bus connections; no onLock call follows. Safe to call more than once. */
  stop(): void
}

export interface ScreenLockWatchOptions {
  /** Where the bus addresses and XDG_SESSION_ID are read from (default process.env). */
  env?: NodeJS.ProcessEnv
  /** The process whose logind session is looked up when XDG_SESSION_ID is not set (default process.pid). */
  pid?: number
  /** Time limit for connecting to a bus and for each call, in ms (default 3000): a silent bus is treated as none. */
  timeoutMs?: number
  /**
   * Lock signals closer together than this (ms, default 2000) are one lock: logind and the screensaver, or two
   * screensaver interfaces, often announce the same lock.
   */
  coalesceMs?: number
  /** Clock for coalescing (default Date.now). */
  now?: () => number
}

/**
 * Starts listening for screen locks on D-Bus and calls `onLock` once per lock. Never rejects: a missing bus, a bus
 * that refuses or ignores us (each step is limited to `timeoutMs`), no logind session and no screensaver leave out
 * that source, and with none left the watch is `available: false`, coverage 'none'. An exception thrown by `onLock`
 * is rethrown outside the D-Bus reader, so it cannot break it.
 */
export async function startScreenLockWatch(onLock: () => void, options: ScreenLockWatchOptions = {}): Promise<ScreenLockWatch> {
  const env = options.env ?? process.env
  const timeoutMs = options.timeoutMs ?? 3000
  const coalesceMs = options.coalesceMs ?? 2000
  const now = options.now ?? Date.now
  let stopped = false
  let lastLockAt = Number.NEGATIVE_INFINITY
  const announceLock = (): void => {
    if (stopped) return
    const at = now()
    if (at - lastLockAt < coalesceMs) return
    lastLockAt = at
    try {
      onLock()
    } catch (error) {
      process.nextTick(() => {
        throw error
      })
    }
  }

  const [system, session] = await Promise.all([
    watchLogind(systemBusAddress(env), env['XDG_SESSION_ID'], options.pid ?? process.pid, timeoutMs, announceLock),
    watchScreensavers(sessionBusAddress(env), timeoutMs, announceLock),
  ])
  const clients = [system.client, session.client].filter((c): c is DbusClient => c !== null)
  const sources = [...system.sources, ...session.sources]
  return {
    available: sources.length > 0,
    sources,
    coverage: session.sources.length > 0 ? 'all' : system.sources.length > 0 ? 'session' : 'none',
    stop: () => {
      stopped = true
      for (const client of clients) client.close()
    },
  }
}

interface PartialWatch {
  client: DbusClient | null
  sources: string[]
}

/**
 * The object path of our logind session: by XDG_SESSION_ID when set, else by our process id, else logind's "auto"
 * session (ours, or the user's graphical one: apps that desktops start in systemd user scopes belong to no session).
 * Throws when logind knows none of them.
 */
export async function findLogindSession(client: DbusClient, sessionId: string | undefined, pid: number): Promise<string> {
  const manager = { destination: LOGIND, path: LOGIND_MANAGER_PATH, interface: LOGIND_MANAGER } as const
  const lookups = [
    ...(sessionId ? [{ ...manager, member: 'GetSession', signature: 's', body: [sessionId] }] : []),
    { ...manager, member: 'GetSessionByPID', signature: 'u', body: [pid] },
    { ...manager, member: 'GetSession', signature: 's', body: ['auto'] },
  ]
  let lastError: unknown = new Error('logind: no session')
  for (const lookup of lookups) {
    try {
      const [path] = await client.call(lookup)
      if (typeof path === 'string' && path.startsWith(`${LOGIND_MANAGER_PATH}/session/`)) return path
    } catch (error) {
      lastError = error
    }
  }
  throw lastError
}

async function watchLogind(
  address: string,
  sessionId: string | undefined,
  pid: number,
  timeoutMs: number,
  announceLock: () => void,
): Promise<PartialWatch> {
  let client: DbusClient | null = null
  try {
    client = await connectDbus(address, timeoutMs)
    const sessionPath = await findLogindSession(client, sessionId, pid)
    client.onSignal((signal) => {
      if (signal.path === sessionPath && signal.interface === LOGIND_SESSION && signal.member === 'Lock') announceLock()
    })
    await client.addMatch(`type='signal',sender='${LOGIND}',interface='${LOGIND_SESSION}',member='Lock',path='${sessionPath}'`)
    return { client, sources: [LOGIND_SOURCE] }
  } catch {
    // No system bus, no logind (containers, non-systemd distributions without elogind), or no session of ours.
    client?.close()
    return { client: null, sources: [] }
  }
}

async function watchScreensavers(address: string | null, timeoutMs: number, announceLock: () => void): Promise<PartialWatch> {
  if (!address) return { client: null, sources: [] }
  let client: DbusClient | null = null
  try {
    client = await connectDbus(address, timeoutMs)
    const bus = client
    bus.onSignal((signal: DbusSignal) => {
      if (signal.member !== 'ActiveChanged' || !isScreensaverInterface(signal.interface)) return
      if (signal.body[0] === true) announceLock()
    })
    // Listen to every interface, even one whose service is not running yet: a screensaver started later still
    // locks the vault. `sources` reports only those running now, since only they make the promise true today.
    await Promise.all(SCREENSAVER_INTERFACES.map((name) => bus.addMatch(`type='signal',interface='${name}',member='ActiveChanged'`)))
    const running = await Promise.all(
      SCREENSAVER_INTERFACES.map(async (name) => {
        const [owned] = await bus.call({ ...DBUS, member: 'NameHasOwner', signature: 's', body: [name] })
        return owned === true && (await announcesLocks(bus, name)) ? name : null
      }),
    )
    return { client, sources: running.filter((name): name is (typeof SCREENSAVER_INTERFACES)[number] => name !== null) }
  } catch {
    client?.close()
    return { client: null, sources: [] }
  }
}

/** Where each screensaver serves its interface: the name as a path, and KDE's short /ScreenSaver for freedesktop's. */
function screensaverPaths(name: string): string[] {
  const path = `/${name.replaceAll('.', '/')}`
  return name === 'org.freedesktop.ScreenSaver' ? [path, '/ScreenSaver'] : [path]
}

/** True when the owner of `name` declares the ActiveChanged signal of interface `name` at one of its paths. */
async function announcesLocks(bus: DbusClient, name: string): Promise<boolean> {
  for (const path of screensaverPaths(name)) {
    try {
      const [xml] = await bus.call({ destination: name, path, interface: 'org.freedesktop.DBus.Introspectable', member: 'Introspect' })
      if (typeof xml === 'string' && declaresActiveChanged(xml, name)) return true
    } catch {
      // Not served at this path, or no introspection: try the next one.
    }
  }
  return false
}

/** Whether introspection XML declares signal ActiveChanged inside `<interface name="iface">`. */
export function declaresActiveChanged(xml: string, iface: string): boolean {
  const escaped = iface.replaceAll('.', '\\.')
  const start = xml.search(new RegExp(`<interface\\s+name=["']${escaped}["']`))
  if (start < 0) return false
  const end = xml.indexOf('</interface>', start)
  return /<signal\s+name=["']ActiveChanged["']/.test(xml.slice(start, end < 0 ? undefined : end))
}

function isScreensaverInterface(name: string): boolean {
  return (SCREENSAVER_INTERFACES as readonly string[]).includes(name)
}
