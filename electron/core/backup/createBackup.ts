// Main process / CLI (core, Node only): writing a backup of an unlocked vault into a folder — a consistent copy of the
// database (SQLite's online backup, while the app keeps working), the attachment blobs its rows name, and a manifest
// MACed with the vault's backup-manifest key, written last. Everything stays ciphertext: nothing is decrypted here.
// Later backups into the same folder copy only what the folder does not hold yet. Format: docs/CRYPTO.md section 11.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { loadSodium, type SodiumBackend } from '../platform/crypto/sodium'
import { readSnapshotFactsFromFile, type SnapshotAttachment } from '../platform/db/snapshotFacts'
import { syncDirectorySync, writeFileAtomicSync } from '../platform/fs/atomicWrite'
import { BLOBS_DIR } from '../vault/files'
import type { Vault } from '../vault/vault'
import { copyAndHash, copyPrivate, hashFile, makePrivateDir, runLimited, syncFile, type HashedFile } from './backupFiles'
import {
  BACKUP_FORMAT,
  BACKUP_TMP_DIR,
  BACKUP_VERSION,
  MANIFESTS_DIR,
  manifestFileName,
  objectPath,
  OBJECTS_DIR,
  OWNER_FILE,
  signManifest,
  type BackupManifest,
} from './backupFormat'
import { readNewestValidManifest, readOwner } from './backupFolder'

/** Vault setting: when the last backup finished (ISO 8601). Plain, like every setting: it reveals no content. */
export const LAST_BACKUP_SETTING = 'backupLastAt'

export interface BackupProgress {
  phase: 'database' | 'attachments' | 'finishing'
  /** Bytes copied or hashed so far, of `totalBytes` (the database copy and the attachments to copy). */
  doneBytes: number
  totalBytes: number
}

export interface BackupSummary {
  /** The new manifest's file name (in manifests/). */
  manifest: string
  createdAt: string
  /** Attachments in this backup, of which `copied` were new to the folder; the rest were already there. */
  attachments: number
  copied: number
  /** Bytes written into the folder by this run (database copy included). */
  copiedBytes: number
}

export interface BackupOptions {
  onProgress?: (progress: BackupProgress) => void
  sodium?: SodiumBackend
}

/** Attachments copied in parallel: kernel copies on libuv's pool (4 threads), so the disk always has work queued. */
const PARALLEL_COPIES = 4
/** Copies fsynced in parallel once all are made: the disk sorts the writes of many files better than one at a time. */
const PARALLEL_SYNCS = 8
/** Whole attempts when an attachment named by the copy was deleted before its file could be read. */
const ATTEMPTS = 3

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child)
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))
}

/**
 * Makes `target` a backup folder of this vault: a new or empty folder gets the owner file; one holding this vault's
 * backups is used as it is. Another vault's backup folder, or a folder with other files → CONFLICT.
 */
function prepareFolder(target: string, vaultId: string): void {
  let names: string[] | null
  try {
    names = fs.readdirSync(target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new CustodiaError('CONFLICT', 'The backup location is a file, not a folder.')
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    names = null
  }
  const owner = names === null ? null : readOwner(target)
  if (owner && owner.vaultId !== vaultId)
    throw new CustodiaError(
      'CONFLICT',
      'This folder holds backups of another vault. Choose an empty folder, or the one with this vault’s backups.',
    )
  if (!owner && names !== null && names.length > 0)
    throw new CustodiaError('CONFLICT', 'The folder for backups must be empty, or hold earlier backups of this vault.')
  for (const dir of [target, ...[OBJECTS_DIR, MANIFESTS_DIR, BACKUP_TMP_DIR].map((name) => path.join(target, name))]) makePrivateDir(dir)
  if (!owner)
    writeFileAtomicSync(path.join(target, OWNER_FILE), JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, vaultId }))
  // What a run killed half-way left: files never named by a manifest.
  const tmp = path.join(target, BACKUP_TMP_DIR)
  for (const name of fs.readdirSync(tmp)) fs.rmSync(path.join(tmp, name), { recursive: true, force: true })
}

