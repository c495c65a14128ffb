// Core test (Node): adding an attachment in two steps — stageAttachment encrypts the blob into the store and writes no
// row, linkStagedAttachment adds the row and its audit entry and may run inside vault.transaction(), so a record and
// its attachments commit together or not at all. A staged blob never linked is removed by discardStagedAttachment or
// as an orphan at the next unlock; a staged attachment only links once, to this vault, while its blob exists.

import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createVault, MIN_KDF, openVault, type StagedAttachment, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, listFilesRecursive, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let vault: Vault
let count = 0

beforeEach(async () => {
  if (vault && !vault.locked) vault.lock()
  ;({ vault } = await createVault(path.join(root, `v${++count}`), TEST_PASSPHRASE, { kdf: MIN_KDF }))
})

afterAll(() => {
  if (vault && !vault.locked) vault.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

async function* chunks(...parts: Buffer[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield p
}

function listBlobs(v: Vault): string[] {
  return listFilesRecursive(path.join(v.dir, 'blobs')).map((f) => path.basename(f))
}

const META = { filename: 'scan.pdf', mediaType: 'application/pdf' }
const BYTES = Buffer.alloc(1_500_000, 0x5a)

describe('stageAttachment + linkStagedAttachment', () => {
  it('staging writes the blob only: no row, no audit entry, nothing listed', async () => {
    const record = vault.createRecord('note', { summary: {}, body: 'x' })
    const audit = vault.audit.list().length
    const staged = await vault.stageAttachment(chunks(BYTES.subarray(0, 1000), BYTES.subarray(1000)), META)
    expect(staged).toMatchObject({ ...META, size: BYTES.length })
    expect(staged.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(listBlobs(vault)).toEqual([staged.id])
    expect(vault.listAttachments(record.id)).toEqual([])
    expect(vault.audit.list()).toHaveLength(audit)
    expect(fs.readdirSync(path.join(vault.dir, 'tmp'))).toEqual([])
  })

  it('links inside vault.transaction together with the record it belongs to; the bytes and hash read back', async () => {
    const staged = await vault.stageAttachment(chunks(BYTES), META)
    const { recordId, info } = vault.transaction(() => {
      const ref = vault.createRecord('note', { summary: {}, body: 'with file' })
      return { recordId: ref.id, info: vault.linkStagedAttachment(ref.id, staged) }
    })
    expect(info).toMatchObject({ id: staged.id, recordId, ...META, size: BYTES.length })
    expect(vault.listAttachments(recordId)).toEqual([info])
    expect((await vault.readAttachment(staged.id)).equals(BYTES)).toBe(true)
    expect(vault.getAttachmentSha256(staged.id)).toBe(staged.sha256)
    expect(vault.audit.list().at(-1)).toMatchObject({ type: 'attachment.added', details: { attachmentId: staged.id, recordId } })
    expect(vault.audit.verify().ok).toBe(true)
    // Linked: discarding it changes nothing, and it cannot be linked a second time.
    vault.discardStagedAttachment(staged)
    expect(listBlobs(vault)).toEqual([staged.id])
    expect(() => vault.linkStagedAttachment(recordId, staged)).toThrow(expect.objectContaining({ code: 'CONFLICT' }))
  })

  it('a transaction that fails after the link keeps no row; discard then removes the blob', async () => {
    const staged = await vault.stageAttachment(chunks(BYTES), META)
    const records = vault.listRecords().length
    const audit = vault.audit.list().length
    expect(() =>
      vault.transaction(() => {
        const ref = vault.createRecord('note', { summary: {}, body: 'doomed' })
        vault.linkStagedAttachment(ref.id, staged)
        throw new Error('later write failed')
      }),
    ).toThrow('later write failed')
    expect(vault.listRecords()).toHaveLength(records)
    expect(vault.audit.list()).toHaveLength(audit)
    expect(listBlobs(vault)).toEqual([staged.id])
    vault.discardStagedAttachment(staged)
    expect(listBlobs(vault)).toEqual([])
    // Its blob is gone: it cannot be linked any more.
    const record = vault.createRecord('note', { summary: {}, body: 'y' })
    expect(() => vault.linkStagedAttachment(record.id, staged)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('refuses what this vault did not stage, unknown records and bad sources', async () => {
    const record = vault.createRecord('note', { summary: {}, body: 'x' })
    const forged: StagedAttachment = { id: 'a'.repeat(32), ...META, size: 1, sha256: '0'.repeat(64) }
    expect(() => vault.linkStagedAttachment(record.id, forged)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    const staged = await vault.stageAttachment(chunks(BYTES), META)
    // A copy carries the same fields but is not what stageAttachment returned.
    expect(() => vault.linkStagedAttachment(record.id, { ...staged })).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => vault.linkStagedAttachment('b'.repeat(32), staged)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    const { vault: other } = await createVault(path.join(root, `other${count}`), TEST_PASSPHRASE, { kdf: MIN_KDF })
    try {
      const otherRecord = other.createRecord('note', { summary: {}, body: 'x' })
      expect(() => other.linkStagedAttachment(otherRecord.id, staged)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    } finally {
      other.lock()
    }
    await expect(vault.stageAttachment(chunks(BYTES), { filename: 'a/b', mediaType: 'x/y' })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(vault.stageAttachment('not a stream' as unknown as AsyncIterable<Uint8Array>, META)).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    expect(listBlobs(vault)).toEqual([staged.id])
  })

  it('a staged blob never linked is removed as an orphan at the next unlock', async () => {
    await vault.stageAttachment(chunks(BYTES), META)
    const linked = await vault.addAttachmentFromStream(vault.createRecord('note', { summary: {}, body: 'x' }).id, chunks(BYTES), META)
    expect(listBlobs(vault)).toHaveLength(2)
    const dir = vault.dir
    vault.lock()
    vault = await openVault(dir, TEST_PASSPHRASE)
    expect(listBlobs(vault)).toEqual([linked.id])
    expect((await vault.readAttachment(linked.id)).equals(BYTES)).toBe(true)
  })
})
