// Main process (Node only): attachments going into the vault and their metadata — encrypt a file or stream into the
// blob store (staging: tmp/ → fsync → rename), link it to a record (row + audit in one transaction, which may be the
// caller's vault.transaction()), decrypt the sealed metadata, list, delete, and clear what a crash left behind.
// Reading plaintext back out is attachmentReads.ts. Each attachment's blob and metadata are sealed under its own item
// key (itemKeys.ts), made when the blob is staged and stored, wrapped, with the row.

import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { CustodiaError } from '../../../shared/errors'
import { buildAttachmentMetaAd, openJson, sealJson } from '../platform/crypto/sealedJson'
import { createFileFiller, createIterableFiller, encryptToBlob, type FillFunction } from '../platform/crypto/streams'
import { BLOBS_DIR, DIR_MODE, FILE_MODE, isErrno, syncDirectory, TMP_DIR, writebackAsWritten } from './files'
import type { VaultInternals } from './internals'
import { finishRekeyedBlob, REKEY_SUFFIX } from './blobFiles'
import { isWrappedBeforeCurrentEpoch, makeItemKey, unwrapItemKey, withItemKey, type WrappedItemKey } from './itemKeys'
import type { AttachmentInfo, AttachmentMeta, StagedAttachment } from './types'
import { createRandomId, validateAttachmentMeta, validateId } from './validation'

interface AttachmentEnvelope {
  v: 1
  filename: string
  mediaType: string
  size: number
  addedAt: string
  /** SHA-256 (64 lower-case hex) of the plaintext, computed while encrypting; absent in attachments added before it existed. */
  sha256?: string
  /**
   * SHA-256 (64 lower-case hex) of the blob file's bytes (the ciphertext) as written, for blob version 2; absent in
   * attachments added before it existed. Sealed with the rest, so a backup can name the blob's copy without reading it.
   */
  blobSha256?: string
}

/**
 * `attachments.blob_version`: 1 = the blob stream format under the shared attachments subkey (before schema 5);
 * 2 = the same stream format under the attachment's own item key. The row's version changes when an attachment is
 * re-encrypted, so a backup never reuses the old object for it.
 */
export const LEGACY_BLOB_VERSION = 1
export const ITEM_KEY_BLOB_VERSION = 2

export interface AttachmentRow {
  info: AttachmentInfo
  blobVersion: number
  blobSize: number
  sha256: string | null
  /** SHA-256 hex of the blob file's bytes as written, or null when the vault has no record of it (older attachments). */
  blobSha256: string | null
}

export async function addAttachment(
  vault: VaultInternals,
  recordId: string,
  sourcePath: string,
  meta: AttachmentMeta,
): Promise<AttachmentInfo> {
  vault.assertUnlocked()
  vault.assertOutsideTransaction()
  validateId(recordId, 'record')
  validateAttachmentMeta(meta)
  let source: fsp.FileHandle
  try {
    source = await fsp.open(sourcePath, 'r')
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new CustodiaError('NOT_FOUND', 'The file to attach does not exist')
    if (isErrno(err, 'EACCES', 'EPERM')) throw new CustodiaError('VALIDATION', 'The file to attach cannot be read')
    throw err
  }
  try {
    if (!(await source.stat()).isFile()) throw new CustodiaError('VALIDATION', 'Only regular files can be attached')
    return await storeAttachment(vault, recordId, createFileFiller(source), meta)
  } finally {
    await source.close()
  }
}

export async function addAttachmentFromStream(
  vault: VaultInternals,
  recordId: string,
  source: AsyncIterable<Uint8Array>,
  meta: AttachmentMeta,
): Promise<AttachmentInfo> {
  vault.assertUnlocked()
  vault.assertOutsideTransaction()
  validateId(recordId, 'record')
  validateAttachmentMeta(meta)
  if (typeof (source as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] !== 'function') {
    throw new CustodiaError('VALIDATION', 'The attachment source must be an async iterable of bytes')
  }
  return storeAttachment(vault, recordId, createIterableFiller(source), meta)
}

