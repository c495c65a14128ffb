// Shared (renderer and main): export of our annotations as W3C Web Annotation JSON-LD
// (https://www.w3.org/TR/annotation-model/), one annotation or an AnnotationCollection with one embedded page.
// One page because an export is one file: a reader can follow only the embedded `first` page, every other page
// would be a link to nowhere (our IRIs are URNs, not addresses).
import { z } from 'zod'
import { CustodiaError } from '../errors'
import { AnnotationSchema, type Annotation, type Person, type TextPositionSelector, type TextQuoteSelector } from './annotationModel'

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld'
/**
 * Our namespace for properties the W3C vocabulary lacks (status, record revision, legal-basis id). `.invalid` is
 * reserved (RFC 2606), so the IRI can never resolve to, or be claimed by, someone else's site.
 */
export const CUSTODIA_NS = 'https://ns.custodia.invalid/annotation#'
export const W3C_CONTEXT = [ANNO_CONTEXT, { custodia: CUSTODIA_NS }] as const
/** `conformsTo` of the FragmentSelector that names a dossier field by JSON pointer. */
export const JSON_POINTER_SPEC = 'https://www.rfc-editor.org/rfc/rfc6901'

export interface W3CTextualBody {
  type: 'TextualBody'
  value: string
  format?: 'text/html' | 'text/plain'
  purpose: 'commenting' | 'tagging' | 'classifying' | 'replying'
  'custodia:legalBasis'?: string
}

export interface W3CFragmentSelector {
  type: 'FragmentSelector'
  conformsTo: typeof JSON_POINTER_SPEC
  value: string
  refinedBy?: TextQuoteSelector | TextPositionSelector
}

export type W3CSelector = TextQuoteSelector | TextPositionSelector | W3CFragmentSelector

export interface W3CSpecificResource {
  source: string
  /** Alternatives: each one alone locates the same range. */
  selector: W3CSelector | W3CSelector[]
  'custodia:revision': number
}

export interface W3CAgent {
  id: string
  type: 'Person'
  name: string
}

export interface W3CAnnotation {
  '@context'?: typeof W3C_CONTEXT
  id: string
  type: 'Annotation'
  motivation: 'commenting' | 'replying'
  body?: W3CTextualBody[]
  target: W3CSpecificResource | string
  creator: W3CAgent
  created: string
  modified?: string
  'custodia:status'?: 'open' | 'resolved'
}

/** §5.2: a page has an IRI, names its collection (`partOf`) and holds one or more annotations. */
export interface W3CAnnotationPage {
  id: string
  type: 'AnnotationPage'
  partOf: string
  startIndex: 0
  items: W3CAnnotation[]
}

/**
 * §5.1. `first` (the page, embedded) and `last` (its IRI) are there exactly when the collection has annotations: an
 * empty collection has no page, as a page must hold at least one annotation.
 */
export interface W3CAnnotationCollection {
  '@context': typeof W3C_CONTEXT
  id: string
  type: 'AnnotationCollection'
  label: string
  total: number
  first?: W3CAnnotationPage
  last?: string
}

export interface W3CExportOptions {
  /** IRI of a record (the target's source), e.g. `urn:custodia:record:<id>`. */
  recordIri: (recordId: string) => string
  /** IRI of a person; default `urn:custodia:person:<id>`. */
  personIri?: (personId: string) => string
}

/** One annotation (without its replies) as a standalone JSON-LD Annotation. Throws VALIDATION for a bad annotation. */
export function toW3CAnnotation(a: Annotation, opts: W3CExportOptions): W3CAnnotation {
  return { '@context': W3C_CONTEXT, ...convertAnnotation(parseAnnotation(a), opts) }
}

/** The replies of an annotation, each an Annotation with motivation 'replying' that targets the parent. */
export function toW3CReplies(a: Annotation, opts: W3CExportOptions): W3CAnnotation[] {
  const parsed = parseAnnotation(a)
  return parsed.replies.map((r) => ({
    id: `urn:uuid:${r.id}`,
    type: 'Annotation',
    motivation: 'replying',
    body: [{ type: 'TextualBody', value: r.text, format: 'text/plain', purpose: 'replying' }],
    target: `urn:uuid:${parsed.id}`,
    creator: convertPerson(r.author, opts),
    created: r.createdAt,
  }))
}

/**
 * A collection with one embedded page: each annotation followed by its replies. `id` and `pageId` are two different
 * UUIDs (emitted as urn:uuid:…); the caller keeps them stable for the same collection, so a reader that already has
 * an earlier export recognises it. Throws VALIDATION, naming the index, if any annotation is malformed.
 */
