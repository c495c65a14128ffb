// Main process (Node only): which rows of vault.sqlite the vault's state commitment covers, and their canonical bytes.
// The commitment itself (keyed, in vault/stateCommitment.ts) needs crypto; this file only knows SQL. Each area is one
// SELECT, and every row it returns is encoded the same way whether it is read one at a time (after a change) or in a
// full scan (at unlock): one definition per area, so the two can never disagree.
//
// What a row contributes is chosen so that deleting, rolling back or swapping it changes the commitment, at a cost
// that does not grow with content size: ciphertexts enter by their nonce and the last 16 bytes (the Poly1305 tag,
// which already authenticates every other byte under the vault key).

import type Database from 'better-sqlite3'

/** The committed areas, in the fixed order their accumulators are stored. Never reorder: stored digests depend on it. */
export const COMMITTED_AREAS = [
  'meta',
  'audit',
  'auditEntries',
  'keyslots',
  'settings',
  'records',
  'revisions',
  'attachments',
  'tombstones',
] as const
export type CommittedArea = (typeof COMMITTED_AREAS)[number]

const AREA_COLUMNS: Record<CommittedArea, { table: string; columns: string }> = {
  // The vault-wide change counter: rolling it back would make the search index skip changes.
  meta: { table: 'vault_meta', columns: 'vault_id, format_version, last_change_seq' },
  // The audit head is a MAC over the newest entry, which chains to every earlier one: committing it commits the log.
  audit: { table: 'vault_meta', columns: 'audit_head' },
  // Each entry by its MAC too, so an entry taken out of the middle is caught at unlock without decrypting the log.
  auditEntries: { table: 'audit_log', columns: 'seq, mac' },
  keyslots: { table: 'keyslots', columns: 'id, kind, salt, opslimit, memlimit, nonce, wrapped_key' },
  settings: { table: 'settings', columns: 'name, value' },
  records: { table: 'records', columns: 'id, kind_tag, current_revision' },
  revisions: {
    table: 'revisions',
    columns: 'record_id, revision, summary_nonce, substr(summary_ct, -16), body_nonce, substr(body_ct, -16)',
  },
  attachments: { table: 'attachments', columns: 'id, record_id, blob_version, blob_size, meta_nonce, substr(meta_ct, -16)' },
  tombstones: { table: 'tombstones', columns: 'id, change_seq' },
}

/** The SELECT of every committed row of an area, optionally narrowed by a WHERE clause over that table. */
export function committedRowsSql(area: CommittedArea, where = ''): string {
  const { table, columns } = AREA_COLUMNS[area]
  return `SELECT ${columns} FROM ${table}${where ? ` WHERE ${where}` : ''}`
}

const TYPE_NULL = 0
const TYPE_INTEGER = 1
const TYPE_TEXT = 2
const TYPE_BLOB = 3
const TYPE_REAL = 4

/**
 * Canonical bytes of one row's values: per value a type byte, then a u32 length and the bytes (integers as signed
 * 64-bit big-endian). Injective, and total: a damaged row of any shape still encodes (to something that won't match).
 */
export function encodeCommittedRow(values: readonly unknown[]): Buffer {
  const parts: Buffer[] = []
  for (const value of values) {
    if (value === null || value === undefined) {
      parts.push(Buffer.from([TYPE_NULL]))
    } else if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) {
      const out = Buffer.alloc(9)
      out[0] = TYPE_INTEGER
      out.writeBigInt64BE(BigInt(value), 1)
      parts.push(out)
    } else if (typeof value === 'number') {
      const out = Buffer.alloc(9)
      out[0] = TYPE_REAL
      out.writeDoubleBE(value, 1)
      parts.push(out)
    } else {
      const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8')
      const head = Buffer.alloc(5)
      head[0] = Buffer.isBuffer(value) ? TYPE_BLOB : TYPE_TEXT
      head.writeUInt32BE(bytes.length, 1)
      parts.push(head, bytes)
    }
  }
  return Buffer.concat(parts)
}

/** Calls `onRow` with the encoding of every committed row of `area` (a full scan, rows as arrays for speed). */
export function scanCommittedRows(db: Database.Database, area: CommittedArea, onRow: (encoded: Buffer) => void): void {
  for (const values of db.prepare(committedRowsSql(area)).raw().iterate() as Iterable<unknown[]>) onRow(encodeCommittedRow(values))
}

/** What vault_meta holds of the commitment: the areas' accumulators (null before the first seal) and their MAC. */
export interface StoredStateDigest {
  digest: Buffer | null
  mac: Buffer | null
}

/** Reads the stored commitment. A database from before schema 3 has none: both null. */
export function readStoredStateDigest(db: Database.Database): StoredStateDigest {
  const hasColumns = (
    db.prepare(`SELECT count(*) AS n FROM pragma_table_info('vault_meta') WHERE name = 'state_digest'`).get() as {
      n: number
    }
  ).n
  if (!hasColumns) return { digest: null, mac: null }
  const row = db.prepare('SELECT state_digest, state_mac FROM vault_meta WHERE singleton = 1').get() as
    { state_digest: unknown; state_mac: unknown } | undefined
  const asBuffer = (value: unknown) => (Buffer.isBuffer(value) ? value : null)
  return { digest: asBuffer(row?.state_digest), mac: asBuffer(row?.state_mac) }
}