// Adding = staging (the blob) + linking (the row), the one code path for both addAttachment calls and for callers that
// link inside vault.transaction(). A failure after staging removes the blob again; a crash leaves an orphan blob,
// which removeLeftovers deletes at the next unlock.
async function storeAttachment(vault: VaultInternals, recordId: string, fill: FillFunction, meta: AttachmentMeta): Promise<AttachmentInfo> {
  vault.requireRecord(recordId)
  const staged = await stageFromFill(vault, fill, meta)
  try {
    return linkStagedAttachment(vault, recordId, staged)
  } catch (err) {
    // Outside any transaction (addAttachment refuses to run inside one), so a failed link left no row behind.
    await fsp.rm(vault.blobPath(staged.id), { force: true }).catch(() => undefined)
    throw err
  }
}

/** What the vault alone knows about a staged attachment: which vault staged it and the size of its blob. */
interface StagedBlob {
  readonly vault: VaultInternals
  readonly blobSize: number
  /** SHA-256 (hex) of the blob file's bytes as written. */
  readonly blobSha256: string
  /** The attachment's item key, wrapped: its row is inserted when the attachment is linked. */
  readonly itemKey: WrappedItemKey
}
// Keyed by the very object stageAttachment returned, so a caller cannot link a blob with a size or hash of its choosing.
const stagedBlobs = new WeakMap<StagedAttachment, StagedBlob>()

export async function stageAttachment(
  vault: VaultInternals,
  source: AsyncIterable<Uint8Array>,
  meta: AttachmentMeta,
  options: { id?: string } = {},
): Promise<StagedAttachment> {
  vault.assertUnlocked()
  validateAttachmentMeta(meta)
  if (typeof (source as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] !== 'function') {
    throw new CustodiaError('VALIDATION', 'The attachment source must be an async iterable of bytes')
  }
  if (options.id !== undefined) {
    validateId(options.id, 'attachment')
    if (vault.repo.getAttachment(options.id) || fs.existsSync(vault.blobPath(options.id)))
      throw new CustodiaError('CONFLICT', 'This vault already has an attachment with this id')
  }
  return stageFromFill(vault, createIterableFiller(source), meta, options.id)
}

// tmp/ → fsync → rename into blobs/xx/<id> → fsync dir. The id is chosen first: the blob's AD binds it.
async function stageFromFill(vault: VaultInternals, fill: FillFunction, meta: AttachmentMeta, id?: string): Promise<StagedAttachment> {
  const attachmentId = id ?? createRandomId(vault.sodium)
  const tmpPath = path.join(vault.dir, TMP_DIR, `${createRandomId(vault.sodium)}.part`)
  const finalPath = vault.blobPath(attachmentId)
  let renamed = false
  try {
    const out = await fsp.open(tmpPath, 'wx', FILE_MODE)
    let sizes: { plainSize: number; blobSize: number }
    // Hash the plaintext on its way into the cipher (fills are sequential), so bundle export can skip a read pass.
    const hash = createHash('sha256')
    const hashingFill: FillFunction = async (buf) => {
      const n = await fill(buf)
      hash.update(buf.subarray(0, n))
      return n
    }
    // And the ciphertext on its way to the disk: a backup names its copy of the blob by this hash without reading it.
    const blobHash = createHash('sha256')
    let sha256: string
    const { key, wrapped: itemKey } = makeItemKey(vault, 'attachment', attachmentId)
    const writeback = writebackAsWritten(out)
    try {
      sizes = await encryptToBlob(vault.sodium, key, vault.streamAd(attachmentId), hashingFill, out, (bytes) => {
        blobHash.update(bytes)
        writeback.written(bytes.length)
      })
      sha256 = hash.digest('hex')
      await writeback.flushed()
      await out.sync()
    } finally {
      await writeback.flushed().catch(() => undefined)
      vault.sodium.memzero(key)
      await out.close()
    }
    vault.assertUnlocked()
    const shard = path.dirname(finalPath)
    if (!fs.existsSync(shard)) {
      await fsp.mkdir(shard, { mode: DIR_MODE })
      await syncDirectory(path.dirname(shard))
    }
    await fsp.rename(tmpPath, finalPath)
    renamed = true
    await syncDirectory(shard)
    vault.assertUnlocked()
    const staged: StagedAttachment = Object.freeze({
      id: attachmentId,
      filename: meta.filename,
      mediaType: meta.mediaType,
      size: sizes.plainSize,
      sha256,
    })
    stagedBlobs.set(staged, { vault, blobSize: sizes.blobSize, blobSha256: blobHash.digest('hex'), itemKey })
    return staged
  } catch (err) {
    await fsp.rm(renamed ? finalPath : tmpPath, { force: true }).catch(() => undefined)
    throw err
  }
}

