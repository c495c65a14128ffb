// Core test (Node): the bundle tar writer (tarWrite.ts) — GNU tar lists and extracts what it writes, aligned entries
// start their data exactly on the alignment for our reader (scanTar) and GNU tar alike, checksums verify, sizes past
// ustar's field travel in a pax `size` record, and names it cannot write are refused.
import { execFileSync, spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { scanTar, type TarScanRules } from '../../../../electron/core/exchange/bundle/tarSafe'
import { encodeEntryPadding, encodeFileHeaders, TAR_BLOCK, TAR_END_OF_ARCHIVE } from '../../../../electron/core/exchange/bundle/tarWrite'
import { CustodiaError } from '../../../../shared/errors'
import { makeTempDir } from './helpers'

const AGE_CHUNK = 64 * 1024
const GiB = 1024 * 1024 * 1024
const MTIME = new Date('2026-05-12T10:20:30Z')
const root = makeTempDir()
let dirCounter = 0
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

// As bundles read them (format.ts), minus the name patterns: these tests use names of their own.
const RULES: TarScanRules = {
  maxEntries: 100,
  maxTotalBytes: 16 * GiB,
  allowedDirectories: new Set(['files']),
  classifyFile: () => ({ maxBytes: 16 * GiB, label: 'file' }),
}

interface PlannedEntry {
  readonly name: string
  readonly data: Buffer
  readonly alignTo?: number
}

/** A tar built only from our headers and paddings; returns each entry's header length and data offset. */
function buildTar(entries: readonly PlannedEntry[]): { tar: Buffer; headerLengths: number[]; dataOffsets: number[] } {
  const parts: Buffer[] = []
  const headerLengths: number[] = []
  const dataOffsets: number[] = []
  let position = 0
  for (const e of entries) {
    const headers = encodeFileHeaders({ name: e.name, size: e.data.length, mtime: MTIME }, position, e.alignTo)
    const padding = encodeEntryPadding(e.data.length)
    parts.push(headers, e.data, padding)
    headerLengths.push(headers.length)
    dataOffsets.push(position + headers.length)
    position += headers.length + e.data.length + padding.length
  }
  parts.push(TAR_END_OF_ARCHIVE)
  return { tar: Buffer.concat(parts), headerLengths, dataOffsets }
}

function makeDir(): string {
  const dir = path.join(root, `case-${dirCounter++}`)
  fs.mkdirSync(dir)
  return dir
}

function writeTar(tar: Buffer): string {
  const file = path.join(makeDir(), 'a.tar')
  fs.writeFileSync(file, tar)
  return file
}

/** `tar -tvf` as [name, size] pairs (GNU tar's verbose listing: mode owner size date time name). */
function listWithGnuTar(tarPath: string): [string, number][] {
  const out = execFileSync('tar', ['--numeric-owner', '-tvf', tarPath], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
  })
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const m = /^\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(.+)$/.exec(line)
      if (!m) throw new Error(`unexpected tar listing line: ${line}`)
      return [m[2] as string, Number(m[1])]
    })
}

function extractWithGnuTar(tarPath: string): string {
  const dest = fs.mkdtempSync(path.join(path.dirname(tarPath), 'x-'))
  execFileSync('tar', ['-x', '-f', tarPath, '-C', dest])
  return dest
}

/** The ustar checksum: all 512 bytes with the 8-byte checksum field counted as spaces. */
function computeHeaderChecksum(block: Buffer): number {
  let sum = 0
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number)
  return sum
}

function readOctalField(block: Buffer, offset: number, length: number): number {
  return parseInt(block.toString('latin1', offset, offset + length).replace(/[\0 ]+$/, ''), 8)
}

