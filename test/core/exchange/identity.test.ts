// Core (Node): the vault's exchange identity (stored encrypted, created once), public identity files parsed
// strictly, the contacts book with verification, and the vault's stored attachment hash and streaming read.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addContact,
  findContactBySigningKey,
  listContacts,
  removeContact,
  setContactVerified,
} from '../../../electron/core/exchange/contacts'
import {
  describeOwnIdentity,
  exportOwnIdentityFile,
  formatIdentityFile,
  loadOwnIdentity,
  disposeIdentity,
  parseIdentityFile,
} from '../../../electron/core/exchange/identity'
import { FINGERPRINT_PATTERN } from '../../../electron/core/exchange/bundle/manifest'
import type { Vault } from '../../../electron/core/vault/vault'
import { makeTempDir, makeVault, sha256, writeRandomFile } from './helpers'

let root: string
let a: Vault
let b: Vault

beforeAll(async () => {
  root = makeTempDir()
  a = await makeVault(root, 'Viasna', 'Human Rights Centre Viasna')
  b = await makeVault(root, 'Partner', 'Partner Org')
})
afterAll(() => {
  a.lock()
  b.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

describe('own identity', () => {
  it('is created once, kept encrypted in the vault, and loads with the same keys', () => {
    const first = loadOwnIdentity(a)
    const second = loadOwnIdentity(a)
    expect(second.recipient).toBe(first.recipient)
    expect(Buffer.compare(second.signingPublicKey, first.signingPublicKey)).toBe(0)
    expect(first.fingerprint).toMatch(FINGERPRINT_PATTERN)
    expect(first.recipient).toMatch(/^age1[0-9a-z]{58}$/)
    expect(first.name).toBe('Viasna')
    const secret = Buffer.from(first.x25519SecretKey)
    disposeIdentity(first)
    expect(first.x25519SecretKey.every((x) => x === 0)).toBe(true)
    expect(first.signingSecretKey.every((x) => x === 0)).toBe(true)
    // The secret never appears on disk in clear (base64 as stored in the record body, or raw).
    for (const file of fs.readdirSync(path.join(root, 'Viasna'), { recursive: true, encoding: 'utf8' })) {
      const full = path.join(root, 'Viasna', file)
      if (!fs.statSync(full).isFile()) continue
      const data = fs.readFileSync(full)
      expect(data.includes(secret)).toBe(false)
      expect(data.includes(Buffer.from(secret.toString('base64')))).toBe(false)
    }
    expect(a.audit.list().filter((e) => e.type === 'identity.created')).toHaveLength(1)
    disposeIdentity(second)
  })

  it('exports a public identity file that parses back to the same identity and holds no secret', () => {
    const text = exportOwnIdentityFile(a)
    expect(text).not.toMatch(/SECRET/)
    const parsed = parseIdentityFile(text)
    expect(parsed).toEqual(describeOwnIdentity(a))
    expect(parsed.organisation).toBe('Human Rights Centre Viasna')
  })

  it('refuses malformed identity files with specific errors', () => {
    const good = exportOwnIdentityFile(a)
    const cases: [string, RegExp][] = [
      ['hello', /not a Custodia identity file/],
      [good.replace('custodia-identity: 1', 'custodia-identity: 2'), /not a Custodia identity file/],
      [`${good}colour: blue\n`, /unknown field "colour"/],
      [`${good}name: Other\n`, /field "name" twice/],
      [good.replace(/^fingerprint: .*$/m, ''), /no "fingerprint"/],
      [good.replace(/^fingerprint: (\S{4})/m, 'fingerprint: AAAA'), /fingerprint does not match/],
      [good.replace(/^age-recipient: age1\S+$/m, 'age-recipient: age1pq1xyz'), /not a valid X25519 recipient/],
      [good.replace(/^signing-key: \S+$/m, 'signing-key: abc'), /base64 of a 32-byte/],
      [`${good}# AGE-SECRET-KEY-1QQQQ\n`, /SECRET age key/],
      ['x'.repeat(9000), /larger than 8 KiB/],
    ]
    for (const [text, message] of cases) {
      expect(() => parseIdentityFile(text), message.source).toThrow(message)
    }
  })
})

describe('contacts', () => {
  it('adds a partner from its identity file, unverified until the fingerprint is compared', () => {
    const identity = parseIdentityFile(exportOwnIdentityFile(b))
    const contact = addContact(a, identity)
    expect(contact).toMatchObject({ name: 'Partner', organisation: 'Partner Org', verified: false, fingerprint: identity.fingerprint })
    expect(setContactVerified(a, contact.id, true).verified).toBe(true)
    expect(findContactBySigningKey(a, Buffer.from(identity.signingKey, 'base64'))?.id).toBe(contact.id)
    expect(a.audit.list().map((e) => e.type)).toEqual(expect.arrayContaining(['contact.added', 'contact.verified']))
  })

  it('refuses duplicates, our own identity, and a same-named contact, changing nothing', () => {
    const before = listContacts(a)
    expect(() => addContact(a, parseIdentityFile(exportOwnIdentityFile(b)))).toThrow(/already in your contacts/)
    expect(() => addContact(a, parseIdentityFile(exportOwnIdentityFile(a)))).toThrow(/identity of this vault itself/)
    const other = parseIdentityFile(formatIdentityFile({ ...describeOwnIdentity(a), name: 'partner' }))
    expect(() => addContact(b, other)).not.toThrow()
    expect(listContacts(a)).toEqual(before)
  })

  it('removes a contact', () => {
    const c = listContacts(b)[0]!
    removeContact(b, c.id)
    expect(listContacts(b)).toEqual([])
    expect(() => removeContact(b, c.id)).toThrow(/No contact/)
  })
})

describe('vault attachments for export', () => {
  it('stores the plaintext SHA-256 at add time and streams the plaintext back in chunks', async () => {
    const record = a.createRecord('note', { summary: {}, body: {} })
    const { file, bytes } = writeRandomFile(root, 'blob.bin', 2_500_000)
    const info = await a.addAttachment(record.id, file, { filename: 'blob.bin', mediaType: 'application/octet-stream' })
    expect(a.getAttachmentSha256(info.id)).toBe(sha256(bytes))
    const chunks: Buffer[] = []
    for await (const c of a.openAttachmentStream(info.id)) chunks.push(c)
    expect(chunks.length).toBeGreaterThan(1)
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(1024 * 1024)
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true)
    // Stopping early closes the blob: a later full read still works.
    for await (const _ of a.openAttachmentStream(info.id)) break
    expect((await a.readAttachment(info.id)).equals(bytes)).toBe(true)
  })
})
