// Core test (Node): renaming a dossier vocabulary through the real dispatcher, handler, service and an encrypted
// vault — the label changes (trimmed), the id, entries, choice fields and stored values do not; the same label again
// writes nothing; empty, too long, unknown, stale and malformed requests are refused with nothing written; audit entries
// carry ids only; a locked vault answers VAULT_LOCKED.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { getDossier, renameDossierVocabulary } from '../../../electron/core/dossiers/dossierService'
import type { DossierSchemaConfig } from '../../../shared/dossiers/dossierSchema'
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

const call = <T = Record<string, unknown>>(channel: string, request: unknown) => callChannel<T>(services, channel, request)
const fail = (channel: string, request: unknown) => failChannel(services, channel, request)
const vault = () => services.session.requireVault()
const readSchema = () => call<{ revision: number; schema: DossierSchemaConfig }>('dossiers:getSchema', {})

let dossierId = ''
let fieldId = ''

describe('dossiers:renameVocabulary', () => {
  it('renames a vocabulary used by a choice field; the id, entries and stored choices stay valid', async () => {
    const start = await readSchema()
    const withField: DossierSchemaConfig = {
      ...start.schema,
      fields: [{ id: 'fFacility', label: 'Facility', type: 'choice', vocabulary: 'facilities' }],
    }
    const { revision } = await call<{ revision: number }>('dossiers:updateSchema', { schema: withField, expectedRevision: start.revision })
    fieldId = 'fFacility'
    dossierId = (
      await call<{ id: string }>('dossiers:create', {
        dossier: { names: { original: 'Олена Вигадана' }, category: 'civilian-detainee', customFields: { [fieldId]: 'sizo-2-taganrog' } },
      })
    ).id
    const auditBefore = vault().audit.list().length

    const renamed = await call<{ revision: number }>('dossiers:renameVocabulary', {
      vocabularyId: 'facilities',
      label: '  Places of detention  ',
      expectedRevision: revision,
    })
    expect(renamed.revision).toBe(revision + 1)

    const after = await readSchema()
    expect(after.revision).toBe(revision + 1)
    const facilities = after.schema.vocabularies.find((v) => v.id === 'facilities')!
    expect(facilities.label).toBe('Places of detention')
    expect(facilities.entries).toEqual(withField.vocabularies.find((v) => v.id === 'facilities')!.entries)
    expect(after.schema.vocabularies.map((v) => v.id)).toEqual(['facilities', 'regions', 'categories'])
    expect(after.schema.vocabularies.find((v) => v.id === 'regions')!.label).toBe('Regions')
    expect(after.schema.fields).toEqual(withField.fields)
    // The stored choice still names an entry of the (renamed) vocabulary: no issues.
    expect(getDossier(vault(), dossierId)).toMatchObject({ issues: [], dossier: { customFields: { [fieldId]: 'sizo-2-taganrog' } } })

    expect(
      vault()
        .audit.list()
        .slice(auditBefore)
        .map((e) => [e.type, e.details]),
    ).toEqual([
      ['record.updated', expect.objectContaining({ revision: revision + 1 })],
      ['dossier_schema.saved', expect.objectContaining({ revision: revision + 1 })],
      ['dossier_schema.vocabulary_renamed', { revision: revision + 1, vocabularyId: 'facilities' }],
    ])
  })

  it('writes nothing when the label is the same (after trimming)', async () => {
    const { revision } = await readSchema()
    const auditBefore = vault().audit.list().length
    expect(
      await call('dossiers:renameVocabulary', { vocabularyId: 'facilities', label: 'Places of detention ', expectedRevision: revision }),
    ).toEqual({ revision })
    expect(vault().audit.list()).toHaveLength(auditBefore)
  })

  it('refuses empty, too long, unknown, stale and malformed requests, changing nothing', async () => {
    const before = await readSchema()
    const auditBefore = vault().audit.list().length
    const r = before.revision
    const cases: [unknown, string][] = [
      [{ vocabularyId: 'facilities', label: '   ', expectedRevision: r }, 'VALIDATION'],
      [{ vocabularyId: 'facilities', label: 'x'.repeat(201), expectedRevision: r }, 'VALIDATION'],
      [{ vocabularyId: 'no-such-vocabulary', label: 'Anything', expectedRevision: r }, 'NOT_FOUND'],
      [{ vocabularyId: 'facilities', label: 'Prisons', expectedRevision: r - 1 }, 'CONFLICT'],
      [{ vocabularyId: 'facilities/../x', label: 'Prisons', expectedRevision: r }, 'VALIDATION'],
      [{ vocabularyId: 'facilities', label: 'Prisons' }, 'VALIDATION'],
      [{ vocabularyId: 'facilities', label: 'Prisons', expectedRevision: r, entries: [] }, 'VALIDATION'],
      [{ vocabularyId: 'facilities', label: 42, expectedRevision: r }, 'VALIDATION'],
    ]
    for (const [request, code] of cases) expect((await fail('dossiers:renameVocabulary', request)).code, JSON.stringify(request)).toBe(code)
    // Exactly 200 characters is the limit shared with field and entry labels.
    expect(() => renameDossierVocabulary(vault(), 'facilities', 'y'.repeat(201))).toThrow('at most 200 characters')
    expect(() => renameDossierVocabulary(vault(), 'facilities', '')).toThrow('cannot be empty')

    expect(await readSchema()).toEqual(before)
    expect(vault().audit.list()).toHaveLength(auditBefore)
  })

  it('renames through the service without a revision, to a label of exactly 200 characters', async () => {
    const { revision } = await readSchema()
    const long = `Regions ${'z'.repeat(192)}`
    expect(long).toHaveLength(200)
    expect(renameDossierVocabulary(vault(), 'regions', long)).toEqual({ revision: revision + 1 })
    expect((await readSchema()).schema.vocabularies.find((v) => v.id === 'regions')!.label).toBe(long)
  })

  it('answers VAULT_LOCKED when the vault is locked', async () => {
    services.session.lock('user')
    expect((await fail('dossiers:renameVocabulary', { vocabularyId: 'regions', label: 'Areas', expectedRevision: 1 })).code).toBe(
      'VAULT_LOCKED',
    )
  })
})
