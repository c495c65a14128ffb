// Test (Node, core project): the annotation service on a real vault in a temp dir — create from a selection, list
// re-anchored after the document changes (orphans kept), threads, resolve, vocabulary edits, dossier-field targets,
// W3C export, the search extractor and the printable report. No mocks.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countCodePoints, sliceCodePoints } from '../../../shared/annotations/codePoints'
import { MAX_LEGAL_BASES } from '../../../shared/annotations/annotationModel'
import { DEFAULT_LEGAL_BASES } from '../../../shared/annotations/legalBasis'
import { ANNO_CONTEXT, type W3CAnnotation, type W3CSelector, type W3CSpecificResource } from '../../../shared/annotations/w3c'
import { CustodiaError } from '../../../shared/errors'
import type { LibraryDocumentInput } from '../../../shared/library/document'
import {
  createAnnotation,
  deleteAnnotation,
  editAnnotation,
  getAnnotation,
  listAnnotations,
  locateQuote,
  replyToAnnotation,
  setAnnotationStatus,
  toAnnotationRecordId,
} from '../../../electron/core/annotations/annotationService'
import { buildAnnotationReportHtml, exportRecordW3C, exportSearchW3C } from '../../../electron/core/annotations/annotationExport'
import { addLegalBasis, listLegalBases, updateLegalBasis } from '../../../electron/core/annotations/legalBasisVocabulary'
import { annotationSearchExtractor } from '../../../electron/core/annotations/annotationSearchExtractor'
import { createDocument, getDocument, updateDocument } from '../../../electron/core/library/documentService'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createSearchExtractors, SearchService } from '../../../electron/core/search/searchService'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir } from '../../helpers/vaultTestUtils'

const ALICE = { id: 'alice', name: 'Alice Monitor' }
const BOB = { id: 'bob', name: 'Bob Lawyer' }

const TEXT =
  'Dear Minister,\n\n' +
  'On 4 June the detainee, Mr Haddad, was moved to Camp Delta without notice to his family. ' +
  'He asks that his lawyer be allowed to visit him. ' +
  'The camp administration refused every request for 📎 medical records.\n\n' +
  'Yours sincerely'

const root = createTempDir()
let vault: Vault
let docId: string

function letter(text: string): LibraryDocumentInput {
  return { kind: 'letter', title: 'Letter on Mr Haddad', date: '2025-06-04', text }
}

function rangeOf(text: string, quote: string): { start: number; end: number } {
  const at = text.indexOf(quote)
  if (at < 0) throw new Error(`test setup: quote not in text: ${quote}`)
  const start = countCodePoints(text.slice(0, at))
  return { start, end: start + countCodePoints(quote) }
}

function setText(id: string, text: string): void {
  const current = getDocument(vault, id)
  updateDocument(vault, id, { ...current.document, text }, { expectedRevision: current.revision })
}

