// Renderer: where a dossier problem is shown — from a validation issue's path (shared/messages FieldProblem, as the
// contract names it: "detentions.1.to") to the id of the input that edits it ("detention-to-1"), and the map of
// messages by input id that the form's fields read to show their own error.
import { createContext, useContext } from 'react'
import type { FieldProblem } from '../../../../shared/messages/messages'

/** Inputs whose id is `${prefix}-${field}-${index}` for list entries. */
const LIST_PREFIXES: Readonly<Record<string, string>> = {
  statusHistory: 'status',
  detentions: 'detention',
  charges: 'charge',
  sources: 'source',
  timeline: 'timeline',
  contacts: 'family',
}

const SINGLE_IDS: Readonly<Record<string, string>> = {
  'names.original': 'name-original',
  'names.transliteration': 'name-transliteration',
  'names.otherSpellings': 'name-other',
  'names.aliases': 'name-aliases',
  'birth.date': 'birth-date',
  'birth.year': 'birth-year',
  sharePartners: 'share-partners',
  consent: 'consent-level',
  homeRegion: 'home-region',
  'vulnerability.medicalNote': 'medical-note',
  'vulnerability.lastReliableNews': 'last-news',
}

/** The input that edits `path` (dotted, with or without the contract's "dossier." in front), or null. */
export function fieldIdForPath(path: string): string | null {
  const parts = path
    .replace(/^dossier\./, '')
    .replace(/^family\./, '')
    .split('.')
  const [list, index, key] = parts
  if (list && LIST_PREFIXES[list] && index !== undefined && /^\d+$/.test(index) && key) return `${LIST_PREFIXES[list]}-${key}-${index}`
  // A list of lines (partners, spellings) is one textarea, whichever line is wrong.
  const withoutIndex = parts.filter((p) => !/^\d+$/.test(p)).join('.')
  return SINGLE_IDS[withoutIndex] ?? null
}

/** Messages by input id; the first problem for an input wins. */
export function mapFieldErrors(problems: readonly FieldProblem[]): ReadonlyMap<string, string> {
  const map = new Map<string, string>()
  for (const p of problems) {
    const id = fieldIdForPath(p.path)
    if (id && !map.has(id)) map.set(id, p.message)
  }
  return map
}

export const FieldErrorsContext = createContext<ReadonlyMap<string, string>>(new Map())

/** The error to show at the input with this id, or null. */
export function useFieldError(id: string): string | null {
  return useContext(FieldErrorsContext).get(id) ?? null
}
