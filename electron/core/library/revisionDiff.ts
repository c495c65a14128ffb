// Main process / CLI (Node): readable word-level differences between two revisions of a library document —
// the plain text and every metadata field a person edits, as runs of unchanged / inserted / deleted text.
import { diffWordsWithSpace } from 'diff'
import type { Correspondent, LibraryDocument } from '../../../shared/library/document'

export type DiffPartKind = 'same' | 'added' | 'removed'
export interface DiffPart {
  kind: DiffPartKind
  value: string
}
export interface FieldDiff {
  field: string
  label: string
  before: string
  after: string
  parts: DiffPart[]
}
export interface DocumentDiff {
  /** Only the metadata fields that differ, in form order. */
  fields: FieldDiff[]
  /** The whole plain text as runs; an unchanged text is one 'same' run. */
  text: DiffPart[]
  textChanged: boolean
}

// Beyond this the diff algorithm (O(N·D)) may take seconds: show "replaced" rather than freeze the main process.
const DIFF_TIMEOUT_MS = 1500

/** Word-level runs from `before` to `after`; if the texts are too different to diff in time, one delete + one insert. */
export function diffWords(before: string, after: string): DiffPart[] {
  if (before === after) return before === '' ? [] : [{ kind: 'same', value: before }]
  const changes = diffWordsWithSpace(before, after, { timeout: DIFF_TIMEOUT_MS })
  if (!changes) {
    const parts: DiffPart[] = []
    if (before) parts.push({ kind: 'removed', value: before })
    if (after) parts.push({ kind: 'added', value: after })
    return parts
  }
  return changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', value: c.value }))
}

function formatPeople(people: readonly Correspondent[]): string {
  return people
    .map((p) => [p.name, p.title, p.organisation, p.email ? `<${p.email}>` : undefined].filter((x) => x && x.trim() !== '').join(', '))
    .join('\n')
}

const FIELDS: readonly { field: string; label: string; read: (d: LibraryDocument) => string }[] = [
  { field: 'title', label: 'Title', read: (d) => d.title },
  { field: 'date', label: 'Date', read: (d) => d.date ?? '' },
  { field: 'kind', label: 'Kind', read: (d) => d.kind },
  { field: 'status', label: 'Status', read: (d) => d.status },
  { field: 'language', label: 'Language', read: (d) => d.language },
  { field: 'tags', label: 'Tags', read: (d) => d.tags.join(', ') },
  { field: 'authorOrganisation', label: 'Author organisation', read: (d) => d.authorOrganisation },
  { field: 'recipients', label: 'Recipients', read: (d) => formatPeople(d.recipients) },
  { field: 'cc', label: 'CC', read: (d) => formatPeople(d.cc) },
]

/** Compares two documents field by field and word by word (older first). */
export function diffDocuments(before: LibraryDocument, after: LibraryDocument): DocumentDiff {
  const fields: FieldDiff[] = []
  for (const { field, label, read } of FIELDS) {
    const a = read(before)
    const b = read(after)
    if (a !== b) fields.push({ field, label, before: a, after: b, parts: diffWords(a, b) })
  }
  return { fields, text: diffWords(before.text, after.text), textChanged: before.text !== after.text }
}
