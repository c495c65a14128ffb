// Main process (Node only): encrypted full-text search over the vault. The index is an in-memory SQLite database
// (FTS5 over folded text + filter columns) that reaches disk only as an encrypted snapshot, and catches up with the
// vault by itself before every query. Design and trade-offs: docs/SEARCH.md.
import { performance } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import { CustodiaError } from '../../../shared/errors'
import { loadSodium, type SodiumBackend } from '../platform/crypto/sodium'
import type { StoredRecord, Vault } from '../vault/vault'
import type { SearchExtractors, SearchFields } from './extractors'
import { clearFoldCaches, foldTextCached } from './foldCache'
import { buildSnippet, findMarks, type MarkRange, type MatchTerm } from './highlight'
import { buildExclusionExpression, buildMatchExpression, parseSearchQuery, quoteFtsTerm, type QueryTerm } from './query'
import { readSnapshot, removeSnapshotLeftovers, SNAPSHOT_FORMAT_VERSION, writeSnapshot } from './snapshot'

export {
  createSearchExtractors,
  type SearchExtractor,
  type SearchExtractorRegistration,
  type SearchExtractors,
  type SearchFields,
} from './extractors'

export interface SearchFilter {
  /** Any of these kinds. */
  kinds?: string[]
  /** Every one of these tags (exact match). */
  tags?: string[]
  /** Any of these statuses. */
  status?: string[]
  /** Any of these languages. */
  language?: string[]
  /** YYYY-MM-DD, inclusive; records without a date are left out when a date bound is given. */
  dateFrom?: string
  dateTo?: string
}
export interface SearchHit {
  id: string
  kind: string
  title: string
  titleMarks: [number, number][]
  date: string | null
  status: string | null
  language: string | null
  tags: string[]
  snippet: { text: string; marks: [number, number][] }
  /** Higher is better (negated bm25); 0 for a listing without words. */
  score: number
}
export interface SearchResult {
  hits: SearchHit[]
  total: number
  tookMs: number
}
export interface SearchFacets {
  kinds: Record<string, number>
  tags: Record<string, number>
  languages: Record<string, number>
  statuses: Record<string, number>
}
/** How open() found the snapshot, and how many records the first catch-up indexed (for the UI and tests). */
export interface SearchOpenReport {
  snapshot: 'loaded' | 'missing' | 'discarded'
  /** Why a snapshot was discarded. */
  reason?: 'format' | 'authentication' | 'schema' | 'vault-behind'
  reindexed: number
}

export const DEFAULT_PAGE_LIMIT = 20
export const MAX_PAGE_LIMIT = 200
/** bm25 column weights: a word in the title counts this much more than one in the body. */
const TITLE_WEIGHT = 5
const BODY_WEIGHT = 1
const MAX_FILTER_VALUES = 200
const MAX_FILTER_VALUE_CHARS = 200
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/
/**
 * Above this many matches, bm25 is computed only for the hits with a query word in the title; the rest follow, most
 * recently saved first (docs/SEARCH.md, "Ranking a very common word"). bm25 costs ~1 µs per match, so this bounds it.
 */
export const FULL_RANK_LIMIT = 5000
/** After a catch-up this large, FTS5 segments are merged into one (faster queries, smaller snapshot). */
const OPTIMIZE_AFTER = 1000

