// Main process / CLI (Node): exports of annotations — W3C Web Annotation JSON-LD (one AnnotationCollection) for a
// record or for search results, and a printable report (self-contained HTML, no script) for a document's PDF.
import { createHash } from 'node:crypto'
import { CustodiaError, isCustodiaError } from '../../../shared/errors'
import { toAnnotationCollection, type W3CAnnotationCollection } from '../../../shared/annotations/w3c'
import type { Annotation } from '../../../shared/annotations/annotationModel'
import type { PageSize } from '../../../shared/letters/templateModel'
import { escapeHtml } from '../../../shared/text/escapeHtml'
import type { SearchEngine, SearchFilter } from '../search/searchEngine'
import type { Vault } from '../vault/vault'
import {
  ANNOTATION_RECORD_KIND,
  fromAnnotationRecordId,
  getAnnotation,
  listAnnotations,
  updateTargetToCurrent,
  type AnchorView,
  type AnchoredAnnotation,
} from './annotationService'
import { findVocabularyEntry, listLegalBases } from './legalBasisVocabulary'

/** IRI of a vault record in exports: names the record without revealing anything about it. */
export function buildRecordIri(recordId: string): string {
  return `urn:custodia:record:${recordId}`
}

/**
 * A UUID named by `parts` (RFC 9562 version 8, from SHA-256, like its name-based example): the same parts give the
 * same UUID in every export, and the UUID shows nothing of them. The parts are random vault and record ids, never
 * text someone typed, so there is nothing to guess them from.
 */
