// Core test (Node): keys where roles matter (issue #17, item 3; docs/CRYPTO.md §16), on real SQLite files and real
// libsodium. The decisive attempts read vault.sqlite with SQL and decrypt with libsodium alone (libsodium-wrappers-sumo,
// not the app's code): a secretariat member holding the vault files and their own passphrase cannot decrypt a
// dossier's sensitive sections, a legal adviser can; after a removal, nothing sensitive written later opens with any
// key the removed member held. Also: role changes grant and revoke; older dossiers move their sensitive sections apart
// at an admin's unlock; the state commitment catches a deleted grant.

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createVault, joinVault, MIN_KDF, openVault, openVaultWithRecoveryKey, type Vault } from '../../../electron/core/vault/vault'
import { createDossier, getDossier, updateDossier } from '../../../electron/core/dossiers/dossierService'
import { dossierPartSplitter } from '../../../electron/core/dossiers/dossierParts'
import { DOSSIER_RECORD_KIND, parseDossier } from '../../../shared/dossiers/dossier'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'
import {
  ad,
  deriveRawKeys,
  openRawItemKey,
  rawSodiumReady,
  readDb,
  symmetricKeys,
  xOpen,
  type RawKeys,
  type Row,
} from '../../helpers/rawVaultKeys'

const root = createTempDir()
let counter = 0
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

let sodium: Awaited<ReturnType<typeof rawSodiumReady>>
beforeAll(async () => {
  sodium = await rawSodiumReady()
})

const ANNA = { name: 'Anna Kovalenko', passphrase: Buffer.from('anna keeps the dossiers safe', 'utf8') }
const SAM = { name: 'Sam Secretariat', passphrase: Buffer.from('sam drafts the letters daily', 'utf8') }
const SPLITTERS = { partSplitters: [dossierPartSplitter] }

// Markers that must never be readable without the sensitive key: one per sensitive section.
const FAMILY = 'FAMILYMARKERqz1'
const MEDICAL = 'MEDICALMARKERqz2'
const SOURCE = 'SOURCEMARKERqz3'

function sensitiveDossier(tag: string) {
  return {
    names: { original: `Ivan Petrenko ${tag}` },
    category: 'civilian-detainee',
    statusHistory: [{ id: 'a'.repeat(32), date: '2024-03-01', status: 'detained', sourceIds: ['b'.repeat(32)] }],
    vulnerability: { ill: true, medicalNote: `${MEDICAL}${tag}` },
    sources: [{ id: 'b'.repeat(32), type: 'person', name: `${SOURCE}${tag}` }],
    family: { contacts: [{ name: `${FAMILY}${tag}`, relation: 'sister', phone: '+380 44 000 00 00' }] },
  }
}

/** An admin vault; Anna (legal adviser) and Sam (secretariat) joined; the admin unlocked once more (Anna's grant sealed). */
async function createTeamVault(): Promise<{ dir: string; annaId: string; samId: string; annaRecovery: string }> {
  const dir = path.join(root, `v${++counter}`)
  const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF, adminName: 'Secretary General' })
  const anna = vault.addMember({ name: ANNA.name, role: 'legal-adviser' })
  const sam = vault.addMember({ name: SAM.name, role: 'secretariat' })
  vault.lock()
  const annaJoined = await joinVault(dir, anna.invitationCode, ANNA.passphrase)
  annaJoined.vault.lock()
  ;(await joinVault(dir, sam.invitationCode, SAM.passphrase)).vault.lock()
  ;(await openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General', ...SPLITTERS })).lock()
  return { dir, annaId: anna.member.id, samId: sam.member.id, annaRecovery: annaJoined.recoveryKey }
}

async function asAdmin<T>(dir: string, work: (vault: Vault) => T | Promise<T>): Promise<T> {
  const vault = await openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General', ...SPLITTERS })
  try {
    return await work(vault)
  } finally {
    vault.lock()
  }
}

// --- libsodium only, no app code: what a member holding the files and their passphrase can decrypt ---------------

interface RawPart {
  by: string
  kn: string
  k: string
  n: string
  c: string
}

