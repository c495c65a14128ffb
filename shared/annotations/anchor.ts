// Shared (renderer and main): the annotation anchoring engine. Describes a selection as W3C TextQuote + TextPosition
// selectors and re-finds it after the text was edited: exact → relocated → fuzzy → orphaned, never the wrong words.
import search from 'approx-string-match'
import { CustodiaError } from '../errors'
import { CodePointText, isInsideCluster } from './codePoints'
import { resolveJsonPointer } from './jsonPointer'
import {
  AnchorSelectorsSchema,
  DossierTargetSchema,
  type AnchorSelectors,
  type DossierTarget,
  type TextPositionSelector,
  type TextQuoteSelector,
} from './annotationModel'

export const DEFAULT_CONTEXT_LENGTH = 32

/**
 * Fuzzy threshold, part 1: a fuzzy match may differ from the stored quote by at most 25% of its length (Levenshtein
 * edits counted in code points). Past that, "the same passage, lightly edited" is no longer a fair description: a
 * rewritten sentence of the same length is typically 40–60% different, while typo fixes, a changed date or name, or
 * reflowed whitespace stay well under 25%. Quotes shorter than 4 code points therefore never match fuzzily.
 */
export const DEFAULT_MAX_ERROR_RATIO = 0.25

/**
 * Fuzzy threshold, part 2: the candidate's combined score must reach 0.65, where
 * score = 0.45·quoteSimilarity + 0.45·contextAgreement + 0.10·nearness (each in [0, 1]).
 * Quote similarity alone (≥ 0.75) is never enough: a similar sentence elsewhere (boilerplate, a second detention
 * described in the same words) has unrelated context (agreement ≈ 0–0.2) and scores ≤ 0.64 even when nearby and
 * 97% identical, so it is orphaned rather than silently attached to the wrong words. The real passage edited in
 * place keeps its surroundings (agreement ≈ 0.7–1) and scores ≈ 0.75–0.99; even at the 25% edit limit with one side
 * of its context rewritten entirely it still scores ≈ 0.66. The cost of this choice: a passage that was both edited and moved to a new paragraph is
 * orphaned (its quote is kept for the user to re-attach), which is the safe failure for legal notes.
 */
export const DEFAULT_MIN_FUZZY_SCORE = 0.65

const WEIGHT_QUOTE = 0.45
const WEIGHT_CONTEXT = 0.45
const WEIGHT_POSITION = 0.1
// Context agreement at the stored position below this counts as contradicting it (both sides rewritten).
const CONTEXT_CONTRADICTS = 0.5
// Candidates considered per fuzzy search; approx-string-match reports every end offset of an equally good match.
const MAX_FUZZY_CANDIDATES = 256
// Cap on edits for very long quotes: the search costs about maxErrors / 32 passes over the text, so this bounds one
// search of a 200 KB text to a few tens of milliseconds (a 4,096-code-point quote still gets the full 25%).
const MAX_FUZZY_ERRORS = 1024
// Half-width (code points) of the window searched around the expected position before the whole text.
const LOCAL_WINDOW = 512
// Half-width (code points) of the window searched for an exact copy before the whole text.
const NEAR_WINDOW = 4096

export type AnchorResult =
  { status: 'exact' | 'relocated' | 'fuzzy'; start: number; end: number; score: number } | { status: 'orphaned'; quote: string }

export interface DescribeOptions {
  /** Code points of context kept on each side (default 32, at most 1,024). */
  contextLength?: number
}

export interface ReanchorOptions {
  /** Maximum edits as a fraction of the quote length (default 0.25, range 0–0.5). */
  maxErrorRatio?: number
  /** Minimum combined score for a fuzzy match (default 0.65, range 0–1). */
  minFuzzyScore?: number
}

/**
 * Describes the selection [start, end) (code points) of `text` as a quote with context and a position.
 * Throws VALIDATION for a non-integer, reversed, empty or out-of-range selection.
 */
