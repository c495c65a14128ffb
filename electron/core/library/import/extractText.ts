// Main process (Node): turn an imported file (txt, md, html, docx, pdf) into plain text and simple editor HTML.
import { CustodiaError } from '../../../../shared/errors'
import { extractDocx } from './docxImport'
import { escapeHtml } from '../../../../shared/text/escapeHtml'
import { convertHtml, normalisePlainText } from '../../../../shared/library/convertHtml'
import { convertMarkdown } from './markdownImport'
import { extractPdfParagraphs } from './pdfImport'

export type ImportFormat = 'txt' | 'md' | 'html' | 'docx' | 'pdf'

export interface ExtractedDocument {
  readonly format: ImportFormat
  /** Plain-text projection: paragraphs separated by "\n\n", lines inside a paragraph by "\n". */
  readonly text: string
  /**
   * Simple HTML of the content for the editor. Built from a whitelist (no attributes but http/https/mailto
   * hrefs and data: raster images, no scripts, no remote resources), yet UNSANITISED as far as callers are
   * concerned: the renderer must sanitise it before use.
   */
  readonly html: string
}

/** Largest file accepted for import. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024

const EXTENSIONS: Readonly<Record<string, ImportFormat>> = {
  txt: 'txt',
  text: 'txt',
  md: 'md',
  markdown: 'md',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  docx: 'docx',
  pdf: 'pdf',
}

/** Map a file name to an import format by its extension; throws VALIDATION for anything else. */
export function detectImportFormat(filename: string): ImportFormat {
  const base = filename.split(/[\\/]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  const format = dot > 0 ? EXTENSIONS[base.slice(dot + 1).toLowerCase()] : undefined
  if (format === undefined) {
    throw new CustodiaError('VALIDATION', 'unsupported file type: import accepts .txt, .md, .html, .docx and .pdf files')
  }
  return format
}

/**
 * Decode a text file: UTF-8 (BOM optional) or UTF-16 with a BOM; bytes that are not valid UTF-8 are read as
 * Windows-1251 when letters in its Cyrillic range outnumber ASCII letters, otherwise as Windows-1252.
 * Throws VALIDATION for binary content (NUL bytes without a UTF-16 BOM).
 */
export function decodeTextFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  if (bytes.includes(0)) throw new CustodiaError('VALIDATION', 'could not read text file: it contains binary data')
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    // In Windows-1251 Cyrillic text nearly every letter is a high byte; in Western text few are.
    let high = 0
    let asciiLetters = 0
    for (const byte of bytes) {
      if (byte >= 0xc0) high += 1
      else if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) asciiLetters += 1
    }
    return new TextDecoder(high > asciiLetters ? 'windows-1251' : 'windows-1252').decode(bytes)
  }
}

/** Drop control characters other than tab and newline; normalise line endings and Unicode to NFC. */
function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .normalize('NFC')
}

/** Plain text → paragraphs (split on blank lines) → `{ text, html }`. */
function convertPlainText(source: string): { text: string; html: string } {
  const paragraphs = source
    .split(/\n[ \t\u00a0]*\n/)
    .map((p) =>
      p
        .replace(/^\n+|\s+$/g, '')
        .split('\n')
        .map((line) => line.replace(/\s+$/u, ''))
        .join('\n'),
    )
    .filter((p) => p.trim() !== '')
  return convertParagraphs(paragraphs)
}

function convertParagraphs(paragraphs: readonly string[]): { text: string; html: string } {
  return {
    text: paragraphs.join('\n\n'),
    html: paragraphs.map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`).join('\n'),
  }
}

/**
 * Extract the text of an imported file. `filename` is used only for its extension.
 * Throws CustodiaError VALIDATION for files over MAX_IMPORT_BYTES ("file too large"), unknown extensions,
 * binary text files, and docx/pdf files that cannot be read ("could not read … file"). Never returns partial data.
 */
export async function extractDocument(bytes: Uint8Array, filename: string): Promise<ExtractedDocument> {
  if (!(bytes instanceof Uint8Array)) throw new CustodiaError('VALIDATION', 'file content must be bytes')
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new CustodiaError('VALIDATION', 'file too large: the limit is 50 MiB')
  const format = detectImportFormat(filename)
  switch (format) {
    case 'txt': {
      const { text, html } = convertPlainText(cleanText(decodeTextFile(bytes)))
      return { format, text, html }
    }
    case 'md': {
      const { text, html } = convertMarkdown(cleanText(decodeTextFile(bytes)))
      return { format, text, html }
    }
    case 'html': {
      const { text, html } = convertHtml(cleanText(decodeTextFile(bytes)))
      return { format, text, html }
    }
    case 'docx': {
      const { text, html } = await extractDocx(bytes)
      return { format, text: normalisePlainText(cleanText(text)), html }
    }
    case 'pdf': {
      const paragraphs = (await extractPdfParagraphs(bytes)).map((p) => cleanText(p))
      return { format, ...convertParagraphs(paragraphs.filter((p) => p.trim() !== '')) }
    }
  }
}
