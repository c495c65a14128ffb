// Tests (Node): our age v1 implementation — known answers, interop with the age CLI and the age-encryption package
// in both directions, and hostile files (truncation, flips, trailing bytes, malformed headers) with no leftovers.
import crypto from 'node:crypto'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Decrypter, Encrypter } from 'age-encryption'
import {
  AGE_CHUNK_SIZE,
  computeX25519,
  decodeX25519Identity,
  decodeX25519Recipient,
  decryptToFile,
  deriveX25519PublicKey,
  encodeX25519Identity,
  encodeX25519Recipient,
  encryptChunks,
  encryptStream,
  generateX25519Identity,
  lendPlaintextBuffer,
  inspectAgeFile,
  parseAgeHeader,
  parseIdentityFile,
  type AgeKeys,
  type AgeRecipients,
} from '../../../../electron/core/platform/crypto/age/age'
import { decodeBech32, decodeBech32Words, encodeBech32Words } from '../../../../electron/core/platform/crypto/age/bech32'
import { CustodiaError } from '../../../../shared/errors'
import { listFiles, makeTempDir } from './helpers'

const SEALED = AGE_CHUNK_SIZE + 16

let dir: string
let scratch: string
const identity = generateX25519Identity()
const keys: AgeKeys = { identities: [encodeX25519Identity(identity.secretKey)] }

beforeAll(() => {
  dir = makeTempDir()
  scratch = path.join(dir, 'scratch')
  fs.mkdirSync(scratch)
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

async function encryptBytes(recipients: AgeRecipients, plaintext: Uint8Array): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const p of encryptChunks(recipients, [plaintext])) parts.push(p)
  return Buffer.concat(parts)
}

let counter = 0
function writeInput(bytes: Uint8Array): string {
  const p = path.join(dir, `in-${counter++}.age`)
  fs.writeFileSync(p, bytes)
  return p
}

async function decryptBytes(file: Uint8Array, k: AgeKeys = keys): Promise<Buffer> {
  const { path: out } = await decryptToFile(writeInput(file), k, scratch)
  const data = fs.readFileSync(out)
  fs.rmSync(out)
  return data
}

/** Decrypting must fail with a CustodiaError of `code` (and message matching), leaving the temp dir empty. */
async function expectFailure(file: Uint8Array, code: string, message?: RegExp, k: AgeKeys = keys): Promise<void> {
  const err = await decryptToFile(writeInput(file), k, scratch).then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(CustodiaError)
  expect((err as CustodiaError).code).toBe(code)
  if (message) expect((err as CustodiaError).message).toMatch(message)
  expect(fs.readdirSync(scratch)).toEqual([])
}

function measureHeaderLength(file: Buffer): number {
  return parseAgeHeader(file, true).length
}

describe('bech32 (BIP-173 vectors)', () => {
  it('accepts every valid BIP-173 string and re-encodes it', () => {
    const valid = [
      'A12UEL5L',
      'a12uel5l',
      'an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs',
      'abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw',
      `11${'q'.repeat(82)}c8247j`,
      'split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w',
      '?1ezyfcl',
    ]
    for (const v of valid) {
      const { hrp, words } = decodeBech32Words(v)
      expect(encodeBech32Words(hrp, words)).toBe(v.toLowerCase())
    }
    expect(decodeBech32Words('abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw').words).toEqual(Array.from({ length: 32 }, (_, i) => i))
  })

  it('rejects every invalid BIP-173 string', () => {
    const invalid = [
      '\x201nwldj5',
      '\x7f1axkwrx',
      '\x801eym55h',
      'pzry9x0s0muk',
      '1pzry9x0s0muk',
      'x1b4n0q5v',
      'li1dgmt3',
      'de1lg7wt\xff',
      'A1G7SGD8',
      '10a06t8',
      '1qzzfhee',
      'a12UEL5L',
    ]
    for (const v of invalid) expect(() => decodeBech32Words(v), v).toThrow(CustodiaError)
  })

  it('rejects non-zero padding bits when converting to bytes', () => {
    // 'a' + one 5-bit word 'l' (31): 5 bits of padding that are not zero.
    const text = encodeBech32Words('a', [31])
    expect(() => decodeBech32(text)).toThrow(/padding/)
  })
})

