// Shared by every process: possible-duplicate detection for a new or edited dossier against existing summaries.
// Names are compared as foldName skeletons (script-, diacritic- and romanisation-insensitive, shared/text/fold.ts),
// with word order ignored, or within a small edit distance; birth years must be compatible as well.
import { listNameForms, type DossierNames } from './dossier'
import { buildNameKeys, sortNameWords, type DossierSummaryEntry } from './summary'

export interface DuplicateCandidate {
  /** Every name form of the candidate, or its names section. */
  names: readonly string[] | Pick<DossierNames, 'original' | 'transliteration' | 'otherSpellings' | 'aliases'>
  birthYear?: number | null
  birthApproximate?: boolean
}

export type DuplicateReason = 'same-name' | 'similar-name'

export interface DuplicateMatch {
  id: string
  reason: DuplicateReason
  /** Edits between the closest folded name forms (0 for same-name). */
  distance: number
}

/** Highest edit distance allowed for a name of `letters` letters: ≤ 1 from 6 letters, ≤ 2 from 12, else exact only. */
export function computeAllowedDistance(letters: number): number {
  if (letters >= 12) return 2
  if (letters >= 6) return 1
  return 0
}

/** Equal years, either unknown, or ±1 when either is approximate. */
export function checkBirthYearsCompatible(
  a: number | null | undefined,
  aApprox: boolean,
  b: number | null | undefined,
  bApprox: boolean,
): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return true
  if (a === b) return true
  return (aApprox || bApprox) && Math.abs(a - b) <= 1
}

/** Levenshtein distance if it is ≤ max, else max + 1 (stops as soon as every path exceeds max). */
export function measureEditDistance(a: string, b: string, max: number): number {
  if (a === b) return 0
  if (Math.abs(a.length - b.length) > max) return max + 1
  let prev = new Array<number>(b.length + 1)
  let curr = new Array<number>(b.length + 1)
  for (let j = 0; j <= b.length; j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i
    let rowMin = i
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1
      const value = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost)
      curr[j] = value
      if (value < rowMin) rowMin = value
    }
    if (rowMin > max) return max + 1
    ;[prev, curr] = [curr, prev]
  }
  return prev[b.length]! <= max ? prev[b.length]! : max + 1
}

// The last letter of every word: a one-letter difference there is usually a different word form, not a typo
// (Ivanov/Ivanova, Bialiatski/Bialiatska), which fold.ts deliberately keeps apart too.
function readWordEnds(key: string): string {
  let ends = ''
  for (let i = 0; i < key.length; i++) if (i === key.length - 1 || key[i + 1] === ' ') ends += key[i]
  return ends
}

interface PreparedKey {
  key: string
  letters: number
  ends: string
}

function prepareKey(key: string): PreparedKey {
  let letters = 0
  for (let i = 0; i < key.length; i++) if (key[i] !== ' ') letters++
  return { key, letters, ends: readWordEnds(key) }
}

// Existing summaries' keys, prepared once per summary object (the list views keep the same objects between checks).
const preparedCache = new WeakMap<object, PreparedKey[]>()

function prepareSummaryKeys(entry: DossierSummaryEntry): PreparedKey[] {
  let prepared = preparedCache.get(entry.summary)
  if (!prepared) {
    prepared = entry.summary.nameKeys.map(prepareKey)
    preparedCache.set(entry.summary, prepared)
  }
  return prepared
}

/**
 * Existing dossiers that may be the same person as the candidate, best first (same name, then by distance), one
 * match per dossier. A match needs (a) some name form of each to be equal once folded, word order ignored, or within
 * computeAllowedDistance(letters of the shorter form) edits with the same last letter in every word; and (b)
 * compatible birth years (checkBirthYearsCompatible). Entries with `excludeId` (the dossier being edited) are skipped.
 */
export function findDuplicates(
  candidate: DuplicateCandidate,
  existing: readonly DossierSummaryEntry[],
  opts: { excludeId?: string } = {},
): DuplicateMatch[] {
  const forms = Array.isArray(candidate.names) ? (candidate.names as readonly string[]) : listNameForms(candidate.names as DossierNames)
  const candidateKeys = buildNameKeys(forms).map(prepareKey)
  if (candidateKeys.length === 0) return []
  const sortedCandidate = new Set(candidateKeys.map((k) => sortNameWords(k.key)))
  const year = candidate.birthYear ?? null
  const approx = candidate.birthApproximate === true
  const matches: DuplicateMatch[] = []

  for (const entry of existing) {
    if (entry.id === opts.excludeId) continue
    const s = entry.summary
    if (!checkBirthYearsCompatible(year, approx, s.birthYear, s.birthApproximate)) continue
    let best = Infinity
    for (const ek of prepareSummaryKeys(entry)) {
      // nameKeys hold each form with its words sorted as well, so set membership ignores word order.
      if (sortedCandidate.has(ek.key)) {
        best = 0
        break
      }
      for (const ck of candidateKeys) {
        const allowed = computeAllowedDistance(Math.min(ck.letters, ek.letters))
        if (allowed === 0 || Math.abs(ck.key.length - ek.key.length) > allowed || ck.ends !== ek.ends) continue
        const d = measureEditDistance(ck.key, ek.key, allowed)
        if (d <= allowed && d < best) best = d
      }
    }
    if (best !== Infinity) matches.push({ id: entry.id, reason: best === 0 ? 'same-name' : 'similar-name', distance: best })
  }
  return matches.sort((a, b) => a.distance - b.distance)
}
