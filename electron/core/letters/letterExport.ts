// Main process / CLI (core, Node only): turns a template and its data into export files — PDF (through a Chromium
// printer the caller supplies), DOCX, TXT — and mail-merge sets (one file per recipient).
import { CustodiaError } from '../../../shared/errors'
import type { AnnexTable, LetterData, LetterTemplate, PageSize, Person } from '../../../shared/letters/templateModel'
import { safeFileName } from '../platform/fs/safeFileName'
import {
  mergeLetters,
  renderLetterDocx,
  renderLetterText,
  validateLetterData,
  type LetterFonts,
  type LetterFontSource,
} from './render/render'
import { composeLetter, type ComposedLetter } from './render/compose'
import { writeLetterHtml } from './render/letterHtml'
import { setLetterPdfMetadata, type LetterPdfMetadata } from './pdfMetadata'

export const EXPORT_FORMATS = ['pdf', 'docx', 'txt'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Prints a standalone letter HTML document to PDF bytes (Electron printToPDF, page.pdf(), or headless Chromium). */
export type PdfPrinter = (html: string, pageSize: PageSize) => Promise<Buffer>

/** How to export: fonts to embed, the PDF printer, and the consent-filtered annex of cases (letterAnnex.ts). */
export interface ExportOptions {
  fonts: LetterFonts
  printPdf?: PdfPrinter
  /**
   * How the HTML given to `printPdf` takes its fonts (LetterFontSource): `linked` where the printer is a running
   * Chromium on an origin that serves /letter-fonts/ (the app, the tests), `embedded` (default) for a fresh Chromium
   * reading a file (the CLI). DOCX always embeds the fonts in the file.
   */
  fontSource?: LetterFontSource
  annex?: AnnexTable
}

/**
 * Throws CustodiaError('VALIDATION') before anything is rendered or written, one heading per kind of problem:
 * "Too long:" for values over their field's limit (naming the field and the limit), "The letter is not complete:"
 * for every empty required field (by label and field name), "Not valid:" for other malformed values.
 */
export function assertLetterComplete(template: LetterTemplate, data: LetterData): void {
  const { missing, invalid } = validateLetterData(template, data)
  const label = (field: string): string => `${template.fields.find((f) => f.name === field)?.label ?? field} (${field})`
  const sections = [
    ['Too long', invalid.filter((i) => i.tooLong).map((i) => `${label(i.field)} ${i.message}`)],
    ['The letter is not complete', missing.map((m) => `${m.label} (${m.field}) is required`)],
    ['Not valid', invalid.filter((i) => !i.tooLong).map((i) => `${label(i.field)}: ${i.message}`)],
  ] as const
  const problems = sections.filter(([, items]) => items.length > 0).map(([heading, items]) => `${heading}: ${items.join('; ')}.`)
  if (problems.length > 0) throw new CustodiaError('VALIDATION', problems.join(' '))
}

/** The document properties of a letter's PDF: subject line, organisation, template name, language. */
export function letterPdfMetadata(template: LetterTemplate, data: LetterData): LetterPdfMetadata {
  return metadataOf(composeLetter(template, data))
}

function metadataOf(letter: ComposedLetter): LetterPdfMetadata {
  return {
    title: letter.title,
    author: letter.template.letterhead.organisation,
    subject: letter.template.name,
    language: letter.template.language,
  }
}

/**
 * Renders one letter in `format` (strict: required fields must be filled, see assertLetterComplete). PDF needs a
 * printer; the HTML it prints is the one the live preview shows, and the printed PDF gets the letter's own document
 * properties (setLetterPdfMetadata) in place of the browser's.
 */
export async function renderLetterExport(
  template: LetterTemplate,
  data: LetterData,
  format: ExportFormat,
  opts: ExportOptions,
): Promise<Buffer> {
  assertLetterComplete(template, data)
  const annex = opts.annex ? { annex: opts.annex } : {}
  switch (format) {
    case 'txt':
      return Buffer.from(renderLetterText(template, data, { strict: true, ...annex }), 'utf8')
    case 'docx':
      return renderLetterDocx(template, data, { strict: true, fonts: opts.fonts, ...annex })
    case 'pdf': {
      if (!opts.printPdf) throw new CustodiaError('UNSUPPORTED', 'PDF export is not available here.')
      // Composed once, for the page and for its document properties.
      const letter = composeLetter(template, data, { strict: true, ...annex })
      const html = writeLetterHtml(letter, opts.fonts, opts.fontSource ?? 'embedded')
      return setLetterPdfMetadata(await opts.printPdf(html, template.pageSize), metadataOf(letter))
    }
  }
}

/** The persons of the template's recipients field, or [] when it has none. */
export function readRecipients(template: LetterTemplate, data: LetterData): Person[] {
  const block = template.blocks.find((b) => b.type === 'recipients')
  if (!block || block.type !== 'recipients') return []
  const value = data[block.field]
  if (value === undefined || value === null) return []
  return (Array.isArray(value) ? value : [value]) as Person[]
}

/**
 * Mail merge: one file per recipient of the letter's recipients field, each addressed to that person alone.
 * Returns `{ name, bytes }` in recipient order; names are "NN-<recipient>.<ext>", unique within the set.
 * Throws CustodiaError('VALIDATION') when the letter is incomplete or has fewer than two recipients.
 */
export async function renderMergedExports(
  template: LetterTemplate,
  data: LetterData,
  format: ExportFormat,
  opts: ExportOptions,
): Promise<{ name: string; bytes: Buffer }[]> {
  assertLetterComplete(template, data)
  const recipients = readRecipients(template, data)
  if (recipients.length < 2) throw new CustodiaError('VALIDATION', 'Mail merge needs at least two recipients.')
  const block = template.blocks.find((b) => b.type === 'recipients') as { field: string }
  const field = template.fields.find((f) => f.name === block.field)
  // mergeLetters validates the recipients and builds the per-person data the same way for every format.
  const perRecipient = mergeLetters(template, data, recipients, {
    strict: true,
    fonts: opts.fonts,
    fontSource: opts.fontSource ?? 'embedded',
    ...(opts.annex ? { annex: opts.annex } : {}),
  }).map(({ recipient, html }) => ({
    recipient,
    html,
    data: { ...data, [block.field]: field?.type === 'person' ? recipient : [recipient] },
  }))
  const width = String(perRecipient.length).length
  const out: { name: string; bytes: Buffer }[] = []
  for (const [i, item] of perRecipient.entries()) {
    let bytes: Buffer
    if (format === 'pdf') {
      if (!opts.printPdf) throw new CustodiaError('UNSUPPORTED', 'PDF export is not available here.')
      bytes = await setLetterPdfMetadata(await opts.printPdf(item.html, template.pageSize), letterPdfMetadata(template, item.data))
    } else {
      bytes = await renderLetterExport(template, item.data, format, opts)
    }
    out.push({
      name: `${String(i + 1).padStart(Math.max(2, width), '0')}-${safeFileName(item.recipient.name, 'recipient', { maxBytes: 120 })}.${format}`,
      bytes,
    })
  }
  return out
}
