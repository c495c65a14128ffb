// Core (Node): sync of dossiers, annotations, deletions and shredding through a plain shared folder — replicas on real
// vault files and real libsodium. Dossiers merge field by field; their sensitive parts travel only to roles that may
// read them and are never written in plaintext; tombstones remove records everywhere (a shred through the receiver's
// own shred path) and nothing comes back; annotations wait for their anchor and replies from both sides are kept; any
// delivery order of the same change-sets from three replicas gives the same state.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAnnotation, replyToAnnotation } from '../../../electron/core/annotations/annotationService'
import { createDossier, createDossierList, deleteDossier, getDossier, updateDossier } from '../../../electron/core/dossiers/dossierService'
import { deleteLibraryDocument } from '../../../electron/core/library/libraryService'
import { SYNC_ROOT_DIR } from '../../../electron/core/sync/syncFormat'
import {
  computeSyncDigest,
  createSyncInvitation,
  joinSyncTeam,
  readSyncStatus,
  removeSyncMember,
  runSync,
  runSyncAndShred,
  type SyncContext,
} from '../../../electron/core/sync/syncEngine'
import { readTeam } from '../../../electron/core/sync/syncState'
import { joinVault, openVault } from '../../../electron/core/vault/vault'
import type { Dossier } from '../../../shared/dossiers/dossier'
import { addLetter, makeFirstReplica, makeJoinedReplica, makeVault, SYNC_TEST_PASSPHRASE, testSodium } from '../../helpers/syncReplicas'
import { createTempDir, listFilesRecursive } from '../../helpers/vaultTestUtils'

let work: string
beforeAll(() => {
  work = createTempDir()
})
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true })
})

const MEDICAL = 'Needs insulin twice daily MEDICALMARKER'
const CONTACT = 'Olena CONTACTMARKER'

function person(name: string): Record<string, unknown> {
  return {
    names: { original: name },
    category: 'political-prisoner',
    homeRegion: 'Kherson oblast',
    vulnerability: { medicalNote: MEDICAL },
    family: { contacts: [{ name: CONTACT, relation: 'sister' }] },
  }
}

/** A team of Anna (admin, first), Bohdan (legal adviser: may read sensitive parts) and Chen (secretariat: may not). */
async function makeTeam(name: string) {
  const dir = path.join(work, name)
  const folder = path.join(dir, 'shared')
  fs.mkdirSync(folder, { recursive: true })
  const a = await makeFirstReplica(dir, 'Anna', folder)
  const b = await makeJoinedReplica(dir, a, 'Bohdan', folder, 'legal-adviser')
  const c = await makeJoinedReplica(dir, a, 'Chen', folder, 'secretariat')
  return { dir, folder, a, b, c }
}

function syncAll(...sides: SyncContext[]): void {
  for (let round = 0; round < 2; round++) for (const side of sides) runSync(side)
}

/** Every file under `dir` holding `marker` in its bytes (plain UTF-8 or UTF-16). */
function filesHolding(dir: string, marker: string): string[] {
  return listFilesRecursive(dir).filter((file) => {
    const bytes = fs.readFileSync(file)
    return bytes.includes(Buffer.from(marker, 'utf8')) || bytes.includes(Buffer.from(marker, 'utf16le'))
  })
}

