// Core test (Node): any changed, moved or swapped ciphertext is refused with TAMPERED — never wrong or partial
// plaintext. Over 1,000 single-byte flips across record ciphertexts, nonces, kind tags, attachment metadata and
// attachment blobs (header and chunks), plus row/revision/blob swaps and truncation.

import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ATTACHMENT_CIPHER_CHUNK_BYTES, BLOB_HEADER_BYTES } from '../../../electron/core/platform/crypto/streams'
import { createVault, MIN_KDF, type AttachmentInfo, type RecordRef, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
const outDir = path.join(root, 'out')
let dir: string
let vault: Vault
let raw: Database.Database
let letter: RecordRef
let note: RecordRef
let attachment: AttachmentInfo
let twin: AttachmentInfo
let flips = 0

const tampered = expect.objectContaining({ code: 'TAMPERED' })

// Deterministic positions (seeded xorshift32) so a failure reproduces.
function pickPositions(length: number, count: number, seed: number): number[] {
  const out = new Set<number>()
  let x = seed >>> 0 || 1
  while (out.size < Math.min(count, length)) {
    // xorshift32: exact in 32-bit integer arithmetic.
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    out.add(x % length)
  }
  return [...out]
}

function blobPath(id: string): string {
  return path.join(dir, 'blobs', id.slice(0, 2), id)
}

function flipFileByte(file: string, position: number, mask: number): void {
  const fd = fs.openSync(file, 'r+')
  try {
    const b = Buffer.alloc(1)
    fs.readSync(fd, b, 0, 1, position)
    b[0]! ^= mask
    fs.writeSync(fd, b, 0, 1, position)
  } finally {
    fs.closeSync(fd)
  }
}

async function expectExportTampered(id: string): Promise<void> {
  const dest = path.join(outDir, 'export.bin')
  await expect(vault.exportAttachment(id, dest)).rejects.toThrow(tampered)
  expect(fs.readdirSync(outDir)).toEqual([])
}

beforeAll(async () => {
  dir = path.join(root, 'vault')
  fs.mkdirSync(outDir)
  ;({ vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF }))
  letter = vault.createRecord('letter', { summary: { title: 'Original title' }, body: { text: 'Original body '.repeat(40) } })
  vault.updateRecord(letter.id, { summary: { title: 'Second title' }, body: { text: 'Second body '.repeat(40) } })
  note = vault.createRecord('note', { summary: { title: 'Other record' }, body: { text: 'Other body '.repeat(40) } })
  const data = Buffer.alloc(ATTACHMENT_CIPHER_CHUNK_BYTES + 5000)
  for (let i = 0; i < data.length; i++) data[i] = i & 0xff
  attachment = await vault.addAttachmentFromStream(letter.id, Readable.from([data]), { filename: 'scan.pdf', mediaType: 'application/pdf' })
  twin = await vault.addAttachmentFromStream(note.id, Readable.from([data]), { filename: 'twin.pdf', mediaType: 'application/pdf' })
  raw = new Database(path.join(dir, 'vault.sqlite'))
})

