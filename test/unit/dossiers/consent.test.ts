// Unit (Node): consent filtering with counts and reasons, redaction profiles, annex rows and the merged annex.
import { describe, expect, it } from 'vitest'
import { parseDossier, type DossierInput, type IdentifiedDossier } from '../../../shared/dossiers/dossier'
import { filterForAudience, mergeDossierAnnex, redactDossier, REDACT_ALL, toAnnexRow } from '../../../shared/dossiers/consent'
import { buildAnnex } from '../../../electron/core/letters/render/annexTable'

const FAMILY_MARKER = 'FAMILY-PHONE-555'
function make(id: string, extra: Partial<DossierInput>): IdentifiedDossier {
  return {
    id: id.repeat(32),
    dossier: parseDossier({
      names: { original: `Person ${id}` },
      category: 'civilian-detainee',
      family: { contacts: [{ name: 'Mother', relation: 'mother', phone: FAMILY_MARKER }] },
      ...extra,
    }),
  }
}

const dossiers = [
  make('1', { consent: 'internal' }),
  make('2', { consent: 'partners', sharePartners: ['Norwegian Helsinki Committee'] }),
  make('3', { consent: 'public' }),
  make('4', { consent: 'partners', sharePartners: ['Other Partner'] }),
  make('5', { consent: 'public' }),
]

describe('filterForAudience', () => {
  it('internal output includes everything', () => {
    const r = filterForAudience(dossiers, 'internal')
    expect(r.included).toHaveLength(5)
    expect(r.omitted).toBe(0)
    expect(r.reasons).toEqual([])
  })

  it('a named partner gets public dossiers and partners dossiers naming it (case and spacing ignored)', () => {
    const r = filterForAudience(dossiers, 'partner', '  norwegian helsinki committee ')
    expect(r.included.map((d) => d.id[0])).toEqual(['2', '3', '5'])
    expect(r.omitted).toBe(2)
    expect(r.reasons).toEqual([
      { id: '1'.repeat(32), reason: 'internal-only' },
      { id: '4'.repeat(32), reason: 'partner-not-named' },
    ])
  })

  it('the public gets public dossiers only', () => {
    const r = filterForAudience(dossiers, 'public')
    expect(r.included.map((d) => d.id[0])).toEqual(['3', '5'])
    expect(r.omitted).toBe(3)
    expect(r.reasons.map((x) => x.reason)).toEqual(['internal-only', 'partners-only', 'partners-only'])
  })

  it('refuses a partner audience without a name, and an unknown audience', () => {
    expect(() => filterForAudience(dossiers, 'partner')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => filterForAudience(dossiers, 'partner', '  ')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => filterForAudience(dossiers, 'press' as never)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })
})

describe('redactDossier', () => {
  const full = parseDossier({
    names: { original: 'X' },
    category: 'other',
    family: { contacts: [{ name: 'Sister', relation: 'sister', email: 's@example.org' }] },
    vulnerability: { ill: true, medicalNote: 'MEDICAL-DETAIL', sourceIds: ['s1'] },
    sources: [{ id: 's1', type: 'person', name: 'Witness' }],
    statusHistory: [{ id: 'e1', date: '2022-01-01', status: 'detained', sourceIds: ['s1'] }],
    charges: [{ id: 'c1', article: 'Art. 1', sourceIds: ['s1'] }],
  })

  it('removes family, medical notes and sources (with their citations) under REDACT_ALL, leaving a valid dossier', () => {
    const r = redactDossier(full, REDACT_ALL)
    expect(r.family.contacts).toEqual([])
    expect(r.vulnerability.medicalNote).toBeUndefined()
    expect(r.vulnerability.ill).toBe(true)
    expect(r.sources).toEqual([])
    expect(r.statusHistory[0]!.sourceIds).toEqual([])
    expect(r.charges[0]!.sourceIds).toEqual([])
    expect(r.vulnerability.sourceIds).toEqual([])
    expect(JSON.stringify(r)).not.toMatch(/MEDICAL-DETAIL|Sister|Witness/)
    expect(() => parseDossier(r)).not.toThrow()
    // The input is untouched.
    expect(full.family.contacts).toHaveLength(1)
    expect(full.vulnerability.medicalNote).toBe('MEDICAL-DETAIL')
  })

  it('keeps exactly the sections the profile asks for', () => {
    const r = redactDossier(full, { family: true, medical: false, sources: true })
    expect(r.family.contacts).toHaveLength(1)
    expect(r.vulnerability.medicalNote).toBeUndefined()
    expect(r.sources).toHaveLength(1)
    expect(r.statusHistory[0]!.sourceIds).toEqual(['s1'])
    expect(redactDossier(full, { family: false, medical: true, sources: false }).vulnerability.medicalNote).toBe('MEDICAL-DETAIL')
  })
})

describe('annex rows', () => {
  it('shows name forms, custody start, place, status, flags and consent — never family or medical notes', () => {
    const d = parseDossier({
      names: { original: 'Олена Вигадана', transliteration: 'Olena Vyhadana' },
      category: 'civilian-detainee',
      statusHistory: [
        { date: '2020-01-01', status: 'detained' },
        { date: '2021-01-01', status: 'released' },
        { date: '2023-06-02', status: 'detained' },
        { date: '2024-02-20', status: 'charged' },
      ],
      detentions: [
        { facility: 'Old prison', location: 'A', from: '2020-01-01', to: '2021-01-01' },
        { facility: 'SIZO-2 Taganrog', location: 'Taganrog', from: '2023-08-10' },
      ],
      vulnerability: { ill: true, incommunicado: true, medicalNote: 'MEDICAL-DETAIL' },
      family: { contacts: [{ name: 'Son', relation: 'son', phone: FAMILY_MARKER }] },
      consent: 'public',
    })
    expect(toAnnexRow(d)).toEqual({
      name: 'Olena Vyhadana (Олена Вигадана)',
      detainedSince: '2023-06-02',
      statusSince: '2024-02-20',
      place: 'SIZO-2 Taganrog, Taganrog',
      status: 'charged',
      vulnerability: ['ill', 'incommunicado'],
      consent: 'public',
    })
  })

  it('has no custody fields for someone released or missing', () => {
    const d = parseDossier({
      names: { original: 'Y' },
      category: 'missing-person',
      statusHistory: [{ date: '2022-05-05', status: 'missing' }],
    })
    expect(toAnnexRow(d)).toEqual({ name: 'Y', status: 'missing', statusSince: '2022-05-05', consent: 'internal' })
  })

  it('merges the annex through the consent filter, and the rows pass the letter annex builder', () => {
    const annex = mergeDossierAnnex(dossiers, 'partner', 'Norwegian Helsinki Committee')
    expect(annex.rows.map((r) => r.name)).toEqual(['Person 2', 'Person 3', 'Person 5'])
    expect(annex.omitted).toBe(2)
    expect(JSON.stringify(annex)).not.toContain(FAMILY_MARKER)
    const table = buildAnnex(annex.rows, { audience: 'partners' })
    expect(table.rows).toHaveLength(3)
    const publicAnnex = mergeDossierAnnex(dossiers, 'public')
    expect(publicAnnex.rows.map((r) => r.name)).toEqual(['Person 3', 'Person 5'])
    expect(publicAnnex.omitted).toBe(3)
  })
})
