// Main process / CLI (Node only): attachments over sync (docs/SYNC.md, "Attachments"). An attachment's bytes never go
// into a change-set: the writer seals them in 4 MiB pieces, each its own content-addressed file in its device's
// `chunks/` folder, under a fresh key made for that one attachment; the `attach` change (sealed in the change-set under
// the team key) carries that key, the metadata and the chunk hashes. A reader applies the change-set only once every
// chunk is here and opens; the attachment is then encrypted into its own vault under its own item key, so it stays a
// crypto-shredding unit on every replica. Removing or shredding one travels as a `detach` tombstone.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { buildAssociatedData } from '../platform/crypto/keys'
import { ATTACHMENT_CHUNK_BYTES, readAt } from '../platform/crypto/streams'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { StagedAttachment, Vault } from '../vault/vault'
import {
  ChangeSetRefusal,
  deviceFolder,
  SYNC_FORMAT,
  SYNC_ID_PATTERN,
  type AttachChange,
  type DetachChange,
  type SyncChange,
} from './syncFormat'
import { travels } from './syncKinds'
import type { KnownAttachment, SyncContext, TeamState } from './syncState'

export type { AttachChange, DetachChange } from './syncFormat'
export type { KnownAttachment } from './syncState'

/** Plaintext bytes per chunk file (the last one may be shorter; an empty attachment has one empty chunk). */
export const ATTACHMENT_PIECE_BYTES = 4 * 1024 * 1024
/** Chunk files (open, written, waiting for their fsync and rename) the writer lets pile up before it waits. */
const CHUNK_FILES_SETTLING = 8
/** Chunk file: 24-byte nonce, then XChaCha20-Poly1305 ciphertext (piece + 16-byte tag). */
const CHUNK_OVERHEAD = 24 + 16
/**
 * Final chunk names: SHA-256 of the file's bytes (64 hex) + '.chunk'. Anything else in `chunks/` is not read. SHA-256
 * rather than the change-sets' BLAKE2b: both ends hash every byte of every attachment, and SHA-256 has the CPU's
 * instructions (2.7× faster here), so a large file moves at nearer the engine's own speed.
 */
export const CHUNK_NAME_PATTERN = /^([0-9a-f]{64})\.chunk$/
const HASH_PATTERN = /^[0-9a-f]{64}$/
/** The largest attachment sync carries (the vault's own limit is the disk: this bounds one change's chunk list). */
export const MAX_SYNCED_ATTACHMENT_BYTES = 64 * 1024 * 1024 * 1024

/** `<device folder>/chunks`: only that device writes there, as for its change-sets. */
export function chunkFolder(syncFolder: string, teamId: string, deviceId: string): string {
  return path.join(deviceFolder(syncFolder, teamId, deviceId), 'chunks')
}

/** How many chunks an attachment of `size` bytes has, and the plaintext size of chunk `index`. */
export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / ATTACHMENT_PIECE_BYTES))
}

function pieceSize(size: number, index: number): number {
  return Math.min(ATTACHMENT_PIECE_BYTES, size - index * ATTACHMENT_PIECE_BYTES)
}

/** Binds a chunk to its team, attachment and place: a chunk moved to another attachment or position does not open. */
function chunkAd(teamId: string, attachmentId: string, index: number, count: number): Buffer {
  return buildAssociatedData('sync.attachment-chunk', SYNC_FORMAT, teamId, attachmentId, index, count)
}

/**
 * Seals one piece (XChaCha20-Poly1305, 24 random bytes of nonce first) into `out` (at least piece + 40 bytes, reused
 * by the caller from chunk to chunk). Returns the chunk file's bytes (a view of `out`) and their hash.
 */
export function sealChunk(
  sodium: SodiumBackend,
  key: Uint8Array,
  where: { teamId: string; attachmentId: string; index: number; count: number },
  piece: Uint8Array,
  out: Buffer,
): { bytes: Buffer; hash: string } {
  const nonce = sodium.randomBytes(24)
  nonce.copy(out, 0)
  const sealed = sodium.aeadEncryptInto(
    out.subarray(24),
    piece,
    chunkAd(where.teamId, where.attachmentId, where.index, where.count),
    nonce,
    key,
  )
  const bytes = out.subarray(0, 24 + sealed)
  return { bytes, hash: hashChunk(bytes) }
}

