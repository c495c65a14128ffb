// Main process (core, Node only): line breaking applied to composed letter parts (typeset.ts does the words).
import type { LetterPart } from './letterParts'
import type { Rendered } from './mustacheRender'
import type { Typesetter } from './typeset'

/**
 * Line breaking, done here once so every output breaks the same way: no-break spaces everywhere (one-letter words,
 * number and unit), soft hyphens in running text only — never in names, addresses, headings, titles or table cells.
 * The plain-text writer removes the soft hyphens again.
 */
export function typesetPart(part: LetterPart, typesetter: Typesetter): LetterPart {
  const set = (piece: Rendered, hyphenate: boolean): Rendered => ({
    html: typesetter.html(piece.html, hyphenate),
    text: typesetter.text(piece.text, hyphenate),
  })
  const setOptional = (piece: Rendered | undefined, hyphenate: boolean): Rendered | undefined =>
    piece === undefined ? undefined : set(piece, hyphenate)
  const withIntro = <T extends { readonly intro?: Rendered }>(p: T): T => (p.intro ? { ...p, intro: set(p.intro, true) } : p)
  switch (part.kind) {
    case 'letterhead': {
      const lines = setOptional(part.lines, false)
      return { ...part, organisation: set(part.organisation, false), ...(lines ? { lines } : {}) }
    }
    case 'persons':
      return { ...withIntro(part), people: part.people.map((lines) => lines.map((l) => set(l, false))) }
    case 'line': {
      const running = part.role === 'text' && (part.style === 'normal' || part.style === 'small' || part.style === 'lead')
      return { ...part, content: set(part.content, running || part.role === 'closing') }
    }
    case 'richtext':
      return {
        ...withIntro(part),
        html: typesetter.html(part.html, true),
        paragraphs: part.paragraphs.map((p) => ({
          ...p,
          inlines: p.inlines.map((i) => ({ ...i, text: typesetter.text(i.text, p.kind !== 'h2' && p.kind !== 'h3') })),
        })),
      }
    case 'list':
      return { ...withIntro(part), items: part.items.map((item) => set(item, part.role !== 'organisations')) }
    case 'signatories':
      return {
        ...withIntro(part),
        people: part.people.map((p) => ({
          ...p,
          name: set(p.name, false),
          lines: p.lines.map((l) => set(l, false)),
          credentials: p.credentials.map((c) => set(c, true)),
        })),
      }
    case 'annex':
      return { ...part, heading: set(part.heading, false), rows: part.rows.map((row) => row.map((cell) => typesetter.text(cell, false))) }
  }
}
