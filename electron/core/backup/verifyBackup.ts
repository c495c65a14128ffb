// Main process / CLI (core, Node only): checking a backup without restoring it — the newest manifest's MAC (with the
// passphrase, through the keyslots in the backup's own database copy) and the SHA-256 and size of every file it names.
// Reads only. Every refusal names the damaged item; nothing is decrypted but the vault key for the MAC.
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { loadSodium, type SodiumBackend } from '../platform/crypto/sodium'
import { deriveBackupKeyFromDatabase } from '../vault/backupKey'
import { hashFile, runLimited } from './backupFiles'
import { listManifestNames, readManifest, readOwner } from './backupFolder'
import { MANIFESTS_DIR, manifestMacMatches, objectPath, type BackupManifest } from './backupFormat'

export interface VerifyProgress {
  /** Bytes hashed so far, of every file the manifest names. */
  doneBytes: number
  totalBytes: number
}

export interface VerifyOptions {
  onProgress?: (progress: VerifyProgress) => void
  sodium?: SodiumBackend
  allowStrongerKdf?: boolean
}

export interface VerifiedBackup {
  /** The manifest checked (the newest in manifests/). */
  manifestName: string
  manifest: BackupManifest
  /** Bytes checked: the database copy and every attachment. */
  bytes: number
}

/** Files verified in parallel (one hashes while the other reads). */
const PARALLEL_CHECKS = 2

/** One file the manifest names that is not as it should be. */
interface Damage {
  item: string
  kind: 'missing' | 'incomplete' | 'changed'
}

const DAMAGE_WORDS: Record<Damage['kind'], string> = {
  missing: 'is missing',
  incomplete: 'is incomplete (cut short or grown)',
  changed: 'is damaged (its bytes changed)',
}

/** Checks one object file against its size and hash; null when it matches. */
async function checkObject(root: string, item: string, hash: string, size: number, onBytes: (n: number) => void): Promise<Damage | null> {
  const file = path.join(root, objectPath(hash))
  let actualSize: number
  try {
    actualSize = fs.statSync(file).size
  } catch {
    onBytes(size)
    return { item: `${item} (${objectPath(hash)})`, kind: 'missing' }
  }
  if (actualSize !== size) {
    onBytes(size)
    return { item: `${item} (${objectPath(hash)})`, kind: 'incomplete' }
  }
  const hashed = await hashFile(file, onBytes)
  return hashed.sha256 === hash && hashed.size === size ? null : { item: `${item} (${objectPath(hash)})`, kind: 'changed' }
}

/** A refusal listing damaged items (at most 10 named): TAMPERED when bytes changed, CORRUPT when files are missing or cut. */
function damageError(problems: Damage[]): CustodiaError {
  const lines = problems.slice(0, 10).map((p) => `- ${p.item} ${DAMAGE_WORDS[p.kind]}`)
  if (problems.length > 10) lines.push(`- and ${problems.length - 10} more`)
  const changed = problems.some((p) => p.kind === 'changed')
  return new CustodiaError(
    changed ? 'TAMPERED' : 'CORRUPT',
    `This backup cannot be used: ${problems.length === 1 ? 'one file is' : `${problems.length} files are`} not as the backup wrote ${problems.length === 1 ? 'it' : 'them'}.\n${lines.join('\n')}`,
  )
}

/** The passphrase opens the backup's database copy, of the manifest's vault, and the manifest's MAC verifies. */
async function checkManifestKey(
  root: string,
  manifest: BackupManifest,
  label: string,
  passphrase: Uint8Array,
  sodium: SodiumBackend,
  opts: VerifyOptions,
): Promise<void> {
  const { vaultId, key } = await deriveBackupKeyFromDatabase(path.join(root, objectPath(manifest.database.sha256)), passphrase, {
    sodium,
    ...(opts.allowStrongerKdf ? { allowStrongerKdf: true } : {}),
  })
  try {
    if (vaultId !== manifest.vaultId) throw new CustodiaError('TAMPERED', `${label} belongs to another vault.`)
    if (!manifestMacMatches(sodium, key, manifest))
      throw new CustodiaError('TAMPERED', `${label} was changed after the backup wrote it, or comes from another vault's backup.`)
  } finally {
    sodium.memzero(key)
  }
}

/**
 * Verifies the newest backup in `target` with `passphrase` (UTF-8; the vault's passphrase when the backup was made).
 * No folder or no finished backup → NOT_FOUND; a manifest that is not ours → CORRUPT; a manifest of another vault
 * or with a wrong MAC → TAMPERED; wrong passphrase → WRONG_PASSPHRASE; missing or cut files → CORRUPT, changed bytes →
 * TAMPERED, each naming the files. Changes nothing.
 */
export async function verifyBackup(target: string, passphrase: Uint8Array, opts: VerifyOptions = {}): Promise<VerifiedBackup> {
  const root = path.resolve(target)
  let isFolder: boolean
  try {
    isFolder = fs.statSync(root).isDirectory()
  } catch {
    isFolder = false
  }
  if (!isFolder) throw new CustodiaError('NOT_FOUND', 'The backup folder does not exist.')
  const names = listManifestNames(root)
  const owner = readOwner(root)
  if (names.length === 0) {
    throw new CustodiaError(
      'NOT_FOUND',
      owner
        ? 'This backup folder holds no finished backup (the last one was interrupted): make a new backup.'
        : 'This folder holds no Custodia backup.',
    )
  }
  const manifestName = names.at(-1)!
  const label = `The backup's list of files (${MANIFESTS_DIR}/${manifestName})`
  const manifest = readManifest(root, manifestName)
  if (owner && owner.vaultId !== manifest.vaultId)
    throw new CustodiaError('TAMPERED', `${label} belongs to another vault, not to the vault whose backups this folder holds.`)

  const total = manifest.database.size + manifest.attachments.reduce((sum, a) => sum + a.size, 0)
  const progress: VerifyProgress = { doneBytes: 0, totalBytes: total }
  const tick = (bytes: number): void => {
    progress.doneBytes += bytes
    opts.onProgress?.({ ...progress })
  }
  const dbDamage = await checkObject(root, 'the copy of the vault database', manifest.database.sha256, manifest.database.size, tick)
  if (dbDamage) throw damageError([dbDamage])

  const sodium = opts.sodium ?? (await loadSodium())
  // Argon2id runs on libuv's pool while this thread hashes the attachments; a wrong passphrase or a foreign manifest
  // stops the hashing at the next file and is reported before any damage found meanwhile.
  let keyFailed = false
  const keyCheck = checkManifestKey(root, manifest, label, passphrase, sodium, opts)
  keyCheck.catch(() => {
    keyFailed = true
  })
  const problems: Damage[] = []
  await runLimited(manifest.attachments, PARALLEL_CHECKS, async (attachment) => {
    if (keyFailed) return
    const damage = await checkObject(root, `attachment ${attachment.id}`, attachment.sha256, attachment.size, tick)
    if (damage) problems.push(damage)
  })
  await keyCheck
  if (problems.length > 0) throw damageError(problems)
  return { manifestName, manifest, bytes: total }
}
