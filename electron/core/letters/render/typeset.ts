// Main process (core, Node only): line breaking for letters, applied once to the composed parts so the HTML (preview,
// PDF) and DOCX outputs break lines with the same rules: soft hyphens from the TeX patterns of the letter's language
// (the `hyphen` package), no-break spaces after Ukrainian and Russian one-letter words and between a number and its unit.
import createHyphenator from 'hyphen'
import enGbPatterns from 'hyphen/patterns/en-gb.js'
import nbPatterns from 'hyphen/patterns/nb.js'
import ruPatterns from 'hyphen/patterns/ru.js'
import ukPatterns from 'hyphen/patterns/uk.js'
import type { PatternsDefinition } from 'hyphen'
import type { TemplateLanguage } from '../../../../shared/letters/templateModel'
import { escapeHtml } from '../../../../shared/text/escapeHtml'

export const SOFT_HYPHEN = '\u00AD'
export const NO_BREAK_SPACE = '\u00A0'

/**
 * The packaged patterns are arrays at run time ([levels, trie, exceptions]), whatever @types/hyphen says; we only
 * copy them and hand them back to the package.
 */
type PackedPatterns = readonly [unknown, unknown, Readonly<Record<string, unknown>>?]
const pack = (p: PatternsDefinition): PackedPatterns => p as unknown as PackedPatterns

const PATTERNS: Readonly<Record<TemplateLanguage, PackedPatterns>> = {
  'en-GB': pack(enGbPatterns),
  'nb-NO': pack(nbPatterns),
  'uk-UA': pack(ukPatterns),
  'ru-RU': pack(ruPatterns),
}

/**
 * One-letter words that typographers keep on the line of the word they belong to (prepositions and conjunctions):
 * Ukrainian у, в, і, й, з, а, о, к, с, я and Russian и, я too, in both cases.
 */
const ONE_LETTER_WORDS: Readonly<Record<TemplateLanguage, string>> = {
  'en-GB': '',
  'nb-NO': '',
  'uk-UA': 'увійзаоксяУВІЙЗАОКСЯ',
  'ru-RU': 'увийзаоксяУВИЙЗАОКСЯ',
}

/** Units and signs that stay on the line of their number ("10 km", "5 %", "3 000 грн"). */
const UNITS = [
  '%',
  '‰',
  '°C',
  '°',
  'km²',
  'km',
  'm²',
  'm',
  'cm',
  'mm',
  'kg',
  'g',
  't',
  'l',
  'ml',
  'h',
  'min',
  's',
  'kr',
  'NOK',
  'EUR',
  'USD',
  'UAH',
  'RUB',
  '€',
  '$',
  'mill',
  'mrd',
  'км²',
  'км',
  'м²',
  'м',
  'см',
  'мм',
  'кг',
  'г',
  'т',
  'л',
  'год',
  'хв',
  'с',
  'ч',
  'мин',
  'грн',
  'руб',
  'тис',
  'тыс',
  'млн',
  'млрд',
]
const unitPattern = UNITS.map((u) => u.replace(/[$]/g, '\\$')).join('|')
// A digit, spaces, a unit that is not the start of a longer word.
const NUMBER_UNIT = new RegExp(`(\\d) +(?=(?:${unitPattern})(?![\\p{L}\\p{N}]))`, 'gu')
// Digit groups written with spaces ("10 000", "3 500 000").
const DIGIT_GROUPS = /(\d) (?=\d{3}(?!\d))/g
// "№ 5", "§ 12".
const SIGN_NUMBER = /([№§]) +(?=\d)/g

/** A word: letters and marks, with apostrophes inside; a hyphenated compound stays one match. */
const WORD = /[\p{L}\p{M}]+(?:['’ʼ][\p{L}\p{M}]+)*(?:-[\p{L}\p{M}]+(?:['’ʼ][\p{L}\p{M}]+)*)*/gu
/** A run of text that is an address of some kind (e-mail, web, path): never hyphenated. */
const ADDRESS_LIKE = /[@/\\]|:\/\/|^www\.|\.[a-z]{2,}$/i
const LOWER_CASE = /\p{Ll}/u
const VOID_TAG = /^<(?:br|img|hr|meta|link)\b|\/>$/i
const NO_HYPHEN_TAG = /^<(?:h[1-6]\b|[a-z]+[^>]*\bclass="(?:missing|unknown-placeholder)")/i
/** Fewest letters a hyphenation may leave before and after the break. */
const MIN_BEFORE = 2
const MIN_AFTER = 3

export type Typesetter = {
  /** Plain text with no-break spaces and, when `hyphenate`, soft hyphens. */
  readonly text: (text: string, hyphenate: boolean) => string
  /**
   * HTML (as this renderer writes it: escaped text, tags whose attribute values are escaped) with the same changes
   * made to its text only, never inside a tag. Headings and the markers of missing fields get no soft hyphens.
   */
  readonly html: (html: string, hyphenate: boolean) => string
}

/**
 * Creates the typesetter for one letter. It holds a word cache for that letter only (the `hyphen` package remembers
 * every word it has seen, so it is never shared between letters: no letter's words outlive its rendering).
 */
