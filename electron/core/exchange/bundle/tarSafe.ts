// Main process (Node only): strict, hostile-input tar reader for decrypted bundles. Headers are scanned and every
// entry checked (types, names, duplicates, counts, sizes, layout) BEFORE a single byte is extracted; extraction then
// copies byte ranges into files created exclusively inside one destination folder, hashing as it copies.
// Why not tar-stream's extractor here: it accepts GNU long names, sparse files, links and lenient checksums and gives
// no random access; this reader understands exactly ustar + pax ('x') headers, which is what bundles contain.
import crypto from 'node:crypto'
import fs from 'node:fs'
import { CustodiaError } from '../../../../shared/errors'

const BLOCK = 512
const WINDOW = 1024 * 1024
const MAX_PAX_BYTES = 64 * 1024

export interface TarEntry {
  /** Normalised entry name, e.g. `records/abc.json`. */
  readonly name: string
  readonly size: number
  /** Byte offset of the entry's data inside the tar file. */
  readonly dataOffset: number
}

export interface TarScanRules {
  readonly maxEntries: number
  readonly maxTotalBytes: number
  /** Directory entries that may appear (and are ignored), without trailing slash. */
  readonly allowedDirectories: ReadonlySet<string>
  /** For an allowed file name: its size cap and a label for messages. null: the name is not allowed. */
  readonly classifyFile: (name: string) => { readonly maxBytes: number; readonly label: string } | null
}

function reject(message: string): never {
  throw new CustodiaError('VALIDATION', message)
}

/** Reads a file through a 1 MiB window so scanning many small headers costs few syscalls. */
class WindowReader {
  private buf = Buffer.alloc(0)
  private start = 0

  constructor(
    private readonly fh: fs.promises.FileHandle,
    readonly size: number,
  ) {}

  async read(offset: number, length: number): Promise<Buffer> {
    if (offset + length > this.size) reject('tar archive is truncated')
    if (offset >= this.start && offset + length <= this.start + this.buf.length) {
      return this.buf.subarray(offset - this.start, offset - this.start + length)
    }
    const want = Math.min(Math.max(length, WINDOW), this.size - offset)
    const buf = Buffer.alloc(want)
    let done = 0
    while (done < want) {
      const { bytesRead } = await this.fh.read(buf, done, want - done, offset + done)
      if (bytesRead === 0) reject('tar archive is truncated')
      done += bytesRead
    }
    this.buf = buf
    this.start = offset
    return buf.subarray(0, length)
  }
}

function readCString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length)
  const end = field.indexOf(0)
  const bytes = end === -1 ? field : field.subarray(0, end)
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes)
}

/** Octal number field (NUL/space terminated), or base-256 (GNU, top bit set) for sizes over 8 GiB. */
function parseNumber(block: Buffer, offset: number, length: number, what: string): number {
  const field = block.subarray(offset, offset + length)
  if (((field[0] as number) & 0x80) !== 0) {
    if (field[0] !== 0x80) reject(`tar header has an invalid ${what}`)
    let v = 0
    for (let i = 1; i < field.length; i++) v = v * 256 + (field[i] as number)
    if (!Number.isSafeInteger(v)) reject(`tar header has an invalid ${what}`)
    return v
  }
  const text = field
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .replace(/^ +/, '')
  if (text === '') return 0
  if (!/^[0-7]+$/.test(text)) reject(`tar header has an invalid ${what}`)
  const v = parseInt(text, 8)
  if (!Number.isSafeInteger(v)) reject(`tar header has an invalid ${what}`)
  return v
}

function computeChecksum(block: Buffer): number {
  let sum = 8 * 0x20 // the checksum field itself counts as spaces
  for (let i = 0; i < 148; i++) sum += block[i] as number
  for (let i = 156; i < BLOCK; i++) sum += block[i] as number
  return sum
}

/** pax extended header records: `<len> <key>=<value>\n`, len in decimal covering the whole record. */
function parsePax(data: Buffer): Map<string, string> {
  const out = new Map<string, string>()
  let pos = 0
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos)
    if (space === -1 || space - pos > 8) reject('tar has a malformed pax header')
    const lenText = data.toString('latin1', pos, space)
    if (!/^[1-9][0-9]*$/.test(lenText)) reject('tar has a malformed pax header')
    const len = Number(lenText)
    if (pos + len > data.length || data[pos + len - 1] !== 0x0a) reject('tar has a malformed pax header')
    const record = data.toString('utf8', space + 1, pos + len - 1)
    const eq = record.indexOf('=')
    if (eq < 1) reject('tar has a malformed pax header')
    const key = record.slice(0, eq)
    if (out.has(key)) reject('tar has a malformed pax header')
    out.set(key, record.slice(eq + 1))
    pos += len
  }
  return out
}

