// Core test (Node): vault members (issue #17) on real SQLite files and real libsodium — an admin adds a member, who
// joins with the one-time code and their own passphrase; unlocking as a member tries only their keyslot; every
// revision and audit entry names who did it; suspension, reinstatement and removal; each refusal (wrong, mistyped or
// expired code, a suspended member, the last admin, a non-admin) with its own message and nothing changed; members
// and invitations edited outside Custodia are caught by the state commitment; the golden v1 vault migrates.

import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import {
  createVault,
  INVITATION_LIFETIME_MS,
  joinVault,
  MIN_KDF,
  openVault,
  openVaultWithRecoveryKey,
  type Vault,
} from '../../../electron/core/vault/vault'
import { deriveSubkeys } from '../../../electron/core/platform/crypto/keys'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { StateKeys } from '../../../electron/core/vault/stateCommitment'
import { createTempDir, hashTree, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let counter = 0
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const ANNA_PASSPHRASE = Buffer.from('anna keeps the dossiers safe', 'utf8')

async function createAdminVault(): Promise<{ dir: string; vault: Vault; recoveryKey: string }> {
  const dir = path.join(root, `v${++counter}`)
  const { vault, recoveryKey } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF, adminName: 'Secretary General' })
  return { dir, vault, recoveryKey }
}

/** Every row of every table, as a second connection sees what is committed: "nothing changed" means this is equal. */
function dumpDb(dir: string): Record<string, unknown[]> {
  const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true })
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
      (r) => r.name,
    )
    return Object.fromEntries(tables.map((name) => [name, db.prepare(`SELECT * FROM ${name} ORDER BY rowid`).all()]))
  } finally {
    db.close()
  }
}

function editDb(dir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path.join(dir, 'vault.sqlite'))
  try {
    db.prepare(sql).run(...params)
  } finally {
    db.close()
  }
}

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    const value = typeof promise === 'function' ? promise() : await promise
    if (value && typeof (value as Vault).lock === 'function') (value as Vault).lock()
  } catch (error) {
    const { code, message } = error as { code: string; message: string }
    return { code, message }
  }
  throw new Error('expected a refusal')
}

/** An admin vault with a legal adviser, Anna, who has joined; closed. */
async function createVaultWithAnna(): Promise<{ dir: string; annaId: string; adminRecovery: string; annaRecovery: string }> {
  const { dir, vault, recoveryKey } = await createAdminVault()
  const added = vault.addMember({ name: 'Anna Kovalenko', role: 'legal-adviser', email: 'anna@example.org' })
  vault.lock()
  const joined = await joinVault(dir, added.invitationCode, ANNA_PASSPHRASE)
  joined.vault.lock()
  return { dir, annaId: added.member.id, adminRecovery: recoveryKey, annaRecovery: joined.recoveryKey }
}

