// Benchmarks (Node): encrypted full-text search at vault scale — query latency against a plain unencrypted FTS5 table
// over the same corpus, unlock-to-searchable with a snapshot and 100 changed records, and save latency.
// A synthetic corpus of ~3 KB documents mixing English-like, Cyrillic and Norwegian words and people's names in
// several scripts is generated from a seeded PRNG, so every run (and the plain baseline) sees the same text.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { DOCUMENT_KINDS, type LibraryDocumentInput } from '../shared/library/document'
import { loadSodium } from '../electron/core/platform/crypto/sodium'
import { createDocument, updateDocument } from '../electron/core/library/documentService'
import { createSearchExtractors, SearchService } from '../electron/core/search/searchService'
import { getSnapshotPath } from '../electron/core/search/snapshot'
import { createVault, DEFAULT_KDF, openVault } from '../electron/core/vault/vault'
import { percentile, timeMs, type Figure } from './measure'

// --- corpus --------------------------------------------------------------------------------------------------------

/** xorshift32: fast, seeded, good enough to pick words. */
function createRandom(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 0x100000000
  }
}

function buildWords(syllables: string[], count: number, seed: number): string[] {
  const random = createRandom(seed)
  const out = new Set<string>()
  while (out.size < count) {
    const n = 2 + Math.floor(random() * 3)
    let word = ''
    for (let i = 0; i < n; i++) word += syllables[Math.floor(random() * syllables.length)]
    out.add(word)
  }
  return [...out]
}

const LATIN = buildWords(
  ['ka', 'ro', 'ti', 'men', 'sta', 'ple', 'dor', 'vi', 'an', 'tre', 'lo', 'ser', 'gu', 'no', 'bri', 'ce', 'tion', 'al', 'ri', 'ment'],
  4000,
  1,
)
const CYRILLIC = buildWords(
  ['ка', 'ро', 'ні', 'ць', 'ва', 'лі', 'ст', 'пра', 'бе', 'жы', 'ўс', 'ма', 'до', 'ку', 'ле', 'на', 'ція', 'ські', 'го', 'тэ'],
  4000,
  2,
)
const NORWEGIAN = buildWords(
  ['sjø', 'kjæ', 'rå', 'fen', 'gsel', 'mø', 'te', 'dag', 'bok', 'lig', 'het', 'for', 'ste', 'hø', 'ring', 'vår', 'sak', 'en'],
  1500,
  3,
)
/** People as the corpus writes them; queries look them up in another script or spelling. */
const NAMES: [string, string][] = [
  ['Бяляцкі', 'Bialiatski'],
  ['Лубінець', 'Lubinets'],
  ['Støre', 'Stoere'],
  ['Навальный', 'Navalny'],
  ['Калеснікава', 'Kalesnikava'],
  ['Лосік', 'Losik'],
  ['Статкевіч', 'Statkevich'],
  ['Знак', 'Znak'],
  ['Кара-Мурза', 'Kara-Murza'],
  ['Яшин', 'Yashin'],
  ['Zelenskyy', 'Зеленський'],
  ['Łukaszenka', 'Lukashenka'],
  ['Tsikhanouskaya', 'Ціханоўская'],
  ['Гонгадзе', 'Gongadze'],
  ['Bабарико', 'Babaryka'],
]
const VOCABULARY = [...LATIN, ...CYRILLIC, ...NORWEGIAN]
const TAGS = ['belarus', 'ukraine', 'russia', 'norway', 'prisoners', 'urgent', 'un', 'osce', 'court', 'media']
const STATUSES = ['draft', 'sent', 'received', 'published', 'archived'] as const
const LANGUAGES = ['en', 'be', 'uk', 'ru', 'no']

// Skewed towards the start of the vocabulary, like real word frequencies (a few very common words, a long tail).
function pickWord(random: () => number): string {
  const r = random()
  return VOCABULARY[Math.floor(VOCABULARY.length * r * r * r)]!
}

