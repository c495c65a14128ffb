// Main process / CLI: library documents on top of vault records (validate → summarise → encrypt via the vault).
import { CustodiaError } from '../../../shared/errors'
import {
  DOCUMENT_KINDS,
  documentBodySchema,
  summarizeDocument,
  type DocumentKind,
  type LibraryDocument,
  type LibraryDocumentInput,
} from '../../../shared/library/document'
import type { RecordRef, Vault } from '../vault/vault'

export function isDocumentKind(kind: string): kind is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(kind)
}

function parseDocument(input: LibraryDocumentInput): LibraryDocument {
  const parsed = documentBodySchema.safeParse(input)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    throw new CustodiaError('VALIDATION', `Invalid document: ${first?.path.join('.') || 'document'}: ${first?.message ?? 'invalid'}`)
  }
  return parsed.data
}

export function createDocument(vault: Vault, input: LibraryDocumentInput, author?: string): RecordRef {
  const doc = parseDocument(input)
  return vault.createRecord(doc.kind, { summary: { ...summarizeDocument(doc) }, body: doc }, { author })
}

export function updateDocument(
  vault: Vault,
  id: string,
  input: LibraryDocumentInput,
  opts: { expectedRevision?: number; author?: string } = {},
): RecordRef {
  const doc = parseDocument(input)
  const current = vault.getRecord(id)
  if (current.kind !== doc.kind) throw new CustodiaError('VALIDATION', 'The kind of a document cannot be changed.')
  return vault.updateRecord(id, { summary: { ...summarizeDocument(doc) }, body: doc }, opts)
}

export function getDocument(
  vault: Vault,
  id: string,
  revision?: number,
): RecordRef & { document: LibraryDocument; savedAt: string; author: string } {
  const record = vault.getRecord<LibraryDocument>(id, revision)
  if (!isDocumentKind(record.kind)) throw new CustodiaError('NOT_FOUND', 'No document with that id.')
  return {
    id: record.id,
    kind: record.kind,
    revision: record.revision,
    changeSeq: record.changeSeq,
    document: record.body,
    savedAt: record.savedAt,
    author: record.author,
  }
}

export interface DocumentListing {
  id: string
  kind: DocumentKind
  revision: number
  title: string
  date: string | null
  status: string
  savedAt: string
}

export function listDocuments(vault: Vault, filter: { kind?: DocumentKind } = {}): DocumentListing[] {
  const kinds = filter.kind ? [filter.kind] : DOCUMENT_KINDS
  const rows: DocumentListing[] = []
  for (const kind of kinds) {
    for (const r of vault.listRecords({ kind })) {
      const s = r.summary as { title?: string; date?: string | null; status?: string }
      rows.push({
        id: r.id,
        kind,
        revision: r.revision,
        title: s.title ?? '',
        date: s.date ?? null,
        status: s.status ?? 'draft',
        savedAt: r.savedAt,
      })
    }
  }
  return rows.sort((a, b) => (b.date ?? b.savedAt).localeCompare(a.date ?? a.savedAt))
}
