// Main process / CLI (core, Node only): replaces a whole file so that a crash or power cut leaves either the old
// content or the new one, never a torn mix: temp file beside the target → write → fsync → rename → fsync the folder.
// Streams that are written piece by piece (vault blobs, bundles, decrypted attachments) keep their own sequences.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface AtomicWriteOptions {
  /** Permissions of the new file (before the umask). Default 0o600: our files are nobody else's business. */
  mode?: number
}

/** The temp-file prefix of `file`: `.<name>.`; leftovers are `.<name>.<random hex>.tmp` in the same folder. */
function tempPrefix(file: string): string {
  return `.${path.basename(file)}.`
}

/**
 * Writes `data` (one buffer or string, or several pieces in order) as the new content of `file`. The temp file is
 * created exclusively (0600 unless `mode` says otherwise) in the target's folder, so the rename never crosses a
 * filesystem. On any failure the temp file is removed, the target is untouched and the error propagates.
 */
export function writeFileAtomicSync(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): void {
  const dir = path.dirname(file)
  const tmp = path.join(dir, `${tempPrefix(file)}${randomBytes(6).toString('hex')}.tmp`)
  const pieces = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data
  const fd = fs.openSync(tmp, 'wx', options.mode ?? 0o600)
  try {
    try {
      for (const piece of pieces) {
        let written = 0
        while (written < piece.length) written += fs.writeSync(fd, piece, written, piece.length - written)
      }
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
  } catch (error) {
    fs.rmSync(tmp, { force: true })
    throw error
  }
  syncDirectorySync(dir)
}

/** Removes the temp files a crash during writeFileAtomicSync(`file`) left behind (none when the folder is missing). */
export function removeAtomicWriteLeftovers(file: string): void {
  const dir = path.dirname(file)
  const prefix = tempPrefix(file)
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) if (name.startsWith(prefix) && name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true })
}

/** fsyncs a folder so a rename or create in it survives a crash (Windows cannot open folders: skipped there). */
export function syncDirectorySync(dir: string): void {
  if (process.platform === 'win32') return
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
