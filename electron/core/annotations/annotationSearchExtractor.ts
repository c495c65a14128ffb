// Main process (Node only): what an annotation contributes to the library search index — its comment and replies,
// the quoted passage (as title), the legal basis (label and id) and its tags.
import { AnnotationSchema, type Annotation } from '../../../shared/annotations/annotationModel'
import type { SearchExtractorRegistration, SearchFields } from '../search/extractors'
import type { StoredRecord } from '../vault/vault'
import { ANNOTATION_RECORD_KIND } from './annotationService'

/** Bump when the extracted text changes, so existing indexes re-index annotations. */
export const ANNOTATION_EXTRACTOR_VERSION = 1

const MAX_TITLE = 200

/** The search fields of a parsed annotation. */
export function extractAnnotationSearchFields(a: Annotation): SearchFields {
  const quote = (a.target.quote?.exact ?? '').replace(/\s+/g, ' ').trim()
  const title =
    quote === '' ? `Note on field ${a.target.field ?? ''}`.trim() : quote.length > MAX_TITLE ? `${quote.slice(0, MAX_TITLE - 1)}…` : quote
  const text = [a.body.text, ...a.replies.map((r) => r.text)].filter((t) => t !== '').join('\n\n')
  const extra = [quote.length > MAX_TITLE ? quote : '', ...a.legalBases.flatMap((b) => [b.label, b.id]), ...a.tags]
    .filter((t) => t !== '')
    .join('\n')
  return {
    title,
    text,
    date: a.createdAt.slice(0, 10),
    status: a.status,
    tags: a.tags,
    extra: extra || undefined,
  }
}

/** The extractor for kind 'annotation': null for a body that is not a valid annotation. */
export function extractAnnotationRecord(record: StoredRecord): SearchFields | null {
  const parsed = AnnotationSchema.safeParse(record.body)
  return parsed.success ? extractAnnotationSearchFields(parsed.data) : null
}

/** How annotations are searched: the app's wiring (electron/core/app/services.ts) puts it in every index it opens. */
export const annotationSearchExtractor: SearchExtractorRegistration = {
  kind: ANNOTATION_RECORD_KIND,
  extract: extractAnnotationRecord,
  version: ANNOTATION_EXTRACTOR_VERSION,
}
