// Main process (Node only): the encrypted search-index snapshot file <vault>/index/search.snap.
// Layout: "CUSTSNAP" (8 bytes) | format version (uint32 BE) | nonce (24 bytes) | XChaCha20-Poly1305(serialized SQLite
// database) under the vault's search-index subkey, AD = buildAssociatedData("search-snapshot", vaultId, version).
// Written to a temp file in the same folder, fsynced, renamed over the old one and the folder fsynced, so a crash
// leaves either the old or the new snapshot, never a torn one.
import fs from 'node:fs'
import path from 'node:path'
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, type SodiumBackend } from '../platform/crypto/sodium'
import { removeAtomicWriteLeftovers, syncDirectorySync, writeFileAtomicSync } from '../platform/fs/atomicWrite'
import { buildAssociatedData } from '../platform/crypto/keys'

/** Bump when the index schema or what it stores changes: an older snapshot is then discarded and rebuilt. */
export const SNAPSHOT_FORMAT_VERSION = 1
export const SNAPSHOT_DIR = 'index'
export const SNAPSHOT_FILE = 'search.snap'
const MAGIC = Buffer.from('CUSTSNAP', 'ascii')
const HEADER_BYTES = MAGIC.length + 4 + AEAD_NONCE_BYTES

export type SnapshotReadResult =
  | { status: 'loaded'; plain: Buffer }
  | { status: 'missing' }
  /** Present but unusable: another format version, truncated, or it failed authentication (changed, other vault). */
  | { status: 'discarded'; reason: 'format' | 'authentication' }

export function buildSnapshotAd(vaultId: string, version: number): Buffer {
  return buildAssociatedData('search-snapshot', vaultId, version)
}

export function getSnapshotPath(vaultDir: string): string {
  return path.join(vaultDir, SNAPSHOT_DIR, SNAPSHOT_FILE)
}

/**
 * Reads and decrypts the snapshot. Never throws for a bad file (the caller rebuilds); I/O errors other than a
 * missing file propagate. The returned buffer is plaintext: the caller zeroes it.
 */
export function readSnapshot(vaultDir: string, sodium: SodiumBackend, key: Uint8Array, vaultId: string): SnapshotReadResult {
  let data: Buffer
  try {
    data = fs.readFileSync(getSnapshotPath(vaultDir))
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') return { status: 'missing' }
    throw err
  }
  if (data.length < HEADER_BYTES + AEAD_TAG_BYTES || !data.subarray(0, MAGIC.length).equals(MAGIC))
    return { status: 'discarded', reason: 'format' }
  const version = data.readUInt32BE(MAGIC.length)
  if (version !== SNAPSHOT_FORMAT_VERSION) return { status: 'discarded', reason: 'format' }
  const nonce = data.subarray(MAGIC.length + 4, HEADER_BYTES)
  try {
    const plain = sodium.aeadDecrypt(data.subarray(HEADER_BYTES), buildSnapshotAd(vaultId, version), nonce, key)
    return { status: 'loaded', plain }
  } catch {
    return { status: 'discarded', reason: 'authentication' }
  }
}

/** Encrypts `plain` and replaces the snapshot atomically (0700 folder, 0600 file). Does not zero `plain`. */
export function writeSnapshot(vaultDir: string, sodium: SodiumBackend, key: Uint8Array, vaultId: string, plain: Uint8Array): void {
  const dir = path.join(vaultDir, SNAPSHOT_DIR)
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { mode: 0o700 })
    syncDirectorySync(vaultDir)
  }
  const header = Buffer.alloc(HEADER_BYTES)
  MAGIC.copy(header, 0)
  header.writeUInt32BE(SNAPSHOT_FORMAT_VERSION, MAGIC.length)
  const nonce = sodium.randomBytes(AEAD_NONCE_BYTES)
  nonce.copy(header, MAGIC.length + 4)
  const ciphertext = sodium.aeadEncrypt(plain, buildSnapshotAd(vaultId, SNAPSHOT_FORMAT_VERSION), nonce, key)
  writeFileAtomicSync(path.join(dir, SNAPSHOT_FILE), [header, ciphertext], { mode: 0o600 })
}

/** Removes temp files a crash during writeSnapshot left behind. */
export function removeSnapshotLeftovers(vaultDir: string): void {
  removeAtomicWriteLeftovers(getSnapshotPath(vaultDir))
}
