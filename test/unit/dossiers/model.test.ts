// Unit (Node): the dossier model — status derivation (ordering, same-day ties, empty), parsing with JSON-path
// errors, defaults and generated ids, and the summary computed from a dossier.
import { describe, expect, it } from 'vitest'
import {
  DOSSIER_CATEGORIES,
  FIRST_STATUS_BY_CATEGORY,
  STATUSES_BY_CATEGORY,
  deriveCurrentStatus,
  findCurrentStatusEvent,
  parseDossier,
  statusChoices,
  type StatusEvent,
} from '../../../shared/dossiers/dossier'
import { STATUS_LABELS } from '../../../shared/dossiers/labels'
import { summarizeDossier } from '../../../shared/dossiers/summary'

const ev = (date: string, status: StatusEvent['status']) => ({ date, status })

describe('deriveCurrentStatus', () => {
  it('is unknown for an empty history', () => {
    expect(deriveCurrentStatus([])).toBe('unknown')
  })

  it('takes the latest event by date whatever order the events were entered in', () => {
    expect(deriveCurrentStatus([ev('2023-05-01', 'convicted'), ev('2021-01-01', 'detained'), ev('2022-03-03', 'charged')])).toBe(
      'convicted',
    )
    expect(deriveCurrentStatus([ev('2024-01-01', 'released'), ev('2023-01-01', 'convicted')])).toBe('released')
    // A later re-arrest after a release counts: the latest date wins, not the "strongest" status.
    expect(deriveCurrentStatus([ev('2020-01-01', 'detained'), ev('2021-01-01', 'released'), ev('2022-06-01', 'detained')])).toBe('detained')
  })

  it('breaks same-day ties by the order of the life cycle, terminal states last', () => {
    expect(deriveCurrentStatus([ev('2022-02-02', 'charged'), ev('2022-02-02', 'detained')])).toBe('charged')
    expect(deriveCurrentStatus([ev('2022-02-02', 'released'), ev('2022-02-02', 'convicted')])).toBe('released')
    expect(deriveCurrentStatus([ev('2022-02-02', 'exchanged'), ev('2022-02-02', 'detained'), ev('2021-01-01', 'missing')])).toBe(
      'exchanged',
    )
    expect(deriveCurrentStatus([ev('2022-02-02', 'deceased'), ev('2022-02-02', 'exchanged')])).toBe('deceased')
    expect(deriveCurrentStatus([ev('2022-02-02', 'detained'), ev('2022-02-02', 'missing')])).toBe('detained')
  })
})

describe('statuses for each category', () => {
  it('offers a deported child deported, located and returned to family; a missing person found alive or found dead', () => {
    const words = (category: (typeof DOSSIER_CATEGORIES)[number]) => STATUSES_BY_CATEGORY[category].map((s) => STATUS_LABELS[s])
    expect(words('deported-child')).toEqual(['Missing', 'Deported', 'Located', 'Returned to family', 'Deceased'])
    expect(words('missing-person')).toEqual(expect.arrayContaining(['Missing', 'Found alive', 'Found dead']))
    expect(words('missing-person')).not.toContain('Convicted')
    expect(words('prisoner-of-war')).toEqual(expect.arrayContaining(['Detained', 'Exchanged', 'Released']))
  })

  it('starts every category on a status it offers, and keeps an event’s status offered when the category changes', () => {
    for (const category of DOSSIER_CATEGORIES) expect(STATUSES_BY_CATEGORY[category]).toContain(FIRST_STATUS_BY_CATEGORY[category])
    expect(FIRST_STATUS_BY_CATEGORY['deported-child']).toBe('deported')
    expect(statusChoices('deported-child', 'convicted')).toEqual(['missing', 'convicted', 'deported', 'located', 'returned', 'deceased'])
    expect(statusChoices('deported-child', 'located')).toBe(STATUSES_BY_CATEGORY['deported-child'])
  })

  it('accepts and orders the new statuses: a child deported and returned on one day is returned', () => {
    const d = parseDossier({
      names: { original: 'Дитина' },
      category: 'deported-child',
      statusHistory: [
        { date: '2023-04-01', status: 'returned' },
        { date: '2023-04-01', status: 'located' },
        { date: '2022-09-10', status: 'deported' },
      ],
    })
    expect(deriveCurrentStatus(d.statusHistory)).toBe('returned')
    expect(deriveCurrentStatus([ev('2024-03-03', 'found-dead'), ev('2024-03-03', 'found-alive')])).toBe('found-dead')
  })

  it('finds the event that set the current status, for "since when"', () => {
    expect(findCurrentStatusEvent([])).toBeUndefined()
    expect(findCurrentStatusEvent([ev('2021-01-01', 'detained'), ev('2023-05-12', 'convicted'), ev('2022-02-02', 'charged')])).toEqual(
      ev('2023-05-12', 'convicted'),
    )
  })
})

