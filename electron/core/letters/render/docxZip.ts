// Main process (core, Node only): zips a letter's Word document. The docx package builds the parts; they are zipped
// here with Node's zlib, and the embedded fonts' parts from deflated bytes made once per process, because
// compressing three quarters of a megabyte of fonts again at every export (docx zips with a JavaScript deflate) was
// most of a DOCX export's time.
import { crc32, deflateRawSync } from 'node:zlib'
import { Packer, type Document } from 'docx'

/** The parts of a Word document by their paths, in the order they are zipped (what docx's compiler returns). */
type Parts = Map<string, Uint8Array | string>
type Compiler = { compile(file: Document, prettify?: undefined, overrides?: readonly []): Parts }

/**
 * docx's own compiler (Packer.compiler, private in its types: Packer has no public way to get the parts unzipped).
 * Null when a later docx has none: the letter is then zipped by Packer as before, only slower.
 */
function findCompiler(): Compiler | null {
  const compiler = (Packer as unknown as { compiler?: Partial<Compiler> }).compiler
  return typeof compiler?.compile === 'function' ? (compiler as Compiler) : null
}

/** DEFLATE level of the parts: zlib's default, as docx's zip uses. */
const LEVEL = 6
/** ECMA-376 Part 2 font obfuscation XORs the first 32 bytes of a font with its key; the rest is the font's own. */
const OBFUSCATED_BYTES = 32

/** Raw DEFLATE of a font after its first 32 bytes, made once per font (the buffers loadLetterFonts shares). */
const deflatedTails = new WeakMap<Uint8Array, Buffer>()

function deflatedTail(font: Uint8Array): Buffer {
  let tail = deflatedTails.get(font)
  if (!tail) {
    tail = deflateRawSync(font.subarray(OBFUSCATED_BYTES), { level: LEVEL })
    deflatedTails.set(font, tail)
  }
  return tail
}

/**
 * The raw DEFLATE stream of an obfuscated font part: its first 32 bytes (which differ per document: each document has
 * its own font keys) in a stored block, then the font's cached stream for the rest. A stored block ends on a byte
 * boundary and the cached stream refers to nothing before it, so together they are one valid stream (RFC 1951
 * §3.2.3–3.2.4) of the whole part.
 */
function deflateObfuscatedFont(part: Uint8Array, font: Uint8Array): Buffer {
  const head = Buffer.alloc(5)
  head[0] = 0 // BFINAL 0, BTYPE 00 (stored), padded to the byte
  head.writeUInt16LE(OBFUSCATED_BYTES, 1)
  head.writeUInt16LE(~OBFUSCATED_BYTES & 0xffff, 3)
  return Buffer.concat([head, part.subarray(0, OBFUSCATED_BYTES), deflatedTail(font)])
}

/** MS-DOS date and time of 1980-01-01 00:00 (zip's epoch): entries carry no time of their making. */
const DOS_TIME = 0
const DOS_DATE = (1 << 5) | 1

/** One zip entry: its name, the CRC-32 and size of the unpacked bytes, and those bytes raw-deflated. */
export type ZipEntry = { name: Buffer; crc: number; size: number; compressed: Buffer }

/** A zip file (PKZIP 2.0: DEFLATE, no ZIP64; a letter is far below 4 GiB) of `entries`, in their order. */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const chunks: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const { name, crc, size, compressed } of entries) {
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed: 2.0
    local.writeUInt16LE(0x0800, 6) // names are UTF-8
    local.writeUInt16LE(8, 8) // DEFLATE
    local.writeUInt16LE(DOS_TIME, 10)
    local.writeUInt16LE(DOS_DATE, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(compressed.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const header = Buffer.alloc(46)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE(20, 4) // made by: 2.0, MS-DOS attributes
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(0x0800, 8)
    header.writeUInt16LE(8, 10)
    header.writeUInt16LE(DOS_TIME, 12)
    header.writeUInt16LE(DOS_DATE, 14)
    header.writeUInt32LE(crc, 16)
    header.writeUInt32LE(compressed.length, 20)
    header.writeUInt32LE(size, 24)
    header.writeUInt16LE(name.length, 28)
    header.writeUInt32LE(offset, 42) // extra, comment, disk, attributes: 0
    chunks.push(local, name, compressed)
    central.push(header, name)
    offset += local.length + name.length + compressed.length
  }
  const directory = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...chunks, directory, end])
}

/**
 * The .docx file of `doc`: the same parts, in the same order, as docx's Packer.toBuffer, zipped with Node's zlib;
 * the embedded fonts' parts reuse their deflated bytes (deflateObfuscatedFont) where the part is the font with only
 * its first 32 bytes changed, as ECMA-376 obfuscation makes it (checked byte for byte, else deflated in full).
 */
export async function packLetterDocx(doc: Document): Promise<Buffer> {
  const compiler = findCompiler()
  if (!compiler) return Packer.toBuffer(doc)
  const parts = compiler.compile(doc, undefined, [])
  const fonts = new Map(doc.FontTable.files.map((file, i) => [`word/fonts/font${i + 1}.odttf`, file.data as Uint8Array]))
  const entries: ZipEntry[] = []
  for (const [path, value] of parts) {
    const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value
    const font = fonts.get(path)
    const reusable =
      font !== undefined &&
      font.length === data.length &&
      data.length > OBFUSCATED_BYTES &&
      Buffer.from(data.buffer, data.byteOffset + OBFUSCATED_BYTES, data.length - OBFUSCATED_BYTES).equals(font.subarray(OBFUSCATED_BYTES))
    entries.push({
      name: Buffer.from(path, 'utf8'),
      crc: crc32(data),
      size: data.length,
      compressed: reusable ? deflateObfuscatedFont(data, font) : deflateRawSync(data, { level: LEVEL }),
    })
  }
  return writeZip(entries)
}