/** The document number `index` of the corpus: ~3 KB of text, deterministic. */
export function generateDocument(index: number): LibraryDocumentInput {
  const random = createRandom(index * 2654435761 + 12345)
  const words: string[] = []
  let length = 0
  while (length < 3000) {
    const word = random() < 0.02 ? NAMES[Math.floor(random() * NAMES.length)]![0] : pickWord(random)
    words.push(random() < 0.08 ? `${word}.\n` : word)
    length += word.length + 1
  }
  const title = `${pickWord(random)} ${pickWord(random)} ${random() < 0.3 ? NAMES[Math.floor(random() * NAMES.length)]![0] : pickWord(random)}`
  const month = 1 + Math.floor(random() * 12)
  const day = 1 + Math.floor(random() * 28)
  return {
    kind: DOCUMENT_KINDS[index % DOCUMENT_KINDS.length]!,
    title,
    date: `${2015 + (index % 11)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    language: LANGUAGES[index % LANGUAGES.length]!,
    tags: [TAGS[index % TAGS.length]!, TAGS[(index * 7) % TAGS.length]!].filter((t, i, all) => all.indexOf(t) === i),
    status: STATUSES[index % STATUSES.length]!,
    text: words.join(' '),
  }
}

interface BenchQuery {
  query: string
  filter?: { kinds?: string[]; dateFrom?: string; dateTo?: string }
}

/** ~200 varied queries: words, names in another script, AND, phrases from real documents, prefixes, exclusions, filters. */
function buildQueries(records: number): BenchQuery[] {
  const random = createRandom(777)
  const word = () => pickWord(random)
  const out: BenchQuery[] = []
  for (let i = 0; i < 50; i++) out.push({ query: VOCABULARY[Math.floor(random() * VOCABULARY.length)]! })
  for (let i = 0; i < 30; i++) out.push({ query: NAMES[i % NAMES.length]![1] })
  for (let i = 0; i < 30; i++) out.push({ query: `${word()} ${word()}` })
  for (let i = 0; i < 30; i++) {
    const text = String(generateDocument(Math.floor(random() * records)).text)
      .replace(/[.\n]/g, ' ')
      .split(/\s+/)
      .filter(Boolean)
    const at = Math.floor(random() * (text.length - 3))
    out.push({ query: `"${text.slice(at, at + 2 + (i % 2)).join(' ')}"` })
  }
  for (let i = 0; i < 20; i++) out.push({ query: `${VOCABULARY[Math.floor(random() * VOCABULARY.length)]!.slice(0, 4)}*` })
  for (let i = 0; i < 20; i++) out.push({ query: `${word()} -${word()}` })
  for (let i = 0; i < 20; i++) {
    out.push({ query: word(), filter: i % 2 ? { kinds: [DOCUMENT_KINDS[i % 4]!] } : { dateFrom: '2019-01-01', dateTo: '2021-12-31' } })
  }
  return out
}

// --- the plain baseline ---------------------------------------------------------------------------------------------

/** The same query shape for the plain table: unfolded terms, each quoted, AND / NOT, prefix kept. */
function toPlainMatch(query: string): string | null {
  const positive: string[] = []
  const negative: string[] = []
  for (const m of query.matchAll(/(-?)(?:"([^"]*)"|(\S+))/gu)) {
    const raw = m[2] ?? m[3] ?? ''
    const tokens = raw.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []
    if (tokens.length === 0) continue
    const term = `"${tokens.join(' ')}"${raw.endsWith('*') ? ' *' : ''}`
    ;(m[1] ? negative : positive).push(term)
  }
  if (positive.length === 0) return null
  return negative.reduce((expr, term) => `(${expr} NOT ${term})`, `(${positive.join(' AND ')})`)
}

/** Records per transaction when the corpus is created (vault.transaction) and copied into the plain table. */
const CREATE_BATCH = 1000

/** Opens the plain table for a bulk load: no journal and no fsync while it is filled (it is rebuilt on every run). */
function openPlainIndex(file: string): Database.Database {
  const db = new Database(file)
  db.pragma('journal_mode = OFF')
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  db.exec(`CREATE TABLE docs (rowid INTEGER PRIMARY KEY, kind TEXT, date TEXT);
           CREATE VIRTUAL TABLE plain USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')`)
  return db
}

function insertPlain(db: Database.Database, first: number, docs: LibraryDocumentInput[]): void {
  const insertDoc = db.prepare('INSERT INTO docs (rowid, kind, date) VALUES (?, ?, ?)')
  const insertFts = db.prepare('INSERT INTO plain (rowid, title, body) VALUES (?, ?, ?)')
  db.transaction(() => {
    docs.forEach((doc, k) => {
      insertDoc.run(first + k + 1, doc.kind, doc.date)
      insertFts.run(first + k + 1, doc.title, doc.text)
    })
  })()
}

/** Merges the plain table's segments and puts it in the configuration it is queried in (WAL, default cache). */
function finishPlainIndex(db: Database.Database): void {
  db.exec("INSERT INTO plain (plain) VALUES ('optimize')")
  // The same ranking as ours, through FTS5's rank column (so both sides get FTS5's ORDER BY rank optimisation).
  db.prepare("INSERT INTO plain (plain, rank) VALUES ('rank', 'bm25(5, 1)')").run()
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('cache_size = -2000')
}

/** What an unencrypted app would run: ranked page of 20 with FTS5's own snippets, plus the total. */
function runPlainQuery(db: Database.Database, q: BenchQuery): void {
  const match = toPlainMatch(q.query)
  if (!match) return
  const where: string[] = []
  const params: unknown[] = [match]
  if (q.filter?.kinds) {
    where.push('d.kind = ?')
    params.push(q.filter.kinds[0])
  }
  if (q.filter?.dateFrom) {
    where.push('d.date >= ? AND d.date <= ?')
    params.push(q.filter.dateFrom, q.filter.dateTo)
  }
  const filters = where.length ? ` AND rowid IN (SELECT d.rowid FROM docs d WHERE ${where.join(' AND ')})` : ''
  db.prepare(
    `SELECT rowid, snippet(plain, 1, '[', ']', '…', 24) AS snip, highlight(plain, 0, '[', ']') AS title, rank
     FROM plain WHERE plain MATCH ?${filters} ORDER BY rank LIMIT 20`,
  ).all(...params)
  db.prepare(`SELECT count(*) AS n FROM plain WHERE plain MATCH ?${filters}`).get(...params)
}

// --- the suite ------------------------------------------------------------------------------------------------------

export async function runSearchBench(opts: { dir: string; records?: number }): Promise<Figure[]> {
  const records = opts.records ?? 100_000
  const sodium = await loadSodium('native')
  const passphrase = new TextEncoder().encode('bench passphrase for custodia search')
  const vaultDir = join(opts.dir, 'vault')
  const { vault } = await createVault(vaultDir, passphrase, { sodium, kdf: DEFAULT_KDF })
  const figures: Figure[] = []

  // Each document is generated once and goes into the vault (vault.transaction: one commit and fsync per batch
  // instead of per record) and into the plain baseline table; only the vault's share is the "create" figure.
  const ids: string[] = new Array(records)
  const plainDb = openPlainIndex(join(opts.dir, 'plain.sqlite'))
  let createAll = 0
  let plainBuild = 0
  for (let first = 0; first < records; first += CREATE_BATCH) {
    const docs = Array.from({ length: Math.min(CREATE_BATCH, records - first) }, (_, k) => generateDocument(first + k))
    createAll += await timeMs(() => vault.transaction(() => docs.forEach((doc, k) => (ids[first + k] = createDocument(vault, doc).id))))
    plainBuild += await timeMs(() => insertPlain(plainDb, first, docs))
  }
  plainBuild += await timeMs(() => finishPlainIndex(plainDb))
  figures.push({ name: `create ${records} records (vault.transaction, ${CREATE_BATCH} per batch)`, value: createAll / 1000, unit: 's' })
  figures.push({ name: 'plain baseline build (FTS5 on disk, same corpus)', value: plainBuild / 1000, unit: 's' })

  let search!: SearchService
  const build = await timeMs(async () => {
    search = await SearchService.open(vault, { sodium, extractors: createSearchExtractors() })
  })
  figures.push({ name: 'index build from every record (first open)', value: build / 1000, unit: 's' })
  const persist = await timeMs(() => search.close())
  figures.push({ name: 'snapshot write (serialize + encrypt + fsync)', value: persist, unit: 'ms' })
  figures.push({ name: 'snapshot size', value: statSync(getSnapshotPath(vaultDir)).size / 2 ** 20, unit: 'MiB' })

  // 100 records change while the index is closed; then lock.
  for (let i = 0; i < 100; i++) {
    const index = (i * 997) % records
    updateDocument(vault, ids[index]!, { ...generateDocument(index), title: `revised ${index}` })
  }
  vault.lock()

  let reopened!: Awaited<ReturnType<typeof openVault>>
  let reindexed = 0
  const unlock = await timeMs(async () => {
    reopened = await openVault(vaultDir, passphrase, { sodium })
    search = await SearchService.open(reopened, { sodium, extractors: createSearchExtractors() })
    reindexed = search.openReport.reindexed
    search.search('Bialiatski')
  })
  figures.push({ name: `unlock-to-searchable (snapshot + catch-up of ${reindexed})`, value: unlock / 1000, unit: 's', goal: '≤ 5 s' })

  const queries = buildQueries(records)
  const run = (q: BenchQuery) => search.search(q.query, q.filter)
  // One warm-up pass each, then the two engines alternate query by query so load on a shared machine hits both alike.
  for (const q of queries) {
    run(q)
    runPlainQuery(plainDb, q)
  }
  const ours: number[] = []
  const plain: number[] = []
  for (const q of queries) {
    ours.push(await timeMs(() => run(q)))
    plain.push(await timeMs(() => runPlainQuery(plainDb, q)))
  }
  plainDb.close()

  const oursP95 = percentile(ours, 95)
  const plainP95 = percentile(plain, 95)
  figures.push({ name: `search p50 (${queries.length} queries, page of 20 with snippets)`, value: percentile(ours, 50), unit: 'ms' })
  figures.push({ name: 'search p95', value: oursP95, unit: 'ms', goal: '≤ 50 ms' })
  figures.push({ name: 'plain FTS5 on disk p50', value: percentile(plain, 50), unit: 'ms' })
  figures.push({ name: 'plain FTS5 on disk p95', value: plainP95, unit: 'ms' })
  figures.push({ name: 'p95 ratio ours / plain', value: oursP95 / plainP95, unit: '×', goal: '≤ 1.5' })

  // Saves at full vault size; the search right after a save includes catching up with it.
  const saves: number[] = []
  const updates: number[] = []
  const afterSave: number[] = []
  for (let i = 0; i < 100; i++) {
    const doc = generateDocument(records + i)
    let id = ''
    saves.push(await timeMs(() => (id = createDocument(reopened, doc).id)))
    updates.push(await timeMs(() => updateDocument(reopened, id, { ...doc, title: `updated ${i}` })))
    afterSave.push(await timeMs(() => search.search(`updated ${i}`)))
  }
  figures.push({ name: 'save p95 (create 3 KB document)', value: percentile(saves, 95), unit: 'ms', goal: '≤ 20 ms' })
  figures.push({ name: 'save p95 (update 3 KB document)', value: percentile(updates, 95), unit: 'ms', goal: '≤ 20 ms' })
  figures.push({ name: 'search p95 right after a save (catch-up included)', value: percentile(afterSave, 95), unit: 'ms' })
  search.close()
  reopened.lock()
  return figures
}