describe('members', () => {
  it('a new vault has one admin member, named on the first audit entry', async () => {
    const { vault } = await createAdminVault()
    try {
      const [admin] = vault.listMembers()
      expect(vault.listMembers()).toHaveLength(1)
      expect(admin).toMatchObject({ name: 'Secretary General', role: 'admin', status: 'active', joined: true })
      expect(admin!.signingPublicKey).toMatch(/^[0-9a-f]{64}$/)
      expect(vault.member).toEqual({ id: admin!.id, name: 'Secretary General', role: 'admin' })
      expect(vault.audit.list()[0]).toMatchObject({ type: 'vault.created', by: admin!.id })
    } finally {
      vault.lock()
    }
  })

  it('an admin invites a member, who joins with the code and their own passphrase; both are named on their work', async () => {
    const { dir, vault } = await createAdminVault()
    const added = vault.addMember({ name: 'Anna Kovalenko', role: 'legal-adviser', email: 'anna@example.org' })
    expect(added.invitationCode).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/)
    expect(added.member).toMatchObject({ name: 'Anna Kovalenko', role: 'legal-adviser', joined: false, email: 'anna@example.org' })
    expect(Date.parse(added.invitationExpiresAt) - Date.now()).toBeGreaterThan(INVITATION_LIFETIME_MS - 60_000)
    const letter = vault.createRecord('letter', { summary: { title: 'To the minister' }, body: { text: 'one' } })
    const adminId = vault.member!.id
    vault.lock()
    // The code is not on disk: only its hash.
    const db = dumpDb(dir)
    expect(JSON.stringify(db)).not.toContain(added.invitationCode.replace(/-/g, ''))
    expect(db['invitations']).toHaveLength(1)

    const { vault: anna, recoveryKey } = await joinVault(dir, added.invitationCode, ANNA_PASSPHRASE)
    try {
      expect(anna.member).toMatchObject({ id: added.member.id, name: 'Anna Kovalenko', role: 'legal-adviser' })
      expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/)
      anna.updateRecord(letter.id, { summary: { title: 'To the minister' }, body: { text: 'two' } })
      const revisions = anna.listRevisions(letter.id)
      expect(revisions.map((r) => r.author)).toEqual(['Secretary General', 'Anna Kovalenko'])
      expect(anna.getRecord(letter.id)).toMatchObject({ author: 'Anna Kovalenko', authorId: added.member.id })
      expect(anna.getRecord(letter.id, 1)).toMatchObject({ author: 'Secretary General', authorId: adminId })
      const log = anna.audit.list()
      expect(log.find((e) => e.type === 'member.added')).toMatchObject({ by: adminId, details: { memberId: added.member.id } })
      expect(log.find((e) => e.type === 'member.joined')).toMatchObject({ by: added.member.id })
      expect(log.at(-1)).toMatchObject({ type: 'record.updated', by: added.member.id })
      expect(anna.listMembers().find((m) => m.id === added.member.id)).toMatchObject({ joined: true, invitationExpiresAt: null })
    } finally {
      anna.lock()
    }
    // One-time: the code no longer opens anything; the invitation row is gone.
    expect(dumpDb(dir)['invitations']).toEqual([])
    expect(await failure(joinVault(dir, added.invitationCode, ANNA_PASSPHRASE))).toMatchObject({ code: 'WRONG_PASSPHRASE' })
  })

  it('unlocks as a named member with their own passphrase and recovery key; a wrong name is refused like a wrong passphrase', async () => {
    const { dir, annaId, adminRecovery, annaRecovery } = await createVaultWithAnna()
    const anna = await openVault(dir, ANNA_PASSPHRASE, { member: '  anna   KOVALENKO ' })
    expect(anna.member?.id).toBe(annaId)
    anna.lock()
    const byAnyName = await openVault(dir, ANNA_PASSPHRASE)
    expect(byAnyName.member?.id).toBe(annaId)
    byAnyName.lock()
    const admin = await openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General' })
    expect(admin.member?.role).toBe('admin')
    admin.lock()
    const before = hashTree(dir)
    expect(await failure(openVault(dir, ANNA_PASSPHRASE, { member: 'Secretary General' }))).toEqual(
      expect.objectContaining({ code: 'WRONG_PASSPHRASE', message: 'The member name or the passphrase is wrong' }),
    )
    expect(await failure(openVault(dir, ANNA_PASSPHRASE, { member: 'Nobody' }))).toMatchObject({ code: 'WRONG_PASSPHRASE' })
    expect(hashTree(dir)).toEqual(before)
    const recovered = await openVaultWithRecoveryKey(dir, annaRecovery)
    expect(recovered.member?.id).toBe(annaId)
    recovered.lock()
    expect((await openVaultWithRecoveryKey(dir, adminRecovery)).member?.role).toBe('admin')
  })

  it('a changed passphrase keeps the member, their name hint and their signing key', async () => {
    const { dir, annaId } = await createVaultWithAnna()
    const anna = await openVault(dir, ANNA_PASSPHRASE, { member: 'Anna Kovalenko' })
    const key = anna.listMembers().find((m) => m.id === annaId)!.signingPublicKey
    await anna.changePassphrase(ANNA_PASSPHRASE, Buffer.from('a brand new passphrase for anna'))
    anna.lock()
    const again = await openVault(dir, Buffer.from('a brand new passphrase for anna'), { member: 'Anna Kovalenko' })
    expect(again.member?.id).toBe(annaId)
    expect(again.listMembers().find((m) => m.id === annaId)!.signingPublicKey).toBe(key)
    again.lock()
    // The admin's passphrase was untouched.
    ;(await openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General' })).lock()
  })

  it('suspend refuses the member with their own message; reinstate lets them in again', async () => {
    const { dir, annaId } = await createVaultWithAnna()
    const admin = await openVault(dir, TEST_PASSPHRASE)
    expect(admin.suspendMember(annaId)).toMatchObject({ status: 'suspended' })
    admin.lock()
    const before = hashTree(dir)
    expect(await failure(openVault(dir, ANNA_PASSPHRASE, { member: 'Anna Kovalenko' }))).toEqual({
      code: 'FORBIDDEN',
      message: 'Anna Kovalenko, your access to this vault is suspended. Ask an admin to reinstate you.',
    })
    expect(hashTree(dir)).toEqual(before)
    const again = await openVault(dir, TEST_PASSPHRASE)
    expect(again.reinstateMember(annaId)).toMatchObject({ status: 'active' })
    again.lock()
    ;(await openVault(dir, ANNA_PASSPHRASE)).lock()
  })

  it('remove deletes the keyslots: the passphrase and recovery key stop working; the name stays on their work', async () => {
    const { dir, annaId, annaRecovery } = await createVaultWithAnna()
    const anna = await openVault(dir, ANNA_PASSPHRASE)
    const note = anna.createRecord('note', { summary: { title: 'Visit' }, body: {} })
    anna.lock()
    const admin = await openVault(dir, TEST_PASSPHRASE)
    const slotsBefore = dumpDb(dir)['keyslots']!.length
    expect(admin.removeMember(annaId)).toMatchObject({ status: 'removed', joined: false })
    expect(dumpDb(dir)['keyslots']).toHaveLength(slotsBefore - 2)
    expect(admin.getRecord(note.id)).toMatchObject({ author: 'Anna Kovalenko', authorId: annaId })
    admin.lock()
    expect(await failure(openVault(dir, ANNA_PASSPHRASE))).toMatchObject({ code: 'WRONG_PASSPHRASE' })
    expect(await failure(openVaultWithRecoveryKey(dir, annaRecovery))).toMatchObject({ code: 'WRONG_PASSPHRASE' })
    // The commitment followed the removal: the admin opens a vault with nothing to report.
    const reopened = await openVault(dir, TEST_PASSPHRASE)
    expect(reopened.integrity.intact).toBe(true)
    reopened.lock()
  })
})

