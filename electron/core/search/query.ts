// Main process (Node only): the user's query language — words (AND), "quoted phrases", prefix word*, -exclusion —
// parsed into folded terms and turned into an FTS5 MATCH expression in which every term is a quoted FTS5 string, so
// no user character is ever read as FTS5 syntax.
import { tokenizeFolded } from '../../../shared/text/fold'

/** One query term: folded tokens that must be adjacent (a word that folds to several tokens is a phrase too). */
export interface QueryTerm {
  tokens: string[]
  /** The last token matches as a prefix (`word*`, `"two words"*`). */
  prefix: boolean
  negated: boolean
}

/** Terms after this many are ignored (a pasted page of text must not become a 2,000-way AND). */
export const MAX_QUERY_TERMS = 32
/** Tokens after this many inside one term are ignored. */
export const MAX_TERM_TOKENS = 16
/** Only this many characters of a query are read. */
export const MAX_QUERY_CHARS = 4096

const WHITESPACE = /\s/u

/**
 * Parses a query. Never throws: characters that are not letters or digits only separate words, an unterminated
 * quote runs to the end, and a term with nothing searchable in it (`"`, `*`, `-`, `NEAR(`'s bracket) is dropped.
 * Duplicate terms are merged.
 */
export function parseSearchQuery(query: string): QueryTerm[] {
  let input = typeof query === 'string' ? query : ''
  if (input.length > MAX_QUERY_CHARS) {
    // Cut at a word boundary so the last word read is whole (a cut word would become a different word).
    const cut = input.slice(0, MAX_QUERY_CHARS + 1).search(/\s\S*$/u)
    input = input.slice(0, cut > 0 ? cut : MAX_QUERY_CHARS)
  }
  const terms: QueryTerm[] = []
  const seen = new Set<string>()
  let i = 0
  while (i < input.length && terms.length < MAX_QUERY_TERMS) {
    const ch = input[i]!
    if (WHITESPACE.test(ch)) {
      i += 1
      continue
    }
    let negated = false
    if (ch === '-' && i + 1 < input.length && !WHITESPACE.test(input[i + 1]!)) {
      negated = true
      i += 1
    }
    let raw: string
    let prefix = false
    if (input[i] === '"') {
      const close = input.indexOf('"', i + 1)
      const end = close === -1 ? input.length : close
      raw = input.slice(i + 1, end)
      i = close === -1 ? input.length : close + 1
      if (input[i] === '*') {
        prefix = true
        i += 1
      }
    } else {
      let end = i
      while (end < input.length && input[end] !== '"' && !WHITESPACE.test(input[end]!)) end += 1
      raw = input.slice(i, end)
      i = end
      prefix = raw.endsWith('*')
    }
    const tokens = tokenizeFolded(raw).slice(0, MAX_TERM_TOKENS)
    if (tokens.length === 0) continue
    const key = `${negated ? '-' : '+'}${prefix ? '*' : ''}${tokens.join(' ')}`
    if (seen.has(key)) continue
    seen.add(key)
    terms.push({ tokens, prefix, negated })
  }
  return terms
}

/** One term as an FTS5 string: `"tok1 tok2"` (a phrase), with ` *` after it for a prefix; `"` doubled. */
export function quoteFtsTerm(term: QueryTerm): string {
  const quoted = `"${term.tokens.join(' ').replace(/"/g, '""')}"`
  return term.prefix ? `${quoted} *` : quoted
}

/**
 * The MATCH expression for the positive terms minus the negated ones: `(a AND b) NOT (c) NOT (d)`. Returns null when
 * there is no positive term (FTS5 cannot express "everything except"; the caller filters those out with
 * `buildExclusionExpression`).
 */
export function buildMatchExpression(terms: QueryTerm[]): string | null {
  const positive = terms.filter((t) => !t.negated)
  if (positive.length === 0) return null
  let expr = `(${positive.map(quoteFtsTerm).join(' AND ')})`
  for (const term of terms.filter((t) => t.negated)) expr = `(${expr} NOT ${quoteFtsTerm(term)})`
  return expr
}

/** `c OR d` over the negated terms, or null if there are none. */
export function buildExclusionExpression(terms: QueryTerm[]): string | null {
  const negated = terms.filter((t) => t.negated)
  return negated.length === 0 ? null : negated.map(quoteFtsTerm).join(' OR ')
}
