// Main process / CLI (Node): the document library on top of the vault — import (extract → detect → encrypted
// record + the original file as an encrypted attachment), listing, saving with conflict detection, revisions
// (list, diff, restore as a new revision), attachment export and deletion.
import fsp from 'node:fs/promises'
import path from 'node:path'
import { CustodiaError, isCustodiaError, type ErrorCode } from '../../../shared/errors'
import {
  DOCUMENT_KINDS,
  type Correspondent,
  type DocumentKind,
  type DocumentStatus,
  type LibraryDocument,
  type LibraryDocumentInput,
} from '../../../shared/library/document'
import { createDocument, getDocument, updateDocument } from './documentService'
import { extractDocument, MAX_IMPORT_BYTES, type ImportFormat } from './import/extractText'
import { detectMetadata, type DetectedMetadata, type DetectedPerson } from './import/detectMetadata'
import { safeFileName } from '../platform/fs/safeFileName'
import type { AttachmentInfo, Vault } from '../vault/vault'
import { diffDocuments, type DocumentDiff } from './revisionDiff'
import { deleteAnnotationsOf } from '../annotations/annotationService'

/** What lists show: the decrypted summary of the current revision. */
export interface LibraryListItem {
  id: string
  kind: DocumentKind
  revision: number
  title: string
  date: string | null
  status: DocumentStatus
  language: string
  tags: string[]
  savedAt: string
}

export interface LibraryRevision {
  revision: number
  savedAt: string
  author: string
  title: string
}

export interface ImportedDocument {
  id: string
  kind: DocumentKind
  date: string | null
  title: string
  language: string
  attachmentId: string
}

/** One result per file of a batch import: the file's base name (shown to the user) and either the document or why not. */
export type ImportResult = ({ file: string; ok: true } & ImportedDocument) | { file: string; ok: false; code: ErrorCode; message: string }

export interface LibraryOptions {
  /** Who saved the revision (shown in the history); at most 200 characters. */
  author?: string
}

const MEDIA_TYPES: Readonly<Record<ImportFormat, string>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
}

// What an imported document is, absent anything better: letters on file went out, correspondence came in,
// statements and press releases were made public, notes are working material.
const STATUS_OF_KIND: Readonly<Record<DocumentKind, DocumentStatus>> = {
  letter: 'sent',
  correspondence: 'received',
  statement: 'published',
  note: 'draft',
}

const MAX_BATCH = 500

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max)
}

function toCorrespondent(person: DetectedPerson): Correspondent {
  const out: Correspondent = { name: clip(person.name, 300) }
  if (person.title) out.title = clip(person.title, 300)
  if (person.organisation) out.organisation = clip(person.organisation, 300)
  if (person.email && person.email.length <= 320) out.email = person.email
  return out
}

function stripExtension(filename: string): string {
  const dot = filename.lastIndexOf('.')
  return dot > 0 ? filename.slice(0, dot) : filename
}

/** The library document an import creates from the extracted text and the detected metadata. */
export function buildImportedDocument(
  extracted: { text: string; html: string },
  meta: DetectedMetadata,
  filename: string,
): LibraryDocumentInput {
  const title = clip(meta.title.trim() || stripExtension(filename).trim() || 'Imported document', 500)
  const language = /^[a-z]{2,3}$/.test(meta.language) ? meta.language : 'en'
  return {
    kind: meta.kind,
    title,
    date: meta.date,
    authorOrganisation: clip(meta.sender ?? '', 300),
    recipients: meta.recipients.slice(0, 200).map(toCorrespondent),
    cc: meta.cc.slice(0, 200).map(toCorrespondent),
    language,
    // The subtype (press release, joint statement…) is what people browse by; a tag keeps it editable.
    tags: meta.subtype && meta.subtype !== 'letter' ? [meta.subtype] : [],
    status: STATUS_OF_KIND[meta.kind],
    richText: null,
    text: extracted.text,
    importedHtml: extracted.html,
  }
}

/** The file's base name (both separators count); VALIDATION when there is none at all. */
function checkFilename(filename: unknown): string {
  if (typeof filename !== 'string') throw new CustodiaError('VALIDATION', 'The file name must be text')
  const base = path.basename(filename.replace(/\\/g, '/'))
  if (base.trim() === '' || base === '.' || base === '..') throw new CustodiaError('VALIDATION', 'The file has no name')
  return base
}

async function* yieldOnce(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes
}