const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    date TEXT,
    sort_key TEXT NOT NULL,
    status TEXT,
    language TEXT,
    tags TEXT NOT NULL
  );
  CREATE INDEX docs_kind ON docs (kind);
  CREATE INDEX docs_sort ON docs (sort_key DESC, id);
  CREATE TABLE doc_tags (tag TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (tag, doc)) WITHOUT ROWID;
  CREATE INDEX doc_tags_doc ON doc_tags (doc);
  CREATE VIRTUAL TABLE fts USING fts5(title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');
`

interface DocRow {
  rowid: number
  id: string
  kind: string
  date: string | null
  status: string | null
  language: string | null
  tags: string
  rank: number
  total: number
}

function validateStringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined
  if (
    !Array.isArray(value) ||
    value.length > MAX_FILTER_VALUES ||
    !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_FILTER_VALUE_CHARS)
  ) {
    throw new CustodiaError(
      'VALIDATION',
      `The ${name} filter must be a list of at most ${MAX_FILTER_VALUES} non-empty texts of at most ${MAX_FILTER_VALUE_CHARS} characters`,
    )
  }
  return value.length > 0 ? (value as string[]) : undefined
}

function validateDate(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) throw new CustodiaError('VALIDATION', `${name} must be a date as YYYY-MM-DD`)
  return value
}

interface ValidFilter {
  kinds: string[] | undefined
  tags: string[] | undefined
  status: string[] | undefined
  language: string[] | undefined
  dateFrom: string | undefined
  dateTo: string | undefined
}

function validateFilter(filter: unknown): ValidFilter {
  if (filter === undefined || filter === null)
    return { kinds: undefined, tags: undefined, status: undefined, language: undefined, dateFrom: undefined, dateTo: undefined }
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new CustodiaError('VALIDATION', 'The search filter must be an object')
  const f = filter as Record<string, unknown>
  const known = new Set(['kinds', 'tags', 'status', 'language', 'dateFrom', 'dateTo'])
  for (const key of Object.keys(f)) if (!known.has(key)) throw new CustodiaError('VALIDATION', 'The search filter has an unknown field')
  const out = {
    kinds: validateStringList(f['kinds'], 'kinds'),
    tags: validateStringList(f['tags'], 'tags'),
    status: validateStringList(f['status'], 'status'),
    language: validateStringList(f['language'], 'language'),
    dateFrom: validateDate(f['dateFrom'], 'dateFrom'),
    dateTo: validateDate(f['dateTo'], 'dateTo'),
  }
  if (out.dateFrom && out.dateTo && out.dateFrom > out.dateTo) throw new CustodiaError('VALIDATION', 'dateFrom must not be after dateTo')
  return out
}

function validatePage(page: unknown): { limit: number; offset: number } {
  if (page === undefined || page === null) return { limit: DEFAULT_PAGE_LIMIT, offset: 0 }
  if (typeof page !== 'object') throw new CustodiaError('VALIDATION', 'The page must be an object')
  const { limit = DEFAULT_PAGE_LIMIT, offset = 0 } = page as { limit?: unknown; offset?: unknown }
  if (!Number.isSafeInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_PAGE_LIMIT) {
    throw new CustodiaError('VALIDATION', `The page limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`)
  }
  if (!Number.isSafeInteger(offset) || (offset as number) < 0)
    throw new CustodiaError('VALIDATION', 'The page offset must be a whole number of at least 0')
  return { limit: limit as number, offset: offset as number }
}

/** Normalises what an extractor returned; anything unusable → null (the record is not indexed). */
function sanitizeFields(fields: unknown): SearchFields | null {
  if (typeof fields !== 'object' || fields === null) return null
  const f = fields as Partial<SearchFields>
  if (typeof f.title !== 'string' || typeof f.text !== 'string') return null
  const opt = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined)
  const date = typeof f.date === 'string' && DATE_PATTERN.test(f.date.slice(0, 10)) ? f.date.slice(0, 10) : null
  const tags = Array.isArray(f.tags) ? [...new Set(f.tags.filter((t): t is string => typeof t === 'string' && t.length > 0))] : []
  return { title: f.title, text: f.text, date, status: opt(f.status), language: opt(f.language), tags, extra: opt(f.extra) }
}

function countBy(rows: { key: string; n: number }[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const row of rows) out[row.key] = row.n
  return out
}

function isSkippableRecordError(err: unknown): boolean {
  return err instanceof CustodiaError && (err.code === 'TAMPERED' || err.code === 'CORRUPT' || err.code === 'NOT_FOUND')
}

/**
 * The search index of one unlocked vault. Synchronous after open(). Call close() before the vault locks (it needs the
 * search-index key to write the snapshot); after close() every method throws VAULT_LOCKED.
 */
export class SearchService {
  private db: Database.Database | null
  private lastSeq: number
  private dirty = false
  /** Whether the index was compared with this service's extractors (once, at the first catch-up). */
  private extractorsChecked = false
  private fullRankLimit = FULL_RANK_LIMIT
  private readonly stmts: ReturnType<SearchService['prepareStatements']>

  private constructor(
    private readonly vault: Vault,
    private readonly sodium: SodiumBackend,
    private readonly extractors: SearchExtractors,
    db: Database.Database,
    /** What open() found; `reindexed` counts the first catch-up. */
    readonly openReport: SearchOpenReport,
  ) {
    this.db = db
    this.stmts = this.prepareStatements(db)
    this.lastSeq = Number(this.stmts.getMeta.get('last_seq')?.value ?? 0)
  }

  /**
   * Opens the index of an unlocked vault: decrypts <vault>/index/search.snap (a snapshot that is missing, from another
   * format, from another vault, changed on disk, or newer than the vault is discarded and the index rebuilt from the
   * records), then catches up with every change since the snapshot. `extractors` decide what each kind contributes;
   * kinds whose extractor differs from the one the snapshot was built with are re-indexed. VAULT_LOCKED if the vault
   * is locked.
   */
  static async open(
    vault: Vault,
    opts: { extractors: SearchExtractors; sodium?: SodiumBackend; /** Tests only: another FULL_RANK_LIMIT. */ fullRankLimit?: number },
  ): Promise<SearchService> {
    if (opts.fullRankLimit !== undefined && (!Number.isSafeInteger(opts.fullRankLimit) || opts.fullRankLimit < 0)) {
      throw new CustodiaError('VALIDATION', 'fullRankLimit must be a whole number of at least 0')
    }
    const sodium = opts.sodium ?? (await loadSodium())
    const key = vault.getSearchIndexKey()
    removeSnapshotLeftovers(vault.dir)
    const read = readSnapshot(vault.dir, sodium, key, vault.vaultId)
    let db: Database.Database | null = null
    let report: SearchOpenReport
    if (read.status === 'loaded') {
      try {
        db = SearchService.openSerialized(read.plain)
        report = { snapshot: 'loaded', reindexed: 0 }
      } catch {
        report = { snapshot: 'discarded', reason: 'schema', reindexed: 0 }
      } finally {
        sodium.memzero(read.plain)
      }
    } else {
      report =
        read.status === 'missing' ? { snapshot: 'missing', reindexed: 0 } : { snapshot: 'discarded', reason: read.reason, reindexed: 0 }
    }
    if (db) {
      // The record holding the snapshot's change number (or a later one) must still exist: if nothing has a number that
      // high, the vault was restored from an older copy and the index holds records the vault no longer has.
      const seq = Number((db.prepare('SELECT value FROM meta WHERE key = ?').get('last_seq') as { value: string } | undefined)?.value ?? 0)
      if (seq > 0 && vault.listChangedSince(seq - 1).length === 0) {
        db.close()
        db = null
        report = { snapshot: 'discarded', reason: 'vault-behind', reindexed: 0 }
      }
    }
    const service = new SearchService(vault, sodium, opts.extractors, db ?? SearchService.createEmpty(opts.extractors), report)
    service.fullRankLimit = opts.fullRankLimit ?? FULL_RANK_LIMIT
    if (!db) service.dirty = true
    try {
      report.reindexed = service.catchUp()
    } catch (err) {
      service.discard()
      throw err
    }
    return service
  }

  private static createEmpty(extractors: SearchExtractors): Database.Database {
    const db = new Database(':memory:')
    db.exec(SCHEMA)
    db.prepare("INSERT INTO fts (fts, rank) VALUES ('rank', ?)").run(`bm25(${TITLE_WEIGHT}, ${BODY_WEIGHT})`)
    const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)')
    insert.run('format', String(SNAPSHOT_FORMAT_VERSION))
    insert.run('last_seq', '0')
    // Everything will be indexed from change 0 with today's extractors: nothing to re-index for them.
    insert.run('extractors', JSON.stringify(extractors.signature))
    return db
  }

  // Throws for anything that is not an index this build wrote (the caller then rebuilds).
  private static openSerialized(plain: Buffer): Database.Database {
    const db = new Database(plain)
    try {
      const format = (db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined)?.value
      if (format !== String(SNAPSHOT_FORMAT_VERSION)) throw new CustodiaError('UNSUPPORTED', 'Search index format')
      db.prepare('SELECT count(*) FROM docs').get()
      db.prepare('SELECT count(*) FROM doc_tags').get()
      db.prepare("SELECT rowid FROM fts WHERE fts MATCH 'x' LIMIT 1").all()
      return db
    } catch (err) {
      db.close()
      throw err
    }
  }

  private prepareStatements(db: Database.Database) {
    return {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      findDoc: db.prepare<[string], { rowid: number }>('SELECT rowid FROM docs WHERE id = ?'),
      deleteDoc: db.prepare<[number]>('DELETE FROM docs WHERE rowid = ?'),
      deleteFts: db.prepare<[number]>('DELETE FROM fts WHERE rowid = ?'),
      deleteTags: db.prepare<[number]>('DELETE FROM doc_tags WHERE doc = ?'),
      insertDoc: db.prepare<[string, string, string | null, string, string | null, string | null, string]>(
        'INSERT INTO docs (id, kind, date, sort_key, status, language, tags) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertFts: db.prepare<[number, string, string]>('INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)'),
      insertTag: db.prepare<[string, number]>('INSERT OR IGNORE INTO doc_tags (tag, doc) VALUES (?, ?)'),
      countDocs: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM docs'),
      rankedPage: db.prepare<[string, number, number], { rowid: number; rank: number }>(
        'SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?',
      ),
      // FTS5 walks its doclist backwards and stops after the page; rank is computed for the returned rows only.
      newestPage: db.prepare<[string, number, number], { rowid: number; rank: number }>(
        'SELECT rowid, rank FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?',
      ),
      countMatches: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM fts WHERE fts MATCH ?'),
      docByRowid: db.prepare<[number], Omit<DocRow, 'rank' | 'total'>>(
        'SELECT rowid, id, kind, date, status, language, tags FROM docs WHERE rowid = ?',
      ),
    }
  }

  private requireDb(): Database.Database {
    if (!this.db) throw new CustodiaError('VAULT_LOCKED', 'The search index is closed')
    return this.db
  }

  /** Number of records in the index. */
  count(): number {
    this.requireDb()
    return this.stmts.countDocs.get()!.n
  }

  // --- indexing --------------------------------------------------------------------------------------------------

  private removeDoc(id: string): boolean {
    const row = this.stmts.findDoc.get(id)
    if (!row) return false
    this.stmts.deleteFts.run(row.rowid)
    this.stmts.deleteTags.run(row.rowid)
    this.stmts.deleteDoc.run(row.rowid)
    return true
  }

  private extractFields(record: StoredRecord): SearchFields | null {
    try {
      return sanitizeFields(this.extractors.select(record.kind)(record))
    } catch {
      // A broken extractor costs its record a place in the index, never the index itself.
      return null
    }
  }

  /** Decrypts one record and (re)writes its index entry; unreadable or unindexable records leave the index. */
  private indexRecord(id: string): void {
    let record: StoredRecord
    try {
      record = this.vault.getRecord(id)
    } catch (err) {
      if (!isSkippableRecordError(err)) throw err
      this.removeDoc(id)
      return
    }
    const fields = this.extractFields(record)
    this.removeDoc(id)
    if (!fields) return
    const tags = fields.tags ?? []
    const sortKey = `${fields.date ?? record.savedAt.slice(0, 10)} ${record.savedAt}`
    const rowid = Number(
      this.stmts.insertDoc.run(id, record.kind, fields.date, sortKey, fields.status ?? null, fields.language ?? null, JSON.stringify(tags))
        .lastInsertRowid,
    )
    const body = fields.extra ? `${fields.text}\n${fields.extra}` : fields.text
    this.stmts.insertFts.run(rowid, foldTextCached(fields.title), foldTextCached(body))
    for (const tag of tags) this.stmts.insertTag.run(tag, rowid)
  }

  // Kinds whose extractor changed since the index was built (or gained or lost one) are re-indexed from the vault.
  // The set never changes while the service is open, so this compares once.
  private reindexChangedKinds(): number {
    if (this.extractorsChecked) return 0
    const current = this.extractors.signature
    let stored: Record<string, number> = {}
    try {
      stored = JSON.parse(this.stmts.getMeta.get('extractors')?.value ?? '{}') as Record<string, number>
    } catch {
      stored = {}
    }
    const changed = [...new Set([...Object.keys(current), ...Object.keys(stored)])].filter((kind) => current[kind] !== stored[kind])
    let count = 0
    if (changed.length > 0) {
      const db = this.requireDb()
      db.transaction(() => {
        for (const kind of changed) {
          const ids = new Set(this.vault.listRecords({ kind }).map((r) => r.id))
          for (const row of db.prepare<[string], { id: string }>('SELECT id FROM docs WHERE kind = ?').all(kind)) ids.add(row.id)
          for (const id of ids) {
            this.indexRecord(id)
            count += 1
          }
        }
        this.stmts.setMeta.run('extractors', JSON.stringify(current))
      })()
      this.dirty = true
    }
    this.extractorsChecked = true
    return count
  }

  /**
   * Brings the index up to date with the vault: one indexed query for what changed since the last catch-up, then
   * only those records are decrypted and re-indexed (deleted ones leave the index). search() and facets() call it
   * first, so nobody has to tell the index about a save. Returns the number of records added, updated or removed.
   */
  catchUp(): number {
    const db = this.requireDb()
    let count = this.reindexChangedKinds()
    const changes = this.vault.listChangedSince(this.lastSeq)
    if (changes.length === 0) return count
    // Only the last change of each record matters.
    const latest = new Map<string, { deleted: boolean; changeSeq: number }>()
    let maxSeq = this.lastSeq
    for (const change of changes) {
      latest.set(change.id, change)
      maxSeq = Math.max(maxSeq, change.changeSeq)
    }
    db.transaction(() => {
      for (const [id, change] of latest) {
        if (change.deleted) this.removeDoc(id)
        else this.indexRecord(id)
      }
      this.stmts.setMeta.run('last_seq', String(maxSeq))
    })()
    if (latest.size >= OPTIMIZE_AFTER) {
      // Merging leaves the old segments' pages on the free list, which serialize() would copy into every snapshot.
      db.exec("INSERT INTO fts (fts) VALUES ('optimize')")
      db.exec('VACUUM')
    }
    this.lastSeq = maxSeq
    this.dirty = true
    count += latest.size
    return count
  }

  // --- querying --------------------------------------------------------------------------------------------------

  /**
   * Searches the index. Query language: words (all must match), "quoted phrases", prefix word*, -word to exclude;
   * script- and diacritic-insensitive (shared/text/fold). A query with no searchable word lists the filtered records
   * newest first. Never throws for any query text; a malformed filter or page → VALIDATION (nothing changes).
   * Snippets and title marks are built from the decrypted original text of the hits on this page only.
   */
  search(query: string, filter?: SearchFilter, page?: { limit?: number; offset?: number }): SearchResult {
    const started = performance.now()
    this.requireDb()
    const f = validateFilter(filter)
    const { limit, offset } = validatePage(page)
    this.catchUp()
    const db = this.requireDb()
    const terms = parseSearchQuery(typeof query === 'string' ? query : '')
    const match = buildMatchExpression(terms)
    const where: string[] = []
    const params: unknown[] = []
    const addIn = (column: string, values: string[] | undefined) => {
      if (!values) return
      where.push(`d.${column} IN (${values.map(() => '?').join(', ')})`)
      params.push(...values)
    }
    addIn('kind', f.kinds)
    addIn('status', f.status)
    addIn('language', f.language)
    for (const tag of f.tags ?? []) {
      where.push('EXISTS (SELECT 1 FROM doc_tags t WHERE t.tag = ? AND t.doc = d.rowid)')
      params.push(tag)
    }
    if (f.dateFrom) {
      where.push('d.date >= ?')
      params.push(f.dateFrom)
    }
    if (f.dateTo) {
      where.push('d.date <= ?')
      params.push(f.dateTo)
    }
    const columns =
      'd.rowid AS rowid, d.id AS id, d.kind AS kind, d.date AS date, d.status AS status, d.language AS language, d.tags AS tags'
    let rows: DocRow[]
    let total: number
    // Counting walks the doclist without ranking (a few ms even for a word in every record): it picks the plan.
    const matches = match ? this.stmts.countMatches.get(match)!.n : 0
    if (match && matches > this.fullRankLimit) {
      ;({ rows, total } = this.searchTiered(match, matches, terms, where, params, limit, offset))
    } else if (match && where.length === 0) {
      // FTS5 sorts by its `rank` column (bm25 with our weights, configured at creation) without a join per match; the
      // filter columns are read for this page only.
      rows = this.readDocs(this.stmts.rankedPage.all(match, limit, offset))
      total = matches
    } else {
      let sql: string
      let countSql: string
      let queryParams: unknown[]
      if (match) {
        // bm25() only works where FTS5 drives the scan, so rank inside a subquery and join the filter columns to it.
        const ranked = `SELECT rowid, bm25(fts, ${TITLE_WEIGHT}, ${BODY_WEIGHT}) AS rank FROM fts WHERE fts MATCH ?`
        const from = `FROM (${ranked}) m JOIN docs d ON d.rowid = m.rowid WHERE ${where.join(' AND ')}`
        sql = `SELECT ${columns}, m.rank AS rank, count(*) OVER () AS total ${from} ORDER BY m.rank, d.id LIMIT ? OFFSET ?`
        countSql = `SELECT count(*) AS n ${from}`
        queryParams = [match, ...params]
      } else {
        const exclusion = buildExclusionExpression(terms)
        if (exclusion) {
          where.push('d.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)')
          params.push(exclusion)
        }
        const from = `FROM docs d${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`
        sql = `SELECT ${columns}, 0 AS rank, count(*) OVER () AS total ${from} ORDER BY d.sort_key DESC, d.id LIMIT ? OFFSET ?`
        countSql = `SELECT count(*) AS n ${from}`
        queryParams = params
      }
      rows = db.prepare(sql).all(...queryParams, limit, offset) as DocRow[]
      total = rows[0]?.total ?? (offset > 0 ? (db.prepare(countSql).get(...queryParams) as { n: number }).n : 0)
    }
    const highlightTerms: MatchTerm[] = terms.filter((t) => !t.negated)
    const hits: SearchHit[] = []
    for (const row of rows) {
      const hit = this.buildHit(row, highlightTerms)
      if (hit) hits.push(hit)
      else total -= 1
    }
    return { hits, total: Math.max(total, hits.length), tookMs: performance.now() - started }
  }

  private readDocs(ranked: { rowid: number; rank: number }[]): DocRow[] {
    const rows: DocRow[] = []
    for (const { rowid, rank } of ranked) {
      const doc = this.stmts.docByRowid.get(rowid)
      if (doc) rows.push({ ...doc, rank, total: 0 })
    }
    return rows
  }

  /**
   * The plan for a match set larger than fullRankLimit (a very common word or prefix). Ranking every match is what
   * made these queries slow, so the order is in two tiers that never overlap: first the matches with a query word in
   * the title, ranked by bm25 as usual (a title hit always outranks a body hit, as in the full ranking); then the
   * body-only matches, most recently saved first (highest rowid: catch-up indexes in change order). Each tier is read
   * only as far as the page needs; `total` stays exact.
   */
  private searchTiered(
    match: string,
    matches: number,
    terms: QueryTerm[],
    where: string[],
    params: unknown[],
    limit: number,
    offset: number,
  ): { rows: DocRow[]; total: number } {
    const db = this.requireDb()
    const positive = terms.filter((t) => !t.negated)
    const inTitle = `{title} : (${positive.map(quoteFtsTerm).join(' OR ')})`
    // One word and no exclusion: "in the title" alone is the tier (each prefix in an expression costs FTS5 a merge).
    const titleMatch = positive.length === terms.length && positive.length === 1 ? inTitle : `(${match} AND ${inTitle})`
    const bodyMatch = `(${match} NOT ${inTitle})`
    const filtered = where.length > 0
    // With filters, FTS5 stays the outer loop (CROSS JOIN) so it still drives the order; docs is looked up by rowid.
    const join = `FROM fts CROSS JOIN docs d ON d.rowid = fts.rowid WHERE fts MATCH ? AND ${where.join(' AND ')}`
    const countOf = (expr: string): number =>
      filtered ? (db.prepare(`SELECT count(*) AS n ${join}`).get(expr, ...params) as { n: number }).n : this.stmts.countMatches.get(expr)!.n
    const rankedTitle = (n: number, skip: number) =>
      filtered
        ? (db
            .prepare(
              `SELECT fts.rowid AS rowid, bm25(fts, ${TITLE_WEIGHT}, ${BODY_WEIGHT}) AS rank ${join} ORDER BY rank, d.id LIMIT ? OFFSET ?`,
            )
            .all(titleMatch, ...params, n, skip) as { rowid: number; rank: number }[])
        : this.stmts.rankedPage.all(titleMatch, n, skip)
    const newestBody = (n: number, skip: number) =>
      filtered
        ? (db
            .prepare(
              `SELECT fts.rowid AS rowid, bm25(fts, ${TITLE_WEIGHT}, ${BODY_WEIGHT}) AS rank ${join} ORDER BY fts.rowid DESC LIMIT ? OFFSET ?`,
            )
            .all(bodyMatch, ...params, n, skip) as { rowid: number; rank: number }[])
        : this.stmts.newestPage.all(bodyMatch, n, skip)
    const total = filtered ? countOf(match) : matches
    const page = rankedTitle(limit, offset)
    if (page.length < limit) {
      // The title tier ends on this page (or before it): the rest of the page comes from the start of the body tier.
      const titleCount = page.length > 0 || offset === 0 ? offset + page.length : countOf(titleMatch)
      page.push(...newestBody(limit - page.length, Math.max(0, offset - titleCount)))
    }
    return { rows: this.readDocs(page), total }
  }

  // Decrypts the record for its original title and text; a record that vanished or fails to decrypt leaves the index.
  private buildHit(row: DocRow, terms: MatchTerm[]): SearchHit | null {
    let fields: SearchFields | null
    try {
      fields = this.extractFields(this.vault.getRecord(row.id))
    } catch (err) {
      if (!isSkippableRecordError(err)) throw err
      fields = null
    }
    if (!fields) {
      this.requireDb().transaction(() => this.removeDoc(row.id))()
      this.dirty = true
      return null
    }
    const snippet = buildSnippet(fields.text, terms)
    let tags: string[]
    try {
      tags = JSON.parse(row.tags) as string[]
    } catch {
      tags = []
    }
    return {
      id: row.id,
      kind: row.kind,
      title: fields.title,
      titleMarks: findMarks(fields.title, terms) as [number, number][],
      date: row.date,
      status: row.status,
      language: row.language,
      tags,
      snippet: { text: snippet.text, marks: snippet.marks as MarkRange[] },
      score: row.rank === 0 ? 0 : -row.rank,
    }
  }

  /** Counts per kind, tag, language and status over the whole index (after a catch-up), for the sidebar. */
  facets(): SearchFacets {
    this.catchUp()
    const db = this.requireDb()
    const group = (sql: string) => countBy(db.prepare(sql).all() as { key: string; n: number }[])
    return {
      kinds: group('SELECT kind AS key, count(*) AS n FROM docs GROUP BY kind'),
      tags: group('SELECT tag AS key, count(*) AS n FROM doc_tags GROUP BY tag'),
      languages: group('SELECT language AS key, count(*) AS n FROM docs WHERE language IS NOT NULL GROUP BY language'),
      statuses: group('SELECT status AS key, count(*) AS n FROM docs WHERE status IS NOT NULL GROUP BY status'),
    }
  }

  /**
   * Removes records from the index at once and rewrites the encrypted snapshot without them (shredding: nothing of a
   * destroyed record may stay in the index file until the next lock). A contentless FTS5 table keeps a deleted row's
   * tokens in its segments until they merge: `optimize` merges them and VACUUM drops the freed pages, so the serialized
   * database holds nothing of those records. VAULT_LOCKED if the vault is locked.
   */
  forget(ids: readonly string[]): void {
    const db = this.requireDb()
    db.transaction(() => {
      for (const id of ids) this.removeDoc(id)
    })()
    db.exec("INSERT INTO fts (fts) VALUES ('optimize')")
    db.exec('VACUUM')
    this.dirty = true
    this.persist()
  }

  // --- persistence ---------------------------------------------------------------------------------------------

  /** Writes the encrypted snapshot if anything changed since the last write. VAULT_LOCKED if the vault is locked. */
  persist(): void {
    const db = this.requireDb()
    if (!this.dirty) return
    const key = this.vault.getSearchIndexKey()
    const plain = db.serialize()
    try {
      writeSnapshot(this.vault.dir, this.sodium, key, this.vault.vaultId, plain)
    } finally {
      this.sodium.memzero(plain)
    }
    this.dirty = false
  }

  /**
   * Persists if dirty (unless `persist` is false: the panic lock) and frees the in-memory index. Idempotent. If the
   * vault is already locked the snapshot cannot be written; the index is then just dropped (the next open catches up
   * from the previous snapshot).
   */
  close(options: { persist?: boolean } = {}): void {
    if (!this.db) return
    try {
      if (options.persist !== false && !this.vault.locked) this.persist()
    } finally {
      this.discard()
    }
  }

  private discard(): void {
    try {
      this.db?.close()
    } finally {
      this.db = null
      clearFoldCaches()
    }
  }
}
