// Main process / CLI (core, Node only): gives a printed letter PDF its own document properties. Chromium writes
// Creator "Mozilla/5.0 (X11; Linux x86_64) … HeadlessChrome/…" and Producer "Skia/PDF m…", which tell every
// recipient which browser and operating system the sender uses; nothing in the print options changes them. So the
// PDF gets its own properties after printing: an incremental update (pdfIncrementalInfo.ts), or a rewrite with pdf-lib
// (objects copied as they are, fonts and page content untouched) for a PDF of another structure.
import { ParseSpeeds, PDFDocument, PDFName, PDFString } from 'pdf-lib'
import { CustodiaError } from '../../../shared/errors'
import { escapeHtml } from '../../../shared/text/escapeHtml'
import { appendLetterPdfInfo } from './pdfIncrementalInfo'

/** What a letter PDF says about itself. */
export type LetterPdfMetadata = {
  /** The letter's subject line (or the template's name). */
  readonly title: string
  /** The organisation the letter is from. */
  readonly author: string
  /** What kind of letter it is: the template's name. */
  readonly subject: string
  /** BCP 47 language tag of the letter, e.g. "nb-NO". */
  readonly language: string
}

/** The program name written as Creator and Producer instead of the browser's. */
export const PDF_PRODUCER = 'Custodia'

/** An XMP packet with the same properties as the Info dictionary (PDF readers prefer XMP when both exist). */
function buildXmp(meta: LetterPdfMetadata, created: Date | undefined): string {
  const x = (text: string): string => escapeHtml(text)
  const lang = x(meta.language)
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" ' +
    'xmlns:xmp="http://ns.adobe.com/xap/1.0/">' +
    `<dc:format>application/pdf</dc:format>` +
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${x(meta.title)}</rdf:li></rdf:Alt></dc:title>` +
    `<dc:creator><rdf:Seq><rdf:li>${x(meta.author)}</rdf:li></rdf:Seq></dc:creator>` +
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${x(meta.subject)}</rdf:li></rdf:Alt></dc:description>` +
    `<dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>` +
    `<pdf:Producer>${PDF_PRODUCER}</pdf:Producer><xmp:CreatorTool>${PDF_PRODUCER}</xmp:CreatorTool>` +
    (created ? `<xmp:CreateDate>${created.toISOString()}</xmp:CreateDate>` : '') +
    '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
  )
}

/**
 * Gives a printed letter PDF Title, Author, Subject, Creator/Producer "Custodia", the document language (/Lang in the
 * catalog) and a matching XMP packet. The creation date Chromium wrote is kept; nothing else changes.
 * Chromium's own PDF (a classic cross-reference table) gets the new properties as an incremental update appended to
 * its bytes (pdfIncrementalInfo.ts; a few milliseconds), with the browser's Info dictionary blanked in place; any other
 * PDF is rewritten whole by pdf-lib (objects written without object streams, as Chromium writes them).
 * Throws CustodiaError('INTERNAL') when the bytes are not a PDF that can be read.
 */
export async function setLetterPdfMetadata(pdf: Uint8Array, meta: LetterPdfMetadata): Promise<Buffer> {
  const appended = appendLetterPdfInfo(pdf, { ...meta, producer: PDF_PRODUCER }, (created) => buildXmp(meta, created))
  if (appended) return appended
  return rewriteLetterPdfMetadata(pdf, meta)
}

/** The whole-file rewrite with pdf-lib, for a PDF whose structure the incremental update does not know. */
async function rewriteLetterPdfMetadata(pdf: Uint8Array, meta: LetterPdfMetadata): Promise<Buffer> {
  let doc: PDFDocument
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest })
  } catch {
    throw new CustodiaError('INTERNAL', 'The printed letter could not be read back to set its document properties.')
  }
  const created = doc.getCreationDate()
  doc.setTitle(meta.title, { showInWindowTitleBar: true })
  doc.setAuthor(meta.author)
  doc.setSubject(meta.subject)
  doc.setCreator(PDF_PRODUCER)
  doc.setProducer(PDF_PRODUCER)
  doc.setLanguage(meta.language)
  const xmp = doc.context.stream(Buffer.from(buildXmp(meta, created), 'utf8'), { Type: 'Metadata', Subtype: 'XML' })
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(xmp))
  doc.catalog.set(PDFName.of('Lang'), PDFString.of(meta.language))
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false, objectsPerTick: Infinity }))
}
