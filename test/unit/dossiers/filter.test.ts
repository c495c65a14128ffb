// Unit (Node): filtering and counting over summaries — each criterion, combinations, list order, bad filters.
import { describe, expect, it } from 'vitest'
import { parseDossier, type DossierInput } from '../../../shared/dossiers/dossier'
import { countBy, filterDossiers } from '../../../shared/dossiers/filter'
import { summarizeDossier, type DossierSummaryEntry } from '../../../shared/dossiers/summary'

function entry(n: number, extra: Partial<DossierInput> & { names: DossierInput['names'] }): DossierSummaryEntry {
  return { id: String(n).repeat(32).slice(0, 32), summary: summarizeDossier(parseDossier({ category: 'civilian-detainee', ...extra })) }
}

const entries = [
  entry(1, {
    names: { original: 'Алесь Бяляцкі' },
    category: 'political-prisoner',
    homeRegion: 'Minsk',
    consent: 'public',
    statusHistory: [{ date: '2023-03-03', status: 'convicted' }],
    vulnerability: { ill: true, elderly: true },
  }),
  entry(2, {
    names: { original: 'Олена Вигадана', transliteration: 'Olena Vyhadana' },
    homeRegion: 'Zaporizhzhia oblast (temporarily occupied)',
    statusHistory: [{ date: '2023-06-02', status: 'detained' }],
    vulnerability: { ill: true },
  }),
  entry(3, {
    names: { original: 'Ivan Petrenko' },
    category: 'prisoner-of-war',
    homeRegion: 'Kyiv',
    statusHistory: [
      { date: '2022-04-01', status: 'detained' },
      { date: '2024-01-01', status: 'exchanged' },
    ],
  }),
  entry(4, { names: { original: 'Maria Kovalenko' }, category: 'missing-person', homeRegion: 'Kyiv' }),
]

describe('filterDossiers', () => {
  it('filters by status (one or several), category, region, consent and vulnerability flags', () => {
    const ids = (f: Parameters<typeof filterDossiers>[1]) => filterDossiers(entries, f).map((e) => e.id[0])
    expect(ids({})).toEqual(['1', '2', '3', '4'])
    expect(ids({ status: 'detained' })).toEqual(['2'])
    expect(ids({ status: ['convicted', 'unknown'] })).toEqual(['1', '4'])
    expect(ids({ category: 'prisoner-of-war' })).toEqual(['3'])
    expect(ids({ region: 'Kyiv' })).toEqual(['3', '4'])
    expect(ids({ consent: 'public' })).toEqual(['1'])
    expect(ids({ vulnerability: ['ill'] })).toEqual(['1', '2'])
    expect(ids({ vulnerability: ['ill', 'elderly'] })).toEqual(['1'])
    expect(ids({ region: 'Kyiv', status: 'exchanged' })).toEqual(['3'])
  })

  it('matches text against every name form in any script', () => {
    const ids = (text: string) => filterDossiers(entries, { text }).map((e) => e.id[0])
    expect(ids('bialiatski')).toEqual(['1'])
    expect(ids('Ales Byalyatsky')).toEqual(['1'])
    expect(ids('вигадана')).toEqual(['2'])
    expect(ids('Petrenko')).toEqual(['3'])
    expect(ids('kovalenko ivan')).toEqual([])
  })

  it('restricts to a list in list order, and refuses unknown lists and bad filters', () => {
    const list = { id: 'l1', name: 'Annex', dossierIds: [entries[3]!.id, entries[0]!.id, 'f'.repeat(32)] }
    expect(filterDossiers(entries, { listId: 'l1' }, [list]).map((e) => e.id[0])).toEqual(['4', '1'])
    expect(filterDossiers(entries, { listId: 'l1', status: 'unknown' }, [list]).map((e) => e.id[0])).toEqual(['4'])
    expect(() => filterDossiers(entries, { listId: 'nope' }, [list])).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expect(() => filterDossiers(entries, { status: 'jailed' as never })).toThrow(/\$\.status/)
    expect(() => filterDossiers(entries, { colour: 'red' } as never)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })
})

describe('countBy', () => {
  it('counts by status and category with zeroes for the rest', () => {
    const counts = countBy(entries)
    expect(counts.total).toBe(4)
    expect(counts.byStatus).toMatchObject({ convicted: 1, detained: 1, exchanged: 1, unknown: 1, released: 0 })
    expect(counts.byCategory).toMatchObject({
      'political-prisoner': 1,
      'civilian-detainee': 1,
      'prisoner-of-war': 1,
      'missing-person': 1,
      other: 0,
    })
    expect(countBy([]).total).toBe(0)
  })
})
