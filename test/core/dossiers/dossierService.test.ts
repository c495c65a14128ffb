// Core test (Node): dossiers on a real encrypted vault — create/read/update/delete with revisions and audit events,
// schema changes that keep old dossiers valid, lists with counts, merge with attachments, and refusals that change
// nothing.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import {
  createDossier,
  createDossierList,
  deleteDossier,
  deleteDossierList,
  getDossier,
  getDossierList,
  getDossierSchema,
  listDossierLists,
  listDossierSummaries,
  listMembers,
  mergeDossiers,
  saveDossierSchema,
  updateDossier,
  updateDossierList,
} from '../../../electron/core/dossiers/dossierService'
import { createDocument } from '../../../electron/core/library/documentService'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import { addCustomField, renameCustomField, retireCustomField } from '../../../shared/dossiers/dossierSchema'
import { countBy, filterDossiers } from '../../../shared/dossiers/filter'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
let vault: Vault
afterAll(() => {
  vault?.lock()
  fs.rmSync(root, { recursive: true, force: true })
})
beforeAll(async () => {
  ;({ vault } = await createVault(path.join(root, 'vault'), Buffer.from('correct horse battery staple'), {
    sodium: await loadSodium('native'),
    kdf: MIN_KDF,
  }))
})

const person = (original: string, extra: Record<string, unknown> = {}) => ({ names: { original }, category: 'civilian-detainee', ...extra })
const auditTypes = () => vault.audit.list().map((e) => e.type)
const code = (c: string) => expect.objectContaining({ code: c })

describe('dossier records', () => {
  it('creates, reads, updates (with expectedRevision) and deletes, logging ids-only audit events', () => {
    const created = createDossier(vault, person('Олена Вигадана', { statusHistory: [{ date: '2023-06-02', status: 'detained' }] }))
    expect(created.revision).toBe(1)
    expect(created.warnings).toEqual([])
    const read = getDossier(vault, created.id)
    expect(read.dossier.names.original).toBe('Олена Вигадана')
    expect(listDossierSummaries(vault).find((s) => s.id === created.id)!.summary).toMatchObject({
      status: 'detained',
      nameKeys: ['olena vihadana'],
    })

    const next = {
      ...read.dossier,
      statusHistory: [...read.dossier.statusHistory, { id: 'r', date: '2024-01-01', status: 'released', sourceIds: [] }],
    }
    const updated = updateDossier(vault, created.id, next, { expectedRevision: 1 })
    expect(updated.revision).toBe(2)
    expect(getDossier(vault, created.id).dossier.statusHistory).toHaveLength(2)
    expect(getDossier(vault, created.id, 1).dossier.statusHistory).toHaveLength(1)
    expect(listDossierSummaries(vault).find((s) => s.id === created.id)!.summary.status).toBe('released')
    expect(() => updateDossier(vault, created.id, next, { expectedRevision: 1 })).toThrow(code('CONFLICT'))

    deleteDossier(vault, created.id)
    expect(() => getDossier(vault, created.id)).toThrow(code('NOT_FOUND'))
    expect(auditTypes()).toEqual(
      expect.arrayContaining(['dossier_schema.created', 'dossier.created', 'dossier.updated', 'dossier.deleted']),
    )
    const dossierEvents = vault.audit.list().filter((e) => e.type.startsWith('dossier.'))
    for (const e of dossierEvents)
      expect(Object.keys(e.details).every((k) => ['dossierId', 'revision', 'keepId', 'dropId'].includes(k))).toBe(true)
    expect(JSON.stringify(vault.audit.list())).not.toContain('Олена')
    expect(vault.audit.verify().ok).toBe(true)
  })

  it('refuses bad input with the JSON path and writes nothing', () => {
    const before = vault.listRecords().length
    expect(() =>
      createDossier(vault, { names: { original: 'X' }, category: 'other', statusHistory: [{ date: 'yesterday', status: 'detained' }] }),
    ).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('$.statusHistory[0].date') }))
    expect(() =>
      createDossier(vault, person('X', { timeline: [{ date: '2020-01-01', description: 'd', documentIds: ['0'.repeat(32)] }] })),
    ).toThrow(code('VALIDATION'))
    expect(() => createDossier(vault, person('X', { photoAttachmentId: '0'.repeat(32) }))).toThrow(code('VALIDATION'))
    expect(() => getDossier(vault, 'not-an-id')).toThrow(code('VALIDATION'))
    expect(vault.listRecords().length).toBe(before)
  })

  it('links to library documents that exist, and not to a record of another kind as a dossier', () => {
    const doc = createDocument(vault, { kind: 'note', title: 'Visit report', date: '2024-01-01', text: 'text' })
    const d = createDossier(vault, person('Linked', { sources: [{ id: 's', type: 'document', name: 'Report', documentId: doc.id }] }))
    expect(getDossier(vault, d.id).dossier.sources[0]!.documentId).toBe(doc.id)
    expect(() => getDossier(vault, doc.id)).toThrow(code('NOT_FOUND'))
    deleteDossier(vault, d.id)
  })
})