describe('parseDossier', () => {
  it('fills defaults and generates missing item ids', () => {
    const d = parseDossier({
      names: { original: 'Олена' },
      category: 'civilian-detainee',
      statusHistory: [{ date: '2023-01-02', status: 'missing' }],
    })
    expect(d.consent).toBe('internal')
    expect(d.gender).toBe('unknown')
    expect(d.family.contacts).toEqual([])
    expect(d.vulnerability).toMatchObject({ ill: false, minor: false, sourceIds: [] })
    expect(d.statusHistory[0]!.id).toMatch(/^[0-9a-f]{16}$/)
  })

  it('names the JSON path of every problem and never echoes values', () => {
    const bad = {
      names: { original: '' },
      category: 'tourist',
      birth: { date: '1990-02-30' },
      statusHistory: [{ id: 'e1', date: '2023-13-01', status: 'detained', sourceIds: ['nope'] }],
      family: { contacts: [{ name: 'SECRET-NAME', relation: '' }] },
    }
    expect(() => parseDossier(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    try {
      parseDossier(bad)
      expect.unreachable()
    } catch (error) {
      const message = (error as Error).message
      for (const path of [
        '$.names.original: is empty',
        '$.category: ',
        '$.birth.date: is not a calendar date',
        '$.statusHistory[0].date: ',
        '$.family.contacts[0].relation: is empty',
      ]) {
        expect(message).toContain(path)
      }
      expect(message).not.toContain('SECRET-NAME')
    }
  })

  it('refuses citations of unknown sources, repeated ids, partners consent without partners, and unknown keys', () => {
    const base = { names: { original: 'A' }, category: 'other' as const }
    expect(() =>
      parseDossier({ ...base, statusHistory: [{ id: 'e', date: '2020-01-01', status: 'detained', sourceIds: ['s9'] }] }),
    ).toThrow(/\$\.statusHistory\[0\]\.sourceIds\[0\]: cites a source/)
    expect(() =>
      parseDossier({
        ...base,
        sources: [
          { id: 's', type: 'person', name: 'x' },
          { id: 's', type: 'person', name: 'y' },
        ],
      }),
    ).toThrow(/\$\.sources\[1\]\.id: repeats/)
    expect(() => parseDossier({ ...base, consent: 'partners' })).toThrow(/\$\.sharePartners: names no partner/)
    expect(() => parseDossier({ ...base, nickname: 'x' })).toThrow(/VALIDATION|Unrecognized/)
    expect(() => parseDossier({ ...base, birth: { date: '1962-09-25', year: 1963 } })).toThrow(/\$\.birth\.year: does not match/)
    expect(() => parseDossier({ ...base, detentions: [{ facility: 'X', from: '2022-01-02', to: '2021-01-01' }] })).toThrow(
      /\$\.detentions\[0\]\.to: ends before/,
    )
  })

  it('summarises with folded name keys (each form and word-sorted), status, flags and birth year', () => {
    const d = parseDossier({
      names: { original: 'Бяляцкі Алесь', transliteration: 'Ales Bialiatski', otherSpellings: ['Byalyatsky'] },
      birth: { date: '1962-09-25' },
      category: 'political-prisoner',
      homeRegion: 'Minsk',
      vulnerability: { ill: true, incommunicado: true, medicalNote: 'x' },
      statusHistory: [
        { date: '2021-07-14', status: 'detained' },
        { date: '2023-03-03', status: 'convicted' },
      ],
      consent: 'public',
    })
    const s = summarizeDossier(d)
    expect(s).toMatchObject({
      name: 'Бяляцкі Алесь',
      status: 'convicted',
      category: 'political-prisoner',
      region: 'Minsk',
      consent: 'public',
      birthYear: 1962,
      birthApproximate: false,
    })
    expect(s.flags).toEqual(['ill', 'incommunicado'])
    expect(s.nameKeys).toEqual(expect.arrayContaining(['bialacki ales', 'ales bialacki', 'bialacki']))
    expect(JSON.stringify(s)).not.toContain('medical')
  })
})