/** Moves a finished, fsynced file into objects/ under its hash (dropping it when an identical copy is there). */
function storeObject(target: string, file: string, hash: string, touched: Set<string>): void {
  const dest = path.join(target, objectPath(hash))
  const dir = path.dirname(dest)
  makePrivateDir(dir)
  if (fs.existsSync(dest) && fs.statSync(dest).size === fs.statSync(file).size) fs.rmSync(file)
  else fs.renameSync(file, dest)
  touched.add(dir)
}

/**
 * The blob hash the vault sealed with an attachment's metadata, or null: none recorded, or metadata that does not open
 * (damaged; the state commitment does not cover the sealed bytes). A backup still copies such an attachment, hashing
 * the copy, so the damage is carried into the backup as it is rather than stopping it. A locked vault still stops it.
 */
function recordedBlobHash(vault: Vault, attachmentId: string): ReturnType<Vault['findAttachmentBlobHash']> {
  try {
    return vault.findAttachmentBlobHash(attachmentId)
  } catch (error) {
    if (error instanceof CustodiaError && (error.code === 'TAMPERED' || error.code === 'CORRUPT')) return null
    throw error
  }
}

/** An attachment file named by the database copy was not in the vault (deleted since, or lost). */
class AttachmentGone extends Error {
  constructor(readonly attachmentId: string) {
    super('attachment gone')
  }
}

/**
 * Writes a backup of `vault` into `target` (a new or empty folder, or one holding this vault's backups) and records
 * the time in the vault's `backupLastAt` setting and a `backup.created` activity-log entry. Blobs first, the
 * manifest last (temp file, fsync, rename): a run killed half-way leaves no manifest naming a missing file. The vault
 * keeps working meanwhile. A vault open for review (changed outside Custodia) → TAMPERED; a vault blob that does not
 * match its row → CORRUPT naming it; another vault's folder or a folder with other files → CONFLICT.
 */
export async function createBackup(vault: Vault, target: string, opts: BackupOptions = {}): Promise<BackupSummary> {
  if (!vault.integrity.intact)
    throw new CustodiaError('TAMPERED', 'This vault was changed outside Custodia: review the changes before you back it up.')
  const root = path.resolve(target)
  if (isInside(root, vault.dir) || isInside(vault.dir, root))
    throw new CustodiaError('VALIDATION', 'Choose a backup folder outside the vault folder (and not a folder that contains it).')
  const sodium = opts.sodium ?? (await loadSodium())
  prepareFolder(root, vault.vaultId)
  const previous = readNewestValidManifest(root, sodium, vault.getBackupManifestKey(), vault.vaultId)
  const known = new Map<string, { blobVersion: number; size: number; sha256: string }>()
  for (const entry of previous?.manifest.attachments ?? []) known.set(entry.id, entry)
  const copiedThisRun = new Map<string, HashedFile>()
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeOneBackup(vault, root, sodium, known, copiedThisRun, opts)
    } catch (error) {
      if (!(error instanceof AttachmentGone) || attempt === ATTEMPTS) {
        if (error instanceof AttachmentGone)
          throw new CustodiaError(
            'CORRUPT',
            `The file of attachment ${error.attachmentId} is missing from the vault. Run “custodia check” on the vault.`,
          )
        throw error
      }
    }
  }
}