describe('X25519 and keys', () => {
  it('matches the RFC 7748 §6.1 Diffie-Hellman vector', () => {
    const alice = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex')
    const bob = Buffer.from('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb', 'hex')
    expect(deriveX25519PublicKey(alice).toString('hex')).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')
    expect(deriveX25519PublicKey(bob).toString('hex')).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')
    const k1 = computeX25519(alice, deriveX25519PublicKey(bob))
    const k2 = computeX25519(bob, deriveX25519PublicKey(alice))
    expect(k1?.toString('hex')).toBe(RFC7748_SHARED)
    expect(k2?.toString('hex')).toBe(RFC7748_SHARED)
  })

  it('refuses a low-order public key (all-zero shared secret)', () => {
    expect(computeX25519(identity.secretKey, Buffer.alloc(32))).toBeNull()
  })

  it('agrees with age-keygen on identity → recipient', () => {
    const keyFile = path.join(dir, 'keygen.txt')
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' })
    const [secret] = parseIdentityFile(fs.readFileSync(keyFile, 'utf8'))
    const cli = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim()
    expect(encodeX25519Recipient(deriveX25519PublicKey(secret as Buffer))).toBe(cli)
    // and the CLI accepts our encoding of a fresh identity
    const ours = path.join(dir, 'ours.txt')
    fs.writeFileSync(ours, `${encodeX25519Identity(identity.secretKey)}\n`)
    expect(execFileSync('age-keygen', ['-y', ours], { encoding: 'utf8' }).trim()).toBe(identity.recipient)
  })

  it('round-trips and rejects wrong kinds of key text', () => {
    expect(decodeX25519Identity(encodeX25519Identity(identity.secretKey))).toEqual(identity.secretKey)
    expect(decodeX25519Recipient(identity.recipient)).toEqual(identity.publicKey)
    expect(() => decodeX25519Recipient(encodeX25519Identity(identity.secretKey))).toThrow(/recipient/)
    expect(() => decodeX25519Identity(identity.recipient)).toThrow(/identity/)
    // Change the last character (to one it is not): bech32's checksum catches every single-character error.
    const last = identity.recipient.slice(-1)
    expect(() => decodeX25519Recipient(`${identity.recipient.slice(0, -1)}${last === 'q' ? 'p' : 'q'}`)).toThrow(CustodiaError)
  })
})

// RFC 7748 §6.1 shared secret K.
const RFC7748_SHARED = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'

const SIZES = [0, 1, AGE_CHUNK_SIZE - 1, AGE_CHUNK_SIZE, AGE_CHUNK_SIZE + 1, 3 * AGE_CHUNK_SIZE + 7]

describe('interop with the age CLI (1.1.1)', () => {
  let keyFile: string
  beforeAll(() => {
    keyFile = path.join(dir, 'cli-key.txt')
    fs.writeFileSync(keyFile, `# test\n${encodeX25519Identity(identity.secretKey)}\n`)
  })

  it('age -d decrypts what we encrypt, at every chunk-boundary size', async () => {
    for (const size of SIZES) {
      const plain = crypto.randomBytes(size)
      const other = generateX25519Identity()
      const file = await encryptBytes({ x25519: [other.recipient, identity.recipient] }, plain)
      const out = execFileSync('age', ['-d', '-i', keyFile], { input: file, maxBuffer: 1 << 24 })
      expect(Buffer.compare(out, plain), `size ${size}`).toBe(0)
    }
  })

  it('we decrypt what age -r encrypts, at every chunk-boundary size', async () => {
    for (const size of SIZES) {
      const plain = crypto.randomBytes(size)
      const file = execFileSync('age', ['-r', identity.recipient], { input: plain, maxBuffer: 1 << 24 })
      expect(Buffer.compare(await decryptBytes(file), plain), `size ${size}`).toBe(0)
    }
  })

  it('we decrypt what age -e -i encrypts (identity file as recipient)', async () => {
    const plain = crypto.randomBytes(1000)
    const file = execFileSync('age', ['-e', '-i', keyFile], { input: plain })
    expect(Buffer.compare(await decryptBytes(file), plain)).toBe(0)
  })
})

