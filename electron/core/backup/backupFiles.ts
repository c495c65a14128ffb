// Main process / CLI (core, Node only): the file work of backups — copy a file (with or without hashing the copy),
// fsync files, hash a file, private folders. Hashing reads large sequential chunks with the next read in flight while the current one is hashed;
// memory stays at two 4 MiB buffers per file whatever its size.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import { DIR_MODE, FILE_MODE } from '../vault/files'

const CHUNK_BYTES = 4 * 1024 * 1024

export interface HashedFile {
  /** SHA-256 of the bytes, 64 lower-case hex chars. */
  sha256: string
  size: number
}

/** Called with the number of bytes just processed (for progress). */
export type ByteProgress = (bytes: number) => void

/** Reads `handle` from offset 0 to its end, handing each chunk to `use` while the next read is already running. */
async function pipeChunks(handle: fsp.FileHandle, use: (chunk: Buffer) => Promise<void> | void): Promise<void> {
  const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)]
  let position = 0
  let turn = 0
  let pending = handle.read(buffers[0]!, 0, CHUNK_BYTES, position)
  for (;;) {
    const { bytesRead } = await pending
    if (bytesRead === 0) return
    const current = buffers[turn]!
    position += bytesRead
    turn ^= 1
    pending = handle.read(buffers[turn]!, 0, CHUNK_BYTES, position)
    try {
      await use(current.subarray(0, bytesRead))
    } catch (error) {
      await pending.catch(() => undefined)
      throw error
    }
  }
}

/** SHA-256 and size of a file. ENOENT and other errors propagate. */
export async function hashFile(file: string, onBytes?: ByteProgress): Promise<HashedFile> {
  const handle = await fsp.open(file, 'r')
  const hash = createHash('sha256')
  let size = 0
  try {
    await pipeChunks(handle, (chunk) => {
      hash.update(chunk)
      size += chunk.length
      onBytes?.(chunk.length)
    })
  } finally {
    await handle.close()
  }
  return { sha256: hash.digest('hex'), size }
}

/**
 * Copies `source` to `dest` (never replacing a file: EEXIST), makes it 0600 and returns its size in bytes. Not
 * fsynced: see syncFile. The copy is the kernel's (copy_file_range where the system has it, which Btrfs or XFS may
 * turn into shared blocks: no pass through this process), about a third faster here than reading and writing through
 * JavaScript buffers. On failure `dest` is removed (unless it was there before).
 */
export async function copyPrivate(source: string, dest: string): Promise<number> {
  try {
    await fsp.copyFile(source, dest, fs.constants.COPYFILE_EXCL)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') fs.rmSync(dest, { force: true })
    throw error
  }
  try {
    // The copy takes the source's mode; ours are private whatever the source was. A filesystem that keeps no modes
    // (FAT or exFAT USB disks, where backups often go) refuses the change: the copy is ciphertext, so go on.
    await fsp.chmod(dest, FILE_MODE).catch((error: NodeJS.ErrnoException) => {
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EINVAL'].includes(error.code ?? '')) throw error
    })
    return (await fsp.stat(dest)).size
  } catch (error) {
    fs.rmSync(dest, { force: true })
    throw error
  }
}

/** Flushes a file's bytes to the disk (fsync). Errors propagate. */
export async function syncFile(file: string): Promise<void> {
  const handle = await fsp.open(file, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Copies `source` to `dest` like copyPrivate, fsyncs it, and returns the SHA-256 and size of the bytes now in `dest` —
 * hashed from the copy, so what is recorded is what was written. On failure `dest` is removed (unless it was there
 * before).
 */
export async function copyAndHash(source: string, dest: string, onBytes?: ByteProgress): Promise<HashedFile> {
  await copyPrivate(source, dest)
  try {
    await syncFile(dest)
    return await hashFile(dest, onBytes)
  } catch (error) {
    fs.rmSync(dest, { force: true })
    throw error
  }
}

/** Creates a folder (and its parents) readable by the user alone: 0700. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE })
}

/** Runs `work` over `items` with at most `limit` at a time; the first failure is thrown once all have settled. */
export async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failure: unknown = null
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next++]!
      try {
        await work(item)
      } catch (error) {
        failure ??= error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  if (failure !== null) throw failure
}