describe('tar headers read by GNU tar', () => {
  it('lists names and sizes and extracts the exact bytes and mtimes, aligned entries and a 100-byte name included', () => {
    const longName = `files/${'n'.repeat(94)}`
    const entries: PlannedEntry[] = [
      { name: 'manifest.json', data: Buffer.from('{"format":"test"}') },
      { name: 'files/empty', data: Buffer.alloc(0) },
      { name: 'files/block', data: crypto.randomBytes(TAR_BLOCK) },
      { name: 'files/aligned', data: crypto.randomBytes(200_001), alignTo: AGE_CHUNK },
      { name: longName, data: crypto.randomBytes(70_000), alignTo: AGE_CHUNK },
      { name: 'files/after', data: crypto.randomBytes(513) },
    ]
    const { tar, dataOffsets } = buildTar(entries)
    expect(tar.length % TAR_BLOCK).toBe(0)
    expect(dataOffsets[3]! % AGE_CHUNK).toBe(0)
    expect(dataOffsets[4]! % AGE_CHUNK).toBe(0)
    const tarPath = writeTar(tar)
    expect(listWithGnuTar(tarPath)).toEqual(entries.map((e) => [e.name, e.data.length]))
    const dest = extractWithGnuTar(tarPath)
    for (const e of entries) {
      const file = path.join(dest, e.name)
      expect(fs.readFileSync(file).equals(e.data)).toBe(true)
      expect(fs.statSync(file).mtimeMs).toBe(MTIME.getTime())
    }
    // Nothing else: the pax headers are metadata, not files.
    expect(fs.readdirSync(path.join(dest, 'files')).sort()).toEqual(['after', 'aligned', 'block', 'empty', 'n'.repeat(94)].sort())
  })

  it('property: an aligned entry at any block position starts its data on the alignment, for scanTar and GNU tar', async () => {
    // Block positions just before an alignment boundary are the edge cases: 127 needs no pax header at all, 126 a
    // full 64 KiB of padding records.
    const blockIndex = fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constantFrom(0, 1, 126, 127, 128, 254, 255, 256))
    await fc.assert(
      fc.asyncProperty(blockIndex, fc.integer({ min: 0, max: 3000 }), fc.constantFrom(AGE_CHUNK, 4096), async (blocks, size, alignTo) => {
        const position = blocks * TAR_BLOCK
        const headers = encodeFileHeaders({ name: 'files/target', size, mtime: MTIME }, position, alignTo)
        expect((position + headers.length) % alignTo).toBe(0)
        expect(headers.length % TAR_BLOCK).toBe(0)
        expect(headers.length).toBeLessThanOrEqual(TAR_BLOCK + AGE_CHUNK + 2 * TAR_BLOCK)

        // A filler entry of (position - 512) bytes puts the target at `position` (none needed at 0).
        const entries: PlannedEntry[] = []
        if (position > 0) entries.push({ name: 'files/filler', data: crypto.randomBytes(position - TAR_BLOCK) })
        const target = crypto.randomBytes(size)
        entries.push({ name: 'files/target', data: target, alignTo }, { name: 'files/next', data: Buffer.from('next entry') })
        const { tar, dataOffsets } = buildTar(entries)
        const targetIndex = entries.length - 2
        expect(dataOffsets[targetIndex]).toBe(position + headers.length)

        const tarPath = writeTar(tar)
        const scanned = await scanTar(tarPath, RULES)
        expect(scanned.map((e) => e.name)).toEqual(entries.map((e) => e.name))
        expect(scanned[targetIndex]).toEqual({ name: 'files/target', size, dataOffset: position + headers.length })
        expect(tar.subarray(scanned[targetIndex]!.dataOffset, scanned[targetIndex]!.dataOffset + size).equals(target)).toBe(true)

        const dest = extractWithGnuTar(tarPath)
        expect(fs.readFileSync(path.join(dest, 'files/target')).equals(target)).toBe(true)
        expect(fs.readFileSync(path.join(dest, 'files/next'), 'utf8')).toBe('next entry')
        fs.rmSync(path.dirname(tarPath), { recursive: true, force: true })
      }),
      { numRuns: 30 },
    )
  })

  it('every header block carries a valid checksum, and scanTar and GNU tar refuse a flipped header byte', async () => {
    const entries: PlannedEntry[] = [
      { name: 'files/plain', data: crypto.randomBytes(1000) },
      { name: 'files/aligned', data: crypto.randomBytes(5000), alignTo: AGE_CHUNK },
    ]
    const { tar, headerLengths, dataOffsets } = buildTar(entries)
    // The pax block, then its records, then the file block: check both header blocks of the aligned entry.
    const alignedStart = dataOffsets[1]! - headerLengths[1]!
    const blocks = [
      tar.subarray(0, TAR_BLOCK),
      tar.subarray(alignedStart, alignedStart + TAR_BLOCK),
      tar.subarray(dataOffsets[1]! - TAR_BLOCK, dataOffsets[1]!),
    ]
    expect(blocks.map((b) => String.fromCharCode(b[156] as number))).toEqual(['0', 'x', '0'])
    for (const block of blocks) {
      expect(readOctalField(block, 148, 7)).toBe(computeHeaderChecksum(block))
      expect(block.toString('latin1', 257, 265)).toBe('ustar\x0000')
    }
    expect(await scanTar(writeTar(tar), RULES)).toHaveLength(2)

    for (const at of [0, 100, alignedStart + 5]) {
      const flipped = Buffer.from(tar)
      flipped[at]! ^= 0x01
      const tarPath = writeTar(flipped)
      await expect(scanTar(tarPath, RULES)).rejects.toMatchObject({ code: 'VALIDATION', message: 'tar header checksum mismatch' })
      expect(spawnSync('tar', ['-tf', tarPath], { encoding: 'utf8' }).status).not.toBe(0)
    }
  })

  it('pads entries to whole blocks with zeros', () => {
    for (const [size, length] of [
      [0, 0],
      [1, 511],
      [511, 1],
      [512, 0],
      [513, 511],
      [200_001, 191],
    ] as const) {
      const padding = encodeEntryPadding(size)
      expect(padding.length).toBe(length)
      expect((size + padding.length) % TAR_BLOCK).toBe(0)
      expect(padding.every((b) => b === 0)).toBe(true)
    }
  })
})

