// Main process (Node): text and HTML of an imported Word .docx via mammoth, behind a zip-bomb check.
import { inflateRawSync } from 'node:zlib'
import mammoth from 'mammoth'
import { CustodiaError } from '../../../../shared/errors'
import { convertHtml } from '../../../../shared/library/convertHtml'

/** Largest total unpacked size of a .docx we open (its parts are XML and images; 50 MiB packed is the input cap). */
export const MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024
const MAX_ZIP_ENTRIES = 20_000

const unreadable = (): CustodiaError => new CustodiaError('VALIDATION', 'could not read Word (.docx) file')

/**
 * Walk the zip central directory and inflate every entry with a hard output cap, so a zip bomb (including one
 * that lies about its sizes) is refused before mammoth/JSZip inflate it in memory.
 * `maxUnpackedBytes` is the total budget for all entries. Throws CustodiaError VALIDATION; returns nothing on success.
 */
export function checkDocxArchive(bytes: Uint8Array, maxUnpackedBytes: number = MAX_DOCX_UNPACKED_BYTES): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) throw unreadable()
  // End of central directory: last 22 bytes plus up to 65535 bytes of comment.
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i -= 1) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw unreadable()
  const entries = buf.readUInt16LE(eocd + 10)
  const directoryOffset = buf.readUInt32LE(eocd + 16)
  if (entries === 0xffff || directoryOffset === 0xffffffff || entries > MAX_ZIP_ENTRIES) throw unreadable() // ZIP64
  let offset = directoryOffset
  let total = 0
  for (let n = 0; n < entries; n += 1) {
    if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== 0x02014b50) throw unreadable()
    const method = buf.readUInt16LE(offset + 10)
    const compressedSize = buf.readUInt32LE(offset + 20)
    const declaredSize = buf.readUInt32LE(offset + 24)
    const nameLength = buf.readUInt16LE(offset + 28)
    const extraLength = buf.readUInt16LE(offset + 30)
    const commentLength = buf.readUInt16LE(offset + 32)
    const localOffset = buf.readUInt32LE(offset + 42)
    offset += 46 + nameLength + extraLength + commentLength
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== 0x04034b50) throw unreadable()
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28)
    if (dataStart + compressedSize > buf.length) throw unreadable()
    const budget = maxUnpackedBytes - total
    if (declaredSize > budget) throw new CustodiaError('VALIDATION', 'could not read Word (.docx) file: too large when unpacked')
    if (method === 0) {
      total += compressedSize
    } else if (method === 8) {
      let size: number
      try {
        size = inflateRawSync(buf.subarray(dataStart, dataStart + compressedSize), { maxOutputLength: Math.max(1, budget) }).length
      } catch (error) {
        if (error instanceof RangeError) {
          throw new CustodiaError('VALIDATION', 'could not read Word (.docx) file: too large when unpacked')
        }
        throw unreadable()
      }
      total += size
    } else {
      throw unreadable()
    }
    if (total > maxUnpackedBytes) throw new CustodiaError('VALIDATION', 'could not read Word (.docx) file: too large when unpacked')
  }
}

/** Extract `{ text, html }` from a .docx. Throws CustodiaError VALIDATION "could not read Word (.docx) file". */
export async function extractDocx(bytes: Uint8Array): Promise<{ text: string; html: string }> {
  checkDocxArchive(bytes)
  const buffer = Buffer.from(bytes)
  try {
    // externalFileAccess:false: a .docx may point at files on this machine (linked images); never read them.
    const [converted, raw] = await Promise.all([
      mammoth.convertToHtml({ buffer }, { externalFileAccess: false }),
      mammoth.extractRawText({ buffer }),
    ])
    // mammoth passes hyperlink targets through verbatim (javascript: included): re-simplify its HTML.
    const simplified = convertHtml(converted.value)
    return { text: raw.value, html: simplified.html }
  } catch {
    throw unreadable()
  }
}