/**
 * Checks one entry name: any escape (absolute, `..`, backslash, drive letter) → "path escapes the bundle"; empty or
 * `.` segments, control or non-ASCII characters → "entry name not allowed in a bundle". Returns the name without a
 * trailing slash (directories).
 */
export function checkEntryName(raw: string, isDirectory: boolean): string {
  if (raw.includes('\\') || raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) reject('path escapes the bundle')
  const name = isDirectory && raw.endsWith('/') ? raw.slice(0, -1) : raw
  const segments = name.split('/')
  if (segments.some((s) => s === '..')) reject('path escapes the bundle')
  if (name === '' || segments.some((s) => s === '' || s === '.') || !/^[\x21-\x7e]+$/.test(name)) {
    reject('entry name not allowed in a bundle')
  }
  return name
}

function describeLinkType(type: number): string | null {
  switch (type) {
    case 0x31:
      return 'bundle contains a hard link'
    case 0x32:
      return 'bundle contains a symlink'
    case 0x33:
    case 0x34:
      return 'bundle contains a device file'
    case 0x36:
      return 'bundle contains a fifo'
    default:
      return null
  }
}

/**
 * Scans every header of the tar at `tarPath` and returns its file entries in order. Throws CustodiaError VALIDATION
 * with a specific message for: bad checksum or magic, links, devices, fifos, unknown types, unsafe or unlisted names,
 * duplicates (case-insensitive, as extraction may land on a case-insensitive disk), too many entries, an entry over
 * its cap, a total over the cap, truncation, non-zero bytes after the end-of-archive block.
 */
export async function scanTar(tarPath: string, rules: TarScanRules): Promise<TarEntry[]> {
  const fh = await fs.promises.open(tarPath, 'r')
  try {
    const { size } = await fh.stat()
    const reader = new WindowReader(fh, size)
    const entries: TarEntry[] = []
    const seen = new Set<string>()
    let offset = 0
    let count = 0
    let total = 0
    let pax: Map<string, string> | null = null
    for (;;) {
      if (offset + BLOCK > size) reject('tar archive is truncated')
      const block = await reader.read(offset, BLOCK)
      if (block.every((b) => b === 0)) {
        if (pax) reject('tar archive is truncated')
        await checkZeroTail(reader, offset + BLOCK)
        return entries
      }
      if (computeChecksum(block) !== parseNumber(block, 148, 8, 'checksum')) reject('tar header checksum mismatch')
      const magic = block.toString('latin1', 257, 265)
      const ustar = magic === 'ustar\x0000'
      if (!ustar && magic !== 'ustar  \x00') reject('not a ustar tar archive')
      const type = block[156] as number
      let entrySize = parseNumber(block, 124, 12, 'size')

      if (type === 0x78 /* x: pax header for the next entry */) {
        if (pax) reject('tar has a malformed pax header')
        if (entrySize > MAX_PAX_BYTES) reject('tar pax header is too large')
        pax = parsePax(await reader.read(offset + BLOCK, entrySize))
        offset += BLOCK + roundUp(entrySize)
        continue
      }

      count++
      if (count > rules.maxEntries) reject(`bundle has more than ${rules.maxEntries} entries`)
      const linkProblem = describeLinkType(type)
      if (linkProblem) reject(linkProblem)
      const isFile = type === 0x30 || type === 0
      const isDirectory = type === 0x35
      if (!isFile && !isDirectory) reject('bundle contains an unsupported tar entry type')

      const prefix = ustar ? readCString(block, 345, 155) : ''
      const base = readCString(block, 0, 100)
      let rawName = prefix ? `${prefix}/${base}` : base
      if (pax) {
        const paxPath = pax.get('path')
        if (paxPath !== undefined) {
          if (paxPath.includes('\0')) reject('entry name not allowed in a bundle')
          rawName = paxPath
        }
        const paxSize = pax.get('size')
        if (paxSize !== undefined) {
          if (!/^[0-9]{1,16}$/.test(paxSize) || !Number.isSafeInteger(Number(paxSize))) {
            reject('tar has a malformed pax header')
          }
          entrySize = Number(paxSize)
        }
        pax = null
      }
      const name = checkEntryName(rawName, isDirectory)
      const key = name.toLowerCase()
      if (seen.has(key)) reject('bundle contains duplicate entries')
      seen.add(key)

      if (isDirectory) {
        if (!rules.allowedDirectories.has(name)) reject('entry name not allowed in a bundle')
        if (entrySize !== 0) reject('tar directory entry has data')
        offset += BLOCK
        continue
      }
      const kind = rules.classifyFile(name)
      if (!kind) reject('entry name not allowed in a bundle')
      if (entrySize > kind.maxBytes) reject(`${kind.label} exceeds its size limit`)
      total += entrySize
      if (total > rules.maxTotalBytes) reject('bundle exceeds the total size limit')
      if (offset + BLOCK + entrySize > size) reject('tar archive is truncated')
      entries.push({ name, size: entrySize, dataOffset: offset + BLOCK })
      offset += BLOCK + roundUp(entrySize)
    }
  } finally {
    await fh.close()
  }
}

