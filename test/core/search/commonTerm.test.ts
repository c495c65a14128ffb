// Core test (Node): the plan for very common words — above fullRankLimit matches, title hits come first ranked by
// bm25, then body-only hits most recently saved first; totals stay exact, pages never overlap, filters, phrases,
// prefixes and exclusions keep their meaning, and the first tier agrees with the full ranking.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CustodiaError } from '../../../shared/errors'
import { createDocument, updateDocument } from '../../../electron/core/library/documentService'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { createSearchExtractors, FULL_RANK_LIMIT, SearchService, type SearchResult } from '../../../electron/core/search/searchService'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import type { LibraryDocumentInput } from '../../../shared/library/document'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

/** The library-document built-ins (these tests index documents and kinds without an extractor). */
const extractors = createSearchExtractors()

const root = createTempDir()
let sodium: SodiumBackend
let vault: Vault
let tiered: SearchService
let full: SearchService
/** Record ids in creation order. */
const created: string[] = []
const titleIds: string[] = []
const alphaIds = new Set<string>()

function makeDoc(i: number, title: string, text: string): LibraryDocumentInput {
  return { kind: i % 2 ? 'letter' : 'note', title, date: '2024-01-01', language: 'en', tags: [], status: 'draft', text }
}

function idsOf(result: SearchResult): string[] {
  return result.hits.map((h) => h.id)
}

beforeAll(async () => {
  sodium = await loadSodium('native')
  vault = (await createVault(path.join(root, 'vault'), TEST_PASSPHRASE, { sodium, kdf: MIN_KDF })).vault
  vault.transaction(() => {
    // The two title hits are the oldest records, so "newest first" alone would put them last.
    for (let i = 0; i < 2; i++) {
      const id = createDocument(vault, makeDoc(i, `Annual report ${i}`, `Summary number ${i}.`)).id
      created.push(id)
      titleIds.push(id)
    }
    for (let i = 2; i < 30; i++) {
      const alpha = i % 5 === 0
      const text = `Entry ${i}: the annual report of the monitors${alpha ? ' mentions alpha' : ''}; report annual reversed.`
      const id = createDocument(vault, makeDoc(i, `Entry ${i}`, text)).id
      created.push(id)
      if (alpha) alphaIds.add(id)
    }
    for (let i = 30; i < 35; i++) created.push(createDocument(vault, makeDoc(i, `Other ${i}`, 'Nothing relevant here.')).id)
  })
  tiered = await SearchService.open(vault, { extractors, sodium, fullRankLimit: 5 })
  full = await SearchService.open(vault, { extractors, sodium })
})

afterAll(() => {
  tiered.close()
  full.close()
  vault.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

describe('a very common word (more matches than fullRankLimit)', () => {
  const bodyOnlyNewestFirst = () => created.slice(2, 30).reverse()

  it('returns the title hits first, then body hits most recently saved first, with an exact total', () => {
    const result = tiered.search('report', undefined, { limit: 200 })
    expect(result.total).toBe(30)
    expect(idsOf(result).slice(0, 2).sort()).toEqual([...titleIds].sort())
    expect(idsOf(result).slice(2)).toEqual(bodyOnlyNewestFirst())
    expect(result.hits[0]!.titleMarks.length).toBeGreaterThan(0)
    expect(result.hits[2]!.snippet.marks.length).toBeGreaterThan(0)
    // Body hits still carry their bm25 score.
    expect(result.hits.every((h) => h.score > 0)).toBe(true)
  })

  it('agrees with the full ranking on which hits come first', () => {
    expect(FULL_RANK_LIMIT).toBeGreaterThan(30)
    const exact = full.search('report', undefined, { limit: 200 })
    expect(exact.total).toBe(30)
    expect(idsOf(exact).slice(0, 2).sort()).toEqual([...titleIds].sort())
    expect(new Set(idsOf(exact))).toEqual(new Set(idsOf(tiered.search('report', undefined, { limit: 200 }))))
  })

  it('pages across the tier boundary without gaps or repeats', () => {
    const all = idsOf(tiered.search('report', undefined, { limit: 200 }))
    for (const limit of [1, 2, 3, 7]) {
      const paged: string[] = []
      for (let offset = 0; offset < 35; offset += limit) {
        const page = tiered.search('report', undefined, { limit, offset })
        expect(page.total).toBe(30)
        paged.push(...idsOf(page))
      }
      expect(paged).toEqual(all)
    }
    expect(tiered.search('report', undefined, { limit: 5, offset: 40 }).hits).toEqual([])
  })

  it('keeps filters, exclusions, phrases and prefixes exact', () => {
    const letters = tiered.search('report', { kinds: ['letter'] }, { limit: 200 })
    const letterIds = created.slice(0, 30).filter((_, i) => i % 2 === 1)
    expect(letters.total).toBe(letterIds.length)
    expect(idsOf(letters)[0]).toBe(titleIds[1])
    expect(idsOf(letters).slice(1)).toEqual(letterIds.slice(1).reverse())
    for (let offset = 0; offset < letterIds.length; offset += 4) {
      expect(idsOf(tiered.search('report', { kinds: ['letter'] }, { limit: 4, offset }))).toEqual(idsOf(letters).slice(offset, offset + 4))
    }

    const withoutAlpha = tiered.search('report -alpha', undefined, { limit: 200 })
    expect(withoutAlpha.total).toBe(30 - alphaIds.size)
    expect(idsOf(withoutAlpha).some((id) => alphaIds.has(id))).toBe(false)
    expect(idsOf(withoutAlpha).slice(0, 2).sort()).toEqual([...titleIds].sort())

    // Every body has "report annual" too; the phrase "annual report" still needs the words in that order.
    const phrase = tiered.search('"annual report"', undefined, { limit: 200 })
    expect(phrase.total).toBe(30)
    expect(tiered.search('"report annual"', undefined, { limit: 200 }).total).toBe(28)
    expect(tiered.search('"report monitors"', undefined, { limit: 200 }).total).toBe(0)
    expect(idsOf(phrase).slice(0, 2).sort()).toEqual([...titleIds].sort())

    const prefix = tiered.search('repo*', undefined, { limit: 200 })
    expect(idsOf(prefix)).toEqual(idsOf(tiered.search('report', undefined, { limit: 200 })))
  })

  it('moves a body hit that was just saved to the top of the body tier', () => {
    const oldest = created[2]!
    updateDocument(vault, oldest, makeDoc(2, 'Entry 2 revised', 'Entry 2: the annual report, revised.'))
    const ids = idsOf(tiered.search('report', undefined, { limit: 3 }))
    expect(ids.slice(0, 2).sort()).toEqual([...titleIds].sort())
    expect(ids[2]).toBe(oldest)
  })

  it('rejects a malformed fullRankLimit with VALIDATION', async () => {
    await expect(SearchService.open(vault, { extractors, sodium, fullRankLimit: -1 })).rejects.toSatisfy(
      (err: unknown) => err instanceof CustodiaError && err.code === 'VALIDATION',
    )
  })
})
