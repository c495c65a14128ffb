// Tests (Node): hashTarEntries hashes every entry in place in one pass, whatever the sizes and window boundaries;
// openTarEntry streams exactly an entry's bytes.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hashTarEntries, openTarEntry, scanTar } from '../../../../electron/core/exchange/bundle/tarSafe'
import { buildTar, collectBytes, computeSha256Hex, makeTempDir } from './helpers'

const MiB = 1024 * 1024
const RULES = {
  maxEntries: 1000,
  maxTotalBytes: 64 * MiB,
  allowedDirectories: new Set(['files']),
  classifyFile: () => ({ maxBytes: 64 * MiB, label: 'file' }),
}

async function writeAndScan(
  sizes: readonly number[],
): Promise<{ tarPath: string; datas: Buffer[]; entries: Awaited<ReturnType<typeof scanTar>> }> {
  const datas = sizes.map((n) => crypto.randomBytes(n))
  const tarPath = path.join(makeTempDir(), 'a.tar')
  fs.writeFileSync(tarPath, buildTar(datas.map((data, i) => ({ name: `files/f${i}`, data }))))
  return { tarPath, datas, entries: await scanTar(tarPath, RULES) }
}

describe('hashTarEntries', () => {
  it('matches a direct SHA-256 of each entry across window boundaries, empty entries and tiny ones', async () => {
    // 1 MiB windows: an entry ending exactly at a boundary, one spanning three windows, empties in between.
    const sizes = [0, 5, MiB - 512 - 1024, 0, 2 * MiB + 17, 1, 0, 70_000, MiB, 3]
    const { tarPath, datas, entries } = await writeAndScan(sizes)
    let reported = 0
    const hashes = await hashTarEntries(tarPath, entries, (n) => (reported += n))
    expect([...hashes.keys()].sort()).toEqual(entries.map((e) => e.name).sort())
    datas.forEach((d, i) => expect(hashes.get(`files/f${i}`)).toBe(computeSha256Hex(d)))
    expect(reported).toBe(sizes.reduce((a, b) => a + b, 0))
    for (const [i, entry] of entries.entries()) expect((await collectBytes(openTarEntry(tarPath, entry))).equals(datas[i]!)).toBe(true)
  })

  it('hashes only the entries asked for, in any order', async () => {
    const { tarPath, datas, entries } = await writeAndScan([10, 2 * MiB, 0, 300])
    const some = [entries[3]!, entries[1]!]
    const hashes = await hashTarEntries(tarPath, some)
    expect(new Map(hashes)).toEqual(
      new Map([
        ['files/f1', computeSha256Hex(datas[1]!)],
        ['files/f3', computeSha256Hex(datas[3]!)],
      ]),
    )
  })

  it('property: random entry sizes always hash like the bytes that were packed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 2048 }), fc.integer({ min: MiB - 2048, max: MiB + 2048 })), {
          minLength: 1,
          maxLength: 6,
        }),
        async (sizes) => {
          const { tarPath, datas, entries } = await writeAndScan(sizes)
          const hashes = await hashTarEntries(tarPath, entries)
          datas.forEach((d, i) => expect(hashes.get(`files/f${i}`)).toBe(computeSha256Hex(d)))
          fs.rmSync(path.dirname(tarPath), { recursive: true, force: true })
        },
      ),
      { numRuns: 25 },
    )
  })

  it('a tar cut short inside an entry is a VALIDATION error, not a wrong hash', async () => {
    const { tarPath, entries } = await writeAndScan([3 * MiB])
    fs.truncateSync(tarPath, 2 * MiB)
    await expect(hashTarEntries(tarPath, entries)).rejects.toMatchObject({ code: 'VALIDATION', message: /truncated/ })
  })
})
