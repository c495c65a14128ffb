// Unit (Node): possible-duplicate detection across scripts and romanisations — true and false matches, word order,
// edit-distance limits, gendered surnames and birth-year compatibility.
import { describe, expect, it } from 'vitest'
import { parseDossier, type DossierInput } from '../../../shared/dossiers/dossier'
import { checkBirthYearsCompatible, findDuplicates, measureEditDistance } from '../../../shared/dossiers/duplicates'
import { summarizeDossier, type DossierSummaryEntry } from '../../../shared/dossiers/summary'

function entry(id: string, names: string[], birth: DossierInput['birth'] = {}): DossierSummaryEntry {
  const [original, ...otherSpellings] = names
  return { id, summary: summarizeDossier(parseDossier({ names: { original: original!, otherSpellings }, birth, category: 'other' })) }
}

interface Case {
  title: string
  candidate: string[]
  candidateYear?: number
  candidateApprox?: boolean
  existing: string[]
  existingBirth?: DossierInput['birth']
  expected: 'same-name' | 'similar-name' | null
}

const CASES: Case[] = [
  { title: 'Norwegian ø vs o', candidate: ['Ekeløve'], existing: ['Ekelove'], expected: 'same-name' },
  { title: 'Belarusian Cyrillic vs BGN transliteration', candidate: ['Бяляцкі'], existing: ['Bialiatski'], expected: 'same-name' },
  { title: 'English romanisation vs Cyrillic', candidate: ['Byalyatsky'], existing: ['Бяляцкі'], expected: 'same-name' },
  { title: 'full name, word order ignored', candidate: ['Bialiatski Ales'], existing: ['Алесь Бяляцкі'], expected: 'same-name' },
  { title: 'Ukrainian vs English y-doubling', candidate: ['Зеленський'], existing: ['Zelenskyy'], expected: 'same-name' },
  { title: 'w/v and Cyrillic ы', candidate: ['Nawalny'], existing: ['Навальный'], expected: 'same-name' },
  { title: 'hyphenated vs spaced, Cyrillic', candidate: ['Кара-Мурза'], existing: ['Kara Murza'], expected: 'same-name' },
  {
    title: 'one of several name forms matches',
    candidate: ['Olena V.', 'Olena Vyhadana'],
    existing: ['Олена Вигадана'],
    expected: 'same-name',
  },
  {
    title: 'Russian vs Ukrainian first name within one edit',
    candidate: ['Сергей Петров'],
    existing: ['Serhii Petrov'],
    expected: 'similar-name',
  },
  {
    title: 'typo within one edit (6+ letters)',
    candidate: ['Oleksandr Bondarenko'],
    existing: ['Oleksandr Bondarenco'],
    expected: 'similar-name',
  },
  { title: 'two edits allowed from 12 letters', candidate: ['Tsikhanouskaya'], existing: ['Тихановская'], expected: 'similar-name' },
  { title: 'gendered surname Ivanov vs Ivanova', candidate: ['Ivanov'], existing: ['Ivanova'], expected: null },
  { title: 'gendered surname in Cyrillic full name', candidate: ['Иван Иванов'], existing: ['Ivan Ivanova'], expected: null },
  { title: 'Polish -ski vs -ska', candidate: ['Jan Kowalski'], existing: ['Jan Kowalska'], expected: null },
  { title: 'short names need an exact match', candidate: ['Olga'], existing: ['Olia'], expected: null },
  { title: 'one edit is too many below 6 letters', candidate: ['Marek'], existing: ['Marak'], expected: null },
  { title: 'two edits too many below 12 letters', candidate: ['Petrenko'], existing: ['Patrinko'], expected: null },
  { title: 'different people', candidate: ['Maria Kolesnikova'], existing: ['Sviatlana Tsikhanouskaya'], expected: null },
  {
    title: 'same name but birth years 1962 vs 1985',
    candidate: ['Ales Bialiatski'],
    candidateYear: 1962,
    existing: ['Алесь Бяляцкі'],
    existingBirth: { year: 1985 },
    expected: null,
  },
  {
    title: 'same name, one birth year unknown',
    candidate: ['Ales Bialiatski'],
    candidateYear: 1962,
    existing: ['Алесь Бяляцкі'],
    expected: 'same-name',
  },
  {
    title: 'same name, years one apart, one approximate',
    candidate: ['Ales Bialiatski'],
    candidateYear: 1963,
    existing: ['Алесь Бяляцкі'],
    existingBirth: { year: 1962, approximate: true },
    expected: 'same-name',
  },
  {
    title: 'same name, years one apart, neither approximate',
    candidate: ['Ales Bialiatski'],
    candidateYear: 1963,
    existing: ['Алесь Бяляцкі'],
    existingBirth: { date: '1962-09-25' },
    expected: null,
  },
  {
    title: 'same name, years two apart even if approximate',
    candidate: ['Ales Bialiatski'],
    candidateYear: 1964,
    candidateApprox: true,
    existing: ['Алесь Бяляцкі'],
    existingBirth: { year: 1962 },
    expected: null,
  },
]

describe('findDuplicates', () => {
  it.each(CASES)('$title', (c) => {
    const existing = [entry('a'.repeat(32), c.existing, c.existingBirth ?? {}), entry('b'.repeat(32), ['Someone Else Entirely'])]
    const matches = findDuplicates(
      { names: c.candidate, birthYear: c.candidateYear ?? null, birthApproximate: c.candidateApprox ?? false },
      existing,
    )
    if (c.expected === null) {
      expect(matches).toEqual([])
    } else {
      expect(matches).toHaveLength(1)
      expect(matches[0]).toMatchObject({ id: 'a'.repeat(32), reason: c.expected })
    }
  })

  it('has at least 15 cases across scripts', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15)
  })

  it('takes a names section, ranks same-name first and skips the dossier being edited', () => {
    const existing = [
      entry('1'.repeat(32), ['Oleksandr Bondarenco']),
      entry('2'.repeat(32), ['Олександр Бондаренко']),
      entry('3'.repeat(32), ['Anna Bondarenko']),
    ]
    const names = { original: 'Oleksandr Bondarenko', otherSpellings: [], aliases: [] }
    const matches = findDuplicates({ names }, existing)
    expect(matches.map((m) => [m.id[0], m.reason, m.distance])).toEqual([
      ['2', 'same-name', 0],
      ['1', 'similar-name', 1],
    ])
    expect(findDuplicates({ names }, existing, { excludeId: '2'.repeat(32) }).map((m) => m.id[0])).toEqual(['1'])
    expect(findDuplicates({ names: [] }, existing)).toEqual([])
  })
})

describe('helpers', () => {
  it('measures bounded edit distance', () => {
    expect(measureEditDistance('kitten', 'sitting', 3)).toBe(3)
    expect(measureEditDistance('kitten', 'sitting', 2)).toBe(3)
    expect(measureEditDistance('abc', 'abc', 0)).toBe(0)
    expect(measureEditDistance('abc', 'abcdef', 2)).toBe(3)
  })

  it('checks birth-year compatibility', () => {
    expect(checkBirthYearsCompatible(1962, false, 1962, false)).toBe(true)
    expect(checkBirthYearsCompatible(null, false, 1962, false)).toBe(true)
    expect(checkBirthYearsCompatible(1961, true, 1962, false)).toBe(true)
    expect(checkBirthYearsCompatible(1961, false, 1962, false)).toBe(false)
  })
})
