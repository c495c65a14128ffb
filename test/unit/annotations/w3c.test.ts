// Test (Node, core project): W3C Web Annotation export, the annotation schema, dossier targets and JSON pointers.
import { describe, expect, it } from 'vitest'
import { describeSelection, reanchorDossierTarget } from '../../../shared/annotations/anchor'
import { countCodePoints, sliceCodePoints } from '../../../shared/annotations/codePoints'
import { formatJsonPointer, parseJsonPointer, resolveJsonPointer } from '../../../shared/annotations/jsonPointer'
import { AnnotationSchema, type Annotation } from '../../../shared/annotations/annotationModel'
import {
  ANNO_CONTEXT,
  CUSTODIA_NS,
  toAnnotationCollection,
  toW3CAnnotation,
  toW3CReplies,
  type W3CAnnotation,
  type W3CSelector,
  type W3CSpecificResource,
} from '../../../shared/annotations/w3c'
import { CustodiaError } from '../../../shared/errors'
import { validateAnnotation, validateAnnotationCollection } from '../../helpers/w3cModelValidator'

const LETTER_TEXT =
  '📎 Письмо от 4 июня. The detainee, Mr Haddad, was moved to Camp Delta without notice to his family. ' +
  'He asks that his lawyer be allowed to visit.'
const DOSSIER = {
  name: 'Yusuf Haddad',
  vulnerability: { medicalNote: 'Heart condition; needs daily medication (metoprolol). Café visit logged 🩺 twice.' },
  detentions: [
    { place: 'Central police station', from: '2024-03-03' },
    { place: 'Camp Delta', from: '2024-03-09' },
  ],
}

function rangeOf(text: string, quote: string) {
  const start = countCodePoints(text.slice(0, text.indexOf(quote)))
  return describeSelection(text, start, start + countCodePoints(quote))
}

const letterSel = rangeOf(LETTER_TEXT, 'moved to Camp Delta without notice')
const medicalSel = rangeOf(DOSSIER.vulnerability.medicalNote, 'visit logged 🩺 twice')
const lawyerSel = rangeOf(LETTER_TEXT, 'his lawyer be allowed to visit')

const ANNOTATIONS: Annotation[] = [
  {
    id: '6f1c2d3e-4a5b-4c6d-8e7f-901234567890',
    recordId: 'letter-17',
    revision: 3,
    target: { quote: letterSel.quote, position: letterSel.position },
    body: { html: '<p>Transfer without notice: <strong>GC IV art. 49</strong>.</p>', text: 'Transfer without notice' },
    author: { id: 'u-1', name: 'Amina Diallo' },
    createdAt: '2024-06-05T10:00:00Z',
    modifiedAt: '2024-06-06T08:30:00+02:00',
    tags: ['transfer', 'urgent'],
    legalBases: [{ id: 'gc4-art49', label: 'GC IV art. 49' }],
    status: 'open',
    replies: [
      {
        id: '0b1c2d3e-4f50-4a1b-9c2d-3e4f5a6b7c8d',
        author: { id: 'u-2', name: 'Lev Orlov' },
        createdAt: '2024-06-05T12:00:00Z',
        text: 'Confirmed by the ICRC delegate.',
      },
    ],
  },
  {
    id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    recordId: 'dossier-9',
    revision: 12,
    target: { field: '/vulnerability/medicalNote', quote: medicalSel.quote, position: medicalSel.position },
    body: { html: '<p>Check the visit log.</p>', text: 'Check the visit log.' },
    author: { id: 'u-2', name: 'Lev Orlov' },
    legalBases: [],
    createdAt: '2024-06-07T09:00:00Z',
    modifiedAt: '2024-06-07T09:00:00Z',
    tags: [],
    status: 'resolved',
    replies: [],
  },
  {
    id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    recordId: 'letter-17',
    revision: 3,
    target: { quote: lawyerSel.quote, position: lawyerSel.position },
    body: { html: '<p>Request access.</p>', text: 'Request access.' },
    author: { id: 'u-1', name: 'Amina Diallo' },
    createdAt: '2024-06-08T09:00:00Z',
    modifiedAt: '2024-06-08T09:00:00Z',
    tags: ['access'],
    legalBases: [{ id: 'iccpr-art14', label: 'ICCPR art. 14' }],
    status: 'open',
    replies: [],
  },
]

const RECORD_TEXTS: Record<string, string> = { 'urn:custodia:record:letter-17': LETTER_TEXT }
const OPTS = { recordIri: (id: string) => `urn:custodia:record:${id}` }