afterAll(() => {
  raw.close()
  vault.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

describe('tampering', () => {
  it('refuses every single-byte flip in record ciphertexts, nonces and kind tags', () => {
    const columns = ['summary_ct', 'body_ct', 'summary_nonce', 'body_nonce'] as const
    for (const column of columns) {
      const row = raw.prepare(`SELECT ${column} AS v FROM revisions WHERE record_id = ? AND revision = 2`).get(letter.id) as { v: Buffer }
      const positions = column.endsWith('nonce') ? [...row.v.keys()] : pickPositions(row.v.length, 300, column.length)
      for (const [i, position] of positions.entries()) {
        const changed = Buffer.from(row.v)
        changed[position]! ^= 1 << (i % 8)
        raw.prepare(`UPDATE revisions SET ${column} = ? WHERE record_id = ? AND revision = 2`).run(changed, letter.id)
        expect(() => vault.getRecord(letter.id)).toThrow(tampered)
        flips++
      }
      raw.prepare(`UPDATE revisions SET ${column} = ? WHERE record_id = ? AND revision = 2`).run(row.v, letter.id)
    }
    const tag = (raw.prepare('SELECT kind_tag AS v FROM records WHERE id = ?').get(letter.id) as { v: Buffer }).v
    for (let position = 0; position < tag.length; position++) {
      const changed = Buffer.from(tag)
      changed[position]! ^= 0x10
      raw.prepare('UPDATE records SET kind_tag = ? WHERE id = ?').run(changed, letter.id)
      expect(() => vault.getRecord(letter.id)).toThrow(tampered)
      flips++
    }
    raw.prepare('UPDATE records SET kind_tag = ? WHERE id = ?').run(tag, letter.id)
    expect(vault.getRecord(letter.id).summary).toEqual({ title: 'Second title' })
  })

  it('refuses swapped records, swapped revisions, swapped parts and a moved kind tag', () => {
    const get = (id: string, rev: number) =>
      raw.prepare('SELECT * FROM revisions WHERE record_id = ? AND revision = ?').get(id, rev) as Record<string, Buffer>
    const put = (id: string, rev: number, from: Record<string, Buffer>) =>
      raw
        .prepare('UPDATE revisions SET summary_nonce = ?, summary_ct = ?, body_nonce = ?, body_ct = ? WHERE record_id = ? AND revision = ?')
        .run(from.summary_nonce, from.summary_ct, from.body_nonce, from.body_ct, id, rev)
    const l1 = get(letter.id, 1)
    const l2 = get(letter.id, 2)
    const n1 = get(note.id, 1)

    put(letter.id, 2, n1)
    put(note.id, 1, l2)
    expect(() => vault.getRecord(letter.id)).toThrow(tampered)
    expect(() => vault.getRecord(note.id)).toThrow(tampered)
    expect(() => vault.listRecords()).toThrow(tampered)
    put(letter.id, 2, l2)
    put(note.id, 1, n1)

    put(letter.id, 1, l2)
    put(letter.id, 2, l1)
    expect(() => vault.getRecord(letter.id, 1)).toThrow(tampered)
    expect(() => vault.getRecord(letter.id, 2)).toThrow(tampered)
    expect(() => vault.listRevisions(letter.id)).toThrow(tampered)
    put(letter.id, 1, l1)
    put(letter.id, 2, l2)

    put(letter.id, 2, { summary_nonce: l2.body_nonce!, summary_ct: l2.body_ct!, body_nonce: l2.summary_nonce!, body_ct: l2.summary_ct! })
    expect(() => vault.getRecord(letter.id)).toThrow(tampered)
    put(letter.id, 2, l2)

    const noteTag = (raw.prepare('SELECT kind_tag AS v FROM records WHERE id = ?').get(note.id) as { v: Buffer }).v
    const letterTag = (raw.prepare('SELECT kind_tag AS v FROM records WHERE id = ?').get(letter.id) as { v: Buffer }).v
    raw.prepare('UPDATE records SET kind_tag = ? WHERE id = ?').run(noteTag, letter.id)
    expect(() => vault.getRecord(letter.id)).toThrow(tampered)
    expect(vault.listRecords({ kind: 'letter' })).toEqual([])
    raw.prepare('UPDATE records SET kind_tag = ? WHERE id = ?').run(letterTag, letter.id)
    expect(vault.getRecord(letter.id).body).toEqual({ text: 'Second body '.repeat(40) })
    expect(vault.getRecord(note.id).summary).toEqual({ title: 'Other record' })
  })

  it('refuses flipped attachment metadata and metadata moved to another record', () => {
    const meta = (raw.prepare('SELECT meta_ct AS v FROM attachments WHERE id = ?').get(attachment.id) as { v: Buffer }).v
    for (const [i, position] of pickPositions(meta.length, 60, 7).entries()) {
      const changed = Buffer.from(meta)
      changed[position]! ^= 1 << (i % 8)
      raw.prepare('UPDATE attachments SET meta_ct = ? WHERE id = ?').run(changed, attachment.id)
      expect(() => vault.listAttachments(letter.id)).toThrow(tampered)
      flips++
    }
    raw.prepare('UPDATE attachments SET meta_ct = ? WHERE id = ?').run(meta, attachment.id)
    raw.prepare('UPDATE attachments SET record_id = ? WHERE id = ?').run(note.id, attachment.id)
    expect(() => vault.listAttachments(note.id)).toThrow(tampered)
    raw.prepare('UPDATE attachments SET record_id = ? WHERE id = ?').run(letter.id, attachment.id)
    expect(vault.listAttachments(letter.id)[0]).toMatchObject({ filename: 'scan.pdf' })
  })

  it('refuses every flipped byte of an attachment blob (header and chunks) and leaves no destination file', async () => {
    const file = blobPath(attachment.id)
    const size = fs.statSync(file).size
    const positions = [
      ...Array.from({ length: BLOB_HEADER_BYTES }, (_, i) => i),
      // Around the chunk boundary and the end, where framing bugs would hide.
      ...Array.from({ length: 40 }, (_, i) => BLOB_HEADER_BYTES + ATTACHMENT_CIPHER_CHUNK_BYTES - 20 + i),
      ...Array.from({ length: 20 }, (_, i) => size - 20 + i),
      ...pickPositions(size, 280, 99),
    ]
    for (const [i, position] of positions.entries()) {
      const mask = 1 << (i % 8)
      flipFileByte(file, position, mask)
      await expectExportTampered(attachment.id)
      if (i % 10 === 0) await expect(vault.readAttachment(attachment.id)).rejects.toThrow(tampered)
      flipFileByte(file, position, mask)
      flips++
    }
    const dest = path.join(outDir, 'ok.bin')
    await vault.exportAttachment(attachment.id, dest)
    expect(fs.statSync(dest).size).toBe(attachment.size)
    fs.rmSync(dest)
  })

  it('refuses swapped blobs, a truncated stream, a dropped final chunk and data after the final chunk', async () => {
    const a = blobPath(attachment.id)
    const b = blobPath(twin.id)
    const original = fs.readFileSync(a)
    const originalTwin = fs.readFileSync(b)
    fs.writeFileSync(a, originalTwin)
    fs.writeFileSync(b, original)
    await expectExportTampered(attachment.id)
    await expectExportTampered(twin.id)
    fs.writeFileSync(b, originalTwin)

    // Each case also fixes blob_size so the stream checks themselves are exercised, not just the size check.
    const cases: [string, Buffer][] = [
      ['cut mid-chunk', original.subarray(0, original.length - 100)],
      ['final chunk dropped', original.subarray(0, BLOB_HEADER_BYTES + ATTACHMENT_CIPHER_CHUNK_BYTES)],
      ['header only', original.subarray(0, BLOB_HEADER_BYTES)],
      ['data after final', Buffer.concat([original, original.subarray(BLOB_HEADER_BYTES, BLOB_HEADER_BYTES + 200)])],
      ['empty', Buffer.alloc(0)],
    ]
    for (const [, bytes] of cases) {
      fs.writeFileSync(a, bytes)
      await expectExportTampered(attachment.id)
      raw.prepare('UPDATE attachments SET blob_size = ? WHERE id = ?').run(bytes.length, attachment.id)
      await expectExportTampered(attachment.id)
      raw.prepare('UPDATE attachments SET blob_size = ? WHERE id = ?').run(original.length, attachment.id)
    }
    fs.writeFileSync(a, original)
    expect((await vault.readAttachment(attachment.id)).length).toBe(attachment.size)
  })

  it('covered at least 1,000 flipped positions', () => {
    expect(flips).toBeGreaterThanOrEqual(1000)
  })
})
