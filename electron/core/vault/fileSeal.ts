// Main process (Node only): the unlock's fast path for the whole-vault check. A clean lock — the session's state check
// passed and every write since followed the commitment — leaves a seal beside the database: the size of vault.sqlite
// and a MAC (under the state commitment's MAC key) over a BLAKE2b hash of every byte of it. The next unlock hashes the
// file while Argon2id runs (no key needed) and, once the key is derived, checks the MAC: a file that is byte for byte
// the one Custodia sealed needs no row scan, since its rows are the rows the check passed plus Custodia's own writes.
// Any other state — one byte changed, a row deleted, a crash before the lock, a missing or forged seal — falls back
// to the full check (stateCommitment.ts), which says what changed. docs/CRYPTO.md section 10.
//
// Why: the full check reads every committed row (≈ 335,000 at 100k records), and on a two-core machine that slows
// Argon2id more than the issue's 10 % allows; hashing the file is several times cheaper than building the rows' text.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { closedCleanly } from '../platform/db/connection'
import { writeFileAtomicSync } from '../platform/fs/atomicWrite'

/** Beside vault.sqlite; holds a size and a MAC, nothing of the vault's content. */
export const SEAL_FILE = 'vault.sqlite.seal'

const READ_BYTES = 1 << 20

/** What the unlock computed of the database file before the key: its size and BLAKE2b-512 hash. */
export interface FileDigest {
  readonly size: number
  readonly digest: Buffer
}

/** A seal as stored: the file's size when sealed and the MAC over its size and hash. */
export interface StoredSeal {
  readonly size: number
  readonly mac: Buffer
}

/**
 * The BLAKE2b-512 hash of `file`, read in 1 MiB steps. null when it cannot be read whole (it changed size while being
 * read: another process writes it).
 */
export function hashDatabaseFile(file: string): FileDigest | null {
  const fd = fs.openSync(file, 'r')
  try {
    const size = fs.fstatSync(fd).size
    const hash = createHash('blake2b512')
    const buffer = Buffer.allocUnsafe(READ_BYTES)
    let offset = 0
    while (offset < size) {
      const read = fs.readSync(fd, buffer, 0, Math.min(READ_BYTES, size - offset), offset)
      if (read === 0) return null
      hash.update(buffer.subarray(0, read))
      offset += read
    }
    return fs.fstatSync(fd).size === size ? { size, digest: hash.digest() } : null
  } finally {
    fs.closeSync(fd)
  }
}

/** The seal beside the database in `dir`, or null when there is none or it is not one (then the full check runs). */
export function readSeal(dir: string): StoredSeal | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(dir, SEAL_FILE), 'utf8')) as { v?: unknown; size?: unknown; mac?: unknown }
    if (parsed.v !== 1 || !Number.isSafeInteger(parsed.size) || typeof parsed.mac !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.mac))
      return null
    return { size: parsed.size as number, mac: Buffer.from(parsed.mac, 'hex') }
  } catch {
    return null
  }
}

/** Stores a seal (0600, atomically: a crash leaves the old seal or the new one). */
export function writeSeal(dir: string, seal: StoredSeal): void {
  writeFileAtomicSync(path.join(dir, SEAL_FILE), Buffer.from(JSON.stringify({ v: 1, size: seal.size, mac: seal.mac.toString('hex') })))
}

/** Removes the seal: done at every unlock, so a vault that then crashes is fully checked next time. */
export function removeSeal(dir: string): void {
  fs.rmSync(path.join(dir, SEAL_FILE), { force: true })
}

/**
 * Seals the closed database in `dir` with `keys` (a copy made before the vault's keys were zeroed). Any older seal goes
 * first, so none outlives the state it described. Nothing is sealed while a write-ahead log or shared-memory file
 * remains (another connection is open): the file alone is then not the state. True when a seal was written.
 */
export function sealDatabaseFile(dir: string, dbFile: string, keys: { fileMac(file: FileDigest): Buffer }): boolean {
  removeSeal(dir)
  if (!closedCleanly(dbFile)) return false
  const file = hashDatabaseFile(dbFile)
  if (!file) return false
  writeSeal(dir, { size: file.size, mac: keys.fileMac(file) })
  return true
}

/**
 * Whether sealing pays: the seal makes the next unlock hash every byte of the file instead of building and hashing the
 * text of every committed row. Measured at 100k records (bench/integrity.bench.ts): hashing runs at about 1 GB/s, the
 * row scan at about 1.8 µs per row, so one row costs what hashing about 1,800 bytes costs. A vault of long texts (large
 * file, few rows) is scanned faster than hashed: it is not sealed. Up to 16 MiB either way takes a few milliseconds.
 */
export function sealIsCheaper(fileBytes: number, committedRows: number): boolean {
  return fileBytes <= Math.max(committedRows * SCAN_COST_IN_HASHED_BYTES, SMALL_FILE_BYTES)
}

const SCAN_COST_IN_HASHED_BYTES = 1800
const SMALL_FILE_BYTES = 16 * 2 ** 20
