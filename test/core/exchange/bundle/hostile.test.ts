// Tests (Node): hostile bundles that authenticate fine at the age layer but carry a bad tar or manifest: each must fail
// with a specific CustodiaError, write nothing outside tempDir, and leave tempDir empty.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBundle, type BundleLimits } from '../../../../electron/core/exchange/bundle/bundleFormat'
import { CustodiaError } from '../../../../shared/errors'
import {
  buildTar,
  DEFAULT_FILES,
  encryptToFile,
  listFiles,
  makeKeys,
  makeManifestBytes,
  makeTarHeader,
  makeTempDir,
  makeValidEntries,
  signBytes,
  type HandFile,
  type RawTarEntry,
} from './helpers'

let dir: string
let bundleDir: string
let tempDir: string
const keys = makeKeys()

beforeAll(() => {
  dir = makeTempDir()
  bundleDir = path.join(dir, 'bundles')
  tempDir = path.join(dir, 'temp')
  fs.mkdirSync(bundleDir)
  fs.mkdirSync(tempDir)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

let n = 0
async function openTar(tar: Uint8Array, limits?: Partial<BundleLimits>, allowInvalidSignature = false) {
  const file = path.join(bundleDir, `b${n++}.age`)
  await encryptToFile(tar, keys.recipient, file)
  return openBundle(file, { identities: [keys.identity], tempDir, ...(limits ? { limits } : {}), allowInvalidSignature })
}

async function expectRejected(tar: Uint8Array, code: string, message: RegExp, limits?: Partial<BundleLimits>): Promise<void> {
  const before = new Set(fs.readdirSync(dir))
  const err = await openTar(tar, limits).then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(CustodiaError)
  expect((err as CustodiaError).code).toBe(code)
  expect((err as CustodiaError).message).toMatch(message)
  expect(listFiles(tempDir)).toEqual([])
  expect(fs.readdirSync(tempDir)).toEqual([])
  expect(new Set(fs.readdirSync(dir))).toEqual(before)
  expect(fs.readdirSync(bundleDir).every((f) => /^b\d+\.age$/.test(f))).toBe(true)
}

function buildValidTarWith(extra: RawTarEntry[]): Buffer {
  return buildTar([...makeValidEntries(keys), ...extra])
}

describe('baseline', () => {
  it('the hand-built valid tar opens', async () => {
    const b = await openTar(buildTar(makeValidEntries(keys)))
    expect(await b.readRecord('doc1')).toEqual({ body: 'letter' })
    await b.dispose()
    expect(fs.readdirSync(tempDir)).toEqual([])
  })
})

describe('hostile tar structure', () => {
  it('path traversal variants: "path escapes the bundle"', async () => {
    for (const name of ['../evil', 'files/../../evil', '/etc/evil', 'C:/evil', 'c:evil', 'files\\..\\evil', '..']) {
      await expectRejected(buildValidTarWith([{ name, data: Buffer.from('x') }]), 'VALIDATION', /path escapes the bundle/)
    }
    // via the ustar prefix field and via a pax path record
    await expectRejected(buildValidTarWith([{ name: 'evil', prefix: '..', data: Buffer.from('x') }]), 'VALIDATION', /path escapes/)
    const pax = encodePaxRecord('path', '../../pax-evil')
    await expectRejected(
      buildValidTarWith([
        { name: 'PaxHeader', type: 'x', data: pax },
        { name: 'files/ok', data: Buffer.from('x') },
      ]),
      'VALIDATION',
      /path escapes/,
    )
    expect(fs.existsSync(path.join(dir, 'evil'))).toBe(false)
    expect(fs.existsSync(path.join(dir, 'pax-evil'))).toBe(false)
  })

  it('links, devices and fifos are refused by type', async () => {
    const cases: [RawTarEntry, RegExp][] = [
      [{ name: 'files/link', type: '2', linkname: '/etc/passwd' }, /bundle contains a symlink/],
      [{ name: 'files/hard', type: '1', linkname: 'manifest.json' }, /bundle contains a hard link/],
      [{ name: 'files/chr', type: '3' }, /bundle contains a device file/],
      [{ name: 'files/blk', type: '4' }, /bundle contains a device file/],
      [{ name: 'files/fifo', type: '6' }, /bundle contains a fifo/],
      [{ name: 'files/sparse', type: 'S' }, /unsupported tar entry type/],
      [{ name: 'files/longname', type: 'L', data: Buffer.from('x') }, /unsupported tar entry type/],
    ]
    for (const [entry, message] of cases) await expectRejected(buildValidTarWith([entry]), 'VALIDATION', message)
  })

  it('duplicate names (also differing only in case) and names outside the layout', async () => {
    await expectRejected(buildValidTarWith([{ name: 'files/att1', data: Buffer.from('again') }]), 'VALIDATION', /duplicate/)
    await expectRejected(buildValidTarWith([{ name: 'files/ATT1', data: Buffer.from('again') }]), 'VALIDATION', /duplicate/)
    await expectRejected(buildValidTarWith([{ name: 'manifest.json', data: Buffer.from('{}') }]), 'VALIDATION', /duplicate/)
    for (const name of ['notes.txt', 'files/a/b', 'records/x.txt', 'readable/x.docx', 'files/.hidden', 'files//x', './files/x']) {
      await expectRejected(buildValidTarWith([{ name, data: Buffer.from('x') }]), 'VALIDATION', /not allowed in a bundle/)
    }
    await expectRejected(buildValidTarWith([{ name: 'secret/', type: '5' }]), 'VALIDATION', /not allowed in a bundle/)
  })

  it('tar bombs: a huge declared size, a total over the cap, more entries than allowed', async () => {
    await expectRejected(
      buildValidTarWith([{ name: 'files/huge', size: 0o77777777777 }]),
      'VALIDATION',
      /attachment exceeds its size limit/,
      { maxFileBytes: 1024 ** 3 },
    )
    await expectRejected(buildValidTarWith([{ name: 'files/huge', size: 0o77777777777 }]), 'VALIDATION', /truncated/)
    await expectRejected(buildValidTarWith([{ name: 'files/big', data: Buffer.alloc(5000) }]), 'VALIDATION', /total size limit/, {
      maxTotalBytes: 4096,
    })
    await expectRejected(
      buildValidTarWith([{ name: 'records/big.json', data: Buffer.alloc(3000) }]),
      'VALIDATION',
      /record exceeds its size limit/,
      { maxRecordBytes: 2048 },
    )
  })

  it('200,000 tiny entries stop at the 100,000-entry default', async () => {
    // Header-only entries built from one template: 200,000 × 512 bytes ≈ 100 MiB, generated in well under a second.
    const template = makeTarHeader({ name: 'files/a000000', size: 0 })
    const count = 200_000
    const tar = Buffer.alloc((count + 2) * 512)
    for (let i = 0; i < count; i++) {
      const h = tar.subarray(i * 512, (i + 1) * 512)
      template.copy(h)
      h.write(i.toString(36).padStart(6, '0'), 7, 'latin1')
      h.fill(0x20, 148, 156)
      let sum = 0
      for (let j = 0; j < 512; j++) sum += h[j] as number
      h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
    }
    const started = Date.now()
    await expectRejected(tar, 'VALIDATION', /more than 100000 entries/)
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('bad checksums, non-ustar headers, truncation and data after the end marker', async () => {
    const good = buildTar(makeValidEntries(keys))
    const badSum = Buffer.from(good)
    badSum[0] = 0x4e // 'm' → 'N' in the first name
    await expectRejected(badSum, 'VALIDATION', /checksum/)
    const v7 = Buffer.from(good)
    v7.fill(0, 257, 265)
    await expectRejected(fixChecksum(v7), 'VALIDATION', /not a ustar/)
    await expectRejected(good.subarray(0, good.length - 1024 - 512), 'VALIDATION', /truncated/)
    const trailing = Buffer.concat([good, Buffer.from('junk')])
    await expectRejected(Buffer.concat([trailing, Buffer.alloc(508)]), 'VALIDATION', /after the end/)
  })
})

describe('manifest and signature', () => {
  it('manifest not matching files: missing, extra, wrong size, wrong hash', async () => {
    const entries = makeValidEntries(keys)
    await expectRejected(
      buildTar(entries.filter((e) => e.name !== 'files/att1')),
      'VALIDATION',
      /does not match files: missing files\/att1/,
    )
    await expectRejected(buildValidTarWith([{ name: 'files/att2', data: Buffer.from('x') }]), 'VALIDATION', /unlisted file files\/att2/)
    const resized = entries.map((e) => (e.name === 'files/att1' ? { ...e, data: Buffer.from('attachment bytes!') } : e))
    await expectRejected(buildTar(resized), 'VALIDATION', /size of files\/att1 differs/)
    const rehashed = entries.map((e) => (e.name === 'files/att1' ? { ...e, data: Buffer.from('ATTACHMENT BYTES') } : e))
    await expectRejected(buildTar(rehashed), 'TAMPERED', /hash of files\/att1 differs/)
  })

  it('bad signature is TAMPERED, missing is VALIDATION; allowInvalidSignature reports it instead', async () => {
    const entries = makeValidEntries(keys)
    const other = makeKeys()
    const forged = entries.map((e) =>
      e.name === 'manifest.sig' ? { ...e, data: signBytes(entries[0]!.data as Buffer, other.signing.seed) } : e,
    )
    await expectRejected(buildTar(forged), 'TAMPERED', /signature does not verify/)
    const short = entries.map((e) => (e.name === 'manifest.sig' ? { ...e, data: Buffer.alloc(10) } : e))
    await expectRejected(buildTar(short), 'TAMPERED', /signature does not verify/)
    const unsigned = entries.filter((e) => e.name !== 'manifest.sig')
    await expectRejected(buildTar(unsigned), 'VALIDATION', /no manifest signature/)
    const b = await openTar(buildTar(forged), undefined, true)
    expect(b.signatureValid).toBe(false)
    await b.dispose()
  })

  it('unknown version is UNSUPPORTED; schema violations, oversized or missing manifest are VALIDATION', async () => {
    const files: HandFile[] = DEFAULT_FILES
    const withManifest = (m: Buffer): Buffer =>
      buildTar([
        { name: 'manifest.json', data: m },
        { name: 'manifest.sig', data: signBytes(m, keys.signing.seed) },
        ...files.map((f) => ({ name: f.path, data: f.data })),
      ])
    await expectRejected(withManifest(makeManifestBytes(files, keys.signing, (m) => (m.version = 2))), 'UNSUPPORTED', /version/)
    await expectRejected(withManifest(makeManifestBytes(files, keys.signing, (m) => (m.extra = 1))), 'VALIDATION', /schema/)
    await expectRejected(
      withManifest(makeManifestBytes(files, keys.signing, (m) => (m.format = 'other'))),
      'VALIDATION',
      /not a Custodia bundle/,
    )
    await expectRejected(
      withManifest(
        makeManifestBytes(
          files,
          keys.signing,
          (m) => ((m.sender as { fingerprint: string }).fingerprint = 'AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA'),
        ),
      ),
      'VALIDATION',
      /fingerprint/,
    )
    await expectRejected(withManifest(Buffer.from('{not json')), 'VALIDATION', /not valid JSON/)
    const huge = Buffer.alloc(4 * 1024 * 1024 + 1, 0x20)
    await expectRejected(withManifest(huge), 'VALIDATION', /manifest exceeds its size limit/)
    await expectRejected(buildTar(files.map((f) => ({ name: f.path, data: f.data }))), 'VALIDATION', /no manifest/)
    const misplaced = makeManifestBytes(files, keys.signing, (m) => {
      const item = (m.items as { files: { path: string }[] }[])[0]!
      item.files[0]!.path = 'records/other.json'
    })
    await expectRejected(withManifest(misplaced), 'VALIDATION', /role does not allow/)
  })
})

function encodePaxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`
  let len = body.length + 1
  while (`${len}${body}`.length !== len) len++
  return Buffer.from(`${len}${body}`, 'utf8')
}

function fixChecksum(tar: Buffer): Buffer {
  const h = tar.subarray(0, 512)
  h.fill(0x20, 148, 156)
  let sum = 0
  for (const b of h) sum += b
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
  return tar
}