function roundUp(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK
}

async function checkZeroTail(reader: WindowReader, from: number): Promise<void> {
  for (let pos = from; pos < reader.size; pos += WINDOW) {
    const chunk = await reader.read(pos, Math.min(WINDOW, reader.size - pos))
    if (!chunk.every((b) => b === 0)) reject('data after the end of the tar archive')
  }
}

/** Reads a (small, already size-capped) entry into memory. */
export async function readTarEntry(tarPath: string, entry: TarEntry): Promise<Buffer> {
  const fh = await fs.promises.open(tarPath, 'r')
  try {
    const buf = Buffer.alloc(entry.size)
    let done = 0
    while (done < entry.size) {
      const { bytesRead } = await fh.read(buf, done, entry.size - done, entry.dataOffset + done)
      if (bytesRead === 0) reject('tar archive is truncated')
      done += bytesRead
    }
    return buf
  } finally {
    await fh.close()
  }
}

/**
 * SHA-256 (hex) of each entry's data, in one sequential pass over the archive through two alternating 1 MiB windows
 * (the next window is read while the current one is hashed). Entries must come from scanTar on the same file.
 */
export async function hashTarEntries(
  tarPath: string,
  entries: readonly TarEntry[],
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<Map<string, string>> {
  const ordered = [...entries].sort((x, y) => x.dataOffset - y.dataOffset)
  const hashes = new Map<string, string>()
  if (ordered.length === 0) return hashes
  const fh = await fs.promises.open(tarPath, 'r')
  const windows = [Buffer.allocUnsafe(WINDOW), Buffer.allocUnsafe(WINDOW)]
  const readWindow = async (buf: Buffer, offset: number, end: number): Promise<Buffer> => {
    const want = Math.min(WINDOW, end - offset)
    let got = 0
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, offset + got)
      if (bytesRead === 0) reject('tar archive is truncated')
      got += bytesRead
    }
    return buf.subarray(0, want)
  }
  try {
    const first = ordered[0] as TarEntry
    const last = ordered[ordered.length - 1] as TarEntry
    const end = last.dataOffset + last.size
    let entryIndex = 0
    let hash = crypto.createHash('sha256')
    // Zero-length entries (and any entry before the first window) are settled as the cursor passes them.
    const settleUpTo = (position: number): void => {
      for (;;) {
        const entry = ordered[entryIndex]
        if (!entry || entry.dataOffset + entry.size > position) return
        hashes.set(entry.name, hash.digest('hex'))
        hash = crypto.createHash('sha256')
        entryIndex++
      }
    }
    let offset = first.dataOffset
    let turn = 0
    let next: Promise<Buffer> | null = offset < end ? readWindow(windows[0] as Buffer, offset, end) : null
    settleUpTo(offset)
    while (next) {
      if (signal?.aborted) throw new CustodiaError('CANCELLED', 'opening the bundle was cancelled')
      const window = await next
      const windowStart = offset
      offset += window.length
      turn++
      next = offset < end ? readWindow(windows[turn % 2] as Buffer, offset, end) : null
      next?.catch(() => undefined) // awaited on the next turn; silences a rejection if we stop first
      // Feed every entry overlapping this window, in order; tar padding and headers between entries are skipped.
      for (let i = entryIndex; i < ordered.length; i++) {
        const entry = ordered[i] as TarEntry
        if (entry.dataOffset >= offset) break
        const from = Math.max(entry.dataOffset, windowStart)
        const to = Math.min(entry.dataOffset + entry.size, offset)
        if (to > from) {
          if (i !== entryIndex) settleUpTo(entry.dataOffset)
          hash.update(window.subarray(from - windowStart, to - windowStart))
          onBytes?.(to - from)
        }
        if (entry.dataOffset + entry.size > offset) break
      }
      settleUpTo(offset)
    }
    settleUpTo(end)
    return hashes
  } finally {
    await fh.close()
  }
}

/** Streams one entry's data out of the archive (1 MiB pieces). Entries must come from scanTar on the same file. */
export function openTarEntry(tarPath: string, entry: TarEntry): AsyncIterable<Buffer> {
  if (entry.size === 0) return (async function* () {})()
  return fs.createReadStream(tarPath, { start: entry.dataOffset, end: entry.dataOffset + entry.size - 1, highWaterMark: WINDOW })
}
