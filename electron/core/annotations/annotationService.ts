// Main process / CLI (Node): annotations as encrypted vault records of kind 'annotation' — create from a selection,
// edit, reply, resolve/reopen, delete, and list a record's annotations re-anchored against its CURRENT text.
// The summary (target record, status, legal basis id, tags, author, created) lists by record without opening bodies.
import { readWholeBody } from '../../../shared/dossiers/sensitiveSplit'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { CustodiaError } from '../../../shared/errors'
import { DOCUMENT_KINDS } from '../../../shared/library/document'
import { describeSelection, reanchor, reanchorAll, reanchorDossierTarget, type AnchorResult } from '../../../shared/annotations/anchor'
import { resolveJsonPointer } from '../../../shared/annotations/jsonPointer'
import {
  AnchorSelectorsSchema,
  AnnotationSchema,
  JsonPointerSchema,
  MAX_LEGAL_BASES,
  type AnchorSelectors,
  type Annotation,
  type AnnotationTarget,
  type LegalBasisRef,
  type Person,
} from '../../../shared/annotations/annotationModel'
import { escapeHtml } from '../../../shared/text/escapeHtml'
import type { Vault } from '../vault/vault'
import { LEGAL_BASIS_RECORD_KIND, findVocabularyEntry, listLegalBases, type VocabularyEntry } from './legalBasisVocabulary'

export const ANNOTATION_RECORD_KIND = 'annotation'
export const MAX_BODY_CHARS = 20_000
export const MAX_TAGS = 50

/** Where an annotation is in the record now. Whole-field targets report 'field'; a vanished field 'field-missing'. */
export type AnchorView =
  | { status: 'exact' | 'relocated' | 'fuzzy'; start: number; end: number; score: number }
  | { status: 'orphaned'; quote: string }
  | { status: 'field' }
  | { status: 'field-missing'; quote?: string }

export interface AnchoredAnnotation {
  annotation: Annotation
  anchor: AnchorView
}

/** What an annotation is attached to: a range of the current text, or a range described on the client's copy. */
export type SelectionInput = { start: number; end: number } | { selectors: AnchorSelectors }

export interface CreateAnnotationInput {
  recordId: string
  /** JSON pointer of a dossier field; absent for library documents (their plain-text projection `text`). */
  field?: string
  /** Required unless a field is given (then the whole field is the target). */
  selection?: SelectionInput
  body?: string
  tags?: string[]
  legalBasisIds?: readonly string[]
}

export interface EditAnnotationInput {
  body?: string
  tags?: string[]
  /** null removes the classification. */
  /** The whole new list (empty removes every legal basis). */
  legalBasisIds?: readonly string[]
}

export interface AnnotationSummary {
  recordId: string
  status: 'open' | 'resolved'
  legalBasisIds: string[]
  tags: string[]
  author: string
  createdAt: string
  field: string | null
}

const uuidSchema = z.uuid()

/** The vault record id of an annotation: its UUID without dashes (32 lower-case hex characters). */
export function toAnnotationRecordId(annotationId: string): string {
  if (!uuidSchema.safeParse(annotationId).success) throw new CustodiaError('VALIDATION', 'The annotation id must be a UUID')
  return annotationId.toLowerCase().replace(/-/g, '')
}

/** The annotation UUID of a vault record id (inverse of toAnnotationRecordId). */
export function fromAnnotationRecordId(recordId: string): string {
  return `${recordId.slice(0, 8)}-${recordId.slice(8, 12)}-${recordId.slice(12, 16)}-${recordId.slice(16, 20)}-${recordId.slice(20)}`
}

/** The HTML form of a plain-text body (escaped, one <p> per paragraph): what the W3C export carries as text/html. */
export function formatBodyHtml(text: string): string {
  const paragraphs = text.split(/\n{2,}/).filter((p) => p.trim() !== '')
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('')
}

function checkBody(body: unknown): string {
  if (typeof body !== 'string') throw new CustodiaError('VALIDATION', 'The comment must be text')
  const text = body.replace(/\r\n?/g, '\n').trim()
  if ([...text].length > MAX_BODY_CHARS) throw new CustodiaError('VALIDATION', `The comment is longer than ${MAX_BODY_CHARS} characters`)
  return text
}

function checkTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) throw new CustodiaError('VALIDATION', 'Tags must be a list')
  const out: string[] = []
  for (const tag of tags) {
    if (typeof tag !== 'string') throw new CustodiaError('VALIDATION', 'Each tag must be text')
    const t = tag.trim().replace(/\s+/g, ' ')
    if (t === '') continue
    if (t.length > 100) throw new CustodiaError('VALIDATION', 'A tag is longer than 100 characters')
    if (!out.includes(t)) out.push(t)
  }
  if (out.length > MAX_TAGS) throw new CustodiaError('VALIDATION', `At most ${MAX_TAGS} tags`)
  return out
}

function checkAuthor(author: Person): Person {
  const name = typeof author?.name === 'string' ? author.name.trim().slice(0, 200) : ''
  const id = typeof author?.id === 'string' ? author.id.trim().slice(0, 200) : ''
  return { id: id || 'local', name: name || 'Unknown' }
}

/**
 * The legal bases a note will cite, from their ids: each must be in the vocabulary and not retired — except one the
 * note already cites (`kept`), which stays even after it was retired. Duplicates count once; VALIDATION over
 * MAX_LEGAL_BASES or for an unknown or newly chosen retired entry.
 */
function resolveLegalBases(vault: Vault, ids: readonly string[], kept: readonly LegalBasisRef[] = []): LegalBasisRef[] {
  const unique = [...new Set(ids)]
  if (unique.length > MAX_LEGAL_BASES) throw new CustodiaError('VALIDATION', `A note can cite at most ${MAX_LEGAL_BASES} legal bases`)
  const vocabulary = listLegalBases(vault)
  return unique.map((id) => {
    const already = kept.find((b) => b.id === id)
    if (already) return already
    const entry = findVocabularyEntry(vocabulary, id)
    if (!entry) throw new CustodiaError('VALIDATION', 'Unknown legal basis id')
    if (entry.retired) throw new CustodiaError('VALIDATION', 'This legal basis is retired and can no longer be chosen')
    return { id: entry.id, label: entry.label }
  })
}

function isDocumentKind(kind: string): boolean {
  return (DOCUMENT_KINDS as readonly string[]).includes(kind)
}

interface TargetRecord {
  kind: string
  revision: number
  body: unknown
}

function readTargetRecord(vault: Vault, recordId: string): TargetRecord {
  const record = vault.getRecord(recordId)
  if (record.kind === ANNOTATION_RECORD_KIND || record.kind === LEGAL_BASIS_RECORD_KIND) {
    throw new CustodiaError('VALIDATION', 'This record cannot be annotated')
  }
  // A dossier's sensitive sections (sealed apart, CRYPTO.md §16) are fields too, for a reader who holds their key.
  return { kind: record.kind, revision: record.revision, body: readWholeBody(record) }
}

/** The plain text a target's range lives in: a field's text, or the record's `text` projection. */
function readTargetText(target: TargetRecord, field: string | undefined): string | undefined {
  if (field !== undefined) {
    const value = resolveJsonPointer(target.body, field)
    return typeof value === 'string' ? value : undefined
  }
  const body = target.body as Record<string, unknown> | null
  const text = body && typeof body === 'object' ? body['text'] : undefined
  return typeof text === 'string' ? text : undefined
}

