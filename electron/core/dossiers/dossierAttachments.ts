// Main process (Node only): files of a dossier — attachments of the dossier's own vault record (letters sent and
// received, scans, the person's photo). Attaching encrypts each chosen file into the vault; deleting also takes it
// out of the photo slot and timeline links; exporting writes an UNENCRYPTED copy where the user chose; the photo
// travels to the renderer as a small `data:` URL (the CSP allows `img-src data:`), never as a file path.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { DOSSIER_RECORD_KIND, RECORD_ID_PATTERN } from '../../../shared/dossiers/dossier'
import { dropAttachmentReferences } from '../../../shared/dossiers/attachmentRefs'
import { safeFileName } from '../platform/fs/safeFileName'
import type { AttachmentInfo, Vault } from '../vault/vault'
import { getDossier, updateDossier, type WriteOptions } from './dossierService'

/** The largest photo shown in the editor (it crosses IPC base64-encoded, about 6.7 MB at most). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024
/** How many files one "Attach files…" may add (the dialog allows many; this keeps one request bounded). */
export const MAX_FILES_PER_ATTACH = 100

/** Image types a photo may have: what every Chromium renders from a data URL without plugins. */
export const PHOTO_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
export type PhotoMediaType = (typeof PHOTO_MEDIA_TYPES)[number]

// Media types by lower-case extension. Anything else is stored as application/octet-stream: the type is only a hint
// for the user and for exports; nothing is executed or rendered because of it (the photo is checked by its bytes).
const MEDIA_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  json: 'application/json',
  rtf: 'application/rtf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  eml: 'message/rfc822',
  zip: 'application/zip',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
}

/** The media type for a file name, from its extension (case-insensitive); application/octet-stream when unknown. */
export function inferMediaType(filename: string): string {
  const ext = path.extname(filename).slice(1).toLowerCase()
  return MEDIA_TYPES[ext] ?? 'application/octet-stream'
}

/** The name an attachment is stored under: the file's base name after the one file-name rule (at most 255 bytes). */
export function proposeAttachmentName(filePath: string): string {
  // Both separators: a Windows path handed over on another platform must not keep its folders in the name.
  const base = filePath.split(/[\\/]/).pop() ?? ''
  return safeFileName(base, 'attachment')
}

/** A dossier id that exists and is a dossier (VALIDATION for a malformed id, NOT_FOUND otherwise). */
function requireDossier(vault: Vault, dossierId: string): void {
  if (typeof dossierId !== 'string' || !RECORD_ID_PATTERN.test(dossierId))
    throw new CustodiaError('VALIDATION', 'The dossier id must be 32 lower-case hex characters')
  if (!vault.hasRecord(dossierId) || vault.getRecord(dossierId).kind !== DOSSIER_RECORD_KIND)
    throw new CustodiaError('NOT_FOUND', 'No dossier with this id')
}

/** Attachments of a dossier, oldest first. NOT_FOUND when there is no such dossier. */
export function listDossierAttachments(vault: Vault, dossierId: string): AttachmentInfo[] {
  requireDossier(vault, dossierId)
  return vault.listAttachments(dossierId)
}

/** One attachment of this dossier. NOT_FOUND when the dossier does not exist or the attachment is not its own. */
export function findDossierAttachment(vault: Vault, dossierId: string, attachmentId: string): AttachmentInfo {
  const found = listDossierAttachments(vault, dossierId).find((a) => a.id === attachmentId)
  if (!found) throw new CustodiaError('NOT_FOUND', 'No attachment with this id on this dossier')
  return found
}

/**
 * Encrypts files into the vault as attachments of the dossier (streamed: any size), in the order given; logs
 * `dossier.attachment_added` (ids only) for each. Every path is checked first (exists, regular file) so a bad choice
 * adds nothing: NOT_FOUND for a missing file, VALIDATION for a folder or more than MAX_FILES_PER_ATTACH files.
 * Returns the attachments added.
 */
