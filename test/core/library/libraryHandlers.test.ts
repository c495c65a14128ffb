// Core tests (Node): the library and search channels through the real dispatcher, session and search service —
// import by path, search across scripts, CONFLICT on stale saves, attachment export via the (fake) save dialog,
// saved searches, and the search index closing (and persisting) before the vault locks. Runs over our own fixture
// letters always, and over the real seed letters too when their folder sits beside the repository.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IpcResult } from '../../../shared/ipc/contract'
import { createAppServices, type AppServices } from '../../../electron/core/app/services'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { MIN_KDF } from '../../../electron/core/vault/vault'
import { describeSeedLetters, OWN_LETTERS, type LetterSet } from '../../helpers/letterSets'

interface ScriptSearch {
  /** A query in one script… */
  query: string
  /** …finds exactly these letters (by file-name prefix)… */
  prefixes: string[]
  /** …and marks this word, written in the other script, in the first hit's snippet or title. */
  marked: string
}

interface LetterSetExpectations {
  /** The kinds of the imported letters, sorted. */
  kinds: string[]
  /** The Cyrillic letterhead found by its Latin spelling; `word` is marked, `again` is searched after unlocking. */
  letterhead: { query: string; prefix: string; word: string; again: string }
  /** More searches across scripts, e.g. names. */
  names: ScriptSearch[]
  /** A letter to save twice (prefix) and the letter whose original is exported (prefix). */
  saved: string
  exported: string
}

const OWN_EXPECTED: LetterSetExpectations = {
  kinds: ['correspondence', 'letter', 'letter', 'letter', 'letter', 'letter', 'statement', 'statement'],
  letterhead: { query: 'Podilska pravozakhysna', prefix: 'phri', word: 'ПОДІЛЬСЬКА', again: 'Podilska' },
  names: [
    // Latin → Cyrillic, in another romanisation than the usual one (y for и/ю).
    { query: 'Ostap Hnatyuk', prefixes: ['svitanok'], marked: 'Гнатюк' },
    // Cyrillic → Latin, and ø/æ names written in Cyrillic.
    { query: 'Бреннмоен', prefixes: ['fhrc', 'reply'], marked: 'Brennmoen' },
  ],
  saved: 'fhrc',
  exported: 'mfa',
}

const SEED_EXPECTED: LetterSetExpectations = {
  kinds: ['correspondence', 'letter', 'letter', 'statement', 'statement'],
  letterhead: { query: 'Krymska pravozakhysna', prefix: 'chrg', word: 'КРИМСЬКА', again: 'Krymska' },
  names: [{ query: 'Лубінець', prefixes: ['mfa'], marked: 'Lubinets' }],
  saved: 'nhc',
  exported: 'mfa',
}

