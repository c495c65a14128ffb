// Core test (Node): content epochs reach member details and the activity log, and cannot be rolled back (issue #17,
// item 3; docs/CRYPTO.md §17), on real SQLite files and real libsodium. After a removal, a member detail and an activity
// entry written after it open with no key the removed member held — tried with SQL and libsodium-wrappers-sumo alone —
// while a member who stays opens them with their own keys. A removed member who kept the vault key and can write to
// the folder deletes the newer epochs and recomputes the whole-vault commitment: the next unlock of a member who saw
// them is refused TAMPERED and writes nothing. A schema-7 vault and the golden v1 fixture migrate to 8 unchanged.

import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../electron/core/platform/db/connection'
import { VaultRepository } from '../../../electron/core/platform/db/vaultRepo'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { VaultInternals } from '../../../electron/core/vault/internals'
import { joinVault, openVault } from '../../../electron/core/vault/vault'
import { ad, deriveRawKeys, rawSodiumReady, readDb, readVaultMeta, symmetricKeys, xOpen, type Row } from '../../helpers/rawVaultKeys'
import { ADMIN_LOGIN, ANNA, as, captureEverything, createTeamVault, SAM } from '../../helpers/teamVault'
import { createTempDir } from '../../helpers/vaultTestUtils'

const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

let sodium: Awaited<ReturnType<typeof rawSodiumReady>>
beforeAll(async () => {
  sodium = await rawSodiumReady()
})

const ROLLED_BACK = expect.objectContaining({ code: 'TAMPERED', message: expect.stringContaining("This vault's keys were set back") })

/**
 * Every key `keys` could turn into a member-details or activity key, as CRYPTO.md §17 derives them: each key itself, and
 * BLAKE2b-256(key, AD(label, vaultId, "content:N")) for N up to 5 — so a kept content key is tried in every role.
 */
function withDerived(dir: string, keys: readonly Uint8Array[], label: 'member.key' | 'audit.key'): Uint8Array[] {
  const vaultId = readDb(dir, readVaultMeta).vault_id
  const derived = keys.flatMap((key) =>
    [1, 2, 3, 4, 5].map((epoch) => sodium.crypto_generichash(32, ad(label, vaultId, `content:${epoch}`), key)),
  )
  return [...keys, ...derived]
}

/** Whether any of `keys` opens the member's sealed details (AD("member.meta", vaultId, memberId, fv)). */
function anyKeyOpensMember(dir: string, memberId: string, keys: readonly Uint8Array[]): boolean {
  return readDb(dir, (db) => {
    const meta = readVaultMeta(db)
    const row = db.prepare('SELECT * FROM members WHERE id = ?').get(memberId) as Row
    const memberAd = ad('member.meta', meta.vault_id, memberId, meta.format_version)
    return keys.some((key) => xOpen(row['meta_ct'] as Buffer, memberAd, row['meta_nonce'] as Buffer, key) !== null)
  })
}

/** The seqs of the activity entries any of `keys` opens (AD("audit", vaultId, seq, fv)), among `seqs`. */
function auditSeqsOpenedBy(dir: string, seqs: readonly number[], keys: readonly Uint8Array[]): number[] {
  return readDb(dir, (db) => {
    const meta = readVaultMeta(db)
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[]
    return rows
      .filter((row) => seqs.includes(row['seq'] as number))
      .filter((row) =>
        keys.some(
          (key) =>
            xOpen(
              row['ciphertext'] as Buffer,
              ad('audit', meta.vault_id, row['seq'] as number, meta.format_version),
              row['nonce'] as Buffer,
              key,
            ) !== null,
        ),
      )
      .map((row) => row['seq'] as number)
  })
}

function column<T>(dir: string, sql: string, ...params: unknown[]): T[] {
  return readDb(dir, (db) => (db.prepare(sql).all(...params) as Record<string, T>[]).map((row) => Object.values(row)[0]!))
}

function fileHash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

/**
 * What a removed member who kept the vault key and can write to the folder does with a modified program: runs `edit`
 * on vault.sqlite, then recomputes the whole-vault commitment and the audit head with the vault key, so that the
 * check at unlock finds nothing changed.
 */
async function editAsInsider(dir: string, vaultKey: Uint8Array, edit: (db: Database.Database) => void): Promise<void> {
  const appSodium = await loadSodium('native')
  const db = openDatabase(path.join(dir, 'vault.sqlite'))
  try {
    const meta = readVaultMeta(db)
    const key = appSodium.allocKey(32)
    key.set(vaultKey)
    const repo = new VaultRepository(db)
    const forger = new VaultInternals(dir, db, repo, appSodium, meta.vault_id, meta.format_version, key)
    repo.runInTransaction(() => {
      edit(db)
      forger.chain.reHead()
      forger.state.seal()
    })
  } finally {
    db.close()
  }
}

