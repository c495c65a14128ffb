// Unit (Node): the dossier schema (custom fields added, renamed, retired; vocabularies; evolution rules; value
// checks) and merging two dossiers of one person.
import { describe, expect, it } from 'vitest'
import { parseDossier } from '../../../shared/dossiers/dossier'
import {
  addCustomField,
  addVocabularyEntry,
  changeVocabularyEntry,
  checkSchemaEvolution,
  createDefaultDossierSchema,
  migrateDossier,
  renameCustomField,
  retireCustomField,
  validateCustomFields,
} from '../../../shared/dossiers/dossierSchema'
import { mergeDossierBodies } from '../../../shared/dossiers/merge'

describe('dossier schema', () => {
  it('ships facilities, regions and categories vocabularies', () => {
    const schema = createDefaultDossierSchema()
    expect(schema.vocabularies.map((v) => v.id)).toEqual(['facilities', 'regions', 'categories'])
    expect(schema.vocabularies[1]!.entries.map((e) => e.label)).toContain('Zaporizhzhia oblast (temporarily occupied)')
  })

  it('renaming keeps the id; retiring keeps old values valid (warning only); wrong types are errors', () => {
    const s0 = createDefaultDossierSchema()
    const { schema: s1, field: lawyer } = addCustomField(s0, { label: 'Lawyer', type: 'text' })
    const { schema: s2, field: facility } = addCustomField(s1, { label: 'Facility', type: 'choice', vocabulary: 'facilities' })
    const { schema: s3, field: cell } = addCustomField(s2, { label: 'Cell', type: 'number' })
    const values = { [lawyer.id]: 'A. Lawyer', [facility.id]: 'sizo-2-taganrog', [cell.id]: 12 }
    expect(validateCustomFields(values, s3)).toEqual([])

    const s4 = renameCustomField(s3, lawyer.id, 'Defence lawyer')
    expect(s4.fields.find((f) => f.id === lawyer.id)!.label).toBe('Defence lawyer')
    expect(validateCustomFields(values, s4)).toEqual([])
    expect(() => checkSchemaEvolution(s3, s4)).not.toThrow()

    const s5 = retireCustomField(s4, cell.id)
    expect(validateCustomFields(values, s5)).toEqual([
      { fieldId: cell.id, path: `$.customFields.${cell.id}`, problem: 'retired-field', severity: 'warning' },
    ])

    expect(
      validateCustomFields({ [cell.id]: 'twelve', [lawyer.id]: 3, zzz: 'kept' }, s4).map((i) => [i.fieldId, i.problem, i.severity]),
    ).toEqual([
      [cell.id, 'wrong-type', 'error'],
      [lawyer.id, 'wrong-type', 'error'],
      ['zzz', 'unknown-field', 'warning'],
    ])
    expect(validateCustomFields({ [facility.id]: 'no-such-entry' }, s4)[0]!.problem).toBe('unknown-choice')
  })

  it('vocabulary entries can be added, renamed and retired but not removed; fields cannot change type or vanish', () => {
    const s0 = createDefaultDossierSchema()
    const { schema: s1, field } = addCustomField(s0, { label: 'Facility', type: 'choice', vocabulary: 'facilities' })
    const { schema: s2, entry } = addVocabularyEntry(s1, 'facilities', 'Colony No. 7')
    const s3 = changeVocabularyEntry(s2, 'facilities', entry.id, { label: 'Penal colony No. 7', retired: true })
    expect(validateCustomFields({ [field.id]: entry.id }, s3)).toEqual([
      expect.objectContaining({ problem: 'retired-choice', severity: 'warning' }),
    ])
    expect(() => checkSchemaEvolution(s3, { ...s3, fields: [] })).toThrow(/\$\.fields\[0\]: a field cannot be removed/)
    expect(() => checkSchemaEvolution(s3, { ...s3, fields: [{ ...field, type: 'choice', vocabulary: 'regions' }] })).toThrow(
      /cannot change/,
    )
    const noEntry = { ...s3, vocabularies: s3.vocabularies.map((v) => (v.id === 'facilities' ? { ...v, entries: v.entries.slice(1) } : v)) }
    expect(() => checkSchemaEvolution(s3, noEntry)).toThrow(/an entry cannot be removed/)
    expect(() => addCustomField(s0, { label: 'X', type: 'choice' })).toThrow(/\$\.fields\[0\]\.vocabulary/)
    expect(() => addCustomField(s0, { label: 'X', type: 'choice', vocabulary: 'nope' })).toThrow(/does not exist/)
    expect(() => renameCustomField(s0, 'nope', 'X')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('migrateDossier fills sections missing from an old body and keeps unknown custom fields, flagged', () => {
    const old = { names: { original: 'Old' }, category: 'other', customFields: { fOld: 'value' } }
    const { dossier, issues } = migrateDossier(old, createDefaultDossierSchema())
    expect(dossier.customFields).toEqual({ fOld: 'value' })
    expect(dossier.family.contacts).toEqual([])
    expect(issues).toEqual([expect.objectContaining({ fieldId: 'fOld', problem: 'unknown-field' })])
  })
})

describe('mergeDossierBodies', () => {
  const keep = parseDossier({
    names: { original: 'Алесь Бяляцкі', transliteration: 'Ales Bialiatski', aliases: ['A.B.'] },
    birth: { year: 1962 },
    category: 'political-prisoner',
    sources: [{ id: 's1', type: 'organisation', name: 'Viasna' }],
    statusHistory: [{ id: 'e1', date: '2021-07-14', status: 'detained', sourceIds: ['s1'] }],
    consent: 'partners',
    sharePartners: ['Partner A', 'Partner B'],
    vulnerability: { ill: true },
    customFields: { f1: 'keep' },
  })
  const drop = parseDossier({
    names: { original: 'Ales Byalyatsky', otherSpellings: ['Aleś Bialacki'] },
    birth: { year: 1963, approximate: true },
    gender: 'male',
    category: 'civilian-detainee',
    sources: [
      { id: 's1', type: 'person', name: 'Cellmate' },
      { id: 's2', type: 'organisation', name: 'viasna' },
    ],
    statusHistory: [
      { id: 'e1', date: '2021-07-14', status: 'detained', sourceIds: ['s1'] },
      { id: 'e2', date: '2023-03-03', status: 'convicted', sourceIds: ['s2'] },
    ],
    consent: 'partners',
    sharePartners: ['partner b', 'Partner C'],
    vulnerability: { incommunicado: true, medicalNote: 'note' },
    family: { contacts: [{ name: 'Wife', relation: 'spouse' }] },
    timeline: [{ id: 't1', date: '2022-10-07', description: 'Prize', attachmentIds: ['a'.repeat(32), 'b'.repeat(32)] }],
    customFields: { f1: 'drop', f2: 'only-drop' },
  })

  it('unites names, sources (re-citing), events, flags and contacts; narrows consent; reports conflicts', () => {
    const { dossier, conflicts } = mergeDossierBodies(keep, drop, new Map([['a'.repeat(32), 'c'.repeat(32)]]))
    expect(dossier.names.original).toBe('Алесь Бяляцкі')
    // "Ales Byalyatsky" and "Aleś Bialacki" fold to the kept name: no new spelling needed.
    expect(dossier.names.otherSpellings).toEqual([])
    expect(dossier.names.aliases).toEqual(['A.B.'])
    expect(dossier.birth).toEqual({ year: 1962 })
    expect(dossier.gender).toBe('male')
    expect(dossier.category).toBe('political-prisoner')
    expect(dossier.sources.map((s) => [s.id, s.name])).toEqual([
      ['s1', 'Viasna'],
      [expect.not.stringMatching(/^s1$/), 'Cellmate'],
    ])
    const cellmate = dossier.sources[1]!.id
    expect(dossier.statusHistory.map((e) => [e.id, e.status, e.sourceIds])).toEqual([
      ['e1', 'detained', ['s1', cellmate]],
      ['e2', 'convicted', ['s1']],
    ])
    expect(dossier.vulnerability).toMatchObject({ ill: true, incommunicado: true, medicalNote: 'note' })
    expect(dossier.family.contacts).toHaveLength(1)
    expect(dossier.timeline[0]!.attachmentIds).toEqual(['c'.repeat(32)])
    expect(dossier.consent).toBe('partners')
    expect(dossier.sharePartners).toEqual(['Partner B'])
    expect(dossier.customFields).toEqual({ f1: 'keep', f2: 'only-drop' })
    expect(conflicts).toEqual(expect.arrayContaining(['$.birth.year', '$.category', '$.customFields.f1']))
  })

  it('never widens consent: public + internal → internal; partners with no partner in common → internal', () => {
    const pub = parseDossier({ names: { original: 'P' }, category: 'other', consent: 'public' })
    const internal = parseDossier({ names: { original: 'P' }, category: 'other', consent: 'internal' })
    expect(mergeDossierBodies(pub, internal).dossier.consent).toBe('internal')
    const a = parseDossier({ names: { original: 'P' }, category: 'other', consent: 'partners', sharePartners: ['X'] })
    const b = parseDossier({ names: { original: 'P' }, category: 'other', consent: 'partners', sharePartners: ['Y'] })
    expect(mergeDossierBodies(a, b).dossier).toMatchObject({ consent: 'internal', sharePartners: [] })
    expect(mergeDossierBodies(pub, a).dossier).toMatchObject({ consent: 'partners', sharePartners: ['X'] })
  })
})