describe('custom fields across schema changes', () => {
  it('add → write → rename → retire: the old dossier stays valid and readable; wrong types are refused', () => {
    const { revision, schema } = getDossierSchema(vault)
    expect(schema.vocabularies.map((v) => v.id)).toEqual(['facilities', 'regions', 'categories'])
    const { schema: withField, field } = addCustomField(schema, { label: 'Lawyer', type: 'text' })
    const { schema: withTwo, field: cell } = addCustomField(withField, { label: 'Cell', type: 'number' })
    const saved = saveDossierSchema(vault, withTwo, { expectedRevision: revision })
    const d = createDossier(vault, person('Custom', { customFields: { [field.id]: 'A. Lawyer', [cell.id]: 7 } }))
    expect(d.warnings).toEqual([])

    saveDossierSchema(vault, renameCustomField(withTwo, field.id, 'Defence lawyer'), { expectedRevision: saved.revision })
    expect(getDossier(vault, d.id).issues).toEqual([])
    const renamed = getDossierSchema(vault)
    saveDossierSchema(vault, retireCustomField(renamed.schema, cell.id), { expectedRevision: renamed.revision })

    const back = getDossier(vault, d.id)
    expect(back.dossier.customFields).toEqual({ [field.id]: 'A. Lawyer', [cell.id]: 7 })
    expect(back.issues).toEqual([expect.objectContaining({ fieldId: cell.id, problem: 'retired-field' })])
    // Editing other parts of the old dossier still works with the retired value in it.
    expect(updateDossier(vault, d.id, { ...back.dossier, homeRegion: 'Kyiv' }).warnings.map((w) => w.problem)).toEqual(['retired-field'])

    expect(() => createDossier(vault, person('Bad', { customFields: { [field.id]: 12 } }))).toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining(`$.customFields.${field.id}`) }),
    )
    const unknown = createDossier(vault, person('Imported', { customFields: { fFromElsewhere: 'x' } }))
    expect(unknown.warnings.map((w) => w.problem)).toEqual(['unknown-field'])
    expect(getDossier(vault, unknown.id).dossier.customFields).toEqual({ fFromElsewhere: 'x' })

    const current = getDossierSchema(vault)
    expect(() => saveDossierSchema(vault, { ...current.schema, fields: [] })).toThrow(code('VALIDATION'))
    expect(() => saveDossierSchema(vault, current.schema, { expectedRevision: current.revision - 1 })).toThrow(code('CONFLICT'))
    expect(getDossierSchema(vault).revision).toBe(current.revision)
    for (const id of [d.id, unknown.id]) deleteDossier(vault, id)
  })
})

