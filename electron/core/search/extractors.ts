// Main process (Node only): which text each record kind contributes to the search index — a registry of extractors,
// the built-ins for the four library-document kinds, and the generic fallback for kinds nobody registered.
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

interface Registration {
  extract: SearchExtractor
  version: number
}

const registry = new Map<string, Registration>()
let generation = 0

/**
 * Registers (or replaces) the extractor for a record kind. `version` (default 1): bump it when the extractor starts
 * producing different text, so indexes built with the old one re-index that kind at the next catch-up (the same
 * happens automatically when a kind gets its first extractor after records were indexed with the fallback).
 * Invalid kind, non-function or bad version → VALIDATION.
 */
export function registerSearchExtractor(kind: string, extract: SearchExtractor, version = 1): void {
  if (typeof kind !== 'string' || !RECORD_KIND_PATTERN.test(kind)) {
    throw new CustodiaError('VALIDATION', 'The record kind must be 2-32 lower-case letters, digits or hyphens, starting with a letter')
  }
  if (typeof extract !== 'function') throw new CustodiaError('VALIDATION', 'A search extractor must be a function')
  if (!Number.isSafeInteger(version) || version < 1) throw new CustodiaError('VALIDATION', 'A search extractor version must be a positive integer')
  registry.set(kind, { extract, version })
  generation += 1
}

/** Changes whenever the registry changes (cheap check before comparing signatures). */
export function getExtractorGeneration(): number {
  return generation
}

/** kind → version of every registered extractor (the fallback covers every other kind). */
export function getExtractorSignature(): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [kind, reg] of [...registry.entries()].sort(([a], [b]) => a.localeCompare(b))) out[kind] = reg.version
  return out
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

/** The extractor used for a kind: the registered one, else the fallback. */
export function selectExtractor(kind: string): SearchExtractor {
  return registry.get(kind)?.extract ?? extractFallbackFields
}

for (const kind of DOCUMENT_KINDS) registerSearchExtractor(kind, extractDocumentFields)