function requireStaged(vault: VaultInternals, staged: StagedAttachment): StagedBlob {
  const blob = stagedBlobs.get(staged)
  if (blob?.vault !== vault) throw new CustodiaError('VALIDATION', 'This attachment was not staged in this vault')
  return blob
}

// Synchronous, so it may run inside vault.transaction(): the metadata is sealed here, bound to the record it joins.
export function linkStagedAttachment(vault: VaultInternals, recordId: string, staged: StagedAttachment): AttachmentInfo {
  vault.assertUnlocked()
  validateId(recordId, 'record')
  const blob = requireStaged(vault, staged)
  if (!fs.existsSync(vault.blobPath(staged.id))) throw new CustodiaError('NOT_FOUND', 'The staged attachment was removed')
  // A file encrypted before a member was removed is under a key they could open: it must be encrypted again.
  if (isWrappedBeforeCurrentEpoch(vault, blob.itemKey))
    throw new CustodiaError('CONFLICT', 'A member was removed while this file was being added. Add the file again.')
  const addedAt = new Date().toISOString()
  const envelope: AttachmentEnvelope = {
    v: 1,
    filename: staged.filename,
    mediaType: staged.mediaType,
    size: staged.size,
    addedAt,
    sha256: staged.sha256,
    blobSha256: blob.blobSha256,
  }
  const key = unwrapItemKey(vault, 'attachment', staged.id, blob.itemKey)
  let sealed: { nonce: Buffer; ciphertext: Buffer }
  try {
    sealed = sealJson(vault.sodium, key, buildAttachmentMetaAd(vault.vaultId, staged.id, recordId, vault.formatVersion), envelope, 64)
  } finally {
    vault.sodium.memzero(key)
  }
  vault.repo.runInTransaction(() => {
    vault.requireRecord(recordId)
    if (vault.repo.getAttachment(staged.id)) throw new CustodiaError('CONFLICT', 'This attachment is already linked to a record')
    vault.repo.insertItemKey({ item_kind: 'attachment', id: staged.id, ...blob.itemKey })
    vault.repo.insertAttachment({
      id: staged.id,
      record_id: recordId,
      blob_version: ITEM_KEY_BLOB_VERSION,
      blob_size: blob.blobSize,
      meta_nonce: sealed.nonce,
      meta_ct: sealed.ciphertext,
    })
    vault.chain.append('attachment.added', { attachmentId: staged.id, recordId })
  })
  return { id: staged.id, recordId, filename: staged.filename, mediaType: staged.mediaType, size: staged.size, addedAt }
}

// Best effort and never throws. A blob a row refers to is kept (linked, or linked inside a transaction still open);
// when locked nothing can be checked, so the blob waits for removeLeftovers at the next unlock.
export function discardStagedAttachment(vault: VaultInternals, staged: StagedAttachment): void {
  if (vault.locked || stagedBlobs.get(staged)?.vault !== vault) return
  try {
    if (vault.repo.getAttachment(staged.id)) return
    fs.rmSync(vault.blobPath(staged.id), { force: true })
  } catch {
    // Left behind: removed as an orphan at the next unlock.
  }
}

/** Decrypts an attachment's sealed metadata (bound to its id and record by the AD). NOT_FOUND; CORRUPT if malformed. */
export function openAttachmentRow(vault: VaultInternals, attachmentId: string): AttachmentRow {
  validateId(attachmentId, 'attachment')
  const row = vault.repo.getAttachment(attachmentId)
  if (!row) throw new CustodiaError('NOT_FOUND', 'No attachment with this id')
  const env = withItemKey(vault, 'attachment', row.id, (key) =>
    openJson<AttachmentEnvelope>(vault.sodium, key, buildAttachmentMetaAd(vault.vaultId, row.id, row.record_id, vault.formatVersion), {
      nonce: row.meta_nonce,
      ciphertext: row.meta_ct,
    }),
  )
  if (env?.v !== 1 || typeof env.filename !== 'string' || !Number.isSafeInteger(env.size))
    throw new CustodiaError('CORRUPT', 'Attachment metadata is malformed')
  return {
    info: { id: row.id, recordId: row.record_id, filename: env.filename, mediaType: env.mediaType, size: env.size, addedAt: env.addedAt },
    blobVersion: row.blob_version,
    blobSize: row.blob_size,
    sha256: typeof env.sha256 === 'string' && /^[0-9a-f]{64}$/.test(env.sha256) ? env.sha256 : null,
    blobSha256: typeof env.blobSha256 === 'string' && /^[0-9a-f]{64}$/.test(env.blobSha256) ? env.blobSha256 : null,
  }
}

