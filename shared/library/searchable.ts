// Shared: which record kinds the library search shows, and how a person reads each kind's name.
import { DOSSIER_LIST_RECORD_KIND } from '../dossiers/dossierList'
import type { MessageId } from '../i18n/sentence'
import { DOCUMENT_KINDS } from './document'

/** Kinds a search hit may have in the palette and the search view; each opens in its own part of the app. */
export const SEARCHABLE_KINDS = [...DOCUMENT_KINDS, 'dossier', 'annotation'] as const
export type SearchableKind = (typeof SEARCHABLE_KINDS)[number]

/**
 * Each record kind's name in the message catalog (shared/i18n/en.json), the one place the names are worded: the kinds
 * search shows and the ones a bundle carries (a dossier list too). The renderer shows them through recordKindName
 * (renderer/src/i18n/codeNames.ts).
 */
export const RECORD_KIND_NAME_IDS = {
  letter: 'library.kind.letter',
  correspondence: 'library.kind.correspondence',
  statement: 'library.kind.statement',
  note: 'library.kind.note',
  dossier: 'library.kind.dossier',
  [DOSSIER_LIST_RECORD_KIND]: 'library.kind.dossierList',
  annotation: 'library.kind.annotation',
} as const satisfies Readonly<Record<SearchableKind | typeof DOSSIER_LIST_RECORD_KIND, MessageId>>

export type NamedRecordKind = keyof typeof RECORD_KIND_NAME_IDS

export function isNamedRecordKind(kind: string): kind is NamedRecordKind {
  return Object.hasOwn(RECORD_KIND_NAME_IDS, kind)
}

export function isSearchableKind(kind: string): kind is SearchableKind {
  return (SEARCHABLE_KINDS as readonly string[]).includes(kind)
}
