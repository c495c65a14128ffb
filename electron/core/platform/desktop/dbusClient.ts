// Main process (Linux desktop; Node, tested under Node): a small promise-based D-Bus client over
// @homebridge/dbus-native — connect to a bus by address, call a method, add a match rule, receive signals — with a
// time limit on every step, so a bus that is missing, refuses us or never answers is an error the caller can catch,
// never a hang or an uncaught 'error' event. The only file that imports the package.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import * as dbusNative from '@homebridge/dbus-native'

/** A signal as it arrived: the sender's unique name (":1.42"), object path, interface, member and decoded body. */
export interface DbusSignal {
  readonly sender: string | undefined
  readonly path: string
  readonly interface: string
  readonly member: string
  readonly body: readonly unknown[]
}

/** A method call: `signature` is the D-Bus type string of `body` ("s", "u", "su"), absent when there is no body. */
export interface DbusCall {
  readonly destination: string
  readonly path: string
  readonly interface: string
  readonly member: string
  readonly signature?: string
  readonly body?: readonly unknown[]
}

export interface DbusClient {
  /** Calls a method and resolves with the reply's body; rejects on an error reply, a closed bus or the time limit. */
  call(request: DbusCall): Promise<unknown[]>
  /** Asks the bus to route signals matching `rule` (D-Bus match-rule syntax) to us; rejects as `call` does. */
  addMatch(rule: string): Promise<void>
  /** Registers a listener for every signal delivered to this connection. */
  onSignal(listener: (signal: DbusSignal) => void): void
  /** Closes the connection at once (the bus then drops our match rules). Safe to call more than once. */
  close(): void
}

/** The part of the package this file uses; the package's own typings declare only systemBus(). */
interface NativeMessage {
  type: number
  serial?: number
  destination?: string
  path?: string
  interface?: string
  member?: string
  sender?: string
  signature?: string
  body?: unknown[]
}
interface NativeConnection {
  stream: { destroy(): void }
  on(event: 'connect' | 'end', listener: () => void): void
  on(event: 'error', listener: (error: unknown) => void): void
  on(event: 'message', listener: (message: NativeMessage) => void): void
  once(event: 'connect', listener: () => void): void
}
interface NativeBus {
  connection: NativeConnection
  cookies: Record<number, unknown>
  invoke(message: NativeMessage, callback: (error: unknown, ...body: unknown[]) => void): void
}
interface NativeModule {
  createClient(options: { socket: string; authMethods: string[] }): NativeBus
}
const native = dbusNative as unknown as NativeModule
const SIGNAL = 4
const METHOD_CALL = 1

/**
 * The socket to connect to for a D-Bus address string ("unix:path=/run/user/1000/bus;unix:abstract=/tmp/dbus-x,guid=…"):
 * the first `unix:path=` entry, or the first `unix:abstract=` one as a Linux abstract socket name ("\0" + name).
 * Values are unescaped (%xx). Returns null when no entry is a unix socket we can open (tcp, launchd, garbage).
 */
export function socketForBusAddress(address: string): string | null {
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':')
    if (colon < 0 || entry.slice(0, colon) !== 'unix') continue
    const params = new Map<string, string>()
    for (const pair of entry.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=')
      if (eq > 0) params.set(pair.slice(0, eq), unescapeAddressValue(pair.slice(eq + 1)))
    }
    const path = params.get('path')
    if (path) return path
    const abstract = params.get('abstract')
    if (abstract) return `\u0000${abstract}`
  }
  return null
}