/** A revision's body envelope, its item key opened with any key they hold (CRYPTO.md §15, §17). */
function openRawBody(dir: string, keys: RawKeys, recordId: string, revision: number): { body: unknown; part?: RawPart; text: string } {
  return readDb(dir, (db) => {
    const meta = db.prepare('SELECT vault_id, format_version FROM vault_meta').get() as { vault_id: string; format_version: number }
    const record = db.prepare('SELECT kind_tag FROM records WHERE id = ?').get(recordId) as { kind_tag: Buffer }
    const rev = db.prepare('SELECT body_nonce, body_ct FROM revisions WHERE record_id = ? AND revision = ?').get(recordId, revision) as Row
    // Under subkey 11 (content epoch 0) or a content key (CRYPTO.md §17): whichever key they hold opens it.
    const itemKey = openRawItemKey(db, 'record', recordId, symmetricKeys(keys))
    if (!itemKey) throw new Error('the item key does not open')
    const bodyAd = ad('record.body', meta.vault_id, recordId, record.kind_tag.toString('hex'), revision, meta.format_version)
    const plain = xOpen(rev['body_ct'] as Buffer, bodyAd, rev['body_nonce'] as Buffer, itemKey)
    if (!plain) throw new Error('the body does not open')
    const text = Buffer.from(plain).toString('utf8')
    return { ...(JSON.parse(text) as { body: unknown; part?: RawPart }), text }
  })
}

/** The sensitive part's plaintext with the keys given, or null; tries every symmetric key they hold, not only the right one. */
function openRawPart(dir: string, keys: RawKeys, recordId: string, part: RawPart): string | null {
  const meta = readDb(
    dir,
    (db) => db.prepare('SELECT vault_id, format_version FROM vault_meta').get() as { vault_id: string; format_version: number },
  )
  const kn = Buffer.from(part.kn, 'base64')
  const k = Buffer.from(part.k, 'base64')
  const n = Buffer.from(part.n, 'base64')
  const c = Buffer.from(part.c, 'base64')
  const symmetric = symmetricKeys(keys)
  const partAd = ad('record.part', meta.vault_id, recordId, meta.format_version)
  for (const candidate of symmetric) {
    // The part sealed straight under a key they hold?
    const direct = xOpen(c, partAd, n, candidate)
    if (direct) return Buffer.from(direct).toString('utf8')
    // The part key wrapped under a key they hold?
    const partKey = xOpen(k, ad('part.key', meta.vault_id, recordId, part.by, meta.format_version), kn, candidate)
    if (!partKey) continue
    const plain = xOpen(c, partAd, n, partKey)
    if (plain) return Buffer.from(plain).toString('utf8')
  }
  return null
}

function currentRevision(dir: string, recordId: string): number {
  return readDb(
    dir,
    (db) =>
      (db.prepare('SELECT current_revision FROM records WHERE id = ?').get(recordId) as { current_revision: number }).current_revision,
  )
}

function countOpenableGrants(dir: string, keys: RawKeys): number {
  return readDb(dir, (db) => {
    let opened = 0
    for (const grant of db.prepare('SELECT sealed FROM area_keys WHERE sealed IS NOT NULL').all() as { sealed: Buffer }[]) {
      try {
        sodium.crypto_box_seal_open(grant.sealed, keys.boxPublic, keys.boxSecret)
        opened += 1
      } catch {
        // Not theirs.
      }
    }
    return opened
  })
}

function editDb(dir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path.join(dir, 'vault.sqlite'))
  try {
    db.prepare(sql).run(...params)
  } finally {
    db.close()
  }
}

