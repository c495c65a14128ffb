// Core test (Node): crypto-shredding (issue #16). After a record or an attachment is shredded, neither its plaintext
// marker nor any 32-byte run of any of its old ciphertexts (every revision, its wrapped key, its metadata, its blob) is
// in any file of the vault folder — vault.sqlite, -wal, -shm, blobs — while the vault is open and after it locks; the
// vault then unlocks with no TAMPERED and its activity log verifies, naming who shredded what and nothing of it.

import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { createVault, MIN_KDF, openVault, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, findMarkersInTree, listFilesRecursive, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
const RUN = 32

/** Every ciphertext the vault holds for a record (all revisions, its item key) or an attachment (key, metadata, blob). */
function collectCiphertexts(dir: string, recordIds: string[], attachmentIds: string[]): Buffer[] {
  const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true, fileMustExist: true })
  const out: Buffer[] = []
  try {
    for (const id of recordIds) {
      const revisions = db.prepare('SELECT summary_ct, body_ct FROM revisions WHERE record_id = ?').all(id) as {
        summary_ct: Buffer
        body_ct: Buffer
      }[]
      expect(revisions.length).toBeGreaterThan(0)
      for (const r of revisions) out.push(r.summary_ct, r.body_ct)
      out.push(
        (db.prepare(`SELECT wrapped_key FROM item_keys WHERE item_kind = 'record' AND id = ?`).get(id) as { wrapped_key: Buffer })
          .wrapped_key,
      )
    }
    for (const id of attachmentIds) {
      out.push((db.prepare('SELECT meta_ct FROM attachments WHERE id = ?').get(id) as { meta_ct: Buffer }).meta_ct)
      out.push(
        (db.prepare(`SELECT wrapped_key FROM item_keys WHERE item_kind = 'attachment' AND id = ?`).get(id) as { wrapped_key: Buffer })
          .wrapped_key,
      )
      out.push(fs.readFileSync(path.join(dir, 'blobs', id.slice(0, 2), id)))
    }
  } finally {
    db.close()
  }
  return out
}

/** Files of the vault folder holding any 32-byte run of any of `ciphertexts` (every offset of every file is tried). */
function findCiphertextRuns(dir: string, ciphertexts: Buffer[]): string[] {
  const runs = new Set<string>()
  for (const ct of ciphertexts) for (let i = 0; i + RUN <= ct.length; i++) runs.add(ct.toString('latin1', i, i + RUN))
  const hits: string[] = []
  for (const file of listFilesRecursive(dir)) {
    const data = fs.readFileSync(file)
    for (let i = 0; i + RUN <= data.length; i++) {
      if (runs.has(data.toString('latin1', i, i + RUN))) {
        hits.push(path.relative(dir, file))
        break
      }
    }
  }
  return hits
}

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
