// Main process (core, Node only): enforces the rich-text whitelist with htmlparser2, and reads sanitised rich text
// as a flat list of paragraphs for the plain-text and DOCX renderers.
// The renderer sanitises with DOMPurify before data reaches us; this is the second, authoritative pass.
import { Parser } from 'htmlparser2'
import {
  RICHTEXT_ATTRIBUTES,
  RICHTEXT_DROP_CONTENT_TAGS,
  RICHTEXT_TAG_ALIASES,
  RICHTEXT_VOID_TAGS,
  isRichtextTag,
  normaliseRichtextHref,
  type RichtextTag,
} from '../../../../shared/letters/richTextWhitelist'
import { escapeHtml } from '../../../../shared/text/escapeHtml'

const dropContent: ReadonlySet<string> = new Set(RICHTEXT_DROP_CONTENT_TAGS)

/** Maps a parsed tag name onto the whitelist, or null when the tag is unwrapped (its text kept, the tag dropped). */
function mapTag(name: string): RichtextTag | null {
  const tag = RICHTEXT_TAG_ALIASES[name] ?? name
  return isRichtextTag(tag) ? tag : null
}

/**
 * Returns `html` reduced to the whitelist in shared/letters/richTextWhitelist.ts: other tags are unwrapped, script-like
 * elements are removed with their content, every attribute except a safe `href` on <a> is dropped, comments and
 * doctype vanish, text is re-escaped. The output is well formed: every emitted tag is closed.
 */
export function sanitizeRichtext(html: string): string {
  let out = ''
  let dropDepth = 0
  // One entry per open element, in parser order, saying which closing tag (if any) we owe for it.
  const owed: (string | null)[] = []
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (dropDepth > 0 || dropContent.has(name)) {
          dropDepth++
          return
        }
        const tag = mapTag(name)
        if (!tag) {
          owed.push(null)
          return
        }
        if (RICHTEXT_VOID_TAGS.includes(tag)) {
          out += `<${tag}>`
          owed.push(null)
          return
        }
        let attributes = ''
        for (const attribute of RICHTEXT_ATTRIBUTES[tag] ?? []) {
          const raw = attribs[attribute]
          if (raw === undefined) continue
          const href = attribute === 'href' ? normaliseRichtextHref(raw) : null
          if (href) attributes += ` href="${escapeHtml(href)}"`
        }
        // A link without a safe target is just text.
        if (tag === 'a' && attributes === '') {
          owed.push(null)
          return
        }
        out += `<${tag}${attributes}>`
        owed.push(tag)
      },
      onclosetag() {
        if (dropDepth > 0) {
          dropDepth--
          return
        }
        const tag = owed.pop()
        if (tag) out += `</${tag}>`
      },
      ontext(text) {
        if (dropDepth === 0) out += escapeHtml(text)
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  )
  parser.write(html)
  parser.end()
  return out
}

/** A run of text inside a paragraph. `href` is already vetted by the sanitiser. A lone "\n" is a line break. */
export type RichInline = { readonly text: string; readonly bold: boolean; readonly italic: boolean; readonly href?: string }

/** One paragraph of rich text. List items carry their list (for numbering restarts) and nesting level (0-based). */
export type RichParagraph =
  | { readonly kind: 'p' | 'h2' | 'h3' | 'quote'; readonly inlines: readonly RichInline[] }
  | {
      readonly kind: 'item'
      readonly ordered: boolean
      readonly listId: number
      readonly level: number
      readonly inlines: readonly RichInline[]
    }

type Format = { bold: boolean; italic: boolean; href?: string }

/**
 * Reads rich text (sanitised first, so any input is safe) as flat paragraphs in document order, with white space
 * collapsed as a browser would. Used for plain text and DOCX, so all three outputs say the same thing.
 */
