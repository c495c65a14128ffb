// Shared: IPC channels of the library area — documents, revisions, import, attachments, search, saved searches.
// Requests stay small (≤ 1 MiB in total, checked by the dispatcher): files travel by path, never as bytes.
import { z } from 'zod'
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, documentBodySchema, isoDate } from '../../library/document'
import { ERROR_CODES } from '../../errors'
import { absolutePath, channel, empty, recordId } from './commonSchemas'

const revision = z.number().int().min(1)
const kind = z.enum(DOCUMENT_KINDS)

export const libraryListItemSchema = z.strictObject({
  id: z.string(),
  kind,
  revision: z.number().int(),
  title: z.string(),
  date: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  language: z.string(),
  tags: z.array(z.string()),
  savedAt: z.string(),
})
export type LibraryListItem = z.infer<typeof libraryListItemSchema>

export const diffPartSchema = z.strictObject({ kind: z.enum(['same', 'added', 'removed']), value: z.string() })
export type DiffPart = z.infer<typeof diffPartSchema>

export const documentDiffSchema = z.strictObject({
  fields: z.array(
    z.strictObject({ field: z.string(), label: z.string(), before: z.string(), after: z.string(), parts: z.array(diffPartSchema) }),
  ),
  text: z.array(diffPartSchema),
  textChanged: z.boolean(),
})
export type DocumentDiffView = z.infer<typeof documentDiffSchema>

export const importResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    file: z.string(),
    ok: z.literal(true),
    id: z.string(),
    kind,
    date: z.string().nullable(),
    title: z.string(),
    language: z.string(),
    attachmentId: z.string(),
  }),
  z.strictObject({ file: z.string(), ok: z.literal(false), code: z.enum(ERROR_CODES), message: z.string() }),
])
export type ImportResultView = z.infer<typeof importResultSchema>

export const attachmentSchema = z.strictObject({
  id: z.string(),
  recordId: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  addedAt: z.string(),
})
export type AttachmentView = z.infer<typeof attachmentSchema>

/** Where the viewer loads an opened PDF or picture from: main's in-memory route on our own origin. */
const attachmentViewUrl = z.string().regex(/^\/attachment-view\/[0-9a-f]{32}$/, 'must be an attachment view path')

/**
 * What the viewer shows for an opened attachment, decided from the file's bytes: a PDF or a picture (loaded from
 * `url`, decrypted in memory only), text (a Word file's text too; `truncated` when cut at the viewer's limit), or
 * nothing, with the reason in words.
 */
export const attachmentContentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pdf'), url: attachmentViewUrl }),
  z.strictObject({ kind: z.literal('image'), url: attachmentViewUrl }),
  z.strictObject({ kind: z.literal('text'), source: z.enum(['text', 'docx']), text: z.string(), truncated: z.boolean() }),
  z.strictObject({ kind: z.literal('unsupported'), reason: z.string() }),
])
export type AttachmentContent = z.infer<typeof attachmentContentSchema>
export const openedAttachmentSchema = z.strictObject({ attachment: attachmentSchema, content: attachmentContentSchema })
export type OpenedAttachment = z.infer<typeof openedAttachmentSchema>

/** Search filters; every list is "any of", lists combine with AND. Dates are inclusive, YYYY-MM-DD. */
export const searchFilterSchema = z.strictObject({
  kinds: z.array(z.string().max(40)).max(20).optional(),
  tags: z.array(z.string().max(80)).max(50).optional(),
  status: z.array(z.string().max(40)).max(20).optional(),
  language: z.array(z.string().max(8)).max(20).optional(),
  dateFrom: isoDate.optional(),
  dateTo: isoDate.optional(),
})
export type SearchFilterInput = z.infer<typeof searchFilterSchema>

const markRanges = z.array(z.tuple([z.number().int(), z.number().int()]))
export const searchHitSchema = z.strictObject({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  titleMarks: markRanges,
  date: z.string().nullable(),
  status: z.string().nullable(),
  language: z.string().nullable(),
  tags: z.array(z.string()),
  snippet: z.strictObject({ text: z.string(), marks: markRanges }),
  score: z.number(),
})
export type SearchHitView = z.infer<typeof searchHitSchema>

