// Main process / CLI (core, Node only): restoring a backup into a new folder — only after everything verified, only
// into a folder that does not exist or is empty (never over a vault), copying each file while checking its hash again,
// then opening the restored vault once with the passphrase to prove it unlocks and passes its integrity check.
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { loadSodium } from '../platform/crypto/sodium'
import { syncDirectorySync } from '../platform/fs/atomicWrite'
import { BLOBS_DIR, DB_FILE, TMP_DIR } from '../vault/files'
import { openVault } from '../vault/vault'
import { copyAndHash, makePrivateDir } from './backupFiles'
import { objectPath } from './backupFormat'
import { verifyBackup, type VerifyOptions } from './verifyBackup'

export interface RestoreSummary {
  dir: string
  vaultId: string
  /** When the restored backup was made (ISO 8601). */
  createdAt: string
  attachments: number
}

/** Refuses a destination that exists and is not an empty folder. Returns whether it exists (then empty). */
function checkDestination(dir: string): boolean {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return false
    if (code === 'ENOTDIR') throw new CustodiaError('CONFLICT', 'A file exists where the restored vault should go. Choose a new folder.')
    throw error
  }
  if (names.length > 0)
    throw new CustodiaError(
      'CONFLICT',
      'The folder for the restored vault must be new or empty, and this one already holds files. A restore never writes over anything.',
    )
  return true
}

/**
 * Verifies the newest backup in `target` in full (see verifyBackup: nothing is written if anything fails), then
 * restores it into `dir`, which must not exist or be an empty folder (else CONFLICT, before anything is read).
 * Files are copied 0600 into 0700 folders, each checked against its hash again; on any failure everything written
 * into `dir` is removed. Finally the restored vault is unlocked once with `passphrase`, which checks its integrity
 * record and logs the unlock, and locked again.
 */
export async function restoreBackup(
  target: string,
  dir: string,
  passphrase: Uint8Array,
  opts: VerifyOptions = {},
): Promise<RestoreSummary> {
  const dest = path.resolve(dir)
  const root = path.resolve(target)
  const rel = path.relative(root, dest)
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)))
    throw new CustodiaError('VALIDATION', 'Restore into a folder outside the backup folder.')
  checkDestination(dest)
  const sodium = opts.sodium ?? (await loadSodium())
  const { manifest } = await verifyBackup(root, passphrase, { ...opts, sodium })
  const existed = checkDestination(dest)
  try {
    makePrivateDir(dest)
    fs.chmodSync(dest, 0o700)
    makePrivateDir(path.join(dest, BLOBS_DIR))
    makePrivateDir(path.join(dest, TMP_DIR))
    const copyChecked = async (hash: string, size: number, to: string, item: string): Promise<void> => {
      const copied = await copyAndHash(path.join(root, objectPath(hash)), to)
      if (copied.sha256 !== hash || copied.size !== size)
        throw new CustodiaError(
          'TAMPERED',
          `The backup changed while it was being restored: ${item} (${objectPath(hash)}). Nothing was restored.`,
        )
    }
    await copyChecked(manifest.database.sha256, manifest.database.size, path.join(dest, DB_FILE), 'the copy of the vault database')
    const folders = new Set<string>([dest, path.join(dest, BLOBS_DIR)])
    for (const attachment of manifest.attachments) {
      const folder = path.join(dest, BLOBS_DIR, attachment.id.slice(0, 2))
      makePrivateDir(folder)
      folders.add(folder)
      await copyChecked(attachment.sha256, attachment.size, path.join(folder, attachment.id), `attachment ${attachment.id}`)
    }
    for (const folder of folders) syncDirectorySync(folder)
    const vault = await openVault(dest, passphrase, { sodium, ...(opts.allowStrongerKdf ? { allowStrongerKdf: true } : {}) })
    try {
      vault.audit.append('vault.restored', { attachments: manifest.attachments.length, backupCreatedAt: manifest.createdAt })
    } finally {
      vault.lock()
    }
  } catch (error) {
    if (existed) for (const name of fs.readdirSync(dest)) fs.rmSync(path.join(dest, name), { recursive: true, force: true })
    else fs.rmSync(dest, { recursive: true, force: true })
    throw error
  }
  return { dir: dest, vaultId: manifest.vaultId, createdAt: manifest.createdAt, attachments: manifest.attachments.length }
}
