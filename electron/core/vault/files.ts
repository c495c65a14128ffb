// Main process (Node only): the vault folder's layout and the file-system helpers its crash-safe writes rely on
// (private modes, directory fsync after a rename or create, errno checks).

import fsp from 'node:fs/promises'

export const DB_FILE = 'vault.sqlite'
export const BLOBS_DIR = 'blobs'
export const TMP_DIR = 'tmp'
export const DIR_MODE = 0o700
export const FILE_MODE = 0o600

export function isErrno(err: unknown, ...codes: string[]): boolean {
  return typeof (err as NodeJS.ErrnoException)?.code === 'string' && codes.includes((err as NodeJS.ErrnoException).code!)
}

/** fsyncs a directory so a rename or create in it is durable (not supported on Windows: skipped there). */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await fsp.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Bytes written between two early flushes of a large file (writebackAsWritten). */
const WRITEBACK_EVERY_BYTES = 16 * 1024 * 1024

/**
 * For a large file written in pieces and fsynced at the end: `written(n)` after each piece asks the disk, every
 * 16 MiB, to start on what is written so far (a datasync in libuv's threads, not waited for), so the disk works while
 * the next pieces are encrypted instead of all at the final fsync. `flushed()` waits for those flushes and rejects
 * with the first one's error; the caller's own fsync still makes the whole file durable.
 */
export function writebackAsWritten(handle: fsp.FileHandle): { written(bytes: number): void; flushed(): Promise<void> } {
  const flushes: Promise<void>[] = []
  let sinceFlush = 0
  return {
    written(bytes) {
      sinceFlush += bytes
      if (sinceFlush < WRITEBACK_EVERY_BYTES) return
      sinceFlush = 0
      const flush = handle.datasync()
      flush.catch(() => undefined)
      flushes.push(flush)
    },
    async flushed() {
      await Promise.all(flushes)
    },
  }
}
