// Main process (Node only): which text each record kind contributes to the search index — the set of extractors an
// index is opened with (built once by the caller, never changed afterwards), the built-ins for the four
// library-document kinds, and the generic fallback for kinds the set does not name.
import { CustodiaError } from '../../../shared/errors'
import { DOCUMENT_KINDS } from '../../../shared/library/document'
import { RECORD_KIND_PATTERN, type StoredRecord } from '../vault/vault'

/** What one record contributes to the index. Original (unfolded) text: the index folds it, snippets show it. */
export interface SearchFields {
  title: string
  text: string
  /** YYYY-MM-DD (anything else is stored as "no date"). */
  date: string | null
  status?: string
  language?: string
  tags?: string[]
  /** More searchable text that is never shown in snippets (e.g. correspondents' names and organisations). */
  extra?: string
}

export type SearchExtractor = (record: StoredRecord) => SearchFields | null

/** One kind's extractor, as an area declares it (e.g. dossiers, annotations); the app's wiring collects them. */
export interface SearchExtractorRegistration {
  kind: string
  extract: SearchExtractor
  /**
   * Default 1. Bump it when the extractor starts producing different text: an index built with the old version
   * re-indexes that kind when it is next opened (the same happens when a kind gets its first extractor after its
   * records were indexed with the fallback, or loses it).
   */
  version?: number
}

/**
 * The extractors one index is opened with. Immutable: every process that opens the same vault's index (the app, the
 * CLI) must pass the same set, or each would re-index the kinds the other extracts differently.
 */
export interface SearchExtractors {
  /** The extractor used for a kind: the one in the set, else the fallback. */
  select(kind: string): SearchExtractor
  /** kind → version of every extractor in the set, sorted by kind (stored in the index to notice changes). */
  readonly signature: Readonly<Record<string, number>>
}

function validateRegistration(registration: SearchExtractorRegistration): { kind: string; extract: SearchExtractor; version: number } {
  const { kind, extract, version = 1 } = registration
  if (typeof kind !== 'string' || !RECORD_KIND_PATTERN.test(kind)) {
    throw new CustodiaError('VALIDATION', 'The record kind must be 2-32 lower-case letters, digits or hyphens, starting with a letter')
  }
  if (typeof extract !== 'function') throw new CustodiaError('VALIDATION', 'A search extractor must be a function')
  if (!Number.isSafeInteger(version) || version < 1)
    throw new CustodiaError('VALIDATION', 'A search extractor version must be a positive integer')
  return { kind, extract, version }
}

/**
 * The set of the library-document built-ins plus `registrations` (which may replace a built-in; naming a kind twice
 * among them is a mistake → VALIDATION, as are an invalid kind, a non-function or a bad version).
 */
export function createSearchExtractors(registrations: readonly SearchExtractorRegistration[] = []): SearchExtractors {
  const byKind = new Map<string, { extract: SearchExtractor; version: number }>()
  for (const kind of DOCUMENT_KINDS) byKind.set(kind, { extract: extractDocumentFields, version: 1 })
  const named = new Set<string>()
  for (const registration of registrations) {
    const { kind, extract, version } = validateRegistration(registration)
    if (named.has(kind)) throw new CustodiaError('VALIDATION', 'A record kind has two search extractors')
    named.add(kind)
    byKind.set(kind, { extract, version })
  }
  const signature: Record<string, number> = {}
  for (const kind of [...byKind.keys()].sort()) signature[kind] = byKind.get(kind)!.version
  return {
    select: (kind) => byKind.get(kind)?.extract ?? extractFallbackFields,
    signature: Object.freeze(signature),
  }
}

function readString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function readTags(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((tag): tag is string => typeof tag === 'string' && tag.length > 0) : undefined
}

interface CorrespondentLike {
  name?: unknown
  title?: unknown
  organisation?: unknown
}

function joinCorrespondents(list: unknown): string[] {
  if (!Array.isArray(list)) return []
  const out: string[] = []
  for (const item of list as CorrespondentLike[]) {
    for (const part of [item?.name, item?.title, item?.organisation]) if (typeof part === 'string' && part) out.push(part)
  }
  return out
}

/** Library documents: title and text from the body; correspondents and the author organisation are searchable too. */
export function extractDocumentFields(record: StoredRecord): SearchFields | null {
  const body = record.body as Record<string, unknown> | null
  if (typeof body !== 'object' || body === null) return null
  const title = readString(body['title']) ?? ''
  const text = readString(body['text']) ?? ''
  if (!title && !text) return null
  const extra = [readString(body['authorOrganisation']) ?? '', ...joinCorrespondents(body['recipients']), ...joinCorrespondents(body['cc'])]
    .filter(Boolean)
    .join('\n')
  return {
    title,
    text,
    date: readString(body['date']) ?? null,
    status: readString(body['status']),
    language: readString(body['language']),
    tags: readTags(body['tags']),
    extra: extra || undefined,
  }
}

/** Any other kind: summary.title or summary.name, and body.text, when they are strings; nothing to index → null. */
export function extractFallbackFields(record: StoredRecord): SearchFields | null {
  const summary = (typeof record.summary === 'object' && record.summary !== null ? record.summary : {}) as Record<string, unknown>
  const body = (typeof record.body === 'object' && record.body !== null ? record.body : {}) as Record<string, unknown>
  const title = readString(summary['title']) ?? readString(summary['name']) ?? ''
  const text = readString(body['text']) ?? ''
  if (!title && !text) return null
  return {
    title,
    text,
    date: readString(summary['date']) ?? null,
    status: readString(summary['status']),
    language: readString(summary['language']),
    tags: readTags(summary['tags']),
  }
}
