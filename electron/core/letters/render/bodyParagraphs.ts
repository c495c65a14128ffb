// Main process (core, Node only): a body block's paragraphs — plain multi-line text as paragraphs, and quotes set
// into rich text after its paragraphs (a press release's quotes).
import { escapeHtml } from '../../../../shared/text/escapeHtml'

/**
 * Plain multi-line text as paragraphs: every line is a paragraph of its own (blank lines add nothing), as a
 * non-technical writer means a new line in a box of text ("We look forward to your reply." on its own line).
 */
export function plainToParagraphHtml(text: string): string {
  return text
    .split(/\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('')
}

/**
 * Sets quotes into sanitised rich text where the text leaves room for them: quote n after the text's n-th top-level
 * paragraph (<p>), the rest after the last one, each as <blockquote class="quote">. Text without paragraphs gets
 * the quotes at its end.
 */
export function placeQuotes(html: string, quotes: readonly string[]): string {
  if (quotes.length === 0) return html
  const blocks = quotes.map((q) => `<blockquote class="quote"><p>${escapeHtml(q)}</p></blockquote>`)
  const paragraphEnds: number[] = []
  let depth = 0
  for (const match of html.matchAll(/<(\/?)(p|h2|h3|ul|ol|blockquote)\b[^>]*>/g)) {
    if (match[1] === '/') {
      depth--
      if (depth === 0 && match[2] === 'p') paragraphEnds.push(match.index + match[0].length)
    } else depth++
  }
  if (paragraphEnds.length === 0) return html + blocks.join('')
  let out = ''
  let from = 0
  paragraphEnds.forEach((end, i) => {
    const last = i === paragraphEnds.length - 1
    const here = last ? blocks.slice(i) : blocks.slice(i, i + 1)
    out += html.slice(from, end) + here.join('')
    from = end
  })
  return out + html.slice(from)
}
