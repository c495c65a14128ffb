// Core test (Node): content epochs (issue #17, item 3; docs/CRYPTO.md §17), on real SQLite files, real blob files and
// real libsodium. The done-when line: a removed member's passphrase cannot unlock, and data written after the removal
// is not decryptable with any key they held. Every key the member could reach is captured before the removal; the
// decrypt attempts afterwards read vault.sqlite with SQL and the blob files with fs, and decrypt with
// libsodium-wrappers-sumo alone (no app code). The members who stay read everything, old and new; the search-index
// snapshot written after moves to the new epoch too. Also: a schema-6 vault migrates to 7 with every stored byte as it
// was (content epoch 0).

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDocument } from '../../../electron/core/library/documentService'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createSearchExtractors, SearchService } from '../../../electron/core/search/searchService'
import { getSnapshotPath } from '../../../electron/core/search/snapshot'
import { joinVault, openVault, openVaultWithRecoveryKey } from '../../../electron/core/vault/vault'
import {
  ad,
  deriveRawKeys,
  openRawItemKey,
  rawSodiumReady,
  readDb,
  readVaultMeta,
  symmetricKeys,
  xOpen,
  type Row,
} from '../../helpers/rawVaultKeys'
import { ADMIN_LOGIN, ANNA, as, captureEverything, createTeamVault, SAM } from '../../helpers/teamVault'
import { createTempDir } from '../../helpers/vaultTestUtils'

const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

let sodium: Awaited<ReturnType<typeof rawSodiumReady>>
beforeAll(async () => {
  sodium = await rawSodiumReady()
})

async function* fileChunks(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, 'utf8')
}

/** Whether any of `keys` opens any revision (summary or body) of the record, or its item key. */
function anyKeyOpensRecord(dir: string, recordId: string, keys: readonly Uint8Array[], fromRevision = 1): boolean {
  return readDb(dir, (db) => {
    const meta = readVaultMeta(db)
    if (openRawItemKey(db, 'record', recordId, keys)) return true
    const kindTag = (db.prepare('SELECT kind_tag FROM records WHERE id = ?').get(recordId) as { kind_tag: Buffer }).kind_tag.toString('hex')
    const revisions = db.prepare('SELECT * FROM revisions WHERE record_id = ? AND revision >= ?').all(recordId, fromRevision) as Row[]
    expect(revisions.length).toBeGreaterThan(0)
    return revisions.some((rev) =>
      (['summary', 'body'] as const).some((part) =>
        keys.some((key) =>
          xOpen(
            rev[`${part}_ct`] as Buffer,
            ad(`record.${part}`, meta.vault_id, recordId, kindTag, rev['revision'] as number, meta.format_version),
            rev[`${part}_nonce`] as Buffer,
            key,
          ),
        ),
      ),
    )
  })
}

/** Whether any of `keys` opens the attachment: its item key, its sealed metadata, or the first chunk of its blob file. */
function anyKeyOpensAttachment(dir: string, attachmentId: string, keys: readonly Uint8Array[]): boolean {
  return readDb(dir, (db) => {
    const meta = readVaultMeta(db)
    if (openRawItemKey(db, 'attachment', attachmentId, keys)) return true
    const row = db.prepare('SELECT * FROM attachments WHERE id = ?').get(attachmentId) as Row
    const metaAd = ad('attachment.meta', meta.vault_id, attachmentId, row['record_id'] as string, meta.format_version)
    if (keys.some((key) => xOpen(row['meta_ct'] as Buffer, metaAd, row['meta_nonce'] as Buffer, key))) return true
    const blob = fs.readFileSync(path.join(dir, 'blobs', attachmentId.slice(0, 2), attachmentId))
    return keys.some((key) => rawBlobOpens(blob, key, meta, attachmentId))
  })
}

/** CRYPTO.md §3 blob format: 8-byte prefix, secretstream header, chunks with AD("attachment.stream", …) ‖ prefix. */
function rawBlobOpens(blob: Buffer, key: Uint8Array, meta: { vault_id: string; format_version: number }, attachmentId: string): boolean {
  const prefix = blob.subarray(0, 8)
  const header = blob.subarray(8, 32)
  const firstChunk = blob.subarray(32, Math.min(blob.length, 32 + 1024 * 1024 + 17))
  const chunkAd = Buffer.concat([ad('attachment.stream', meta.vault_id, attachmentId, meta.format_version), prefix])
  try {
    const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key)
    return Boolean(sodium.crypto_secretstream_xchacha20poly1305_pull(state, firstChunk, chunkAd))
  } catch {
    return false
  }
}

