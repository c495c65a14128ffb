// Main process / CLI (core, Node only): sets a printed PDF's document properties by an incremental update (PDF 1.7,
// ISO 32000-1 §7.5.6) appended to Chromium's bytes: a new Info dictionary, an XMP stream and the catalog again with
// /Lang and /Metadata, then a cross-reference section and a trailer pointing back (/Prev) to Chromium's. Re-serialising
// the whole file (pdf-lib) cost 45–130 ms on a three-page letter; this costs a few milliseconds, whatever the size.
// The browser's own Info dictionary ("HeadlessChrome/… X11; Linux x86_64") is blanked in place, byte for byte, so
// no offset moves and no reader (or grep) finds it in the file.

/** The properties written; all text, any script (written as UTF-16BE text strings). */
export type PdfInfoFields = {
  readonly title: string
  readonly author: string
  readonly subject: string
  /** BCP 47 tag, ASCII letters, digits and "-" only (a template language). */
  readonly language: string
  /** Creator and Producer. */
  readonly producer: string
}

type Trailer = { readonly size: number; readonly root: number; readonly info?: number; readonly id?: string }

/** A PDF text string as UTF-16BE hex with its byte order mark: any script, no escaping to get wrong. */
function textString(text: string): string {
  const hex = Array.from(text, (ch) => {
    const code = ch.codePointAt(0) ?? 0
    if (code <= 0xffff) return code.toString(16).padStart(4, '0')
    const v = code - 0x10000
    return ((0xd800 + (v >> 10)).toString(16) + (0xdc00 + (v & 0x3ff)).toString(16)).padStart(8, '0')
  }).join('')
  return `<FEFF${hex.toUpperCase()}>`
}

/** The last `startxref` offset and the trailer dictionary in front of it; undefined for an xref-stream PDF. */
function readTrailer(text: string): { trailer: Trailer; startxref: number } | undefined {
  const tail = text.slice(Math.max(0, text.length - 2048))
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)
  const at = tail.lastIndexOf('trailer')
  if (!start || at < 0) return undefined
  const dict = tail.slice(at, tail.lastIndexOf('startxref'))
  const size = /\/Size\s+(\d+)/.exec(dict)?.[1]
  const root = /\/Root\s+(\d+)\s+0\s+R/.exec(dict)?.[1]
  if (!size || !root) return undefined
  const info = /\/Info\s+(\d+)\s+0\s+R/.exec(dict)?.[1]
  const id = /\/ID\s*(\[[^\]]*\])/.exec(dict)?.[1]
  return {
    startxref: Number(start[1]),
    trailer: { size: Number(size), root: Number(root), ...(info ? { info: Number(info) } : {}), ...(id ? { id } : {}) },
  }
}

/** Byte offsets of in-use objects from one classic cross-reference section at `offset`; undefined when not one. */
function readXref(text: string, offset: number): Map<number, number> | undefined {
  if (text.slice(offset, offset + 4) !== 'xref') return undefined
  const offsets = new Map<number, number>()
  const lines = /^xref\s*\n([\s\S]*?)trailer/.exec(text.slice(offset))?.[1]?.split(/\r?\n/)
  if (!lines) return undefined
  let next = 0
  for (const line of lines) {
    const header = /^(\d+) (\d+)\s*$/.exec(line)
    const entry = /^(\d{10}) (\d{5}) ([nf])/.exec(line)
    if (header) next = Number(header[1])
    else if (entry) {
      if (entry[3] === 'n') offsets.set(next, Number(entry[1]))
      next++
    }
  }
  return offsets
}

/** The object `number`'s body (between "obj" and "endobj") and where it starts, read at its xref offset. */
function readObject(text: string, offsets: Map<number, number>, number: number): { start: number; body: string } | undefined {
  const offset = offsets.get(number)
  if (offset === undefined) return undefined
  const header = new RegExp(`^${number}\\s+0\\s+obj`).exec(text.slice(offset, offset + 40))
  if (!header) return undefined
  const start = offset + header[0].length
  const end = text.indexOf('endobj', start)
  return end < 0 ? undefined : { start, body: text.slice(start, end) }
}

/** PDF date "D:20261203214101+00'00'" as a Date; undefined when it is not one. */
function parsePdfDate(raw: string | undefined): Date | undefined {
  const m = raw ? /D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'(\d{2}))?/.exec(raw) : null
  if (!m) return undefined
  const sign = m[7] === '-' ? -1 : 1
  const shift = m[7] ? sign * (Number(m[8]) * 60 + Number(m[9])) : 0
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  return new Date(utc - shift * 60_000)
}

/**
 * The catalog dictionary with /Lang and /Metadata set: their old entries are removed (a literal or hex /Lang, a
 * /Metadata reference) and the new ones added before the dictionary's end. Undefined when it is not a dictionary.
 */