describe('members: bad input is refused with its own message and changes nothing', () => {
  it('a mistyped code, a code of nothing, an expired code', async () => {
    const { dir, vault } = await createAdminVault()
    const added = vault.addMember({ name: 'Anna Kovalenko', role: 'viewer' })
    vault.lock()
    const before = hashTree(dir)
    expect(await failure(joinVault(dir, 'ABCD-EFGH', ANNA_PASSPHRASE))).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('The invitation code is mistyped'),
    })
    const other = await createAdminVault()
    const foreign = other.vault.addMember({ name: 'Someone', role: 'viewer' }).invitationCode
    other.vault.lock()
    expect(await failure(joinVault(dir, foreign, ANNA_PASSPHRASE))).toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringContaining('This invitation code does not open this vault'),
    })
    const later = () => Date.now() + INVITATION_LIFETIME_MS + 60_000
    expect(await failure(joinVault(dir, added.invitationCode, ANNA_PASSPHRASE, { now: later }))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(
        /^This invitation code expired on \d{4}-\d\d-\d\d \(codes last 7 days\)\. Ask an admin for a new one\.$/,
      ),
    })
    expect(hashTree(dir)).toEqual(before)
    // Just before the end of the 7 days it still works.
    const justInTime = () => Date.parse(added.invitationExpiresAt) - 1000
    ;(await joinVault(dir, added.invitationCode, ANNA_PASSPHRASE, { now: justInTime })).vault.lock()
  })

  it('an expiry edited in the file does not make an old code work again', async () => {
    const { dir, vault } = await createAdminVault()
    const added = vault.addMember({ name: 'Anna Kovalenko', role: 'viewer' })
    vault.lock()
    editDb(dir, 'UPDATE invitations SET expires_at = expires_at + ?', 30 * INVITATION_LIFETIME_MS)
    const later = () => Date.now() + 2 * INVITATION_LIFETIME_MS
    expect(await failure(joinVault(dir, added.invitationCode, ANNA_PASSPHRASE, { now: later }))).toMatchObject({ code: 'WRONG_PASSPHRASE' })
  })

  it('a suspended member cannot join with an older code', async () => {
    const { dir, vault } = await createAdminVault()
    const added = vault.addMember({ name: 'Anna Kovalenko', role: 'viewer' })
    vault.suspendMember(added.member.id)
    vault.lock()
    const before = dumpDb(dir)
    expect(await failure(joinVault(dir, added.invitationCode, ANNA_PASSPHRASE))).toEqual({
      code: 'FORBIDDEN',
      message: 'Anna Kovalenko, your access to this vault is suspended. Ask an admin to reinstate you.',
    })
    expect(dumpDb(dir)).toEqual(before)
  })

  it('the last admin cannot remove, suspend or demote themselves', async () => {
    const { dir, vault } = await createAdminVault()
    const me = vault.member!.id
    vault.addMember({ name: 'Anna Kovalenko', role: 'legal-adviser' })
    const before = dumpDb(dir)
    expect(await failure(() => vault.removeMember(me))).toEqual({
      code: 'FORBIDDEN',
      message: 'You are the last admin of this vault, so you cannot remove yourself. Make another member admin first.',
    })
    expect(await failure(() => vault.suspendMember(me))).toEqual({
      code: 'FORBIDDEN',
      message: 'You are the last admin of this vault, so you cannot suspend yourself. Make another member admin first.',
    })
    expect(await failure(() => vault.setMemberRole(me, 'viewer'))).toEqual({
      code: 'FORBIDDEN',
      message: 'You are the last admin of this vault, so you cannot give up the admin role. Make another member admin first.',
    })
    expect(dumpDb(dir)).toEqual(before)
    vault.lock()
  })

  it('with a second admin, an admin can step down', async () => {
    const { dir, vault } = await createAdminVault()
    const me = vault.member!.id
    const other = vault.addMember({ name: 'Second Admin', role: 'admin' })
    expect(vault.setMemberRole(me, 'secretariat')).toMatchObject({ role: 'secretariat' })
    expect(vault.member?.role).toBe('secretariat')
    // Now a secretariat member: managing members is refused.
    expect(await failure(() => vault.suspendMember(other.member.id))).toMatchObject({ code: 'FORBIDDEN' })
    vault.lock()
    const reopened = await openVault(dir, TEST_PASSPHRASE)
    expect(reopened.member?.role).toBe('secretariat')
    reopened.lock()
  })

  it('a role change, an addition or a removal by a member who is not an admin', async () => {
    const { dir, annaId } = await createVaultWithAnna()
    const admin = await openVault(dir, TEST_PASSPHRASE)
    const adminId = admin.member!.id
    admin.lock()
    const anna = await openVault(dir, ANNA_PASSPHRASE)
    const before = dumpDb(dir)
    const refusal = { code: 'FORBIDDEN', message: 'Your role (Legal adviser) cannot manage members. Ask an admin.' }
    expect(await failure(() => anna.setMemberRole(annaId, 'admin'))).toEqual(refusal)
    expect(await failure(() => anna.setMemberRole(adminId, 'viewer'))).toEqual(refusal)
    expect(await failure(() => anna.addMember({ name: 'Friend', role: 'admin' }))).toEqual(refusal)
    expect(await failure(() => anna.removeMember(adminId))).toEqual(refusal)
    expect(dumpDb(dir)).toEqual(before)
    anna.lock()
  })

  it('names, e-mail addresses and roles are checked; two active members cannot share a name', async () => {
    const { dir, vault } = await createAdminVault()
    const before = dumpDb(dir)
    expect(await failure(() => vault.addMember({ name: '   ', role: 'viewer' }))).toMatchObject({ code: 'VALIDATION' })
    expect(await failure(() => vault.addMember({ name: 'A', role: 'boss' as never }))).toMatchObject({ code: 'VALIDATION' })
    expect(await failure(() => vault.addMember({ name: 'A', role: 'viewer', email: 'not an address' }))).toMatchObject({
      code: 'VALIDATION',
    })
    expect(await failure(() => vault.addMember({ name: 'secretary  GENERAL', role: 'viewer' }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('There is already a member called “Secretary General”'),
    })
    expect(dumpDb(dir)).toEqual(before)
    vault.lock()
  })
})