describe('member details and the activity log after a removal', () => {
  it('a member detail and an activity entry written after the removal open with no key the removed member held; the members who stay open them', async () => {
    const { dir, annaId, samId, leeId, annaRecovery } = await createTeamVault(root)
    // Lee goes first: content epoch 1, which Anna then holds too (so her kept keys include a content key).
    await as(dir, ADMIN_LOGIN, (vault) => vault.removeMember(leeId))
    const kept = captureEverything(dir, annaId, ANNA.passphrase, annaRecovery)
    const keptMemberKeys = withDerived(dir, kept, 'member.key')
    const keptAuditKeys = withDerived(dir, kept, 'audit.key')
    // Positive controls: what was written before opens with what she kept — Lee's row as "removed" and the entries of
    // that removal (epoch 1), and the entries of the vault's first days (epoch 0).
    expect(anyKeyOpensMember(dir, leeId, keptMemberKeys)).toBe(true)
    const before = column<number>(dir, 'SELECT seq FROM audit_log')
    expect(auditSeqsOpenedBy(dir, before, keptAuditKeys)).toEqual(before)
    expect(column<number>(dir, 'SELECT DISTINCT key_epoch FROM audit_log ORDER BY 1')).toEqual([0, 1])

    const written = await as(dir, ADMIN_LOGIN, (vault) => {
      const from = vault.audit.verify().entries + 1
      vault.removeMember(annaId)
      const noor = vault.addMember({ name: 'Noor Newcomer', email: 'noor@example.org', role: 'secretariat' })
      vault.setMemberRole(samId, 'archivist')
      vault.createRecord('note', { summary: { t: 'after' }, body: 'after the removal' })
      return { from, noorId: noor.member.id }
    })
    const after = column<number>(dir, 'SELECT seq FROM audit_log WHERE seq >= ?', written.from)
    // The removal itself, the new member, the role change, the record: all under content epoch 2.
    expect(after.length).toBeGreaterThanOrEqual(5)
    expect(column<number>(dir, 'SELECT DISTINCT key_epoch FROM audit_log WHERE seq >= ?', written.from)).toEqual([2])
    for (const id of [written.noorId, samId, annaId])
      expect(column<number>(dir, 'SELECT meta_epoch FROM members WHERE id = ?', id)).toEqual([2])

    // Nothing written since opens with anything she kept, as such or as a derived content key.
    for (const id of [written.noorId, samId, annaId]) expect(anyKeyOpensMember(dir, id, keptMemberKeys)).toBe(false)
    expect(auditSeqsOpenedBy(dir, after, keptAuditKeys)).toEqual([])

    // Sam, who stays, reaches content:2 with his own passphrase and the files alone, and it opens all of it.
    const sam = deriveRawKeys(dir, samId, SAM.passphrase)
    expect(sam.areaKeys.has('content:2')).toBe(true)
    expect(anyKeyOpensMember(dir, written.noorId, withDerived(dir, symmetricKeys(sam), 'member.key'))).toBe(true)
    expect(auditSeqsOpenedBy(dir, after, withDerived(dir, symmetricKeys(sam), 'audit.key'))).toEqual(after)

    // Through the app, old and new read as one list and one log.
    for (const login of [ADMIN_LOGIN, { name: SAM.name, passphrase: SAM.passphrase }]) {
      await as(dir, login, (vault) => {
        const members = vault.listMembers()
        expect(members.find((m) => m.id === written.noorId)).toMatchObject({ name: 'Noor Newcomer', email: 'noor@example.org' })
        expect(members.find((m) => m.id === annaId)).toMatchObject({ name: ANNA.name, status: 'removed' })
        expect(members.find((m) => m.id === leeId)).toMatchObject({ status: 'removed' })
        expect(vault.audit.verify()).toMatchObject({ ok: true })
        const types = vault.audit.list().map((entry) => entry.type)
        expect(types).toEqual(expect.arrayContaining(['vault.created', 'member.removed', 'content.rotated', 'member.role_changed']))
      })
    }
  })
})