describe('sync of dossiers, annotations and tombstones', () => {
  it('carries a dossier with its sensitive part sealed again under each vault key, never to a role that may not read it, never in plaintext', async () => {
    const { dir, a, b, c } = await makeTeam('sensitive')
    const id = createDossier(a.vault, person('Ivan Petrenko')).id
    syncAll(a, b, c)
    const onB = getDossier(b.vault, id)
    expect(onB.sensitiveHidden).toBe(false)
    expect(onB.dossier.vulnerability.medicalNote).toBe(MEDICAL)
    expect(onB.dossier.family.contacts.map((x) => x.name)).toEqual([CONTACT])
    // Chen's device has no sensitive key: the open part arrives, the sensitive part never does.
    const onC = c.vault.getRecord<Dossier>(id)
    expect(onC.body.names.original).toBe('Ivan Petrenko')
    expect(onC.part).toBeUndefined()
    expect(getDossier(c.vault, id).dossier.vulnerability.medicalNote).toBeUndefined()
    // Nothing sensitive in plaintext anywhere: not in the folder, not in any replica's files.
    for (const marker of ['MEDICALMARKER', 'CONTACTMARKER']) expect(filesHolding(dir, marker)).toEqual([])
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
    expect(computeSyncDigest(c)).toBe(computeSyncDigest(a))
  })

  it('keeps a sensitive part waiting while sync is run by a member of the receiving vault who does not hold its key', async () => {
    const { a, b } = await makeTeam('viewer-runs-sync')
    const code = b.vault.addMember({ name: 'Vera', role: 'viewer' }).invitationCode
    const bDir = b.vault.dir
    b.vault.lock()
    const vera = Buffer.from('Vera passphrase, long enough', 'utf8')
    ;(await joinVault(bDir, code, vera, { sodium: b.sodium })).vault.lock()
    const id = createDossier(a.vault, person('Waits For A Key')).id
    runSync(a)
    const asVera = { vault: await openVault(bDir, vera, { sodium: b.sodium, member: 'Vera' }), sodium: b.sodium }
    expect(runSync(asVera)).toMatchObject({ refused: [], waiting: 1 })
    expect(asVera.vault.hasRecord(id)).toBe(false)
    asVera.vault.lock()
    const asAdmin = {
      vault: await openVault(bDir, Buffer.from(SYNC_TEST_PASSPHRASE, 'utf8'), { sodium: b.sodium, member: 'Bohdan' }),
      sodium: b.sodium,
    }
    expect(runSync(asAdmin).applied).toBe(1)
    expect(getDossier(asAdmin.vault, id).dossier.vulnerability.medicalNote).toBe(MEDICAL)
    asAdmin.vault.lock()
  })

  it('merges edits of one dossier in different fields with no conflict, and keeps both values where the same field changed', async () => {
    const { a, b, c } = await makeTeam('fields')
    const id = createDossier(a.vault, person('Ivan Petrenko')).id
    syncAll(a, b, c)
    const base = getDossier(a.vault, id).dossier
    updateDossier(a.vault, id, { ...base, homeRegion: 'Zaporizhzhia oblast' })
    updateDossier(b.vault, id, { ...base, gender: 'male', vulnerability: { ...base.vulnerability, medicalNote: 'Diabetic' } })
    syncAll(a, b, c)
    for (const side of [a, b]) {
      const merged = getDossier(side.vault, id).dossier
      expect(merged.homeRegion).toBe('Zaporizhzhia oblast')
      expect(merged.gender).toBe('male')
      expect(merged.vulnerability.medicalNote).toBe('Diabetic')
      expect(readSyncStatus(side).conflicts).toEqual([])
    }
    expect(c.vault.getRecord<Dossier>(id).body.homeRegion).toBe('Zaporizhzhia oblast')
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
    expect(computeSyncDigest(c)).toBe(computeSyncDigest(a))

    // The same field on both sides: one conflict everywhere, the later save shown, the other value in the history.
    const now = getDossier(a.vault, id).dossier
    updateDossier(a.vault, id, { ...now, homeRegion: 'From Anna' })
    updateDossier(b.vault, id, { ...getDossier(b.vault, id).dossier, homeRegion: 'From Bohdan', gender: 'unknown' })
    syncAll(a, b, c)
    const shown = getDossier(a.vault, id).dossier
    expect(getDossier(b.vault, id).dossier.homeRegion).toBe(shown.homeRegion)
    expect(shown.gender).toBe('unknown')
    for (const side of [a, b, c]) expect(readSyncStatus(side).conflicts).toEqual([id])
    const history = a.vault.listRevisions(id).map((r) => a.vault.getRecord<Dossier>(id, r.revision).body.homeRegion)
    expect(history).toEqual(expect.arrayContaining(['From Anna', 'From Bohdan']))
    // The next edit resolves it everywhere.
    updateDossier(a.vault, id, { ...shown, homeRegion: 'Agreed' })
    syncAll(a, b, c)
    for (const side of [a, b, c]) expect(readSyncStatus(side).conflicts).toEqual([])
    expect(getDossier(b.vault, id).dossier.homeRegion).toBe('Agreed')
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
  })

  it('removes a deleted document and a shredded dossier everywhere (the shred through the receiver’s own shred path); a crossed edit does not bring it back', async () => {
    const { a, b, c } = await makeTeam('tombstones')
    const letterId = addLetter(a, 'To be deleted', 'text')
    const dossierId = createDossier(a.vault, person('Shred Me')).id
    syncAll(a, b, c)
    expect(b.vault.hasRecord(dossierId)).toBe(true)
    deleteLibraryDocument(a.vault, letterId)
    await a.vault.shred([dossierId])
    // Bohdan edits the dossier before the shred reaches him: that edit must not revive it.
    updateDossier(b.vault, dossierId, { ...getDossier(b.vault, dossierId).dossier, homeRegion: 'Late edit' })
    runSync(b)
    await runSyncAndShred(a)
    await runSyncAndShred(b)
    await runSyncAndShred(c)
    await runSyncAndShred(a)
    for (const side of [a, b, c]) {
      expect(side.vault.hasRecord(letterId)).toBe(false)
      expect(side.vault.hasRecord(dossierId)).toBe(false)
    }
    const shreddedOnB = b.vault.audit
      .list()
      .filter((e) => e.type === 'record.shredded')
      .map((e) => e.details['recordId'])
    expect(shreddedOnB).toContain(dossierId)
    expect(
      b.vault.audit
        .list()
        .filter((e) => e.type === 'record.deleted')
        .map((e) => e.details['recordId']),
    ).toContain(letterId)
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
    expect(computeSyncDigest(c)).toBe(computeSyncDigest(a))
    // The graph of the shredded dossier is gone with it: nothing in the vault files names the late edit.
    expect(filesHolding(path.dirname(b.vault.dir), 'Late edit')).toEqual([])
  })

  it('carries annotations with their anchor and keeps the replies written on both sides', async () => {
    const { a, b, c } = await makeTeam('annotations')
    const id = createDossier(a.vault, person('Annotated')).id
    const note = createAnnotation(a.vault, { recordId: id, field: '/homeRegion', body: 'Check the region' }, { id: 'anna', name: 'Anna' })
    syncAll(a, b, c)
    replyToAnnotation(a.vault, note.id, 'Anna replies', { id: 'anna', name: 'Anna' })
    replyToAnnotation(b.vault, note.id, 'Bohdan replies', { id: 'bohdan', name: 'Bohdan' })
    syncAll(a, b, c)
    const recordId = note.id.replace(/-/g, '')
    for (const side of [a, b, c]) {
      const body = side.vault.getRecord<{ recordId: string; replies: { text: string }[] }>(recordId).body
      expect(body.recordId).toBe(id)
      expect(body.replies.map((r) => r.text).sort()).toEqual(['Anna replies', 'Bohdan replies'])
      expect(readSyncStatus(side).conflicts).toEqual([])
    }
    // An annotation of a dossier list travels with the list.
    const list = createDossierList(a.vault, { name: 'Annex to the letter of 12 May', dossierIds: [id] }).id
    const onList = createAnnotation(a.vault, { recordId: list, field: '/name', body: 'Check the date' }, { id: 'anna', name: 'Anna' })
    // One of something that does not travel (a letter template of this office) stays here, and blocks nothing after it.
    const template = a.vault.createRecord('template', { summary: {}, body: { name: 'Our own letterhead' } }).id
    const local = createAnnotation(a.vault, { recordId: template, field: '/name', body: 'Only here' }, { id: 'anna', name: 'Anna' })
    const after = addLetter(a, 'Written after the template note', 'text')
    syncAll(a, b, c)
    expect(b.vault.hasRecord(after)).toBe(true)
    expect(b.vault.hasRecord(onList.id.replace(/-/g, ''))).toBe(true)
    expect(b.vault.hasRecord(local.id.replace(/-/g, ''))).toBe(false)
    expect(runSync(b).waiting).toBe(0)
    // Deleting the dossier takes its annotations with it everywhere.
    deleteDossier(a.vault, id)
    syncAll(a, b, c)
    for (const side of [a, b, c]) expect(side.vault.hasRecord(recordId)).toBe(false)
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
  })

  it('rotates the team key when a device is removed: the others read on, the removed one cannot open what is written after', async () => {
    const { a, b, c } = await makeTeam('rekey')
    addLetter(a, 'Before removal', 'everyone reads this')
    syncAll(a, b, c)
    removeSyncMember(a, 'Chen')
    const laterLetter = addLetter(a, 'After removal', 'not for Chen')
    const laterDossier = createDossier(a.vault, person('After Removal')).id
    syncAll(a, b, c)
    expect(b.vault.hasRecord(laterLetter)).toBe(true)
    expect(getDossier(b.vault, laterDossier).dossier.vulnerability.medicalNote).toBe(MEDICAL)
    // Bohdan's own later work is sealed under the new key too, and Anna reads it.
    const fromB = createDossier(b.vault, person('From Bohdan after')).id
    syncAll(a, b, c)
    expect(a.vault.hasRecord(fromB)).toBe(true)
    expect(readTeam(b.vault)!.team.currentKey).toBe(readTeam(a.vault)!.team.currentKey)
    // Chen's copy holds only the first key: what was written after the removal waits unread, and does not open.
    expect(c.vault.hasRecord(laterLetter)).toBe(false)
    expect(c.vault.hasRecord(fromB)).toBe(false)
    expect(runSync(c).waiting).toBeGreaterThan(0)
    expect(readTeam(c.vault)!.team.rotatedKeys).toBeUndefined()
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
  })

  it('reaches the same state from three replicas whatever order their dossier edits, annotations and tombstones arrive in (property test)', async () => {
    const sodium = await testSodium()
    const { dir, folder, a, b, c } = await makeTeam('order')
    const invitation = createSyncInvitation(a, { member: 'Dana', role: 'legal-adviser' })
    const d1 = createDossier(a.vault, person('First')).id
    const d2 = createDossier(a.vault, person('Second')).id
    const gone = addLetter(a, 'Gone soon', 'text')
    syncAll(a, b, c)
    const base1 = getDossier(a.vault, d1).dossier
    updateDossier(a.vault, d1, { ...base1, homeRegion: 'A region' })
    updateDossier(b.vault, d1, { ...base1, gender: 'female', homeRegion: 'B region' })
    createAnnotation(b.vault, { recordId: d2, field: '/homeRegion', body: 'B note' }, { id: 'b', name: 'Bohdan' })
    deleteLibraryDocument(a.vault, gone)
    addLetter(c, 'From Chen', 'c text')
    await a.vault.shred([d2])
    syncAll(a, b, c)
    await runSyncAndShred(b)
    await runSyncAndShred(c)
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
    expect(computeSyncDigest(c)).toBe(computeSyncDigest(a))

    const all = listFilesRecursive(path.join(folder, SYNC_ROOT_DIR)).map((file) => ({
      rel: path.relative(folder, file),
      bytes: fs.readFileSync(file),
    }))
    const target = computeSyncDigest(a)
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
        fc.integer({ min: 1, max: 3 }),
        async (order, step) => {
          run += 1
          const runFolder = path.join(dir, `run-${run}`)
          fs.mkdirSync(runFolder)
          const d = { vault: await makeVault(path.join(dir, `dana-${run}`), 'Dana'), sodium }
          joinSyncTeam(d, invitation.file, invitation.code, runFolder)
          for (let i = 0; i < order.length; i += step) {
            for (const item of order.slice(i, i + step)) {
              fs.mkdirSync(path.dirname(path.join(runFolder, item.rel)), { recursive: true })
              fs.writeFileSync(path.join(runFolder, item.rel), item.bytes)
            }
            await runSyncAndShred(d)
          }
          const digest = computeSyncDigest(d)
          d.vault.lock()
          expect(digest).toBe(target)
        },
      ),
      { numRuns: 6, seed: 1818 },
    )
  })
})
