// Test helper (Node): private `syncthing serve` instances for the sync tests (RECIPE.md, "Syncthing for sync tests"):
// own home under a temp folder, GUI/REST and sync listener on 127.0.0.1 ports, global and local discovery, relays,
// NAT traversal, usage and crash reporting and upgrades off; configured only through its REST API (X-API-Key).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'

export interface SyncthingInstance {
  readonly home: string
  readonly deviceId: string
  readonly apiPort: number
  readonly listenPort: number
  readonly apiKey: string
  readonly process: ChildProcess
  /** REST call; throws with the status and body on anything but 2xx. */
  rest(method: 'GET' | 'POST' | 'PUT' | 'PATCH', route: string, body?: unknown): Promise<unknown>
}

/** A port the OS says is free now (127.0.0.1). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

function setTag(xml: string, tag: string, value: string): string {
  const pattern = new RegExp(`<${tag}>[^<]*</${tag}>`)
  if (!pattern.test(xml)) throw new Error(`config.xml has no <${tag}>`)
  return xml.replace(pattern, `<${tag}>${value}</${tag}>`)
}

/** Waits until `check` returns a value other than undefined/false, polling every 100 ms; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown = null
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Generates a home in `home`, makes it private and local-only, starts `syncthing serve` and waits for its REST API. */
export async function startSyncthing(home: string): Promise<SyncthingInstance> {
  fs.mkdirSync(home, { recursive: true })
  // HOME points into the temp folder too, so nothing (e.g. the default ~/Sync folder) lands in the real home.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, STNOUPGRADE: '1' }
  const generated = spawnSync('syncthing', ['generate', `--home=${home}`], { env, encoding: 'utf8', timeout: 30_000 })
  if (generated.status !== 0) throw new Error(`syncthing generate failed: ${generated.stderr}`)
  const apiPort = await findFreePort()
  const listenPort = await findFreePort()
  let xml = fs.readFileSync(path.join(home, 'config.xml'), 'utf8')
  // Drop the default folder (the first top-level <folder>; the one inside <defaults> is a template and stays).
  xml = xml.replace(/\n {4}<folder id="default"[\s\S]*?\n {4}<\/folder>/, '')
  xml = xml.replace(/(<gui [^>]*>\s*<address>)[^<]*(<\/address>)/, `$1127.0.0.1:${apiPort}$2`)
  xml = setTag(xml, 'listenAddress', `tcp://127.0.0.1:${listenPort}`)
  for (const tag of [
    'globalAnnounceEnabled',
    'localAnnounceEnabled',
    'relaysEnabled',
    'natEnabled',
    'startBrowser',
    'crashReportingEnabled',
  ])
    xml = setTag(xml, tag, 'false')
  xml = setTag(xml, 'urAccepted', '-1')
  // Redial a paused-then-resumed or lost peer within a second rather than a minute.
  xml = setTag(xml, 'reconnectionIntervalS', '1')
  xml = setTag(xml, 'autoUpgradeIntervalH', '0')
  fs.writeFileSync(path.join(home, 'config.xml'), xml)
  const apiKey = /<apikey>([^<]+)<\/apikey>/.exec(xml)![1]!
  const deviceId = /<device id="([A-Z0-9-]+)"/.exec(xml)![1]!
  const child = spawn('syncthing', ['serve', `--home=${home}`, '--no-browser', '--no-restart', `--logfile=${path.join(home, 'log')}`], {
    env,
    stdio: 'ignore',
  })
  const rest = async (method: string, route: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`http://127.0.0.1:${apiPort}${route}`, {
      method,
      headers: { 'X-API-Key': apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`)
    return text ? (JSON.parse(text) as unknown) : null
  }
  const instance: SyncthingInstance = { home, deviceId, apiPort, listenPort, apiKey, process: child, rest }
  try {
    await waitFor(
      `syncthing in ${home} to answer`,
      async () => ((await rest('GET', '/rest/system/ping')) as { ping?: string }).ping === 'pong',
      45_000,
    )
  } catch (error) {
    await stopSyncthing(instance)
    throw error
  }
  return instance
}

/** Stops an instance: SIGTERM, then SIGKILL if it is still there after 5 s. Never throws. */
export async function stopSyncthing(instance: SyncthingInstance | undefined): Promise<void> {
  const child = instance?.process
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

/** Pairs two instances and shares `folderId` between `pathA` on `a` and `pathB` on `b` (send and receive). */
export async function shareFolder(
  a: SyncthingInstance,
  pathA: string,
  b: SyncthingInstance,
  pathB: string,
  folderId: string,
): Promise<void> {
  for (const [self, other] of [
    [a, b],
    [b, a],
  ] as const) {
    await self.rest('POST', '/rest/config/devices', {
      deviceID: other.deviceId,
      name: other.deviceId.slice(0, 7),
      addresses: [`tcp://127.0.0.1:${other.listenPort}`],
    })
  }
  for (const [self, other, folder] of [
    [a, b, pathA],
    [b, a, pathB],
  ] as const) {
    await self.rest('POST', '/rest/config/folders', {
      id: folderId,
      label: folderId,
      path: folder,
      type: 'sendreceive',
      rescanIntervalS: 3600,
      fsWatcherEnabled: true,
      fsWatcherDelayS: 1,
      devices: [{ deviceID: self.deviceId }, { deviceID: other.deviceId }],
    })
  }
}

/** Waits until `a` reports `b` connected (after shareFolder; the engines dial each other within seconds). */
export async function waitForConnection(a: SyncthingInstance, b: SyncthingInstance, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    'the two engines to connect',
    async () => {
      const connections = (await a.rest('GET', '/rest/system/connections')) as { connections: Record<string, { connected: boolean }> }
      return connections.connections[b.deviceId]?.connected === true
    },
    timeoutMs,
  )
}

/** Asks an engine to scan a folder now (the tests and the bench do not wait for its watcher's delay). */
export async function scanFolder(instance: SyncthingInstance, folderId: string): Promise<void> {
  await instance.rest('POST', `/rest/db/scan?folder=${encodeURIComponent(folderId)}`)
}
