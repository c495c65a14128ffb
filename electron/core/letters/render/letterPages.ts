// Main process (core, Node only): what a letter repeats on its pages — the continuation line at the top of page 2 on
// (organisation · date · short subject), the footer and the page number "2 / 3" at the bottom of every page — and the
// CSS paged-media margin boxes that print them. The DOCX writer puts the same RunningContent in Word's header and footer.
import type { ComposedLetter, LetterPart } from './compose'

/** Longest subject the continuation line shows before it is cut at a word and given an ellipsis. */
export const CONTINUATION_SUBJECT_CHARS = 60

/**
 * The one page-number format of every letter, PDF and DOCX alike: "2 / 3", the same in every language the letters
 * are written in (figures and a slash need no translation, as "Page 2 of 3" would).
 */
export const PAGE_NUMBER_SEPARATOR = ' / '

/** Text repeated on the letter's pages, as plain text (not escaped). */
export type RunningContent = {
  /** "Organisation · 26 May 2025 · Subject", shown from page 2 on. */
  readonly continuation: string
  /** The template's footer part (address and contacts) when it has one, shown on every page above the page number. */
  readonly footer?: string
}

/** Cuts `text` to at most `max` characters at a word boundary, adding "…" when anything was cut. */
export function shortenText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`
}

/** The running header and footer text of a composed letter. */
export function buildRunningContent(letter: ComposedLetter): RunningContent {
  const letterhead = letter.parts.find((p) => p.kind === 'letterhead')
  const organisation = letterhead?.kind === 'letterhead' ? letterhead.organisation.text : letter.template.letterhead.organisation
  const footerPart = letter.parts.find((p) => p.kind === 'line' && p.role === 'footer')
  const footer = footerPart?.kind === 'line' ? footerPart.content.text.replace(/\s*\n\s*/g, ', ').trim() : ''
  const continuation = fitContinuation(
    [organisation, letter.date].map((piece) => plainRunningText(piece ?? '')).filter(Boolean),
    shortenText(plainRunningText(letter.title), CONTINUATION_SUBJECT_CHARS),
  )
  return { continuation, ...(footer ? { footer: footer.replace(/\u00AD/g, '') } : {}) }
}

/** Running text as a header shows it: no soft hyphens (a header is one line), every space an ordinary one. */
function plainRunningText(text: string): string {
  return text
    .replace(/\u00AD/g, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * Width of the continuation line the text column holds on the narrowest page (A4: 210 mm less 25 and 22 mm of
 * margins = 163 mm = 462 pt), in em of its 8.5 pt type (54.4 em), less a little. Chromium does not clip a margin box
 * (overflow and text-overflow have no effect there) and Word wraps a long header, so the text itself must fit.
 */
const CONTINUATION_WIDTH_EM = 53.5

/** Advances of Liberation Sans Regular (metric-compatible with Arial and Helvetica) for " " to "~", in 1/1000 em. */
const ASCII_WIDTHS = (
  '278,278,355,556,556,889,667,191,333,333,389,584,278,333,278,278,556,556,556,556,556,556,556,556,556,556,278,278,584,' +
  '584,584,556,1015,667,667,722,722,667,611,778,722,278,500,667,556,833,722,778,667,778,722,667,611,722,667,944,667,667,' +
  '611,278,278,278,469,556,333,556,556,500,556,556,278,556,556,222,222,500,222,833,556,556,556,556,333,500,278,556,500,' +
  '722,500,500,500,334,260,334,584'
)
  .split(',')
  .map((w) => Number(w) / 1000)
/** Letters wider than the rest of their class in Liberation Sans, in em (read from the font's hmtx table). */
const WIDE_LETTERS: Readonly<Record<string, number>> = {
  ж: 0.67,
  м: 0.69,
  ф: 0.83,
  ш: 0.81,
  щ: 0.83,
  ъ: 0.63,
  ы: 0.72,
  ю: 0.75,
  љ: 0.91,
  њ: 0.82,
  Ж: 0.93,
  М: 0.84,
  Ф: 0.76,
  Ц: 0.74,
  Ш: 0.92,
  Щ: 0.94,
  Ъ: 0.8,
  Ы: 0.89,
  Ю: 1.02,
  Љ: 1.02,
  Њ: 1.02,
  æ: 0.89,
  Æ: 1,
  œ: 0.95,
  Œ: 1,
  '·': 0.28,
  '–': 0.56,
  '—': 1,
  '…': 1,
}

/**
 * A character's advance in Liberation Sans at 1 em: exact for ASCII and the wide letters above, an upper bound for
 * other letters of Latin and Cyrillic (lower case 0.62, upper case 0.78), a full em for anything else.
 * Over-estimating only cuts a subject sooner.
 */
function charWidthEm(char: string): number {
  const code = char.codePointAt(0) ?? 0
  if (code >= 0x20 && code <= 0x7e) return ASCII_WIDTHS[code - 0x20] ?? 1
  const wide = WIDE_LETTERS[char]
  if (wide !== undefined) return wide
  if (/[\p{Script=Latin}\p{Script=Cyrillic}]/u.test(char)) return char === char.toLowerCase() ? 0.62 : 0.78
  return 1
}

const textWidthEm = (text: string): number => [...text].reduce((sum, char) => sum + charWidthEm(char), 0)

/** Cuts `text` so that it and an ellipsis fit in `widthEm`, at a word when one is near, a token anywhere. */
function shortenToWidth(text: string, widthEm: number): string {
  if (textWidthEm(text) <= widthEm) return text
  const chars = [...text]
  let width = charWidthEm('…')
  let end = 0
  while (end < chars.length && width + charWidthEm(chars[end]!) <= widthEm) width += charWidthEm(chars[end++]!)
  const cut = chars.slice(0, end).join('')
  const space = cut.lastIndexOf(' ')
  const kept = (space > cut.length / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:·–-]+$/, '')
  return kept ? `${kept}…` : ''
}

/**
 * "Organisation · date · subject" cut to the width of the text column: the subject gives way first, then (for an
 * organisation name too long for the line) the rest.
 */
function fitContinuation(lead: readonly string[], subject: string): string {
  const prefix = lead.join(' · ')
  const whole = [prefix, subject].filter(Boolean).join(' · ')
  if (textWidthEm(whole) <= CONTINUATION_WIDTH_EM) return whole
  const room = CONTINUATION_WIDTH_EM - textWidthEm(prefix ? `${prefix} · ` : '')
  // A subject shorter than a few words says nothing: leave it out rather than print "Ci…".
  const short = room >= 8 ? shortenToWidth(subject, room) : ''
  if (short) return prefix ? `${prefix} · ${short}` : short
  return shortenToWidth(prefix, CONTINUATION_WIDTH_EM)
}

/**
 * A CSS string literal for `text`: quotes and backslashes escaped, and every character that could end the string,
 * the declaration or the <style> element ("<", line breaks, controls) written as a CSS hex escape, so letter text
 * can never become style rules or markup.
 */
export function cssString(text: string): string {
  let out = '"'
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    const plain = code >= 0x20 && code !== 0x7f && code !== 0x2028 && code !== 0x2029 && !'\\"<>&'.includes(char)
    out += plain ? char : `\\${code.toString(16)} `
  }
  return `${out}"`
}

