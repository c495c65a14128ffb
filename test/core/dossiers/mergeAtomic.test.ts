// Core test (Node): merges are one action on a real encrypted vault — "save and merge" of a new dossier creates and
// merges in one transaction (a merge that fails leaves no new dossier and no audit entry of either step), and a merge
// whose kept dossier changed while the files were being copied fails with CONFLICT and takes the copies back.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import {
  createDossier,
  createDossierList,
  createDossierMergedInto,
  deleteDossier,
  getDossier,
  getDossierList,
  listDossierSummaries,
  mergeDossiers,
  updateDossier,
} from '../../../electron/core/dossiers/dossierService'
import type { Vault } from '../../../electron/core/vault/vault'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
let services: AppServices
beforeAll(async () => {
  services = await startTestServices(root)
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

const vault = (): Vault => services.session.requireVault()
const person = (original: string, extra: Record<string, unknown> = {}) => ({ names: { original }, category: 'civilian-detainee', ...extra })
const code = (c: string) => expect.objectContaining({ code: c })
const dossierIds = () =>
  listDossierSummaries(vault())
    .map((s) => s.id)
    .sort()
/** Everything a failed action could have left behind: the records, and the audit log (its length and its chain). */
const snapshot = () => ({
  records: vault()
    .listRecords()
    .map((r) => `${r.id}@${r.revision}`)
    .sort(),
  audit: vault().audit.list().length,
})

describe('createDossierMergedInto', () => {
  it('creates and merges in one go: the kept dossier absorbs the new one, no second dossier remains, both steps are logged', () => {
    const keep = createDossier(
      vault(),
      person('Олена Вигадана', { birth: { year: 1971 }, statusHistory: [{ id: 'e1', date: '2023-06-02', status: 'detained' }] }),
    ).id
    const list = createDossierList(vault(), { name: 'Annex', dossierIds: [keep] })
    const before = dossierIds()
    const auditBefore = vault().audit.list().length

    const result = createDossierMergedInto(
      vault(),
      person('Olena Vyhadana', { names: { original: 'Olena Vyhadana', aliases: ['Lena'] }, birth: { year: 1972 } }),
      keep,
    )

    expect(dossierIds()).toEqual(before)
    const kept = getDossier(vault(), keep)
    expect(kept.revision).toBe(result.revision)
    expect(kept.dossier.names.aliases).toEqual(['Lena'])
    expect(kept.dossier.birth.year).toBe(1971)
    expect(result.conflicts).toEqual(['$.birth.year'])
    expect(getDossierList(vault(), list.id).dossierIds).toEqual([keep])
    const logged = vault().audit.list().slice(auditBefore)
    const created = logged.find((e) => e.type === 'dossier.created')!
    expect(created).toBeDefined()
    expect(logged.find((e) => e.type === 'dossier.merged')?.details).toEqual({
      keepId: keep,
      dropId: created.details['dossierId'],
      revision: result.revision,
    })
    expect(JSON.stringify(logged)).not.toContain('Vyhadana')
    expect(vault().audit.verify().ok).toBe(true)
    deleteDossier(vault(), keep)
  })

  it('leaves nothing behind when the kept dossier is gone by the time of the merge', () => {
    const keep = createDossier(vault(), person('Іван Петренко')).id
    deleteDossier(vault(), keep)
    const before = snapshot()

    expect(() => createDossierMergedInto(vault(), person('Ivan Petrenko'), keep)).toThrow(code('NOT_FOUND'))

    expect(snapshot()).toEqual(before)
    expect(listDossierSummaries(vault()).some((s) => s.summary.name === 'Ivan Petrenko')).toBe(false)
    expect(vault().audit.verify().ok).toBe(true)
  })

  it('leaves nothing behind when the merged dossier would not be valid (the create itself succeeded)', () => {
    // Ten citizenships is the most a dossier holds: each of the two is valid alone, their union is not.
    const keep = createDossier(vault(), person('Алесь Бяляцкі', { citizenship: ['A1', 'A2', 'A3', 'A4', 'A5', 'A6'] })).id
    const newcomer = person('Ales Bialiatski', { citizenship: ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'] })
    // The new dossier on its own can be stored: what fails is the merge that follows the create.
    const alone = createDossier(vault(), newcomer).id
    deleteDossier(vault(), alone)
    const before = snapshot()

    expect(() => createDossierMergedInto(vault(), newcomer, keep)).toThrow(code('VALIDATION'))

    expect(snapshot()).toEqual(before)
    expect(getDossier(vault(), keep).revision).toBe(1)
    expect(vault().audit.list().slice(before.audit)).toEqual([])
    expect(vault().audit.verify().ok).toBe(true)
    deleteDossier(vault(), keep)
  })

  it('is the dossiers:createMerged channel: one call, and a failed merge is an error with nothing created', async () => {
    const keep = createDossier(vault(), person('Maria Kalesnikava')).id
    const result = await callChannel<{ revision: number; conflicts: string[] }>(services, 'dossiers:createMerged', {
      dossier: { ...person('Мария Колесникова'), timeline: [{ date: '2024-10-01', description: 'Letter received.' }] },
      keepId: keep,
    })
    expect(result.revision).toBe(2)
    expect(getDossier(vault(), keep).dossier.timeline.map((t) => t.description)).toEqual(['Letter received.'])
    expect(listDossierSummaries(vault()).filter((s) => s.summary.name.includes('Колесникова'))).toEqual([])

    const before = snapshot()
    expect((await failChannel(services, 'dossiers:createMerged', { dossier: person('Someone'), keepId: 'f'.repeat(32) })).code).toBe(
      'NOT_FOUND',
    )
    expect(snapshot()).toEqual(before)
    deleteDossier(vault(), keep)
  })
})

describe('mergeDossiers', () => {
  it('fails with CONFLICT when the kept dossier changes while files are copied, and takes the copies back', async () => {
    const keep = createDossier(vault(), person('Kept')).id
    const drop = createDossier(vault(), person('Dropped')).id
    const file = path.join(root, 'scan.txt')
    fs.writeFileSync(file, 'A scanned letter.\n')
    await vault().addAttachment(drop, file, { filename: 'scan.txt', mediaType: 'text/plain' })
    const auditBefore = vault().audit.list().length

    // The merge reads both dossiers, then awaits the file copy; the edit lands in between.
    const merging = mergeDossiers(vault(), keep, drop)
    updateDossier(vault(), keep, { ...getDossier(vault(), keep).dossier, homeRegion: 'Minsk' })
    await expect(merging).rejects.toThrow(code('CONFLICT'))

    expect(vault().listAttachments(keep)).toEqual([])
    expect(vault().listAttachments(drop)).toHaveLength(1)
    expect(getDossier(vault(), keep)).toMatchObject({ revision: 2, dossier: { homeRegion: 'Minsk' } })
    expect(getDossier(vault(), drop).dossier.names.original).toBe('Dropped')
    expect(
      vault()
        .audit.list()
        .slice(auditBefore)
        .some((e) => e.type === 'dossier.merged'),
    ).toBe(false)
    expect(vault().audit.verify().ok).toBe(true)

    // Once nothing races it, the same merge goes through and the file moves over.
    await mergeDossiers(vault(), keep, drop)
    expect(
      vault()
        .listAttachments(keep)
        .map((a) => a.filename),
    ).toEqual(['scan.txt'])
    expect(() => getDossier(vault(), drop)).toThrow(code('NOT_FOUND'))
  })
})
