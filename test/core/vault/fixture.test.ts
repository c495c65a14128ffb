// Core test (Node): the golden vault written by format version 1 (test/fixtures/vault-v1, made by
// test/helpers/makeVaultFixture.ts) must open in every later version with its records, revisions and attachment.
// It is opened from a copy: unlocking writes audit entries and may migrate the schema.

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { inspectVault, openVault, openVaultWithRecoveryKey, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, hashTree } from '../../helpers/vaultTestUtils'

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
