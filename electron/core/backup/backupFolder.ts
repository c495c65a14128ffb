// Main process / CLI (core, Node only): reading a backup folder — whose backups it holds, which manifests it has, and
// the newest one. Reads only; messages name the file concerned relative to the folder, never a full path.
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import type { SodiumBackend } from '../platform/crypto/sodium'
import {
  MANIFEST_NAME,
  MANIFESTS_DIR,
  manifestMacMatches,
  MAX_MANIFEST_BYTES,
  OwnerSchema,
  OWNER_FILE,
  parseManifest,
  type BackupManifest,
} from './backupFormat'

/** The owner file's vault id, or null when the folder has none. A damaged owner file → CORRUPT. */
export function readOwner(root: string): { vaultId: string } | null {
  let text: string
  try {
    text = fs.readFileSync(path.join(root, OWNER_FILE), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = null
  }
  const parsed = OwnerSchema.safeParse(json)
  if (!parsed.success) throw new CustodiaError('CORRUPT', `The backup folder's ${OWNER_FILE} is damaged.`)
  return { vaultId: parsed.data.vaultId }
}

/** Names of the manifests in the folder, oldest first (names sort by time). */
export function listManifestNames(root: string): string[] {
  try {
    return fs
      .readdirSync(path.join(root, MANIFESTS_DIR))
      .filter((name) => MANIFEST_NAME.test(name))
      .sort()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

/** Reads and parses one manifest (size-capped). Unreadable or not ours → CORRUPT naming it. */
export function readManifest(root: string, name: string): BackupManifest {
  const file = path.join(root, MANIFESTS_DIR, name)
  const size = fs.statSync(file).size
  if (size > MAX_MANIFEST_BYTES)
    throw new CustodiaError('CORRUPT', `The backup's list of files (${MANIFESTS_DIR}/${name}) is not one Custodia wrote.`)
  return parseManifest(fs.readFileSync(file), name)
}

/**
 * The newest manifest whose MAC verifies under `key` and that names `vaultId`, or null: what the next backup builds
 * on (a damaged or foreign manifest is skipped here; `backup verify` reports it).
 */
export function readNewestValidManifest(
  root: string,
  sodium: SodiumBackend,
  key: Uint8Array,
  vaultId: string,
): { name: string; manifest: BackupManifest } | null {
  for (const name of listManifestNames(root).reverse()) {
    try {
      const manifest = readManifest(root, name)
      if (manifest.vaultId === vaultId && manifestMacMatches(sodium, key, manifest)) return { name, manifest }
    } catch {
      // Not usable: keep looking at older ones.
    }
  }
  return null
}