function expectError(run: () => unknown, code: string, message?: RegExp): void {
  let caught: unknown
  try {
    run()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(CustodiaError)
  expect((caught as CustodiaError).code).toBe(code)
  if (message) expect((caught as CustodiaError).message).toMatch(message)
}

/** Everything that identifies the vault's state: record ids with revisions, and the audit length. */
function snapshotVault(): string {
  return JSON.stringify([
    vault
      .listRecords()
      .map((r) => [r.id, r.revision])
      .sort(),
    vault.audit.list().length,
  ])
}

beforeAll(async () => {
  vault = (
    await createVault(path.join(root, 'vault'), new TextEncoder().encode('annotation test passphrase'), {
      sodium: await loadSodium('native'),
      kdf: MIN_KDF,
    })
  ).vault
  docId = createDocument(vault, letter(TEXT)).id
})

afterAll(() => {
  vault.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

describe('annotations on a library document', () => {
  it('creates from a selection and lists it exactly anchored, with a summary that lists by record', () => {
    const a = createAnnotation(
      vault,
      {
        recordId: docId,
        selection: rangeOf(TEXT, 'moved to Camp Delta without notice'),
        body: 'Transfer without notice',
        tags: ['transfer'],
        legalBasisIds: ['gc4-art49'],
      },
      ALICE,
    )
    expect(a.target.quote?.exact).toBe('moved to Camp Delta without notice')
    expect(a.legalBases).toEqual([{ id: 'gc4-art49', label: 'GC IV art. 49' }])
    expect(a.status).toBe('open')
    const listed = listAnnotations(vault, docId)
    expect(listed).toHaveLength(1)
    expect(listed[0]!.anchor).toMatchObject({ status: 'exact', ...rangeOf(TEXT, 'moved to Camp Delta without notice') })
    const summary = vault.listRecords({ kind: 'annotation' }).find((r) => r.id === toAnnotationRecordId(a.id))!.summary
    expect(summary).toEqual({
      recordId: docId,
      status: 'open',
      legalBasisIds: ['gc4-art49'],
      tags: ['transfer'],
      author: 'Alice Monitor',
      createdAt: a.createdAt,
      field: null,
    })
    // The audit log carries ids only.
    const audit = JSON.stringify(vault.audit.list())
    expect(audit).toContain('annotation.created')
    expect(audit).not.toContain('Transfer without notice')
    expect(audit).not.toContain('Camp Delta')
    deleteAnnotation(vault, a.id)
  })

  it('accepts a selection described on a client copy whose whitespace differs, and refuses one not in the saved text', () => {
    const clientCopy = TEXT.replace('Dear Minister,\n\n', 'Dear Minister,\n')
    const r = rangeOf(clientCopy, 'his lawyer be allowed')
    const selectors = {
      quote: {
        type: 'TextQuoteSelector' as const,
        exact: 'his lawyer be allowed',
        prefix: sliceCodePoints(clientCopy, r.start - 20, r.start),
        suffix: ' to visit him.',
      },
      position: { type: 'TextPositionSelector' as const, ...r },
    }
    const a = createAnnotation(vault, { recordId: docId, selection: { selectors }, body: 'Access to counsel' }, ALICE)
    expect(a.target.position).toEqual({ type: 'TextPositionSelector', ...rangeOf(TEXT, 'his lawyer be allowed') })
    const before = snapshotVault()
    const missing = { ...selectors, quote: { ...selectors.quote, exact: 'a sentence the saved text never had', prefix: 'x', suffix: 'y' } }
    missing.position = { type: 'TextPositionSelector', start: 0, end: countCodePoints(missing.quote.exact) }
    expectError(
      () => createAnnotation(vault, { recordId: docId, selection: { selectors: missing }, body: 'x' }, ALICE),
      'VALIDATION',
      /not in the saved text/,
    )
    expect(snapshotVault()).toBe(before)
    deleteAnnotation(vault, a.id)
  })

  it('re-anchors after the document is edited: moved, lightly changed, and orphaned passages (orphans kept last)', () => {
    const id = createDocument(vault, letter(TEXT)).id
    const moved = createAnnotation(
      vault,
      { recordId: id, selection: rangeOf(TEXT, 'his lawyer be allowed to visit him'), body: 'counsel' },
      ALICE,
    )
    const changed = createAnnotation(
      vault,
      { recordId: id, selection: rangeOf(TEXT, 'refused every request for 📎 medical records'), body: 'records' },
      ALICE,
    )
    const gone = createAnnotation(
      vault,
      { recordId: id, selection: rangeOf(TEXT, 'moved to Camp Delta without notice to his family'), body: 'transfer' },
      BOB,
    )
    const edited = ('URGENT. ' + TEXT)
      .replace('On 4 June the detainee, Mr Haddad, was moved to Camp Delta without notice to his family. ', '')
      .replace('refused every request for 📎 medical records', 'refused every single request for 📎 medical records')
    setText(id, edited)
    const listed = listAnnotations(vault, id)
    expect(listed.map((x) => x.annotation.id)).toEqual([moved.id, changed.id, gone.id])
    const [m, c, g] = listed
    expect(m!.anchor.status).toBe('relocated')
    expect(m!.anchor).toMatchObject(rangeOf(edited, 'his lawyer be allowed to visit him'))
    expect(c!.anchor.status).toBe('fuzzy')
    if (!('start' in c!.anchor)) throw new Error('fuzzy anchor has a range')
    expect(sliceCodePoints(edited, c!.anchor.start, c!.anchor.end)).toContain('single request')
    expect(g!.anchor).toEqual({ status: 'orphaned', quote: 'moved to Camp Delta without notice to his family' })
    // Orphans stay in the vault and keep their original quote.
    expect(getAnnotation(vault, gone.id).target.quote?.exact).toBe('moved to Camp Delta without notice to his family')
  })

  it('keeps a thread of replies, resolves and reopens, edits body, tags and legal basis', () => {
    const a = createAnnotation(
      vault,
      { recordId: docId, selection: rangeOf(TEXT, 'medical records'), body: 'Ask for the file', tags: ['health'] },
      ALICE,
    )
    replyToAnnotation(vault, a.id, 'Requested on 5 June.', BOB)
    const two = replyToAnnotation(vault, a.id, 'Still no answer.', ALICE)
    expect(two.replies.map((r) => [r.author.name, r.text])).toEqual([
      ['Bob Lawyer', 'Requested on 5 June.'],
      ['Alice Monitor', 'Still no answer.'],
    ])
    expect(setAnnotationStatus(vault, a.id, 'resolved').status).toBe('resolved')
    expect(vault.listRecords({ kind: 'annotation' }).find((r) => r.id === toAnnotationRecordId(a.id))!.summary['status']).toBe('resolved')
    expect(setAnnotationStatus(vault, a.id, 'open').status).toBe('open')
    const edited = editAnnotation(vault, a.id, {
      body: 'Ask for the <b>full</b> file',
      tags: ['health', ' urgent ', 'health'],
      legalBasisIds: ['gc4-art76'],
    })
    expect(edited.body).toEqual({ text: 'Ask for the <b>full</b> file', html: '<p>Ask for the &lt;b&gt;full&lt;/b&gt; file</p>' })
    expect(edited.tags).toEqual(['health', 'urgent'])
    expect(edited.legalBases.map((b) => b.id)).toEqual(['gc4-art76'])
    expect(editAnnotation(vault, a.id, { legalBasisIds: [] }).legalBases).toEqual([])
    expect(getAnnotation(vault, a.id).replies).toHaveLength(2)
    deleteAnnotation(vault, a.id)
    expectError(() => getAnnotation(vault, a.id), 'NOT_FOUND')
  })

  it('rejects bad input with specific errors and changes nothing', () => {
    createAnnotation(vault, { recordId: docId, selection: rangeOf(TEXT, 'Yours sincerely'), body: 'closing' }, ALICE)
    const before = snapshotVault()
    const sel = rangeOf(TEXT, 'Dear Minister')
    expectError(
      () => createAnnotation(vault, { recordId: docId, selection: { start: 3, end: 3 }, body: 'x' }, ALICE),
      'VALIDATION',
      /empty/,
    )
    expectError(
      () => createAnnotation(vault, { recordId: docId, selection: { start: 0, end: 10_000 }, body: 'x' }, ALICE),
      'VALIDATION',
      /outside/,
    )
    expectError(
      () => createAnnotation(vault, { recordId: docId, selection: sel, body: 'x', legalBasisIds: ['no-such-article'] }, ALICE),
      'VALIDATION',
      /legal basis/,
    )
    expectError(() => createAnnotation(vault, { recordId: docId, selection: sel, body: '   ' }, ALICE), 'VALIDATION', /comment/)
    expectError(() => createAnnotation(vault, { recordId: docId, body: 'x' }, ALICE), 'VALIDATION', /Select a passage/)
    expectError(() => createAnnotation(vault, { recordId: '0'.repeat(32), selection: sel, body: 'x' }, ALICE), 'NOT_FOUND')
    expectError(() => createAnnotation(vault, { recordId: docId, selection: sel, body: 'x'.repeat(20_001) }, ALICE), 'VALIDATION', /longer/)
    const annotationRecord = vault.listRecords({ kind: 'annotation' })[0]!.id
    expectError(
      () => createAnnotation(vault, { recordId: annotationRecord, selection: { start: 0, end: 1 }, body: 'x' }, ALICE),
      'VALIDATION',
      /cannot be annotated/,
    )
    expectError(() => replyToAnnotation(vault, '6f1c2a4e-8d3b-4c1f-9a2e-123456789abc', 'hi', ALICE), 'NOT_FOUND')
    expectError(() => setAnnotationStatus(vault, 'not-a-uuid', 'resolved'), 'VALIDATION', /UUID/)
    expect(snapshotVault()).toBe(before)
  })

  it('finds a CLI quote: unique, several (asks for context or an occurrence), absent', () => {
    expect(locateQuote(vault, docId, 'Camp Delta')).toEqual(rangeOf(TEXT, 'Camp Delta'))
    expectError(() => locateQuote(vault, docId, 'his'), 'VALIDATION', /occurs \d+ times.*--occurrence/)
    const second = locateQuote(vault, docId, 'his', 2)
    expect(sliceCodePoints(TEXT, second.start, second.end + 7)).toBe('his lawyer')
    expect(second.start).toBeGreaterThan(locateQuote(vault, docId, 'his', 1).start)
    expectError(() => locateQuote(vault, docId, 'Guantanamo'), 'NOT_FOUND')
    expectError(() => locateQuote(vault, docId, 'his', 99), 'VALIDATION', /occurrence/)
  })
})

describe('several legal bases on one note', () => {
  it('cites several, in the order chosen, counts a repeat once, refuses more than the limit, and edits the whole list', () => {
    const a = createAnnotation(
      vault,
      {
        recordId: docId,
        selection: rangeOf(TEXT, 'without notice'),
        body: 'Two provisions',
        legalBasisIds: ['gc4-art49', 'gc4-art76', 'gc4-art49'],
      },
      ALICE,
    )
    expect(a.legalBases.map((b) => b.id)).toEqual(['gc4-art49', 'gc4-art76'])
    const ids = listLegalBases(vault).map((e) => e.id)
    expect(ids.length).toBeGreaterThan(MAX_LEGAL_BASES)
    expectError(() => editAnnotation(vault, a.id, { legalBasisIds: ids.slice(0, MAX_LEGAL_BASES + 1) }), 'VALIDATION', /at most/)
    expect(getAnnotation(vault, a.id).legalBases).toHaveLength(2)
    expect(editAnnotation(vault, a.id, { legalBasisIds: ['gc4-art76'] }).legalBases.map((b) => b.id)).toEqual(['gc4-art76'])
    const w3c = exportRecordW3C(vault, docId)
    const mine = w3c.first!.items.find((item) => item.id === `urn:uuid:${a.id}`)!
    expect(mine.body!.filter((b) => b.purpose === 'classifying').map((b) => b['custodia:legalBasis'])).toEqual(['gc4-art76'])
    deleteAnnotation(vault, a.id)
  })

  it('reads a note stored with one legalBasis (before several were possible) as a list of one', () => {
    const a = createAnnotation(vault, { recordId: docId, selection: rangeOf(TEXT, 'without notice'), body: 'Old style' }, ALICE)
    const recordId = toAnnotationRecordId(a.id)
    const stored = vault.getRecord(recordId)
    const { legalBases: _none, ...legacy } = stored.body as Record<string, unknown>
    vault.updateRecord(
      recordId,
      { summary: stored.summary, body: { ...legacy, legalBasis: { id: 'gc4-art49', label: 'GC IV art. 49' } } },
      { expectedRevision: stored.revision },
    )
    expect(getAnnotation(vault, a.id).legalBases).toEqual([{ id: 'gc4-art49', label: 'GC IV art. 49' }])
    expect(editAnnotation(vault, a.id, { body: 'Edited' }).legalBases).toEqual([{ id: 'gc4-art49', label: 'GC IV art. 49' }])
    expect(vault.getRecord(recordId).body).not.toHaveProperty('legalBasis')
    deleteAnnotation(vault, a.id)
  })
})

describe('legal-basis vocabulary', () => {
  it('is seeded with the defaults on first use, and entries are added, renamed and retired with stable ids', () => {
    const seeded = listLegalBases(vault)
    expect(seeded.map((e) => e.id)).toEqual(DEFAULT_LEGAL_BASES.map((e) => e.id))
    expect(vault.listRecords({ kind: 'legal-basis-vocabulary' })).toHaveLength(1)

    const added = addLegalBasis(vault, {
      id: 'cat-art1',
      label: 'CAT art. 1',
      title: 'Convention against Torture, 10 December 1984',
      article: '1',
      heading: 'Definition of torture',
    })
    expect(added.at(-1)).toMatchObject({ id: 'cat-art1', retired: false })
    expectError(() => addLegalBasis(vault, { id: 'cat-art1', label: 'x', title: 'x', article: '1', heading: 'x' }), 'CONFLICT')
    expectError(() => addLegalBasis(vault, { id: 'Bad Id', label: 'x', title: 'x', article: '1', heading: 'x' }), 'VALIDATION', /slug/)

    const a = createAnnotation(
      vault,
      { recordId: docId, selection: rangeOf(TEXT, 'without notice'), body: '', legalBasisIds: ['cat-art1'] },
      ALICE,
    )
    updateLegalBasis(vault, 'cat-art1', { label: 'UNCAT art. 1' })
    expect(listAnnotations(vault, docId).find((x) => x.annotation.id === a.id)!.annotation.legalBases[0]).toEqual({
      id: 'cat-art1',
      label: 'UNCAT art. 1',
    })

    const retired = updateLegalBasis(vault, 'cat-art1', { retired: true })
    expect(retired.find((e) => e.id === 'cat-art1')).toMatchObject({ retired: true, label: 'UNCAT art. 1' })
    expectError(
      () =>
        createAnnotation(vault, { recordId: docId, selection: rangeOf(TEXT, 'Mr Haddad'), body: 'x', legalBasisIds: ['cat-art1'] }, ALICE),
      'VALIDATION',
      /retired/,
    )
    // An annotation already classified keeps the retired basis through later edits.
    expect(editAnnotation(vault, a.id, { body: 'kept', legalBasisIds: ['cat-art1'] }).legalBases[0]?.id).toBe('cat-art1')
    expectError(() => updateLegalBasis(vault, 'nope', { label: 'x' }), 'NOT_FOUND')
    expect(listLegalBases(vault).map((e) => e.id)).toEqual([...DEFAULT_LEGAL_BASES.map((e) => e.id), 'cat-art1'])
    deleteAnnotation(vault, a.id)
  })
})

describe('dossier field targets', () => {
  it('anchors whole-field and in-field notes, follows field edits, and reports a removed field', () => {
    const body = {
      names: { original: 'Юсуф Хаддад' },
      vulnerability: { medicalNote: 'Heart condition; needs daily metoprolol. Seen by a doctor twice.' },
      detentions: [{ facility: 'Camp Delta' }],
    }
    const ref = vault.createRecord('casefile', { summary: { name: 'Haddad' }, body })
    const whole = createAnnotation(vault, { recordId: ref.id, field: '/detentions/0', body: 'Verify the facility' }, ALICE)
    const range = createAnnotation(
      vault,
      {
        recordId: ref.id,
        field: '/vulnerability/medicalNote',
        selection: rangeOf(body.vulnerability.medicalNote, 'needs daily metoprolol'),
        body: 'Medication',
      },
      ALICE,
    )
    expect(range.target).toMatchObject({ field: '/vulnerability/medicalNote', quote: { exact: 'needs daily metoprolol' } })
    expectError(() => createAnnotation(vault, { recordId: ref.id, field: '/nowhere', body: 'x' }, ALICE), 'VALIDATION', /no such field/)
    expectError(
      () => createAnnotation(vault, { recordId: ref.id, field: '/detentions/0', selection: { start: 0, end: 2 }, body: 'x' }, ALICE),
      'VALIDATION',
      /not text/,
    )

    const note = 'Diagnosed in 2023. ' + body.vulnerability.medicalNote
    vault.updateRecord(ref.id, { summary: { name: 'Haddad' }, body: { ...body, vulnerability: { medicalNote: note } } })
    let listed = listAnnotations(vault, ref.id)
    expect(listed.map((x) => x.anchor.status)).toEqual(['relocated', 'field'])
    expect(listed[0]!.anchor).toMatchObject(rangeOf(note, 'needs daily metoprolol'))

    vault.updateRecord(ref.id, { summary: { name: 'Haddad' }, body: { names: body.names, detentions: [] } })
    listed = listAnnotations(vault, ref.id)
    expect(listed.map((x) => [x.annotation.id, x.anchor])).toEqual([
      [whole.id, { status: 'field-missing' }],
      [range.id, { status: 'field-missing', quote: 'needs daily metoprolol' }],
    ])
  })
})

describe('exports and search', () => {
  it('exports a record with three annotations as W3C JSON-LD whose selectors reproduce the quoted text', () => {
    const id = createDocument(vault, letter(TEXT)).id
    const quotes = ['Dear Minister', 'moved to Camp Delta', '📎 medical records']
    for (const q of quotes) createAnnotation(vault, { recordId: id, selection: rangeOf(TEXT, q), body: `On ${q}`, tags: ['w3c'] }, ALICE)
    replyToAnnotation(vault, getAnnotationIdByQuote(id, 'moved to Camp Delta'), 'Agreed.', BOB)
    // Edited after annotating: the export describes where the passages are now.
    const edited = 'Ref. 2025/117\n\n' + TEXT
    setText(id, edited)

    const parsed = JSON.parse(JSON.stringify(exportRecordW3C(vault, id))) as {
      '@context': unknown[]
      type: string
      total: number
      first: { items: W3CAnnotation[] }
    }
    expect(parsed['@context']).toContain(ANNO_CONTEXT)
    expect(parsed.type).toBe('AnnotationCollection')
    const items = parsed.first.items.filter((i) => i.motivation === 'commenting')
    expect(items).toHaveLength(3)
    expect(parsed.first.items.filter((i) => i.motivation === 'replying')).toHaveLength(1)
    const revision = vault.getRecord(id).revision
    for (const [i, item] of items.entries()) {
      const target = item.target as W3CSpecificResource
      expect(target.source).toBe(`urn:custodia:record:${id}`)
      expect(target['custodia:revision']).toBe(revision)
      const selectors = target.selector as W3CSelector[]
      const quote = selectors.find((s) => s.type === 'TextQuoteSelector')
      const position = selectors.find((s) => s.type === 'TextPositionSelector')
      if (quote?.type !== 'TextQuoteSelector' || position?.type !== 'TextPositionSelector') throw new Error('both selectors expected')
      expect(quote.exact).toBe(quotes[i])
      expect(sliceCodePoints(edited, position.start, position.end)).toBe(quotes[i])
      const at = edited.indexOf(quote.prefix + quote.exact + quote.suffix)
      expect(at).toBeGreaterThanOrEqual(0)
    }
  })

  it('indexes annotations for the library search and exports a search as one collection', async () => {
    const a = createAnnotation(
      vault,
      {
        recordId: docId,
        selection: rangeOf(TEXT, 'Mr Haddad'),
        body: 'Zanzibarian transfer pattern',
        tags: ['pattern'],
        legalBasisIds: ['gc4-art147'],
      },
      ALICE,
    )
    const extractors = createSearchExtractors([annotationSearchExtractor])
    const search = await SearchService.open(vault, { extractors, sodium: await loadSodium('native') })
    try {
      const byBody = search.search('zanzibarian')
      expect(byBody.hits.map((h) => [h.id, h.kind])).toEqual([[toAnnotationRecordId(a.id), 'annotation']])
      expect(byBody.hits[0]!.title).toBe('Mr Haddad')
      expect(search.search('GC IV art. 147').hits.map((h) => h.id)).toContain(toAnnotationRecordId(a.id))
      const collection = exportSearchW3C(vault, search, 'zanzibarian')
      expect(collection.first?.items.map((i) => i.id)).toEqual([`urn:uuid:${a.id}`])
      expect(exportSearchW3C(vault, search, 'no-such-word-anywhere').total).toBe(0)
    } finally {
      search.close()
    }
  })

  it('builds a script-free report with the quoted passage, comment, legal basis, status and replies, all escaped', () => {
    const id = createDocument(vault, letter(TEXT)).id
    const a = createAnnotation(
      vault,
      {
        recordId: id,
        selection: rangeOf(TEXT, 'Camp Delta'),
        body: 'Moved <script>alert(1)</script> at night',
        legalBasisIds: ['gc4-art49'],
        tags: ['transfer'],
      },
      ALICE,
    )
    replyToAnnotation(vault, a.id, 'Confirmed by <img src=x onerror=alert(2)> family', BOB)
    setAnnotationStatus(vault, a.id, 'resolved')
    const html = buildAnnotationReportHtml(vault, id)
    expect(html).not.toMatch(/<(script|img|iframe|object|embed|link|a)\b/i)
    expect(html.match(/<[^>]*\s(on\w+|src|href)=/gi)).toBeNull()
    expect(html).toContain('<blockquote>Camp Delta</blockquote>')
    expect(html).toContain('Moved &lt;script&gt;alert(1)&lt;/script&gt; at night')
    expect(html).toContain('GC IV art. 49')
    expect(html).toContain('Deportations, transfers, evacuations')
    expect(html).toContain('Resolved')
    expect(html).toContain('Confirmed by &lt;img src=x onerror=alert(2)&gt; family')
    expect(html).toContain("default-src 'none'")
  })
})

function getAnnotationIdByQuote(recordId: string, quote: string): string {
  return listAnnotations(vault, recordId).find((x) => x.annotation.target.quote?.exact === quote)!.annotation.id
}