describe('lists', () => {
  it('keeps ordered members with counts, follows deletions, and refuses unknown members', () => {
    const a = createDossier(vault, person('List A', { statusHistory: [{ date: '2023-01-01', status: 'detained' }] })).id
    const b = createDossier(
      vault,
      person('List B', { category: 'prisoner-of-war', statusHistory: [{ date: '2023-01-01', status: 'convicted' }] }),
    ).id
    const c = createDossier(vault, person('List C', { statusHistory: [{ date: '2023-01-01', status: 'detained' }] })).id
    const list = createDossierList(vault, { name: 'Annex May', dossierIds: [c, a, b] })
    expect(listMembers(vault, list.id).map((m) => m.id)).toEqual([c, a, b])
    const counts = countBy(listMembers(vault, list.id))
    expect(counts).toMatchObject({
      total: 3,
      byStatus: { detained: 2, convicted: 1 },
      byCategory: { 'civilian-detainee': 2, 'prisoner-of-war': 1 },
    })
    const lists = listDossierLists(vault)
    expect(filterDossiers(listDossierSummaries(vault), { listId: list.id, status: 'detained' }, lists).map((e) => e.id)).toEqual([c, a])

    updateDossierList(vault, list.id, { name: 'Annex May (final)', dossierIds: [a, b] }, { expectedRevision: 1 })
    expect(getDossierList(vault, list.id)).toMatchObject({ name: 'Annex May (final)', dossierIds: [a, b], revision: 2 })
    expect(() => updateDossierList(vault, list.id, { name: 'x', dossierIds: [a] }, { expectedRevision: 1 })).toThrow(code('CONFLICT'))
    expect(() => createDossierList(vault, { name: 'Bad', dossierIds: ['f'.repeat(32)] })).toThrow(/\$\.dossierIds\[0\]/)
    expect(() => createDossierList(vault, { name: 'Twice', dossierIds: [a, a] })).toThrow(/\$\.dossierIds\[1\]/)

    deleteDossier(vault, a)
    expect(getDossierList(vault, list.id).dossierIds).toEqual([b])
    deleteDossierList(vault, list.id)
    expect(() => getDossierList(vault, list.id)).toThrow(code('NOT_FOUND'))
    expect(getDossier(vault, b).dossier.names.original).toBe('List B')
    expect(auditTypes()).toEqual(expect.arrayContaining(['dossier_list.created', 'dossier_list.updated', 'dossier_list.deleted']))
    for (const id of [b, c]) deleteDossier(vault, id)
  })

  it('keeps a member it already had that is not in this vault (a list from another office), but refuses a new one', () => {
    const here = createDossier(vault, { names: { original: 'Here' }, category: 'political-prisoner' }).id
    const elsewhere = 'e'.repeat(32)
    // As sync stores a list that names a dossier a third office wrote and this one has not received yet.
    const listId = vault.createRecord('dossier-list', { summary: { v: 1 }, body: { name: 'Annex', dossierIds: [here, elsewhere] } }).id
    updateDossierList(vault, listId, { name: 'Annex (final)', dossierIds: [elsewhere, here] })
    expect(getDossierList(vault, listId).dossierIds).toEqual([elsewhere, here])
    expect(() => updateDossierList(vault, listId, { name: 'Annex', dossierIds: [here, elsewhere, 'f'.repeat(32)] })).toThrow(
      /\$\.dossierIds\[2\]: no dossier with this id/,
    )
    deleteDossierList(vault, listId)
    deleteDossier(vault, here)
  })
})

describe('mergeDossiers', () => {
  it('unites the two, moves attachments and list places to the kept one, deletes the other and logs it', async () => {
    const keep = createDossier(
      vault,
      person('Алесь Бяляцкі', { birth: { year: 1962 }, statusHistory: [{ id: 'e1', date: '2021-07-14', status: 'detained' }] }),
    ).id
    const drop = createDossier(
      vault,
      person('Ales Byalyatsky', {
        names: { original: 'Ales Byalyatsky', aliases: ['Viasna chair'] },
        statusHistory: [{ id: 'e1', date: '2023-03-03', status: 'convicted' }],
        family: { contacts: [{ name: 'Spouse', relation: 'spouse' }] },
      }),
    ).id
    const photoFile = path.join(root, 'photo.jpg')
    fs.writeFileSync(photoFile, Buffer.from('fake jpeg bytes'))
    const photo = await vault.addAttachment(drop, photoFile, { filename: 'photo.jpg', mediaType: 'image/jpeg' })
    const dropNow = getDossier(vault, drop)
    updateDossier(vault, drop, { ...dropNow.dossier, photoAttachmentId: photo.id })
    const other = createDossier(vault, person('Other')).id
    const list = createDossierList(vault, { name: 'L', dossierIds: [other, drop] })

    const result = await mergeDossiers(vault, keep, drop)
    const merged = getDossier(vault, keep).dossier
    expect(merged.names.aliases).toEqual(['Viasna chair'])
    expect(merged.statusHistory.map((e) => e.status)).toEqual(['detained', 'convicted'])
    expect(new Set(merged.statusHistory.map((e) => e.id)).size).toBe(2)
    expect(merged.family.contacts).toHaveLength(1)
    const keptAttachments = vault.listAttachments(keep)
    expect(keptAttachments).toHaveLength(1)
    expect(merged.photoAttachmentId).toBe(keptAttachments[0]!.id)
    expect((await vault.readAttachment(keptAttachments[0]!.id)).toString()).toBe('fake jpeg bytes')
    expect(listDossierSummaries(vault).find((s) => s.id === keep)!.summary.status).toBe('convicted')
    expect(getDossierList(vault, list.id).dossierIds).toEqual([other, keep])
    expect(() => getDossier(vault, drop)).toThrow(code('NOT_FOUND'))
    expect(result.revision).toBe(2)
    const mergedEvent = vault.audit.list().find((e) => e.type === 'dossier.merged')
    expect(mergedEvent?.details).toEqual({ keepId: keep, dropId: drop, revision: 2 })

    await expect(mergeDossiers(vault, keep, keep)).rejects.toThrow(code('VALIDATION'))
    await expect(mergeDossiers(vault, keep, drop)).rejects.toThrow(code('NOT_FOUND'))
  })
})