/**
 * The page furniture as @page margin boxes: the footer and "n / N" at the bottom of every page, the continuation
 * line at the top of every page but the first. Margin boxes are part of the document, so every Chromium printer
 * (Electron's printToPDF, page.pdf(), `chromium --print-to-pdf`) prints the same pages with no options of its own.
 */
export function buildPageMarginCss(running: RunningContent): string {
  const box = "font-family:'Liberation Sans',Arial,sans-serif;font-size:8.5pt;line-height:1.3;color:#444"
  const pageNumber = `counter(page) ${cssString(PAGE_NUMBER_SEPARATOR)} counter(pages)`
  const bottom = running.footer ? `${cssString(running.footer)} "\\a " ${pageNumber}` : pageNumber
  return (
    '@page{' +
    `@top-left{content:${cssString(running.continuation)};${box};vertical-align:bottom;text-align:left;padding-bottom:5mm;` +
    'white-space:nowrap;overflow:hidden;text-overflow:ellipsis;width:100%}' +
    `@bottom-center{content:${bottom};${box};vertical-align:top;text-align:center;white-space:pre-wrap;padding-top:5mm;width:100%}` +
    '}\n@page:first{@top-left{content:none}}\n'
  )
}

/**
 * True for the line that opens a sign-off: a closing followed by signatories, or a date followed by the signing
 * organisations. HTML and DOCX keep a sign-off in one piece, with the end of the text above it.
 */
export function opensSignOff(part: LetterPart | undefined, next: LetterPart | undefined): boolean {
  if (part?.kind !== 'line' || next === undefined) return false
  if (part.role === 'closing') return next.kind === 'signatories'
  return part.role === 'placeDate' && next.kind === 'list' && next.role === 'organisations'
}
