// Test helpers (Node): a private D-Bus daemon on a unix socket in a temp folder (the reference dbus-daemon from
// Debian's dbus-daemon package, which CI installs in .ci/run), and fake desktop services on it built with the same
// package the product uses, so tests talk real D-Bus without touching this machine's buses.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as dbusNative from '@homebridge/dbus-native'

export interface PrivateBus {
  /** The bus address as the daemon prints it, e.g. "unix:path=/tmp/x/session,guid=…". */
  address: string
  /** What to connect to: the socket file, or "\0" + the name of an abstract socket. */
  socketPath: string
  stop(): Promise<void>
}

const MISSING_DAEMON =
  'dbus-daemon is not installed, so the D-Bus tests cannot run: apt-get install -y dbus-daemon (CI installs it in .ci/run)'

/**
 * Starts `dbus-daemon` listening on the socket file `<dir>/<name>` (or, with `abstract`, on a Linux abstract socket
 * named after that path) with a permissive policy (anyone may own any name and send anything), and resolves once it
 * accepts connections. Fails, never skips, when dbus-daemon is missing.
 */
export async function startPrivateBus(dir: string, name: string, options: { abstract?: boolean } = {}): Promise<PrivateBus> {
  const socketFile = join(dir, name)
  const socketPath = options.abstract ? `\u0000${socketFile}` : socketFile
  const configPath = join(dir, `${name}.conf`)
  writeFileSync(
    configPath,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:${options.abstract ? 'abstract' : 'path'}=${socketFile}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  )
  const daemon: ChildProcess = spawn('dbus-daemon', [`--config-file=${configPath}`, '--nofork', '--nopidfile', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const address = await new Promise<string>((resolve, reject) => {
    let out = ''
    let err = ''
    daemon.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code === 'ENOENT' ? MISSING_DAEMON : error.message)))
    daemon.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
    daemon.on('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${err}`)))
    daemon.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n')[0]
      if (out.includes('\n') && line) resolve(line.trim())
    })
  })
  return {
    address,
    socketPath,
    stop: () =>
      new Promise<void>((resolve) => {
        if (daemon.exitCode !== null || daemon.signalCode !== null) return resolve()
        daemon.once('exit', () => resolve())
        daemon.kill('SIGTERM')
      }),
  }
}

/** The package's bus object, as far as the fake services use it (its typings declare little). */
interface FakeBus {
  /** Our unique name (":1.7"), known once the bus answered Hello. */
  name?: string
  connection: { on(event: string, listener: (...args: unknown[]) => void): void; stream: { destroy(): void } }
  invoke(
    message: { destination: string; path: string; interface: string; member: string },
    callback: (error: unknown, ...body: unknown[]) => void,
  ): void
  requestName(name: string, flags: number, callback: (error: unknown, reply: number) => void): void
  sendSignal(path: string, iface: string, name: string, signature: string, body: unknown[]): void
  exportInterface(
    object: Record<string, (...args: never[]) => unknown>,
    path: string,
    iface: { name: string; methods: Record<string, [string, string]>; signals: Record<string, string[]> },
  ): void
}
const native = dbusNative as unknown as { createClient(options: { socket: string; authMethods: string[] }): FakeBus }

/** A service connection on a private bus that owns `names`. */
export interface FakeService {
  bus: FakeBus
  close(): void
}

/** Connects to `bus` and owns each of `names` (resolves once the bus made us their primary owner). */
export async function startFakeService(bus: PrivateBus, names: readonly string[]): Promise<FakeService> {
  const client = native.createClient({ socket: bus.socketPath, authMethods: ['EXTERNAL'] })
  let failed: (error: Error) => void = () => undefined
  client.connection.on('error', (error) => failed(error instanceof Error ? error : new Error(String(error))))
  for (const name of names) {
    const reply = await new Promise<number>((resolve, reject) => {
      failed = reject
      client.requestName(name, 4 /* DO_NOT_QUEUE */, (error, result) => (error ? reject(new Error(String(error))) : resolve(result)))
    })
    if (reply !== 1 /* PRIMARY_OWNER */) throw new Error(`could not own ${name}: reply ${reply}`)
  }
  failed = () => undefined
  return { bus: client, close: () => client.connection.stream.destroy() }
}

/**
 * Resolves once every other connection on the bus has handled every message `service` sent before this call: it
 * pings each of them, and a connection answers a ping only after the messages queued before it (D-Bus keeps the
 * order between two connections). So a test can say "this signal did not lock" without sleeping.
 */
export async function flushSignals(service: FakeService): Promise<void> {
  const invoke = (message: { destination: string; path: string; interface: string; member: string }) =>
    new Promise<unknown[]>((resolve, reject) =>
      service.bus.invoke(message, (error, ...body) => (error ? reject(new Error(JSON.stringify(error))) : resolve(body))),
    )
  const [names] = (await invoke({
    destination: 'org.freedesktop.DBus',
    path: '/org/freedesktop/DBus',
    interface: 'org.freedesktop.DBus',
    member: 'ListNames',
  })) as [string[]]
  const others = names.filter((name) => name.startsWith(':') && name !== service.bus.name)
  // A connection that closed meanwhile cannot answer: that is fine, it handles nothing any more.
  await Promise.all(
    others.map((name) =>
      invoke({ destination: name, path: '/', interface: 'org.freedesktop.DBus.Peer', member: 'Ping' }).catch(() => undefined),
    ),
  )
}

/**
 * A desktop screensaver on `bus` owning `names`, each serving its interface at `pathOf(name)` (default: the name as a
 * path, /org/gnome/ScreenSaver). It declares the ActiveChanged(b) signal in its introspection unless
 * `announcesLocks` is false: then it is an inhibit-only stand-in (Inhibit/UnInhibit), like GNOME's screensaver proxy.
 * `emit` sends ActiveChanged on one of the interfaces.
 */
export async function startFakeScreensaver(
  bus: PrivateBus,
  names: readonly string[],
  options: { announcesLocks?: boolean; pathOf?: (name: string) => string } = {},
): Promise<FakeService & { emit(iface: string, active: boolean): void }> {
  const pathOf = options.pathOf ?? ((name: string) => `/${name.replaceAll('.', '/')}`)
  const announces = options.announcesLocks ?? true
  const service = await startFakeService(bus, names)
  for (const name of names) {
    service.bus.exportInterface(
      announces ? { GetActive: () => false, Lock: () => undefined } : { Inhibit: () => 1, UnInhibit: () => undefined },
      pathOf(name),
      announces
        ? { name, methods: { GetActive: ['', 'b'], Lock: ['', ''] }, signals: { ActiveChanged: ['b', 'new_value'] } }
        : { name, methods: { Inhibit: ['ss', 'u'], UnInhibit: ['u', ''] }, signals: {} },
    )
  }
  return {
    ...service,
    emit: (iface, active) => service.bus.sendSignal(pathOf(iface), iface, 'ActiveChanged', 'b', [active]),
  }
}
