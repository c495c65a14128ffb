// Tests (Node): writeBundle / openBundle / inspectBundle end to end, interop with `age -d | tar -x`, sha256sum and
// openssl, a bundle made by hand with GNU tar + `age -r`, writer failure paths that must leave no partial file.
import crypto from 'node:crypto'
import { execFileSync, execSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeX25519Recipient, decryptToFile } from '../../../../electron/core/platform/crypto/age/age'
import { inspectBundle, openBundle, writeBundle, type BundleItemInput } from '../../../../electron/core/exchange/bundle/bundleFormat'
import { formatFingerprint, FINGERPRINT_PATTERN } from '../../../../electron/core/exchange/bundle/manifest'
import { CustodiaError } from '../../../../shared/errors'
import { collectBytes, listFiles, makeKeys, makeManifestBytes, makeTempDir, computeSha256Hex, signBytes, DEFAULT_FILES } from './helpers'

let dir: string
const keys = makeKeys()
const sender = { name: 'Mwangi Legal Aid', signingSecretKey: keys.signing.seed, signingPublicKey: keys.signing.publicKey }
const attachment = crypto.randomBytes(3 * 65536 + 321)

beforeAll(() => {
  dir = makeTempDir()
  fs.writeFileSync(path.join(dir, 'attachment.bin'), attachment)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

function makeFreshDir(name: string): string {
  const d = path.join(dir, name)
  fs.mkdirSync(d)
  return d
}

function makeSampleItems(): BundleItemInput[] {
  return [
    {
      kind: 'letter',
      id: 'doc1',
      revision: 3,
      consent: 'partners',
      title: 'Letter to the prison governor',
      record: { body: 'Dear Sir', tags: ['urgent'] },
      readable: { ext: 'txt', bytes: Buffer.from('Dear Sir,\n') },
      files: [
        {
          attachmentId: 'att1',
          filename: 'scan.bin',
          mediaType: 'application/octet-stream',
          size: attachment.length,
          open: () => fs.createReadStream(path.join(dir, 'attachment.bin'), { highWaterMark: 10_000 }),
        },
      ],
    },
    { kind: 'dossier', id: 'dos-2', revision: 0, consent: 'internal', record: { name: 'A. Person' }, files: [] },
  ]
}

async function expectCode(p: Promise<unknown>, code: string, message?: RegExp): Promise<CustodiaError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(CustodiaError)
  expect((err as CustodiaError).code).toBe(code)
  if (message) expect((err as CustodiaError).message).toMatch(message)
  return err as CustodiaError
}

describe('formatFingerprint', () => {
  it('matches values computed independently (python: sha256, first 20 bytes, base32, groups of 4)', () => {
    expect(formatFingerprint(Buffer.alloc(32))).toBe('MZUH VLPY MK6X O3EP YGFY 5H4O EAEJ OFEF')
    expect(formatFingerprint(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe('MMG4 2KLG YQZW NEIS KREL XMS3 J72B FJE4')
    expect(formatFingerprint(keys.signing.publicKey)).toMatch(FINGERPRINT_PATTERN)
  })
})

describe('writeBundle → openBundle', () => {
  it('round-trips items, records, readable copies and attachments with a verified signature', async () => {
    const out = path.join(makeFreshDir('rt'), 'export.custodia')
    const progress: number[] = []
    const written = await writeBundle({
      items: makeSampleItems(),
      sender,
      recipients: { x25519: [keys.recipient], labels: ['Partner NGO'] },
      outPath: out,
      onProgress: (d, t) => {
        expect(d).toBeLessThanOrEqual(t)
        progress.push(d)
      },
    })
    expect(fs.readdirSync(path.dirname(out))).toEqual(['export.custodia'])
    expect(progress.at(-1)).toBeGreaterThanOrEqual(2 * attachment.length)
    expect(written.recipients).toEqual([{ fingerprint: formatFingerprint(decodeX25519Recipient(keys.recipient)), label: 'Partner NGO' }])

    const temp = makeFreshDir('rt-temp')
    const b = await openBundle(out, { identities: [keys.identity], tempDir: temp })
    expect(b.signatureValid).toBe(true)
    expect(Buffer.from(b.signer.publicKey)).toEqual(keys.signing.publicKey)
    expect(b.signer.fingerprint).toMatch(FINGERPRINT_PATTERN)
    expect(b.signer.fingerprint).toBe(formatFingerprint(keys.signing.publicKey))
    expect(b.manifest).toEqual(written)
    expect(b.manifest.items.map((i) => i.id)).toEqual(['doc1', 'dos-2'])
    expect(await b.readRecord('doc1')).toEqual({ body: 'Dear Sir', tags: ['urgent'] })
    expect(await b.readRecord('dos-2')).toEqual({ name: 'A. Person' })
    expect((await b.readFile('files/att1')).equals(attachment)).toBe(true)
    expect((await collectBytes(b.openFile('files/att1'))).equals(attachment)).toBe(true)
    expect((await b.readFile('readable/doc1.txt')).toString('utf8')).toBe('Dear Sir,\n')
    expect(() => b.openFile('../export.custodia')).toThrow(/no such file/)
    await expectCode(b.readFile('manifest.json'), 'NOT_FOUND')
    await expectCode(b.readRecord('nope'), 'NOT_FOUND')
    // Plaintext lives in one place only: the verified tar inside the bundle's own subfolder of the temp folder.
    const left = listFiles(temp)
    expect(left).toHaveLength(1)
    expect(left[0]!.split(path.sep)).toHaveLength(2)
    await b.dispose()
    expect(fs.readdirSync(temp)).toEqual([])
    expect(() => b.openFile('files/att1')).toThrow(/closed/)
    await expectCode(b.readFile('files/att1'), 'NOT_FOUND')

    const info = await inspectBundle(out)
    expect(info).toMatchObject({ protection: 'x25519', x25519Recipients: 1, scryptWorkFactor: null, otherStanzas: [] })
    expect(info.size).toBe(fs.statSync(out).size)
    expect(info.plaintextSize).toBeGreaterThan(attachment.length)
  })

  it('age -d | tar -x gives files whose sha256sum matches the manifest, and openssl verifies the signature', async () => {
    const work = makeFreshDir('cli')
    const out = path.join(work, 'b.age')
    const manifest = await writeBundle({ items: makeSampleItems(), sender, recipients: { x25519: [keys.recipient] }, outPath: out })
    fs.writeFileSync(path.join(work, 'key.txt'), `${keys.identity}\n`)
    fs.mkdirSync(path.join(work, 'x'))
    execSync('age -d -i key.txt b.age | tar -x -C x', { cwd: work })
    const sums = execSync('sha256sum records/* readable/* files/*', { cwd: path.join(work, 'x'), encoding: 'utf8' })
    const byPath = new Map(
      sums
        .trim()
        .split('\n')
        .map((l) => [l.slice(66), l.slice(0, 64)] as const),
    )
    const listed = manifest.items.flatMap((i) => i.files)
    expect(byPath.size).toBe(listed.length)
    for (const f of listed) expect(byPath.get(f.path)).toBe(f.sha256)
    // The recipe from docs/BUNDLE.md: raw Ed25519 key → SPKI PEM → openssl pkeyutl -verify -rawin.
    const key = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(manifest.sender.signingKey, 'base64')])
    fs.writeFileSync(path.join(work, 'x', 'signer.der'), key)
    const verified = execSync(
      'openssl pkey -pubin -inform DER -in signer.der -out signer.pem && ' +
        'openssl pkeyutl -verify -pubin -inkey signer.pem -rawin -in manifest.json -sigfile manifest.sig',
      { cwd: path.join(work, 'x'), encoding: 'utf8' },
    )
    expect(verified).toMatch(/Signature Verified Successfully/)
  })

  it('opens a bundle made by hand with GNU tar and age -r', async () => {
    const work = makeFreshDir('hand')
    const src = path.join(work, 'src')
    for (const d of ['records', 'readable', 'files']) fs.mkdirSync(path.join(src, d), { recursive: true })
    for (const f of DEFAULT_FILES) fs.writeFileSync(path.join(src, f.path), f.data)
    const manifest = makeManifestBytes(DEFAULT_FILES, keys.signing)
    fs.writeFileSync(path.join(src, 'manifest.json'), manifest)
    fs.writeFileSync(path.join(src, 'manifest.sig'), signBytes(manifest, keys.signing.seed))
    for (const format of ['ustar', 'pax', 'gnu']) {
      const out = path.join(work, `hand-${format}.age`)
      execSync(`tar --format=${format} -cf - manifest.json manifest.sig records readable files | age -r ${keys.recipient} > ${out}`, {
        cwd: src,
      })
      const b = await openBundle(out, { identities: [keys.identity], tempDir: makeFreshDir(`hand-temp-${format}`) })
      expect(await b.readRecord('doc1')).toEqual({ body: 'letter' })
      expect((await b.readFile('files/att1')).toString('utf8')).toBe('attachment bytes')
      await b.dispose()
    }
  })

  it('a passphrase bundle decrypts with `age -d` and its files match the manifest', async () => {
    const work = makeFreshDir('cli-pw')
    const out = path.join(work, 'pw.age')
    const passphrase = 'seven long words make a strong passphrase'
    const manifest = await writeBundle({
      items: makeSampleItems(),
      sender,
      recipients: { passphrase: Buffer.from(passphrase) },
      outPath: out,
    })
    // The age CLI reads passphrases only from a terminal: `script` gives it one, fed from our stdin.
    execFileSync('script', ['-qec', 'age -d -o pw.tar pw.age', '/dev/null'], {
      cwd: work,
      input: `${passphrase}\n`,
      stdio: ['pipe', 'ignore', 'inherit'],
    })
    fs.mkdirSync(path.join(work, 'x'))
    execFileSync('tar', ['-xf', 'pw.tar', '-C', 'x'], { cwd: work })
    for (const file of manifest.items.flatMap((i) => i.files)) {
      expect(computeSha256Hex(fs.readFileSync(path.join(work, 'x', file.path))), file.path).toBe(file.sha256)
    }
    expect(JSON.parse(fs.readFileSync(path.join(work, 'x', 'manifest.json'), 'utf8'))).toEqual(manifest)
  })

  it('passphrase bundles: open with the passphrase; wrong passphrase or an identity is WRONG_PASSPHRASE', async () => {
    const out = path.join(makeFreshDir('pw'), 'pw.age')
    const passphrase = Buffer.from('seven long words make a strong passphrase')
    await writeBundle({ items: makeSampleItems(), sender, recipients: { passphrase, scryptWorkFactor: 10 }, outPath: out })
    const info = await inspectBundle(out)
    expect(info).toMatchObject({ protection: 'passphrase', scryptWorkFactor: 10, x25519Recipients: 0 })
    const temp = makeFreshDir('pw-temp')
    const b = await openBundle(out, { passphrase, tempDir: temp })
    expect(b.manifest.recipients).toEqual([])
    await b.dispose()
    await expectCode(openBundle(out, { passphrase: Buffer.from('wrong'), tempDir: temp }), 'WRONG_PASSPHRASE')
    await expectCode(openBundle(out, { identities: [keys.identity], tempDir: temp }), 'WRONG_PASSPHRASE')
    expect(fs.readdirSync(temp)).toEqual([])
  })
})

describe('writeBundle failure paths leave no partial bundle', () => {
  it('cancellation mid-stream is CANCELLED and removes the partial file', async () => {
    const work = makeFreshDir('cancel')
    const ac = new AbortController()
    const err = await expectCode(
      writeBundle({
        items: makeSampleItems(),
        sender,
        recipients: { x25519: [keys.recipient] },
        outPath: path.join(work, 'c.age'),
        signal: ac.signal,
        onProgress: (d) => {
          if (d > attachment.length + 1000) ac.abort()
        },
      }),
      'CANCELLED',
    )
    expect(err.message).not.toMatch(/\//)
    expect(fs.readdirSync(work)).toEqual([])
  })

  it('a wrong declared size, a source that changes between passes, an existing file, bad ids: specific errors', async () => {
    const work = makeFreshDir('fail')
    const out = path.join(work, 'f.age')
    const base = makeSampleItems()
    const withFile = (f: Partial<BundleItemInput['files'][number]>): BundleItemInput[] => [
      { ...(base[0] as BundleItemInput), files: [{ ...(base[0] as BundleItemInput).files[0]!, ...f }] },
    ]
    const common = { sender, recipients: { x25519: [keys.recipient] }, outPath: out }
    await expectCode(writeBundle({ ...common, items: withFile({ size: 5 }) }), 'VALIDATION', /declared size/)
    let calls = 0
    const changing = (): Readable => Readable.from([Buffer.from(calls++ === 0 ? 'first' : 'other')])
    await expectCode(writeBundle({ ...common, items: withFile({ size: 5, open: changing }) }), 'CONFLICT', /changed/)
    const failing = (): AsyncIterable<Uint8Array> => ({
      async *[Symbol.asyncIterator]() {
        yield Buffer.from('abc')
        throw new Error('EIO at /secret/path')
      },
    })
    const ioErr = await expectCode(writeBundle({ ...common, items: withFile({ size: 6, open: failing }) }), 'INTERNAL')
    expect(ioErr.message).not.toMatch(/secret/)
    await expectCode(writeBundle({ ...common, items: [{ ...(base[1] as BundleItemInput), id: '../x' }] }), 'VALIDATION', /id/)
    await expectCode(writeBundle({ ...common, items: [base[1]!, base[1]!] }), 'VALIDATION', /share an id/)
    await expectCode(writeBundle({ ...common, items: [base[1]!], recipients: { x25519: ['age1nope'] } }), 'VALIDATION')
    await expectCode(
      writeBundle({ ...common, items: [base[1]!], sender: { ...sender, signingPublicKey: makeKeys().signing.publicKey } }),
      'VALIDATION',
      /signing public key/,
    )
    expect(fs.readdirSync(work)).toEqual([])
    fs.writeFileSync(out, 'existing')
    await expectCode(writeBundle({ ...common, items: [base[1]!] }), 'CONFLICT', /exists/)
    expect(fs.readFileSync(out, 'utf8')).toBe('existing')
    expect(fs.readdirSync(work)).toEqual(['f.age'])
  })

  it('multi-MiB attachments survive the batched encryption and the pipelined extraction byte for byte', async () => {
    const work = makeFreshDir('large')
    const big = crypto.randomBytes(5 * 1024 * 1024 + 123)
    async function* pieces(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < big.length; i += 300_001) yield big.subarray(i, i + 300_001)
    }
    const item: BundleItemInput = {
      kind: 'document',
      id: 'big',
      revision: 1,
      consent: 'internal',
      record: {},
      files: [{ attachmentId: 'big-1', filename: 'big.bin', mediaType: 'application/octet-stream', size: big.length, open: pieces }],
    }
    const out = path.join(work, 'big.age')
    await writeBundle({ items: [item], sender, recipients: { x25519: [keys.recipient] }, outPath: out })
    const b = await openBundle(out, { identities: [keys.identity], tempDir: makeFreshDir('large-temp') })
    expect((await collectBytes(b.openFile('files/big-1'))).equals(big)).toBe(true)
    await b.dispose()
  })

  it('a caller-supplied sha256 skips the hash pass and is still verified while writing', async () => {
    const work = makeFreshDir('known-hash')
    const item = makeSampleItems()[0] as BundleItemInput
    const file = item.files[0]!
    let opens = 0
    const counted = { ...file, open: () => (opens++, file.open()) }
    const out = path.join(work, 'k.age')
    const good = { ...item, files: [{ ...counted, sha256: computeSha256Hex(attachment) }] }
    const manifest = await writeBundle({ items: [good], sender, recipients: { x25519: [keys.recipient] }, outPath: out })
    expect(opens).toBe(1)
    expect(manifest.items[0]!.files.find((f) => f.role === 'attachment')!.sha256).toBe(computeSha256Hex(attachment))
    const wrong = { ...item, files: [{ ...file, sha256: computeSha256Hex(Buffer.from('other')) }] }
    await expectCode(
      writeBundle({ items: [wrong], sender, recipients: { x25519: [keys.recipient] }, outPath: path.join(work, 'w.age') }),
      'CONFLICT',
      /declared hash/,
    )
    expect(fs.readdirSync(work)).toEqual(['k.age'])
  })

  it('an authenticated source is not hashed again, but its size is still checked', async () => {
    const work = makeFreshDir('authenticated-source')
    const item = makeSampleItems()[0] as BundleItemInput
    const file = item.files[0]!
    const recipients = { x25519: [keys.recipient] }
    // The declared hash is taken as is (the source vouches for it): the manifest carries it and open() checks it.
    const vouched = computeSha256Hex(Buffer.from('what the vault sealed'))
    const trusted = { ...item, files: [{ ...file, sha256: vouched, sourceAuthenticated: true }] }
    const manifest = await writeBundle({ items: [trusted], sender, recipients, outPath: path.join(work, 't.age') })
    expect(manifest.items[0]!.files.find((f) => f.role === 'attachment')!.sha256).toBe(vouched)
    await expectCode(
      openBundle(path.join(work, 't.age'), { identities: [keys.identity], tempDir: makeFreshDir('authenticated-open') }),
      'TAMPERED',
    )
    const short = { ...trusted, files: [{ ...trusted.files[0]!, size: file.size + 1 }] }
    await expectCode(writeBundle({ items: [short], sender, recipients, outPath: path.join(work, 's.age') }), 'CONFLICT', /changed/)
    expect(fs.readdirSync(work)).toEqual(['t.age'])
  })

  it('a 64-byte libsodium-style secret key (seed ‖ public) signs the same way', async () => {
    const out = path.join(makeFreshDir('sk64'), 'b.age')
    const sk64 = Buffer.concat([keys.signing.seed, keys.signing.publicKey])
    await writeBundle({
      items: [makeSampleItems()[1]!],
      sender: { ...sender, signingSecretKey: sk64 },
      recipients: { x25519: [keys.recipient] },
      outPath: out,
    })
    const temp = makeFreshDir('sk64-temp')
    const b = await openBundle(out, { identities: [keys.identity], tempDir: temp })
    expect(b.signatureValid).toBe(true)
    await b.dispose()
  })

  it('the decrypted payload is a plain tar whose first entry is the manifest', async () => {
    const out = path.join(makeFreshDir('order'), 'b.age')
    await writeBundle({ items: makeSampleItems(), sender, recipients: { x25519: [keys.recipient] }, outPath: out })
    const temp = makeFreshDir('order-temp')
    const { path: tarPath } = await decryptToFile(out, { identities: [keys.identity] }, temp)
    const list = execFileSync('tar', ['-tf', tarPath], { encoding: 'utf8' }).trim().split('\n')
    expect(list).toEqual(['manifest.json', 'manifest.sig', 'records/doc1.json', 'readable/doc1.txt', 'files/att1', 'records/dos-2.json'])
    expect(computeSha256Hex(fs.readFileSync(tarPath)).length).toBe(64)
  })
})

describe('golden fixtures (written by v1; every later version must still open them)', () => {
  const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures')
  const golden = JSON.parse(fs.readFileSync(path.join(fixtures, 'golden-v1-keys.json'), 'utf8')) as {
    identity: string
    passphrase: string
    signingPublicKey: string
  }

  it('opens the X25519 and the passphrase fixture with the expected content and signer', async () => {
    const temp = makeFreshDir('golden')
    for (const [file, opts] of [
      ['golden-v1-x25519.age', { identities: [golden.identity] }],
      ['golden-v1-passphrase.age', { passphrase: Buffer.from(golden.passphrase) }],
    ] as const) {
      const b = await openBundle(path.join(fixtures, file), { ...opts, tempDir: temp })
      expect(b.signatureValid).toBe(true)
      expect(Buffer.from(b.signer.publicKey).toString('base64')).toBe(golden.signingPublicKey)
      expect(b.manifest.createdAt).toBe('2026-11-24T00:00:00.000Z')
      expect(b.manifest.items[0]).toMatchObject({
        kind: 'letter',
        id: 'golden-1',
        revision: 2,
        consent: 'partners',
        title: 'Golden letter',
      })
      expect(await b.readRecord('golden-1')).toEqual({ subject: 'Visit request', body: 'Dear Governor,' })
      expect((await b.readFile('files/scan-1')).equals(Buffer.alloc(70000, 0xab))).toBe(true)
      await b.dispose()
    }
    expect(fs.readdirSync(temp)).toEqual([])
  })

  it('the age CLI decrypts the X25519 fixture', () => {
    const keyFile = path.join(dir, 'golden-key.txt')
    fs.writeFileSync(keyFile, `${golden.identity}\n`)
    const tarBytes = execFileSync('age', ['-d', '-i', keyFile, path.join(fixtures, 'golden-v1-x25519.age')])
    expect(tarBytes.subarray(0, 13).toString('latin1')).toBe('manifest.json')
  })
})
