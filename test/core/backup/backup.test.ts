// Core test (Node): backups on real files — a backup verifies and restores to a vault that opens, passes its audit
// and full check and holds the same records and attachments; later backups copy only what is new; the folder and
// file modes are private; a run that fails half-way leaves no manifest behind.
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackup, LAST_BACKUP_SETTING } from '../../../electron/core/backup/createBackup'
import { restoreBackup } from '../../../electron/core/backup/restoreBackup'
import { verifyBackup } from '../../../electron/core/backup/verifyBackup'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF, openVault, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, listFilesRecursive, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let sodium: SodiumBackend
let counter = 0
const fresh = (name: string): string => path.join(root, `${name}-${++counter}`)
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
beforeAll(async () => {
  sodium = await loadSodium()
})

function attachmentBytes(seed: number, size: number): Buffer {
  const buf = Buffer.alloc(size)
  for (let i = 0; i < size; i++) buf[i] = (i * 131 + seed * 7) & 0xff
  return buf
}

async function addLetter(vault: Vault, n: number, withAttachment: boolean): Promise<string> {
  const { id } = vault.createRecord('letter', { summary: { title: `Letter ${n}` }, body: { text: `Body ${n}` } })
  if (withAttachment)
    await vault.addAttachmentFromStream(id, Readable.from([attachmentBytes(n, 3000 + n * 1000)]), {
      filename: `scan-${n}.bin`,
      mediaType: 'application/octet-stream',
    })
  return id
}

async function makeVault(records = 3): Promise<{ dir: string; vault: Vault; ids: string[] }> {
  const dir = fresh('vault')
  const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
  const ids: string[] = []
  for (let n = 0; n < records; n++) ids.push(await addLetter(vault, n, true))
  return { dir, vault, ids }
}

function countObjects(target: string): number {
  return listFilesRecursive(path.join(target, 'objects')).length
}

