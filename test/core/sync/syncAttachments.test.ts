// Core (Node): attachments over sync through a plain shared folder — real vault files and real libsodium. An attachment
// added on A is read on B byte for byte (its bytes travel as sealed chunk files, never in a change-set); a missing
// chunk makes its change-set wait and `sync status` count the files; an altered chunk is refused with its own message
// while other devices' change-sets go on; removing and shredding travel and take the chunk files with them.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ATTACHMENT_PIECE_BYTES,
  chunkFolder,
  CHUNK_NAME_PATTERN,
  sealChunk,
  type AttachChange,
} from '../../../electron/core/sync/syncAttachments'
import { openChangeSet, readChangeSetHeader, SYNC_ROOT_DIR } from '../../../electron/core/sync/syncFormat'
import { readSyncStatus, runSync, runSyncAndShred, type SyncContext } from '../../../electron/core/sync/syncEngine'
import { readTeam, teamKeyOf } from '../../../electron/core/sync/syncState'
import { addLetter, attachBytes, attachmentBytes, makeJoinedReplica, makeTwoOffices } from '../../helpers/syncReplicas'
import { createTempDir, listFilesRecursive } from '../../helpers/vaultTestUtils'

let work: string
beforeAll(() => {
  work = createTempDir()
})
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true })
})

async function makeTeam(name: string): Promise<{ folder: string; a: SyncContext; b: SyncContext; dir: string }> {
  const { dir, folder, a, b } = await makeTwoOffices(path.join(work, name), 'admin')
  await runSyncAndShred(a)
  await runSyncAndShred(b)
  return { folder, a, b, dir }
}

/** The chunk files in A's device folder, in the order the attachment names them. */
function chunksOf(folder: string, ctx: SyncContext, attachmentId: string): string[] {
  const team = readTeam(ctx.vault)!.team
  const known = team.attachments![attachmentId]!
  return known.chunks.map((hash) => path.join(chunkFolder(folder, team.teamId, known.device), `${hash}.chunk`))
}

/** A recognisable plaintext: a marker repeated, then random bytes, `size` long. */
function scan(size: number, marker = 'WITNESS STATEMENT OF IVAN PETRENKO'): Buffer {
  const bytes = crypto.randomBytes(size)
  Buffer.from(marker.repeat(50)).copy(bytes)
  return bytes
}

