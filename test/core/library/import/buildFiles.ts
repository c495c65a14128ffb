// Test helpers (Node): build small PDF and ZIP files byte by byte, so tests control every field.
import { crc32, deflateRawSync } from 'node:zlib'
import { writeZip } from '../../../../electron/core/letters/render/docxZip'

/** A one-page PDF (Helvetica, WinAnsi) whose text objects are `paragraphs`, each a list of lines. */
export function buildMinimalPdf(paragraphs: readonly (readonly string[])[]): Buffer {
  const escape = (s: string): string => s.replace(/[\\()]/g, (c) => `\\${c}`)
  const ops: string[] = ['BT', '/F1 12 Tf', '14 TL', '72 740 Td']
  for (const lines of paragraphs) {
    for (const line of lines) ops.push(`(${escape(line)}) Tj`, 'T*')
    ops.push('0 -20 Td') // extra space between paragraphs
  }
  ops.push('ET')
  const content = ops.join('\n')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'))
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = Buffer.byteLength(out, 'latin1')
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

export interface ZipEntry {
  name: string
  data: Buffer
  /** Lie about the unpacked size in the headers (zip-bomb test). */
  declaredSize?: number
}

/** A deflate-compressed ZIP archive of `entries`, written by the app's own zip writer (the DOCX one). */
export function buildZip(entries: readonly ZipEntry[]): Buffer {
  return writeZip(
    entries.map((entry) => ({
      name: Buffer.from(entry.name, 'utf8'),
      crc: crc32(entry.data),
      size: entry.declaredSize ?? entry.data.length,
      compressed: deflateRawSync(entry.data),
    })),
  )
}