export function toAnnotationCollection(
  annotations: readonly Annotation[],
  collection: { id: string; pageId: string; label: string } & W3CExportOptions,
): W3CAnnotationCollection {
  const header = z
    .strictObject({ id: z.uuid(), pageId: z.uuid(), label: z.string().min(1).max(500) })
    .refine((h) => h.id.toLowerCase() !== h.pageId.toLowerCase())
    .safeParse({ id: collection.id, pageId: collection.pageId, label: collection.label })
  if (!header.success) throw new CustodiaError('VALIDATION', 'collection needs two different UUIDs (collection and page) and a label')
  if (!Array.isArray(annotations)) throw new CustodiaError('VALIDATION', 'annotations must be an array')
  const items: W3CAnnotation[] = []
  annotations.forEach((a, i) => {
    const parsed = parseAnnotation(a, `annotation ${i}`)
    items.push(convertAnnotation(parsed, collection), ...toW3CReplies(parsed, collection))
  })
  const id = `urn:uuid:${header.data.id.toLowerCase()}`
  const out: W3CAnnotationCollection = {
    '@context': W3C_CONTEXT,
    id,
    type: 'AnnotationCollection',
    label: header.data.label,
    total: items.length,
  }
  if (items.length === 0) return out
  const pageIri = `urn:uuid:${header.data.pageId.toLowerCase()}`
  // The only page is both first and last; it starts at entry 0 and has no next.
  return { ...out, first: { id: pageIri, type: 'AnnotationPage', partOf: id, startIndex: 0, items }, last: pageIri }
}

function parseAnnotation(a: unknown, where = 'annotation'): Annotation {
  const r = AnnotationSchema.safeParse(a)
  if (!r.success) {
    const issue = r.error.issues[0]
    const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new CustodiaError('VALIDATION', `${where}${at}: ${issue?.message ?? 'invalid'}`)
  }
  return r.data
}

function convertAnnotation(a: Annotation, opts: W3CExportOptions): W3CAnnotation {
  const body: W3CTextualBody[] = []
  if (a.body.html.length > 0) body.push({ type: 'TextualBody', value: a.body.html, format: 'text/html', purpose: 'commenting' })
  for (const tag of a.tags) body.push({ type: 'TextualBody', value: tag, purpose: 'tagging' })
  for (const basis of a.legalBases)
    body.push({ type: 'TextualBody', value: basis.label, purpose: 'classifying', 'custodia:legalBasis': basis.id })
  const out: W3CAnnotation = {
    id: `urn:uuid:${a.id}`,
    type: 'Annotation',
    motivation: 'commenting',
    target: convertTarget(a, opts),
    creator: convertPerson(a.author, opts),
    created: a.createdAt,
    modified: a.modifiedAt,
    'custodia:status': a.status,
  }
  if (body.length > 0) out.body = body
  return out
}

function convertTarget(a: Annotation, opts: W3CExportOptions): W3CSpecificResource {
  const { field, quote, position } = a.target
  const text: (TextQuoteSelector | TextPositionSelector)[] = quote && position ? [{ ...quote }, { ...position }] : []
  let selector: W3CSelector | W3CSelector[]
  if (field === undefined) {
    selector = text
  } else if (text.length === 0) {
    selector = buildFieldSelector(field)
  } else {
    // One refinedBy chain per alternative: the field first, then the range inside its text.
    selector = text.map((s) => ({ ...buildFieldSelector(field), refinedBy: s }))
  }
  return { source: checkIri(opts.recordIri(a.recordId), 'recordIri'), selector, 'custodia:revision': a.revision }
}

function buildFieldSelector(field: string): W3CFragmentSelector {
  return { type: 'FragmentSelector', conformsTo: JSON_POINTER_SPEC, value: field }
}

function convertPerson(p: Person, opts: W3CExportOptions): W3CAgent {
  const iri = opts.personIri ? opts.personIri(p.id) : `urn:custodia:person:${encodeURIComponent(p.id)}`
  return { id: checkIri(iri, 'personIri'), type: 'Person', name: p.name }
}

function checkIri(iri: unknown, what: string): string {
  if (typeof iri !== 'string' || !/^[a-z][a-z0-9+.-]*:[^\s]+$/i.test(iri)) {
    throw new CustodiaError('VALIDATION', `${what} did not return an absolute IRI`)
  }
  return iri
}
