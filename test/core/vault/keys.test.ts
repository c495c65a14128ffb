// Core test (Node): key hierarchy pieces — recovery key encoding and typo detection, passphrase normalisation,
// associated-data encoding, nonce uniqueness over 100,000 record encryptions.

import { beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { buildAssociatedData, encodeRecoveryKey, normalizePassphrase, parseRecoveryKey } from '../../../electron/core/platform/crypto/keys'
import { buildRecordAd, computeKindTag, openJson, sealJson } from '../../../electron/core/platform/crypto/sealedJson'

let sodium: SodiumBackend
beforeAll(async () => {
  sodium = await loadSodium()
})

describe('recovery key', () => {
  it('round-trips any 32 bytes through 14 groups of 4 Crockford characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const text = encodeRecoveryKey(bytes)
        expect(text).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/)
        expect(parseRecoveryKey(text).equals(Buffer.from(bytes))).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('accepts lower case, spaces, and O/I/L read as 0/1', () => {
    const bytes = sodium.randomBytes(32)
    const text = encodeRecoveryKey(bytes)
    const sloppy = text.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')
    expect(parseRecoveryKey(sloppy).equals(bytes)).toBe(true)
  })

  it('detects every single-character typo with a clear VALIDATION message', () => {
    // Fixed bytes keep this deterministic: a 20-bit checksum misses a random typo with probability 2^-20.
    const text = encodeRecoveryKey(Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff))
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
    let checked = 0
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '-') continue
      const replacement = alphabet[(alphabet.indexOf(text[i]!) + 1 + (i % 30)) % 32]!
      const typo = text.slice(0, i) + replacement + text.slice(i + 1)
      expect(() => parseRecoveryKey(typo)).toThrow(
        expect.objectContaining({ code: 'VALIDATION', message: expect.stringMatching(/checksum|mistyped/) }),
      )
      checked++
    }
    expect(checked).toBe(56)
  })

  it('explains a wrong length or a foreign character, without echoing the key', () => {
    const text = encodeRecoveryKey(sodium.randomBytes(32))
    expect(() => parseRecoveryKey(text.slice(0, -5))).toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('14 groups') }),
    )
    const foreign = text.slice(0, 5) + 'U' + text.slice(6)
    try {
      parseRecoveryKey(foreign)
      expect.unreachable()
    } catch (err) {
      expect(err).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('group 2') })
      expect((err as Error).message).not.toContain(text.slice(0, 4))
    }
  })
})

describe('passphrase normalisation', () => {
  it('maps composed and decomposed forms to the same NFC bytes', () => {
    const composed = Buffer.from('Łódź caf\u00e9', 'utf8')
    const decomposed = Buffer.from('Łódź cafe\u0301', 'utf8')
    expect(composed.equals(decomposed)).toBe(false)
    expect(normalizePassphrase(composed).equals(normalizePassphrase(decomposed))).toBe(true)
  })

  it('rejects empty and invalid UTF-8 passphrases', () => {
    expect(() => normalizePassphrase(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => normalizePassphrase(new Uint8Array([0xff, 0xfe, 0x41]))).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })
})

describe('associated data', () => {
  it('is injective across field boundaries', () => {
    expect(buildAssociatedData('p', 'ab', 'c').equals(buildAssociatedData('p', 'a', 'bc'))).toBe(false)
    expect(buildAssociatedData('p', 1, 23).equals(buildAssociatedData('p', 12, 3))).toBe(false)
    expect(buildAssociatedData('p', 'x').equals(buildAssociatedData('q', 'x'))).toBe(false)
  })
})

describe('record envelopes', () => {
  it('use a fresh nonce for each of 100,000 encryptions', () => {
    const key = sodium.randomBytes(32)
    const tag = computeKindTag(sodium, sodium.randomBytes(32), 'note')
    const ad = buildRecordAd('0'.repeat(32), '1'.repeat(32), tag, 1, 'summary', 1)
    const seen = new Set<string>()
    for (let i = 0; i < 100_000; i++) seen.add(sealJson(sodium, key, ad, { i }).nonce.toString('base64'))
    expect(seen.size).toBe(100_000)
  })

  it('pad plaintext to the bucket size and open back to the same value', () => {
    const key = sodium.randomBytes(32)
    const ad = Buffer.from('ad')
    const a = sealJson(sodium, key, ad, { t: 'a' }, 64)
    const b = sealJson(sodium, key, ad, { t: 'a much longer title, still under 64 bytes' }, 64)
    expect(a.ciphertext.length).toBe(64 + 16)
    expect(b.ciphertext.length).toBe(64 + 16)
    expect(openJson(sodium, key, ad, b)).toEqual({ t: 'a much longer title, still under 64 bytes' })
  })

  it('give equal kind tags for equal kinds and different ones otherwise', () => {
    const key = sodium.randomBytes(32)
    expect(computeKindTag(sodium, key, 'letter').equals(computeKindTag(sodium, key, 'letter'))).toBe(true)
    expect(computeKindTag(sodium, key, 'letter').equals(computeKindTag(sodium, key, 'note'))).toBe(false)
    expect(computeKindTag(sodium, key, 'letter').equals(computeKindTag(sodium, sodium.randomBytes(32), 'letter'))).toBe(false)
  })
})