/** The plain text a target's source (and field, for a dossier) designates. */
function textOf(target: W3CSpecificResource, field?: string): string {
  if (field !== undefined) return resolveJsonPointer(DOSSIER, field) as string
  return RECORD_TEXTS[target.source] as string
}

describe('W3C export', () => {
  const collection = toAnnotationCollection(ANNOTATIONS, {
    id: 'c0ffee00-1234-4abc-8def-0123456789ab',
    pageId: 'c0ffee00-1234-4abc-8def-0123456789ac',
    label: 'Haddad case notes',
    ...OPTS,
  })
  const parsed = JSON.parse(JSON.stringify(collection)) as typeof collection

  it('serialises a collection of three annotations (plus a reply) as JSON-LD with the W3C context', () => {
    expect(parsed['@context'][0]).toBe(ANNO_CONTEXT)
    expect(parsed['@context'][1]).toEqual({ custodia: CUSTODIA_NS })
    expect(parsed.type).toBe('AnnotationCollection')
    expect(parsed.id).toBe('urn:uuid:c0ffee00-1234-4abc-8def-0123456789ab')
    expect(parsed.first!.type).toBe('AnnotationPage')
    expect(validateAnnotationCollection(parsed)).toEqual([])
    const items = parsed.first!.items
    expect(items.map((a) => a.motivation)).toEqual(['commenting', 'replying', 'commenting', 'commenting'])
    expect(parsed.total).toBe(4)
    for (const a of items) {
      expect(a.type).toBe('Annotation')
      expect(a.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
      expect(a['@context']).toBeUndefined()
    }
  })

  it("reproduces each quoted text from the record's text through its selectors", () => {
    const commenting = parsed.first!.items.filter((a) => a.motivation === 'commenting')
    expect(commenting).toHaveLength(3)
    for (const a of commenting) {
      const target = a.target as W3CSpecificResource
      const alternatives = Array.isArray(target.selector) ? target.selector : [target.selector]
      expect(alternatives).toHaveLength(2)
      let quote: string | undefined
      for (const alt of alternatives) {
        if (alt.type === 'FragmentSelector') expect(alt.conformsTo).toBe('https://www.rfc-editor.org/rfc/rfc6901')
        const field = alt.type === 'FragmentSelector' ? alt.value : undefined
        const sel: W3CSelector | undefined = alt.type === 'FragmentSelector' ? alt.refinedBy : alt
        if (sel === undefined) throw new Error('expected a refined selector')
        const text = textOf(target, field)
        if (sel.type === 'TextQuoteSelector') {
          expect(text).toContain(sel.prefix + sel.exact + sel.suffix)
          quote ??= sel.exact
          expect(sel.exact).toBe(quote)
        } else if (sel.type === 'TextPositionSelector') {
          const sliced = sliceCodePoints(text, sel.start, sel.end)
          quote ??= sliced
          expect(sliced).toBe(quote)
        } else {
          throw new Error('expected a text selector')
        }
      }
      expect(quote).toBeTruthy()
    }
  })

  it('exports bodies, creator, dates, revision and status', () => {
    const [first, reply, second] = parsed.first!.items as [W3CAnnotation, W3CAnnotation, W3CAnnotation]
    expect(first.body).toEqual([
      {
        type: 'TextualBody',
        value: '<p>Transfer without notice: <strong>GC IV art. 49</strong>.</p>',
        format: 'text/html',
        purpose: 'commenting',
      },
      { type: 'TextualBody', value: 'transfer', purpose: 'tagging' },
      { type: 'TextualBody', value: 'urgent', purpose: 'tagging' },
      { type: 'TextualBody', value: 'GC IV art. 49', purpose: 'classifying', 'custodia:legalBasis': 'gc4-art49' },
    ])
    expect(first.creator).toEqual({ id: 'urn:custodia:person:u-1', type: 'Person', name: 'Amina Diallo' })
    expect(first.created).toBe('2024-06-05T10:00:00Z')
    expect(first.modified).toBe('2024-06-06T08:30:00+02:00')
    expect(first['custodia:status']).toBe('open')
    expect((first.target as W3CSpecificResource)['custodia:revision']).toBe(3)
    expect(reply.target).toBe(first.id)
    expect(reply.body).toEqual([
      { type: 'TextualBody', value: 'Confirmed by the ICRC delegate.', format: 'text/plain', purpose: 'replying' },
    ])
    expect(second['custodia:status']).toBe('resolved')
    expect((second.target as W3CSpecificResource).source).toBe('urn:custodia:record:dossier-9')
  })

  it('gives its one page an IRI, links page and collection both ways, and names the page as first and last', () => {
    expect(parsed.first).toMatchObject({ id: 'urn:uuid:c0ffee00-1234-4abc-8def-0123456789ac', partOf: parsed.id, startIndex: 0 })
    expect(parsed.last).toBe(parsed.first!.id)
    expect(parsed.first).not.toHaveProperty('next')
    // The same annotations and ids give the same document, byte for byte.
    const again = toAnnotationCollection(ANNOTATIONS, {
      id: 'C0FFEE00-1234-4ABC-8DEF-0123456789AB',
      pageId: 'c0ffee00-1234-4abc-8def-0123456789ac',
      label: 'Haddad case notes',
      ...OPTS,
    })
    expect(JSON.stringify(again)).toBe(JSON.stringify(collection))
  })

  it('has no page at all when there are no annotations (a page must hold one), and is still a valid collection', () => {
    const empty = JSON.parse(
      JSON.stringify(
        toAnnotationCollection([], {
          id: 'c0ffee00-1234-4abc-8def-0123456789ab',
          pageId: 'c0ffee00-1234-4abc-8def-0123456789ac',
          label: 'Nothing yet',
          ...OPTS,
        }),
      ),
    )
    expect(empty).toEqual({
      '@context': [ANNO_CONTEXT, { custodia: CUSTODIA_NS }],
      id: 'urn:uuid:c0ffee00-1234-4abc-8def-0123456789ab',
      type: 'AnnotationCollection',
      label: 'Nothing yet',
      total: 0,
    })
    expect(validateAnnotationCollection(empty)).toEqual([])
  })

  it('exports a standalone annotation with its own context, and a whole-field target as a bare FragmentSelector', () => {
    const whole: Annotation = {
      ...(ANNOTATIONS[1] as Annotation),
      target: { field: '/detentions/1' },
    }
    const a = toW3CAnnotation(whole, { ...OPTS, personIri: (id) => `https://people.example.org/${id}` })
    expect(a['@context']?.[0]).toBe(ANNO_CONTEXT)
    expect((a.target as W3CSpecificResource).selector).toEqual({
      type: 'FragmentSelector',
      conformsTo: 'https://www.rfc-editor.org/rfc/rfc6901',
      value: '/detentions/1',
    })
    expect(a.creator.id).toBe('https://people.example.org/u-2')
    expect(validateAnnotation(JSON.parse(JSON.stringify(a)), 'annotation', true)).toEqual([])
    expect(toW3CReplies(ANNOTATIONS[0] as Annotation, OPTS)).toHaveLength(1)
  })

  it('rejects malformed annotations and options with VALIDATION, without echoing content', () => {
    const secret = 'SECRET-NOTE'
    const bad = { ...(ANNOTATIONS[0] as Annotation), id: secret }
    expect(() => toW3CAnnotation(bad, OPTS)).toThrow(/annotation at id/)
    try {
      toAnnotationCollection([ANNOTATIONS[0] as Annotation, bad], {
        id: 'c0ffee00-1234-4abc-8def-0123456789ab',
        pageId: 'c0ffee00-1234-4abc-8def-0123456789ac',
        label: 'x',
        ...OPTS,
      })
      expect.unreachable()
    } catch (e) {
      expect((e as CustodiaError).code).toBe('VALIDATION')
      expect((e as Error).message).toMatch(/^annotation 1/)
      expect((e as Error).message).not.toContain(secret)
    }
    expect(() =>
      toAnnotationCollection([], { id: 'not-a-uuid', pageId: 'c0ffee00-1234-4abc-8def-0123456789ac', label: 'x', ...OPTS }),
    ).toThrow(CustodiaError)
    const sameIds = { id: 'c0ffee00-1234-4abc-8def-0123456789ab', pageId: 'C0FFEE00-1234-4ABC-8DEF-0123456789AB', label: 'x', ...OPTS }
    expect(() => toAnnotationCollection(ANNOTATIONS, sameIds)).toThrow(/two different UUIDs/)
    expect(() => toW3CAnnotation(ANNOTATIONS[0] as Annotation, { recordIri: () => 'no iri' })).toThrow(/recordIri/)
    const mismatched = {
      ...(ANNOTATIONS[0] as Annotation),
      target: { quote: letterSel.quote, position: { ...letterSel.position, end: letterSel.position.end + 1 } },
    }
    expect(() => toW3CAnnotation(mismatched, OPTS)).toThrow(/position length does not match the quote/)
    const halfTarget = { ...(ANNOTATIONS[0] as Annotation), target: { quote: letterSel.quote } }
    expect(() => toW3CAnnotation(halfTarget, OPTS)).toThrow(/quote and position go together/)
  })
})

describe('annotation schema', () => {
  it('accepts the sample annotations and rejects unknown keys and bad pointers', () => {
    for (const a of ANNOTATIONS) expect(AnnotationSchema.safeParse(a).success).toBe(true)
    expect(AnnotationSchema.safeParse({ ...ANNOTATIONS[0], extra: 1 }).success).toBe(false)
    expect(AnnotationSchema.safeParse({ ...ANNOTATIONS[1], target: { field: 'vulnerability' } }).success).toBe(false)
    expect(AnnotationSchema.safeParse({ ...ANNOTATIONS[1], target: {} }).success).toBe(false)
  })
})

describe('dossier targets', () => {
  const base = { recordId: 'dossier-9', revision: 12 }

  it('keeps a whole-field annotation while the field exists', () => {
    expect(reanchorDossierTarget(DOSSIER, { ...base, field: '/detentions/1' })).toEqual({ status: 'field' })
    const { detentions, ...rest } = DOSSIER
    expect(reanchorDossierTarget({ ...rest, detentions: detentions.slice(0, 1) }, { ...base, field: '/detentions/1' })).toEqual({
      status: 'field-missing',
    })
  })

  it('anchors a text range inside its field after the field was edited', () => {
    const target = { ...base, field: '/vulnerability/medicalNote', selectors: medicalSel }
    const edited = { ...DOSSIER, vulnerability: { medicalNote: 'Update 10 June. ' + DOSSIER.vulnerability.medicalNote } }
    const r = reanchorDossierTarget(edited, target)
    expect(r.status).toBe('relocated')
    if (r.status !== 'relocated') return
    expect(sliceCodePoints(edited.vulnerability.medicalNote, r.start, r.end)).toBe('visit logged 🩺 twice')
  })

  it('orphans a range whose field disappeared or stopped being text, and never searches other fields', () => {
    const target = { ...base, field: '/vulnerability/medicalNote', selectors: medicalSel }
    expect(reanchorDossierTarget({ ...DOSSIER, vulnerability: {} }, target)).toEqual({
      status: 'field-missing',
      quote: 'visit logged 🩺 twice',
    })
    expect(reanchorDossierTarget({ ...DOSSIER, vulnerability: { medicalNote: 42 } }, target)).toEqual({
      status: 'orphaned',
      quote: 'visit logged 🩺 twice',
    })
    // The quote still exists in another field: it is not followed there.
    const moved = { ...DOSSIER, name: DOSSIER.vulnerability.medicalNote, vulnerability: { medicalNote: 'none' } }
    expect(reanchorDossierTarget(moved, target)).toEqual({ status: 'orphaned', quote: 'visit logged 🩺 twice' })
  })

  it('rejects a malformed target', () => {
    expect(() => reanchorDossierTarget(DOSSIER, { ...base, field: 'name' })).toThrow(/dossier target/)
    expect(() => reanchorDossierTarget(DOSSIER, { ...base, revision: -1, field: '/name' })).toThrow(CustodiaError)
  })
})

describe('JSON pointers', () => {
  it('parses, formats and resolves RFC 6901 pointers including escapes', () => {
    const doc = { 'a/b': { 'm~n': ['x', 'y'] }, '': 1 }
    expect(parseJsonPointer('/a~1b/m~0n/1')).toEqual(['a/b', 'm~n', '1'])
    expect(formatJsonPointer(['a/b', 'm~n', '1'])).toBe('/a~1b/m~0n/1')
    expect(resolveJsonPointer(doc, '/a~1b/m~0n/1')).toBe('y')
    expect(resolveJsonPointer(doc, '/')).toBe(1)
    expect(resolveJsonPointer(doc, '')).toBe(doc)
    expect(parseJsonPointer('/~01')).toEqual(['~1'])
  })

  it('returns undefined for missing steps, non-canonical indices and prototype keys', () => {
    expect(resolveJsonPointer(DOSSIER, '/detentions/01')).toBeUndefined()
    expect(resolveJsonPointer(DOSSIER, '/detentions/-')).toBeUndefined()
    expect(resolveJsonPointer(DOSSIER, '/detentions/2')).toBeUndefined()
    expect(resolveJsonPointer(DOSSIER, '/name/length')).toBeUndefined()
    expect(resolveJsonPointer(DOSSIER, '/__proto__')).toBeUndefined()
    expect(resolveJsonPointer(DOSSIER, '/constructor')).toBeUndefined()
  })

  it('rejects malformed pointers', () => {
    expect(() => parseJsonPointer('name')).toThrow(/must start with/)
    expect(() => parseJsonPointer('/a~2')).toThrow(/escape/)
  })
})