function wrappedBy(dir: string, kind: 'record' | 'attachment', id: string): string {
  return readDb(
    dir,
    (db) =>
      (db.prepare('SELECT wrapped_by FROM item_keys WHERE item_kind = ? AND id = ?').get(kind, id) as { wrapped_by: string }).wrapped_by,
  )
}

describe('content epochs: what a removed member kept opens nothing written after', () => {
  it('after a removal, no key the member held opens a new record, a new revision or a new attachment; the others read everything; their passphrase and recovery key do not unlock', async () => {
    const { dir, annaId, samId, leeId, annaRecovery } = await createTeamVault(root)
    // Lee goes first: content epoch 1, which Anna then holds too (so her kept keys include a content key).
    await as(dir, ADMIN_LOGIN, (vault) => vault.removeMember(leeId))
    const old = await as(dir, ADMIN_LOGIN, async (vault) => {
      const record = vault.createRecord('note', { summary: { t: 'OLDSUMMARYqz' }, body: 'OLDBODYqz' })
      const attachment = await vault.addAttachmentFromStream(record.id, fileChunks('OLDFILEqz'), {
        filename: 'old.txt',
        mediaType: 'text/plain',
      })
      return { recordId: record.id, attachmentId: attachment.id }
    })
    expect(wrappedBy(dir, 'record', old.recordId)).toBe('content:1')
    const kept = captureEverything(dir, annaId, ANNA.passphrase, annaRecovery)
    expect(kept.length).toBeGreaterThan(15)
    // A positive control for the raw readers: what existed then opens with what she kept.
    expect(anyKeyOpensRecord(dir, old.recordId, kept)).toBe(true)
    expect(anyKeyOpensAttachment(dir, old.attachmentId, kept)).toBe(true)

    const fresh = await as(dir, ADMIN_LOGIN, async (vault) => {
      vault.removeMember(annaId)
      const record = vault.createRecord('note', { summary: { t: 'NEWSUMMARYqz' }, body: 'NEWBODYqz' })
      vault.updateRecord(old.recordId, { summary: { t: 'OLDSUMMARYqz v2' }, body: 'LATERBODYqz' })
      const onNew = await vault.addAttachmentFromStream(record.id, fileChunks('NEWFILEqz'), {
        filename: 'new.txt',
        mediaType: 'text/plain',
      })
      const onOld = await vault.addAttachmentFromStream(old.recordId, fileChunks('LATERFILEqz'), {
        filename: 'later.txt',
        mediaType: 'text/plain',
      })
      return { recordId: record.id, attachmentIds: [onNew.id, onOld.id] }
    })

    // Their passphrase and their recovery key open nothing any more.
    await expect(openVault(dir, ANNA.passphrase, { member: ANNA.name })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await expect(openVault(dir, ANNA.passphrase)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await expect(openVaultWithRecoveryKey(dir, annaRecovery)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })

    // Everything written after is under content epoch 2, and none of the kept keys opens any of it: not the item keys,
    // not a revision of the new record, not the revision saved later on the old record, not an attachment's metadata or blob.
    expect(wrappedBy(dir, 'record', fresh.recordId)).toBe('content:2')
    expect(wrappedBy(dir, 'record', old.recordId)).toBe('content:2')
    for (const id of fresh.attachmentIds) expect(wrappedBy(dir, 'attachment', id)).toBe('content:2')
    expect(anyKeyOpensRecord(dir, fresh.recordId, kept)).toBe(false)
    expect(anyKeyOpensRecord(dir, old.recordId, kept)).toBe(false)
    for (const id of fresh.attachmentIds) expect(anyKeyOpensAttachment(dir, id, kept)).toBe(false)
    // The attachment written before keeps its key (no mass re-encryption): she could read it then and still can.
    expect(wrappedBy(dir, 'attachment', old.attachmentId)).toBe('content:1')

    // Sam, who stays, reaches content:2 with his own passphrase and the files alone, and it opens the new items.
    const sam = deriveRawKeys(dir, samId, SAM.passphrase)
    expect([...sam.areaKeys.keys()].sort()).toEqual(['content:1', 'content:2'])
    expect(anyKeyOpensRecord(dir, fresh.recordId, symmetricKeys(sam))).toBe(true)
    for (const id of fresh.attachmentIds) expect(anyKeyOpensAttachment(dir, id, symmetricKeys(sam))).toBe(true)

    // Through the app, Sam and the admin read old and new, every revision.
    for (const login of [ADMIN_LOGIN, SAM]) {
      await as(dir, login, async (vault) => {
        expect(vault.getRecord(fresh.recordId).body).toBe('NEWBODYqz')
        expect(vault.getRecord(old.recordId).body).toBe('LATERBODYqz')
        expect(vault.getRecord(old.recordId, 1).body).toBe('OLDBODYqz')
        expect(
          vault
            .listRecords()
            .map((r) => r.summary['t'])
            .sort(),
        ).toEqual(['NEWSUMMARYqz', 'OLDSUMMARYqz v2'])
        expect((await vault.readAttachment(old.attachmentId)).toString()).toBe('OLDFILEqz')
        expect((await vault.readAttachment(fresh.attachmentIds[0]!)).toString()).toBe('NEWFILEqz')
        expect((await vault.readAttachment(fresh.attachmentIds[1]!)).toString()).toBe('LATERFILEqz')
      })
    }
  })

  it('the search-index snapshot written after a removal opens with no key the member held (it holds the words of every record)', async () => {
    const { dir, annaId, samId, annaRecovery } = await createTeamVault(root)
    const kept = captureEverything(dir, annaId, ANNA.passphrase, annaRecovery)
    await as(dir, ADMIN_LOGIN, async (vault) => {
      vault.removeMember(annaId)
      createDocument(vault, { kind: 'letter', title: 'About SNAPWORDqz', date: '2025-01-02', text: 'SNAPWORDqz was detained.' })
      const engine = await SearchService.open(vault, { sodium: await loadSodium('native'), extractors: createSearchExtractors() })
      expect(engine.search('SNAPWORDqz').hits).toHaveLength(1)
      engine.close()
    })
    const file = fs.readFileSync(getSnapshotPath(dir))
    const { vault_id: vaultId } = readDb(dir, readVaultMeta)
    // "CUSTSNAP" | u32 version | 24-byte nonce | ciphertext (search/snapshot.ts), AD("search-snapshot", vaultId, version).
    const version = file.readUInt32BE(8)
    const snapshotAd = ad('search-snapshot', vaultId, version)
    const opens = (key: Uint8Array) => xOpen(file.subarray(36), snapshotAd, file.subarray(12, 36), key) !== null
    expect(kept.some(opens)).toBe(false)
    // Sam derives it from content:1 as CRYPTO.md §17 says, and it opens.
    const sam = deriveRawKeys(dir, samId, SAM.passphrase)
    const samSearchKey = sodium.crypto_generichash(32, ad('search.key', vaultId, 'content:1'), sam.areaKeys.get('content:1')!)
    expect(opens(samSearchKey)).toBe(true)
  })

  it('a member invited after a removal reads old and new from their first unlock (the invitation carries the content keys)', async () => {
    const { dir, leeId } = await createTeamVault(root)
    const before = await as(dir, ADMIN_LOGIN, (vault) => vault.createRecord('note', { summary: {}, body: 'before' }).id)
    const invitation = await as(dir, ADMIN_LOGIN, (vault) => {
      vault.removeMember(leeId)
      return vault.addMember({ name: 'Noor Newcomer', role: 'secretariat' }).invitationCode
    })
    const after = await as(dir, ADMIN_LOGIN, (vault) => vault.createRecord('note', { summary: {}, body: 'after' }).id)
    const { vault } = await joinVault(dir, invitation, Buffer.from('noor is new to the team', 'utf8'))
    try {
      expect(vault.getRecord(before).body).toBe('before')
      expect(vault.getRecord(after).body).toBe('after')
      const mine = vault.createRecord('note', { summary: {}, body: 'mine' }).id
      expect(vault.getRecord(mine).body).toBe('mine')
    } finally {
      vault.lock()
    }
    expect(wrappedBy(dir, 'record', after)).toBe('content:1')
  })

  it("a member who joins after a removal with an older invitation reads new documents once a holder's unlock seals their key", async () => {
    const { dir, leeId } = await createTeamVault(root)
    // Invited while the vault was still in content epoch 0: the code carries no content key.
    const invitation = await as(dir, ADMIN_LOGIN, (vault) => vault.addMember({ name: 'Noor Newcomer', role: 'secretariat' }).invitationCode)
    const after = await as(dir, ADMIN_LOGIN, (vault) => {
      vault.removeMember(leeId)
      return vault.createRecord('note', { summary: {}, body: 'after' }).id
    })
    const noor = { name: 'Noor Newcomer', passphrase: Buffer.from('noor is new to the team', 'utf8') }
    const { vault } = await joinVault(dir, invitation, noor.passphrase)
    try {
      // Their grant of content:1 waits for a holder: they are told so, and nothing is written under an older key.
      const waiting = { code: 'FORBIDDEN', message: expect.stringContaining('Ask an admin to open the vault once') }
      expect(() => vault.getRecord(after)).toThrow(expect.objectContaining(waiting))
      expect(() => vault.createRecord('note', { summary: {}, body: 'mine' })).toThrow(expect.objectContaining(waiting))
    } finally {
      vault.lock()
    }
    await as(dir, ADMIN_LOGIN, () => undefined)
    await as(dir, noor, (later) => {
      expect(later.getRecord(after).body).toBe('after')
      expect(later.getRecord(later.createRecord('note', { summary: {}, body: 'mine' }).id).body).toBe('mine')
    })
  })

  it('a file prepared before a removal and linked after it is refused: it must be encrypted again', async () => {
    const { dir, leeId } = await createTeamVault(root)
    await as(dir, ADMIN_LOGIN, async (vault) => {
      const record = vault.createRecord('note', { summary: {}, body: 'x' })
      const staged = await vault.stageAttachment(fileChunks('prepared early'), { filename: 'early.txt', mediaType: 'text/plain' })
      vault.removeMember(leeId)
      expect(() => vault.linkStagedAttachment(record.id, staged)).toThrow(
        expect.objectContaining({ code: 'CONFLICT', message: 'A member was removed while this file was being added. Add the file again.' }),
      )
      expect(vault.listAttachments(record.id)).toEqual([])
    })
  })

  it('a schema-6 vault migrates to 7 (and on to 8) with every stored byte as it was: item keys stay in content epoch 0', async () => {
    const { dir, samId } = await createTeamVault(root)
    const ids = await as(dir, ADMIN_LOGIN, async (vault) => {
      const record = vault.createRecord('note', { summary: { t: 'x' }, body: 'written at schema 6' })
      vault.updateRecord(record.id, { summary: { t: 'y' }, body: 'again at schema 6' })
      const attachment = await vault.addAttachmentFromStream(record.id, fileChunks('a file'), {
        filename: 'a.txt',
        mediaType: 'text/plain',
      })
      return { recordId: record.id, attachmentId: attachment.id }
    })
    // What schema 6 wrote: this build writes the same rows before any removal; only the version differs.
    const snapshot = (db: Database.Database) => ({
      itemKeys: db.prepare('SELECT * FROM item_keys ORDER BY item_kind, id').all(),
      revisions: db.prepare('SELECT * FROM revisions ORDER BY record_id, revision').all(),
      attachments: db.prepare('SELECT * FROM attachments ORDER BY id').all(),
      areaKeys: db.prepare('SELECT * FROM area_keys ORDER BY area, epoch, member_id').all(),
    })
    const db = new Database(path.join(dir, 'vault.sqlite'))
    let before: ReturnType<typeof snapshot>
    try {
      db.pragma('user_version = 6')
      before = snapshot(db)
    } finally {
      db.close()
    }
    expect((before.itemKeys as Row[]).every((row) => row['wrapped_by'] === 'vault')).toBe(true)
    const blob = fs.readFileSync(path.join(dir, 'blobs', ids.attachmentId.slice(0, 2), ids.attachmentId))

    await as(dir, ADMIN_LOGIN, async (vault) => {
      expect(vault.getRecord(ids.recordId, 1).body).toBe('written at schema 6')
      expect(vault.getRecord(ids.recordId).body).toBe('again at schema 6')
      expect((await vault.readAttachment(ids.attachmentId)).toString()).toBe('a file')
    })
    readDb(dir, (migrated) => {
      expect(migrated.pragma('user_version', { simple: true })).toBe(8)
      expect(snapshot(migrated)).toEqual(before)
    })
    expect(fs.readFileSync(path.join(dir, 'blobs', ids.attachmentId.slice(0, 2), ids.attachmentId)).equals(blob)).toBe(true)

    // The first removal afterwards starts epoch 1; the record saved again moves to it, every revision still readable.
    await as(dir, ADMIN_LOGIN, (vault) => {
      vault.removeMember(samId)
      vault.updateRecord(ids.recordId, { summary: { t: 'z' }, body: 'after the removal' })
      expect(vault.listRevisions(ids.recordId).map((r) => r.summary['t'])).toEqual(['x', 'y', 'z'])
      expect(vault.getRecord(ids.recordId, 1).body).toBe('written at schema 6')
    })
    expect(wrappedBy(dir, 'record', ids.recordId)).toBe('content:1')
    expect(wrappedBy(dir, 'attachment', ids.attachmentId)).toBe('vault')
  })
})
