// Core test (Node): the activity log people can read (issue #17 item 4) on real SQLite files and real libsodium — an
// admin adds a legal adviser who joins and edits a dossier; the log names both, says what they did in words and
// which record; filters by member, action, record and dates; a chain changed outside Custodia is reported in words
// and nothing after the break is shown; the signed report verifies, and one changed character makes it fail.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { createVault, joinVault, MIN_KDF, openVault, type Vault } from '../../../electron/core/vault/vault'
import { createDossier, updateDossier } from '../../../electron/core/dossiers/dossierService'
import { createDocument } from '../../../electron/core/library/documentService'
import { listLegalBases } from '../../../electron/core/annotations/legalBasisVocabulary'
import { findMemberId, listActivity } from '../../../electron/core/activity/activityLog'
import {
  buildActivityPayload,
  buildActivityReportHtml,
  signActivityReport,
  verifyActivityReport,
} from '../../../electron/core/activity/activityReport'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
const ANNA_PASSPHRASE = Buffer.from('anna keeps the dossiers safe', 'utf8')
let counter = 0

/** Admin "Olena Admin" makes a dossier and a note, adds Anna (legal adviser), who joins and edits the dossier. */
async function buildVault(): Promise<{ dir: string; anna: Vault; dossierId: string; noteId: string; annaId: string; adminId: string }> {
  const dir = path.join(root, `v${++counter}`)
  const { vault: admin } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF, adminName: 'Olena Admin' })
  const adminId = admin.member!.id
  const dossier = createDossier(admin, { names: { original: 'Ivan <Petrov>' }, category: 'political-prisoner' })
  const noteId = createDocument(admin, { kind: 'note', title: 'Visit plan', date: null, text: 'Meet the lawyer' }).id
  const added = admin.addMember({ name: 'Anna Kovalenko', role: 'legal-adviser' })
  admin.lock()
  const { vault: anna } = await joinVault(dir, added.invitationCode, ANNA_PASSPHRASE)
  updateDossier(anna, dossier.id, { names: { original: 'Ivan <Petrov>' }, category: 'political-prisoner', homeRegion: 'Homel region' })
  return { dir, anna, dossierId: dossier.id, noteId, annaId: added.member.id, adminId }
}

describe('activity log', () => {
  it('names who did what to which record, in words, newest first, without the record-level duplicates', async () => {
    const { anna, dossierId, annaId, adminId } = await buildVault()
    listLegalBases(anna) // seeds the legal bases on first read: "Set up the legal bases", its record write folded in
    const listing = listActivity(anna, 'legal-adviser')
    expect(listing.verification).toMatchObject({ ok: true, firstBrokenSeq: null })
    const seqs = listing.entries.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a))

    const edited = listing.entries.find((e) => e.action === 'dossier.updated')!
    expect(edited).toMatchObject({
      memberId: annaId,
      memberName: 'Anna Kovalenko',
      actionLabel: 'Edited a dossier',
      recordId: dossierId,
      recordKind: 'Dossier',
      recordTitle: 'Ivan <Petrov>',
    })
    const created = listing.entries.find((e) => e.action === 'dossier.created')!
    expect(created).toMatchObject({ memberName: 'Olena Admin', recordTitle: 'Ivan <Petrov>' })
    expect(listing.entries.find((e) => e.action === 'member.joined')).toMatchObject({
      memberName: 'Anna Kovalenko',
      actionLabel: 'Joined the vault',
    })
    // The vault's own "record.updated" beside "dossier.updated" is folded in; the note (no area entry) keeps its own.
    expect(listing.entries.filter((e) => e.recordId === dossierId && e.action.startsWith('record.'))).toEqual([])
    expect(listing.entries.find((e) => e.action === 'record.created' && e.recordTitle === 'Visit plan')).toMatchObject({
      actionLabel: 'Created a record',
      recordKind: 'Note',
    })
    expect(listing.entries.find((e) => e.action === 'legal_basis.seeded')).toMatchObject({ actionLabel: 'Set up the legal bases' })
    expect(listing.entries.filter((e) => e.recordKind === 'Legal bases')).toEqual([])
    expect(listing.members.map((m) => m.name).sort()).toEqual(['Anna Kovalenko', 'Olena Admin'])
    expect(listing.members.find((m) => m.id === adminId)).toBeDefined()
    expect(listing.actions).toContainEqual({ action: 'dossier.updated', label: 'Edited a dossier' })
    anna.lock()
  })

  it('shows no record title where the reader has no role to see any (a member list changed outside Custodia)', async () => {
    const { anna } = await buildVault()
    const unknownRole = listActivity(anna, null)
    expect(unknownRole.entries.length).toBeGreaterThan(3)
    expect(unknownRole.entries.every((e) => e.recordTitle === null)).toBe(true)
    const edited = unknownRole.entries.find((e) => e.action === 'dossier.updated')!
    expect(edited.recordKind).toBe('Dossier')
    anna.lock()
  })

  it('filters by member, action, record (title words or id) and dates, both ends included', async () => {
    const { anna, dossierId, annaId, adminId } = await buildVault()
    const byAnna = listActivity(anna, 'admin', { memberId: annaId })
    expect(byAnna.entries.length).toBeGreaterThan(0)
    expect(byAnna.entries.every((e) => e.memberId === annaId)).toBe(true)
    expect(byAnna.matched).toBe(byAnna.entries.length)

    const edits = listActivity(anna, 'admin', { action: 'dossier.updated' })
    expect(edits.entries.map((e) => e.memberId)).toEqual([annaId])

    const byTitle = listActivity(anna, 'admin', { record: 'ivan <PET' })
    expect(new Set(byTitle.entries.map((e) => e.recordId))).toEqual(new Set([dossierId]))
    expect(byTitle.entries.map((e) => e.memberId)).toEqual(expect.arrayContaining([annaId, adminId]))
    expect(listActivity(anna, 'admin', { record: dossierId }).matched).toBe(byTitle.matched)
    expect(listActivity(anna, 'admin', { record: 'nobody by this name' }).entries).toEqual([])

    const today = new Date().toISOString().slice(0, 10)
    expect(listActivity(anna, 'admin', { since: today, until: today }).matched).toBe(listActivity(anna, 'admin').matched)
    expect(listActivity(anna, 'admin', { until: '2020-01-01' }).entries).toEqual([])
    expect(listActivity(anna, 'admin', { since: '2999-01-01' }).entries).toEqual([])
    expect(listActivity(anna, 'admin', {}, 2).entries).toHaveLength(2)
    anna.lock()
  })

  it('refuses a date that is not one, and a start after the end, in words', async () => {
    const { anna } = await buildVault()
    expect(() => listActivity(anna, 'admin', { since: '2026-02-30' })).toThrow(/The start date "2026-02-30" is not a date/)
    expect(() => listActivity(anna, 'admin', { until: 'yesterday' })).toThrow(/The end date "yesterday" is not a date/)
    expect(() => listActivity(anna, 'admin', { since: '2026-03-02', until: '2026-03-01' })).toThrow(/start date is after the end date/)
    anna.lock()
  })

  it('finds a member by name for the CLI, and says so when nobody has that name', async () => {
    const { anna, annaId } = await buildVault()
    expect(findMemberId(anna, '  anna   KOVALENKO ')).toBe(annaId)
    expect(() => findMemberId(anna, 'Boris')).toThrow('No member of this vault is called "Boris".')
    anna.lock()
  })

  it('reports a chain changed outside Custodia in words and lists only what came before the break', async () => {
    const { dir, anna } = await buildVault()
    const before = listActivity(anna, 'admin')
    const raw = new Database(path.join(dir, 'vault.sqlite'))
    try {
      const row = raw.prepare('SELECT ciphertext FROM audit_log WHERE seq = 4').get() as { ciphertext: Buffer }
      const changed = Buffer.from(row.ciphertext)
      changed[5] = changed[5]! ^ 1
      raw.prepare('UPDATE audit_log SET ciphertext = ? WHERE seq = 4').run(changed)
    } finally {
      raw.close()
    }
    const after = listActivity(anna, 'admin')
    expect(after.verification).toEqual({ ok: false, entries: 3, firstBrokenSeq: 4 })
    expect(after.entries.every((e) => e.seq < 4)).toBe(true)
    expect(after.matched).toBeLessThan(before.matched)
    const payload = buildActivityPayload(anna, after, {})
    expect(payload.verification.message).toBe(
      'The activity log was changed outside Custodia at entry 4. The 3 entries before it check out; what came after cannot be trusted and is not shown. Ask an admin to restore the vault from a backup.',
    )
    anna.lock()
  })
})

