// Main process (Node only): opening vault.sqlite — the read-write connection with its durability and privacy pragmas,
// and a side-effect-free snapshot for reading keyslots before the vault is unlocked.

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { CustodiaError } from '../../../../shared/errors'

/** SQLite files are created 0600 (SQLite gives -wal/-shm the main file's mode). */
export const FILE_MODE = 0o600

function isSqliteError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code
  return err instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_')
}

/**
 * The one rule for SQLite failures that mean a damaged file (not a bug of ours): "not a database", "corrupt", a
 * format or type mismatch, an I/O error. Such an error, wherever it surfaces — unlock, a list, a save — is shown as
 * CORRUPT with a plain message (CLI exit 5), never as "unexpected error". Anything else: null.
 */
export function sqliteDamage(err: unknown): CustodiaError | null {
  if (isSqliteError(err) && /^SQLITE_(NOTADB|CORRUPT|CANTOPEN|FORMAT|MISMATCH|IOERR|RANGE|TOOBIG)/.test(err.code)) {
    return new CustodiaError(
      'CORRUPT',
      'The vault database is damaged, so this could not be read or saved. Run “custodia check” on the vault, or restore it from a backup.',
    )
  }
  return null
}

/** Maps SQLite's damage errors (sqliteDamage) to CustodiaError('CORRUPT'); rethrows anything else. */
export function rethrowAsCorrupt(err: unknown): never {
  if (err instanceof CustodiaError) throw err
  throw sqliteDamage(err) ?? err
}

/**
 * Opens the read-write connection. `create`: the file must not exist and is made 0600 first.
 * Pragmas: WAL journal; synchronous=FULL (a returned commit survives power loss and SIGKILL); secure_delete=ON
 * (freed pages are zeroed); temp_store=MEMORY (sorts and temp tables never reach a temp file); foreign_keys=ON.
 * Unreadable file → CORRUPT.
 */
export function openDatabase(file: string, opts: { create?: boolean } = {}): Database.Database {
  if (opts.create) fs.closeSync(fs.openSync(file, 'wx', FILE_MODE))
  let db: Database.Database | undefined
  try {
    db = new Database(file, { fileMustExist: true })
    if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') {
      throw new CustodiaError('INTERNAL', 'The vault database could not switch to WAL mode')
    }
    db.pragma('synchronous = FULL')
    db.pragma('secure_delete = ON')
    db.pragma('temp_store = MEMORY')
    db.pragma('foreign_keys = ON')
    return db
  } catch (err) {
    db?.close()
    rethrowAsCorrupt(err)
  }
}

/**
 * Opens a read-only snapshot of vault.sqlite without changing any file in the vault (a failed unlock must leave every
 * file byte-identical; SQLite would otherwise leave -wal/-shm behind after a read-only open).
 * Clean vault (no -wal, no -shm: closed the usual way): opened in place, query-only, inside one read transaction; on
 * close SQLite removes the -wal/-shm it made, as the last connection does. Nothing is copied: copying a 100k-record
 * vault (≈ 200 MiB) into memory took longer than Argon2id itself at every unlock.
 * Otherwise (a crash left a WAL, another process has the vault open, or the folder is read-only): the db and its WAL
 * are copied into a private 0700 temp folder outside the vault (ciphertext and keyslots only) and opened there, so
 * SQLite replays the WAL; `close()` deletes the copy. Missing file → NOT_A_VAULT; unreadable → CORRUPT.
 */
export function openSnapshot(file: string): { db: Database.Database; close(): void } {
  if (!fs.existsSync(file)) throw new CustodiaError('NOT_A_VAULT', 'The folder holds no Custodia vault')
  const inPlace = openInPlace(file)
  if (inPlace) return inPlace
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(file)
  } catch {
    throw new CustodiaError('NOT_A_VAULT', 'The folder holds no Custodia vault')
  }
  let walSize: number
  try {
    walSize = fs.statSync(`${file}-wal`).size
  } catch {
    walSize = 0
  }
  try {
    if (walSize === 0) {
      // Bytes 18-19 = 2 mark WAL mode, which an in-memory database cannot use; 1 = rollback journal.
      if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) {
        bytes[18] = 1
        bytes[19] = 1
      }
      const db = new Database(bytes, { readonly: true })
      db.prepare('SELECT count(*) FROM sqlite_master').get()
      return { db, close: () => db.close() }
    }
    // In the OS temp folder, not in <vault>/tmp where plaintext goes (issue #19 looked at both): this copy holds
    // ciphertext and keyslots only, and it is made before the passphrase is checked, when a failed unlock must leave
    // the vault folder untouched (and the folder may be read-only, e.g. a backup). A SIGKILL during these few
    // milliseconds can leave it behind: an older copy of the vault file, like a backup (after a passphrase change the
    // old passphrase still opens such a copy, as docs/CRYPTO.md says of every old copy).
    const copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-snapshot-'))
    fs.chmodSync(copyDir, 0o700)
    const copy = path.join(copyDir, 'vault.sqlite')
    const cleanup = () => fs.rmSync(copyDir, { recursive: true, force: true })
    try {
      fs.copyFileSync(file, copy)
      fs.copyFileSync(`${file}-wal`, `${copy}-wal`)
      const db = new Database(copy, { fileMustExist: true })
      db.prepare('SELECT count(*) FROM sqlite_master').get()
      return {
        db,
        close: () => {
          db.close()
          cleanup()
        },
      }
    } catch (err) {
      cleanup()
      throw err
    }
  } catch (err) {
    rethrowAsCorrupt(err)
  }
}

/**
 * openSnapshot's fast path: the vault file itself, when it was closed cleanly (no -wal, -shm or -journal exists, so no
 * other connection is open and no WAL waits to be replayed). A read-write connection, because only one that may write
 * removes the -wal/-shm it creates when it closes as the last one; `query_only` makes sure it writes nothing, and one
 * read transaction gives every read the same instant even if another process starts writing meanwhile. null when
 * the vault is not in that state or cannot be opened so (a read-only folder or file, a damaged file): the caller then
 * falls back to a copy, which reports damage the usual way.
 */
function openInPlace(file: string): { db: Database.Database; close(): void } | null {
  if (!closedCleanly(file)) return null
  let db: Database.Database | undefined
  try {
    db = new Database(file, { fileMustExist: true })
    db.pragma('query_only = ON')
    db.exec('BEGIN')
    db.prepare('SELECT count(*) FROM sqlite_master').get()
    const opened = db
    return {
      db: opened,
      close: () => {
        if (opened.inTransaction) opened.exec('ROLLBACK')
        opened.close()
      },
    }
  } catch {
    db?.close()
    return null
  }
}

/**
 * True when nothing waits beside the database file: no write-ahead log, shared-memory file or rollback journal. The
 * file alone is then the whole state, and no other connection has it open.
 */
export function closedCleanly(file: string): boolean {
  return !['-wal', '-shm', '-journal'].some((suffix) => fs.existsSync(`${file}${suffix}`))
}