describe('interop with the age-encryption package', () => {
  it('X25519 both ways', async () => {
    const plain = crypto.randomBytes(2 * AGE_CHUNK_SIZE + 5)
    const d = new Decrypter()
    d.addIdentity(encodeX25519Identity(identity.secretKey))
    expect(Buffer.compare(Buffer.from(await d.decrypt(await encryptBytes({ x25519: [identity.recipient] }, plain))), plain)).toBe(0)
    const e = new Encrypter()
    e.addRecipient(identity.recipient)
    expect(Buffer.compare(await decryptBytes(await e.encrypt(plain)), plain)).toBe(0)
  })

  it('scrypt passphrase both ways, and a wrong passphrase is WRONG_PASSPHRASE', async () => {
    const pass = 'correct horse battery staple ünïcode'
    const plain = crypto.randomBytes(AGE_CHUNK_SIZE + 3)
    const ours = await encryptBytes({ passphrase: Buffer.from(pass, 'utf8'), scryptWorkFactor: 10 }, plain)
    const d = new Decrypter()
    d.addPassphrase(pass)
    expect(Buffer.compare(Buffer.from(await d.decrypt(ours)), plain)).toBe(0)
    const e = new Encrypter()
    e.setScryptWorkFactor(10)
    e.setPassphrase(pass)
    const theirs = await e.encrypt(plain)
    expect(Buffer.compare(await decryptBytes(theirs, { passphrase: Buffer.from(pass, 'utf8') }), plain)).toBe(0)
    await expectFailure(theirs, 'WRONG_PASSPHRASE', /wrong passphrase/, { passphrase: Buffer.from('nope') })
    await expectFailure(theirs, 'WRONG_PASSPHRASE', /passphrase/, keys)
    const info = await inspectAgeFile(writeInput(theirs))
    expect(info.scrypt).toEqual({ workFactor: 10 })
    expect(info.plaintextSize).toBe(plain.length)
  })
})

describe('streaming API', () => {
  it('encryptStream over a Readable of odd-sized pieces equals the input after decryption', async () => {
    const plain = crypto.randomBytes(5 * AGE_CHUNK_SIZE + 123)
    async function* pieces(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < plain.length; i += 7777) yield plain.subarray(i, i + 7777)
    }
    const parts: Buffer[] = []
    for await (const p of encryptStream({ x25519: [identity.recipient] }, pieces())) parts.push(p as Buffer)
    const file = Buffer.concat(parts)
    const headerLen = measureHeaderLength(file)
    expect(file.length).toBe(headerLen + 16 + 6 * 16 + plain.length)
    expect(Buffer.compare(await decryptBytes(file), plain)).toBe(0)
  })

  it('a wrong identity is WRONG_PASSPHRASE and leaves nothing behind', async () => {
    const file = await encryptBytes({ x25519: [generateX25519Identity().recipient] }, Buffer.from('secret'))
    await expectFailure(file, 'WRONG_PASSPHRASE', /no identity/)
  })
})

