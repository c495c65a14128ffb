// Core test (Node): what a backup trusts — the vault records the SHA-256 of each attachment's blob file as it writes it
// (sealed in the attachment's metadata), and a backup names its copy by that hash without reading the copy back. A
// vault file damaged on disk is therefore copied as it is and caught by `backup verify`, naming the attachment;
// attachments added before the vault recorded blob hashes are hashed from the copy, as before.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackup } from '../../../electron/core/backup/createBackup'
import { objectPath, type BackupManifest } from '../../../electron/core/backup/backupFormat'
import { restoreBackup } from '../../../electron/core/backup/restoreBackup'
import { verifyBackup } from '../../../electron/core/backup/verifyBackup'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF, openVault } from '../../../electron/core/vault/vault'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/vault-v1')
const root = createTempDir()
let sodium: SodiumBackend
let counter = 0
const fresh = (name: string): string => path.join(root, `${name}-${++counter}`)
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
beforeAll(async () => {
  sodium = await loadSodium()
})

const sha256Of = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex')
const blobFile = (vaultDir: string, id: string): string => path.join(vaultDir, 'blobs', id.slice(0, 2), id)

function newestManifest(target: string): BackupManifest {
  const names = fs.readdirSync(path.join(target, 'manifests')).sort()
  return JSON.parse(fs.readFileSync(path.join(target, 'manifests', names.at(-1)!), 'utf8')) as BackupManifest
}

describe('blob hashes a backup trusts', () => {
  it('records the hash of each blob file as written, from a file and from a stream', async () => {
    const dir = fresh('vault')
    const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
    try {
      const { id } = vault.createRecord('letter', { summary: { title: 'Scans' }, body: { text: 'Two scans.' } })
      const source = path.join(root, `scan-${++counter}.bin`)
      // Over one stream chunk (1 MiB), so the hash covers several chunks and the header.
      fs.writeFileSync(source, Buffer.alloc(2.5 * 1024 * 1024, 7))
      const fromFile = await vault.addAttachment(id, source, { filename: 'scan.bin', mediaType: 'application/octet-stream' })
      const fromStream = await vault.addAttachmentFromStream(id, Readable.from([Buffer.from('a short note')]), {
        filename: 'note.txt',
        mediaType: 'text/plain',
      })
      for (const info of [fromFile, fromStream]) {
        const file = blobFile(dir, info.id)
        expect(vault.findAttachmentBlobHash(info.id)).toEqual({
          blobVersion: 2,
          blobSize: fs.statSync(file).size,
          blobSha256: sha256Of(file),
        })
      }
      expect(vault.findAttachmentBlobHash('0'.repeat(32))).toBeNull()
    } finally {
      vault.lock()
    }
  })

  it('copies a vault file damaged on disk under its recorded hash, and verify and restore refuse it, naming it', async () => {
    const dir = fresh('vault')
    const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
    const { id } = vault.createRecord('letter', { summary: { title: 'Scan' }, body: { text: 'One scan.' } })
    const info = await vault.addAttachmentFromStream(id, Readable.from([Buffer.alloc(200_000, 3)]), {
      filename: 'scan.bin',
      mediaType: 'application/octet-stream',
    })
    const file = blobFile(dir, info.id)
    const written = sha256Of(file)
    const bytes = fs.readFileSync(file)
    bytes[100_000] = bytes[100_000]! ^ 0x01
    fs.writeFileSync(file, bytes)

    const target = fresh('backup')
    await createBackup(vault, target, { sodium })
    vault.lock()
    const entry = newestManifest(target).attachments.find((a) => a.id === info.id)!
    expect(entry.sha256).toBe(written)
    expect(sha256Of(path.join(target, objectPath(written)))).not.toBe(written)
    const named = expect.stringMatching(new RegExp(`attachment ${info.id} .*is damaged`))
    await expect(verifyBackup(target, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({ code: 'TAMPERED', message: named })
    const dest = fresh('restored')
    await expect(restoreBackup(target, dest, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({ code: 'TAMPERED', message: named })
    expect(fs.existsSync(dest)).toBe(false)
  })

  it('still backs up an attachment whose sealed metadata is damaged, hashing its copy', async () => {
    const dir = fresh('vault')
    const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
    const target = fresh('backup')
    let id = ''
    try {
      const record = vault.createRecord('letter', { summary: { title: 'Scan' }, body: { text: 'One scan.' } })
      id = (
        await vault.addAttachmentFromStream(record.id, Readable.from([Buffer.alloc(50_000, 9)]), {
          filename: 'a.bin',
          mediaType: 'application/octet-stream',
        })
      ).id
      const db = new Database(path.join(dir, 'vault.sqlite'))
      try {
        const { meta_ct: ct } = db.prepare('SELECT meta_ct FROM attachments WHERE id = ?').get(id) as { meta_ct: Buffer }
        ct[5] = ct[5]! ^ 0x01
        db.prepare('UPDATE attachments SET meta_ct = ? WHERE id = ?').run(ct, id)
      } finally {
        db.close()
      }
      expect(() => vault.findAttachmentBlobHash(id)).toThrow()
      await createBackup(vault, target, { sodium })
    } finally {
      vault.lock()
    }
    expect(newestManifest(target).attachments.find((a) => a.id === id)!.sha256).toBe(sha256Of(blobFile(dir, id)))
  })

  it('hashes the copy of an attachment the vault holds no hash for (added before hashes were recorded)', async () => {
    const expected = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'expected.json'), 'utf8')) as {
      passphrase: string
      attachment: { id: string }
    }
    const dir = fresh('vault-v1')
    fs.cpSync(path.join(fixtureDir, 'vault'), dir, { recursive: true })
    const passphrase = Buffer.from(expected.passphrase, 'utf8')
    const vault = await openVault(dir, passphrase, { sodium })
    const target = fresh('backup')
    try {
      expect(vault.findAttachmentBlobHash(expected.attachment.id)).toBeNull()
      await createBackup(vault, target, { sodium })
    } finally {
      vault.lock()
    }
    const entry = newestManifest(target).attachments.find((a) => a.id === expected.attachment.id)!
    expect(entry.sha256).toBe(sha256Of(blobFile(dir, expected.attachment.id)))
    await expect(verifyBackup(target, passphrase, { sodium })).resolves.toMatchObject({ bytes: expect.any(Number) })
  })
})
