// Main process (core, Node only): attachments opened inside the app. The decrypted bytes never touch the disk: a PDF
// or an image is kept in memory and served on our own origin at /attachment-view/<token> (the renderer draws the
// PDF with pdf.js and shows the image in an <img>, both from 'self' under the strict CSP); text and Word files are
// answered as text. What a file is comes from its bytes, never from its stored name or media type, which may come
// from a partner's bundle.
import type { AttachmentInfo } from '../vault/types'
import type { AttachmentContent } from '../../../shared/ipc/channels/libraryChannels'
import { MemoryRoute } from '../platform/memoryRoute'
import { extractDocx } from './import/docxImport'

export const ATTACHMENT_VIEW_PREFIX = '/attachment-view/'

/** How many opened files are kept for the viewer: the one shown and a couple before it (a PDF may still be loading). */
const VIEW_CAPACITY = 3

/** Text shown in the viewer at most (characters); longer text is cut, and the viewer says so. */
export const MAX_VIEW_TEXT_CHARS = 1_000_000

/** Bytes as served, with the content type their signature says. */
export interface ServedBytes {
  readonly bytes: Buffer
  readonly contentType: ViewableBinaryType
}

export type ViewableBinaryType = 'application/pdf' | 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'

/**
 * The decrypted files open in the viewer, by token. Emptied (and zeroed) at every lock by app/services.ts; a file
 * dropped to make room is zeroed too.
 */
export class AttachmentViewStore extends MemoryRoute<ServedBytes> {
  constructor() {
    super(ATTACHMENT_VIEW_PREFIX, VIEW_CAPACITY, (served) => served.bytes.fill(0))
  }
}

/** The type of a PDF or an image the viewer shows, from the file's first bytes; null for anything else. */
export function sniffViewableType(bytes: Uint8Array): ViewableBinaryType | null {
  const starts = (signature: readonly number[], at = 0) =>
    bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b)
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf' // %PDF-
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'image/gif' // GIF8
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp' // RIFF….WEBP
  return null
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04]

/** The bytes as UTF-8 text, or null when they are not text (a NUL byte, or bytes that are not UTF-8). */
function readAsText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    return null
  }
}

function textContent(text: string, source: 'text' | 'docx'): AttachmentContent {
  const truncated = text.length > MAX_VIEW_TEXT_CHARS
  return { kind: 'text', source, text: truncated ? text.slice(0, MAX_VIEW_TEXT_CHARS) : text, truncated }
}

/**
 * What the viewer shows for an attachment's decrypted bytes. PDFs and images go into `store` (the bytes are kept
 * there, not copied); everything else is answered inline and `bytes` is zeroed before returning. A Word file that
 * cannot be read, or a file of another kind, is 'unsupported' with the reason in words: "Save a copy…" remains.
 */
export async function prepareAttachmentView(store: AttachmentViewStore, info: AttachmentInfo, bytes: Buffer): Promise<AttachmentContent> {
  const binary = sniffViewableType(bytes)
  if (binary) {
    const url = store.put({ bytes, contentType: binary })
    return binary === 'application/pdf' ? { kind: 'pdf', url } : { kind: 'image', url }
  }
  try {
    const isZip = ZIP_SIGNATURE.every((b, i) => bytes[i] === b)
    if (isZip && /\.docx$/i.test(info.filename)) {
      try {
        return textContent((await extractDocx(bytes)).text, 'docx')
      } catch {
        return { kind: 'unsupported', reason: 'This Word file could not be read. Save a copy to open it in Word.' }
      }
    }
    const text = isZip ? null : readAsText(bytes)
    if (text !== null) return textContent(text, 'text')
    return { kind: 'unsupported', reason: 'Custodia can show PDFs, pictures, text and Word files. Save a copy to open this one.' }
  } finally {
    bytes.fill(0)
  }
}
