// Main process / CLI (core, Node only): replaces a whole file so that a crash or power cut leaves either the old
// content or the new one, never a torn mix: temp file beside the target → write → fsync → rename → fsync the folder.
// writeUserFileSync is the one way Custodia writes a file for the user (an exported letter, an annotation report, a
// dossier list, an identity file, the CLI's outputs): the same sequence, always 0600.
// Streams that are written piece by piece (vault blobs, bundles, decrypted attachments) keep their own sequences.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../../shared/errors'

export interface AtomicWriteOptions {
  /** Permissions of the new file (before the umask). Default 0o600: our files are nobody else's business. */
  mode?: number
  /**
   * Never replace an existing file: EEXIST if `file` exists, checked when the finished temp file is linked into place
   * (link(2) refuses an existing name atomically, so a file created meanwhile is not overwritten either). On a
   * filesystem without hard links (FAT or exFAT USB sticks, some network shares) the file is created with O_EXCL and
   * written in place instead: still never an overwrite, but a crash mid-write can leave a partial file there.
   */
  exclusive?: boolean
}

/** Errors of link(2) meaning "this filesystem has no hard links", after which exclusive writes create in place. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'])

/** The temp-file prefix of `file`: `.<name>.`; leftovers are `.<name>.<random hex>.tmp` in the same folder. */
function tempPrefix(file: string): string {
  return `.${path.basename(file)}.`
}

/** Creates `file` with O_EXCL and `mode`, writes every piece, fsyncs and closes it. */
function writeNewFileSync(file: string, pieces: readonly Uint8Array[], mode: number): void {
  const fd = fs.openSync(file, 'wx', mode)
  try {
    for (const piece of pieces) {
      let written = 0
      while (written < piece.length) written += fs.writeSync(fd, piece, written, piece.length - written)
    }
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * Writes `data` (one buffer or string, or several pieces in order) as the new content of `file`. The temp file is
 * created exclusively (0600 unless `mode` says otherwise) in the target's folder, so the rename never crosses a
 * filesystem. On any failure the temp file is removed, the target is untouched and the error propagates (EEXIST
 * when `exclusive` and the file exists).
 */
export function writeFileAtomicSync(
  file: string,
  data: string | Uint8Array | readonly Uint8Array[],
  options: AtomicWriteOptions = {},
): void {
  const dir = path.dirname(file)
  const tmp = path.join(dir, `${tempPrefix(file)}${randomBytes(6).toString('hex')}.tmp`)
  const pieces = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data
  const mode = options.mode ?? 0o600
  if (options.exclusive && fs.existsSync(file)) throw Object.assign(new Error('EEXIST: file already exists'), { code: 'EEXIST' })
  try {
    writeNewFileSync(tmp, pieces, mode)
    if (!options.exclusive) fs.renameSync(tmp, file)
    else {
      try {
        fs.linkSync(tmp, file)
      } catch (error) {
        if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error
        try {
          writeNewFileSync(file, pieces, mode)
        } catch (inPlaceError) {
          // Remove what this call created, never a file that was there before (EEXIST: it was not ours).
          if ((inPlaceError as NodeJS.ErrnoException).code !== 'EEXIST') fs.rmSync(file, { force: true })
          throw inPlaceError
        }
      }
      fs.rmSync(tmp, { force: true })
    }
  } catch (error) {
    fs.rmSync(tmp, { force: true })
    throw error
  }
  syncDirectorySync(dir)
}

/**
 * Writes a file for the user — an export, a report, an identity file, a CLI output — whole or not at all, readable by
 * the user alone: created 0600 (a umask can only narrow it), also when it replaces an existing file of another mode
 * (the rename puts a new file in its place). Plaintext leaves the vault this way, so nobody else on the machine may
 * read it; a user who wants to share it changes the mode deliberately. With `exclusive`, an existing file is never
 * replaced. Throws CustodiaError, naming no path (messages reach the renderer): CONFLICT when `exclusive` and the
 * file exists, INTERNAL for any other failure (no folder, no permission, disk full); nothing is left behind then.
 */
export function writeUserFileSync(file: string, data: string | Uint8Array, options: { exclusive?: boolean } = {}): void {
  try {
    writeFileAtomicSync(file, data, { mode: 0o600, exclusive: options.exclusive === true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new CustodiaError('CONFLICT', 'A file of that name already exists in the chosen folder.')
    throw new CustodiaError('INTERNAL', 'The file could not be written to the chosen location.')
  }
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
