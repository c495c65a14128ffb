// Main process (Node only): which rows of vault.sqlite the vault's state commitment covers, and their canonical bytes.
// The commitment itself (keyed, in vault/stateCommitment.ts) needs crypto; this file only knows SQL. Each area is one
// SQL expression giving a row's canonical text, and that same expression is used whether a row is read alone (after a
// change) or in a full scan (at unlock): one definition per area, so the two can never disagree.
//
// Canonical text: SQLite's quote() of each column, joined by commas. quote() writes integers as digits, text in
// single quotes with inner quotes doubled, blobs as X'…' and NULL as NULL: each is self-delimiting and the kinds can't
// be confused, so two different rows never give the same text. SQLite builds it in C, and a full scan returns a
// whole chunk of rows as one string: at 100k records that is several times faster than fetching rows as arrays.
//
// What a row contributes is chosen so that deleting, rolling back or swapping it changes the commitment, at a cost
// that does not grow with content size: a ciphertext enters by its nonce (random, unique to that sealing; any other
// ciphertext under it fails authentication when read), never by its bytes.

import type Database from 'better-sqlite3'

/** The committed areas, in the fixed order their accumulators are stored. Never reorder: stored digests depend on it. */
export const COMMITTED_AREAS = [
  'meta',
  'audit',
  'keyslots',
  'settings',
  'records',
  'revisions',
  'attachments',
  'tombstones',
  // Schema 4 (members): appended, so a vault sealed before keeps its first eight accumulators as they were.
  'members',
  'invitations',
  // Schema 5 (item keys): appended likewise.
  'itemKeys',
  // Schema 6 (member key pairs, area keys): appended likewise.
  'memberKeys',
  'areaKeys',
] as const
export type CommittedArea = (typeof COMMITTED_AREAS)[number]

const AREA_COLUMNS: Record<CommittedArea, { table: string; columns: readonly string[] }> = {
  // The vault's identity. Not the change counter: it moves with every save, and only the search index's catch-up
  // reads it (a save would pay two more reads for it).
  meta: { table: 'vault_meta', columns: ['vault_id', 'format_version'] },
  // The audit head is a MAC over the newest entry and its seq, which chains to every earlier one: committing it
  // commits the log's end. With the scan's check that seqs run 1..n without a gap, an entry taken out of the middle is
  // caught at unlock without decrypting the log (an entry changed in place is caught by verifying the chain).
  audit: { table: 'vault_meta', columns: ['audit_head'] },
  keyslots: { table: 'keyslots', columns: ['id', 'kind', 'salt', 'opslimit', 'memlimit', 'nonce', 'wrapped_key'] },
  settings: { table: 'settings', columns: ['name', 'value'] },
  records: { table: 'records', columns: ['id', 'kind_tag', 'current_revision'] },
  revisions: { table: 'revisions', columns: ['record_id', 'revision', 'summary_nonce', 'body_nonce'] },
  attachments: { table: 'attachments', columns: ['id', 'record_id', 'blob_version', 'blob_size', 'meta_nonce'] },
  tombstones: { table: 'tombstones', columns: ['id', 'change_seq'] },
  // Every column but the ciphertexts, which enter by their nonces: removing, re-binding or swapping a member's row (to
  // lift a suspension, or give a keyslot another member's role) changes the commitment.
  members: { table: 'members', columns: ['id', 'keyslot_id', 'recovery_slot_id', 'name_hint', 'meta_nonce', 'signing_nonce'] },
  invitations: { table: 'invitations', columns: ['id', 'member_id', 'code_hash', 'expires_at', 'nonce', 'wrapped_key'] },
  // The wrapped key enters by its nonce like every ciphertext: removing an item's key (which would destroy the item
  // without a trace in the log) or re-binding it to another wrapping key changes the commitment.
  itemKeys: { table: 'item_keys', columns: ['item_kind', 'id', 'wrapped_by', 'nonce'] },
  // A member's public key in full (a swapped one would have area keys sealed to someone else), the sealed secret keys
  // by their nonces.
  memberKeys: { table: 'member_keys', columns: ['member_id', 'public_key', 'nonce', 'recovery_nonce'] },
  // Every column: a grant deleted (to lock a member out) or put back (after a removal) changes the commitment.
  areaKeys: { table: 'area_keys', columns: ['area', 'epoch', 'member_id', 'sealed', 'intent'] },
}