export async function attachFilesToDossier(vault: Vault, dossierId: string, filePaths: readonly string[]): Promise<AttachmentInfo[]> {
  requireDossier(vault, dossierId)
  if (filePaths.length > MAX_FILES_PER_ATTACH)
    throw new CustodiaError('VALIDATION', `At most ${MAX_FILES_PER_ATTACH} files can be attached at once`)
  for (const filePath of filePaths) {
    let isFile: boolean
    try {
      isFile = (await stat(filePath)).isFile()
    } catch {
      throw new CustodiaError('NOT_FOUND', 'A chosen file does not exist or cannot be read: nothing was attached')
    }
    if (!isFile) throw new CustodiaError('VALIDATION', 'Only files can be attached, not folders: nothing was attached')
  }
  const added: AttachmentInfo[] = []
  for (const filePath of filePaths) {
    const filename = proposeAttachmentName(filePath)
    const info = await vault.addAttachment(dossierId, filePath, { filename, mediaType: inferMediaType(filename) })
    vault.audit.append('dossier.attachment_added', { dossierId, attachmentId: info.id })
    added.push(info)
  }
  return added
}

/**
 * Decrypts an attachment of this dossier to `destPath` (an UNENCRYPTED copy: the UI warns first). NOT_FOUND when the
 * attachment belongs to another record. Logs `attachment.exported`.
 */
export async function exportDossierAttachment(vault: Vault, dossierId: string, attachmentId: string, destPath: string): Promise<void> {
  findDossierAttachment(vault, dossierId, attachmentId)
  await vault.exportAttachment(attachmentId, destPath)
  vault.audit.append('attachment.exported', { recordId: dossierId, attachmentId })
}

/**
 * Deletes a file of this dossier for good. In ONE vault transaction: the attachment row with `attachment.deleted`, a
 * new dossier revision without the pointers to it (the photo, timeline links; only when there were any) and
 * `dossier.attachment_deleted` (ids only); the encrypted blob goes after the commit. Any failure keeps all of it (a
 * stored dossier that no longer validates, e.g., refuses the new revision: VALIDATION, and the file stays).
 * NOT_FOUND when the dossier does not exist or the file is not its own; CONFLICT when `expectedRevision` is given and
 * the dossier was saved since. Returns the dossier's revision afterwards (unchanged when nothing pointed at the file).
 */
export function deleteDossierAttachment(
  vault: Vault,
  dossierId: string,
  attachmentId: string,
  opts: WriteOptions & { expectedRevision?: number } = {},
): { revision: number } {
  findDossierAttachment(vault, dossierId, attachmentId)
  const stored = getDossier(vault, dossierId)
  if (opts.expectedRevision !== undefined && opts.expectedRevision !== stored.revision) {
    throw new CustodiaError('CONFLICT', 'The dossier was changed since it was read')
  }
  const cleaned = dropAttachmentReferences(stored.dossier, attachmentId)
  return vault.transaction(() => {
    vault.deleteAttachment(attachmentId)
    // Written after the row is gone, so the dossier's own checks run against the files it will really have.
    const revision =
      cleaned === stored.dossier
        ? stored.revision
        : updateDossier(vault, dossierId, cleaned, { expectedRevision: stored.revision, author: opts.author }).revision
    vault.audit.append('dossier.attachment_deleted', { dossierId, attachmentId })
    return { revision }
  })
}

/** The image type of `bytes` from their signature (PNG, JPEG, WebP), or null. The stored media type is not trusted. */
export function sniffPhotoType(bytes: Uint8Array): PhotoMediaType | null {
  const starts = (sig: readonly number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b)
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg'
  // "RIFF" <size> "WEBP"
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp'
  return null
}

/**
 * An attachment of this dossier as a `data:image/…;base64,` URL for the photo slot. `attachmentId` defaults to the
 * stored dossier's photo; null when it has none. NOT_FOUND for an attachment of another record; VALIDATION when it
 * is larger than MAX_PHOTO_BYTES or its bytes are not a PNG, JPEG or WebP image.
 */
export async function readDossierPhoto(vault: Vault, dossierId: string, attachmentId?: string): Promise<string | null> {
  const chosen = attachmentId ?? getDossier(vault, dossierId).dossier.photoAttachmentId
  if (chosen === undefined) return null
  const info = findDossierAttachment(vault, dossierId, chosen)
  if (info.size > MAX_PHOTO_BYTES) throw new CustodiaError('VALIDATION', 'The photo is larger than 5 MiB: choose a smaller image')
  const bytes = await vault.readAttachment(info.id)
  try {
    const type = sniffPhotoType(bytes)
    if (type === null) throw new CustodiaError('VALIDATION', 'The photo must be a PNG, JPEG or WebP image')
    return `data:${type};base64,${bytes.toString('base64')}`
  } finally {
    bytes.fill(0)
  }
}
