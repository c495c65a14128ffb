// Main process (Node): find the date a document was written ("Oslo 26 May 2025", "March 23, 2023", "13.08.2025",
// "12/06/2025", "2025-06-12", Norwegian, Ukrainian, Russian and Belarusian month names) and return it as ISO.

export interface DateCandidate {
  /** yyyy-mm-dd */
  readonly iso: string
  readonly line: number
  /** Offset of the date in its line. */
  readonly column: number
  readonly score: number
}

export interface DetectedDate {
  readonly iso: string | null
  readonly confidence: number
}

const MONTHS: ReadonlyArray<readonly string[]> = [
  ['january', 'jan', 'januar', 'januari', 'січня', 'января', 'студзеня'],
  ['february', 'feb', 'februar', 'februari', 'лютого', 'февраля', 'лютага'],
  ['march', 'mar', 'mars', 'marts', 'березня', 'марта', 'сакавіка'],
  ['april', 'apr', 'квітня', 'апреля', 'красавіка'],
  ['may', 'mai', 'maj', 'травня', 'мая'],
  ['june', 'jun', 'juni', 'червня', 'июня', 'чэрвеня'],
  ['july', 'jul', 'juli', 'липня', 'июля', 'ліпеня'],
  ['august', 'aug', 'augusti', 'серпня', 'августа', 'жніўня'],
  ['september', 'sep', 'sept', 'вересня', 'сентября', 'верасня'],
  ['october', 'oct', 'oktober', 'okt', 'жовтня', 'октября', 'кастрычніка'],
  ['november', 'nov', 'листопада', 'ноября', 'лістапада'],
  ['december', 'dec', 'desember', 'des', 'грудня', 'декабря', 'снежня'],
]
const MONTH_NUMBER = new Map<string, number>(MONTHS.flatMap((names, index) => names.map((name) => [name, index + 1] as const)))
const MONTH_ALTERNATION = [...MONTH_NUMBER.keys()].sort((a, b) => b.length - a.length).join('|')
const B = '(?<![\\p{L}\\p{N}])' // start of a word
const E = '(?![\\p{L}\\p{N}])' // end of a word

const DAY_MONTH_YEAR = new RegExp(`${B}(\\d{1,2})\\.?\\s+(${MONTH_ALTERNATION})\\.?,?\\s+(\\d{4})${E}`, 'giu')
const MONTH_DAY_YEAR = new RegExp(`${B}(${MONTH_ALTERNATION})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${E}`, 'giu')
const NUMERIC = new RegExp(`${B}(\\d{1,2})([./-])(\\d{1,2})\\2(\\d{4})${E}`, 'gu')
const ISO = new RegExp(`${B}(\\d{4})-(\\d{2})-(\\d{2})${E}`, 'gu')
const LABEL = /(?:^|\s)(?:date|dated|dato|datum|дата)\s*:?\s*$/iu

function toIso(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null
  const probe = new Date(Date.UTC(year, month - 1, day))
  if (probe.getUTCMonth() !== month - 1) return null
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

interface RawMatch {
  readonly line: number
  readonly start: number
  readonly end: number
  readonly segment: string
  readonly segmentOffset: number
  readonly style: 'dmy' | 'mdy' | 'dotted' | 'slashed' | 'iso'
  readonly a: number
  readonly b: number
  readonly year: number
}

/**
 * All dates in `text`, scored: a date alone on its line or labelled "Date:" scores 3, the first 20 lines add 2,
 * the last 25 lines add 1; a date inside a sentence scores only its position. Slash dates are read day-first
 * (European) unless the document writes month-first dates in words and never day-first ones.
 */
export function findDates(text: string): DateCandidate[] {
  const lines = text.split('\n')
  const nonEmpty = lines.map((line, i) => ({ line, i })).filter(({ line }) => line.trim() !== '')
  const rank = new Map(nonEmpty.map(({ i }, n) => [i, n] as const))
  const raw: RawMatch[] = []
  lines.forEach((lineText, line) => {
    // "Press release | Date: 12/06/2025 | Ministry" holds several fields: judge each on its own.
    let segmentOffset = 0
    for (const segment of lineText.split(/\s[|•·]\s/)) {
      const offset = segmentOffset
      segmentOffset += segment.length + 3
      const push = (m: RegExpExecArray, style: RawMatch['style'], a: number, b: number, year: number): void => {
        raw.push({ line, start: m.index, end: m.index + m[0].length, segment, segmentOffset: offset, style, a, b, year })
      }
      for (const m of segment.matchAll(DAY_MONTH_YEAR))
        push(m, 'dmy', Number(m[1]), MONTH_NUMBER.get((m[2] ?? '').toLowerCase()) ?? 0, Number(m[3]))
      for (const m of segment.matchAll(MONTH_DAY_YEAR))
        push(m, 'mdy', MONTH_NUMBER.get((m[1] ?? '').toLowerCase()) ?? 0, Number(m[2]), Number(m[3]))
      for (const m of segment.matchAll(NUMERIC)) push(m, m[2] === '/' ? 'slashed' : 'dotted', Number(m[1]), Number(m[3]), Number(m[4]))
      for (const m of segment.matchAll(ISO)) push(m, 'iso', Number(m[2]), Number(m[3]), Number(m[1]))
    }
  })
  const monthFirst = raw.some((r) => r.style === 'mdy') && !raw.some((r) => r.style === 'dmy')
  const candidates: DateCandidate[] = []
  for (const r of raw) {
    let iso: string | null
    if (r.style === 'dmy' || r.style === 'dotted') iso = toIso(r.year, r.b, r.a)
    else if (r.style === 'mdy' || r.style === 'iso') iso = toIso(r.year, r.a, r.b)
    else {
      // dd/mm unless impossible, or month-first by the document's own habit and possible.
      const dayFirst = toIso(r.year, r.b, r.a)
      const monthFirstIso = toIso(r.year, r.a, r.b)
      iso = monthFirst ? (monthFirstIso ?? dayFirst) : (dayFirst ?? monthFirstIso)
    }
    if (iso === null) continue
    const before = r.segment.slice(0, r.start)
    const rest = `${before.replace(LABEL, ' ')} ${r.segment.slice(r.end)}`.replace(/[^\p{L}\p{N}\s]/gu, ' ').trim()
    const restWords = rest === '' ? 0 : rest.split(/\s+/).length
    let score = 0
    if (LABEL.test(before) || restWords <= 2) score += 3
    const position = rank.get(r.line) ?? 0
    if (position < 20) score += 2
    else if (position >= nonEmpty.length - 25) score += 1
    candidates.push({ iso, line: r.line, column: r.segmentOffset + r.start, score })
  }
  return candidates
}

/** The document's own date, from the text or else (less sure) from a yyyy-mm-dd in the file name. */
export function detectDate(text: string, filename?: string): DetectedDate {
  const best = findDates(text).reduce<DateCandidate | null>(
    (top, c) =>
      top === null ||
      c.score > top.score ||
      (c.score === top.score && (c.line < top.line || (c.line === top.line && c.column < top.column)))
        ? c
        : top,
    null,
  )
  if (best !== null) return { iso: best.iso, confidence: best.score >= 4 ? 0.9 : best.score >= 3 ? 0.75 : 0.4 }
  const fromName = filename ? /(\d{4})-(\d{2})-(\d{2})/.exec(filename) : null
  if (fromName) {
    const iso = toIso(Number(fromName[1]), Number(fromName[2]), Number(fromName[3]))
    if (iso) return { iso, confidence: 0.3 }
  }
  return { iso: null, confidence: 0 }
}
