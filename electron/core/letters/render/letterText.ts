// Main process (core, Node only): writes a composed letter as plain text, parts in the same order as HTML and DOCX.
import type { AnnexTable, LetterData, LetterTemplate } from '../../../../shared/letters/templateModel'
import { composeLetter, type LetterPart } from './compose'
import type { RichInline, RichParagraph } from './richTextSanitizer'
import { removeSoftHyphens } from './typeset'

/** Plain text of inline runs; a link whose text differs from its target shows the target in angle brackets. */
export function writeInlinesText(inlines: readonly RichInline[]): string {
  return inlines.map((i) => (i.href && i.href !== i.text && `mailto:${i.text}` !== i.href ? `${i.text} <${i.href}>` : i.text)).join('')
}

/**
 * Rich paragraphs as text blocks: lists numbered per list ("1.") or bulleted ("•"), nested lists indented, quotes
 * indented. Consecutive list items form one block (one item per line).
 */
export function writeParagraphsText(paragraphs: readonly RichParagraph[]): string[] {
  const counters = new Map<number, number>()
  const lines = paragraphs.map((p) => {
    const text = writeInlinesText(p.inlines)
    if (p.kind === 'item') {
      const indent = '   '.repeat(p.level)
      if (!p.ordered) return `${indent}• ${hangLines(text, `${indent}  `)}`
      const n = (counters.get(p.listId) ?? 0) + 1
      counters.set(p.listId, n)
      return `${indent}${n}. ${hangLines(text, `${indent}${' '.repeat(String(n).length + 2)}`)}`
    }
    if (p.kind === 'quote')
      return text
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')
    return text
  })
  const blocks: string[] = []
  lines.forEach((line, i) => {
    const continuesList = i > 0 && paragraphs[i]?.kind === 'item' && paragraphs[i - 1]?.kind === 'item'
    if (continuesList && blocks.length > 0) blocks[blocks.length - 1] += `\n${line}`
    else blocks.push(line)
  })
  return blocks
}

const hangLines = (text: string, indent: string): string => text.replace(/\n/g, `\n${indent}`)

function writePart(part: LetterPart): string {
  switch (part.kind) {
    case 'letterhead':
      return [part.organisation.text, part.lines?.text].filter(Boolean).join('\n')
    case 'persons':
      return [
        [part.intro?.text, part.people[0]?.map((l) => l.text).join('\n')].filter(Boolean).join('\n'),
        ...part.people.slice(1).map((lines) => lines.map((l) => l.text).join('\n')),
      ].join('\n\n')
    case 'line':
      return part.style === 'title' ? part.content.text.toUpperCase() : part.content.text
    case 'richtext':
      return [part.intro?.text, ...writeParagraphsText(part.paragraphs)].filter(Boolean).join('\n\n')
    case 'list': {
      const items = part.items.map((item, i) => {
        if (part.role === 'requests' || part.parenNumbers)
          return `${i + 1}${part.parenNumbers ? ')' : '.'} ${hangLines(item.text, ' '.repeat(String(i + 1).length + 2))}`
        if (part.role === 'quotes') return `“${item.text}”`
        if (part.role === 'organisations') return item.text
        return `• ${hangLines(item.text, '  ')}`
      })
      return [part.intro?.text, items.join(part.role === 'organisations' ? '\n' : '\n\n')].filter(Boolean).join('\n\n')
    }
    case 'signatories':
      return [
        part.intro?.text,
        ...part.people.map((p) => [p.name.text, ...p.lines.map((l) => l.text), ...p.credentials.map((c) => c.text)].join('\n')),
      ]
        .filter(Boolean)
        .join('\n\n')
    case 'annex': {
      const rows = part.rows.map((r) => r.map((c) => c || '–').join(' | '))
      return [part.heading.text, rows.length ? [part.columns.join(' | '), ...rows].join('\n') : undefined, part.omittedNote]
        .filter(Boolean)
        .join('\n\n')
    }
  }
}

/**
 * Renders a letter as plain text (UTF-8, "\n" line ends, parts separated by a blank line), for e-mail bodies and
 * accessible copies, without soft hyphens. `strict` (default true: this is an export) refuses empty required fields.
 * Throws CustodiaError('VALIDATION') for an invalid template, data or annex.
 */
export function renderLetterText(template: LetterTemplate, data: LetterData, opts: { annex?: AnnexTable; strict?: boolean } = {}): string {
  const letter = composeLetter(template, data, { ...(opts.annex ? { annex: opts.annex } : {}), strict: opts.strict ?? true })
  // Soft hyphens are for the page; a text copy has no lines to break.
  const text = letter.parts
    .map(writePart)
    .filter((t) => t.trim() !== '')
    .join('\n\n')
  return `${removeSoftHyphens(text)}\n`
}