describe('activity report', () => {
  it('is signed by the vault identity; verifies; one changed character fails', async () => {
    const { dir, anna } = await buildVault()
    const filter = { action: 'dossier.updated' }
    const listing = listActivity(anna, 'legal-adviser', filter)
    const payload = buildActivityPayload(anna, listing, filter, new Date('2026-12-03T12:00:00Z'))
    const { text, fingerprint } = signActivityReport(anna, payload)
    const checked = verifyActivityReport(text)
    expect(checked.fingerprint).toBe(fingerprint)
    expect(checked.payload).toMatchObject({
      vaultId: anna.vaultId,
      generatedBy: { name: 'Anna Kovalenko' },
      filter,
      matched: 1,
      verification: { ok: true },
    })
    expect(checked.payload.entries.map((e) => [e.memberName, e.actionLabel, e.recordTitle])).toEqual([
      ['Anna Kovalenko', 'Edited a dossier', 'Ivan <Petrov>'],
    ])
    expect(JSON.parse(text).howToVerify).toMatch(/Ed25519 over the UTF-8 bytes/)

    const forged = JSON.parse(text) as { payload: string }
    forged.payload = forged.payload.replace('Anna Kovalenko', 'Anna Kovalenkp')
    expect(() => verifyActivityReport(JSON.stringify(forged))).toThrow('This activity report was changed after it was signed')
    expect(() => verifyActivityReport('not json')).toThrow('This file is not a Custodia activity report.')

    // The same identity signs the next report (it was made once, on first use) and the vault reopens as it was.
    expect(signActivityReport(anna, payload).fingerprint).toBe(fingerprint)
    anna.lock()
    const reopened = await openVault(dir, ANNA_PASSPHRASE, { member: 'Anna Kovalenko' })
    expect(reopened.audit.verify().ok).toBe(true)
    reopened.lock()
  })

  it('prints as a page with every value escaped and the chain check in words', async () => {
    const { anna } = await buildVault()
    const listing = listActivity(anna, 'admin', { record: 'Ivan' })
    const html = buildActivityReportHtml(buildActivityPayload(anna, listing, { record: 'Ivan' }), listing, null)
    expect(html).toContain('Dossier: Ivan &lt;Petrov&gt;')
    expect(html).not.toContain('<Petrov>')
    expect(html).toContain('The activity log is intact')
    expect(html).toContain('record “Ivan”')
    expect(html).toContain("default-src 'none'")
    expect(html).not.toMatch(/<script/i)
    anna.lock()
  })
})
