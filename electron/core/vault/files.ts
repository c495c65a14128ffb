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