async function writeOneBackup(
  vault: Vault,
  root: string,
  sodium: SodiumBackend,
  known: Map<string, { blobVersion: number; size: number; sha256: string }>,
  copiedThisRun: Map<string, HashedFile>,
  opts: BackupOptions,
): Promise<BackupSummary> {
  const tmp = path.join(root, BACKUP_TMP_DIR)
  const touched = new Set<string>([path.join(root, OBJECTS_DIR)])
  const createdAt = new Date().toISOString()
  const dbCopy = path.join(tmp, `${randomBytes(8).toString('hex')}.sqlite`)
  await vault.snapshotDatabase(dbCopy)
  const facts = readSnapshotFactsFromFile(dbCopy)
  if (facts.vaultId !== vault.vaultId) throw new CustodiaError('CORRUPT', 'The vault changed while it was being copied.')
  // Sizes are known up front: the database copy, and every attachment the folder does not hold yet.
  const reusable = (a: SnapshotAttachment): { sha256: string } | null => {
    const done = copiedThisRun.get(a.id)
    if (done && done.size === a.blobSize) return done
    const entry = known.get(a.id)
    if (!entry || entry.size !== a.blobSize || entry.blobVersion !== a.blobVersion) return null
    try {
      return fs.statSync(path.join(root, objectPath(entry.sha256))).size === entry.size ? entry : null
    } catch {
      return null
    }
  }
  const toCopy = facts.attachments.filter((a) => reusable(a) === null)
  const dbSize = fs.statSync(dbCopy).size
  const progress: BackupProgress = { phase: 'database', doneBytes: 0, totalBytes: dbSize + toCopy.reduce((sum, a) => sum + a.blobSize, 0) }
  const tick = (bytes: number): void => {
    progress.doneBytes += bytes
    opts.onProgress?.({ ...progress })
  }
  const database = await hashFile(dbCopy, tick)
  await syncFile(dbCopy)
  storeObject(root, dbCopy, database.sha256, touched)

  progress.phase = 'attachments'
  let copiedBytes = database.size
  // Copies made but not yet fsynced and stored under their hash.
  const made: { attachmentId: string; part: string; copied: HashedFile }[] = []
  let failure: unknown = null
  try {
    await runLimited(toCopy, PARALLEL_COPIES, async (attachment) => {
      const source = path.join(vault.dir, BLOBS_DIR, attachment.id.slice(0, 2), attachment.id)
      const part = path.join(tmp, `${randomBytes(8).toString('hex')}.part`)
      // The hash the vault sealed with the attachment's metadata when it wrote this blob (same version, same size):
      // authenticated, so the copy is not read back here. `backup verify` hashes every copy against it.
      const recorded = recordedBlobHash(vault, attachment.id)
      const trusted =
        recorded && recorded.blobVersion === attachment.blobVersion && recorded.blobSize === attachment.blobSize
          ? recorded.blobSha256
          : null
      let copied: HashedFile
      try {
        if (trusted) {
          copied = { sha256: trusted, size: await copyPrivate(source, part) }
          tick(copied.size)
        } else copied = await copyAndHash(source, part, tick)
      } catch (error) {
        // Deleted after the database was copied (the app kept working): the next attempt copies the database again.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AttachmentGone(attachment.id)
        throw error
      }
      if (copied.size !== attachment.blobSize) {
        fs.rmSync(part, { force: true })
        throw new CustodiaError(
          'CORRUPT',
          `The file of attachment ${attachment.id} in the vault is damaged (wrong size). Run “custodia check” on the vault.`,
        )
      }
      made.push({ attachmentId: attachment.id, part, copied })
    })
  } catch (error) {
    failure = error
  }
  // Every copy made is fsynced and stored, even when another failed: a retry after an attachment was deleted meanwhile
  // reuses them. Only then are they named anywhere (objects/, then the manifest after the folders' fsync).
  await runLimited(made, PARALLEL_SYNCS, ({ part }) => syncFile(part))
  for (const { attachmentId, part, copied } of made) {
    storeObject(root, part, copied.sha256, touched)
    copiedThisRun.set(attachmentId, copied)
    copiedBytes += copied.size
  }
  if (failure !== null) throw failure

  progress.phase = 'finishing'
  opts.onProgress?.({ ...progress })
  for (const dir of touched) syncDirectorySync(dir)
  const manifest: BackupManifest = signManifest(sodium, vault.getBackupManifestKey(), {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    vaultId: facts.vaultId,
    createdAt,
    schemaVersion: facts.schemaVersion,
    audit: { entries: facts.auditEntries, head: facts.auditHead },
    database: { sha256: database.sha256, size: database.size },
    attachments: facts.attachments.map((a) => ({
      id: a.id,
      blobVersion: a.blobVersion,
      size: a.blobSize,
      sha256: (copiedThisRun.get(a.id) ?? reusable(a))!.sha256,
    })),
  })
  const name = manifestFileName(createdAt, randomBytes(4).toString('hex'))
  // Last, and whole or not at all: temp file, fsync, rename, folder fsync.
  writeFileAtomicSync(path.join(root, MANIFESTS_DIR, name), `${JSON.stringify(manifest, null, 1)}\n`)
  vault.transaction(() => {
    vault.setSetting(LAST_BACKUP_SETTING, createdAt)
    vault.audit.append('backup.created', { attachments: facts.attachments.length, copied: toCopy.length })
  })
  return { manifest: name, createdAt, attachments: facts.attachments.length, copied: toCopy.length, copiedBytes }
}