export function getAttachmentSha256(vault: VaultInternals, attachmentId: string): string | null {
  vault.assertUnlocked()
  return openAttachmentRow(vault, attachmentId).sha256
}

/**
 * The blob file an attachment row names as the vault recorded it when the blob was written: its version, size and the
 * SHA-256 (hex) of its bytes. Null when there is no such attachment (any more), or the vault holds no hash for it
 * (added before hashes were recorded). The hash comes out of the sealed metadata: authenticated, never re-read.
 */
export function findAttachmentBlobHash(
  vault: VaultInternals,
  attachmentId: string,
): { blobVersion: number; blobSize: number; blobSha256: string } | null {
  vault.assertUnlocked()
  validateId(attachmentId, 'attachment')
  if (!vault.repo.getAttachment(attachmentId)) return null
  const { blobVersion, blobSize, blobSha256 } = openAttachmentRow(vault, attachmentId)
  return blobSha256 === null || blobVersion !== ITEM_KEY_BLOB_VERSION ? null : { blobVersion, blobSize, blobSha256 }
}

export function listAttachments(vault: VaultInternals, recordId: string): AttachmentInfo[] {
  vault.assertUnlocked()
  vault.requireRecord(recordId)
  return vault.repo.listAttachments(recordId).map((row) => openAttachmentRow(vault, row.id).info)
}

export function deleteAttachment(vault: VaultInternals, attachmentId: string): void {
  vault.assertUnlocked()
  validateId(attachmentId, 'attachment')
  vault.repo.runInTransaction(() => {
    const row = vault.repo.getAttachment(attachmentId)
    if (!row) throw new CustodiaError('NOT_FOUND', 'No attachment with this id')
    vault.repo.deleteAttachment(attachmentId)
    vault.chain.append('attachment.deleted', { recordId: row.record_id, attachmentId })
  })
  vault.removeBlobsAfterCommit([attachmentId])
}

// Deletes everything in tmp/ and every blob no attachment row refers to (left by a crash before the insert), and
// finishes or drops a re-encryption a kill interrupted.
export async function removeLeftovers(vault: VaultInternals): Promise<void> {
  const tmpDir = path.join(vault.dir, TMP_DIR)
  await fsp.mkdir(tmpDir, { recursive: true, mode: DIR_MODE })
  for (const name of await fsp.readdir(tmpDir)) await fsp.rm(path.join(tmpDir, name), { recursive: true, force: true })
  const blobsDir = path.join(vault.dir, BLOBS_DIR)
  await fsp.mkdir(blobsDir, { recursive: true, mode: DIR_MODE })
  const known = vault.repo.listAllAttachmentIds()
  for (const shard of await fsp.readdir(blobsDir)) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue
    for (const name of await fsp.readdir(path.join(blobsDir, shard))) {
      const file = path.join(blobsDir, shard, name)
      // A re-encrypted blob (itemKeyMigration.ts) whose row was committed before a kill replaces the old blob now;
      // one whose row was not is dropped (the migration starts that attachment again).
      if (name.endsWith(REKEY_SUFFIX)) {
        const id = name.slice(0, -REKEY_SUFFIX.length)
        if (known.has(id) && vault.repo.getAttachment(id)?.blob_version === ITEM_KEY_BLOB_VERSION) {
          await finishRekeyedBlob(path.join(blobsDir, shard, id), file)
        } else await fsp.rm(file, { force: true })
      } else if (!known.has(name)) await fsp.rm(file, { force: true })
    }
  }
}