describe('invitations across a removal', () => {
  it('a member whose details changed after a removal cannot join with the older code, is told to ask for a new one, and joins with it', async () => {
    const { dir, leeId } = await createTeamVault(root)
    const noor = await as(dir, ADMIN_LOGIN, (vault) => vault.addMember({ name: 'Noor Newcomer', role: 'secretariat' }))
    await as(dir, ADMIN_LOGIN, (vault) => {
      vault.removeMember(leeId)
      // Sealed again after the removal, under content:1, which the first code does not carry.
      vault.setMemberRole(noor.member.id, 'viewer')
    })
    expect(column<number>(dir, 'SELECT meta_epoch FROM members WHERE id = ?', noor.member.id)).toEqual([1])
    const passphrase = Buffer.from('noor is new to the team', 'utf8')
    await expect(joinVault(dir, noor.invitationCode, passphrase)).rejects.toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: expect.stringContaining('Ask an admin for a new invitation code') }),
    )
    const code = await as(dir, ADMIN_LOGIN, (vault) => vault.renewInvitation(noor.member.id).invitationCode)
    const joined = await joinVault(dir, code, passphrase)
    try {
      expect(joined.vault.listMembers().find((m) => m.id === noor.member.id)).toMatchObject({ role: 'viewer', joined: true })
    } finally {
      joined.vault.lock()
    }
  })
})

describe('a removed member cannot set the content epoch back', () => {
  it.each([
    ['every content epoch deleted (back to the vault key)', "DELETE FROM area_keys WHERE area = 'content'"],
    ['the newest content epoch deleted (back to the one she held)', "DELETE FROM area_keys WHERE area = 'content' AND epoch = 2"],
  ])(
    '%s, commitment recomputed with the vault key: the unlock of a member who saw it is refused TAMPERED and writes nothing',
    async (_, sql) => {
      const { dir, annaId, leeId, annaRecovery } = await createTeamVault(root)
      await as(dir, ADMIN_LOGIN, (vault) => vault.removeMember(leeId))
      const kept = deriveRawKeys(dir, annaId, ANNA.passphrase)
      expect(captureEverything(dir, annaId, ANNA.passphrase, annaRecovery).length).toBeGreaterThan(10)
      await as(dir, ADMIN_LOGIN, (vault) => vault.removeMember(annaId))
      // Sam unlocks once after the removal, so he has seen epoch 2 too.
      await as(dir, SAM, () => undefined)

      await editAsInsider(dir, kept.vaultKey, (db) => db.prepare(sql).run())
      const dbFile = path.join(dir, 'vault.sqlite')
      const bytesBefore = fileHash(dbFile)
      for (const login of [ADMIN_LOGIN, SAM])
        await expect(openVault(dir, login.passphrase, { member: login.name })).rejects.toThrow(ROLLED_BACK)
      expect(fileHash(dbFile)).toBe(bytesBefore)
    },
  )

  it('a floor edited to an older epoch does not verify: TAMPERED', async () => {
    const { dir, annaId, leeId } = await createTeamVault(root)
    await as(dir, ADMIN_LOGIN, (vault) => vault.removeMember(leeId))
    const kept = deriveRawKeys(dir, annaId, ANNA.passphrase)
    await as(dir, ADMIN_LOGIN, (vault) => vault.removeMember(annaId))
    await editAsInsider(dir, kept.vaultKey, (db) => {
      db.prepare("DELETE FROM area_keys WHERE area = 'content' AND epoch = 2").run()
      db.prepare('UPDATE member_keys SET content_floor = 1').run()
    })
    await expect(openVault(dir, ADMIN_LOGIN.passphrase, { member: ADMIN_LOGIN.name })).rejects.toThrow(ROLLED_BACK)
  })

  it('an honest vault raises each floor as its member meets a new epoch, and unlocks as before', async () => {
    const { dir, leeId, samId } = await createTeamVault(root)
    const floorOf = (memberId: string) => column<number>(dir, 'SELECT content_floor FROM member_keys WHERE member_id = ?', memberId)[0]
    expect(floorOf(samId)).toBe(0)
    await as(dir, ADMIN_LOGIN, (vault) => vault.removeMember(leeId))
    // The remover's floor moved with the removal; Sam's at his next unlock.
    const adminId = await as(dir, ADMIN_LOGIN, (vault) => vault.listMembers().find((m) => m.name === ADMIN_LOGIN.name)!.id)
    expect(floorOf(adminId)).toBe(1)
    expect(floorOf(samId)).toBe(0)
    await as(dir, SAM, (vault) => expect(vault.listMembers()).toHaveLength(4))
    expect(floorOf(samId)).toBe(1)
    expect(column<Buffer>(dir, 'SELECT floor_mac FROM member_keys').every((mac) => Buffer.isBuffer(mac) && mac.length === 32)).toBe(true)
  })
})

