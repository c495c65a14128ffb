// Main process (core, Node only): what a letter repeats on its pages — the continuation line at the top of page 2 on
// (organisation · date · short subject), the footer and the page number "2 / 3" at the bottom of every page — and the
// CSS paged-media margin boxes that print them. The DOCX writer puts the same RunningContent in Word's header and footer.
import type { ComposedLetter, LetterPart } from './compose'

/** Longest subject the continuation line shows before it is cut at a word and given an ellipsis. */
export const CONTINUATION_SUBJECT_CHARS = 60

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
  const continuation = [organisation, letter.date, shortenText(letter.title, CONTINUATION_SUBJECT_CHARS)]
    .map((piece) => piece?.replace(/\s+/g, ' ').trim())
    .filter((piece): piece is string => !!piece)
    .join(' · ')
  return { continuation, ...(footer ? { footer } : {}) }
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
  const pageNumber = 'counter(page) " / " counter(pages)'
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