/** The areas a vault from before schema 4 was sealed over (its stored digest holds this many accumulators). */
export const LEGACY_COMMITTED_AREA_COUNT = 8
/** The areas a vault of schema 4 was sealed over (before item keys). */
export const MEMBERS_COMMITTED_AREA_COUNT = 10
/** The areas a vault of schema 5 was sealed over (before member key pairs and area keys). */
export const ITEM_KEYS_COMMITTED_AREA_COUNT = 11

/** True when the area's table exists in `db` (a snapshot of an older schema lacks the newer ones). */
export function hasCommittedTable(db: Database.Database, area: CommittedArea): boolean {
  const row = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?`).get(AREA_COLUMNS[area].table) as {
    n: number
  }
  return row.n > 0
}

function rowText(area: CommittedArea): string {
  return AREA_COLUMNS[area].columns.map((column) => `quote(${column})`).join(` || ',' || `)
}

/** The SELECT of the canonical text of an area's committed rows (one column), optionally narrowed by a WHERE clause. */
export function committedRowsSql(area: CommittedArea, where = ''): string {
  return `SELECT ${rowText(area)} FROM ${AREA_COLUMNS[area].table}${where ? ` WHERE ${where}` : ''}`
}

/** Rows per string in a full scan: big enough to make SQLite do the work, small enough to keep strings a few MiB. */
const SCAN_CHUNK_ROWS = 20_000

/**
 * Calls `onRow` with the canonical text (UTF-8) of every committed row of `area`. Big areas are read many rows at a
 * time as one string with rows separated by "\n". Only a quoted text value can hold a newline, and in those areas text
 * columns hold ids, which never do: a newline there splits a row into two that match nothing, so it is reported like
 * any other edit. Areas with free text (settings) are read row by row. With `onLines`, each such chunk is handed over
 * whole, as the string SQLite built (rows joined by "\n"), for hashing in one call; small areas still go to `onRow`.
 */
export function scanCommittedRows(
  db: Database.Database,
  area: CommittedArea,
  onRow: (encoded: Buffer) => void,
  onLines?: (lines: string) => void,
): void {
  const { table } = AREA_COLUMNS[area]
  if (
    table === 'vault_meta' ||
    area === 'settings' ||
    area === 'keyslots' ||
    area === 'members' ||
    area === 'invitations' ||
    area === 'memberKeys' ||
    area === 'areaKeys'
  ) {
    for (const text of db.prepare(committedRowsSql(area)).pluck().iterate() as Iterable<string | null>) onRow(Buffer.from(text ?? 'NULL'))
    return
  }
  const chunk = db.prepare(
    `SELECT group_concat(e, char(10)) AS rows, max(r) AS last FROM (SELECT ${rowText(area)} AS e, rowid AS r FROM ${table} WHERE rowid > ? ORDER BY rowid LIMIT ${SCAN_CHUNK_ROWS})`,
  )
  let last = -Infinity
  for (;;) {
    const { rows, last: chunkLast } = chunk.get(last) as { rows: string | null; last: number | null }
    if (rows === null || chunkLast === null) return
    last = chunkLast
    if (onLines) {
      onLines(rows)
      continue
    }
    const bytes = Buffer.from(rows)
    let start = 0
    for (;;) {
      const end = bytes.indexOf(10, start)
      onRow(bytes.subarray(start, end === -1 ? bytes.length : end))
      if (end === -1) break
      start = end + 1
    }
  }
}

/** True when the audit log's seqs run 1..n without a gap (what makes its committed length mean anything). */
export function auditSeqsContiguous(db: Database.Database): boolean {
  const row = db.prepare('SELECT count(*) AS n, min(seq) AS first, max(seq) AS last FROM audit_log').get() as {
    n: number
    first: number | null
    last: number | null
  }
  return row.n === 0 ? row.last === null : row.first === 1 && row.last === row.n
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