function unescapeAddressValue(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * The session bus address, as libdbus finds it: DBUS_SESSION_BUS_ADDRESS, else `$XDG_RUNTIME_DIR/bus` when that
 * socket exists (systemd user sessions); null when there is none.
 */
export function sessionBusAddress(env: NodeJS.ProcessEnv): string | null {
  const fromEnv = env['DBUS_SESSION_BUS_ADDRESS']
  if (fromEnv) return fromEnv
  const runtimeDir = env['XDG_RUNTIME_DIR']
  if (runtimeDir && existsSync(join(runtimeDir, 'bus'))) return `unix:path=${join(runtimeDir, 'bus')}`
  return null
}

/** The system bus address: DBUS_SYSTEM_BUS_ADDRESS, else the well-known socket of the D-Bus specification. */
export function systemBusAddress(env: NodeJS.ProcessEnv): string {
  return env['DBUS_SYSTEM_BUS_ADDRESS'] || 'unix:path=/var/run/dbus/system_bus_socket'
}

/** Turns whatever the package reports (an Error, or a reply's `{ name, message }`) into an Error. */
function toError(error: unknown): Error {
  if (error instanceof Error) return error
  if (error && typeof error === 'object') {
    const { name, message } = error as { name?: unknown; message?: unknown }
    return new Error(`${typeof name === 'string' ? name : 'D-Bus error'}: ${typeof message === 'string' ? message : ''}`)
  }
  return new Error(String(error))
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout()
      reject(new Error(`D-Bus: no answer to ${what} within ${timeoutMs} ms`))
    }, timeoutMs)
    timer.unref()
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(toError(error))
      },
    )
  })
}

/**
 * Connects to the bus at `address` (EXTERNAL authentication: the kernel vouches for our uid) and resolves once the
 * handshake is done. Rejects when the address names no unix socket, the socket is missing or refuses us, or nothing
 * happens within `timeoutMs`, which also limits every later call. Errors after the connection was made (the bus
 * going away) make pending and later calls fail; they are never thrown.
 */
export async function connectDbus(address: string, timeoutMs: number): Promise<DbusClient> {
  const socket = socketForBusAddress(address)
  if (!socket) throw new Error('D-Bus: the address names no unix socket')
  const bus = native.createClient({ socket, authMethods: ['EXTERNAL'] })
  const connection = bus.connection
  let closed = false
  let failure: Error | null = null
  const close = (): void => {
    if (closed) return
    closed = true
    connection.stream.destroy()
  }
  const waiters = new Set<(error: Error) => void>()
  const fail = (error: Error): void => {
    failure ??= error
    for (const waiter of waiters) waiter(failure)
    waiters.clear()
  }
  // Always listening: an 'error' event without a listener would be thrown by Node and take main down.
  connection.on('error', (error) => fail(toError(error)))
  connection.on('end', () => fail(new Error('D-Bus: the bus closed the connection')))

  let connectWaiter: ((error: Error) => void) | null = null
  const connected = new Promise<void>((resolve, reject) => {
    connectWaiter = reject
    waiters.add(reject)
    connection.once('connect', () => resolve())
  })
  try {
    await withTimeout(connected, timeoutMs, 'the connection', close)
  } catch (error) {
    close()
    throw error
  } finally {
    if (connectWaiter) waiters.delete(connectWaiter)
  }

  const signalListeners: ((signal: DbusSignal) => void)[] = []
  connection.on('message', (message) => {
    if (closed || message.type !== SIGNAL) return
    const signal: DbusSignal = {
      sender: message.sender,
      path: message.path ?? '',
      interface: message.interface ?? '',
      member: message.member ?? '',
      body: message.body ?? [],
    }
    for (const listener of signalListeners) listener(signal)
  })

  const call = (request: DbusCall): Promise<unknown[]> => {
    if (closed) return Promise.reject(new Error('D-Bus: the connection is closed'))
    if (failure) return Promise.reject(failure)
    const message: NativeMessage = {
      type: METHOD_CALL,
      destination: request.destination,
      path: request.path,
      interface: request.interface,
      member: request.member,
      ...(request.signature ? { signature: request.signature, body: [...(request.body ?? [])] } : {}),
    }
    let waiter: ((error: Error) => void) | null = null
    const reply = new Promise<unknown[]>((resolve, reject) => {
      waiter = reject
      waiters.add(reject)
      bus.invoke(message, (error, ...body) => (error ? reject(toError(error)) : resolve(body)))
    })
    const forget = (): void => {
      if (waiter) waiters.delete(waiter)
      // The package keeps a reply callback per serial until a reply comes: drop ours when we stop waiting.
      if (message.serial !== undefined) delete bus.cookies[message.serial]
    }
    return withTimeout(reply, timeoutMs, `${request.interface}.${request.member}`, forget).finally(forget)
  }

  return {
    call,
    addMatch: async (rule) => {
      await call({
        destination: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member: 'AddMatch',
        signature: 's',
        body: [rule],
      })
    },
    onSignal: (listener) => {
      signalListeners.push(listener)
    },
    close,
  }
}
