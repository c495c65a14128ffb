// Core test (Node): the golden vault written by format version 1 (test/fixtures/vault-v1, made by
// test/helpers/makeVaultFixture.ts) must open in every later version with its records, revisions and attachment.
// It is opened from a copy: unlocking writes audit entries and may migrate the schema.

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { inspectVault, openVault, openVaultWithRecoveryKey, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, hashTree, listFilesRecursive } from '../../helpers/vaultTestUtils'

const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/vault-v1')
interface Expected {
  vaultId: string
  passphrase: string
  recoveryKey: string
  kdf: { opslimit: number; memlimit: number }
  records: { id: string; kind: string; revisions: { summary: Record<string, unknown>; body: unknown; author: string }[] }[]
  attachment: { id: string; recordId: string; filename: string; mediaType: string; text: string }
}
const expected = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'expected.json'), 'utf8')) as Expected
const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

function copyFixture(name: string): string {
  const dir = path.join(root, name)
  fs.cpSync(path.join(fixtureDir, 'vault'), dir, { recursive: true })
  return dir
}

async function checkContents(vault: Vault): Promise<void> {
  for (const record of expected.records) {
    const last = record.revisions.length
    const current = vault.getRecord(record.id)
    expect(current).toMatchObject({
      kind: record.kind,
      revision: last,
      summary: record.revisions[last - 1]!.summary,
      body: record.revisions[last - 1]!.body,
    })
    expect(current.author).toBe(record.revisions[last - 1]!.author)
    expect(vault.listRevisions(record.id).map((r) => r.summary)).toEqual(record.revisions.map((r) => r.summary))
    for (const [index, revision] of record.revisions.entries()) expect(vault.getRecord(record.id, index + 1).body).toEqual(revision.body)
  }
  expect(vault.listRecords({ kind: 'dossier' }).map((r) => r.id)).toEqual(
    expected.records.filter((r) => r.kind === 'dossier').map((r) => r.id),
  )
  const [info] = vault.listAttachments(expected.attachment.recordId)
  expect(info).toMatchObject({
    id: expected.attachment.id,
    filename: expected.attachment.filename,
    mediaType: expected.attachment.mediaType,
  })
  expect((await vault.readAttachment(expected.attachment.id)).toString('utf8')).toBe(expected.attachment.text)
  expect(vault.audit.verify()).toMatchObject({ ok: true })
}

describe('golden vault fixture v1', () => {
  it('is described correctly without unlocking', () => {
    const info = inspectVault(path.join(fixtureDir, 'vault'))
    expect(info).toMatchObject({ vaultId: expected.vaultId, formatVersion: 1 })
    expect(info.keyslots.map((k) => k.kind).sort()).toEqual(['passphrase', 'recovery'])
    expect(info.keyslots.find((k) => k.kind === 'passphrase')?.kdf).toEqual(expected.kdf)
  })

  it('opens with its passphrase and reads every known record, revision and the attachment', async () => {
    const vault = await openVault(copyFixture('by-passphrase'), Buffer.from(expected.passphrase, 'utf8'))
    try {
      await checkContents(vault)
    } finally {
      vault.lock()
    }
  })

  it('opens with its recovery key', async () => {
    const vault = await openVaultWithRecoveryKey(copyFixture('by-recovery'), expected.recoveryKey)
    try {
      await checkContents(vault)
    } finally {
      vault.lock()
    }
  })

  it('holds only the database and one blob (closed cleanly: no WAL)', () => {
    const tree = hashTree(path.join(fixtureDir, 'vault'))
    expect(Object.keys(tree).sort()).toEqual([`blobs/${expected.attachment.id.slice(0, 2)}/${expected.attachment.id}`, 'vault.sqlite'])
  })
})

