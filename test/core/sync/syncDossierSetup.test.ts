// Core (Node): what dossiers need around them travels too. Dossier lists merge their members as a set (two offices
// adding different dossiers both keep theirs; a removal on one side holds). The dossier schema (custom fields and
// lists of choices) travels as one record the whole team shares —
// replicas on real vault files and real libsodium through a plain shared folder. Each vault's own schema moves to the
// team's id; additions from both offices are kept, a rename on one side and a retirement on the other both hold, the
// same label renamed differently is one conflict shown alike everywhere, a dossier that uses a field or choice made in
// another office arrives without "unknown field" warnings, and a device whose role may not edit the schema (or that
// changes a field's type) is refused.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createDossier,
  createDossierList,
  getDossier,
  getDossierList,
  getDossierSchema,
  saveDossierSchema,
  updateDossierList,
} from '../../../electron/core/dossiers/dossierService'
import {
  computeSyncDigest,
  conflictTitle,
  initSyncTeam,
  readSyncStatus,
  runSync,
  type SyncContext,
} from '../../../electron/core/sync/syncEngine'
import { readTeam } from '../../../electron/core/sync/syncState'
import { SYNC_ACTIVITY_TYPE } from '../../../electron/core/sync/syncActivity'
import { teamSchemaId } from '../../../electron/core/sync/syncSchema'
import {
  addCustomField,
  addVocabularyEntry,
  changeVocabularyEntry,
  DOSSIER_SCHEMA_RECORD_KIND,
  renameCustomField,
  validateCustomFields,
  type DossierSchemaConfig,
} from '../../../shared/dossiers/dossierSchema'
import { makeJoinedReplica, makeTwoOffices, makeVault, testSodium } from '../../helpers/syncReplicas'
import { createTempDir } from '../../helpers/vaultTestUtils'

let work: string
beforeAll(() => {
  work = createTempDir()
})
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true })
})

function makeTeam(name: string, role: 'admin' | 'legal-adviser' = 'admin') {
  return makeTwoOffices(path.join(work, name), role)
}

function schemaOf(ctx: SyncContext): DossierSchemaConfig {
  return getDossierSchema(ctx.vault).schema
}

function edit(ctx: SyncContext, change: (schema: DossierSchemaConfig) => DossierSchemaConfig): void {
  const { revision, schema } = getDossierSchema(ctx.vault)
  saveDossierSchema(ctx.vault, change(schema), { expectedRevision: revision })
}

/** Runs both replicas until neither writes nor applies anything new. */
function settle(...replicas: SyncContext[]): void {
  for (let round = 0; round < 5; round++) {
    const moved = replicas.map((ctx) => runSync(ctx)).some((r) => r.written > 0 || r.applied > 0)
    if (!moved) return
  }
}

function facilities(schema: DossierSchemaConfig): string[] {
  return schema.vocabularies.find((v) => v.id === 'facilities')!.entries.map((e) => e.label)
}

