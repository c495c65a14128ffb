// Benchmarks (Node): dossier list operations over 10,000 synthetic summaries in mixed scripts — filterDossiers
// (goal p95 ≤ 100 ms) and findDuplicates for a new entry (goal p95 ≤ 50 ms), plus building the summaries.
import { DOSSIER_CATEGORIES, VULNERABILITY_FLAGS, parseDossier, type DossierStatus } from '../shared/dossiers/dossier'
import { findDuplicates } from '../shared/dossiers/duplicates'
import { filterDossiers, type DossierFilter } from '../shared/dossiers/filter'
import { summarizeDossier, type DossierSummaryEntry } from '../shared/dossiers/summary'
import { percentile, timeMs, type Figure } from './measure'

const COUNT = 10_000
const RUNS = 60

const FIRST = [
  'Олена',
  'Мікола',
  'Алесь',
  'Сергей',
  'Ivan',
  'Maria',
  'Olha',
  'Dmytro',
  'Kari',
  'Øystein',
  'Łukasz',
  'Анна',
  'Юлія',
  'Nataliia',
  'Taras',
  'Siarhei',
]
const LAST = [
  'Коваленко',
  'Бондаренко',
  'Шевчук',
  'Бяляцкі',
  'Petrenko',
  'Kovalchuk',
  'Ivanova',
  'Melnyk',
  'Ekeløve',
  'Hansen',
  'Wysocki',
  'Ткаченко',
  'Кравченко',
  'Lysenko',
  'Tsikhanouski',
  'Marchenko',
]
const REGIONS = [
  'Kyiv',
  'Minsk',
  'Zaporizhzhia oblast (temporarily occupied)',
  'Kherson oblast (temporarily occupied)',
  'Crimea (temporarily occupied)',
]
const STATUSES: DossierStatus[] = ['missing', 'detained', 'charged', 'convicted', 'released', 'exchanged']

/** A small deterministic PRNG so every run measures the same data. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function buildEntries(): DossierSummaryEntry[] {
  const random = createRandom(42)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const entries: DossierSummaryEntry[] = []
  for (let i = 0; i < COUNT; i++) {
    // A serial suffix keeps most names distinct, as in a real register where few names repeat exactly.
    const original = `${pick(FIRST)} ${pick(LAST)}${i % 7 === 0 ? '' : ` ${String.fromCharCode(1072 + (i % 32))}${i}`}`
    const dossier = parseDossier({
      names: { original, otherSpellings: i % 3 === 0 ? [`${pick(FIRST)} ${pick(LAST)}`] : [] },
      birth: { year: 1940 + (i % 70), approximate: i % 5 === 0 },
      category: pick(DOSSIER_CATEGORIES),
      homeRegion: pick(REGIONS),
      statusHistory: [
        { id: 'e1', date: '2022-03-01', status: 'detained' },
        { id: 'e2', date: `2023-0${1 + (i % 9)}-15`, status: pick(STATUSES) },
      ],
      vulnerability: Object.fromEntries(VULNERABILITY_FLAGS.map((f) => [f, random() < 0.15])),
      consent: pick(['internal', 'public'] as const),
    })
    entries.push({ id: i.toString(16).padStart(32, '0'), summary: summarizeDossier(dossier) })
  }
  return entries
}

async function measureRuns(runs: number, work: (run: number) => unknown): Promise<number[]> {
  const times: number[] = []
  for (let run = 0; run < runs; run++) times.push(await timeMs(() => work(run)))
  return times
}

export async function runDossiersBench(opts: { dir: string }): Promise<Figure[]> {
  void opts.dir // Everything here runs in memory: summaries are what list views hold after one decryption pass.
  let entries: DossierSummaryEntry[] = []
  const buildTime = await timeMs(() => {
    entries = buildEntries()
  })

  const filters: DossierFilter[] = [
    { status: 'detained' },
    { category: 'political-prisoner', vulnerability: ['ill'] },
    { region: 'Kyiv', status: ['convicted', 'charged'] },
    { text: 'kovalenko' },
    { text: 'Бяляцкі Алесь', consent: 'public' },
    { status: 'detained', vulnerability: ['elderly', 'incommunicado'], text: 'olena' },
  ]
  const filterTimes = await measureRuns(RUNS, (run) => filterDossiers(entries, filters[run % filters.length]!))

  const candidates = ['Олена Коваленко', 'Ales Bialiatski', 'Oystein Hansen', 'Sergii Petrenko', 'Lukasz Wysocky', 'Юлія Лисенко']
  const coldTime = await timeMs(() => findDuplicates({ names: [candidates[0]!], birthYear: 1970 }, entries))
  const duplicateTimes = await measureRuns(RUNS, (run) =>
    findDuplicates({ names: [candidates[run % candidates.length]!], birthYear: 1950 + (run % 50) }, entries),
  )

  return [
    { name: 'summaries built (10,000 dossiers)', value: buildTime, unit: 'ms' },
    { name: 'filterDossiers p50 (10,000)', value: percentile(filterTimes, 50), unit: 'ms' },
    { name: 'filterDossiers p95 (10,000)', value: percentile(filterTimes, 95), unit: 'ms', goal: '≤ 100 ms' },
    { name: 'findDuplicates first call (10,000)', value: coldTime, unit: 'ms' },
    { name: 'findDuplicates p50 (10,000)', value: percentile(duplicateTimes, 50), unit: 'ms' },
    { name: 'findDuplicates p95 (10,000)', value: percentile(duplicateTimes, 95), unit: 'ms', goal: '≤ 50 ms' },
  ]
}