describe('hostile age files', () => {
  let twoChunks: Buffer // plaintext exactly 2 × 64 KiB: the last chunk is full
  let multi: Buffer // 3 × 64 KiB + 100
  beforeAll(async () => {
    twoChunks = await encryptBytes({ x25519: [identity.recipient] }, crypto.randomBytes(2 * AGE_CHUNK_SIZE))
    multi = await encryptBytes({ x25519: [identity.recipient] }, crypto.randomBytes(3 * AGE_CHUNK_SIZE + 100))
  })

  it('truncation anywhere fails as TAMPERED, including exactly at a chunk boundary and inside the header', async () => {
    const h = measureHeaderLength(multi)
    const offsets = [0, 5, 21, 22, 40, h - 2, h - 1, h, h + 8, h + 16, h + 17, h + 16 + 100, h + 16 + SEALED - 1]
    offsets.push(h + 16 + SEALED, h + 16 + 2 * SEALED, h + 16 + 3 * SEALED, h + 16 + 3 * SEALED + 50, multi.length - 1)
    for (const n of offsets) await expectFailure(multi.subarray(0, n), 'TAMPERED')
    const h2 = measureHeaderLength(twoChunks)
    await expectFailure(twoChunks.subarray(0, h2 + 16 + SEALED), 'TAMPERED', /truncated at a chunk boundary/)
  })

  it('trailing bytes after the final chunk are TAMPERED', async () => {
    await expectFailure(Buffer.concat([twoChunks, Buffer.from([0])]), 'TAMPERED', /after its final chunk/)
    await expectFailure(Buffer.concat([multi, Buffer.alloc(16)]), 'TAMPERED')
    await expectFailure(Buffer.concat([multi, multi.subarray(multi.length - 116)]), 'TAMPERED')
  })

  it('every single-bit flip in the header fails with a CustodiaError', async () => {
    const h = measureHeaderLength(multi)
    for (let i = 0; i < h; i++) {
      const copy = Buffer.from(multi.subarray(0, h + 16 + 200))
      copy[i] = (copy[i] as number) ^ (1 << (i % 8))
      const err = await decryptToFile(writeInput(copy), keys, scratch).then(
        () => null,
        (e: unknown) => e,
      )
      expect(err, `byte ${i}`).toBeInstanceOf(CustodiaError)
      expect(['VALIDATION', 'UNSUPPORTED', 'TAMPERED', 'WRONG_PASSPHRASE']).toContain((err as CustodiaError).code)
    }
    expect(fs.readdirSync(scratch)).toEqual([])
  })

  it('a changed header MAC is TAMPERED; payload flips are TAMPERED', async () => {
    const text = multi.toString('latin1')
    const macAt = text.indexOf('\n--- ') + 5
    const mac = Buffer.from(text.slice(macAt, macAt + 43), 'base64')
    mac[7] = (mac[7] as number) ^ 0x10
    const changed = Buffer.from(multi)
    changed.write(mac.toString('base64').replace(/=+$/, ''), macAt, 'latin1')
    await expectFailure(changed, 'TAMPERED', /header MAC mismatch/)
    const h = measureHeaderLength(multi)
    for (const at of [h, h + 15, h + 16, h + 16 + SEALED - 1, h + 16 + 2 * SEALED + 5, multi.length - 1]) {
      const flipped = Buffer.from(multi)
      flipped[at] = (flipped[at] as number) ^ 0x01
      await expectFailure(flipped, 'TAMPERED', /failed authentication|after its final chunk/)
    }
  })

  it('rejects unknown versions, mixed scrypt stanzas, huge work factors, long lines and oversized headers', async () => {
    const file = await encryptBytes({ x25519: [identity.recipient] }, Buffer.from('x'))
    const text = file.toString('latin1')
    const withHeader = (edit: (t: string) => string): Buffer => Buffer.from(edit(text), 'latin1')
    await expectFailure(
      withHeader((t) => t.replace('org/v1\n', 'org/v2\n')),
      'UNSUPPORTED',
      /version/,
    )
    await expectFailure(
      withHeader((t) => `XX${t}`),
      'VALIDATION',
      /not an age/,
    )
    const salt = crypto.randomBytes(16).toString('base64').replace(/=+$/, '')
    const body = crypto.randomBytes(32).toString('base64').replace(/=+$/, '')
    await expectFailure(
      withHeader((t) => t.replace('\n---', `\n-> scrypt ${salt} 10\n${body}\n---`)),
      'VALIDATION',
      /scrypt stanza must be the only/,
    )
    const pw = await encryptBytes({ passphrase: Buffer.from('pw'), scryptWorkFactor: 10 }, Buffer.from('x'))
    const pwText = pw.toString('latin1')
    await expectFailure(Buffer.from(pwText.replace(/ 10\n/, ' 23\n'), 'latin1'), 'UNSUPPORTED', /work factor/, {
      passphrase: Buffer.from('pw'),
    })
    await expectFailure(Buffer.from(pwText.replace(/ 10\n/, ' 010\n'), 'latin1'), 'VALIDATION', /work factor/)
    await expectFailure(
      withHeader((t) => t.replace('\n---', `\n-> ${'a'.repeat(5000)}\n\n---`)),
      'VALIDATION',
      /too long/,
    )
    await expectFailure(
      withHeader((t) => t.replace('\n---', `\n${'-> pad\n\n'.repeat(9000)}---`)),
      'VALIDATION',
      /64 KiB/,
    )
    await expectFailure(
      withHeader((t) => t.replace('\n---', '\n-> x  y\n\n---')),
      'VALIDATION',
      /empty stanza argument/,
    )
    await expectFailure(
      withHeader((t) => t.replace('\n---', '\n-> x\nAAA=\n---')),
      'VALIDATION',
      /base64/,
    )
    await expectFailure(
      withHeader((t) => t.replace('\n---', '\n-> X25519 AAAA\n\n---')),
      'VALIDATION',
      /X25519/,
    )
    await expectFailure(
      withHeader((t) => t.replace(/-> X25519 [^\n]*\n[^\n]*\n/, '')),
      'VALIDATION',
      /no recipient/,
    )
    // An unknown stanza type is allowed by the spec, but the header MAC now fails.
    await expectFailure(
      withHeader((t) => t.replace('\n---', '\n-> plugin-x abc\n\n---')),
      'TAMPERED',
      /MAC/,
    )
  })

  it('rejects an empty final chunk after data (crafted by hand with a known file key)', async () => {
    // Build an age file independently of our encryptor: X25519 stanza + payload [full chunk, empty last chunk].
    const fileKey = crypto.randomBytes(16)
    const eph = crypto.randomBytes(32)
    const share = deriveX25519PublicKey(eph)
    const shared = computeX25519(eph, identity.publicKey) as Buffer
    const hk = (ikm: Uint8Array, salt: Uint8Array, info: string): Buffer => Buffer.from(crypto.hkdfSync('sha256', ikm, salt, info, 32))
    const seal = (key: Uint8Array, nonce: Uint8Array, data: Uint8Array): Buffer => {
      const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
      return Buffer.concat([c.update(data), c.final(), c.getAuthTag()])
    }
    const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64').replace(/=+$/, '')
    const wrap = seal(hk(shared, Buffer.concat([share, identity.publicKey]), 'age-encryption.org/v1/X25519'), Buffer.alloc(12), fileKey)
    const headerText = `age-encryption.org/v1\n-> X25519 ${b64(share)}\n${b64(wrap)}\n---`
    const mac = crypto
      .createHmac('sha256', hk(fileKey, Buffer.alloc(0), 'header'))
      .update(headerText)
      .digest()
    const nonce = crypto.randomBytes(16)
    const pk = hk(fileKey, nonce, 'payload')
    const n = (counter: number, last: boolean): Buffer => {
      const b = Buffer.alloc(12)
      b[10] = counter
      b[11] = last ? 1 : 0
      return b
    }
    const head = Buffer.from(`${headerText} ${b64(mac)}\n`, 'latin1')
    const plain = crypto.randomBytes(AGE_CHUNK_SIZE)
    const good = Buffer.concat([head, nonce, seal(pk, n(0, true), plain)])
    expect(Buffer.compare(await decryptBytes(good), plain)).toBe(0) // our hand-made file is valid age
    expect(execFileSync('age', ['-d', '-i', path.join(dir, 'cli-key.txt')], { input: good }).length).toBe(plain.length)
    const bad = Buffer.concat([head, nonce, seal(pk, n(0, false), plain), seal(pk, n(1, true), Buffer.alloc(0))])
    await expectFailure(bad, 'TAMPERED', /empty chunk/)
  })

  it('damage in a later ~1 MiB batch (parallel workers) is still found, with the first failure reported', async () => {
    const plain = crypto.randomBytes(40 * AGE_CHUNK_SIZE) // 40 full chunks: three worker batches, last chunk full
    const file = await encryptBytes({ x25519: [identity.recipient] }, plain)
    expect(Buffer.compare(await decryptBytes(file), plain)).toBe(0)
    const start = measureHeaderLength(file) + 16
    await expectFailure(file.subarray(0, start + 17 * SEALED), 'TAMPERED', /truncated at a chunk boundary/)
    await expectFailure(file.subarray(0, start + 32 * SEALED), 'TAMPERED', /truncated at a chunk boundary/)
    await expectFailure(Buffer.concat([file, Buffer.alloc(1)]), 'TAMPERED', /after its final chunk/)
    const flipped = Buffer.from(file)
    flipped[start + 20 * SEALED + 9] = (flipped[start + 20 * SEALED + 9] as number) ^ 0x80
    flipped[start + 35 * SEALED + 9] = (flipped[start + 35 * SEALED + 9] as number) ^ 0x80
    await expectFailure(flipped, 'TAMPERED', /failed authentication/)
    // swapping two chunks breaks the counter binding
    const swapped = Buffer.from(file)
    file.copy(swapped, start + 18 * SEALED, start + 19 * SEALED, start + 20 * SEALED)
    file.copy(swapped, start + 19 * SEALED, start + 18 * SEALED, start + 19 * SEALED)
    await expectFailure(swapped, 'TAMPERED', /failed authentication/)
  })

  it('cancellation removes the partial plaintext', async () => {
    const ac = new AbortController()
    ac.abort()
    const err = await decryptToFile(writeInput(multi), keys, scratch, { signal: ac.signal }).catch((e: unknown) => e)
    expect((err as CustodiaError).code).toBe('CANCELLED')
    expect(listFiles(scratch)).toEqual([])
  })
})