export function createTypesetter(language: TemplateLanguage): Typesetter {
  const [levels, trie, exceptions] = PATTERNS[language]
  // The package writes every word it sees into the exception table (index 2): give it a copy of its own.
  const own = [levels, trie, { ...exceptions }] as unknown as PatternsDefinition
  const hyphenateWords = createHyphenator(own, { html: false, minWordLength: 5 }) as (text: string) => string
  const oneLetter = ONE_LETTER_WORDS[language]
  const oneLetterWord = oneLetter ? new RegExp(`(?<![\\p{L}\\p{M}\\p{N}'’ʼ-])([${oneLetter}]) +(?=\\S|$)`, 'gu') : null

  const bind = (text: string): string => {
    let out = text.replace(NUMBER_UNIT, `$1${NO_BREAK_SPACE}`).replace(DIGIT_GROUPS, `$1${NO_BREAK_SPACE}`)
    out = out.replace(SIGN_NUMBER, `$1${NO_BREAK_SPACE}`)
    return oneLetterWord ? out.replace(oneLetterWord, `$1${NO_BREAK_SPACE}`) : out
  }

  // Words already hyphenated for this letter, and whole space-separated chunks already done. The package is slow per
  // call (~60 µs), fast per word in a long text, so each text's new words go to it in one call.
  const hyphenated = new Map<string, string>()
  const chunks = new Map<string, string>()
  const candidates = (chunk: string): string[] =>
    chunks.has(chunk) || ADDRESS_LIKE.test(chunk) || /\d/.test(chunk) ? [] : (chunk.match(WORD) ?? []).filter(isHyphenatable)
  const hyphenateChunk = (chunk: string): string => {
    let done = chunks.get(chunk)
    if (done === undefined) {
      done = ADDRESS_LIKE.test(chunk) || /\d/.test(chunk) ? chunk : chunk.replace(WORD, (word) => hyphenated.get(word) ?? word)
      chunks.set(chunk, done)
    }
    return done
  }
  const hyphenateText = (value: string): string => {
    const fresh = [...new Set((value.match(/\S+/g) ?? []).flatMap(candidates))].filter((w) => !hyphenated.has(w))
    if (fresh.length > 0) {
      const out = hyphenateWords(fresh.join(' ')).split(' ')
      fresh.forEach((word, i) => {
        const result = out[i] ?? word
        hyphenated.set(word, removeSoftHyphens(result) === word ? trimBreaks(result) : word)
      })
    }
    return value.replace(/\S+/g, hyphenateChunk)
  }

  const text = (value: string, hyphenate: boolean): string => {
    const bound = bind(value)
    // Text that already holds a soft hyphen was broken by its author: leave it as they wrote it.
    return hyphenate && !value.includes(SOFT_HYPHEN) ? hyphenateText(bound) : bound
  }

  const html = (value: string, hyphenate: boolean): string => {
    // One entry per open element: true where no soft hyphen may go (headings, the markers of missing fields).
    const open: boolean[] = []
    return value
      .split(/(<[^>]*>)/)
      .map((piece) => {
        if (piece.startsWith('</')) open.pop()
        else if (piece.startsWith('<')) {
          if (!VOID_TAG.test(piece)) open.push(NO_HYPHEN_TAG.test(piece))
        } else if (piece !== '' && !/&(?!(?:amp|lt|gt|quot|#39);)/.test(piece)) {
          // Our HTML escapes only the five markup characters; any other entity means this text is not ours to touch.
          return escapeHtml(text(decodeFive(piece), hyphenate && !open.includes(true)))
        }
        return piece
      })
      .join('')
  }

  return { text, html }
}

/**
 * A compound ("будь-яких", "well-being") breaks at its own hyphen only, which Chromium, Word and LibreOffice already
 * allow after a hyphen-minus. It stays U+002D rather than U+2011 (no-break hyphen): that would forbid the one good
 * break, and a PDF's search and copy would no longer find "будь-яких". A short word stays whole; a word without a
 * lower-case letter is an acronym or a title.
 */
function isHyphenatable(word: string): boolean {
  return word.length >= 5 && !word.includes('-') && LOWER_CASE.test(word)
}

/** Removes breaks that would leave fewer than MIN_BEFORE letters on the line or MIN_AFTER on the next. */
function trimBreaks(word: string): string {
  const pieces = word.split(SOFT_HYPHEN)
  if (pieces.length < 2) return word
  let out = pieces[0] ?? ''
  let before = out.length
  const total = pieces.join('').length
  for (const piece of pieces.slice(1)) {
    const keep = before >= MIN_BEFORE && total - before >= MIN_AFTER
    out += (keep ? SOFT_HYPHEN : '') + piece
    before += piece.length
  }
  return out
}

function decodeFive(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : "'",
  )
}

/** Plain text without soft hyphens (for the text export, titles and search): what a reader sees when no line breaks. */
export function removeSoftHyphens(text: string): string {
  return text.replaceAll(SOFT_HYPHEN, '')
}