/** The channel tests over one set of letters, each set with app services and a vault of its own. */
function describeLibraryChannels(set: LetterSet, want: LetterSetExpectations): void {
  let work: string
  let services: AppServices
  let saveAnswer: string | null = null
  const offered: string[] = []
  let ids: Record<string, string> = {}

  async function call<T = unknown>(channel: string, request: unknown): Promise<T> {
    const result = (await services.dispatch(channel, request)) as IpcResult<T>
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
    return result.value
  }
  async function fail(channel: string, request: unknown): Promise<string> {
    const result = await services.dispatch(channel, request)
    if (result.ok) throw new Error(`${channel} unexpectedly succeeded`)
    return result.error.code
  }
  const idsOf = (prefixes: string[]): string[] => prefixes.map((p) => ids[p]!).sort()

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
    services = createAppServices({
      userDataDir: path.join(work, 'user-data'),
      sodium: await loadSodium('native'),
      kdf: MIN_KDF,
      app: { name: 'Custodia', version: 'test', platform: process.platform },
      onInternalError: (channel, error) => console.error('INTERNAL', channel, error),
      platform: {
        chooseFolder: async () => null,
        chooseFiles: async () => [...set.paths],
        chooseSaveLocation: async (name) => {
          offered.push(name)
          return saveAnswer
        },
      },
    })
    await call('vault:create', { dir: path.join(work, 'vault'), passphrase: 'library handler passphrase' })
  })
  afterAll(() => {
    services.session.lock('user')
    fs.rmSync(work, { recursive: true, force: true })
  })

  it('imports the paths the file dialog returns and lists them', async () => {
    const { paths } = await call<{ paths: string[] }>('library:chooseImportFiles', {})
    const { results } = await call<{ results: { ok: boolean; file: string; id: string }[] }>('library:import', { paths })
    expect(results.every((r) => r.ok)).toBe(true)
    ids = Object.fromEntries(results.map((r) => [r.file.split('-')[0]!, r.id]))
    expect(Object.keys(ids)).toHaveLength(set.files.length)
    const { documents } = await call<{ documents: { id: string; kind: string }[] }>('library:list', {})
    expect(documents.map((d) => d.kind).sort()).toEqual(want.kinds)
  })

  it('refuses relative paths and empty batches at the contract', async () => {
    expect(await fail('library:import', { paths: ['relative/file.txt'] })).toBe('VALIDATION')
    expect(await fail('library:import', { paths: [] })).toBe('VALIDATION')
  })

  it('finds the Cyrillic letterhead by its Latin spelling, with marks inside the snippet or title', async () => {
    const result = await call<{ hits: { id: string; snippet: { text: string; marks: [number, number][] } }[]; total: number }>(
      'search:query',
      { query: want.letterhead.query },
    )
    expect(result.hits.map((h) => h.id)).toEqual([ids[want.letterhead.prefix]])
    const { text, marks } = result.hits[0]!.snippet
    expect(marks.length).toBeGreaterThan(0)
    expect(marks.map(([a, b]) => text.slice(a, b).toUpperCase())).toContain(want.letterhead.word)
    const facets = await call<{ kinds: Record<string, number> }>('search:getFacets', {})
    const counted: Record<string, number> = {}
    for (const kind of want.kinds) counted[kind] = (counted[kind] ?? 0) + 1
    expect(facets.kinds).toEqual(counted)
  })

  it('finds names written in the other script (Latin ↔ Cyrillic)', async () => {
    for (const { query, prefixes, marked } of want.names) {
      const result = await call<{ hits: { id: string; snippet: { text: string; marks: [number, number][] } }[] }>('search:query', { query })
      expect(result.hits.map((h) => h.id).sort(), query).toEqual(idsOf(prefixes))
      const { text, marks } = result.hits[0]!.snippet
      expect(
        marks.map(([a, b]) => text.slice(a, b)),
        query,
      ).toContain(marked)
    }
  })

  it('saves with the expected revision and answers CONFLICT to a stale one', async () => {
    const id = ids[want.saved]!
    const current = await call<{ revision: number; document: Record<string, unknown> }>('library:get', { id })
    const saved = await call<{ revision: number }>('library:update', {
      id,
      expectedRevision: current.revision,
      document: { ...current.document, tags: ['urgent'] },
    })
    expect(saved.revision).toBe(current.revision + 1)
    expect(
      await fail('library:update', { id, expectedRevision: current.revision, document: { ...current.document, tags: ['stale'] } }),
    ).toBe('CONFLICT')
    expect((await call<{ document: { tags: string[] } }>('library:get', { id })).document.tags).toEqual(['urgent'])
    const hits = await call<{ hits: { id: string }[] }>('search:query', { query: '', filter: { tags: ['urgent'] } })
    expect(hits.hits.map((h) => h.id)).toEqual([id])
    const revisions = await call<{ revisions: { revision: number }[] }>('library:listRevisions', { id })
    expect(revisions.revisions.map((r) => r.revision)).toEqual([2, 1])
    const diff = await call<{ fields: { field: string }[] }>('library:diffRevisions', { id, from: 1, to: 2 })
    expect(diff.fields.map((f) => f.field)).toEqual(['tags'])
  })

  it('exports an attachment where the save dialog says, and writes nothing when it is cancelled', async () => {
    const id = ids[want.exported]!
    const { attachments } = await call<{ attachments: { id: string; filename: string }[] }>('library:listAttachments', { id })
    saveAnswer = null
    expect(await call('library:exportAttachment', { documentId: id, attachmentId: attachments[0]!.id })).toEqual({ saved: false })
    saveAnswer = path.join(work, 'exported.txt')
    expect(await call('library:exportAttachment', { documentId: id, attachmentId: attachments[0]!.id })).toEqual({ saved: true })
    expect(offered).toEqual([attachments[0]!.filename, attachments[0]!.filename])
    const original = set.paths.find((p) => path.basename(p).startsWith(`${want.exported}-`))!
    expect(fs.readFileSync(saveAnswer).equals(fs.readFileSync(original))).toBe(true)
  })

  it('keeps saved searches, replaces one by name, and never shows them as search results', async () => {
    const first = await call<{ id: string }>('search:createSaved', { name: 'Ukraine', query: 'Ukraine', filter: { kinds: ['statement'] } })
    const again = await call<{ id: string }>('search:createSaved', { name: 'Ukraine', query: 'Ukraine ceasefire', filter: {} })
    expect(again.id).toBe(first.id)
    expect(await call('search:listSaved', {})).toEqual({
      searches: [{ id: first.id, name: 'Ukraine', query: 'Ukraine ceasefire', filter: {} }],
    })
    expect(await fail('search:createSaved', { name: '   ', query: 'x', filter: {} })).toBe('VALIDATION')
    const all = await call<{ total: number }>('search:query', { query: '' })
    expect(all.total).toBe(set.files.length)
    await call('search:deleteSaved', { id: first.id })
    expect(await call('search:listSaved', {})).toEqual({ searches: [] })
    expect(await fail('search:deleteSaved', { id: ids[want.saved] })).toBe('NOT_FOUND')
  })

  it('closes the search index (writing its encrypted snapshot) before the vault locks', async () => {
    const dir = services.session.requireVault().dir
    const snapshots = () => (fs.existsSync(path.join(dir, 'index')) ? fs.readdirSync(path.join(dir, 'index')) : [])
    expect(snapshots()).toEqual([])
    await call('vault:lock', {})
    // The index persists only while the vault key is still there: a snapshot proves the order.
    expect(snapshots().length).toBeGreaterThan(0)
    expect(await fail('search:query', { query: 'Ukraine' })).toBe('VAULT_LOCKED')
    expect(await fail('library:list', {})).toBe('VAULT_LOCKED')
    await call('vault:unlock', { dir, passphrase: 'library handler passphrase' })
    expect((await call<{ total: number }>('search:query', { query: want.letterhead.again })).total).toBe(1)
  })
}

describe('library channels over our own fixture letters', () => describeLibraryChannels(OWN_LETTERS, OWN_EXPECTED))

describeSeedLetters('library channels', (seeds) => describeLibraryChannels(seeds, SEED_EXPECTED))
