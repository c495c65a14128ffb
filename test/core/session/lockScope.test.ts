// Tests (core, Node): every way the vault locks (Lock button, Ctrl+L, idle, suspend, screen lock, quit) wipes all
// lock-scoped state through the real app services — no file under the vault or the temp folder holds a marker put
// into a document, a dossier, a letter preview, an opened bundle and the search index; every channel that needs the
// vault answers VAULT_LOCKED; a running export is aborted with its partial file gone before lock() returns.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { exportBundle } from '../../../electron/core/exchange/exportService'
import { describeOwnIdentity } from '../../../electron/core/exchange/identity'
import type { LockReason } from '../../../electron/core/session/vaultSession'
import { CHANNEL_NAMES, type ChannelName } from '../../../shared/ipc/contract'
import { callChannel, startTestServices, TEST_PASSPHRASE } from '../../helpers/appServices'
import { SAMPLE_REQUESTS } from '../../helpers/sampleRequests'

/** Channels that answer while locked: status, app facts, opening or creating a vault, and releasing state. */
const ALLOWED_WHILE_LOCKED: readonly ChannelName[] = [
  'app:getInfo',
  'app:openLogFolder',
  // The panic lock is the app's, not a vault's: its shortcut is set and copies are noted whether or not one is open.
  'app:getPanicLock',
  'app:setPanicLock',
  'app:markCopied',
  'vault:status',
  'vault:listRecent',
  'vault:chooseFolder',
  'vault:create',
  'vault:unlock',
  'vault:unlockWithRecoveryKey',
  'vault:lock',
  // The lock screen's warning before the last wrong try is read without the key (the sample's folder cannot exist).
  'vault:getUnlockGuard',
  // Joining is a way in, like unlocking: the sample's folder cannot exist.
  'members:join',
  // Joining a team through sync makes a new vault: the sample's token names no chosen file, and its folders cannot exist.
  'sync:openInvitation',
  'sync:join',
  // Cancelling a job or closing a bundle only lets go of something; after a lock there is nothing left to let go of.
  'bundles:cancel',
  'bundles:close',
  // Backups are read and restored into a new folder with the backup's passphrase alone: no open vault is involved.
  'backups:chooseFolder',
  'backups:verify',
  'backups:restore',
]

/** How main locks for each reason: the Lock button goes through IPC, the rest call the session as main does. */
const LOCKS: { name: string; reason: LockReason; lock: (services: AppServices) => Promise<void> }[] = [
  { name: 'the Lock button', reason: 'user', lock: async (s) => void (await callChannel(s, 'vault:lock', {})) },
  { name: 'Ctrl+L', reason: 'shortcut', lock: async (s) => s.session.lock('shortcut') },
  { name: 'idle', reason: 'idle', lock: async (s) => s.session.lock('idle') },
  { name: 'suspend', reason: 'suspend', lock: async (s) => s.session.lock('suspend') },
  { name: 'screen lock', reason: 'screen-lock', lock: async (s) => s.session.lock('screen-lock') },
  // before-quit and window-all-closed in electron/main/index.ts.
  { name: 'quit', reason: 'user', lock: async (s) => s.session.lock('user') },
]

let root: string
let vaultDir: string
let services: AppServices
let tempBefore: Set<string>
const locked: LockReason[] = []
const internalErrors: { channel: string; error: unknown }[] = []
const dialogs = { bundleToOpen: null as string | null, exportTo: null as string | null }
let onProgress: (() => void) | null = null

beforeAll(async () => {
  tempBefore = new Set(fs.readdirSync(os.tmpdir()))
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-lockscope-'))
  vaultDir = path.join(root, 'vault')
  services = await startTestServices(
    root,
    {
      chooseFiles: async (purpose) => (purpose === 'bundle' && dialogs.bundleToOpen ? [dialogs.bundleToOpen] : []),
      chooseBundleSaveLocation: async () => dialogs.exportTo,
      // As in the app, where PDF export is always available (its handlers check for it before the vault).
      renderPdf: async () => {
        throw new Error('no PDF is printed in these tests')
      },
      emitEvent: (name) => {
        if (name === 'bundles:progress') onProgress?.()
      },
    },
    {
      // The reason the renderer is told, as main sends it.
      onLocked: (reason) => locked.push(reason),
      onInternalError: (channel, error) => internalErrors.push({ channel, error }),
    },
  )
})

afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