function deriveUuid(...parts: string[]): string {
  const bytes = createHash('sha256')
    .update(['custodia/w3c-export/v1', ...parts].join('\u0000'))
    .digest()
    .subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x80 // version 8
  bytes[8] = (bytes[8]! & 0x3f) | 0x80 // RFC 9562 variant
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The stable ids of a collection (and of its one page) named by `parts`. */
function deriveCollectionIds(...parts: string[]): { id: string; pageId: string } {
  return { id: deriveUuid('collection', ...parts), pageId: deriveUuid('page', ...parts, '0') }
}

function readRecordTitle(vault: Vault, recordId: string): string {
  const summary = vault.getRecord(recordId).summary
  const title = summary['title'] ?? summary['name']
  return typeof title === 'string' && title.trim() !== '' ? title.trim() : 'Untitled record'
}

/**
 * The record's annotations as one AnnotationCollection, targets brought up to the record's current revision. The
 * collection is the record's: its id (and its page's) comes from the vault and record ids, the same on every export.
 * Writes no audit entry: the caller logs `annotations.exported` once the collection has actually left the vault.
 */
export function exportRecordW3C(vault: Vault, recordId: string): W3CAnnotationCollection {
  const items = listAnnotations(vault, recordId).map((item) => updateTargetToCurrent(vault, item))
  const label = `Annotations on ${readRecordTitle(vault, recordId)}`.slice(0, 500)
  return toAnnotationCollection(items, { ...deriveCollectionIds('record', vault.vaultId, recordId), label, recordIri: buildRecordIri })
}

const SEARCH_PAGE = 200
const MAX_SEARCH_EXPORT = 10_000

/**
 * The annotations a search finds (its hits of kind 'annotation', in rank order) as one AnnotationCollection, each
 * brought up to its record's current revision. The collection is that list: its id comes from the vault id and the
 * annotation ids in order (never the query's words), so the same result exported twice has the same id.
 * VALIDATION when the search finds more than 10,000. No audit entry (as above).
 */
export function exportSearchW3C(
  vault: Vault,
  engine: Pick<SearchEngine, 'search'>,
  query: string,
  filter: SearchFilter = {},
): W3CAnnotationCollection {
  const scoped: SearchFilter = { ...filter, kinds: [ANNOTATION_RECORD_KIND] }
  const ids: string[] = []
  for (let offset = 0; ; offset += SEARCH_PAGE) {
    const page = engine.search(query, scoped, { limit: SEARCH_PAGE, offset })
    if (page.total > MAX_SEARCH_EXPORT)
      throw new CustodiaError('VALIDATION', `The search finds more than ${MAX_SEARCH_EXPORT} annotations: narrow it`)
    for (const hit of page.hits) if (hit.kind === ANNOTATION_RECORD_KIND) ids.push(hit.id)
    if (page.hits.length < SEARCH_PAGE || offset + SEARCH_PAGE >= page.total) break
  }
  const anchoredByRecord = new Map<string, Map<string, AnchoredAnnotation> | null>()
  const items: Annotation[] = []
  for (const id of ids) {
    const annotation = getAnnotation(vault, fromAnnotationRecordId(id))
    let byId = anchoredByRecord.get(annotation.recordId)
    if (byId === undefined) {
      try {
        byId = new Map(listAnnotations(vault, annotation.recordId).map((item) => [item.annotation.id, item]))
      } catch (error) {
        // The annotated record was deleted since: export the annotation as it was stored.
        if (!isCustodiaError(error) || error.code !== 'NOT_FOUND') throw error
        byId = null
      }
      anchoredByRecord.set(annotation.recordId, byId)
    }
    const item = byId?.get(annotation.id)
    items.push(item ? updateTargetToCurrent(vault, item) : annotation)
  }
  const label = query.trim() === '' ? 'Annotations' : `Annotations matching “${query.trim()}”`.slice(0, 500)
  return toAnnotationCollection(items, { ...deriveCollectionIds('search', vault.vaultId, ...ids), label, recordIri: buildRecordIri })
}

const STATUS_LABELS: Record<AnchorView['status'], string> = {
  exact: 'anchored',
  relocated: 'anchored (moved)',
  fuzzy: 'anchored (text changed)',
  orphaned: 'orphaned: passage no longer found',
  field: 'whole field',
  'field-missing': 'orphaned: field removed',
}

function readCurrentText(vault: Vault, recordId: string): string {
  const body = vault.getRecord(recordId).body as Record<string, unknown> | null
  return body && typeof body['text'] === 'string' ? body['text'] : ''
}

function quoteOf(item: AnchoredAnnotation, text: string): string {
  const { anchor, annotation } = item
  if ('start' in anchor) return [...text].slice(anchor.start, anchor.end).join('')
  return annotation.target.quote?.exact ?? ''
}

function formatDate(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ') + ' UTC'
}

/**
 * A standalone report of a document's annotations: each with its quoted passage (as it reads now, or its original
 * quote when orphaned), comment, legal basis, tags, status and replies. Every value is escaped; there is no script,
 * no external resource and a CSP that allows none, so printing it can load or run nothing.
 */
export function buildAnnotationReportHtml(vault: Vault, recordId: string, opts: { pageSize?: PageSize; now?: Date } = {}): string {
  const items = listAnnotations(vault, recordId)
  const vocabulary = listLegalBases(vault)
  const text = readCurrentText(vault, recordId)
  const title = readRecordTitle(vault, recordId)
  const { revision } = vault.getRecord(recordId)
  const generated = formatDate((opts.now ?? new Date()).toISOString())
  const sections = items.map((item, i) => {
    const a = item.annotation
    const quote = quoteOf(item, text)
    const replies = a.replies
      .map(
        (r) =>
          `<li><span class="meta">${escapeHtml(r.author.name)}, ${escapeHtml(formatDate(r.createdAt))}</span><div class="body">${escapeHtml(r.text)}</div></li>`,
      )
      .join('')
    return [
      `<section class="annotation ${a.status}">`,
      `<h2>${i + 1}. ${a.status === 'resolved' ? 'Resolved' : 'Open'} <span class="anchor">${escapeHtml(STATUS_LABELS[item.anchor.status])}</span></h2>`,
      a.target.field ? `<p class="meta">Field ${escapeHtml(a.target.field)}</p>` : '',
      quote ? `<blockquote>${escapeHtml(quote)}</blockquote>` : '',
      a.body.text ? `<div class="body">${escapeHtml(a.body.text)}</div>` : '',
      ...a.legalBases.map((b) => {
        const entry = findVocabularyEntry(vocabulary, b.id)
        const detail = entry ? ` — ${escapeHtml(entry.heading)} (${escapeHtml(entry.title)})` : ''
        return `<p class="basis"><strong>Legal basis:</strong> ${escapeHtml(b.label)}${detail}</p>`
      }),
      a.tags.length > 0 ? `<p class="tags"><strong>Tags:</strong> ${a.tags.map(escapeHtml).join(', ')}</p>` : '',
      `<p class="meta">${escapeHtml(a.author.name)}, ${escapeHtml(formatDate(a.createdAt))}</p>`,
      replies ? `<h3>Replies</h3><ol class="replies">${replies}</ol>` : '',
      '</section>',
    ].join('')
  })
  const open = items.filter((x) => x.annotation.status === 'open').length
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(title)} — annotations</title><style>`,
    `@page { size: ${opts.pageSize ?? 'A4'}; margin: 18mm 16mm; }`,
    'body { font-family: "Liberation Serif", "Times New Roman", serif; font-size: 11pt; color: #111; }',
    'h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 0 0 4pt; } h3 { font-size: 10pt; margin: 6pt 0 2pt; }',
    '.anchor, .meta { color: #555; font-size: 9pt; font-weight: normal; }',
    '.annotation { border-top: 1px solid #bbb; padding: 8pt 0; break-inside: avoid; }',
    'blockquote { margin: 4pt 0; padding: 4pt 8pt; border-left: 3pt solid #c9a227; background: #fbf6e3; }',
    '.body { white-space: pre-wrap; margin: 4pt 0; } .replies { margin: 0; padding-left: 16pt; }',
    '</style></head><body>',
    `<h1>Annotations: ${escapeHtml(title)}</h1>`,
    `<p class="meta">Revision ${revision}; ${items.length} annotation${items.length === 1 ? '' : 's'}, ${open} open. Generated ${escapeHtml(generated)}.</p>`,
    items.length === 0 ? '<p>No annotations.</p>' : sections.join(''),
    '</body></html>',
  ].join('\n')
}