/** SHA-256 of a chunk file's bytes, 64 hex: its name. */
export function hashChunk(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * Opens a chunk file's bytes into `out` (at least the piece's size, reused by the caller); returns the piece, a view of
 * `out`. ChangeSetRefusal when they do not open (altered, or moved from another attachment).
 */
export function openChunk(
  sodium: SodiumBackend,
  key: Uint8Array,
  where: { teamId: string; attachmentId: string; index: number; count: number },
  bytes: Uint8Array,
  out: Buffer,
): Buffer {
  try {
    const length = sodium.aeadDecryptInto(
      out,
      bytes.subarray(24),
      chunkAd(where.teamId, where.attachmentId, where.index, where.count),
      bytes.subarray(0, 24),
      key,
    )
    return out.subarray(0, length)
  } catch {
    throw new ChangeSetRefusal(`holds an attachment whose file ${where.index + 1} of ${where.count} does not open with its key (altered)`)
  }
}

/** An `attach` change checked field by field (untrusted input); null when malformed. */
export function readAttachChange(change: Partial<AttachChange>): AttachChange | null {
  const ok =
    typeof change.recordId === 'string' &&
    SYNC_ID_PATTERN.test(change.recordId) &&
    typeof change.kind === 'string' &&
    typeof change.attachmentId === 'string' &&
    SYNC_ID_PATTERN.test(change.attachmentId) &&
    typeof change.filename === 'string' &&
    change.filename.length > 0 &&
    change.filename.length <= 1000 &&
    typeof change.mediaType === 'string' &&
    change.mediaType.length <= 200 &&
    Number.isSafeInteger(change.size) &&
    change.size! >= 0 &&
    change.size! <= MAX_SYNCED_ATTACHMENT_BYTES &&
    typeof change.sha256 === 'string' &&
    HASH_PATTERN.test(change.sha256) &&
    typeof change.key === 'string' &&
    HASH_PATTERN.test(change.key) &&
    Array.isArray(change.chunks) &&
    change.chunks.length === chunkCount(change.size!) &&
    change.chunks.every((h) => typeof h === 'string' && HASH_PATTERN.test(h))
  return ok ? (change as AttachChange) : null
}

/** A `detach` change checked field by field; null when malformed. */
export function readDetachChange(change: Partial<DetachChange>): DetachChange | null {
  const ok =
    typeof change.recordId === 'string' &&
    SYNC_ID_PATTERN.test(change.recordId) &&
    typeof change.kind === 'string' &&
    typeof change.attachmentId === 'string' &&
    SYNC_ID_PATTERN.test(change.attachmentId) &&
    typeof change.shred === 'boolean'
  return ok ? (change as DetachChange) : null
}

// --- the writer ---

/**
 * Writes a file whole or not at all: `.<name>.<random>.tmp` beside it, fsync, rename; on any failure the temp file is
 * removed. Readers never read temp names. `written` resolves once `bytes` is handed to the OS (the caller may reuse the
 * buffer: it resolves on failure too), `done` once the file is durable under its final name (or with the failure).
 */
