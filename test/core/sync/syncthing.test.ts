// Core integration (Node + the real engine): two `syncthing serve` instances on 127.0.0.1 (Debian's syncthing,
// installed by .ci/run), each beside a Custodia replica whose sync folder it shares. A document created on A appears
// on B, and so does an attachment of about 1 MiB (as sealed chunk files); the same document edited on both while the
// devices are paused keeps both revisions and shows one conflict on both; one dossier edited in different fields merges with no conflict; a shred on A removes the dossier on B; a
// removed member's later change-sets are refused; Syncthing never makes a `sync-conflict` copy, since each path has
// only one writer, and the replicas' state digests stay equal. A third, untrusted
// instance (an office server) holds the folder in receive-encrypted mode and never sees a name, a title or a key.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateDocument } from '../../../electron/core/library/documentService'
import { createDossier, getDossier, updateDossier } from '../../../electron/core/dossiers/dossierService'
import {
  computeSyncDigest,
  readSyncStatus,
  removeSyncMember,
  runSync,
  runSyncAndShred,
  type SyncContext,
} from '../../../electron/core/sync/syncEngine'
import { SYNC_ROOT_DIR } from '../../../electron/core/sync/syncFormat'
import { readTeam } from '../../../electron/core/sync/syncState'
import {
  scanFolder,
  shareFolder,
  startSyncthing,
  stopSyncthing,
  waitFor,
  waitForConnection,
  type SyncthingInstance,
} from '../../helpers/syncthing'
import {
  addLetter,
  attachBytes,
  attachmentBytes,
  documentsOf,
  type letter,
  makeFirstReplica,
  makeJoinedReplica,
} from '../../helpers/syncReplicas'
import { createTempDir, listFilesRecursive } from '../../helpers/vaultTestUtils'

const FOLDER_ID = 'custodia-team'

let work: string
let stA: SyncthingInstance | undefined
let stB: SyncthingInstance | undefined
let stC: SyncthingInstance | undefined
let folderA: string
let folderB: string
let a: SyncContext
let b: SyncContext
let c: SyncContext | undefined
let dossierId: string
const MEDICAL = 'Needs insulin twice daily'
const SCAN_MARKER = 'Scanned statement of the witness'

/** Relative path → bytes of every Custodia file in a sync folder. */
function custodiaFiles(folder: string): Map<string, Buffer> {
  const root = path.join(folder, SYNC_ROOT_DIR)
  if (!fs.existsSync(root)) return new Map()
  return new Map(listFilesRecursive(root).map((file) => [path.relative(folder, file), fs.readFileSync(file)]))
}

/** What each engine says of its peer and the end of its log: printed when a delivery times out. */
async function describeEngines(): Promise<string> {
  const parts: string[] = []
  for (const [name, self, other] of [
    ['A', stA!, stB!],
    ['B', stB!, stA!],
  ] as const) {
    const connections = (await self.rest('GET', '/rest/system/connections').catch(String)) as {
      connections?: Record<string, unknown>
    }
    const log = fs.readFileSync(path.join(self.home, 'log'), 'utf8').slice(-2000)
    parts.push(`${name} sees its peer: ${JSON.stringify(connections.connections?.[other.deviceId] ?? connections)}\n${log}`)
  }
  return parts.join('\n')
}

/**
 * Waits until both folders hold the same Custodia files (the engines are asked to scan). A loaded machine has made
 * Syncthing take over 45 s to redial a resumed peer, so the wait is long, and a timeout prints what the engines saw.
 */
async function waitForDelivery(): Promise<void> {
  let lastScan = 0
  await waitFor(
    'both sync folders to hold the same change-sets',
    async () => {
      // Ask both engines to scan now, and again every few seconds in case a change was noticed before it was whole.
      if (Date.now() - lastScan > 5_000) {
        lastScan = Date.now()
        await scanFolder(stA!, FOLDER_ID)
        await scanFolder(stB!, FOLDER_ID)
      }
      const left = custodiaFiles(folderA)
      const right = custodiaFiles(folderB)
      if (left.size !== right.size) return false
      for (const [rel, bytes] of left) if (!right.get(rel)?.equals(bytes)) return false
      return true
    },
    100_000,
  ).catch(async (error: unknown) => {
    console.info(await describeEngines())
    throw error
  })
}

async function pauseBoth(): Promise<void> {
  await stA!.rest('POST', `/rest/system/pause?device=${stB!.deviceId}`)
  await stB!.rest('POST', `/rest/system/pause?device=${stA!.deviceId}`)
}

// Both at once: a device resumed on one side only is refused by the other, which delays the next dial.
async function resumeBoth(): Promise<void> {
  await Promise.all([
    stA!.rest('POST', `/rest/system/resume?device=${stB!.deviceId}`),
    stB!.rest('POST', `/rest/system/resume?device=${stA!.deviceId}`),
  ])
}

function syncConflictFiles(): string[] {
  return [folderA, folderB].flatMap((folder) => listFilesRecursive(folder).filter((file) => file.includes('sync-conflict')))
}