/**
 * Imports one file given as bytes: extract → detect → create the document → attach the original bytes encrypted
 * → audit `document.imported` (ids and format only). VALIDATION for unsupported, unreadable or text-less files;
 * on any failure nothing is left behind (a record created before a failed attachment is deleted again).
 */
export async function importDocumentBytes(
  vault: Vault,
  bytes: Uint8Array,
  filename: string,
  opts: LibraryOptions = {},
): Promise<ImportedDocument> {
  const name = checkFilename(filename)
  const extracted = await extractDocument(bytes, name)
  if (extracted.text.trim() === '') {
    throw new CustodiaError('VALIDATION', 'no readable text in the file (a scanned PDF needs text recognition first)')
  }
  const input = buildImportedDocument(extracted, detectMetadata(extracted.text, name), name)
  const ref = createDocument(vault, input, opts.author)
  let attachment: AttachmentInfo
  try {
    // The title and format come from the name as given; the stored original's name follows the one file-name rule.
    attachment = await vault.addAttachmentFromStream(ref.id, yieldOnce(bytes), {
      filename: safeFileName(name, 'document'),
      mediaType: MEDIA_TYPES[extracted.format],
    })
    vault.audit.append('document.imported', { recordId: ref.id, attachmentId: attachment.id, format: extracted.format })
  } catch (error) {
    try {
      vault.deleteRecord(ref.id)
    } catch {
      // The vault was locked mid-import: the record stays, complete but without its original.
    }
    throw error
  }
  const doc = getDocument(vault, ref.id).document
  return { id: ref.id, kind: doc.kind, date: doc.date, title: doc.title, language: doc.language, attachmentId: attachment.id }
}

/** Reads a file (regular file ≤ 50 MiB) and imports it. NOT_FOUND when missing, VALIDATION when unreadable. */
export async function importDocumentFile(vault: Vault, filePath: string, opts: LibraryOptions = {}): Promise<ImportedDocument> {
  if (typeof filePath !== 'string' || filePath === '') throw new CustodiaError('VALIDATION', 'No file was given')
  let stat
  try {
    stat = await fsp.stat(filePath)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CustodiaError('NOT_FOUND', 'the file does not exist')
    throw new CustodiaError('VALIDATION', 'the file cannot be read')
  }
  if (!stat.isFile()) throw new CustodiaError('VALIDATION', 'not a regular file (folders cannot be imported)')
  if (stat.size > MAX_IMPORT_BYTES) throw new CustodiaError('VALIDATION', 'file too large: the limit is 50 MiB')
  let bytes: Buffer
  try {
    bytes = await fsp.readFile(filePath)
  } catch {
    throw new CustodiaError('VALIDATION', 'the file cannot be read')
  }
  return importDocumentBytes(vault, bytes, path.basename(filePath), opts)
}

/**
 * Imports files one after another; a bad file gets its own error result and the rest carry on.
 * Errors other than CustodiaErrors become INTERNAL with a fixed message (their text might quote content).
 * VAULT_LOCKED stops the batch: every later file would fail the same way.
 */
export async function importDocumentFiles(vault: Vault, filePaths: readonly string[], opts: LibraryOptions = {}): Promise<ImportResult[]> {
  if (filePaths.length > MAX_BATCH) throw new CustodiaError('VALIDATION', `At most ${MAX_BATCH} files can be imported at once`)
  const results: ImportResult[] = []
  for (const filePath of filePaths) {
    const file = path.basename(String(filePath).replace(/\\/g, '/'))
    try {
      results.push({ file, ok: true, ...(await importDocumentFile(vault, filePath, opts)) })
    } catch (error) {
      if (isCustodiaError(error) && error.code === 'VAULT_LOCKED') throw error
      results.push(
        isCustodiaError(error)
          ? { file, ok: false, code: error.code, message: error.message }
          : { file, ok: false, code: 'INTERNAL', message: 'the file could not be imported' },
      )
    }
  }
  return results
}

/** Every library document (current revisions), newest date first; documents without a date sort by save time. */
export function listLibrary(vault: Vault): LibraryListItem[] {
  const items: LibraryListItem[] = []
  for (const kind of DOCUMENT_KINDS) {
    for (const r of vault.listRecords({ kind })) {
      const s = r.summary as Partial<{ title: string; date: string | null; status: DocumentStatus; language: string; tags: string[] }>
      items.push({
        id: r.id,
        kind,
        revision: r.revision,
        title: s.title ?? '',
        date: s.date ?? null,
        status: s.status ?? 'draft',
        language: s.language ?? 'en',
        tags: Array.isArray(s.tags) ? s.tags : [],
        savedAt: r.savedAt,
      })
    }
  }
  return items.sort(
    (a, b) => (b.date ?? b.savedAt.slice(0, 10)).localeCompare(a.date ?? a.savedAt.slice(0, 10)) || a.title.localeCompare(b.title),
  )
}

