// Main process (Node only): the tar writer for bundles — ustar headers for regular files, a pax 'size' record where
// ustar cannot hold the size (8 GiB and more), and pax 'comment' padding that makes an entry's data start at a chosen
// alignment. The alignment is why this is ours and not tar-stream's packer: a vault attachment whose data starts on
// an age chunk boundary can be decrypted and re-encrypted by payload workers chunk for chunk (age.ts SecretstreamRun).
// The reader is tarSafe.ts; docs/BUNDLE.md describes both.
import { CustodiaError } from '../../../../shared/errors'

export const TAR_BLOCK = 512
/** Two zero blocks end a tar archive. */
export const TAR_END_OF_ARCHIVE = Buffer.alloc(2 * TAR_BLOCK)
/** The largest size an 11-digit octal ustar size field holds. */
const MAX_USTAR_SIZE = 8 ** 11 - 1
const ZERO_BLOCK = Buffer.alloc(TAR_BLOCK)

export interface TarFileHeader {
  /** ASCII, at most 100 bytes (bundle names are short: `files/<id>`). */
  readonly name: string
  readonly size: number
  readonly mtime: Date
}

function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  // length - 1 digits, zero-padded, then NUL.
  block.write(value.toString(8).padStart(length - 1, '0'), offset, length - 1, 'latin1')
  block[offset + length - 1] = 0
}

function encodeUstarBlock(name: string, size: number, mtime: Date, type: '0' | 'x'): Buffer {
  if (!/^[\x21-\x7e]{1,100}$/.test(name)) throw new CustodiaError('INTERNAL', 'tar entry name must be 1–100 printable ASCII bytes')
  const block = Buffer.alloc(TAR_BLOCK)
  block.write(name, 0, 100, 'latin1')
  writeOctal(block, 100, 8, 0o644)
  writeOctal(block, 108, 8, 0)
  writeOctal(block, 116, 8, 0)
  // A size past ustar's field travels in a pax record; the field then says 0.
  writeOctal(block, 124, 12, size > MAX_USTAR_SIZE ? 0 : size)
  writeOctal(block, 136, 12, Math.max(0, Math.floor(mtime.getTime() / 1000)))
  block[156] = type.charCodeAt(0)
  block.write('ustar\x0000', 257, 8, 'latin1')
  // Checksum: the sum of all bytes with the checksum field read as spaces; six octal digits, NUL, space.
  block.fill(0x20, 148, 156)
  let sum = 0
  for (const byte of block) sum += byte
  block.write(sum.toString(8).padStart(6, '0'), 148, 6, 'latin1')
  block[154] = 0
  block[155] = 0x20
  return block
}

/** One pax record, `<len> <key>=<value>\n`, whose decimal length counts itself; `length` forces an exact size. */
function encodePaxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  let length = body.length + 1
  while (String(length).length + body.length !== length) length = String(length).length + body.length
  return `${length}${body}`
}

/** A `comment` record of exactly `length` bytes (at least 12), whose value (spaces) readers ignore. */
function encodePaddingRecord(length: number): string {
  for (let digits = 1; digits <= 8; digits++) {
    const fill = length - digits - ' comment=\n'.length
    if (fill >= 0 && String(length).length === digits) return `${length} comment=${' '.repeat(fill)}\n`
  }
  throw new CustodiaError('INTERNAL', 'pax padding record length out of range')
}

function roundUpToBlock(n: number): number {
  return Math.ceil(n / TAR_BLOCK) * TAR_BLOCK
}

/**
 * The header block(s) of a regular file entry that starts at tar offset `position` (a multiple of 512). With
 * `alignTo` (a multiple of 512), a pax header with a padding comment goes first so that the file's data starts at a
 * multiple of `alignTo`; a size past ustar's limit is always carried by a pax `size` record.
 */
export function encodeFileHeaders(header: TarFileHeader, position: number, alignTo?: number): Buffer {
  if (!Number.isSafeInteger(header.size) || header.size < 0)
    throw new CustodiaError('INTERNAL', 'tar entry size must be a non-negative integer')
  if (position % TAR_BLOCK !== 0 || (alignTo !== undefined && (alignTo <= 0 || alignTo % TAR_BLOCK !== 0))) {
    throw new CustodiaError('INTERNAL', 'tar positions and alignments are whole blocks')
  }
  const fileBlock = encodeUstarBlock(header.name, header.size, header.mtime, '0')
  const sizeRecord = header.size > MAX_USTAR_SIZE ? encodePaxRecord('size', String(header.size)) : ''
  const unaligned = alignTo !== undefined && (position + TAR_BLOCK) % alignTo !== 0
  if (sizeRecord === '' && !unaligned) return fileBlock

  let records = sizeRecord
  if (alignTo !== undefined) {
    // Data starts after the pax block, its records (whole blocks: the padding fills them exactly) and the file block.
    let recordsLength = (alignTo - ((position + 2 * TAR_BLOCK) % alignTo)) % alignTo
    const minimum = sizeRecord.length + encodePaddingRecord(12).length
    while (recordsLength < minimum) recordsLength += alignTo
    records += encodePaddingRecord(recordsLength - sizeRecord.length)
  }
  const paxData = Buffer.from(records, 'latin1')
  const paxName = `PaxHeader/${header.name.slice(header.name.lastIndexOf('/') + 1)}`.slice(0, 100)
  const paxBlock = encodeUstarBlock(paxName, paxData.length, header.mtime, 'x')
  return Buffer.concat([paxBlock, paxData, ZERO_BLOCK.subarray(0, roundUpToBlock(paxData.length) - paxData.length), fileBlock])
}

/** Zero bytes that complete an entry of `size` bytes to whole blocks. */
export function encodeEntryPadding(size: number): Buffer {
  return ZERO_BLOCK.subarray(0, roundUpToBlock(size) - size)
}