describe('keys where roles matter: sensitive parts of dossiers', () => {
  it("with the vault files and their own passphrase, a secretariat member's keys cannot decrypt a sensitive field; a legal adviser's can", async () => {
    const { dir, annaId, samId } = await createTeamVault()
    const created = await asAdmin(dir, (vault) => createDossier(vault, sensitiveDossier('1')))
    const revision = currentRevision(dir, created.id)

    const sam = deriveRawKeys(dir, samId, SAM.passphrase)
    const samView = openRawBody(dir, sam, created.id, revision)
    // The vault key opens the dossier's open part (names, status)…
    expect(samView.text).toContain('Ivan Petrenko 1')
    // …but none of the sensitive sections is in it, and the sealed part opens with none of Sam's keys.
    for (const marker of [FAMILY, MEDICAL, SOURCE]) expect(samView.text).not.toContain(marker)
    expect(samView.part?.by).toBe('sensitive:1')
    expect(sam.areaKeys.size).toBe(0)
    expect(countOpenableGrants(dir, sam)).toBe(0)
    expect(openRawPart(dir, sam, created.id, samView.part!)).toBeNull()

    const anna = deriveRawKeys(dir, annaId, ANNA.passphrase)
    expect([...anna.areaKeys.keys()]).toEqual(['sensitive:1'])
    const annaPart = openRawPart(dir, anna, created.id, openRawBody(dir, anna, created.id, revision).part!)
    for (const marker of [`${FAMILY}1`, `${MEDICAL}1`, `${SOURCE}1`]) expect(annaPart).toContain(marker)

    // Through the app: Sam sees the sections as hidden (not an error), Anna sees the whole dossier.
    const samVault = await openVault(dir, SAM.passphrase, { member: SAM.name })
    const hidden = getDossier(samVault, created.id)
    samVault.lock()
    expect(hidden.sensitiveHidden).toBe(true)
    expect(JSON.stringify(hidden.dossier)).not.toMatch(/MARKER/)
    expect(hidden.dossier.statusHistory[0]!.sourceIds).toEqual([])
    const annaVault = await openVault(dir, ANNA.passphrase, { member: ANNA.name })
    const whole = getDossier(annaVault, created.id)
    annaVault.lock()
    expect(whole.sensitiveHidden).toBe(false)
    expect(whole.dossier.family.contacts[0]!.name).toBe(`${FAMILY}1`)
    expect(whole.dossier.vulnerability.medicalNote).toBe(`${MEDICAL}1`)
    expect(whole.dossier.statusHistory[0]!.sourceIds).toEqual(['b'.repeat(32)])
  })

  it('a removed member cannot unlock, and nothing sensitive written after the removal opens with any key they held', async () => {
    const { dir, annaId } = await createTeamVault()
    const before = await asAdmin(dir, (vault) => createDossier(vault, sensitiveDossier('old')))
    // Everything Anna could take with her: vault key, its subkeys, her key pair, the area key of epoch 1.
    const annaKept = deriveRawKeys(dir, annaId, ANNA.passphrase)
    expect(annaKept.areaKeys.has('sensitive:1')).toBe(true)
    // What was written before the removal she could read then (and a copy of the file from then still opens).
    const oldBody = openRawBody(dir, annaKept, before.id, 1)
    expect(openRawPart(dir, annaKept, before.id, oldBody.part!)).toContain(`${MEDICAL}old`)

    const after = await asAdmin(dir, (vault) => {
      vault.removeMember(annaId)
      const fresh = createDossier(vault, sensitiveDossier('new'))
      const current = getDossier(vault, before.id)
      updateDossier(vault, before.id, {
        ...current.dossier,
        vulnerability: { ...current.dossier.vulnerability, medicalNote: `${MEDICAL}later` },
      })
      return fresh
    })
    await expect(openVault(dir, ANNA.passphrase, { member: ANNA.name })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    await expect(openVault(dir, ANNA.passphrase)).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })

    // A copy of the vault key no longer opens even the open parts of what was written after: their item keys are
    // wrapped under the new content key (CRYPTO.md §17; contentRotation.test.ts tries every key she held)…
    expect(() => openRawBody(dir, annaKept, after.id, 1)).toThrow('the item key does not open')
    expect(() => openRawBody(dir, annaKept, before.id, currentRevision(dir, before.id))).toThrow('the item key does not open')
    // …and no key she held opens what is sensitive in it either.
    const adminId = await asAdmin(dir, (vault) => vault.member!.id)
    const admin = deriveRawKeys(dir, adminId, TEST_PASSPHRASE)
    const newBody = openRawBody(dir, admin, after.id, 1)
    expect(newBody.part?.by).toBe('sensitive:2')
    expect(openRawPart(dir, annaKept, after.id, newBody.part!)).toBeNull()
    const updated = openRawBody(dir, admin, before.id, currentRevision(dir, before.id))
    expect(updated.part?.by).toBe('sensitive:2')
    expect(openRawPart(dir, annaKept, before.id, updated.part!)).toBeNull()
    expect(countOpenableGrants(dir, annaKept)).toBe(0)

    // The admin, who keeps access, reads old and new.
    await asAdmin(dir, (vault) => {
      expect(getDossier(vault, after.id).dossier.vulnerability.medicalNote).toBe(`${MEDICAL}new`)
      expect(getDossier(vault, before.id, 1).dossier.vulnerability.medicalNote).toBe(`${MEDICAL}old`)
      expect(getDossier(vault, before.id).dossier.vulnerability.medicalNote).toBe(`${MEDICAL}later`)
    })
  })

  it('an invitation carries the key: a legal adviser reads sensitive parts from their first unlock, a secretariat member never', async () => {
    const dir = path.join(root, `v${++counter}`)
    const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF, adminName: 'Secretary General' })
    const dossier = createDossier(vault, sensitiveDossier('i'))
    const anna = vault.addMember({ name: ANNA.name, role: 'legal-adviser' })
    const sam = vault.addMember({ name: SAM.name, role: 'secretariat' })
    vault.lock()
    const annaJoined = await joinVault(dir, anna.invitationCode, ANNA.passphrase)
    expect(getDossier(annaJoined.vault, dossier.id).dossier.family.contacts[0]!.name).toBe(`${FAMILY}i`)
    annaJoined.vault.lock()
    const samJoined = await joinVault(dir, sam.invitationCode, SAM.passphrase)
    expect(getDossier(samJoined.vault, dossier.id).sensitiveHidden).toBe(true)
    samJoined.vault.lock()
    expect(readDb(dir, (db) => db.prepare('SELECT area_sealed FROM invitations').all())).toEqual([])
    expect(deriveRawKeys(dir, sam.member.id, SAM.passphrase).areaKeys.size).toBe(0)
  })

  it('the key follows a passphrase change, and a recovery-key unlock opens it too', async () => {
    const { dir, annaRecovery } = await createTeamVault()
    const dossier = await asAdmin(dir, (vault) => createDossier(vault, sensitiveDossier('p')))
    const newPassphrase = Buffer.from('anna has a brand new passphrase', 'utf8')
    const anna = await openVault(dir, ANNA.passphrase, { member: ANNA.name })
    await anna.changePassphrase(ANNA.passphrase, newPassphrase)
    anna.lock()
    const again = await openVault(dir, newPassphrase, { member: ANNA.name })
    expect(getDossier(again, dossier.id).dossier.vulnerability.medicalNote).toBe(`${MEDICAL}p`)
    again.lock()
    const recovered = await openVaultWithRecoveryKey(dir, annaRecovery)
    expect(recovered.member?.name).toBe(ANNA.name)
    expect(getDossier(recovered, dossier.id).dossier.family.contacts[0]!.name).toBe(`${FAMILY}p`)
    recovered.lock()
  })

  it('a role change grants the key, and losing the role starts a new epoch without them', async () => {
    const { dir, samId } = await createTeamVault()
    const dossier = await asAdmin(dir, (vault) => createDossier(vault, sensitiveDossier('r')))
    await asAdmin(dir, (vault) => vault.setMemberRole(samId, 'legal-adviser'))
    let samVault = await openVault(dir, SAM.passphrase, { member: SAM.name })
    expect(getDossier(samVault, dossier.id).dossier.family.contacts[0]!.name).toBe(`${FAMILY}r`)
    samVault.lock()
    const samAsAdviser = deriveRawKeys(dir, samId, SAM.passphrase)
    expect([...samAsAdviser.areaKeys.keys()]).toEqual(['sensitive:1'])

    const later = await asAdmin(dir, (vault) => {
      vault.setMemberRole(samId, 'secretariat')
      return createDossier(vault, sensitiveDossier('after'))
    })
    expect(readDb(dir, (db) => db.prepare('SELECT count(*) AS n FROM area_keys WHERE member_id = ?').get(samId))).toEqual({ n: 0 })
    const part = openRawBody(dir, samAsAdviser, later.id, 1).part!
    expect(part.by).toBe('sensitive:2')
    expect(openRawPart(dir, samAsAdviser, later.id, part)).toBeNull()
    samVault = await openVault(dir, SAM.passphrase, { member: SAM.name })
    expect(getDossier(samVault, later.id).sensitiveHidden).toBe(true)
    samVault.lock()
  })

  it('a member without the key edits the open part and keeps the sensitive part as it was; adding sensitive data is refused', async () => {
    const { dir, samId } = await createTeamVault()
    const dossier = await asAdmin(dir, (vault) => createDossier(vault, sensitiveDossier('k')))
    const samVault = await openVault(dir, SAM.passphrase, { member: SAM.name })
    try {
      const hidden = getDossier(samVault, dossier.id)
      updateDossier(samVault, dossier.id, { ...hidden.dossier, homeRegion: 'Kherson oblast' })
      const refused = (() => {
        try {
          updateDossier(samVault, dossier.id, { ...hidden.dossier, vulnerability: { ...hidden.dossier.vulnerability, medicalNote: 'x' } })
        } catch (error) {
          return error as { code: string; message: string }
        }
        return null
      })()
      expect(refused).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('hidden for your role') })
    } finally {
      samVault.lock()
    }
    expect(samId).toMatch(/^[0-9a-f]{32}$/)
    await asAdmin(dir, (vault) => {
      const whole = getDossier(vault, dossier.id)
      expect(whole.revision).toBe(2)
      expect(whole.dossier.homeRegion).toBe('Kherson oblast')
      expect(whole.dossier.family.contacts[0]!.name).toBe(`${FAMILY}k`)
      expect(whole.dossier.statusHistory[0]!.sourceIds).toEqual(['b'.repeat(32)])
    })
  })

  it("dossiers written before sensitive parts existed move them apart at an admin's unlock, every revision", async () => {
    const { dir, samId } = await createTeamVault()
    // Bodies as a vault before schema 6 wrote them: the whole dossier in the body, no part.
    const legacy = await asAdmin(dir, (vault) => {
      const whole = parseDossier(sensitiveDossier('legacy'))
      const ref = vault.createRecord(DOSSIER_RECORD_KIND, { summary: { v: 1, name: 'Ivan' }, body: whole })
      vault.updateRecord(ref.id, { summary: { v: 1, name: 'Ivan' }, body: { ...whole, homeRegion: 'Donetsk oblast' } })
      editDb(dir, 'DELETE FROM settings WHERE name = ?', 'partsMoved.dossier')
      return ref
    })
    // The DELETE above was made outside Custodia while the admin was working: accept it the way an admin would.
    const admin = await openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General', onTampered: 'review', ...SPLITTERS })
    admin.acceptIntegrityReport()
    admin.lock()
    const reopened = await openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General', ...SPLITTERS })
    expect(reopened.integrity.intact).toBe(true)
    expect(reopened.audit.list().some((entry) => entry.type === 'vault.parts_moved' && entry.details['revisions'] === 2)).toBe(true)
    expect(getDossier(reopened, legacy.id).dossier.homeRegion).toBe('Donetsk oblast')
    expect(getDossier(reopened, legacy.id, 1).dossier.family.contacts[0]!.name).toBe(`${FAMILY}legacy`)
    reopened.lock()
    const sam = deriveRawKeys(dir, samId, SAM.passphrase)
    for (const revision of [1, 2]) {
      const body = openRawBody(dir, sam, legacy.id, revision)
      for (const marker of [FAMILY, MEDICAL, SOURCE]) expect(body.text).not.toContain(marker)
      expect(openRawPart(dir, sam, legacy.id, body.part!)).toBeNull()
    }
  })

  it('the state commitment reports a grant deleted outside Custodia', async () => {
    const { dir, annaId } = await createTeamVault()
    editDb(dir, 'DELETE FROM area_keys WHERE member_id = ?', annaId)
    await expect(openVault(dir, TEST_PASSPHRASE, { member: 'Secretary General' })).rejects.toMatchObject({
      code: 'TAMPERED',
      message: expect.stringContaining('sensitive parts of dossiers'),
    })
  })
})
