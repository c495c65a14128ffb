// Main process (Node only): what a dossier contributes to the library search index — every name form and alias,
// region, citizenship, facilities and locations, charges, status notes and timeline descriptions. Family contacts,
// the medical note and source names are NEVER indexed: the index feeds snippets that anyone at the screen can read.
import { DOSSIER_RECORD_KIND, deriveCurrentStatus, listNameForms, parseDossier, type Dossier } from '../../../shared/dossiers/dossier'
import type { SearchExtractorRegistration, SearchFields } from '../search/extractors'
import type { StoredRecord } from '../vault/vault'

/** Bump when the extracted text changes, so existing indexes re-index dossiers. */
export const DOSSIER_EXTRACTOR_VERSION = 1

/** The latest dated fact of a dossier (status event or timeline entry), for the date facet; null when none. */
function findLatestDate(d: Dossier): string | null {
  const dates = [...d.statusHistory.map((e) => e.date), ...d.timeline.map((t) => t.date)].sort()
  return dates[dates.length - 1] ?? null
}

/** The search fields of a dossier body (already parsed). Title: transliteration (original), as on printed lists. */
export function extractDossierSearchFields(d: Dossier): SearchFields {
  const { original, transliteration } = d.names
  const title = transliteration && transliteration !== original ? `${transliteration} (${original})` : original
  const lines: string[] = []
  const add = (...parts: (string | undefined)[]) => {
    for (const part of parts) if (part !== undefined && part.trim() !== '') lines.push(part.trim())
  }
  add(d.homeRegion, ...d.citizenship)
  for (const x of d.detentions) add(x.facility, x.location)
  for (const c of d.charges) add(c.article, c.court, c.sentence)
  for (const e of d.statusHistory) add(e.note)
  for (const t of [...d.timeline].sort((a, b) => a.date.localeCompare(b.date))) add(t.description)
  return {
    title,
    text: lines.join('\n'),
    date: findLatestDate(d),
    status: deriveCurrentStatus(d.statusHistory),
    // Other spellings and aliases match but are not shown in snippets: the title already names the person.
    extra: listNameForms(d.names).join('\n'),
  }
}

/** The extractor for kind 'dossier': null for a body that is not a valid dossier (nothing indexed). */
export function extractDossierRecord(record: StoredRecord): SearchFields | null {
  let dossier: Dossier
  try {
    dossier = parseDossier(record.body)
  } catch {
    return null
  }
  return extractDossierSearchFields(dossier)
}

/** How dossiers are searched: the app's wiring (electron/core/app/services.ts) puts it in every index it opens. */
export const dossierSearchExtractor: SearchExtractorRegistration = {
  kind: DOSSIER_RECORD_KIND,
  extract: extractDossierRecord,
  version: DOSSIER_EXTRACTOR_VERSION,
}