describe('backup and restore', () => {
  it('restores a vault that opens, passes audit verify and the full check, and holds the same records and files', async () => {
    const { vault, ids } = await makeVault(3)
    const target = fresh('backup')
    const summary = await createBackup(vault, target, { sodium })
    expect(summary).toMatchObject({ attachments: 3, copied: 3 })
    expect(vault.getSetting(LAST_BACKUP_SETTING)).toBe(summary.createdAt)
    const expected = await Promise.all(ids.map(async (id) => ({ id, record: vault.getRecord(id), files: vault.listAttachments(id) })))
    const contents = await Promise.all(expected.flatMap((e) => e.files.map((f) => vault.readAttachment(f.id))))
    vault.lock()

    const verified = await verifyBackup(target, TEST_PASSPHRASE, { sodium })
    expect(verified.manifest.attachments).toHaveLength(3)
    const dest = fresh('restored')
    const restored = await restoreBackup(target, dest, TEST_PASSPHRASE, { sodium })
    expect(restored).toMatchObject({ vaultId: vault.vaultId, attachments: 3 })

    const reopened = await openVault(dest, TEST_PASSPHRASE, { sodium })
    try {
      expect(reopened.vaultId).toBe(vault.vaultId)
      expect(reopened.audit.verify()).toMatchObject({ ok: true })
      expect((await reopened.runFullCheck()).ok).toBe(true)
      for (const e of expected) {
        expect(reopened.getRecord(e.id).body).toEqual(e.record.body)
        expect(reopened.listAttachments(e.id).map((f) => f.id)).toEqual(e.files.map((f) => f.id))
      }
      const restoredContents = await Promise.all(expected.flatMap((e) => e.files.map((f) => reopened.readAttachment(f.id))))
      expect(restoredContents).toEqual(contents)
      expect(reopened.audit.list().some((entry) => entry.type === 'vault.restored')).toBe(true)
    } finally {
      reopened.lock()
    }
  })

  it('writes folders 0700 and files 0600, and only ciphertext', async () => {
    const { vault } = await makeVault(1)
    const target = fresh('backup')
    await createBackup(vault, target, { sodium })
    vault.lock()
    for (const file of listFilesRecursive(target)) expect((fs.statSync(file).mode & 0o777).toString(8), file).toBe('600')
    for (const dir of [target, path.join(target, 'objects'), path.join(target, 'manifests')])
      expect((fs.statSync(dir).mode & 0o777).toString(8), dir).toBe('700')
    const all = Buffer.concat(listFilesRecursive(target).map((file) => fs.readFileSync(file)))
    expect(all.includes(Buffer.from('Letter 0'))).toBe(false)
    expect(all.includes(attachmentBytes(0, 3000).subarray(0, 64))).toBe(false)
  })

  it('copies only new attachments into a folder that holds an earlier backup', async () => {
    const { vault } = await makeVault(3)
    const target = fresh('backup')
    await createBackup(vault, target, { sodium })
    const before = countObjects(target)
    for (let n = 10; n < 20; n++) await addLetter(vault, n, false)
    const second = await createBackup(vault, target, { sodium })
    expect(second).toMatchObject({ attachments: 3, copied: 0 })
    // One new object: the new copy of the database.
    expect(countObjects(target)).toBe(before + 1)
    await addLetter(vault, 30, true)
    const third = await createBackup(vault, target, { sodium })
    expect(third).toMatchObject({ attachments: 4, copied: 1 })
    expect(countObjects(target)).toBe(before + 3)
    vault.lock()
    const verified = await verifyBackup(target, TEST_PASSPHRASE, { sodium })
    expect(verified.manifestName).toBe(third.manifest)
    expect(fs.readdirSync(path.join(target, 'manifests'))).toHaveLength(3)
  })

  it('leaves no manifest when a run fails half-way, and the earlier backup still verifies', async () => {
    const { vault } = await makeVault(2)
    const target = fresh('backup')
    const first = await createBackup(vault, target, { sodium })
    await addLetter(vault, 40, true)
    await addLetter(vault, 41, true)
    const failing = createBackup(vault, target, {
      sodium,
      onProgress: (p) => {
        if (p.phase === 'attachments') throw new Error('stopped half-way')
      },
    })
    await expect(failing).rejects.toThrow('stopped half-way')
    expect(fs.readdirSync(path.join(target, 'manifests'))).toEqual([first.manifest])
    vault.lock()
    await expect(verifyBackup(target, TEST_PASSPHRASE, { sodium })).resolves.toMatchObject({ manifestName: first.manifest })
  })

  it('opens with the passphrase the vault had when the backup was made, not a later one', async () => {
    const { vault } = await makeVault(1)
    const target = fresh('backup')
    await createBackup(vault, target, { sodium })
    const later = Buffer.from('a later passphrase, changed after the backup')
    await vault.changePassphrase(TEST_PASSPHRASE, later)
    vault.lock()
    await expect(verifyBackup(target, later, { sodium })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await expect(verifyBackup(target, TEST_PASSPHRASE, { sodium })).resolves.toBeDefined()
  })

  it('writes no manifest when the vault locks while the backup runs', async () => {
    const { vault } = await makeVault(2)
    const target = fresh('backup')
    let locked = false
    const run = createBackup(vault, target, {
      sodium,
      onProgress: (p) => {
        if (p.phase === 'attachments' && !locked) {
          locked = true
          vault.lock()
        }
      },
    })
    await expect(run).rejects.toMatchObject({ code: 'VAULT_LOCKED' })
    expect(fs.readdirSync(path.join(target, 'manifests'))).toEqual([])
  })

  it('refuses a folder holding another vault’s backups, a folder with other files, and the vault folder itself', async () => {
    const a = await makeVault(1)
    const b = await makeVault(1)
    const target = fresh('backup')
    await createBackup(a.vault, target, { sodium })
    await expect(createBackup(b.vault, target, { sodium })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('another vault'),
    })
    const other = fresh('other')
    fs.mkdirSync(other)
    fs.writeFileSync(path.join(other, 'notes.txt'), 'mine')
    await expect(createBackup(a.vault, other, { sodium })).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(fs.readdirSync(other)).toEqual(['notes.txt'])
    await expect(createBackup(a.vault, path.join(a.dir, 'backups'), { sodium })).rejects.toMatchObject({ code: 'VALIDATION' })
    a.vault.lock()
    b.vault.lock()
  })
})