function buildTarget(target: TargetRecord, input: CreateAnnotationInput): AnnotationTarget {
  let field: string | undefined
  if (input.field !== undefined) {
    const parsed = JsonPointerSchema.safeParse(input.field)
    if (!parsed.success) throw new CustodiaError('VALIDATION', 'The field is not a JSON pointer')
    field = parsed.data
    if (resolveJsonPointer(target.body, field) === undefined) throw new CustodiaError('VALIDATION', 'The record has no such field')
  }
  if (input.selection === undefined) {
    if (field === undefined) throw new CustodiaError('VALIDATION', 'Select a passage to annotate')
    return { field }
  }
  const text = readTargetText(target, field)
  if (text === undefined) {
    throw new CustodiaError(
      'VALIDATION',
      field === undefined ? 'This record has no text to annotate: name a field' : 'This field is not text',
    )
  }
  const selection = input.selection
  let start: number
  let end: number
  if ('selectors' in selection) {
    const parsed = AnchorSelectorsSchema.safeParse(selection.selectors)
    if (!parsed.success) throw new CustodiaError('VALIDATION', `selection: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    // The client described the passage on its copy of the text; find the same words in the saved text.
    const found = reanchor(text, parsed.data)
    if (found.status === 'orphaned') {
      throw new CustodiaError('VALIDATION', 'The selected passage is not in the saved text yet: save the document, then try again')
    }
    start = found.start
    end = found.end
  } else {
    start = selection.start
    end = selection.end
  }
  const described = describeSelection(text, start, end)
  return field === undefined
    ? { quote: described.quote, position: described.position }
    : { field, quote: described.quote, position: described.position }
}

/** The summary an annotation record carries (lists by record without opening bodies): the one rule, also used by bundle import. */
export function summarizeAnnotation(a: Annotation): AnnotationSummary {
  return {
    recordId: a.recordId,
    status: a.status,
    legalBasisIds: a.legalBases.map((b) => b.id),
    tags: a.tags,
    author: a.author.name,
    createdAt: a.createdAt,
    field: a.target.field ?? null,
  }
}

function parseStored(body: unknown): Annotation {
  const r = AnnotationSchema.safeParse(body)
  if (!r.success) throw new CustodiaError('CORRUPT', 'An annotation record is malformed')
  return r.data
}

/**
 * Creates an annotation on a record's current text (or a dossier field). VALIDATION for an empty or out-of-range
 * selection, a passage not in the saved text, an unknown/retired legal basis, an empty annotation (no comment, tag or
 * legal basis); NOT_FOUND for a missing record. Logs `annotation.created` (ids only).
 */
export function createAnnotation(vault: Vault, input: CreateAnnotationInput, author: Person): Annotation {
  if (typeof input !== 'object' || input === null) throw new CustodiaError('VALIDATION', 'The annotation must be an object')
  const target = readTargetRecord(vault, input.recordId)
  const annotationTarget = buildTarget(target, input)
  const text = checkBody(input.body ?? '')
  const tags = checkTags(input.tags ?? [])
  const legalBases = resolveLegalBases(vault, input.legalBasisIds ?? [])
  if (text === '' && tags.length === 0 && legalBases.length === 0) {
    throw new CustodiaError('VALIDATION', 'Write a comment, add a tag or choose a legal basis')
  }
  const now = new Date().toISOString()
  const id = randomUUID()
  const annotation = AnnotationSchema.parse({
    id,
    recordId: input.recordId,
    revision: target.revision,
    target: annotationTarget,
    body: { html: formatBodyHtml(text), text },
    author: checkAuthor(author),
    createdAt: now,
    modifiedAt: now,
    tags,
    legalBases,
    status: 'open',
    replies: [],
  } satisfies Annotation)
  const recordId = toAnnotationRecordId(id)
  vault.createRecord(
    ANNOTATION_RECORD_KIND,
    { summary: { ...summarizeAnnotation(annotation) }, body: annotation },
    { id: recordId, author: annotation.author.name },
  )
  vault.audit.append('annotation.created', { annotationId: recordId, recordId: input.recordId })
  return annotation
}

/** One annotation by its UUID. VALIDATION for a malformed id, NOT_FOUND when there is no such annotation. */
export function getAnnotation(vault: Vault, annotationId: string): Annotation {
  const recordId = toAnnotationRecordId(annotationId)
  if (!vault.hasRecord(recordId)) throw new CustodiaError('NOT_FOUND', 'No annotation with this id')
  const record = vault.getRecord(recordId)
  if (record.kind !== ANNOTATION_RECORD_KIND) throw new CustodiaError('NOT_FOUND', 'No annotation with this id')
  return parseStored(record.body)
}

function saveAnnotation(vault: Vault, before: Annotation, after: Annotation, event: string): Annotation {
  const recordId = toAnnotationRecordId(before.id)
  const checked = AnnotationSchema.parse(after)
  const { revision } = vault.getRecord(recordId)
  vault.updateRecord(
    recordId,
    { summary: { ...summarizeAnnotation(checked) }, body: checked },
    { expectedRevision: revision, author: checked.author.name },
  )
  vault.audit.append(event, { annotationId: recordId, recordId: checked.recordId })
  return checked
}

/** Changes the comment, the tags and/or the legal basis (null removes it). VALIDATION, NOT_FOUND. Logs `annotation.edited`. */
export function editAnnotation(vault: Vault, annotationId: string, patch: EditAnnotationInput): Annotation {
  const current = getAnnotation(vault, annotationId)
  const next: Annotation = { ...current, modifiedAt: new Date().toISOString() }
  if (patch.body !== undefined) {
    const text = checkBody(patch.body)
    next.body = { html: formatBodyHtml(text), text }
  }
  if (patch.tags !== undefined) next.tags = checkTags(patch.tags)
  if (patch.legalBasisIds !== undefined) next.legalBases = resolveLegalBases(vault, patch.legalBasisIds, current.legalBases)
  if (next.body.text === '' && next.tags.length === 0 && next.legalBases.length === 0) {
    throw new CustodiaError('VALIDATION', 'Write a comment, add a tag or choose a legal basis')
  }
  return saveAnnotation(vault, current, next, 'annotation.edited')
}

/** Adds a reply to the thread. VALIDATION for an empty or too long reply, NOT_FOUND. Logs `annotation.replied`. */
export function replyToAnnotation(vault: Vault, annotationId: string, text: string, author: Person): Annotation {
  const current = getAnnotation(vault, annotationId)
  const body = checkBody(text)
  if (body === '') throw new CustodiaError('VALIDATION', 'The reply is empty')
  const now = new Date().toISOString()
  const reply = { id: randomUUID(), author: checkAuthor(author), createdAt: now, text: body }
  return saveAnnotation(vault, current, { ...current, modifiedAt: now, replies: [...current.replies, reply] }, 'annotation.replied')
}

/** Resolves or reopens. Setting the status it already has changes nothing. Logs `annotation.resolved` / `.reopened`. */
export function setAnnotationStatus(vault: Vault, annotationId: string, status: 'open' | 'resolved'): Annotation {
  if (status !== 'open' && status !== 'resolved') throw new CustodiaError('VALIDATION', 'The status must be open or resolved')
  const current = getAnnotation(vault, annotationId)
  if (current.status === status) return current
  const event = status === 'resolved' ? 'annotation.resolved' : 'annotation.reopened'
  return saveAnnotation(vault, current, { ...current, status, modifiedAt: new Date().toISOString() }, event)
}

/** Deletes an annotation with its replies and history. NOT_FOUND. Logs `annotation.deleted`. */
export function deleteAnnotation(vault: Vault, annotationId: string): void {
  const current = getAnnotation(vault, annotationId)
  const recordId = toAnnotationRecordId(current.id)
  vault.deleteRecord(recordId)
  vault.audit.append('annotation.deleted', { annotationId: recordId, recordId: current.recordId })
}

/**
 * Deletes every annotation of a record that is itself being deleted, so none is left pointing at nothing.
 * Returns how many went. Callers: the library and dossier services, just before they delete the record.
 */
export function deleteAnnotationsOf(vault: Vault, recordId: string): number {
  const ids = vault
    .listRecords({ kind: ANNOTATION_RECORD_KIND })
    .filter((r) => r.summary['recordId'] === recordId)
    .map((r) => r.id)
  for (const id of ids) {
    vault.deleteRecord(id)
    vault.audit.append('annotation.deleted', { annotationId: id, recordId })
  }
  return ids.length
}

/** The record an annotation (given by its vault record id, as search hits carry it) is attached to. NOT_FOUND. */
export function findAnnotatedRecord(vault: Vault, annotationRecordId: string): { recordId: string; kind: string } {
  if (!vault.hasRecord(annotationRecordId)) throw new CustodiaError('NOT_FOUND', 'No annotation with this id')
  const record = vault.getRecord(annotationRecordId)
  if (record.kind !== ANNOTATION_RECORD_KIND) throw new CustodiaError('NOT_FOUND', 'No annotation with this id')
  const target = parseStored(record.body).recordId
  if (!vault.hasRecord(target)) throw new CustodiaError('NOT_FOUND', 'The annotated record is no longer in the vault')
  return { recordId: target, kind: vault.getRecord(target).kind }
}

/** Every stored annotation of a record (no anchoring), oldest first; summaries pick them without opening others. */
export function listStoredAnnotations(vault: Vault, recordId: string): Annotation[] {
  return vault
    .listRecords({ kind: ANNOTATION_RECORD_KIND })
    .filter((r) => r.summary['recordId'] === recordId)
    .map((r) => parseStored(vault.getRecord(r.id).body))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

function refreshLabel(a: Annotation, vocabulary: readonly VocabularyEntry[]): Annotation {
  if (a.legalBases.length === 0) return a
  // Ids are stable; labels may be renamed since: show the current ones.
  const legalBases = a.legalBases.map((basis) => {
    const entry = findVocabularyEntry(vocabulary, basis.id)
    return entry && entry.label !== basis.label ? { id: entry.id, label: entry.label } : basis
  })
  return legalBases.some((b, i) => b !== a.legalBases[i]) ? { ...a, legalBases } : a
}

function anchorRank(anchor: AnchorView): number {
  if (anchor.status === 'orphaned' || anchor.status === 'field-missing') return 2
  return anchor.status === 'field' ? 1 : 0
}

/**
 * A record's annotations, re-anchored against its current text (reanchorAll, one pass) or, for dossier targets,
 * against the current field. Document order: anchored passages by position, then whole-field notes, then orphaned
 * ones (kept, with their quote) by creation time. NOT_FOUND for a missing record.
 */
export function listAnnotations(vault: Vault, recordId: string): AnchoredAnnotation[] {
  const target = readTargetRecord(vault, recordId)
  const vocabulary = listLegalBases(vault)
  const stored = listStoredAnnotations(vault, recordId).map((a) => refreshLabel(a, vocabulary))
  const anchors: AnchorView[] = new Array(stored.length)
  const textIndexes: number[] = []
  const textSelectors: AnchorSelectors[] = []
  stored.forEach((a, i) => {
    const { field, quote, position } = a.target
    if (field === undefined && quote && position) {
      textIndexes.push(i)
      textSelectors.push({ quote, position })
    } else if (field !== undefined) {
      const selectors = quote && position ? { quote, position } : undefined
      anchors[i] = reanchorDossierTarget(target.body, { recordId, revision: a.revision, field, ...(selectors ? { selectors } : {}) })
    } else {
      anchors[i] = { status: 'orphaned', quote: '' }
    }
  })
  if (textIndexes.length > 0) {
    const text = readTargetText(target, undefined)
    const results: AnchorResult[] =
      text === undefined ? textSelectors.map((s) => ({ status: 'orphaned', quote: s.quote.exact })) : reanchorAll(text, textSelectors)
    textIndexes.forEach((index, k) => (anchors[index] = results[k] as AnchorResult))
  }
  const out = stored.map((annotation, i) => ({ annotation, anchor: anchors[i] as AnchorView }))
  return out.sort((x, y) => {
    const rank = anchorRank(x.anchor) - anchorRank(y.anchor)
    if (rank !== 0) return rank
    const xs = 'start' in x.anchor ? x.anchor.start : 0
    const ys = 'start' in y.anchor ? y.anchor.start : 0
    return xs - ys || x.annotation.createdAt.localeCompare(y.annotation.createdAt)
  })
}

/**
 * The annotation as it stands on the record's current revision: an anchored text target gets fresh selectors for
 * where its passage is now (and that revision); orphans keep the selectors of the revision they were made on.
 */
export function updateTargetToCurrent(vault: Vault, item: AnchoredAnnotation): Annotation {
  const { annotation: a, anchor } = item
  if (!('start' in anchor) || !a.target.quote) return a
  const target = readTargetRecord(vault, a.recordId)
  const text = readTargetText(target, a.target.field)
  if (text === undefined) return a
  const described = describeSelection(text, anchor.start, anchor.end)
  return { ...a, revision: target.revision, target: { ...a.target, quote: described.quote, position: described.position } }
}

/** Finds `quote` in a record's text (CLI): the only occurrence, or the `occurrence`-th (1-based) when there are several. */
export function locateQuote(
  vault: Vault,
  recordId: string,
  quote: string,
  occurrence?: number,
  field?: string,
): { start: number; end: number } {
  if (typeof quote !== 'string' || quote === '') throw new CustodiaError('VALIDATION', 'The quote is empty')
  const target = readTargetRecord(vault, recordId)
  const text = readTargetText(target, field)
  if (text === undefined) throw new CustodiaError('VALIDATION', 'This record has no text to annotate')
  const starts: number[] = []
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) starts.push(i)
  if (starts.length === 0) throw new CustodiaError('NOT_FOUND', 'The quote does not occur in the record text')
  let at: number
  if (occurrence === undefined) {
    if (starts.length > 1) {
      throw new CustodiaError(
        'VALIDATION',
        `The quote occurs ${starts.length} times: quote more context, or pass --occurrence N (1-${starts.length})`,
      )
    }
    at = starts[0] as number
  } else {
    if (!Number.isSafeInteger(occurrence) || occurrence < 1 || occurrence > starts.length) {
      throw new CustodiaError('VALIDATION', `--occurrence must be from 1 to ${starts.length}`)
    }
    at = starts[occurrence - 1] as number
  }
  // indexOf works in UTF-16 units; annotations count code points.
  const start = [...text.slice(0, at)].length
  return { start, end: start + [...quote].length }
}

/** Whether a record kind is a library document (for labels in reports and exports). */
export function isLibraryDocumentKind(kind: string): boolean {
  return isDocumentKind(kind)
}