/** Saves a new revision. CONFLICT when `expectedRevision` is no longer the current one (someone saved in between). */
export function saveLibraryDocument(
  vault: Vault,
  id: string,
  input: LibraryDocumentInput,
  opts: LibraryOptions & { expectedRevision: number },
): { id: string; revision: number } {
  getDocument(vault, id)
  const ref = updateDocument(vault, id, input, { expectedRevision: opts.expectedRevision, author: opts.author })
  return { id: ref.id, revision: ref.revision }
}

/** Deletes a document with its revisions and attachments. NOT_FOUND for ids that are not library documents. */
export function deleteLibraryDocument(vault: Vault, id: string): void {
  getDocument(vault, id)
  // One transaction: a document never disappears while its annotations stay, nor the other way round.
  vault.transaction(() => {
    deleteAnnotationsOf(vault, id)
    vault.deleteRecord(id)
  })
}

/** Revisions of a document, newest first. NOT_FOUND. */
export function listDocumentRevisions(vault: Vault, id: string): LibraryRevision[] {
  getDocument(vault, id)
  return vault
    .listRevisions(id)
    .map((r) => ({
      revision: r.revision,
      savedAt: r.savedAt,
      author: r.author,
      title: typeof r.summary['title'] === 'string' ? r.summary['title'] : '',
    }))
    .reverse()
}

/** Word-level differences from revision `from` to revision `to` (either order works; NOT_FOUND for missing ones). */
export function diffDocumentRevisions(vault: Vault, id: string, from: number, to: number): DocumentDiff {
  const before: LibraryDocument = getDocument(vault, id, from).document
  const after: LibraryDocument = getDocument(vault, id, to).document
  return diffDocuments(before, after)
}

/**
 * Restores an old revision by saving its content as a NEW revision (history only ever grows).
 * CONFLICT when `expectedRevision` is stale. Logs `document.restored`.
 */
export function restoreDocumentRevision(
  vault: Vault,
  id: string,
  revision: number,
  opts: LibraryOptions & { expectedRevision: number },
): { id: string; revision: number } {
  const old = getDocument(vault, id, revision).document
  const ref = updateDocument(vault, id, old, { expectedRevision: opts.expectedRevision, author: opts.author })
  vault.audit.append('document.restored', { recordId: id, fromRevision: revision, revision: ref.revision })
  return { id: ref.id, revision: ref.revision }
}

/** Attachments of a document, oldest first. NOT_FOUND. */
export function listDocumentAttachments(vault: Vault, id: string): AttachmentInfo[] {
  getDocument(vault, id)
  return vault.listAttachments(id)
}

/** One attachment of this document. NOT_FOUND for an unknown document or an attachment of another record. */
export function findDocumentAttachment(vault: Vault, documentId: string, attachmentId: string): AttachmentInfo {
  const found = listDocumentAttachments(vault, documentId).find((a) => a.id === attachmentId)
  if (!found) throw new CustodiaError('NOT_FOUND', 'No attachment with this id on this document')
  return found
}

/**
 * Deletes an attachment of this document for good (row + `attachment.deleted` in one transaction, the encrypted blob
 * after the commit). Deleting the imported original is allowed: the document keeps its text and history, nothing in
 * it points at the file. NOT_FOUND for an unknown document or an attachment of another record.
 */
export function deleteDocumentAttachment(vault: Vault, documentId: string, attachmentId: string): void {
  findDocumentAttachment(vault, documentId, attachmentId)
  vault.deleteAttachment(attachmentId)
}

/**
 * Decrypts an attachment of this document to `destPath` (an UNENCRYPTED copy: the UI warns first).
 * NOT_FOUND when the attachment belongs to another record. Logs `attachment.exported`.
 */
export async function exportDocumentAttachment(vault: Vault, documentId: string, attachmentId: string, destPath: string): Promise<void> {
  findDocumentAttachment(vault, documentId, attachmentId)
  await vault.exportAttachment(attachmentId, destPath)
  vault.audit.append('attachment.exported', { recordId: documentId, attachmentId })
}
