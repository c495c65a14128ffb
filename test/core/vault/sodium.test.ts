// Core test (Node): both libsodium backends give identical results and each decrypts what the other encrypted —
// AEAD, secretstream, Argon2id, BLAKE2b, crypto_kdf — plus known-answer vectors and a whole vault across backends.

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  loadSodium,
  STREAM_ABYTES,
  STREAM_TAG_FINAL,
  STREAM_TAG_MESSAGE,
  type SodiumBackend,
} from '../../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF, openVault } from '../../../electron/core/vault/vault'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

let native: SodiumBackend
let wasm: SodiumBackend
let pairs: [string, SodiumBackend, SodiumBackend][]

beforeAll(async () => {
  native = await loadSodium('native')
  wasm = await loadSodium('wasm')
  pairs = [
    ['native → wasm', native, wasm],
    ['wasm → native', wasm, native],
  ]
})

function expectTampered(fn: () => unknown): void {
  expect(fn).toThrow(expect.objectContaining({ code: 'TAMPERED' }))
}

describe('sodium backends', () => {
  it('load by name and report it', () => {
    expect(native.name).toBe('native')
    expect(wasm.name).toBe('wasm')
  })

  it('match the XChaCha20-Poly1305 test vector (draft-irtf-cfrg-xchacha A.3.1) and BLAKE2b-256("abc")', () => {
    const key = Buffer.from('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f', 'hex')
    const nonce = Buffer.from('404142434445464748494a4b4c4d4e4f5051525354555657', 'hex')
    const ad = Buffer.from('50515253c0c1c2c3c4c5c6c7', 'hex')
    const plain = Buffer.from(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    )
    for (const backend of [native, wasm]) {
      const sealed = backend.aeadEncrypt(plain, ad, nonce, key)
      expect(sealed.subarray(0, 16).toString('hex')).toBe('bd6d179d3e83d43b9576579493c0e939')
      expect(sealed.subarray(-16).toString('hex')).toBe('c0875924c1c7987947deafd8780acf49')
      expect(backend.generichash(32, Buffer.from('abc')).toString('hex')).toBe(
        'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319',
      )
    }
  })

  it('decrypt each other’s AEAD ciphertexts and both reject a flipped byte with TAMPERED', () => {
    for (const [, from, to] of pairs) {
      const key = from.randomBytes(32)
      const nonce = from.randomBytes(24)
      const ad = Buffer.from('record ad')
      const plain = Buffer.from('Бяляцкі — Łódź — letter body')
      const sealed = from.aeadEncrypt(plain, ad, nonce, key)
      expect(to.aeadDecrypt(sealed, ad, nonce, key).equals(plain)).toBe(true)
      expect(to.aeadDecrypt(from.aeadEncrypt(Buffer.alloc(0), Buffer.alloc(0), nonce, key), Buffer.alloc(0), nonce, key).length).toBe(0)
      const flipped = Buffer.from(sealed)
      flipped[3]! ^= 0x01
      expectTampered(() => to.aeadDecrypt(flipped, ad, nonce, key))
      expectTampered(() => to.aeadDecrypt(sealed, Buffer.from('other ad'), nonce, key))
      expectTampered(() => to.aeadDecrypt(sealed.subarray(0, 10), ad, nonce, key))
    }
  })

  it('encrypt and decrypt into the caller’s buffers with the same bytes as the allocating calls, and zero it on TAMPERED', () => {
    for (const [, from, to] of pairs) {
      const key = from.randomBytes(32)
      const nonce = from.randomBytes(24)
      const ad = Buffer.from('chunk ad')
      const plain = from.randomBytes(1000)
      const sealedInto = Buffer.alloc(plain.length + 16 + 7, 0xaa)
      expect(from.aeadEncryptInto(sealedInto, plain, ad, nonce, key)).toBe(plain.length + 16)
      const sealed = sealedInto.subarray(0, plain.length + 16)
      expect(sealed.equals(to.aeadEncrypt(plain, ad, nonce, key))).toBe(true)
      expect(sealedInto.subarray(plain.length + 16).every((b) => b === 0xaa)).toBe(true)
      const opened = Buffer.alloc(plain.length + 3, 0xbb)
      expect(to.aeadDecryptInto(opened, sealed, ad, nonce, key)).toBe(plain.length)
      expect(opened.subarray(0, plain.length).equals(plain)).toBe(true)
      const flipped = Buffer.from(sealed)
      flipped[5]! ^= 0x01
      const refused = Buffer.alloc(plain.length, 0xcc)
      expectTampered(() => to.aeadDecryptInto(refused, flipped, ad, nonce, key))
      expect(refused.every((b) => b === 0)).toBe(true)
      expect(() => from.aeadEncryptInto(Buffer.alloc(plain.length + 15), plain, ad, nonce, key)).toThrow(/must hold/)
      expect(() => to.aeadDecryptInto(Buffer.alloc(plain.length - 1), sealed, ad, nonce, key)).toThrow(/must hold/)
    }
  })

  it('derive the same Argon2id, BLAKE2b and crypto_kdf outputs', async () => {
    const salt = native.randomBytes(16)
    const pass = Buffer.from('pässwörd')
    const a = await native.pwhash(32, pass, salt, 2, 8 * 1024 * 1024)
    const b = await wasm.pwhash(32, pass, salt, 2, 8 * 1024 * 1024)
    expect(a.equals(b)).toBe(true)
    expect(a.equals(Buffer.alloc(32))).toBe(false)
    const key = native.randomBytes(32)
    expect(native.generichash(16, Buffer.from('letter'), key).equals(wasm.generichash(16, Buffer.from('letter'), key))).toBe(true)
    for (const id of [1, 2, 6]) {
      expect(native.kdfDerive(32, id, 'custodia', key).equals(wasm.kdfDerive(32, id, 'custodia', key))).toBe(true)
    }
    expect(native.kdfDerive(32, 1, 'custodia', key).equals(native.kdfDerive(32, 2, 'custodia', key))).toBe(false)
  })

  it('hash every line of a text in one call exactly as BLAKE2b-256 line by line (the unlock scan of committed rows)', async () => {
    await native.whenLinesFast()
    const longLine = 'X'.repeat(300_000)
    const manyLines = Array.from({ length: 40_000 }, (_, i) => `'${i.toString(16)}',X'${'ab'.repeat(i % 97)}',${i}`).join('\n')
    const texts = ['', 'abc', 'a\n', '\n\n', 'æ✓𝄞\nx\n\n€', `${longLine}\nshort\n${longLine}`, manyLines]
    for (const text of texts) {
      const lines = text.split('\n')
      const expected = Buffer.concat(lines.map((line) => native.generichash(32, Buffer.from(line))))
      for (const backend of [native, wasm]) {
        // Twice: the second call reuses the memory the first freed.
        expect(backend.generichashLines(text).equals(expected), `${backend.name}, ${lines.length} lines`).toBe(true)
        expect(backend.generichashLines(text).equals(expected)).toBe(true)
      }
    }
    expect(native.generichashLines('abc').toString('hex')).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319')
    expect(native.generichashLines('a\nb').subarray(32).equals(native.generichashLines('b'))).toBe(true)
  })

  it('decrypt each other’s secretstreams (multi-chunk, FINAL tag) and reject a changed chunk', () => {
    for (const [, from, to] of pairs) {
      const key = from.randomBytes(32)
      const ad = Buffer.from('stream ad')
      const pusher = from.secretstreamPush(key)
      const chunks = [Buffer.alloc(1000, 1), Buffer.alloc(4096, 2), Buffer.from('end')]
      const sealed = chunks.map((chunk, i) => {
        const out = Buffer.alloc(chunk.length + STREAM_ABYTES)
        pusher.push(out, chunk, i === chunks.length - 1 ? STREAM_TAG_FINAL : STREAM_TAG_MESSAGE, ad)
        return out
      })
      pusher.dispose()
      const puller = to.secretstreamPull(pusher.header, key)
      const tags = sealed.map((c, i) => {
        const out = Buffer.alloc(c.length - STREAM_ABYTES)
        const tag = puller.pull(out, c, ad)
        expect(out.equals(chunks[i]!)).toBe(true)
        return tag
      })
      expect(tags).toEqual([STREAM_TAG_MESSAGE, STREAM_TAG_MESSAGE, STREAM_TAG_FINAL])
      puller.dispose()

      const bad = Buffer.from(sealed[1]!)
      bad[100]! ^= 0x80
      const puller2 = to.secretstreamPull(pusher.header, key)
      puller2.pull(Buffer.alloc(chunks[0]!.length), sealed[0]!, ad)
      expectTampered(() => puller2.pull(Buffer.alloc(chunks[1]!.length), bad, ad))
      // Chunks out of order fail too (the stream state advances per chunk).
      const puller3 = to.secretstreamPull(pusher.header, key)
      expectTampered(() => puller3.pull(Buffer.alloc(chunks[1]!.length), sealed[1]!, ad))
    }
  })

  it('zero buffers with memzero', () => {
    for (const backend of [native, wasm]) {
      const key = backend.allocKey(32)
      key.set(backend.randomBytes(32))
      backend.memzero(key)
      expect(key.equals(Buffer.alloc(32))).toBe(true)
    }
  })
})