describe('attachments over sync', () => {
  it('carries an attachment added on A to B byte for byte, in sealed chunk files and under B’s own item key', async () => {
    const { folder, a, b } = await makeTeam('round-trip')
    const recordId = addLetter(a, 'Letter with a scan', 'See the scan.')
    const plain = scan(2 * ATTACHMENT_PIECE_BYTES + 12345)
    const attachmentId = await attachBytes(a, recordId, plain, 'statement.pdf')
    const written = await runSyncAndShred(a)
    expect(written.written).toBe(1)
    const chunks = chunksOf(folder, a, attachmentId)
    expect(chunks).toHaveLength(3)
    for (const file of chunks) expect(CHUNK_NAME_PATTERN.test(path.basename(file))).toBe(true)
    // Neither a chunk nor a change-set holds the plaintext or the file name; the change-sets stay small.
    for (const file of listFilesRecursive(path.join(folder, SYNC_ROOT_DIR))) {
      const bytes = fs.readFileSync(file)
      expect(bytes.includes(Buffer.from('WITNESS STATEMENT')), file).toBe(false)
      expect(bytes.includes(Buffer.from('statement.pdf')), file).toBe(false)
      if (file.endsWith('.cset')) expect(bytes.length).toBeLessThan(64 * 1024)
    }

    const result = await runSyncAndShred(b)
    expect(result).toMatchObject({ applied: 1, refused: [], waiting: 0, waitingForFiles: 0 })
    expect(b.vault.findAttachmentRecord(attachmentId)).toBe(recordId)
    expect(b.vault.listAttachments(recordId)).toEqual([
      expect.objectContaining({ id: attachmentId, filename: 'statement.pdf', mediaType: 'application/pdf', size: plain.length }),
    ])
    expect((await attachmentBytes(b, attachmentId)).equals(plain)).toBe(true)
    // B encrypted it under its own item key: its blob is not A's.
    expect(b.vault.findAttachmentBlobHash(attachmentId)!.blobSha256).not.toBe(a.vault.findAttachmentBlobHash(attachmentId)!.blobSha256)
    expect(b.vault.audit.list().some((e) => e.type === 'attachment.added' && e.details['attachmentId'] === attachmentId)).toBe(true)
    // Nothing goes back, and nothing is sent twice.
    expect(await runSyncAndShred(b)).toMatchObject({ written: 0, applied: 0 })
    expect(await runSyncAndShred(a)).toMatchObject({ written: 0, applied: 0 })
    expect(chunksOf(folder, a, attachmentId)).toEqual(chunks)
  }, 60_000)

  it('waits for a missing chunk, says how many files it waits for, and applies once it is there', async () => {
    const { folder, a, b } = await makeTeam('missing')
    const recordId = addLetter(a, 'Letter', 'text')
    const plain = scan(ATTACHMENT_PIECE_BYTES + 10)
    const attachmentId = await attachBytes(a, recordId, plain)
    await runSyncAndShred(a)
    const later = addLetter(a, 'Written after the scan', 'text')
    await runSyncAndShred(a)
    const chunk = chunksOf(folder, a, attachmentId)[0]!
    const aside = `${chunk}.aside`
    fs.renameSync(chunk, aside)

    const waiting = await runSyncAndShred(b)
    expect(waiting).toMatchObject({ applied: 0, refused: [], waiting: 2, waitingForFiles: 1 })
    expect(b.vault.hasRecord(recordId)).toBe(false)
    expect(b.vault.hasRecord(later)).toBe(false)
    expect(readSyncStatus(b)).toMatchObject({ waitingForFiles: 1, refused: [] })
    // The synchronous run never reads attachments: it waits too, and says so.
    expect(runSync(b)).toMatchObject({ applied: 0, waitingForFiles: 1 })
    // Half a file is still arriving.
    fs.writeFileSync(chunk, fs.readFileSync(aside).subarray(0, 100))
    expect(await runSyncAndShred(b)).toMatchObject({ applied: 0, refused: [], waitingForFiles: 1 })

    fs.renameSync(aside, chunk)
    expect(await runSyncAndShred(b)).toMatchObject({ applied: 2, refused: [], waiting: 0, waitingForFiles: 0 })
    expect((await attachmentBytes(b, attachmentId)).equals(plain)).toBe(true)
    expect(b.vault.hasRecord(later)).toBe(true)
    expect(readSyncStatus(b).waitingForFiles).toBe(0)
  }, 60_000)

  it('refuses a change-set whose chunk was altered, with a clear reason, and goes on with other devices', async () => {
    const { dir, folder, a, b } = await makeTeam('tampered')
    const c = await makeJoinedReplica(dir, a, 'Chen', folder, 'secretariat')
    await runSyncAndShred(a)
    const recordId = addLetter(a, 'Letter', 'text')
    const attachmentId = await attachBytes(a, recordId, scan(1000))
    await runSyncAndShred(a)
    const fromChen = addLetter(c, 'From Chen', 'text')
    await runSyncAndShred(c)
    const [chunk] = chunksOf(folder, a, attachmentId)
    const bytes = fs.readFileSync(chunk!)
    bytes[bytes.length - 5]! ^= 0x01
    fs.writeFileSync(chunk!, bytes)

    const result = await runSyncAndShred(b)
    expect(result.refused).toHaveLength(1)
    expect(result.refused[0]).toMatchObject({ member: 'Anna' })
    expect(result.refused[0]!.reason).toMatch(/attachment whose file 1 of 1 was altered/)
    expect(b.vault.findAttachmentRecord(attachmentId)).toBeNull()
    expect(b.vault.hasRecord(fromChen)).toBe(true)
    expect(readSyncStatus(b).refused.map((r) => r.reason)).toEqual([result.refused[0]!.reason])
    // Nothing half-made is left in B's vault: no attachment row, no staged blob.
    expect(b.vault.listAttachmentIds()).toEqual([])
  }, 60_000)

  it('refuses a chunk sealed under another key even when its name matches its bytes', async () => {
    const { folder, a, b } = await makeTeam('resealed')
    const recordId = addLetter(a, 'Letter', 'text')
    const first = await attachBytes(a, recordId, scan(1000))
    await runSyncAndShred(a)
    const second = await attachBytes(a, recordId, scan(1000))
    await runSyncAndShred(a)
    // The second attachment's change names the first one's chunk under its own hash: it does not open with its key.
    const [chunkOfFirst] = chunksOf(folder, a, first)
    const [chunkOfSecond] = chunksOf(folder, a, second)
    fs.writeFileSync(chunkOfSecond!, fs.readFileSync(chunkOfFirst!))
    const result = await runSyncAndShred(b)
    expect(b.vault.findAttachmentRecord(first)).toBe(recordId)
    expect(result.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/file 1 of 1 was altered/)])
    expect(b.vault.findAttachmentRecord(second)).toBeNull()
  }, 60_000)

  it('refuses a chunk resealed by someone who holds its key: it opens, but the joined bytes fail the signed checksum', async () => {
    const { folder, a, b } = await makeTeam('resealed-by-member')
    const recordId = addLetter(a, 'Letter', 'text')
    const attachmentId = await attachBytes(a, recordId, scan(3000))
    await runSyncAndShred(a)
    // A team member reads the transfer key from A's signed change-set (the team key opens it) and reseals other bytes.
    const team = readTeam(a.vault)!.team
    const deviceDir = path.dirname(chunkFolder(folder, team.teamId, team.deviceId))
    const ownEntry = team.roster.find((entry) => entry.deviceId === team.deviceId)!
    const attach = fs
      .readdirSync(deviceDir)
      .filter((name) => name.endsWith('.cset'))
      .flatMap((name) => {
        const file = readChangeSetHeader(fs.readFileSync(path.join(deviceDir, name)))
        const payload = openChangeSet(a.sodium, teamKeyOf(team), Buffer.from(ownEntry.publicKey, 'hex'), file)
        return payload.changes.filter((change) => change.op === 'attach')
      })[0] as AttachChange
    expect(attach.attachmentId).toBe(attachmentId)
    const [chunk] = chunksOf(folder, a, attachmentId)
    const where = { teamId: team.teamId, attachmentId, index: 0, count: 1 }
    const forged = sealChunk(a.sodium, Buffer.from(attach.key, 'hex'), where, scan(3000, 'A DIFFERENT STATEMENT'), Buffer.alloc(3040))
    fs.writeFileSync(chunk!, forged.bytes)

    const result = await runSyncAndShred(b)
    expect(result.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/attachment whose file 1 of 1 was altered/)])
    expect(b.vault.findAttachmentRecord(attachmentId)).toBeNull()
    expect(b.vault.listAttachmentIds()).toEqual([])
  }, 60_000)

  it('carries a shred of an attachment: destroyed on B through its own shred path, chunk files removed', async () => {
    const { folder, a, b } = await makeTeam('shred')
    const recordId = addLetter(a, 'Letter', 'text')
    const kept = await attachBytes(a, recordId, scan(3000))
    const shredded = await attachBytes(a, recordId, scan(ATTACHMENT_PIECE_BYTES + 1))
    await runSyncAndShred(a)
    await runSyncAndShred(b)
    expect(b.vault.findAttachmentRecord(shredded)).toBe(recordId)
    const chunks = chunksOf(folder, a, shredded)

    await a.vault.shred([shredded])
    expect((await runSyncAndShred(a)).written).toBe(1)
    // The writer removes its own chunk files with the tombstone.
    for (const file of chunks) expect(fs.existsSync(file)).toBe(false)
    const result = await runSyncAndShred(b)
    expect(result).toMatchObject({ applied: 1, refused: [] })
    expect(b.vault.findAttachmentRecord(shredded)).toBeNull()
    expect(b.vault.findAttachmentRecord(kept)).toBe(recordId)
    expect(b.vault.audit.list().some((e) => e.type === 'attachment.shredded' && e.details['attachmentId'] === shredded)).toBe(true)
    expect(readTeam(b.vault)!.team.attachments![shredded]).toBeUndefined()
  }, 60_000)

  it('carries a removal, and a record deleted with its attachments, and removes their chunk files', async () => {
    const { folder, a, b } = await makeTeam('remove')
    const recordId = addLetter(a, 'Letter', 'text')
    const removed = await attachBytes(a, recordId, scan(2000))
    const other = addLetter(a, 'Other letter', 'text')
    const withRecord = await attachBytes(a, other, scan(2000))
    await runSyncAndShred(a)
    await runSyncAndShred(b)
    const chunks = [...chunksOf(folder, a, removed), ...chunksOf(folder, a, withRecord)]

    a.vault.deleteAttachment(removed)
    a.vault.deleteRecord(other)
    await runSyncAndShred(a)
    const result = await runSyncAndShred(b)
    expect(result).toMatchObject({ applied: 1, refused: [] })
    expect(b.vault.findAttachmentRecord(removed)).toBeNull()
    expect(b.vault.hasRecord(other)).toBe(false)
    expect(b.vault.findAttachmentRecord(withRecord)).toBeNull()
    expect(b.vault.audit.list().some((e) => e.type === 'attachment.deleted' && e.details['attachmentId'] === removed)).toBe(true)
    for (const file of chunks) expect(fs.existsSync(file)).toBe(false)
    expect(readTeam(b.vault)!.team.attachments ?? {}).toEqual({})
  }, 60_000)

  it('refuses a file added by a role that may not change the record', async () => {
    const { dir, folder, a, b } = await makeTeam('role')
    const viewer = await makeJoinedReplica(dir, a, 'Vera', folder, 'viewer')
    await runSyncAndShred(a)
    await runSyncAndShred(viewer)
    const recordId = addLetter(a, 'Letter', 'text')
    await runSyncAndShred(a)
    await runSyncAndShred(viewer)
    // A viewer's vault would not let its member attach; a tampered copy of Custodia could still write the change.
    await attachBytes(viewer, recordId, scan(500))
    await runSyncAndShred(viewer)
    const result = await runSyncAndShred(b)
    expect(result.refused.map((r) => r.reason)).toEqual([
      expect.stringMatching(/changes the files of the library, which Vera's role \(viewer\)/),
    ])
  }, 60_000)
})