beforeAll(async () => {
  work = createTempDir()
  folderA = path.join(work, 'oslo-sync')
  folderB = path.join(work, 'kyiv-sync')
  for (const folder of [folderA, folderB]) fs.mkdirSync(path.join(folder, '.stfolder'), { recursive: true })
  // One after the other, so that afterAll can stop whichever started even if the other did not.
  stA = await startSyncthing(path.join(work, 'st-oslo'))
  stB = await startSyncthing(path.join(work, 'st-kyiv'))
  await shareFolder(stA, folderA, stB, folderB, FOLDER_ID)
  await waitForConnection(stA, stB)
  a = await makeFirstReplica(work, 'Anna', folderA)
  // The invitation travels by hand (a file and a code); the new replica reads the team from its own engine's folder.
  b = await makeJoinedReplica(work, a, 'Bohdan', folderB, 'admin')
}, 90_000)

afterAll(async () => {
  await Promise.all([stopSyncthing(stA), stopSyncthing(stB), stopSyncthing(stC)])
  for (const ctx of [a, b, c]) if (ctx && !ctx.vault.locked) ctx.vault.lock()
  fs.rmSync(work, { recursive: true, force: true })
})

describe('sync over two real Syncthing instances', () => {
  it('carries a document created on A to B', async () => {
    const id = addLetter(a, 'Appeal for the release of political prisoners', 'Dear Minister, …')
    runSync(a)
    await waitForDelivery()
    const result = runSync(b)
    expect(result).toMatchObject({ refused: [], waiting: 0, conflicts: 0 })
    expect(result.applied).toBeGreaterThanOrEqual(2)
    expect(b.vault.getRecord<{ title: string }>(id).body.title).toBe('Appeal for the release of political prisoners')
    expect(documentsOf(b)).toEqual(documentsOf(a))
    expect(syncConflictFiles()).toEqual([])
  }, 150_000)

  it('carries an attachment of about 1 MiB from A to B, byte for byte, in sealed chunk files', async () => {
    const id = Object.keys(documentsOf(a))[0]!
    const scan = Buffer.concat([Buffer.from(SCAN_MARKER.repeat(20)), crypto.randomBytes(1024 * 1024)])
    const attachmentId = await attachBytes(a, id, scan, 'witness-statement.pdf')
    expect((await runSyncAndShred(a)).written).toBe(1)
    await waitForDelivery()
    expect(await runSyncAndShred(b)).toMatchObject({ applied: 1, refused: [], waiting: 0, waitingForFiles: 0 })
    expect(b.vault.listAttachments(id).map((f) => [f.id, f.filename])).toEqual([[attachmentId, 'witness-statement.pdf']])
    expect((await attachmentBytes(b, attachmentId)).equals(scan)).toBe(true)
    expect(syncConflictFiles()).toEqual([])
  }, 150_000)

  it('keeps both revisions of one document edited on A and B during a pause, with one conflict on both', async () => {
    const id = Object.keys(documentsOf(a))[0]!
    await pauseBoth()
    const base = a.vault.getRecord<ReturnType<typeof letter>>(id).body
    updateDocument(a.vault, id, { ...base, text: 'Oslo wording' })
    updateDocument(b.vault, id, { ...base, text: 'Kyiv wording' })
    runSync(a)
    runSync(b)
    await resumeBoth()
    await waitForDelivery()
    runSync(a)
    runSync(b)
    for (const side of [a, b]) {
      const texts = side.vault.listRevisions(id).map((r) => side.vault.getRecord<{ text: string }>(id, r.revision).body.text)
      expect(texts).toEqual(expect.arrayContaining(['Oslo wording', 'Kyiv wording']))
      expect(readSyncStatus(side).conflicts).toEqual([id])
    }
    expect(documentsOf(a)).toEqual(documentsOf(b))
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))
    expect(syncConflictFiles()).toEqual([])
  }, 150_000)

  it('merges one dossier edited in different fields on A and B during a pause, with no conflict', async () => {
    dossierId = createDossier(a.vault, {
      names: { original: 'Ivan Petrenko' },
      category: 'political-prisoner',
      homeRegion: 'Kherson oblast',
      vulnerability: { medicalNote: MEDICAL },
    }).id
    runSync(a)
    await waitForDelivery()
    runSync(b)
    const conflictsBefore = readSyncStatus(a).conflicts
    await pauseBoth()
    const base = getDossier(a.vault, dossierId).dossier
    updateDossier(a.vault, dossierId, { ...base, homeRegion: 'Zaporizhzhia oblast' })
    updateDossier(b.vault, dossierId, { ...getDossier(b.vault, dossierId).dossier, gender: 'male' })
    runSync(a)
    runSync(b)
    await resumeBoth()
    await waitForDelivery()
    runSync(a)
    runSync(b)
    for (const side of [a, b]) {
      const merged = getDossier(side.vault, dossierId).dossier
      expect(merged).toMatchObject({ homeRegion: 'Zaporizhzhia oblast', gender: 'male' })
      expect(merged.vulnerability.medicalNote).toBe(MEDICAL)
      expect(readSyncStatus(side).conflicts).toEqual(conflictsBefore)
    }
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))
    expect(syncConflictFiles()).toEqual([])
  }, 150_000)

  it('removes on B a dossier shredded on A, through B’s own shred path', async () => {
    await a.vault.shred([dossierId])
    await runSyncAndShred(a)
    await waitForDelivery()
    await runSyncAndShred(b)
    expect(b.vault.hasRecord(dossierId)).toBe(false)
    expect(b.vault.audit.list().some((e) => e.type === 'record.shredded' && e.details['recordId'] === dossierId)).toBe(true)
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))
    expect(syncConflictFiles()).toEqual([])
  }, 150_000)

  it("refuses a removed member's later change-sets on B, and applies the rest", async () => {
    // Chen's replica shares Oslo's sync folder (two copies on one computer): it writes only in its own device folder.
    c = await makeJoinedReplica(work, a, 'Chen', folderA, 'secretariat')
    runSync(a)
    removeSyncMember(a, 'Chen')
    const fromChen = addLetter(c, 'Written after Chen was removed', 'text')
    runSync(c)
    const fromAnna = addLetter(a, 'Still for the team', 'text')
    // Anna's copy reads Chen's files straight from the folder they share.
    expect(runSync(a).refused.map((r) => r.member)).toEqual(['Chen'])
    await waitForDelivery()
    const result = runSync(b)
    expect(result.refused.map((r) => [r.member, r.seq])).toEqual([['Chen', 1]])
    expect(result.refused[0]!.reason).toMatch(/after Chen's device was removed/)
    expect(b.vault.hasRecord(fromChen)).toBe(false)
    expect(b.vault.hasRecord(fromAnna)).toBe(true)
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))
    expect(syncConflictFiles()).toEqual([])
  }, 150_000)

  it('lets an untrusted office server hold the folder in receive-encrypted mode without a name, a title or a key', async () => {
    stC = await startSyncthing(path.join(work, 'st-server'))
    const folderC = path.join(work, 'server-sync')
    fs.mkdirSync(folderC)
    for (const [self, other] of [
      [stA!, stC],
      [stC, stA!],
    ] as const)
      await self.rest('POST', '/rest/config/devices', {
        deviceID: other.deviceId,
        name: other.deviceId.slice(0, 7),
        addresses: [`tcp://127.0.0.1:${other.listenPort}`],
      })
    // Oslo shares with the server under a folder password only Oslo and Kyiv know; the server stores ciphertext.
    const shared = (await stA!.rest('GET', `/rest/config/folders/${FOLDER_ID}`)) as {
      devices: { deviceID: string; encryptionPassword?: string }[]
    }
    shared.devices.push({ deviceID: stC.deviceId, encryptionPassword: 'folder password the server never learns' })
    await stA!.rest('PUT', `/rest/config/folders/${FOLDER_ID}`, shared)
    await stC.rest('POST', '/rest/config/folders', {
      id: FOLDER_ID,
      label: FOLDER_ID,
      path: folderC,
      type: 'receiveencrypted',
      rescanIntervalS: 3600,
      fsWatcherEnabled: false,
      devices: [{ deviceID: stC.deviceId }, { deviceID: stA!.deviceId }],
    })
    // The folder was added after the two had already connected and exchanged folder lists: reconnect so they exchange
    // them again (RECIPE.md saw the same for a first share).
    await stC.rest('POST', `/rest/system/pause?device=${stA!.deviceId}`)
    await stC.rest('POST', `/rest/system/resume?device=${stA!.deviceId}`)
    const expected = custodiaFiles(folderA).size
    let lastSeen: unknown = null
    await waitFor(
      'the server to hold every change-set',
      async () => {
        const completion = (await stA!.rest('GET', `/rest/db/completion?folder=${FOLDER_ID}&device=${stC!.deviceId}`)) as {
          completion: number
          needItems: number
        }
        lastSeen = { completion, files: listFilesRecursive(folderC), expected }
        return completion.completion === 100 && completion.needItems === 0 && listFilesRecursive(folderC).length >= expected
      },
      40_000,
    ).catch((error: unknown) => {
      console.info(JSON.stringify(lastSeen), fs.readFileSync(path.join(stC!.home, 'log'), 'utf8').slice(-3000))
      throw error
    })
    const held = listFilesRecursive(folderC).filter((file) => !file.includes(`${path.sep}.stfolder`))
    expect(held.length).toBeGreaterThanOrEqual(expected)
    expect(held.filter((file) => file.endsWith('.cset') || file.includes(SYNC_ROOT_DIR))).toEqual([])
    const team = readTeam(a.vault)!.team
    const secrets = [
      'Appeal for the release',
      'Oslo wording',
      'Kyiv wording',
      MEDICAL,
      SCAN_MARKER,
      'witness-statement',
      'Ivan Petrenko',
      'Anna',
      'Bohdan',
      team.teamId,
      team.deviceId,
      team.teamKey,
      team.deviceSeed,
    ]
    for (const file of held) {
      const bytes = fs.readFileSync(file)
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 12)}… in ${file}`).toBe(false)
    }
  }, 60_000)
})