async function unlockAgain(): Promise<void> {
  if (!services.session.isUnlocked()) await services.session.unlock(vaultDir, TEST_PASSPHRASE)
}

/** Every file under `dir` whose bytes contain one of `needles` (files that vanish while walking are skipped). */
function filesContaining(dir: string, needles: readonly Buffer[]): string[] {
  const found: string[] = []
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return found
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...filesContaining(full, needles))
    else if (entry.isFile()) {
      let bytes: Buffer
      try {
        bytes = fs.readFileSync(full)
      } catch {
        continue
      }
      if (needles.some((n) => bytes.includes(n))) found.push(full)
    }
  }
  return found
}

/** The vault's tree, our test folder, and whatever else appeared in the OS temp folder since the tests began. */
function leftovers(marker: string): string[] {
  // The search index stores folded (lower-case) words: look for those too.
  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker.toLowerCase(), 'utf8')]
  const created = fs.readdirSync(os.tmpdir()).filter((name) => !tempBefore.has(name))
  const roots = new Set([vaultDir, root, ...created.map((name) => path.join(os.tmpdir(), name))])
  return [...new Set([...roots].flatMap((dir) => filesContaining(dir, needles)))]
}

/** Puts `marker` into a document (and its attachment), a public dossier, a letter preview and the search index. */
async function spreadMarker(marker: string): Promise<{ documentId: string; dossierId: string; previewUrl: string }> {
  const { id: documentId } = await callChannel<{ id: string }>(services, 'library:create', {
    document: { kind: 'note', title: `Note ${marker}`, date: null, text: `The body names ${marker} twice: ${marker}.` },
  })
  await services.session.requireVault().addAttachmentFromStream(documentId, Readable.from([Buffer.from(`attachment of ${marker}`)]), {
    filename: 'notes.txt',
    mediaType: 'text/plain',
  })
  const { id: dossierId } = await callChannel<{ id: string }>(services, 'dossiers:create', {
    dossier: { names: { original: `Person ${marker}` }, category: 'political-prisoner', consent: 'public' },
  })
  const { url: previewUrl } = await callChannel<{ url: string }>(services, 'letters:preview', {
    templateId: 'head-of-government-letter',
    data: { subject: `Appeal ${marker}` },
  })
  expect(services.letterPreviews.getPreview(previewUrl)).toContain(marker)
  const { hits } = await callChannel<{ hits: { id: string }[] }>(services, 'search:query', { query: marker })
  expect(hits.map((h) => h.id)).toEqual(expect.arrayContaining([documentId, dossierId]))
  return { documentId, dossierId, previewUrl }
}

/** Exports the records to this vault's own key, then opens the bundle for import: its files land in tmp/ decrypted. */
async function openBundleWith(recordIds: string[], name: string): Promise<string> {
  const vault = services.session.requireVault()
  const bundlePath = path.join(root, `${name}.custodia`)
  await exportBundle(vault, { selection: { recordIds }, ageRecipients: [describeOwnIdentity(vault).recipient] }, { outPath: bundlePath })
  dialogs.bundleToOpen = bundlePath
  const opened = await callChannel<{ opened: boolean; token: string; preview: { items: unknown[] } }>(services, 'bundles:open', {
    keys: { kind: 'own' },
  })
  expect(opened).toMatchObject({ opened: true })
  expect(opened.preview.items).toHaveLength(2)
  return opened.token
}

describe('locking wipes everything lock-scoped', () => {
  LOCKS.forEach(({ name, reason, lock }, index) => {
    it(`on ${name}`, async () => {
      await unlockAgain()
      const marker = `Lockmark${crypto.randomBytes(8).toString('hex')}`
      const { documentId, dossierId, previewUrl } = await spreadMarker(marker)
      const token = await openBundleWith([documentId, dossierId], `bundle-${index}`)
      // The walk sees plaintext where there is some: the opened bundle's decrypted files in tmp/.
      expect(leftovers(marker).some((file) => file.startsWith(path.join(vaultDir, 'tmp')))).toBe(true)

      locked.length = 0
      await lock(services)
      expect(locked).toEqual([reason])

      expect(leftovers(marker)).toEqual([])
      expect(fs.readdirSync(path.join(vaultDir, 'tmp'))).toEqual([])
      expect(services.letterPreviews.getPreview(previewUrl)).toBeNull()
      expect(services.letterPreviews.size).toBe(0)
      expect(await services.dispatch('bundles:import', { token, ids: [documentId] })).toMatchObject({
        ok: false,
        error: { code: 'VAULT_LOCKED' },
      })
    })
  })

  it('leaves the marker findable after the next unlock: the index was saved before the keys went', async () => {
    await unlockAgain()
    const marker = `Lockmark${crypto.randomBytes(8).toString('hex')}`
    const { documentId } = await spreadMarker(marker)
    services.session.lock('idle')
    await unlockAgain()
    const { hits } = await callChannel<{ hits: { id: string }[] }>(services, 'search:query', { query: marker })
    expect(hits.map((h) => h.id)).toContain(documentId)
  })
})

