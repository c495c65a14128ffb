// Core test (Node): search over a real vault — transliteration and diacritics through the real index, ranking,
// filters, the query language, hostile queries, snippets marking original words, and catch-up without being told.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CustodiaError } from '../../../shared/errors'
import { createDocument, updateDocument } from '../../../electron/core/library/documentService'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createSearchExtractors, SearchService, type SearchExtractor, type SearchResult } from '../../../electron/core/search/searchService'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'
import { CORPUS, createCorpus, sliceMarks, type CorpusKey } from './searchHelpers'

const root = createTempDir()
/** The library-document built-ins (these tests index documents and kinds without an extractor). */
const extractors = createSearchExtractors()
let vault: Vault
let search: SearchService
let ids: Record<CorpusKey, string>

function idsOf(result: SearchResult): string[] {
  return result.hits.map((h) => h.id)
}

beforeAll(async () => {
  const sodium = await loadSodium('native')
  vault = (await createVault(path.join(root, 'vault'), TEST_PASSPHRASE, { sodium, kdf: MIN_KDF })).vault
  ids = createCorpus(vault)
  search = await SearchService.open(vault, { extractors, sodium })
})

afterAll(() => {
  search.close()
  vault.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

describe('script- and diacritic-insensitive matching through the index', () => {
  it.each([
    ['Bialiatski', 'bialiatski', 'Бяляцкі'],
    ['Bialacki', 'bialiatski', 'Бяляцкі'],
    ['Lubinets', 'lubinets', 'Лубінець'],
    ['Lubinec', 'lubinets', 'Лубінець'],
    ['Stoere', 'store', 'Støre'],
    ['Store', 'store', 'Støre'],
    ['støre', 'store', 'Støre'],
    ['Навальный', 'navalny', 'Navalny'],
    ['Навальны', 'navalny', 'Navalny'],
  ] as const)('%s finds %s and marks the original word', (query, key, original) => {
    const result = search.search(query)
    expect(idsOf(result)).toEqual([ids[key]])
    expect(result.total).toBe(1)
    const hit = result.hits[0]!
    expect(sliceMarks(hit.snippet.text, hit.snippet.marks)).toEqual([original])
  })

  it('marks every matching word of a multi-word query, in the original script, and the title too', () => {
    const hit = search.search('алесь bialiatski')
    expect(idsOf(hit)).toEqual([ids.bialiatski])
    expect(sliceMarks(hit.hits[0]!.snippet.text, hit.hits[0]!.snippet.marks)).toEqual(['Алесь Бяляцкі'.split(' ')[0], 'Бяляцкі'])
    const title = search.search('motereferat').hits[0]!
    expect(title.title).toBe('Møtereferat')
    expect(sliceMarks(title.title, title.titleMarks)).toEqual(['Møtereferat'])
  })
})

describe('ranking, paging and filters', () => {
  it('ranks a title hit above a body hit, even when the body repeats the word', () => {
    const result = search.search('prison')
    expect(idsOf(result)).toEqual([ids.prisonTitle, ids.prisonBody])
    expect(result.hits[0]!.score).toBeGreaterThan(result.hits[1]!.score)
    expect(sliceMarks(result.hits[0]!.title, result.hits[0]!.titleMarks)).toEqual(['Prison'])
    expect(sliceMarks(result.hits[1]!.snippet.text, result.hits[1]!.snippet.marks)).toEqual(['prison', 'prison', 'prison'])
  })

  it('pages with a stable total', () => {
    const all = search.search('', undefined, { limit: 200 })
    expect(all.total).toBe(Object.keys(CORPUS).length)
    const first = search.search('', undefined, { limit: 2 })
    const second = search.search('', undefined, { limit: 2, offset: 2 })
    const beyond = search.search('', undefined, { limit: 2, offset: 50 })
    expect(first.total).toBe(all.total)
    expect(second.total).toBe(all.total)
    expect(beyond).toMatchObject({ hits: [], total: all.total })
    expect([...idsOf(first), ...idsOf(second)]).toEqual(idsOf(all).slice(0, 4))
  })

  it('lists by filter newest first when the query is empty', () => {
    const all = search.search('')
    const dates = all.hits.map((h) => h.date!)
    expect(dates).toEqual([...dates].sort().reverse())
    expect(idsOf(search.search('', { kinds: ['statement'] }))).toEqual([ids.navalny, ids.prisonTitle])
  })

  it('filters by kind, tags (all of them), status, language and date range', () => {
    expect(idsOf(search.search('', { kinds: ['note', 'letter'] })).sort()).toEqual([ids.store, ids.prisonBody, ids.bialiatski].sort())
    expect(idsOf(search.search('', { tags: ['prisoners'] })).sort()).toEqual([ids.bialiatski, ids.navalny].sort())
    expect(idsOf(search.search('', { tags: ['prisoners', 'russia'] }))).toEqual([ids.navalny])
    expect(idsOf(search.search('', { status: ['draft'] })).sort()).toEqual([ids.store, ids.prisonBody].sort())
    expect(idsOf(search.search('', { language: ['uk', 'be'] })).sort()).toEqual([ids.lubinets, ids.bialiatski].sort())
    expect(idsOf(search.search('', { dateFrom: '2024-01-01', dateTo: '2024-03-31' }))).toEqual([ids.bialiatski, ids.navalny])
    expect(idsOf(search.search('prison', { dateFrom: '2022-03-01' }))).toEqual([ids.prisonBody])
    expect(idsOf(search.search('prison', { kinds: ['letter'] }))).toEqual([])
  })

  it('returns the filter columns on each hit', () => {
    const hit = search.search('Lubinets').hits[0]!
    expect(hit).toMatchObject({
      kind: 'correspondence',
      date: '2024-05-10',
      status: 'received',
      language: 'uk',
      tags: ['ukraine'],
      title: CORPUS.lubinets.title,
    })
  })

  it('counts facets over the whole index', () => {
    expect(search.facets()).toEqual({
      kinds: { letter: 1, correspondence: 1, note: 2, statement: 2 },
      tags: { belarus: 1, prisoners: 2, ukraine: 1, norway: 1, russia: 2 },
      languages: { be: 1, uk: 1, no: 1, en: 3 },
      statuses: { sent: 1, received: 1, draft: 2, published: 1, archived: 1 },
    })
  })

  it('rejects malformed filters and pages with VALIDATION', () => {
    const bad: [unknown, unknown][] = [
      [{ kinds: 'letter' }, undefined],
      [{ dateFrom: '1 May 2024' }, undefined],
      [{ dateFrom: '2024-05-01', dateTo: '2024-01-01' }, undefined],
      [{ colour: ['red'] }, undefined],
      [{ tags: [''] }, undefined],
      [undefined, { limit: 0 }],
      [undefined, { limit: 201 }],
      [undefined, { limit: 1.5 }],
      [undefined, { offset: -1 }],
    ]
    for (const [filter, page] of bad) {
      expect(() => search.search('prison', filter as never, page as never)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    }
  })
})

describe('query language', () => {
  it('matches quoted phrases only in order', () => {
    expect(idsOf(search.search('"Jonas Gahr Støre"'))).toEqual([ids.store])
    expect(idsOf(search.search('"jonas gahr stoere"'))).toEqual([ids.store])
    expect(idsOf(search.search('"Gahr Jonas"'))).toEqual([])
    const hit = search.search('"penal colony"').hits[0]!
    expect(sliceMarks(hit.snippet.text, hit.snippet.marks)).toEqual(['penal colony'])
  })

  it('matches a prefix with word*, and marks the whole word', () => {
    const result = search.search('Lubin*')
    expect(idsOf(result)).toEqual([ids.lubinets])
    expect(sliceMarks(result.hits[0]!.snippet.text, result.hits[0]!.snippet.marks)).toEqual(['Лубінець'])
    expect(idsOf(search.search('Lubin'))).toEqual([])
  })

  it('ANDs words and excludes -words and -"phrases"', () => {
    expect(idsOf(search.search('prison monitors'))).toEqual([ids.prisonTitle])
    expect(idsOf(search.search('prison -report'))).toEqual([ids.prisonTitle])
    expect(idsOf(search.search('prison -"medical care"'))).toEqual([ids.prisonBody])
    // Only exclusions: everything else, newest first.
    const rest = search.search('-prison')
    expect(rest.total).toBe(Object.keys(CORPUS).length - 2)
    expect(idsOf(rest)).not.toContain(ids.prisonTitle)
  })

  it('never throws on hostile or odd queries, and never treats them as FTS5 syntax', () => {
    const hostile = [
      '"',
      '""',
      '"""',
      '*',
      '-',
      '--',
      ')',
      '(',
      'NEAR(',
      'NEAR(prison monitors, 2)',
      'prison OR oslo',
      'prison NOT monitors',
      'title:prison',
      '{title body}: prison',
      '^prison',
      'prison AND',
      'AND',
      'OR',
      'NOT',
      '+',
      ':',
      "'",
      '\u0000',
      '\\',
      '%_',
      '"unterminated prison',
      'pri"son',
      '* prison *',
      '-"',
      'a'.repeat(5000),
      '💥',
      '\ud800',
    ]
    for (const query of hostile) {
      const result = search.search(query)
      expect(Array.isArray(result.hits)).toBe(true)
      expect(result.total).toBeGreaterThanOrEqual(result.hits.length)
    }
    // Operators are ordinary words: "prison OR oslo" needs both words, so it finds nothing.
    expect(search.search('prison OR oslo').total).toBe(0)
    expect(idsOf(search.search('"unterminated'))).toEqual([])
    expect(search.search('').total).toBe(Object.keys(CORPUS).length)
    expect(search.search('*').total).toBe(Object.keys(CORPUS).length)
  })

  it('handles a 10 KB query within the term cap', () => {
    const words = 'prison monitors winter '.repeat(500)
    expect(words.length).toBeGreaterThan(10_000)
    const result = search.search(words)
    expect(idsOf(result)).toEqual([ids.prisonTitle])
    const junk = Array.from({ length: 10_240 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 94))).join('')
    expect(() => search.search(junk)).not.toThrow()
  })
})

describe('catch-up without being told', () => {
  it('sees creates, updates and deletes made directly on the vault', () => {
    const id = createDocument(vault, {
      kind: 'note',
      title: 'Kvitteringsnotat',
      date: '2025-01-02',
      text: 'Besøk hos Ihar Losik i fengselet.',
    }).id
    expect(idsOf(search.search('Losik'))).toEqual([id])
    expect(search.catchUp()).toBe(0)

    updateDocument(vault, id, { kind: 'note', title: 'Kvitteringsnotat', date: '2025-01-02', text: 'Besøk hos Maria Kalesnikava.' })
    expect(idsOf(search.search('Losik'))).toEqual([])
    expect(idsOf(search.search('Калеснікава'))).toEqual([id])

    vault.deleteRecord(id)
    expect(idsOf(search.search('Kalesnikava'))).toEqual([])
    expect(search.catchUp()).toBe(0)
  })

  it('finds a letter by its recipient, without showing recipients in the snippet', () => {
    const id = createDocument(vault, {
      kind: 'letter',
      title: 'Request for a visit',
      date: '2025-03-03',
      recipients: [{ name: 'Фолькер Тюрк', organisation: 'OHCHR' }],
      text: 'We request access to the detention facility.',
    }).id
    const hit = search.search('Folker Tiurk').hits
    expect(hit.map((h) => h.id)).toEqual([id])
    expect(hit[0]!.snippet).toEqual({ text: 'We request access to the detention facility.', marks: [] })
    vault.deleteRecord(id)
    expect(search.catchUp()).toBe(1)
  })

  it('catchUp() counts what changed and indexes the other kinds through the fallback', () => {
    const a = vault.createRecord('case-file', {
      summary: { title: 'Sprava Vyasna', tags: ['belarus'] },
      body: { text: 'Зміст справи праваабаронцаў' },
    })
    const b = vault.createRecord('case-file', { summary: { name: 'Unnamed' }, body: { items: [] } })
    const c = vault.createRecord('case-file', { summary: {}, body: 'nothing to index' })
    expect(search.catchUp()).toBe(3)
    expect(idsOf(search.search('Viasna'))).toEqual([a.id])
    expect(idsOf(search.search('unnamed'))).toEqual([b.id])
    expect(search.facets().kinds['case-file']).toBe(2)
    for (const ref of [a, b, c]) vault.deleteRecord(ref.id)
    expect(search.catchUp()).toBe(3)
    expect(search.facets().kinds['case-file']).toBeUndefined()
  })

  it('skips a record whose extractor throws, keeps the rest, and re-indexes a kind when its extractor changes', async () => {
    const sodium = await loadSodium('native')
    const failing: SearchExtractor = (record) => {
      const body = record.body as { name: string; fail?: boolean }
      if (body.fail) throw new Error('extractor bug')
      return { title: body.name, text: '', date: null }
    }
    const fixed: SearchExtractor = (record) => ({ title: (record.body as { name: string }).name, text: 'dossier', date: null })
    const version1 = createSearchExtractors([{ kind: 'test-dossier', extract: failing }])
    const version2 = createSearchExtractors([{ kind: 'test-dossier', extract: fixed, version: 2 }])
    const good = vault.createRecord('test-dossier', { summary: {}, body: { name: 'Mikalai Statkevich' } })
    const bad = vault.createRecord('test-dossier', { summary: {}, body: { name: 'Maksim Znak', fail: true } })
    const first = await SearchService.open(vault, { extractors: version1, sodium })
    try {
      expect(idsOf(first.search('Statkevich'))).toEqual([good.id])
      expect(idsOf(first.search('Znak'))).toEqual([])
    } finally {
      first.close()
    }

    // Version 2 indexes both: opening the snapshot with it re-indexes that kind (its two records), nothing else.
    const second = await SearchService.open(vault, { extractors: version2, sodium })
    try {
      expect(second.openReport).toEqual({ snapshot: 'loaded', reindexed: 2 })
      expect(idsOf(second.search('Znak'))).toEqual([bad.id])
      expect(second.search('dossier').total).toBe(2)
    } finally {
      second.close()
    }
    // The same set again: nothing to re-index. A set without the kind (the fallback finds no text) re-indexes it too.
    const third = await SearchService.open(vault, { extractors: version2, sodium })
    expect(third.openReport).toEqual({ snapshot: 'loaded', reindexed: 0 })
    third.close()
    const fourth = await SearchService.open(vault, { extractors, sodium })
    try {
      expect(fourth.openReport).toEqual({ snapshot: 'loaded', reindexed: 2 })
      expect(idsOf(fourth.search('Statkevich'))).toEqual([])
    } finally {
      fourth.close()
    }
    vault.deleteRecord(good.id)
    vault.deleteRecord(bad.id)
    expect(search.catchUp()).toBe(2)
  })

  it('refuses an extractor set that names a kind twice, an invalid kind, a non-function or a bad version', () => {
    const extract: SearchExtractor = () => null
    const refused = [
      () =>
        createSearchExtractors([
          { kind: 'twice', extract },
          { kind: 'twice', extract, version: 2 },
        ]),
      () => createSearchExtractors([{ kind: 'Not A Kind', extract }]),
      () => createSearchExtractors([{ kind: 'ok-kind', extract: 'nope' as unknown as SearchExtractor }]),
      () => createSearchExtractors([{ kind: 'ok-kind', extract, version: 0 }]),
    ]
    for (const call of refused) expect(call).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    // A built-in may be replaced, and the signature names every kind with its version.
    expect(createSearchExtractors([{ kind: 'note', extract, version: 3 }]).signature).toMatchObject({ note: 3, letter: 1 })
  })

  it('after close every call throws VAULT_LOCKED, and close is idempotent', async () => {
    const other = await SearchService.open(vault, { extractors })
    other.close()
    other.close()
    for (const call of [() => other.search('x'), () => other.facets(), () => other.catchUp(), () => other.persist()]) {
      expect(call).toThrow(CustodiaError)
      expect(call).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    }
  })
})