function writeChunkFile(
  sodium: SodiumBackend,
  dir: string,
  name: string,
  bytes: Uint8Array,
): { written: Promise<void>; done: Promise<void> } {
  const final = path.join(dir, name)
  if (fs.existsSync(final)) return { written: Promise.resolve(), done: Promise.resolve() }
  const tmp = path.join(dir, `.${name}.${sodium.randomBytes(6).toString('hex')}.tmp`)
  let markWritten: () => void = () => undefined
  const written = new Promise<void>((resolve) => (markWritten = resolve))
  const done = (async () => {
    try {
      const handle = await fsp.open(tmp, 'wx', 0o600)
      try {
        try {
          await handle.writeFile(bytes)
        } finally {
          markWritten()
        }
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fsp.rename(tmp, final)
    } catch (error) {
      markWritten()
      // A full disk or a failed rename leaves no temp file behind to fill the folder further.
      await fsp.rm(tmp, { force: true })
      throw error
    }
  })()
  // Failures are reported to whoever waits for `done`; never an unhandled rejection meanwhile.
  done.catch(() => undefined)
  return { written, done }
}

/** Removes this device's chunk files and temp files that no attachment it sent names (left by a run that stopped). */
async function removeUnnamedChunks(team: TeamState, dir: string): Promise<void> {
  const named = new Set(
    Object.values(team.attachments ?? {})
      .filter((a) => a.device === team.deviceId)
      .flatMap((a) => a.chunks),
  )
  let names: string[]
  try {
    names = await fsp.readdir(dir)
  } catch {
    return
  }
  for (const name of names) {
    const hash = CHUNK_NAME_PATTERN.exec(name)?.[1]
    const ours = hash !== undefined ? !named.has(hash) : name.startsWith('.') && name.endsWith('.tmp')
    if (ours) await fsp.rm(path.join(dir, name), { force: true })
  }
}

/** An attachment sealed into chunk files, ready to be named in this run's change-set. */
export interface PreparedAttachment {
  readonly change: AttachChange
  readonly known: KnownAttachment
}

/**
 * Seals every attachment of a synced record that sync has not carried yet into chunk files in this device's folder
 * (async: it reads the vault's blobs). Nothing is promised yet: recordLocalChanges names them in the change-set and
 * remembers them in the same transaction; chunks a stopped run left unnamed are removed at the next run.
 */
export async function sealNewAttachments(ctx: SyncContext, team: TeamState, folder: string): Promise<PreparedAttachment[]> {
  const { vault } = ctx
  const dir = chunkFolder(folder, team.teamId, team.deviceId)
  await fsp.mkdir(dir, { recursive: true })
  await removeUnnamedChunks(team, dir)
  const prepared: PreparedAttachment[] = []
  for (const attachmentId of vault.listAttachmentIds()) {
    if (team.attachments?.[attachmentId]) continue
    const recordId = vault.findAttachmentRecord(attachmentId)
    if (recordId === null || !vault.hasRecord(recordId)) continue
    const record = vault.getRecord(recordId)
    if (!travels(vault, record)) continue
    const info = vault.listAttachments(recordId).find((a) => a.id === attachmentId)
    if (!info) continue
    prepared.push(await sealAttachment(ctx, team, dir, { ...info, kind: record.kind }))
  }
  return prepared
}

async function sealAttachment(
  ctx: SyncContext,
  team: TeamState,
  dir: string,
  info: { id: string; recordId: string; kind: string; filename: string; mediaType: string; size: number },
): Promise<PreparedAttachment> {
  const { vault, sodium } = ctx
  const count = chunkCount(info.size)
  const key = sodium.randomBytes(32)
  const piece = Buffer.alloc(Math.min(ATTACHMENT_PIECE_BYTES, Math.max(info.size, 1)))
  // Every buffer is made once and reused (fresh memory is dearer than the cipher: sodium.ts, aeadEncryptInto): two
  // for the vault's decrypted pieces and two for chunk files in turn. A chunk's buffer is free again once its bytes are
  // written (to the page cache: milliseconds); its fsync and rename go on in libuv's threads while the next chunks are
  // sealed, so the disk and the cipher work at the same time. At most CHUNK_FILES_SETTLING files wait for their fsync.
  const plainBuffers = [Buffer.alloc(ATTACHMENT_CHUNK_BYTES), Buffer.alloc(ATTACHMENT_CHUNK_BYTES)]
  let plainTurn = 0
  const fileBuffers = [Buffer.allocUnsafe(piece.length + CHUNK_OVERHEAD), Buffer.allocUnsafe(piece.length + CHUNK_OVERHEAD)]
  const writes: { written: Promise<void>; done: Promise<void> }[] = []
  const hashes: string[] = []
  const stored = vault.getAttachmentSha256(info.id)
  const sha256 = stored === null ? createHash('sha256') : null
  let filled = 0
  const flush = async (): Promise<void> => {
    const index = hashes.length
    // Chunk i reuses the buffer of chunk i − 2; a failed file stops the run at the next wait for it.
    await writes[index - 2]?.written
    await writes[index - CHUNK_FILES_SETTLING]?.done
    const where = { teamId: team.teamId, attachmentId: info.id, index, count }
    const chunk = sealChunk(sodium, key, where, piece.subarray(0, filled), fileBuffers[index % 2]!)
    writes.push(writeChunkFile(sodium, dir, `${chunk.hash}.chunk`, chunk.bytes))
    hashes.push(chunk.hash)
    filled = 0
  }
  try {
    for await (const plain of vault.openAttachmentStream(info.id, { buffers: () => plainBuffers[plainTurn++ % 2]! })) {
      sha256?.update(plain)
      for (let offset = 0; offset < plain.length;) {
        const take = Math.min(plain.length - offset, piece.length - filled)
        if (take === 0) throw new Error('The attachment changed size while it was being sealed for sync')
        plain.copy(piece, filled, offset, offset + take)
        filled += take
        offset += take
        if (filled === piece.length && hashes.length < count - 1) await flush()
      }
    }
    await flush()
    await Promise.all(writes.map((file) => file.done))
    if (hashes.length !== count) throw new Error('The attachment changed size while it was being sealed for sync')
    const change: AttachChange = {
      op: 'attach',
      recordId: info.recordId,
      kind: info.kind,
      attachmentId: info.id,
      filename: info.filename,
      mediaType: info.mediaType,
      size: info.size,
      sha256: stored ?? sha256!.digest('hex'),
      key: key.toString('hex'),
      chunks: hashes,
    }
    return { change, known: { recordId: info.recordId, device: team.deviceId, chunks: hashes } }
  } finally {
    await Promise.allSettled(writes.map((file) => file.done))
    for (const buffer of [piece, ...plainBuffers]) buffer.fill(0)
    sodium.memzero(key)
  }
}

/**
 * The attachments sync carried that are gone from this vault (removed or shredded here, or with their record): a
 * `detach` for each whose record is still here (a record's own tombstone takes its attachments with it). Forgets them
 * and returns the chunk files to remove once the change-set is committed. In the caller's transaction.
 */
export function detachRemovedAttachments(
  ctx: SyncContext,
  team: TeamState,
  folder: string,
): { changes: SyncChange[]; removeChunks: string[] } {
  const { vault } = ctx
  const known = team.attachments ?? {}
  if (Object.keys(known).length === 0) return { changes: [], removeChunks: [] }
  const present = new Set(vault.listAttachmentIds())
  const gone = Object.keys(known).filter((id) => !present.has(id))
  if (gone.length === 0) return { changes: [], removeChunks: [] }
  const shredded = new Set(
    vault.audit
      .list()
      .filter((e) => e.type === 'attachment.shredded')
      .map((e) => String(e.details['attachmentId'])),
  )
  const changes: SyncChange[] = []
  const removeChunks: string[] = []
  for (const attachmentId of gone) {
    const entry = known[attachmentId]!
    if (vault.hasRecord(entry.recordId))
      changes.push({
        op: 'detach',
        recordId: entry.recordId,
        kind: vault.getRecord(entry.recordId).kind,
        attachmentId,
        shred: shredded.has(attachmentId),
      })
    removeChunks.push(...forgetAttachment(team, folder, attachmentId))
  }
  return { changes, removeChunks }
}

/** Drops an attachment from what the team record remembers; returns the paths of its chunk files in this folder. */
export function forgetAttachment(team: TeamState, folder: string, attachmentId: string): string[] {
  const entry = team.attachments?.[attachmentId]
  if (!entry) return []
  const { [attachmentId]: _gone, ...rest } = team.attachments!
  team.attachments = rest
  const dir = chunkFolder(folder, team.teamId, entry.device)
  return entry.chunks.map((hash) => path.join(dir, `${hash}.chunk`))
}

/** Removes chunk files (after the commit that forgot them). Missing files are fine: the engine may have removed them. */
export function removeChunkFiles(files: readonly string[]): void {
  for (const file of files) fs.rmSync(file, { force: true })
}

// --- the reader ---

/**
 * What one sync run knows of incoming attachments across its passes: those whose chunks are all here (to be encrypted
 * into the vault between passes), those staged in the vault ready to be linked when their change-set is applied, the
 * refusals found while reading chunks, the chunk files still missing, and chunk files to remove after the run.
 */
export class IncomingAttachments {
  readonly ready = new Map<string, { change: AttachChange; device: string }>()
  readonly staged = new Map<string, StagedAttachment>()
  readonly refusals = new Map<string, string>()
  /** Chunk files not here (or not whole) yet, by attachment, as the last check found them. */
  private readonly missing = new Map<string, number>()
  readonly removeChunks: string[] = []

  /** Chunk files the run is waiting for. */
  get missingFiles(): number {
    let total = 0
    for (const n of this.missing.values()) total += n
    return total
  }

  /**
   * Whether a change-set's attachment can be linked now: 'staged' (in the vault, waiting for its row), 'wait' (a
   * chunk file still missing or incomplete — counted — or all here and to be encrypted in before the next pass).
   * ChangeSetRefusal for a chunk file that is whole but altered, or for what reading the chunks found.
   */
  check(team: TeamState, folder: string, device: string, change: AttachChange): 'staged' | 'wait' {
    const refusal = this.refusals.get(change.attachmentId)
    if (refusal !== undefined) throw new ChangeSetRefusal(refusal)
    if (this.staged.has(change.attachmentId)) return 'staged'
    const dir = chunkFolder(folder, team.teamId, device)
    let missing = 0
    change.chunks.forEach((hash, index) => {
      const expected = pieceSize(change.size, index) + CHUNK_OVERHEAD
      let size: number
      try {
        size = fs.statSync(path.join(dir, `${hash}.chunk`)).size
      } catch {
        missing += 1
        return
      }
      if (size > expected) throw new ChangeSetRefusal(alteredChunk(index, change.chunks.length))
      if (size < expected) missing += 1
    })
    if (missing > 0) this.missing.set(change.attachmentId, missing)
    else {
      this.missing.delete(change.attachmentId)
      this.ready.set(change.attachmentId, { change, device })
    }
    return 'wait'
  }

  /**
   * Encrypts every attachment whose chunks are all here into the vault (staged: no row yet), reading and checking each
   * chunk (its hash, then its seal) on the way; the joined bytes must have the size and SHA-256 the change names.
   * Returns how many were staged. A chunk that fails becomes a refusal of its change-set at the next pass.
   */
  async stageReady(ctx: SyncContext, team: TeamState, folder: string): Promise<number> {
    let count = 0
    const ready = [...this.ready.values()]
    this.ready.clear()
    for (const { change, device } of ready) {
      if (this.staged.has(change.attachmentId) || ctx.vault.findAttachmentRecord(change.attachmentId) !== null) continue
      const dir = chunkFolder(folder, team.teamId, device)
      let staged: StagedAttachment
      try {
        staged = await ctx.vault.stageAttachment(
          readChunks(ctx.sodium, team.teamId, dir, change),
          { filename: change.filename, mediaType: change.mediaType },
          { id: change.attachmentId },
        )
      } catch (error) {
        if (!(error instanceof ChangeSetRefusal)) throw error
        this.refusals.set(change.attachmentId, error.message)
        continue
      }
      if (staged.size !== change.size || staged.sha256 !== change.sha256) {
        ctx.vault.discardStagedAttachment(staged)
        const altered = await findRenamedChunk(dir, change)
        this.refusals.set(
          change.attachmentId,
          altered === null
            ? 'holds an attachment whose content does not match its checksum (altered)'
            : alteredChunk(altered, change.chunks.length),
        )
        continue
      }
      this.staged.set(change.attachmentId, staged)
      count += 1
    }
    return count
  }

  /** Removes from the vault every staged attachment no change-set linked (a linked one is left alone). */
  discardUnlinked(vault: Vault): void {
    for (const staged of this.staged.values()) vault.discardStagedAttachment(staged)
    this.staged.clear()
  }
}

function alteredChunk(index: number, count: number): string {
  return `holds an attachment whose file ${index + 1} of ${count} was altered (its bytes do not match their hash)`
}

/**
 * Which chunk file's bytes do not hash to its name (its index), or null. Only asked after the joined plaintext failed
 * its checksum: a file resealed with the transfer key by someone who holds it opens, and only this tells which.
 */
async function findRenamedChunk(dir: string, change: AttachChange): Promise<number | null> {
  for (const [index, hash] of change.chunks.entries()) {
    const bytes = await fsp.readFile(path.join(dir, `${hash}.chunk`)).catch(() => null)
    if (bytes === null || hashChunk(bytes) !== hash) return index
  }
  return null
}

/**
 * The plaintext of an attachment's chunks in order, each opened with the change's key. Their names (SHA-256) are not
 * hashed again here: the seal authenticates each file against anyone without the key, and the joined plaintext must
 * match the SHA-256 the signed change names (stageReady), which covers a team member who holds the key; a name is
 * checked only to word a refusal. That is one SHA-256 pass less over every byte received.
 * Each piece yielded is a view of one reused buffer, valid until the consumer asks for the next (createIterableFiller
 * copies it first); the file buffers are reused the same way (sodium.ts, aeadEncryptInto: why).
 */
async function* readChunks(sodium: SodiumBackend, teamId: string, dir: string, change: AttachChange): AsyncGenerator<Buffer> {
  const key = Buffer.from(change.key, 'hex')
  const count = change.chunks.length
  const largest = pieceSize(change.size, 0)
  // One byte more than the largest file, so a file that grew since it was checked is seen as altered.
  const files = [Buffer.allocUnsafe(largest + CHUNK_OVERHEAD + 1), Buffer.allocUnsafe(largest + CHUNK_OVERHEAD + 1)]
  const plain = Buffer.alloc(largest)
  // The next chunk is read (in libuv's threads) while this one is checked, opened and encrypted into the vault.
  const read = (index: number): Promise<Buffer | null> =>
    readWhole(path.join(dir, `${change.chunks[index]}.chunk`), files[index % 2]!).catch(() => null)
  let next = read(0)
  try {
    for (let index = 0; index < count; index++) {
      const hash = change.chunks[index]!
      const bytes = await next
      next = index + 1 < count ? read(index + 1) : Promise.resolve(null)
      if (bytes === null)
        throw new ChangeSetRefusal(`holds an attachment whose file ${index + 1} of ${count} went missing while it was read`)
      if (bytes.length !== pieceSize(change.size, index) + CHUNK_OVERHEAD) throw new ChangeSetRefusal(alteredChunk(index, count))
      let piece: Buffer
      try {
        piece = openChunk(sodium, key, { teamId, attachmentId: change.attachmentId, index, count }, bytes, plain)
      } catch (refusal) {
        // Only now is the name worth checking: it tells an altered file from one moved from another attachment.
        if (hashChunk(bytes) !== hash) throw new ChangeSetRefusal(alteredChunk(index, count))
        throw refusal
      }
      yield piece
    }
  } finally {
    await next
    plain.fill(0)
    sodium.memzero(key)
  }
}

/** Reads a whole file into `into` (its bytes: a view of it); a file longer than `into` reads as `into.length` bytes. */
async function readWhole(file: string, into: Buffer): Promise<Buffer> {
  const handle = await fsp.open(file, 'r')
  try {
    return into.subarray(0, await readAt(handle, into, 0))
  } finally {
    await handle.close()
  }
}
