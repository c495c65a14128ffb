// Main process / CLI (Node only): what a backup needs to know of a database copy — whose vault it is, how long its
// activity log is, and which attachment blob files its rows name. Ciphertext metadata only: ids, sizes, counts.

import Database from 'better-sqlite3'
import { CustodiaError } from '../../../../shared/errors'
import { readSchemaVersion } from './migrations'
import { readMeta } from './vaultRepo'

/** One attachment row of the copy: id (32 hex chars), blob format version, ciphertext bytes of its blob file. */
export interface SnapshotAttachment {
  id: string
  blobVersion: number
  blobSize: number
}

export interface SnapshotFacts {
  vaultId: string
  schemaVersion: number
  /** Number of activity-log entries (the newest seq; the log runs 1..n). */
  auditEntries: number
  /** vault_meta.audit_head as 64 lower-case hex chars, or null for a vault whose log is empty. */
  auditHead: string | null
  /** Every attachment row, by id. */
  attachments: SnapshotAttachment[]
}

/** Reads the facts from an open connection. An unreadable copy → CORRUPT. */
export function readSnapshotFacts(db: Database.Database): SnapshotFacts {
  const meta = readMeta(db)
  try {
    const audit = db.prepare('SELECT MAX(seq) AS entries FROM audit_log').get() as { entries: number | null }
    const head = db.prepare('SELECT audit_head FROM vault_meta WHERE singleton = 1').get() as { audit_head: Buffer | null } | undefined
    const rows = db.prepare('SELECT id, blob_version, blob_size FROM attachments ORDER BY id').all() as {
      id: string
      blob_version: number
      blob_size: number
    }[]
    return {
      vaultId: meta.vault_id,
      schemaVersion: readSchemaVersion(db),
      auditEntries: audit.entries ?? 0,
      auditHead: Buffer.isBuffer(head?.audit_head) ? head.audit_head.toString('hex') : null,
      attachments: rows.map((row) => ({ id: row.id, blobVersion: row.blob_version, blobSize: row.blob_size })),
    }
  } catch (err) {
    if (err instanceof CustodiaError) throw err
    throw new CustodiaError('CORRUPT', 'The copy of the vault database is unreadable')
  }
}

/** Opens a database file read-only, reads its facts, closes it. Not a database → CORRUPT. */
export function readSnapshotFactsFromFile(file: string): SnapshotFacts {
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    return readSnapshotFacts(db)
  } catch (err) {
    if (err instanceof CustodiaError) throw err
    throw new CustodiaError('CORRUPT', 'The copy of the vault database is unreadable')
  } finally {
    db?.close()
  }
}