export function parseRichtext(html: string): RichParagraph[] {
  const paragraphs: RichParagraph[] = []
  const lists: { ordered: boolean; id: number }[] = []
  const formats: Format[] = [{ bold: false, italic: false }]
  const openTags: (RichtextTag | null)[] = []
  let quoteDepth = 0
  let nextListId = 1
  let current: RichInline[] = []
  let currentKind: RichParagraph['kind'] = 'p'

  const flush = (): void => {
    const inlines = trimInlines(current)
    current = []
    if (inlines.length === 0) return
    if (currentKind === 'item') {
      const list = lists[lists.length - 1]
      paragraphs.push({
        kind: 'item',
        ordered: list?.ordered ?? false,
        listId: list?.id ?? 0,
        level: Math.max(0, lists.length - 1),
        inlines,
      })
    } else {
      paragraphs.push({ kind: currentKind, inlines })
    }
    // Text after a nested list inside an item continues as a plain paragraph.
    currentKind = quoteDepth > 0 ? 'quote' : 'p'
  }

  const format = (): Format => formats[formats.length - 1] ?? { bold: false, italic: false }

  const parser = new Parser({
    onopentag(name, attribs) {
      const tag = name as RichtextTag
      openTags.push(tag)
      switch (tag) {
        case 'p':
        case 'h2':
        case 'h3':
          flush()
          currentKind = tag === 'p' ? (quoteDepth > 0 ? 'quote' : 'p') : tag
          break
        case 'blockquote':
          flush()
          quoteDepth++
          currentKind = 'quote'
          break
        case 'ul':
        case 'ol':
          flush()
          lists.push({ ordered: tag === 'ol', id: nextListId++ })
          break
        case 'li':
          flush()
          currentKind = 'item'
          break
        case 'strong':
          formats.push({ ...format(), bold: true })
          break
        case 'em':
          formats.push({ ...format(), italic: true })
          break
        case 'a':
          formats.push({ ...format(), ...(attribs.href ? { href: attribs.href } : {}) })
          break
        case 'br':
          current.push({ text: '\n', bold: false, italic: false })
          break
      }
    },
    onclosetag() {
      const tag = openTags.pop()
      switch (tag) {
        case 'p':
        case 'h2':
        case 'h3':
        case 'li':
          flush()
          break
        case 'blockquote':
          flush()
          quoteDepth = Math.max(0, quoteDepth - 1)
          currentKind = quoteDepth > 0 ? 'quote' : 'p'
          break
        case 'ul':
        case 'ol':
          flush()
          lists.pop()
          currentKind = lists.length > 0 ? 'item' : quoteDepth > 0 ? 'quote' : 'p'
          break
        case 'strong':
        case 'em':
        case 'a':
          formats.pop()
          break
      }
    },
    ontext(text) {
      const f = format()
      current.push({ text: text.replace(/\s+/g, ' '), bold: f.bold, italic: f.italic, ...(f.href ? { href: f.href } : {}) })
    },
  })
  parser.write(sanitizeRichtext(html))
  parser.end()
  flush()
  return paragraphs
}

/** Drops white space at the edges of a paragraph and around line breaks; merges nothing else. */
function trimInlines(inlines: readonly RichInline[]): RichInline[] {
  const out = inlines.map((inline) => ({ ...inline }))
  for (let i = 0; i < out.length; i++) {
    const inline = out[i]
    if (!inline || inline.text === '\n') continue
    const previous = out[i - 1]
    if (i === 0 || previous?.text === '\n' || previous?.text.endsWith(' ')) inline.text = inline.text.replace(/^ +/, '')
    const next = out[i + 1]
    if (i === out.length - 1 || next?.text === '\n') inline.text = inline.text.replace(/ +$/, '')
  }
  const kept = out.filter((inline) => inline.text.length > 0)
  while (kept[0]?.text === '\n') kept.shift()
  while (kept[kept.length - 1]?.text === '\n') kept.pop()
  return kept.some((inline) => inline.text.trim().length > 0) ? kept : []
}