export function describeSelection(
  text: string,
  start: number,
  end: number,
  opts: DescribeOptions = {},
): { quote: TextQuoteSelector; position: TextPositionSelector } {
  if (typeof text !== 'string') throw new CustodiaError('VALIDATION', 'text must be a string')
  const contextLength = opts.contextLength ?? DEFAULT_CONTEXT_LENGTH
  if (!Number.isInteger(contextLength) || contextLength < 0 || contextLength > 1024) {
    throw new CustodiaError('VALIDATION', 'contextLength must be an integer from 0 to 1024')
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
    throw new CustodiaError('VALIDATION', 'selection bounds must be integers')
  }
  const t = new CodePointText(text)
  if (start < 0 || end > t.length) throw new CustodiaError('VALIDATION', 'selection is outside the text')
  if (start > end) throw new CustodiaError('VALIDATION', 'selection start is after its end')
  if (start === end) throw new CustodiaError('VALIDATION', 'selection is empty')
  return {
    quote: {
      type: 'TextQuoteSelector',
      exact: t.slice(start, end),
      prefix: t.slice(Math.max(0, start - contextLength), start),
      suffix: t.slice(end, Math.min(t.length, end + contextLength)),
    },
    position: { type: 'TextPositionSelector', start, end },
  }
}

/** Re-finds one stored selection in (possibly edited) `text`. Throws VALIDATION for malformed selectors. */
export function reanchor(text: string, selectors: AnchorSelectors, opts: ReanchorOptions = {}): AnchorResult {
  return reanchorAll(text, [selectors], opts)[0] as AnchorResult
}

/**
 * Re-finds many selections in one text; results are in input order. Built for 1,000 annotations on a 200 KB text:
 * the code-point index is built once, every annotation is first checked at its stored position, then exact quotes
 * are searched, and only what is left is matched fuzzily. Expected positions follow the shift observed at the
 * nearest annotation before it, so an insertion early in the text does not make later ones look "far away".
 * Throws VALIDATION (naming the index) before doing any work if any selector is malformed.
 */
export function reanchorAll(text: string, annotations: readonly AnchorSelectors[], opts: ReanchorOptions = {}): AnchorResult[] {
  if (typeof text !== 'string') throw new CustodiaError('VALIDATION', 'text must be a string')
  if (!Array.isArray(annotations)) throw new CustodiaError('VALIDATION', 'annotations must be an array')
  const config = readOptions(opts)
  const parsed = annotations.map((a, i) => {
    const r = AnchorSelectorsSchema.safeParse(a)
    if (!r.success) {
      throw new CustodiaError('VALIDATION', `annotation ${i}: ${r.error.issues[0]?.message ?? 'invalid selectors'}`)
    }
    return r.data
  })
  const t = new CodePointText(text)
  const items = parsed.map((s) => prepare(t, s))
  const results: (AnchorResult | undefined)[] = new Array(items.length)
  // Stored-position order: neighbours in the old text are neighbours in the new one, so their shift predicts ours.
  const order = items.map((_, i) => i).sort((a, b) => (items[a] as Prepared).start - (items[b] as Prepared).start)

  for (const i of order) results[i] = anchorAtStoredPosition(t, items[i] as Prepared)
  resolvePending(order, items, results, (item, hint) => relocateExact(t, item, hint))
  resolvePending(order, items, results, (item, hint) => matchFuzzy(t, item, hint, config) ?? buildOrphan(item))
  return results as AnchorResult[]
}

export type DossierAnchorResult = { status: 'field' } | { status: 'field-missing'; quote?: string } | AnchorResult

/**
 * Anchors a dossier target in the current record: a whole-field target only needs its field to still exist; a
 * text-range target is re-anchored inside that field's text. A field that is gone, or is no longer text, never moves
 * the annotation elsewhere. Throws VALIDATION for a malformed target.
 */