describe('members: changes made outside Custodia are caught at the next unlock', () => {
  it.each([
    ['a member row deleted', 'DELETE FROM members WHERE id = ?'],
    [
      "the admin's keyslot handed to an invited member",
      'UPDATE members SET keyslot_id = (SELECT keyslot_id FROM members WHERE keyslot_id IS NOT NULL) WHERE id = ?',
    ],
    ['an invitation deleted', 'DELETE FROM invitations WHERE member_id <> ? OR 1 = 1'],
  ])('%s', async (_label, sql) => {
    const { dir, vault } = await createAdminVault()
    const added = vault.addMember({ name: 'Invited Person', role: 'viewer' })
    vault.lock()
    editDb(dir, sql, added.member.id)
    const error = await failure(openVault(dir, TEST_PASSPHRASE))
    expect(error.code).toBe('TAMPERED')
    expect(error.message).toMatch(/members|Invitations/)
  })

  it('a suspension lifted by copying an older member row back is caught', async () => {
    const { dir, annaId } = await createVaultWithAnna()
    const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true })
    const old = db.prepare('SELECT meta_nonce, meta_ct FROM members WHERE id = ?').get(annaId) as { meta_nonce: Buffer; meta_ct: Buffer }
    db.close()
    const admin = await openVault(dir, TEST_PASSPHRASE)
    admin.suspendMember(annaId)
    admin.lock()
    editDb(dir, 'UPDATE members SET meta_nonce = ?, meta_ct = ? WHERE id = ?', old.meta_nonce, old.meta_ct, annaId)
    expect(await failure(openVault(dir, ANNA_PASSPHRASE))).toMatchObject({ code: 'TAMPERED', message: expect.stringContaining('members') })
  })
})