describe('sizes past ustar and refused headers', () => {
  const EIGHT_GIB = 8_589_934_592

  it('the largest ustar size still fits the size field; 8 GiB goes into a pax size record with the field at 0', () => {
    const fits = encodeFileHeaders({ name: 'files/max', size: EIGHT_GIB - 1, mtime: MTIME }, 0)
    expect(fits.length).toBe(TAR_BLOCK)
    expect(fits.toString('latin1', 124, 136)).toBe('77777777777\0')

    const big = encodeFileHeaders({ name: 'files/huge', size: EIGHT_GIB, mtime: MTIME }, 0)
    expect(big.length).toBe(3 * TAR_BLOCK)
    expect(String.fromCharCode(big[156] as number)).toBe('x')
    expect(big.toString('latin1', 0, 100).replace(/\0+$/, '')).toBe('PaxHeader/huge')
    const recordsLength = readOctalField(big, 124, 12)
    expect(big.toString('latin1', TAR_BLOCK, TAR_BLOCK + recordsLength)).toBe('19 size=8589934592\n')
    expect(big.subarray(TAR_BLOCK + recordsLength, 2 * TAR_BLOCK).every((b) => b === 0)).toBe(true)
    const fileBlock = big.subarray(2 * TAR_BLOCK)
    expect(String.fromCharCode(fileBlock[156] as number)).toBe('0')
    expect(fileBlock.toString('latin1', 124, 136)).toBe('00000000000\0')
    expect(fileBlock.toString('latin1', 0, 100).replace(/\0+$/, '')).toBe('files/huge')
  })

  it('an aligned 8 GiB entry carries both records; scanTar and GNU tar read its size (sparse file)', async () => {
    const position = 3 * TAR_BLOCK
    const headers = encodeFileHeaders({ name: 'files/huge', size: EIGHT_GIB, mtime: MTIME }, position, AGE_CHUNK)
    expect((position + headers.length) % AGE_CHUNK).toBe(0)
    const records = headers.toString('latin1', TAR_BLOCK, headers.length - TAR_BLOCK)
    expect(records.startsWith('19 size=8589934592\n')).toBe(true)
    expect(records.slice(19)).toMatch(/^\d+ comment= *\n$/)
    expect(Number(/^(\d+) /.exec(records.slice(19))![1])).toBe(records.length - 19)

    // A small first entry, then the huge one whose data is a hole, then the end-of-archive blocks.
    const first = { name: 'files/first', data: Buffer.from('first') }
    const { tar: head } = buildTar([first])
    const firstPart = head.subarray(0, head.length - TAR_END_OF_ARCHIVE.length)
    expect(firstPart.length).toBe(2 * TAR_BLOCK)
    // An empty entry between them puts the huge entry's headers at `position`.
    const gap = encodeFileHeaders({ name: 'files/gap', size: 0, mtime: MTIME }, firstPart.length)
    const prefix = Buffer.concat([firstPart, gap, headers])
    expect(prefix.length).toBe(position + headers.length)
    const tarPath = path.join(makeDir(), 'huge.tar')
    fs.writeFileSync(tarPath, prefix)
    fs.truncateSync(tarPath, prefix.length + EIGHT_GIB + TAR_END_OF_ARCHIVE.length)
    try {
      const scanned = await scanTar(tarPath, RULES)
      expect(scanned).toEqual([
        { name: 'files/first', size: 5, dataOffset: TAR_BLOCK },
        { name: 'files/gap', size: 0, dataOffset: 3 * TAR_BLOCK },
        { name: 'files/huge', size: EIGHT_GIB, dataOffset: position + headers.length },
      ])
      expect(listWithGnuTar(tarPath)).toEqual([
        ['files/first', 5],
        ['files/gap', 0],
        ['files/huge', EIGHT_GIB],
      ])
    } finally {
      fs.rmSync(tarPath, { force: true })
    }
  })

  it('refuses names over 100 bytes, non-ASCII or with spaces, bad sizes and unaligned positions with INTERNAL', () => {
    const bad: [string, () => unknown][] = [
      ['101-byte name', () => encodeFileHeaders({ name: `files/${'n'.repeat(95)}`, size: 1, mtime: MTIME }, 0)],
      ['non-ASCII name', () => encodeFileHeaders({ name: 'files/dossier-ü', size: 1, mtime: MTIME }, 0)],
      ['name with a space', () => encodeFileHeaders({ name: 'files/a b', size: 1, mtime: MTIME }, 0)],
      ['empty name', () => encodeFileHeaders({ name: '', size: 1, mtime: MTIME }, 0)],
      ['negative size', () => encodeFileHeaders({ name: 'files/a', size: -1, mtime: MTIME }, 0)],
      ['fractional size', () => encodeFileHeaders({ name: 'files/a', size: 1.5, mtime: MTIME }, 0)],
      ['position inside a block', () => encodeFileHeaders({ name: 'files/a', size: 1, mtime: MTIME }, 100)],
      ['alignment inside a block', () => encodeFileHeaders({ name: 'files/a', size: 1, mtime: MTIME }, 0, 1000)],
      ['zero alignment', () => encodeFileHeaders({ name: 'files/a', size: 1, mtime: MTIME }, 0, 0)],
    ]
    for (const [label, call] of bad) {
      let thrown: unknown
      try {
        call()
      } catch (err) {
        thrown = err
      }
      expect(thrown, label).toBeInstanceOf(CustodiaError)
      expect((thrown as CustodiaError).code, label).toBe('INTERNAL')
    }
    // 100 bytes exactly is still a ustar name.
    expect(encodeFileHeaders({ name: `files/${'n'.repeat(94)}`, size: 1, mtime: MTIME }, 0)).toHaveLength(TAR_BLOCK)
  })
})