describe('lent plaintext buffers', () => {
  it('go back to the pool wiped once encryptChunks has copied them and are reused; the output still decrypts', async () => {
    const plaintext = crypto.randomBytes(3 * AGE_CHUNK_SIZE + 99)
    const lent = [lendPlaintextBuffer(), lendPlaintextBuffer()]
    plaintext.copy(lent[0] as Buffer, 0, 0, 2 * AGE_CHUNK_SIZE)
    plaintext.copy(lent[1] as Buffer, 0, 2 * AGE_CHUNK_SIZE)
    const pieces = [
      (lent[0] as Buffer).subarray(0, 2 * AGE_CHUNK_SIZE),
      (lent[1] as Buffer).subarray(0, plaintext.length - 2 * AGE_CHUNK_SIZE),
    ]
    const parts: Buffer[] = []
    for await (const p of encryptChunks({ x25519: [identity.recipient] }, pieces)) parts.push(p)
    expect((await decryptBytes(Buffer.concat(parts))).equals(plaintext)).toBe(true)
    // Each came back to the pool: wiped, and (as the pool hands out its most recent buffer first) reused for a later
    // batch, which moved it to a worker (detached here). None still holds plaintext.
    for (const buf of lent) expect(buf.buffer.byteLength === 0 || buf.every((b) => b === 0)).toBe(true)
    expect(lent.some((buf) => buf.buffer.byteLength === 0)).toBe(true)
  })
})

