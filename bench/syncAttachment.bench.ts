// Benchmarks (Node + the real engine): a large attachment over sync (issue #18) against what Syncthing does with a
// plain file of the same size in the same run — two `syncthing serve` instances on 127.0.0.1 started and paired by the
// tests' helpers (test/helpers/syncthing.ts), each beside a replica's sync folder. Plain: from the file lying in A's
// folder to its whole arrival in B's. Attachment: from the file lying in A's vault (the user attached it: encrypted
// in, timed apart) through A's sync run (sealed into chunk files), the engine, to B's sync run that makes it readable
// in B's vault. Goal: the attachment moves at ≥ 0.5× the plain file's speed; the ratio with the attach included is
// reported too. Size: CUSTODIA_BENCH_SYNC_ATTACHMENT_MIB (100).
import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { runSyncAndShred, type SyncContext } from '../electron/core/sync/syncEngine'
import { chunkFolder } from '../electron/core/sync/syncAttachments'
import { readTeam } from '../electron/core/sync/syncState'
import {
  scanFolder,
  shareFolder,
  startSyncthing,
  stopSyncthing,
  waitFor,
  waitForConnection,
  type SyncthingInstance,
} from '../test/helpers/syncthing'
import { addLetter, makeFirstReplica, makeJoinedReplica } from '../test/helpers/syncReplicas'
import type { Figure } from './measure'

const FOLDER_ID = 'custodia-bench'
const MiB = 1024 * 1024

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9
}

/** Writes `mib` MiB of random bytes to `file` (fsynced) and returns their SHA-256. */
function writeRandomFile(file: string, mib: number): string {
  const hash = createHash('sha256')
  const fd = fs.openSync(file, 'wx', 0o600)
  try {
    for (let i = 0; i < mib; i++) {
      const block = randomBytes(MiB)
      hash.update(block)
      fs.writeSync(fd, block)
    }
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  return hash.digest('hex')
}

function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/** Waits until `file` exists with `size` bytes: Syncthing puts a file under its final name only once it is whole. */
function arrived(file: string, size: number): boolean {
  try {
    return fs.statSync(file).size === size
  } catch {
    return false
  }
}

export async function runSyncAttachmentBench(opts: { dir: string }): Promise<Figure[]> {
  const mib = Number(process.env['CUSTODIA_BENCH_SYNC_ATTACHMENT_MIB'] ?? 100)
  const folderA = path.join(opts.dir, 'oslo-sync')
  const folderB = path.join(opts.dir, 'kyiv-sync')
  for (const folder of [folderA, folderB]) fs.mkdirSync(path.join(folder, '.stfolder'), { recursive: true })
  let stA: SyncthingInstance | undefined
  let stB: SyncthingInstance | undefined
  let a: SyncContext | undefined
  let b: SyncContext | undefined
  try {
    stA = await startSyncthing(path.join(opts.dir, 'st-oslo'))
    stB = await startSyncthing(path.join(opts.dir, 'st-kyiv'))
    await shareFolder(stA, folderA, stB, folderB, FOLDER_ID)
    await waitForConnection(stA, stB, 60_000)
    a = await makeFirstReplica(opts.dir, 'Anna', folderA)
    b = await makeJoinedReplica(opts.dir, a, 'Bohdan', folderB)
    const recordId = addLetter(a, 'Letter with a large scan', 'See the attached scan.')
    await runSyncAndShred(a)
    await scanFolder(stA, FOLDER_ID)
    await waitFor('the team to reach B', async () => (await runSyncAndShred(b!)).applied > 0 || undefined, 120_000)

    // The plain file: written beside the vaults, then moved into A's folder (the timer starts once it is there).
    const source = path.join(opts.dir, 'scan.bin')
    const sourceHash = writeRandomFile(source, mib)
    const plainA = path.join(folderA, 'plain.bin')
    fs.renameSync(source, plainA)
    const plainStart = process.hrtime.bigint()
    await scanFolder(stA, FOLDER_ID)
    await waitFor('the plain file to reach B', () => arrived(path.join(folderB, 'plain.bin'), mib * MiB), 600_000)
    const plainSeconds = seconds(plainStart)
    if (sha256File(path.join(folderB, 'plain.bin')) !== sourceHash) throw new Error('the plain file arrived altered')

    // The attachment: the same bytes, from lying in A's vault to being readable on B; the attach itself timed apart.
    const addStart = process.hrtime.bigint()
    const attachmentId = (await a.vault.addAttachment(recordId, plainA, { filename: 'scan.bin', mediaType: 'application/octet-stream' })).id
    const addedSeconds = seconds(addStart)
    const attachStart = process.hrtime.bigint()
    await runSyncAndShred(a)
    const sealedSeconds = seconds(attachStart)
    await scanFolder(stA, FOLDER_ID)
    const team = readTeam(a.vault)!.team
    const known = team.attachments![attachmentId]!
    const chunksB = chunkFolder(folderB, team.teamId, known.device)
    const chunksA = chunkFolder(folderA, team.teamId, known.device)
    const sizes = known.chunks.map((hash) => fs.statSync(path.join(chunksA, `${hash}.chunk`)).size)
    const csets = fs.readdirSync(path.dirname(chunksA)).filter((name) => name.endsWith('.cset'))
    await waitFor(
      'the attachment’s files to reach B',
      () =>
        known.chunks.every((hash, i) => arrived(path.join(chunksB, `${hash}.chunk`), sizes[i]!)) &&
        csets.every((name) => fs.existsSync(path.join(path.dirname(chunksB), name))),
      600_000,
    )
    const deliveredSeconds = seconds(attachStart)
    const result = await runSyncAndShred(b)
    const attachSeconds = seconds(attachStart)
    if (result.applied < 1 || b.vault.findAttachmentRecord(attachmentId) !== recordId)
      throw new Error(`the attachment was not applied on B: ${JSON.stringify(result)}`)
    if (b.vault.getAttachmentSha256(attachmentId) !== sourceHash) throw new Error('the attachment arrived altered')

    return [
      { name: `a plain ${mib} MiB file, A's folder → B's folder (Syncthing alone)`, value: plainSeconds, unit: 's' },
      { name: `a ${mib} MiB attachment, in A's vault → readable on B`, value: attachSeconds, unit: 's' },
      { name: `attachment speed ÷ plain file speed`, value: plainSeconds / attachSeconds, unit: '×', goal: '≥ 0.5' },
      { name: `  of which: A's sync run (sealed into ${known.chunks.length} chunk files)`, value: sealedSeconds, unit: 's' },
      { name: `  of which: Syncthing delivers the chunk files`, value: deliveredSeconds - sealedSeconds, unit: 's' },
      { name: `  of which: B's sync run (chunks checked, encrypted into B's vault)`, value: attachSeconds - deliveredSeconds, unit: 's' },
      { name: `before it: the user attaches it on A (encrypted into A's vault)`, value: addedSeconds, unit: 's' },
      { name: `speed ratio counting the attach too`, value: plainSeconds / (addedSeconds + attachSeconds), unit: '×' },
    ]
  } finally {
    await Promise.all([stopSyncthing(stA), stopSyncthing(stB)])
    for (const ctx of [a, b]) if (ctx && !ctx.vault.locked) ctx.vault.lock()
  }
}