describe('a vault across backends', () => {
  const root = createTempDir()
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

  it('is readable by the other backend: records, revisions, attachments, audit', async () => {
    for (const [label, from, to] of pairs) {
      const dir = path.join(root, label.replace(/\W+/g, '-'))
      const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF, sodium: from })
      const ref = vault.createRecord('letter', { summary: { title: 'Cross' }, body: { text: 'backend' } })
      vault.updateRecord(ref.id, { summary: { title: 'Cross 2' }, body: { text: 'backend 2' } })
      const data = Buffer.alloc(2 * 1024 * 1024 + 123, 0x5a)
      const attachment = await vault.addAttachmentFromStream(
        ref.id,
        (async function* () {
          yield data
        })(),
        { filename: 'scan.pdf', mediaType: 'application/pdf' },
      )
      vault.lock()

      const reopened = await openVault(dir, TEST_PASSPHRASE, { sodium: to })
      expect(reopened.getRecord(ref.id).body).toEqual({ text: 'backend 2' })
      expect(reopened.getRecord(ref.id, 1).summary).toEqual({ title: 'Cross' })
      expect((await reopened.readAttachment(attachment.id)).equals(data)).toBe(true)
      expect(reopened.audit.verify()).toMatchObject({ ok: true })
      reopened.lock()
    }
  })
})