const counts = z.record(z.string(), z.number())
export const facetsSchema = z.strictObject({ kinds: counts, tags: counts, languages: counts, statuses: counts })

export const savedSearchSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  query: z.string(),
  filter: searchFilterSchema,
})
export type SavedSearch = z.infer<typeof savedSearchSchema>

const documentResponse = z.strictObject({
  id: z.string(),
  kind,
  revision: z.number().int(),
  savedAt: z.string(),
  author: z.string(),
  document: documentBodySchema,
})
export type LibraryDocumentView = z.infer<typeof documentResponse>

const saved = z.strictObject({ id: z.string(), revision: z.number().int() })

export const libraryChannels = {
  'library:list': channel(empty, z.strictObject({ documents: z.array(libraryListItemSchema) })),
  'library:get': channel(z.strictObject({ id: recordId, revision: revision.optional() }), documentResponse),
  'library:create': channel(z.strictObject({ document: documentBodySchema }), saved),
  /** CONFLICT when expectedRevision is not the current revision (someone saved in between). */
  'library:update': channel(z.strictObject({ id: recordId, expectedRevision: revision, document: documentBodySchema }), saved),
  'library:delete': channel(z.strictObject({ id: recordId }), z.strictObject({})),
  'library:listRevisions': channel(
    z.strictObject({ id: recordId }),
    z.strictObject({
      revisions: z.array(z.strictObject({ revision: z.number().int(), savedAt: z.string(), author: z.string(), title: z.string() })),
    }),
  ),
  'library:diffRevisions': channel(z.strictObject({ id: recordId, from: revision, to: revision }), documentDiffSchema),
  'library:restoreRevision': channel(z.strictObject({ id: recordId, revision, expectedRevision: revision }), saved),
  /** Absolute paths from the file dialog or drag-and-drop; each file gets its own result. */
  'library:import': channel(
    z.strictObject({ paths: z.array(absolutePath).min(1).max(500) }),
    z.strictObject({ results: z.array(importResultSchema) }),
  ),
  'library:chooseImportFiles': channel(empty, z.strictObject({ paths: z.array(z.string()) })),
  'library:listAttachments': channel(z.strictObject({ id: recordId }), z.strictObject({ attachments: z.array(attachmentSchema) })),
  /** Asks main for a destination (native save dialog) and writes an UNENCRYPTED copy there; saved=false if cancelled. */
  'library:exportAttachment': channel(
    z.strictObject({ documentId: recordId, attachmentId: recordId }),
    z.strictObject({ saved: z.boolean() }),
  ),
  /** Decrypts an attachment of this document for the viewer, in memory only. NOT_FOUND when it is not this document's. */
  'library:openAttachment': channel(z.strictObject({ documentId: recordId, attachmentId: recordId }), openedAttachmentSchema),
  /**
   * Deletes an attachment of this document for good (the imported original too: the document keeps its text) and
   * returns the document's attachments afterwards. NOT_FOUND when the attachment is not one of this document's.
   */
  'library:deleteAttachment': channel(
    z.strictObject({ documentId: recordId, attachmentId: recordId }),
    z.strictObject({ attachments: z.array(attachmentSchema) }),
  ),
  'search:query': channel(
    z.strictObject({
      query: z.string().max(1000),
      filter: searchFilterSchema.optional(),
      limit: z.number().int().min(1).max(200).optional(),
      offset: z.number().int().min(0).max(100_000).optional(),
    }),
    z.strictObject({ hits: z.array(searchHitSchema), total: z.number().int(), tookMs: z.number() }),
  ),
  'search:getFacets': channel(empty, facetsSchema),
  'search:listSaved': channel(empty, z.strictObject({ searches: z.array(savedSearchSchema) })),
  'search:createSaved': channel(
    z.strictObject({ name: z.string().trim().min(1, 'name is empty').max(120), query: z.string().max(1000), filter: searchFilterSchema }),
    savedSearchSchema,
  ),
  'search:deleteSaved': channel(z.strictObject({ id: recordId }), z.strictObject({})),
} as const
