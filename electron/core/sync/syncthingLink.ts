// Main process (core, Node only): the optional link to the user's own running Syncthing — its GUI address and API key,
// kept ENCRYPTED as the vault's one record of kind 'syncthing-link' — and the questions Custodia asks it over its REST
// API: is it running, how many devices are connected, is the folder holding the sync folder up to date. Custodia never
// ships, downloads or starts Syncthing; it only reads the state of one the office already runs (docs/SYNC.md).
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import type { SyncthingStateView } from '../../../shared/ipc/channels/syncChannels'
import type { Vault } from '../vault/vault'

export const SYNCTHING_LINK_KIND = 'syncthing-link'

export interface SyncthingLink {
  /** Origin only, e.g. http://127.0.0.1:8384. */
  readonly address: string
  readonly apiKey: string
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** How long one REST call may take before Syncthing counts as not answering. */
const REQUEST_TIMEOUT_MS = 4_000

/**
 * Checks the address the user typed and returns its origin. Only this computer's Syncthing is accepted: the API key
 * gives full control of Syncthing and travels in every request, so it must never cross a network.
 */
export function parseSyncthingAddress(input: string): string {
  const text = input.trim()
  let url: URL
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`)
  } catch {
    throw new CustodiaError('VALIDATION', 'The Syncthing address is not readable: it looks like http://127.0.0.1:8384.')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CustodiaError('VALIDATION', 'The Syncthing address must start with http:// or https://.')
  if (!LOOPBACK_HOSTS.has(url.hostname.toLowerCase()))
    throw new CustodiaError(
      'VALIDATION',
      'Only the Syncthing running on this computer can be used (127.0.0.1, localhost or [::1]): its API key gives full control of Syncthing and must not travel over a network.',
    )
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    throw new CustodiaError('VALIDATION', 'Give only the Syncthing address and port, for example http://127.0.0.1:8384.')
  return url.origin
}

function findLinkRecord(vault: Vault): string | null {
  return vault.listRecords({ kind: SYNCTHING_LINK_KIND })[0]?.id ?? null
}

export function readSyncthingLink(vault: Vault): SyncthingLink | null {
  const id = findLinkRecord(vault)
  if (id === null) return null
  const body = vault.getRecord<{ v?: number; address?: unknown; apiKey?: unknown }>(id).body
  if (body?.v !== 1 || typeof body.address !== 'string' || typeof body.apiKey !== 'string')
    throw new CustodiaError('CORRUPT', 'The saved Syncthing settings are unreadable: save them again.')
  return { address: body.address, apiKey: body.apiKey }
}

/** Saves (or replaces) the link. The key is only ever inside the encrypted record; the audit entry names no key. */
export function saveSyncthingLink(vault: Vault, input: { address: string; apiKey: string }): SyncthingLink {
  const address = parseSyncthingAddress(input.address)
  const apiKey = input.apiKey.trim()
  if (apiKey === '' || apiKey.length > 200 || !/^[\x21-\x7e]+$/.test(apiKey))
    throw new CustodiaError('VALIDATION', "The API key is not readable: copy it from Syncthing's Settings → General → API Key.")
  const content = { summary: {}, body: { v: 1, address, apiKey } }
  vault.transaction(() => {
    const id = findLinkRecord(vault)
    if (id === null) vault.createRecord(SYNCTHING_LINK_KIND, content)
    else vault.updateRecord(id, content)
    vault.audit.append('sync.syncthing_saved', { address })
  })
  return { address, apiKey }
}

export function deleteSyncthingLink(vault: Vault): void {
  const id = findLinkRecord(vault)
  if (id === null) return
  vault.transaction(() => {
    vault.deleteRecord(id)
    vault.audit.append('sync.syncthing_forgotten', {})
  })
}

type Answer = { ok: true; value: unknown } | { ok: false; problem: string }

const NOT_RUNNING =
  'Syncthing does not answer at this address. Start Syncthing on this computer (or check the address in its Settings → GUI).'
const WRONG_KEY = "Syncthing refused the API key. Copy it again from Syncthing's Settings → General → API Key and save it here."

async function ask(link: SyncthingLink, route: string, fetchImpl: typeof fetch): Promise<Answer> {
  let response: Response
  try {
    response = await fetchImpl(`${link.address}${route}`, {
      headers: { 'X-API-Key': link.apiKey },
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
  } catch {
    return { ok: false, problem: NOT_RUNNING }
  }
  if (response.status === 401 || response.status === 403) return { ok: false, problem: WRONG_KEY }
  if (!response.ok) return { ok: false, problem: `Syncthing answered with an error (${response.status}). Try again in a moment.` }
  try {
    return { ok: true, value: (await response.json()) as unknown }
  } catch {
    return { ok: false, problem: 'Syncthing gave an answer Custodia cannot read. Is this address really Syncthing?' }
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** The Syncthing folder whose path holds the sync folder (the innermost one when folders are nested). */
function findFolder(config: unknown, syncFolder: string): { id: string; label: string } | null {
  if (!Array.isArray(config)) return null
  let best: { id: string; label: string; depth: number } | null = null
  for (const entry of config as { id?: unknown; label?: unknown; path?: unknown; paused?: unknown }[]) {
    if (typeof entry?.id !== 'string' || typeof entry.path !== 'string') continue
    const folderPath = path.resolve(entry.path)
    if (!isInside(path.resolve(syncFolder), folderPath)) continue
    if (best === null || folderPath.length > best.depth)
      best = { id: entry.id, label: typeof entry.label === 'string' && entry.label ? entry.label : entry.id, depth: folderPath.length }
  }
  return best && { id: best.id, label: best.label }
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0)

/**
 * Asks the linked Syncthing about the sync folder. Never throws for Syncthing's sake: what went wrong is `problem`, in
 * words (not running, the key refused, the folder not shared). The key is sent only to the loopback address saved.
 */
export async function readSyncthingState(
  link: SyncthingLink,
  syncFolder: string | null,
  fetchImpl: typeof fetch = fetch,
): Promise<SyncthingStateView> {
  const down = (problem: string, running: boolean): SyncthingStateView => ({
    problem,
    running,
    devicesConnected: 0,
    devicesKnown: 0,
    folder: null,
  })
  const ping = await ask(link, '/rest/system/ping', fetchImpl)
  if (!ping.ok) return down(ping.problem, ping.problem !== NOT_RUNNING)
  const system = await ask(link, '/rest/system/status', fetchImpl)
  if (!system.ok) return down(system.problem, true)
  const connections = await ask(link, '/rest/system/connections', fetchImpl)
  if (!connections.ok) return down(connections.problem, true)
  // The list holds this computer's own device too (Syncthing 1.x): only the others count.
  const myId = (system.value as { myID?: unknown })?.myID
  const peers = Object.entries(((connections.value as { connections?: unknown })?.connections ?? {}) as Record<string, unknown>)
    .filter(([id]) => id !== myId)
    .map(([, peer]) => peer)
  const devicesKnown = peers.length
  const devicesConnected = peers.filter((p) => (p as { connected?: unknown })?.connected === true).length
  const base = { running: true, devicesConnected, devicesKnown }
  if (syncFolder === null) return { ...base, problem: 'Set up sync first: then Custodia can find its folder in Syncthing.', folder: null }
  const folders = await ask(link, '/rest/config/folders', fetchImpl)
  if (!folders.ok) return { ...base, problem: folders.problem, folder: null }
  const folder = findFolder(folders.value, syncFolder)
  if (folder === null)
    return {
      ...base,
      problem: `Syncthing does not share the sync folder (${syncFolder}). In Syncthing, add a folder with this path and share it with the other offices.`,
      folder: null,
    }
  const status = await ask(link, `/rest/db/status?folder=${encodeURIComponent(folder.id)}`, fetchImpl)
  if (!status.ok) return { ...base, problem: status.problem, folder: null }
  const s = (status.value ?? {}) as Record<string, unknown>
  // needTotalItems counts files, folders and deletions still to come (Syncthing ≥ 1.x); older ones only split them.
  const filesToGo =
    typeof s['needTotalItems'] === 'number'
      ? num(s['needTotalItems'])
      : num(s['needFiles']) + num(s['needDirectories']) + num(s['needDeletes'])
  return {
    ...base,
    problem: null,
    folder: { label: folder.label, filesToGo, state: typeof s['state'] === 'string' ? s['state'] : 'unknown' },
  }
}
