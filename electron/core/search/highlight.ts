// Main process (Node only): highlights in ORIGINAL text. Each original word is folded with the same function as the
// index and compared with the folded query terms, so "Бяляцкі" is marked for the query "Bialiatski". Output is plain
// text plus [start, end) ranges in UTF-16 code units; never HTML (the UI renders the marks itself).
import { foldWordTokens } from './foldCache'

export type MarkRange = [number, number]

export interface MatchTerm {
  tokens: string[]
  prefix: boolean
}

export interface Snippet {
  text: string
  marks: MarkRange[]
}

/** Words as the folding sees them: letters, digits and marks, with apostrophes inside a word kept (O'Brien, м'ясо). */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’‘`´][\p{L}\p{N}\p{M}]+)*/gu
/** Only this much of a long text is scanned for marks (a 10 MB body must not stall a results page). */
export const MAX_SCAN_CHARS = 1_000_000
/** Default snippet length in characters (before the ellipses). */
export const SNIPPET_CHARS = 240
const SNIPPET_LEAD = 60

interface TokenAt {
  token: string
  start: number
  end: number
}

function tokenizeWithOffsets(text: string, limit: number): TokenAt[] {
  const out: TokenAt[] = []
  const scanned = text.length > limit ? text.slice(0, limit) : text
  for (const match of scanned.matchAll(WORD)) {
    const start = match.index
    const end = start + match[0].length
    // A word that folds to several tokens (rare: "½", compatibility forms) maps each of them to the whole word.
    for (const token of foldWordTokens(match[0])) out.push({ token, start, end })
  }
  return out
}

function matchesAt(tokens: TokenAt[], at: number, term: MatchTerm): boolean {
  const n = term.tokens.length
  if (at + n > tokens.length) return false
  for (let k = 0; k < n; k++) {
    const have = tokens[at + k]!.token
    const want = term.tokens[k]!
    const last = k === n - 1
    if (!(have === want || (last && term.prefix && have.startsWith(want)))) return false
  }
  return true
}

function mergeRanges(ranges: MarkRange[]): MarkRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const out: MarkRange[] = []
  for (const range of sorted) {
    const last = out[out.length - 1]
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1])
    else out.push([range[0], range[1]])
  }
  return out
}

/** Every range of `text` (first MAX_SCAN_CHARS) where a term matches: a phrase marks from its first to last word. */
export function findMarks(text: string, terms: MatchTerm[], limit = MAX_SCAN_CHARS): MarkRange[] {
  const usable = terms.filter((t) => t.tokens.length > 0)
  if (usable.length === 0 || !text) return []
  const tokens = tokenizeWithOffsets(text, limit)
  const ranges: MarkRange[] = []
  for (let i = 0; i < tokens.length; i++) {
    for (const term of usable) {
      if (matchesAt(tokens, i, term)) ranges.push([tokens[i]!.start, tokens[i + term.tokens.length - 1]!.end])
    }
  }
  return mergeRanges(ranges)
}

/** Picks the start of the window holding the most marks within `size` characters. */
function chooseWindowStart(marks: MarkRange[], size: number): number {
  let best = 0
  let bestCount = -1
  let j = 0
  for (let i = 0; i < marks.length; i++) {
    if (j < i) j = i
    while (j + 1 < marks.length && marks[j + 1]![1] <= marks[i]![0] + size - SNIPPET_LEAD) j += 1
    if (j - i + 1 > bestCount) {
      bestCount = j - i + 1
      best = i
    }
  }
  return marks[best]![0]
}

/**
 * Cuts a snippet of about `size` characters around the densest group of marks (or the start of the text when nothing
 * matched), on word boundaries, with "…" where text was cut and whitespace runs collapsed to one space.
 */
export function buildSnippet(text: string, terms: MatchTerm[], size = SNIPPET_CHARS): Snippet {
  if (!text) return { text: '', marks: [] }
  const marks = findMarks(text, terms)
  let start = 0
  if (marks.length > 0) {
    const anchor = chooseWindowStart(marks, size)
    start = Math.max(0, anchor - SNIPPET_LEAD)
    // Move forward to the start of a word, but never past the anchor mark.
    if (start > 0) {
      const space = text.slice(start, anchor).search(/\s/u)
      start = space === -1 ? start : start + space + 1
    }
  }
  let end = Math.min(text.length, start + size)
  if (end < text.length) {
    const cut = text.slice(start, end).search(/\s\S*$/u)
    if (cut > 0) end = start + cut
  }
  // Collapse whitespace and shift the marks with it.
  const map: number[] = new Array(end - start + 1)
  let out = start > 0 ? '…' : ''
  let lastWasSpace = start > 0
  for (let i = start; i < end; i++) {
    map[i - start] = out.length
    const ch = text[i]!
    if (/\s/u.test(ch)) {
      if (!lastWasSpace) out += ' '
      lastWasSpace = true
    } else {
      out += ch
      lastWasSpace = false
    }
  }
  map[end - start] = out.length
  out = out.replace(/ $/u, '')
  const shifted: MarkRange[] = []
  for (const [a, b] of marks) {
    if (a < start || b > end) continue
    const from = map[a - start]!
    const to = Math.min(map[b - start]!, out.length)
    if (to > from) shifted.push([from, to])
  }
  if (end < text.length) out += '…'
  return { text: out, marks: shifted }
}
