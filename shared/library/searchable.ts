// Shared: which record kinds the library search shows, and how a person reads each kind's name.
import { DOCUMENT_KINDS } from './document'

/** Kinds a search hit may have in the palette and the search view; each opens in its own part of the app. */
export const SEARCHABLE_KINDS = [...DOCUMENT_KINDS, 'dossier', 'annotation'] as const
export type SearchableKind = (typeof SEARCHABLE_KINDS)[number]

export const KIND_LABELS: Readonly<Record<string, string>> = {
  letter: 'Letter',
  correspondence: 'Correspondence',
  statement: 'Statement',
  note: 'Note',
  dossier: 'Dossier',
  annotation: 'Annotation',
}

export function isSearchableKind(kind: string): kind is SearchableKind {
  return (SEARCHABLE_KINDS as readonly string[]).includes(kind)
}