describe('while locked', () => {
  it('every channel that needs the vault answers VAULT_LOCKED; only the listed ones answer otherwise', async () => {
    await unlockAgain()
    services.session.lock('user')
    const answered: ChannelName[] = []
    for (const channel of CHANNEL_NAMES) {
      const result = await services.dispatch(channel, SAMPLE_REQUESTS[channel])
      if (result.ok || result.error.code !== 'VAULT_LOCKED') answered.push(channel)
    }
    expect(answered.sort().join('\n')).toEqual([...ALLOWED_WHILE_LOCKED].sort().join('\n'))
    // The samples name a folder that cannot exist: creating or opening a vault there fails for that reason alone.
    expect(await services.dispatch('vault:create', SAMPLE_REQUESTS['vault:create'])).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    })
    expect(await services.dispatch('vault:unlock', SAMPLE_REQUESTS['vault:unlock'])).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_VAULT' },
    })
    expect(await callChannel(services, 'vault:status', {})).toMatchObject({ state: 'locked' })
  })
})

describe('a running export', () => {
  it('is aborted by a lock, and its partial file is gone when lock() returns', async () => {
    await unlockAgain()
    const { id } = await callChannel<{ id: string }>(services, 'library:create', {
      document: { kind: 'note', title: 'Large', date: null, text: 'Large attachment' },
    })
    // Several MiB, so the export reports progress while it is still writing.
    await services.session.requireVault().addAttachmentFromStream(id, Readable.from([crypto.randomBytes(8 * 1024 * 1024)]), {
      filename: 'large.bin',
      mediaType: 'application/octet-stream',
    })
    dialogs.exportTo = path.join(root, 'export-aborted.custodia')
    const partial = `${dialogs.exportTo}.partial`
    const seen: { before: boolean; after: boolean }[] = []
    onProgress = () => {
      if (seen.length > 0) return
      // Inside the writer's progress callback: the job is certainly mid-way.
      const before = fs.existsSync(partial)
      services.session.lock('suspend')
      seen.push({ before, after: fs.existsSync(partial) })
    }
    try {
      const result = await services.dispatch('bundles:export', {
        jobId: crypto.randomBytes(16).toString('hex'),
        selection: { recordIds: [id] },
        passphrase: 'a long enough bundle passphrase',
      })
      expect(result).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } })
    } finally {
      onProgress = null
    }
    expect(seen).toEqual([{ before: true, after: false }])
    expect(fs.existsSync(partial)).toBe(false)
    expect(fs.existsSync(dialogs.exportTo)).toBe(false)
  })
})

describe('the lock scope', () => {
  it('runs every disposer and wipes the keys even when one disposer throws, and reports the failure', async () => {
    await unlockAgain()
    const vault = services.session.requireVault()
    const ran: string[] = []
    services.session.holdUntilLock(() => ran.push('first held'))
    services.session.holdUntilLock(() => {
      throw new Error('disposer failed')
    })
    services.session.holdUntilLock(() => ran.push('last held'))
    const unhook = services.session.onLock(() => ran.push('hook'))
    internalErrors.length = 0
    services.session.lock('idle')
    unhook()
    expect(ran).toEqual(['last held', 'first held', 'hook'])
    expect(internalErrors).toEqual([{ channel: 'lock cleanup', error: new Error('disposer failed') }])
    expect(vault.locked).toBe(true)
    for (const key of vault.__keyBuffersForTest()) expect(key.every((b) => b === 0)).toBe(true)
  })

  it('releases a resource that went away before the lock, and disposes at once what arrives after it', async () => {
    await unlockAgain()
    const ran: string[] = []
    const release = services.session.holdUntilLock(() => ran.push('released'))
    release()
    services.session.lock('shortcut')
    expect(ran).toEqual([])
    expect(() => services.session.holdUntilLock(() => ran.push('late'))).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    expect(ran).toEqual(['late'])
  })
})