describe('members: migration of an older single-user vault', () => {
  const fixtureDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/vault-v1')
  const expected = JSON.parse(fs.readFileSync(path.join(fixtureDir, 'expected.json'), 'utf8')) as {
    passphrase: string
    recoveryKey: string
  }

  it('the golden v1 vault gets one admin member at its next unlock, its keyslots and records kept as they were', async () => {
    const dir = path.join(root, 'golden')
    fs.cpSync(path.join(fixtureDir, 'vault'), dir, { recursive: true })
    const beforeDb = dumpDb(dir)
    const vault = await openVault(dir, Buffer.from(expected.passphrase, 'utf8'), { member: 'Olena Shevchenko' })
    try {
      const members = vault.listMembers()
      expect(members).toEqual([expect.objectContaining({ name: 'Olena Shevchenko', role: 'admin', status: 'active', joined: true })])
      expect(members[0]!.signingPublicKey).toMatch(/^[0-9a-f]{64}$/)
      expect(vault.member?.id).toBe(members[0]!.id)
      expect(vault.audit.list().find((e) => e.type === 'member.added')).toMatchObject({ details: { migrated: true } })
      expect(vault.audit.verify()).toMatchObject({ ok: true })
    } finally {
      vault.lock()
    }
    const after = dumpDb(dir)
    // The member takes over the keyslots as they were; records keep their rows. (Revisions and attachments are sealed
    // again under item keys by the same unlock: fixture.test.ts checks that move.)
    for (const table of ['records', 'keyslots']) expect(after[table], table).toEqual(beforeDb[table])
    const member = after['members']![0] as { keyslot_id: string; recovery_slot_id: string }
    const slots = after['keyslots'] as { id: string; kind: string }[]
    expect(slots.find((s) => s.id === member.keyslot_id)?.kind).toBe('passphrase')
    expect(slots.find((s) => s.id === member.recovery_slot_id)?.kind).toBe('recovery')
    // From now on the member unlocks by name, the commitment covers the member row, and the recovery key still works.
    const again = await openVault(dir, Buffer.from(expected.passphrase, 'utf8'), { member: 'olena shevchenko' })
    expect(again.integrity.intact).toBe(true)
    again.lock()
    ;(await openVaultWithRecoveryKey(dir, expected.recoveryKey)).lock()
    editDb(dir, 'DELETE FROM members')
    expect(await failure(openVault(dir, Buffer.from(expected.passphrase, 'utf8')))).toMatchObject({ code: 'TAMPERED' })
  })

  it('a vault sealed before members (schema 3) keeps its commitment: extended, not re-made, and still catches edits', async () => {
    const sodium = await loadSodium('native')
    const { dir, vault } = await createAdminVault()
    const note = vault.createRecord('note', { summary: { title: 'Old' }, body: {} })
    const vaultId = vault.vaultId
    const vaultKey = Buffer.from(vault.__keyBuffersForTest()[0]!)
    vault.lock()
    // Back to what schema 3 wrote: no member tables, and a genuine commitment over the first eight areas only.
    const subkeys = deriveSubkeys(sodium, vaultKey)
    const keys = new StateKeys(sodium, subkeys.stateElements, subkeys.stateMac, vaultId)
    const db = new Database(path.join(dir, 'vault.sqlite'))
    // Schema 3 had no item keys either: without them the note cannot be read (the move to item keys skips it), which
    // does not matter here: this test is about the commitment.
    db.exec('DROP TABLE members; DROP TABLE invitations; DROP TABLE item_keys; DROP TABLE member_keys; DROP TABLE area_keys')
    const { state_digest } = db.prepare('SELECT state_digest FROM vault_meta').get() as { state_digest: Buffer }
    const legacy = state_digest.subarray(0, 8 * 32)
    db.prepare('UPDATE vault_meta SET state_digest = ?, state_mac = ?').run(legacy, keys.mac(legacy))
    db.pragma('user_version = 3')
    db.close()
    const migrated = await openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General' })
    expect(migrated.integrity.intact).toBe(true)
    expect(migrated.listMembers()).toEqual([expect.objectContaining({ name: 'Secretary General', role: 'admin' })])
    migrated.lock()
    const reopened = await openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General' })
    expect(reopened.integrity.intact).toBe(true)
    reopened.lock()
    editDb(dir, 'DELETE FROM records WHERE id = ?', note.id)
    expect(await failure(openVault(dir, TEST_PASSPHRASE))).toMatchObject({ code: 'TAMPERED', message: expect.stringContaining(note.id) })
  })
})