describe('golden vault fixture v1 moves to item keys at its first unlock', () => {
  const passphrase = () => Buffer.from(expected.passphrase, 'utf8')
  const readRows = (dir: string) => {
    const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true })
    try {
      return {
        keys:
          (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'item_keys'`).get() as { n: number }).n === 0
            ? []
            : (db.prepare('SELECT item_kind, id, wrapped_by FROM item_keys ORDER BY item_kind, id').all() as {
                item_kind: string
                id: string
                wrapped_by: string
              }[]),
        nonces: (
          db.prepare('SELECT summary_nonce, body_nonce FROM revisions').all() as { summary_nonce: Buffer; body_nonce: Buffer }[]
        ).flatMap((r) => [r.summary_nonce.toString('hex'), r.body_nonce.toString('hex')]),
        blobVersions: (db.prepare('SELECT blob_version FROM attachments').all() as { blob_version: number }[]).map((r) => r.blob_version),
      }
    } finally {
      db.close()
    }
  }

  it('re-encrypts every record and the attachment under their own keys, with progress, and reopens intact', async () => {
    const dir = copyFixture('item-keys')
    const before = readRows(copyFixture('item-keys-before'))
    const oldBlob = fs.readFileSync(path.join(dir, 'blobs', expected.attachment.id.slice(0, 2), expected.attachment.id))
    const progress: { done: number; total: number }[] = []
    const vault = await openVault(dir, passphrase(), { onItemKeyMigration: (p) => progress.push(p) })
    try {
      await checkContents(vault)
      expect(vault.audit.list().some((e) => e.type === 'vault.item_keys_migrated')).toBe(true)
    } finally {
      vault.lock()
    }
    const total = expected.records.length + 1
    expect(progress[0]).toEqual({ done: 0, total })
    expect(progress.at(-1)).toEqual({ done: total, total })
    const after = readRows(dir)
    expect(after.keys).toEqual([
      { item_kind: 'attachment', id: expected.attachment.id, wrapped_by: 'vault' },
      ...expected.records.map((r) => ({ item_kind: 'record', id: r.id, wrapped_by: 'vault' })).sort((a, b) => a.id.localeCompare(b.id)),
    ])
    expect(after.blobVersions).toEqual([2])
    // Every revision was sealed again (fresh nonces); the blob is a new ciphertext, and no re-encryption file is left.
    for (const nonce of after.nonces) expect(before.nonces).not.toContain(nonce)
    const newBlob = fs.readFileSync(path.join(dir, 'blobs', expected.attachment.id.slice(0, 2), expected.attachment.id))
    expect(newBlob.equals(oldBlob)).toBe(false)
    expect(listFilesRecursive(dir).filter((f) => f.endsWith('.rekey'))).toEqual([])
    // The next unlock finds the state commitment intact (no TAMPERED) and has nothing left to migrate.
    const again: unknown[] = []
    const reopened = await openVault(dir, passphrase(), { onItemKeyMigration: (p) => again.push(p) })
    try {
      expect(reopened.checkIntegrity().intact).toBe(true)
      await checkContents(reopened)
    } finally {
      reopened.lock()
    }
    expect(again).toEqual([])
  })

  it('resumes after an interrupted migration (records committed, the attachment not yet) and after a half-done blob', async () => {
    const dir = copyFixture('item-keys-resume')
    const stop = new Error('interrupted')
    await expect(
      openVault(dir, passphrase(), {
        onItemKeyMigration: ({ done }) => {
          if (done === expected.records.length) throw stop
        },
      }),
    ).rejects.toBe(stop)
    expect(readRows(dir).keys.map((k) => k.item_kind)).toEqual(expected.records.map(() => 'record'))
    // A re-encrypted blob left by a kill before its commit is dropped, and the attachment is done again.
    const blobDir = path.join(dir, 'blobs', expected.attachment.id.slice(0, 2))
    fs.writeFileSync(path.join(blobDir, `${expected.attachment.id}.rekey`), 'half a blob')
    const vault = await openVault(dir, passphrase())
    try {
      expect(vault.checkIntegrity().intact).toBe(true)
      await checkContents(vault)
    } finally {
      vault.lock()
    }
    expect(readRows(dir).blobVersions).toEqual([2])
    expect(fs.readdirSync(blobDir)).toEqual([expected.attachment.id])
  })
})