describe('migration to schema 8', () => {
  const ADDED = [
    'members.meta_epoch',
    'audit_log.key_epoch',
    'member_keys.content_floor',
    'member_keys.sensitive_floor',
    'member_keys.floor_mac',
  ]

  it('a schema-7 vault migrates with every stored byte as it was; its first removal afterwards moves new rows to epoch 1', async () => {
    const { dir, leeId } = await createTeamVault(root)
    // What schema 7 wrote: before any removal its rows are the rows this build writes, without the new columns.
    const db = new Database(path.join(dir, 'vault.sqlite'))
    try {
      for (const name of ADDED) db.exec(`ALTER TABLE ${name.split('.')[0]} DROP COLUMN ${name.split('.')[1]}`)
      db.pragma('user_version = 7')
    } finally {
      db.close()
    }
    const snapshot = (d: Database.Database) => ({
      members: d
        .prepare('SELECT id, keyslot_id, recovery_slot_id, name_hint, meta_nonce, meta_ct, signing_nonce, signing_ct FROM members')
        .all(),
      audit: d.prepare('SELECT seq, nonce, ciphertext, mac FROM audit_log ORDER BY seq').all(),
      memberKeys: d
        .prepare('SELECT member_id, public_key, nonce, sealed_secret, recovery_nonce, recovery_sealed FROM member_keys ORDER BY member_id')
        .all(),
      areaKeys: d.prepare('SELECT * FROM area_keys ORDER BY area, epoch, member_id').all(),
    })
    const before = readDb(dir, snapshot)

    await as(dir, SAM, (vault) => {
      expect(vault.listMembers().map((m) => m.name)).toContain(ADMIN_LOGIN.name)
      expect(vault.audit.verify()).toMatchObject({ ok: true })
    })
    readDb(dir, (migrated) => {
      expect(migrated.pragma('user_version', { simple: true })).toBe(8)
      const after = snapshot(migrated)
      expect(after.members).toEqual(before.members)
      expect(after.memberKeys).toEqual(before.memberKeys)
      expect(after.areaKeys).toEqual(before.areaKeys)
      // Every entry as it was; the unlock appended its own after them.
      expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit)
    })
    expect(column<number>(dir, 'SELECT DISTINCT meta_epoch FROM members')).toEqual([0])
    expect(column<number>(dir, 'SELECT DISTINCT key_epoch FROM audit_log')).toEqual([0])

    await as(dir, ADMIN_LOGIN, (vault) => vault.removeMember(leeId))
    expect(column<number>(dir, 'SELECT meta_epoch FROM members WHERE id = ?', leeId)).toEqual([1])
    await as(dir, SAM, (vault) => {
      expect(vault.listMembers().find((m) => m.id === leeId)).toMatchObject({ status: 'removed' })
      expect(vault.audit.verify()).toMatchObject({ ok: true })
    })
  })

  it('the golden v1 vault migrates to 8: its activity log and member stay at epoch 0 and open; after a removal new ones move', async () => {
    const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/vault-v1')
    const expected = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'expected.json'), 'utf8')) as { passphrase: string }
    const dir = path.join(root, 'golden')
    fs.cpSync(path.join(fixtureDir, 'vault'), dir, { recursive: true })
    const passphrase = Buffer.from(expected.passphrase, 'utf8')
    const vault = await openVault(dir, passphrase)
    let removedId: string
    try {
      expect(vault.audit.verify()).toMatchObject({ ok: true })
      expect(vault.listMembers()).toHaveLength(1)
      expect(column<number>(dir, 'SELECT DISTINCT key_epoch FROM audit_log')).toEqual([0])
      removedId = vault.addMember({ name: 'Short Stay', role: 'viewer' }).member.id
      vault.removeMember(removedId)
      expect(vault.audit.verify()).toMatchObject({ ok: true })
      expect(vault.audit.list().map((entry) => entry.type)).toContain('member.removed')
    } finally {
      vault.lock()
    }
    expect(column<number>(dir, 'SELECT meta_epoch FROM members WHERE id = ?', removedId)).toEqual([1])
    expect(column<number>(dir, 'SELECT key_epoch FROM audit_log ORDER BY seq DESC LIMIT 1')).toEqual([1])
    await openVault(dir, passphrase).then((again) => {
      expect(again.listMembers().map((m) => m.status)).toEqual(['active', 'removed'])
      again.lock()
    })
  })
})
