// Shared (main's importer and the renderer's paste): turn untrusted HTML into its plain-text projection and a
// simplified HTML for the editor, with a parser that builds no DOM (htmlparser2), so nothing in the input is ever an
// element of a page — not even one the CSP then has to refuse. The simplified HTML keeps structure (paragraphs,
// headings, lists, tables, emphasis, http/https/mailto links, data: raster images) and drops every other attribute,
// script, style and remote resource. Imports are still sanitised again in the renderer (defence in depth; Electron
// security checklist item 1: never trust remote content).
import { Parser } from 'htmlparser2'
import { escapeHtml } from '../text/escapeHtml'

/** True for a link target we are willing to make clickable: http(s) or mailto, no whitespace or control chars. */
export function isSafeLinkUrl(url: string): boolean {
  return /^(?:https?:\/\/|mailto:)[^\s\u0000-\u001f\u007f]+$/i.test(url)
}

/** True for an inline raster image carried in the document itself (never a remote URL, never SVG). */
function isSafeImageSrc(src: string): boolean {
  return /^data:image\/(?:png|jpe?g|gif|webp);base64,[a-z0-9+/=\s]+$/i.test(src)
}

// Elements whose content is never text of the document.
const DROP_CONTENT = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'head',
  'title',
  'textarea',
  'select',
  'button',
  'canvas',
  'audio',
  'video',
  'frameset',
  'frame',
  'applet',
])
// Elements we emit (without attributes) that hold text directly.
const TEXT_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'td', 'th', 'pre'])
// Elements we emit that hold other blocks.
const CONTAINER_BLOCKS = new Set(['ul', 'ol', 'blockquote', 'table', 'thead', 'tbody', 'tfoot', 'tr'])
// Elements that only mark a block boundary: their content is kept, the tag is not.
const BOUNDARY_ONLY = new Set([
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'address',
  'center',
  'dl',
  'dt',
  'dd',
  'form',
  'fieldset',
  'legend',
  'details',
  'summary',
  'body',
  'html',
  'caption',
])
const INLINE_MAP: Readonly<Record<string, string>> = {
  strong: 'strong',
  b: 'strong',
  em: 'em',
  i: 'em',
  u: 'u',
  s: 's',
  strike: 's',
  del: 's',
  code: 'code',
  sub: 'sub',
  sup: 'sup',
}

// Deeper nesting than this is flattened (tags ignored, text kept): hostile input costs linear time.
const MAX_NESTING = 256

interface OpenElement {
  readonly name: string
  readonly emitted: string | null // the tag written to the output, if any
}

/** Convert HTML source to `{ text, html }`: text has paragraphs separated by a blank line. Never throws on bad HTML. */
export function convertHtml(source: string): { text: string; html: string } {
  let html = ''
  let text = ''
  let skipDepth = 0
  let preDepth = 0
  const open: OpenElement[] = []
  // The emitted tags currently open in the output, innermost last; an implicit <p> shows up as 'p*'.
  const emitted: string[] = []

  const closeEmittedDownTo = (length: number): void => {
    while (emitted.length > length) {
      const tag = emitted.pop() as string
      html += `</${tag.replace('*', '')}>`
    }
  }
  const closeImplicitParagraph = (): void => {
    const index = emitted.lastIndexOf('p*')
    if (index >= 0) closeEmittedDownTo(index)
  }
  const insideTextBlock = (): boolean => emitted.some((tag) => TEXT_BLOCKS.has(tag) || tag === 'p*')
  const ensureTextBlock = (): void => {
    if (!insideTextBlock()) {
      html += '<p>'
      emitted.push('p*')
    }
  }
  const breakParagraph = (): void => {
    text += '\n\n'
  }

  const parser = new Parser(
    {
      onopentag(rawName, attribs) {
        const name = rawName.toLowerCase()
        if (skipDepth > 0 || DROP_CONTENT.has(name)) {
          skipDepth += 1
          return
        }
        if (open.length >= MAX_NESTING) return
        let tag: string | null = null
        if (TEXT_BLOCKS.has(name) || CONTAINER_BLOCKS.has(name)) {
          closeImplicitParagraph()
          if (name === 'li') text += '\n'
          else breakParagraph()
          if (name === 'pre') preDepth += 1
          html += `<${name}>`
          tag = name
        } else if (BOUNDARY_ONLY.has(name)) {
          closeImplicitParagraph()
          breakParagraph()
        } else if (name === 'br') {
          ensureTextBlock()
          html += '<br>'
          text += '\n'
        } else if (name === 'hr') {
          closeImplicitParagraph()
          breakParagraph()
          html += '<hr>'
        } else if (name === 'img') {
          const src = attribs.src ?? ''
          if (isSafeImageSrc(src)) {
            ensureTextBlock()
            html += `<img src="${escapeHtml(src.replace(/\s+/g, ''))}" alt="${escapeHtml(attribs.alt ?? '')}">`
          }
        } else if (name === 'a') {
          const href = (attribs.href ?? '').trim()
          if (isSafeLinkUrl(href)) {
            ensureTextBlock()
            html += `<a href="${escapeHtml(href)}">`
            tag = 'a'
          }
        } else if (INLINE_MAP[name] !== undefined) {
          ensureTextBlock()
          tag = INLINE_MAP[name] as string
          html += `<${tag}>`
        }
        open.push({ name, emitted: tag })
        if (tag !== null) emitted.push(tag)
      },
      ontext(data) {
        if (skipDepth > 0) return
        const chunk = preDepth > 0 ? data : data.replace(/[ \t\n\r\f]+/g, ' ')
        if (chunk.trim() === '' && !insideTextBlock()) return
        ensureTextBlock()
        html += escapeHtml(chunk)
        text += chunk
      },
      onclosetag(rawName) {
        const name = rawName.toLowerCase()
        if (skipDepth > 0) {
          skipDepth -= 1
          return
        }
        // htmlparser2 reports implied closes too, so the innermost matching element is the one being closed.
        let index = -1
        for (let i = open.length - 1; i >= 0; i -= 1) {
          if (open[i]?.name === name) {
            index = i
            break
          }
        }
        if (index < 0) return
        const [element] = open.splice(index)
        if (TEXT_BLOCKS.has(name) || CONTAINER_BLOCKS.has(name) || BOUNDARY_ONLY.has(name)) {
          if (name === 'pre' && preDepth > 0) preDepth -= 1
          if (name !== 'li') breakParagraph()
        }
        if (element?.emitted) {
          const position = emitted.lastIndexOf(element.emitted)
          if (position >= 0) closeEmittedDownTo(position)
        } else if (BOUNDARY_ONLY.has(name)) {
          closeImplicitParagraph()
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  )
  parser.write(source)
  parser.end()
  closeEmittedDownTo(0)
  return { text: normalisePlainText(text), html: html.replace(/<p><\/p>/g, '') }
}

/** Tidy a text projection: trim line ends, at most one blank line between paragraphs, no leading/trailing blanks. */
export function normalisePlainText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+\n/g, '\n')
    .replace(/\n[ \t\f\v\u00a0]+/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
