// Core test (Node): crypto-shredding (issue #16). After a record or an attachment is shredded, neither its plaintext
// marker nor any 32-byte run of any of its old ciphertexts (every revision, its wrapped key, its metadata, its blob) is
// in any file of the vault folder — vault.sqlite, -wal, -shm, blobs — while the vault is open and after it locks; the
// vault then unlocks with no TAMPERED and its activity log verifies, naming who shredded what and nothing of it.

import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createVault, MIN_KDF, openVault, type Vault } from '../../../electron/core/vault/vault'
import { collectCiphertexts, findCiphertextRuns } from '../../helpers/shredScan'
import { createTempDir, findMarkersInTree, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

async function makeVault(name: string): Promise<{ dir: string; vault: Vault }> {
  const dir = path.join(root, name)
  const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
  return { dir, vault }
}

describe('shredding a record', () => {
  it('leaves no marker and no 32-byte run of any revision in any vault file, and the vault reopens intact', async () => {
    const { dir, vault } = await makeVault('record')
    const marker = `MARKER-shred-${randomBytes(6).toString('hex')}`
    const kept = vault.createRecord('note', { summary: { title: 'kept' }, body: { text: 'still here' } })
    const doomed = vault.createRecord('letter', { summary: { title: marker }, body: { text: `${marker} `.repeat(40) } })
    vault.updateRecord(doomed.id, { summary: { title: `${marker} 2` }, body: { text: `${marker} second ` } })
    vault.updateRecord(doomed.id, { summary: { title: `${marker} 3` }, body: { text: `${marker} third ` } })
    const file = path.join(root, 'photo.bin')
    fs.writeFileSync(file, Buffer.from(`${marker}\n`.repeat(3000)))
    const attachment = await vault.addAttachment(doomed.id, file, { filename: `${marker}.txt`, mediaType: 'text/plain' })
    const old = collectCiphertexts(dir, [doomed.id], [attachment.id])
    // The scan can fail: before shredding, the runs are there.
    expect(findCiphertextRuns(dir, old).length).toBeGreaterThan(0)

    const result = await vault.shred([doomed.id])
    expect(result).toEqual({ records: [doomed.id], attachments: [attachment.id], logCleared: true })
    expect(findMarkersInTree(dir, [marker])).toEqual([])
    expect(findCiphertextRuns(dir, old)).toEqual([])
    expect(() => vault.getRecord(doomed.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    await expect(vault.readAttachment(attachment.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const memberId = vault.member!.id
    vault.lock()
    expect(findCiphertextRuns(dir, old)).toEqual([])
    expect(findMarkersInTree(dir, [marker])).toEqual([])

    const reopened = await openVault(dir, TEST_PASSPHRASE)
    try {
      expect(reopened.checkIntegrity().intact).toBe(true)
      expect(reopened.audit.verify()).toMatchObject({ ok: true })
      expect(reopened.getRecord(kept.id).body).toEqual({ text: 'still here' })
      const entry = reopened.audit.list().find((e) => e.type === 'record.shredded')
      expect(entry).toMatchObject({ details: { recordId: doomed.id, attachments: 1 }, by: memberId })
      expect(Date.parse(entry!.at)).toBeGreaterThan(0)
      expect(JSON.stringify(entry)).not.toContain(marker)
    } finally {
      reopened.lock()
    }
  })
})

describe('shredding an attachment', () => {
  it('destroys its blob, key and metadata and keeps its record', async () => {
    const { dir, vault } = await makeVault('attachment')
    const marker = `MARKER-blob-${randomBytes(6).toString('hex')}`
    const record = vault.createRecord('dossier', { summary: { title: 'Ales' }, body: { text: 'kept' } })
    const file = path.join(root, 'scan.bin')
    fs.writeFileSync(file, Buffer.from(`${marker}\n`.repeat(5000)))
    const doomed = await vault.addAttachment(record.id, file, { filename: `${marker}.pdf`, mediaType: 'application/pdf' })
    const other = await vault.addAttachment(record.id, file, { filename: 'other.pdf', mediaType: 'application/pdf' })
    const old = collectCiphertexts(dir, [], [doomed.id])
    const blob = path.join(dir, 'blobs', doomed.id.slice(0, 2), doomed.id)

    expect(await vault.shred([doomed.id])).toEqual({ records: [], attachments: [doomed.id], logCleared: true })
    expect(fs.existsSync(blob)).toBe(false)
    expect(findCiphertextRuns(dir, old)).toEqual([])
    expect(vault.listAttachments(record.id).map((a) => a.id)).toEqual([other.id])
    expect((await vault.readAttachment(other.id)).toString()).toContain(marker)
    vault.lock()
    expect(findCiphertextRuns(dir, old)).toEqual([])

    const reopened = await openVault(dir, TEST_PASSPHRASE)
    try {
      expect(reopened.checkIntegrity().intact).toBe(true)
      expect(reopened.audit.verify()).toMatchObject({ ok: true })
      expect(reopened.audit.list().find((e) => e.type === 'attachment.shredded')?.details).toEqual({
        recordId: record.id,
        attachmentId: doomed.id,
      })
    } finally {
      reopened.lock()
    }
  })
})

describe('bad input to shred', () => {
  it('refuses an unknown or malformed id and changes nothing', async () => {
    const { dir, vault } = await makeVault('bad')
    const record = vault.createRecord('note', { summary: { title: 't' }, body: 'b' })
    const entries = vault.audit.list().length
    await expect(vault.shred(['f'.repeat(32)])).rejects.toMatchObject({ code: 'NOT_FOUND' })
    // One unknown id among known ones: nothing of the call happens.
    await expect(vault.shred([record.id, 'e'.repeat(32)])).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(vault.shred(['not an id'])).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(vault.shred([])).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(vault.getRecord(record.id).body).toBe('b')
    expect(vault.audit.list()).toHaveLength(entries)
    vault.lock()
    expect(fs.existsSync(dir)).toBe(true)
  })
})