export function reanchorDossierTarget(record: unknown, target: DossierTarget, opts: ReanchorOptions = {}): DossierAnchorResult {
  const parsed = DossierTargetSchema.safeParse(target)
  if (!parsed.success) {
    throw new CustodiaError('VALIDATION', `dossier target: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  }
  const { field, selectors } = parsed.data
  const value = resolveJsonPointer(record, field)
  if (value === undefined) {
    return selectors ? { status: 'field-missing', quote: selectors.quote.exact } : { status: 'field-missing' }
  }
  if (!selectors) return { status: 'field' }
  if (typeof value !== 'string') return { status: 'orphaned', quote: selectors.quote.exact }
  return reanchor(value, selectors, opts)
}

interface Config {
  maxErrorRatio: number
  minFuzzyScore: number
}

function readOptions(opts: ReanchorOptions): Config {
  const maxErrorRatio = opts.maxErrorRatio ?? DEFAULT_MAX_ERROR_RATIO
  const minFuzzyScore = opts.minFuzzyScore ?? DEFAULT_MIN_FUZZY_SCORE
  if (typeof maxErrorRatio !== 'number' || !(maxErrorRatio >= 0 && maxErrorRatio <= 0.5)) {
    throw new CustodiaError('VALIDATION', 'maxErrorRatio must be a number from 0 to 0.5')
  }
  if (typeof minFuzzyScore !== 'number' || !(minFuzzyScore >= 0 && minFuzzyScore <= 1)) {
    throw new CustodiaError('VALIDATION', 'minFuzzyScore must be a number from 0 to 1')
  }
  return { maxErrorRatio, minFuzzyScore }
}

interface Side {
  text: string // stored context, in the text's unit alphabet, whitespace collapsed
  length: number // stored context length in code points (the window taken from the new text)
  grams: string[]
}

interface Prepared {
  exact: string
  quoteU: string
  length: number
  start: number
  end: number
  prefix: Side
  suffix: Side
  // Whether the original selection itself split a user-perceived character at its start / end.
  splitStart: boolean
  splitEnd: boolean
}

function prepare(t: CodePointText, s: AnchorSelectors): Prepared {
  const quoteU = t.toUnits(s.quote.exact)
  return {
    exact: s.quote.exact,
    quoteU,
    length: quoteU.length,
    start: s.position.start,
    end: s.position.end,
    prefix: prepareSide(t.toUnits(s.quote.prefix)),
    suffix: prepareSide(t.toUnits(s.quote.suffix)),
    // Without stored context on a side we cannot tell, so that side is not checked.
    splitStart: s.quote.prefix === '' || startsWithJoiner(s.quote.exact) || s.quote.prefix.endsWith(ZWJ),
    splitEnd: s.quote.suffix === '' || startsWithJoiner(s.quote.suffix) || s.quote.exact.endsWith(ZWJ),
  }
}

const ZWJ = '\u200d'
const JOINER_START = /^[\p{M}\p{Emoji_Modifier}\u200d]/u

function startsWithJoiner(s: string): boolean {
  return JOINER_START.test(s)
}

function prepareSide(units: string): Side {
  const text = collapseWhitespace(units)
  return { text, length: units.length, grams: listTrigrams(text) }
}

function resolvePending(
  order: number[],
  items: Prepared[],
  results: (AnchorResult | undefined)[],
  find: (item: Prepared, hint: number) => AnchorResult | undefined,
): void {
  let shift = 0
  for (const i of order) {
    const item = items[i] as Prepared
    let r = results[i]
    if (r === undefined) {
      r = find(item, Math.max(0, item.start + shift))
      results[i] = r
    }
    if (r !== undefined && r.status !== 'orphaned') shift = r.start - item.start
  }
}

function buildOrphan(item: Prepared): AnchorResult {
  return { status: 'orphaned', quote: item.exact }
}

/** Stage 1: the quote is still at its stored position (unless both sides of its context now say otherwise). */
function anchorAtStoredPosition(t: CodePointText, item: Prepared): AnchorResult | undefined {
  if (item.end - item.start !== item.length || !isOccurrenceAt(t, item, item.start)) return undefined
  const here = measureContextAgreement(t, item, item.start, item.end)
  if (here >= CONTEXT_CONTRADICTS) return { status: 'exact', start: item.start, end: item.end, score: 1 }
  // The words are here but the surroundings are not: another copy of the quote may be the annotated one, shifted onto
  // this position by an edit. Move only if that copy's context is clearly better.
  const other = findBestOccurrence(t, item, item.start)
  if (other && other.context >= here + 0.25) return buildRelocated(item, other, item.start)
  return { status: 'exact', start: item.start, end: item.end, score: 1 }
}

/** Stage 2: the exact quote elsewhere; several copies are told apart by context, then by nearness. */
function relocateExact(t: CodePointText, item: Prepared, hint: number): AnchorResult | undefined {
  const best = findBestOccurrence(t, item, hint)
  return best ? buildRelocated(item, best, hint) : undefined
}

function buildRelocated(item: Prepared, occ: Occurrence, hint: number): AnchorResult {
  const score = combineScores(1, occ.context, scoreNearness(occ.start, hint, item.length))
  return { status: 'relocated', start: occ.start, end: occ.start + item.length, score }
}

interface Occurrence {
  start: number
  context: number
}

function findBestOccurrence(t: CodePointText, item: Prepared, hint: number): Occurrence | undefined {
  // Most quotes sit where their neighbours' shift predicts. A copy with perfect context within NEAR_WINDOW of the hint
  // cannot be beaten (best context, and any nearer copy would lie inside the window), so the full scan is skipped.
  const from = Math.max(0, hint - NEAR_WINDOW)
  const to = Math.min(t.length, hint + NEAR_WINDOW + item.length)
  const near = scanOccurrences(t, item, hint, from, to)
  if (near && near.context === 1) return near
  return from === 0 && to === t.length ? near : scanOccurrences(t, item, hint, 0, t.length)
}

/** Best copy of the quote starting in [from, to - length]: highest context agreement, then nearest to the hint. */
function scanOccurrences(t: CodePointText, item: Prepared, hint: number, from: number, to: number): Occurrence | undefined {
  let best: Occurrence | undefined
  let bestDistance = Infinity
  // Search a slice so indexOf stops at the window's end instead of running on through the rest of the text.
  const units = from === 0 && to === t.length ? t.units : t.units.slice(from, to)
  for (let i = units.indexOf(item.quoteU); i !== -1; i = units.indexOf(item.quoteU, i + 1)) {
    const at = i + from
    if (!isOccurrenceAt(t, item, at)) continue
    const context = measureContextAgreement(t, item, at, at + item.length)
    const distance = Math.abs(at - hint)
    if (!best || context > best.context || (context === best.context && distance < bestDistance)) {
      best = { start: at, context }
      bestDistance = distance
    }
  }
  return best
}

/**
 * The quote's words are at `at` and, unless the original selection did so too, do not cut a character in two: "cafe"
 * inside "cafe\u0301" (café after an accent was added) is not the stored passage; the fuzzy stage takes it whole.
 */
function isOccurrenceAt(t: CodePointText, item: Prepared, at: number): boolean {
  if (!t.units.startsWith(item.quoteU, at)) return false
  const end = at + item.length
  if ((!item.splitStart && isInsideCluster(t, at)) || (!item.splitEnd && isInsideCluster(t, end))) return false
  // Only with > 2,048 distinct astral characters can two of them share a unit: then compare the real text.
  return !t.lossy || t.slice(at, at + item.length) === item.exact
}

/** Stage 3: the best approximate match near the expected position, else in the whole text, if it passes the threshold. */
function matchFuzzy(t: CodePointText, item: Prepared, hint: number, config: Config): AnchorResult | undefined {
  const maxErrors = Math.min(MAX_FUZZY_ERRORS, Math.floor(item.length * config.maxErrorRatio))
  if (maxErrors < 1 || t.length === 0) return undefined
  const from = Math.max(0, hint - LOCAL_WINDOW)
  const to = Math.min(t.length, hint + item.length + LOCAL_WINDOW)
  const local = findBestFuzzy(t, item, hint, maxErrors, from, to)
  if (local && local.score >= config.minFuzzyScore) return local
  if (from === 0 && to === t.length) return undefined
  const global = findBestFuzzy(t, item, hint, maxErrors, 0, t.length)
  return global && global.score >= config.minFuzzyScore ? global : undefined
}

function findBestFuzzy(
  t: CodePointText,
  item: Prepared,
  hint: number,
  maxErrors: number,
  from: number,
  to: number,
): { status: 'fuzzy'; start: number; end: number; score: number } | undefined {
  const matches = search(t.units.slice(from, to), item.quoteU, maxErrors)
  // Keep the candidates nearest the expected position if a repetitive text yields very many.
  if (matches.length > MAX_FUZZY_CANDIDATES) {
    matches.sort((a, b) => Math.abs(a.start + from - hint) - Math.abs(b.start + from - hint))
    matches.length = MAX_FUZZY_CANDIDATES
  }
  let best: { status: 'fuzzy'; start: number; end: number; score: number } | undefined
  for (const m of matches) {
    let start = m.start + from
    let end = m.end + from
    // Never cut a base character from its combining marks (or an emoji sequence): widen to whole clusters.
    while (isInsideCluster(t, start)) start--
    while (isInsideCluster(t, end)) end++
    if (end <= start) continue
    const similarity = 1 - m.errors / item.length
    const score = combineScores(similarity, measureContextAgreement(t, item, start, end), scoreNearness(start, hint, item.length))
    if (!best || score > best.score) best = { status: 'fuzzy', start, end, score }
  }
  return best
}

function combineScores(quoteSimilarity: number, context: number, near: number): number {
  return WEIGHT_QUOTE * quoteSimilarity + WEIGHT_CONTEXT * context + WEIGHT_POSITION * near
}

/** 1 at the expected position, falling linearly to 0 at max(1,000, 4 × quote length) code points away. */
function scoreNearness(at: number, hint: number, length: number): number {
  return Math.max(0, 1 - Math.abs(at - hint) / Math.max(1000, 4 * length))
}

/** Mean agreement of the stored prefix and suffix with the text around [start, end), in [0, 1]. */
function measureContextAgreement(t: CodePointText, item: Prepared, start: number, end: number): number {
  const before = t.units.slice(Math.max(0, start - item.prefix.length), start)
  const after = t.units.slice(end, Math.min(t.length, end + item.suffix.length))
  const prefix = measureSideAgreement(item.prefix, before, start === 0, 'prefix')
  const suffix = measureSideAgreement(item.suffix, after, end === t.length, 'suffix')
  return (prefix + suffix) / 2
}

/**
 * How well one side of the stored context matches the text there, in [0, 1]: the mean of (a) the share of the stored
 * context that still matches character for character outward from the passage, which weighs the words right next to
 * it most, and (b) the Dice coefficient of character trigrams, which tolerates a few inserted or deleted characters
 * and is near 0 for unrelated text. Whitespace runs count as one space. An empty stored side means the passage touched
 * the document's edge (or no context was kept): full agreement if it still does, otherwise neutral.
 */
function measureSideAgreement(stored: Side, actualUnits: string, atEdge: boolean, side: 'prefix' | 'suffix'): number {
  if (stored.length === 0) return atEdge ? 1 : 0.5
  const actual = collapseWhitespace(actualUnits)
  const a = stored.text
  let run = 0
  if (side === 'prefix') {
    while (run < a.length && run < actual.length && a[a.length - 1 - run] === actual[actual.length - 1 - run]) run++
  } else {
    while (run < a.length && run < actual.length && a[run] === actual[run]) run++
  }
  return (run / a.length + computeTrigramDice(stored.grams, actual, a === actual)) / 2
}

function computeTrigramDice(storedGrams: string[], actual: string, equal: boolean): number {
  if (storedGrams.length === 0) return equal ? 1 : 0
  const grams = listTrigrams(actual)
  if (grams.length === 0) return 0
  const counts = new Map<string, number>()
  for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1)
  let shared = 0
  for (const g of storedGrams) {
    const c = counts.get(g)
    if (c) {
      shared++
      counts.set(g, c - 1)
    }
  }
  return (2 * shared) / (storedGrams.length + grams.length)
}

function listTrigrams(s: string): string[] {
  const out: string[] = []
  for (let i = 0; i + 3 <= s.length; i++) out.push(s.slice(i, i + 3))
  return out
}

function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ')
}
