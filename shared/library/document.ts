// Shared by every process: the library document — letters sent, correspondence received, statements, notes.
// Stored as a vault record: `summary` (what lists show) and `body` (everything), both encrypted.
import { z } from 'zod'

export const DOCUMENT_KINDS = ['letter', 'correspondence', 'statement', 'note'] as const
export type DocumentKind = (typeof DOCUMENT_KINDS)[number]

export const DOCUMENT_STATUSES = ['draft', 'sent', 'received', 'published', 'archived'] as const
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number]

/**
 * Input limits of a document, in UTF-16 code units: what zod's `.max()` and an input's `maxLength` both count, so the
 * editor (renderer/src/features/library) stops typing exactly where the contract would refuse a save.
 */
export const MAX_TITLE_CHARS = 500
/** A correspondent's name, title or organisation, and the document's author organisation. */
export const MAX_NAME_CHARS = 300
/** RFC 5321's longest address. */
export const MAX_EMAIL_CHARS = 320
export const MAX_TAG_CHARS = 80
export const MAX_TAGS = 100

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')

export const correspondentSchema = z.strictObject({
  name: z.string().max(MAX_NAME_CHARS),
  title: z.string().max(MAX_NAME_CHARS).optional(),
  organisation: z.string().max(MAX_NAME_CHARS).optional(),
  email: z.string().max(MAX_EMAIL_CHARS).optional(),
})
export type Correspondent = z.infer<typeof correspondentSchema>

export const documentBodySchema = z.strictObject({
  kind: z.enum(DOCUMENT_KINDS),
  title: z.string().min(1, 'title is empty').max(MAX_TITLE_CHARS),
  date: isoDate.nullable(),
  authorOrganisation: z.string().max(MAX_NAME_CHARS).default(''),
  recipients: z.array(correspondentSchema).max(200).default([]),
  cc: z.array(correspondentSchema).max(200).default([]),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/)
    .default('en'),
  tags: z.array(z.string().min(1).max(MAX_TAG_CHARS)).max(MAX_TAGS).default([]),
  status: z.enum(DOCUMENT_STATUSES).default('draft'),
  /** Rich text as the editor's JSON (ProseMirror document), or null for plain-text documents. */
  richText: z.unknown().nullable().default(null),
  /** Plain-text projection of the content: what search indexes and annotations anchor to. */
  text: z.string().max(10_000_000),
  links: z.array(z.string()).max(500).default([]),
  /** A letter drafted from a template (kind 'letter'): the template's id and the field values filled in. */
  draft: z
    .strictObject({
      templateId: z.string().min(1).max(200),
      letterData: z.record(z.string(), z.unknown()),
    })
    .optional(),
  /**
   * Editor HTML produced at import (whitelisted but UNSANITISED): the renderer sanitises it with DOMPurify before
   * the editor sees it, and only until the first edit stores `richText`. Absent for documents not imported.
   */
  importedHtml: z.string().max(20_000_000).optional(),
})
export type LibraryDocument = z.infer<typeof documentBodySchema>
export type LibraryDocumentInput = z.input<typeof documentBodySchema>

export interface DocumentSummary {
  kind: DocumentKind
  title: string
  date: string | null
  status: DocumentStatus
  language: string
  tags: string[]
}

export function summarizeDocument(doc: LibraryDocument): DocumentSummary {
  return { kind: doc.kind, title: doc.title, date: doc.date, status: doc.status, language: doc.language, tags: doc.tags }
}