describe('a bundle that changes while it is decrypted', () => {
  // Workers read the batches themselves, several ahead: a file cut or grown under them must fail, and leave nothing.
  it('shrinking after the first batch fails TAMPERED ("changed while it was being read") and leaves no file', async () => {
    const input = writeInput(await encryptBytes({ x25519: [identity.recipient] }, crypto.randomBytes(12 * 1024 * 1024)))
    const out = fs.mkdtempSync(path.join(dir, 'shrink-'))
    let cut = false
    const attempt = decryptToFile(input, keys, out, {
      onProgress: (done, total) => {
        if (cut) return
        cut = true
        fs.truncateSync(input, Math.floor(total / 2))
        expect(done).toBeLessThan(total / 2)
      },
    })
    await expect(attempt).rejects.toThrow(
      expect.objectContaining({ code: 'TAMPERED', message: expect.stringMatching(/changed while it was being read|truncated/) }),
    )
    expect(listFiles(out)).toEqual([])
  })

  it('growing while decrypted fails TAMPERED: the appended bytes were never authenticated', async () => {
    const input = writeInput(await encryptBytes({ x25519: [identity.recipient] }, crypto.randomBytes(3 * 1024 * 1024)))
    const out = fs.mkdtempSync(path.join(dir, 'grow-'))
    let grown = false
    const attempt = decryptToFile(input, keys, out, {
      onProgress: () => {
        if (grown) return
        grown = true
        fs.appendFileSync(input, crypto.randomBytes(SEALED))
      },
    })
    await expect(attempt).rejects.toThrow(expect.objectContaining({ code: 'TAMPERED', message: 'bundle changed while it was being read' }))
    expect(listFiles(out)).toEqual([])
  })
})