function updateCatalog(body: string, language: string, metadata: number): string | undefined {
  const dict = body.trim()
  if (!dict.startsWith('<<') || !dict.endsWith('>>')) return undefined
  const inner = dict
    .slice(0, -2)
    .replace(/\/Lang\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)/, '')
    .replace(/\/Metadata\s+\d+\s+\d+\s+R/, '')
  return `${inner}\n/Lang (${language})\n/Metadata ${metadata} 0 R>>`
}

/**
 * Appends the properties to `pdf` as an incremental update and blanks the old Info dictionary; `buildXmp` gets the
 * creation date Chromium wrote. Returns undefined, changing nothing, for a PDF without a classic cross-reference
 * table at its end (the caller then rewrites the file whole) or with a language tag that is not plain ASCII.
 */
export function appendLetterPdfInfo(
  pdf: Uint8Array,
  fields: PdfInfoFields,
  buildXmp: (created: Date | undefined) => string,
): Buffer | undefined {
  if (!/^[A-Za-z0-9-]{1,35}$/.test(fields.language)) return undefined
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return undefined
  // latin1 maps every byte to one character, so string offsets are byte offsets.
  const text = bytes.toString('latin1')
  const end = readTrailer(text)
  if (!end) return undefined
  const offsets = readXref(text, end.startxref)
  if (!offsets) return undefined
  const catalog = readObject(text, offsets, end.trailer.root)
  const oldInfo = end.trailer.info === undefined ? undefined : readObject(text, offsets, end.trailer.info)
  if (!catalog || (end.trailer.info !== undefined && !oldInfo)) return undefined
  const infoNumber = end.trailer.size
  const xmpNumber = end.trailer.size + 1
  const newCatalog = updateCatalog(catalog.body, fields.language, xmpNumber)
  if (!newCatalog) return undefined

  const created = /\/CreationDate\s*(\([^)]*\))/.exec(oldInfo?.body ?? '')?.[1]
  const modified = /\/ModDate\s*(\([^)]*\))/.exec(oldInfo?.body ?? '')?.[1]
  const producer = fields.producer.replace(/[^A-Za-z0-9 .-]/g, '')
  const xmp = Buffer.from(buildXmp(parsePdfDate(created)), 'utf8')

  const head = Buffer.from(bytes)
  // Blank the browser's Info dictionary where it is, same length, so every offset stays true.
  if (oldInfo) head.write(`<<>>${' '.repeat(oldInfo.body.length - 4)}`, oldInfo.start, 'latin1')
  const pieces: Buffer[] = [head]
  let length = head.length
  if (head[head.length - 1] !== 0x0a) {
    pieces.push(Buffer.from('\n'))
    length += 1
  }
  const written = new Map<number, number>()
  const add = (number: number, content: Buffer | string): void => {
    written.set(number, length)
    const piece = typeof content === 'string' ? Buffer.from(content, 'latin1') : content
    pieces.push(piece)
    length += piece.length
  }
  add(
    infoNumber,
    `${infoNumber} 0 obj\n<</Title ${textString(fields.title)}\n/Author ${textString(fields.author)}\n` +
      `/Subject ${textString(fields.subject)}\n/Creator (${producer})\n/Producer (${producer})` +
      `${created ? `\n/CreationDate ${created}` : ''}${modified ? `\n/ModDate ${modified}` : ''}>>\nendobj\n`,
  )
  add(
    xmpNumber,
    Buffer.concat([
      Buffer.from(`${xmpNumber} 0 obj\n<</Type /Metadata\n/Subtype /XML\n/Length ${xmp.length}>>\nstream\n`, 'latin1'),
      xmp,
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ]),
  )
  add(end.trailer.root, `${end.trailer.root} 0 obj\n${newCatalog}\nendobj\n`)

  const xrefOffset = length
  const entry = (offset: number): string => `${String(offset).padStart(10, '0')} 00000 n \n`
  const sections = [...written.entries()]
    .sort(([a], [b]) => a - b)
    .map(([number, offset]) => `${number} 1\n${entry(offset)}`)
    .join('')
  const trailer =
    `xref\n0 1\n0000000000 65535 f \n${sections}trailer\n<</Size ${end.trailer.size + 2}\n/Root ${end.trailer.root} 0 R\n` +
    `/Info ${infoNumber} 0 R${end.trailer.id ? `\n/ID ${end.trailer.id}` : ''}\n/Prev ${end.startxref}>>\nstartxref\n${xrefOffset}\n%%EOF\n`
  pieces.push(Buffer.from(trailer, 'latin1'))
  return Buffer.concat(pieces)
}