describe('the dossier schema over sync', () => {
  it('keeps what both offices added, under one record with the team’s id, and a dossier using them arrives clean', async () => {
    const { a, b } = await makeTeam('both-add')
    // Each vault made its own schema before anything travelled.
    let field = ''
    edit(a, (schema) => {
      const added = addCustomField(schema, { label: 'Case number at the UN WGAD', type: 'text' })
      field = added.field.id
      return addVocabularyEntry(added.schema, 'facilities', 'Penal colony No. 15 Mahilioŭ').schema
    })
    edit(b, (schema) => addVocabularyEntry(schema, 'facilities', 'SIZO-3 Homiel').schema)
    const idBefore = a.vault.listRecords({ kind: DOSSIER_SCHEMA_RECORD_KIND })[0]!.id

    settle(a, b)

    const teamId = teamSchemaId(a, readTeam(a.vault)!.team)
    expect(idBefore).not.toBe(teamId)
    for (const ctx of [a, b]) {
      expect(ctx.vault.listRecords({ kind: DOSSIER_SCHEMA_RECORD_KIND }).map((r) => r.id)).toEqual([teamId])
      expect(facilities(schemaOf(ctx))).toEqual(expect.arrayContaining(['Penal colony No. 15 Mahilioŭ', 'SIZO-3 Homiel']))
      expect(schemaOf(ctx).fields.map((f) => f.label)).toEqual(['Case number at the UN WGAD'])
    }
    expect(schemaOf(a)).toEqual(schemaOf(b))
    expect(readSyncStatus(a).conflicts).toEqual([])
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))

    // A dossier written in Oslo with the new field reaches Kyiv, where the field is known.
    const dossierId = createDossier(a.vault, {
      names: { original: 'Ales Bialiatski' },
      category: 'political-prisoner',
      customFields: { [field]: 'WGAD 12/2026' },
    }).id
    settle(a, b)
    const arrived = getDossier(b.vault, dossierId).dossier
    expect(arrived.customFields[field]).toBe('WGAD 12/2026')
    expect(validateCustomFields(arrived.customFields, schemaOf(b))).toEqual([])
  }, 60_000)

  it('takes a rename from one office and a retirement from the other; the same label renamed twice is one conflict', async () => {
    const { a, b } = await makeTeam('crossed')
    let field = ''
    edit(a, (schema) => {
      const added = addCustomField(schema, { label: 'Court', type: 'text' })
      field = added.field.id
      return added.schema
    })
    settle(a, b)
    const entry = schemaOf(a).vocabularies.find((v) => v.id === 'facilities')!.entries[0]!

    // Crossed: Oslo renames the field and a facility; Kyiv retires that facility and renames it otherwise.
    edit(a, (schema) =>
      changeVocabularyEntry(renameCustomField(schema, field, 'Court of first instance'), 'facilities', entry.id, {
        label: 'SIZO-1 Simferopol (Crimea)',
      }),
    )
    edit(b, (schema) => changeVocabularyEntry(schema, 'facilities', entry.id, { retired: true, label: 'SIZO No. 1, Simferopol' }))
    settle(a, b)

    expect(schemaOf(a)).toEqual(schemaOf(b))
    const merged = schemaOf(a)
    expect(merged.fields.find((f) => f.id === field)!.label).toBe('Court of first instance')
    const facility = merged.vocabularies.find((v) => v.id === 'facilities')!.entries.find((e) => e.id === entry.id)!
    expect(facility.retired).toBe(true)
    expect(['SIZO-1 Simferopol (Crimea)', 'SIZO No. 1, Simferopol']).toContain(facility.label)
    const teamId = teamSchemaId(a, readTeam(a.vault)!.team)
    expect(readSyncStatus(a).conflicts).toEqual([teamId])
    expect(readSyncStatus(b).conflicts).toEqual([teamId])
    expect(conflictTitle(b.vault, teamId)).toBe('Dossier fields and lists of choices')
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))

    // The next edit in either office resolves it.
    edit(b, (schema) => changeVocabularyEntry(schema, 'facilities', entry.id, { label: 'SIZO-1 Simferopol' }))
    settle(a, b)
    expect(readSyncStatus(a).conflicts).toEqual([])
    expect(schemaOf(a)).toEqual(schemaOf(b))
  }, 60_000)

  it('refuses a schema change from a role that may not edit fields, and goes on with the rest', async () => {
    const { a, b } = await makeTeam('role', 'legal-adviser')
    settle(a, b)
    edit(b, (schema) => addVocabularyEntry(schema, 'facilities', 'Made up by a legal adviser').schema)
    const result = runSync(b)
    expect(result.written).toBe(1)
    const applied = runSync(a)
    expect(applied.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/dossier fields and lists of choices.*may not do/)])
    expect(facilities(schemaOf(a))).not.toContain('Made up by a legal adviser')
  }, 60_000)

  it('moves an existing vault’s schema to the team’s id when it sets up sync, and its dossiers stay valid', async () => {
    const dir = path.join(work, 'existing')
    const folder = path.join(dir, 'shared')
    fs.mkdirSync(folder, { recursive: true })
    const a: SyncContext = { vault: await makeVault(path.join(dir, 'Oslo'), 'Anna'), sodium: await testSodium() }
    let field = ''
    edit(a, (schema) => {
      const added = addCustomField(schema, { label: 'Sentence', type: 'text' })
      field = added.field.id
      return added.schema
    })
    const ownId = a.vault.listRecords({ kind: DOSSIER_SCHEMA_RECORD_KIND })[0]!.id
    const dossierId = createDossier(a.vault, {
      names: { original: 'Maria Kalesnikava' },
      category: 'political-prisoner',
      customFields: { [field]: '11 years' },
    }).id
    // The vault, used for months on its own, becomes the team's first replica.
    initSyncTeam(a, folder)
    const b = await makeJoinedReplica(dir, a, 'Bohdan', folder, 'admin')
    settle(a, b)

    const teamId = teamSchemaId(a, readTeam(a.vault)!.team)
    expect(a.vault.hasRecord(ownId)).toBe(false)
    expect(a.vault.listRecords({ kind: DOSSIER_SCHEMA_RECORD_KIND }).map((r) => r.id)).toEqual([teamId])
    expect(schemaOf(a).fields.map((f) => f.id)).toEqual([field])
    for (const ctx of [a, b]) {
      const dossier = getDossier(ctx.vault, dossierId).dossier
      expect(dossier.customFields[field]).toBe('11 years')
      expect(validateCustomFields(dossier.customFields, schemaOf(ctx))).toEqual([])
    }
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))
  }, 60_000)
})

describe('dossier lists over sync', () => {
  it('merges members added and removed in two offices, takes a rename, and shows the same list everywhere', async () => {
    const { a, b } = await makeTeam('lists')
    const person = (name: string) => createDossier(a.vault, { names: { original: name }, category: 'political-prisoner' }).id
    const [first, second, third] = [person('Ihar Losik'), person('Maryna Zolatava'), person('Andrzej Poczobut')]
    const listId = createDossierList(a.vault, { name: 'Annex to the letter of 12 May', dossierIds: [first, second] }).id
    settle(a, b)
    expect(getDossierList(b.vault, listId).dossierIds).toEqual([first, second])

    // Crossed: Oslo renames the list and takes the first person off; Kyiv adds the third.
    const onA = getDossierList(a.vault, listId)
    updateDossierList(a.vault, listId, { name: 'Annex to the letter of 14 May', dossierIds: [second] }, { expectedRevision: onA.revision })
    const onB = getDossierList(b.vault, listId)
    updateDossierList(b.vault, listId, { name: onB.name, dossierIds: [...onB.dossierIds, third] }, { expectedRevision: onB.revision })
    settle(a, b)

    for (const ctx of [a, b]) {
      const list = getDossierList(ctx.vault, listId)
      expect(list.name).toBe('Annex to the letter of 14 May')
      expect([...list.dossierIds].sort()).toEqual([second, third].sort())
      expect(readSyncStatus(ctx).conflicts).toEqual([])
    }
    expect(getDossierList(a.vault, listId).dossierIds).toEqual(getDossierList(b.vault, listId).dossierIds)
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))
    // Each office's log shows what the other did to the list, as theirs.
    const fromOther = (ctx: SyncContext) =>
      ctx.vault.audit
        .list()
        .filter((e) => e.type === SYNC_ACTIVITY_TYPE && e.details['listId'] === listId)
        .map((e) => [e.details['fromType'], e.details['fromMember']])
    expect(fromOther(b)).toEqual([
      ['dossier_list.created', 'Anna'],
      ['dossier_list.updated', 'Anna'],
    ])
    expect(fromOther(a)).toEqual([['dossier_list.updated', 'Bohdan']])
  }, 60_000)
})
