// Main process (Node): a small Markdown → { text, html } converter for imported .md files (no dependency).
// Supported: ATX and setext headings, paragraphs, hard breaks, bullet and numbered lists, block quotes, rules,
// fenced and indented-free code (rendered as plain text), **bold**, *italic*, links and autolinks. Only http,
// https and mailto targets become links; anything else (javascript:, data:, relative) keeps its label as text.
// Images become their alt text so an imported file can never make the editor fetch a remote resource. Raw HTML
// is not interpreted: it is escaped and stays visible as text.
import { escapeHtml } from '../../../../shared/text/escapeHtml'
import { isSafeLinkUrl } from '../../../../shared/library/convertHtml'

interface Rendered {
  html: string
  text: string
}

const ESCAPABLE = /[\\`*_{}[\]()#+\-.!|<>~"']/
// A span (link label, emphasis, code) longer than this is left as literal text, and nesting deeper than
// MAX_DEPTH is not interpreted: hostile input then costs linear time and bounded stack, never a hang or crash.
const MAX_SPAN = 4000
const MAX_DEPTH = 12

/** indexOf limited to MAX_SPAN characters after `from`; -1 when not found there. */
function indexWithin(src: string, needle: string, from: number): number {
  const found = src.slice(from, from + MAX_SPAN + needle.length).indexOf(needle)
  return found < 0 ? -1 : from + found
}

function findClosingBracket(src: string, start: number): number {
  let depth = 0
  const end = Math.min(src.length, start + MAX_SPAN)
  for (let i = start; i < end; i += 1) {
    const ch = src[i]
    if (ch === '\\') i += 1
    else if (ch === '[') depth += 1
    else if (ch === ']') {
      depth -= 1
      if (depth === 0) return i
    }
  }
  return -1
}

/** Parse `(dest "title")` at `start`; returns the destination and the index after ')' or null. */
function parseLinkTarget(text: string, start: number): { dest: string; end: number } | null {
  if (text[start] !== '(') return null
  const src = text.slice(0, start + MAX_SPAN)
  let i = start + 1
  while (src[i] === ' ') i += 1
  let dest = ''
  if (src[i] === '<') {
    const close = src.indexOf('>', i)
    if (close < 0) return null
    dest = src.slice(i + 1, close)
    i = close + 1
  } else {
    let depth = 0
    while (i < src.length) {
      const ch = src[i] as string
      if (ch === '\\' && i + 1 < src.length) {
        dest += src[i + 1]
        i += 2
        continue
      }
      if (ch === ' ' || ch === '\n') break
      if (ch === '(') depth += 1
      if (ch === ')') {
        if (depth === 0) break
        depth -= 1
      }
      dest += ch
      i += 1
    }
  }
  while (src[i] === ' ' || src[i] === '\n') i += 1
  const quote = src[i]
  if (quote === '"' || quote === "'") {
    const close = src.indexOf(quote, i + 1)
    if (close < 0) return null
    i = close + 1
    while (src[i] === ' ') i += 1
  }
  if (src[i] !== ')') return null
  return { dest, end: i + 1 }
}

function renderInline(src: string, depth = 0): Rendered {
  if (depth > MAX_DEPTH) return { html: escapeHtml(src), text: src }
  let html = ''
  let text = ''
  const literal = (value: string): void => {
    html += escapeHtml(value)
    text += value
  }
  let i = 0
  while (i < src.length) {
    const ch = src[i] as string
    // Only a bounded window is ever examined, so a huge paragraph costs linear time.
    const peek = (): string => src.slice(i, i + 2048)
    if (ch === '\\' && i + 1 < src.length && ESCAPABLE.test(src[i + 1] as string)) {
      literal(src[i + 1] as string)
      i += 2
      continue
    }
    if (ch === '\\' && src[i + 1] === '\n') {
      html += '<br>'
      text += '\n'
      i += 2
      continue
    }
    if (ch === '`') {
      const run = /^`+/.exec(peek())?.[0] ?? '`'
      const close = indexWithin(src, run, i + run.length)
      if (close >= 0) {
        // Code becomes plain text: nothing inside is interpreted.
        literal(
          src
            .slice(i + run.length, close)
            .replace(/\n/g, ' ')
            .trim(),
        )
        i = close + run.length
        continue
      }
      literal(run)
      i += run.length
      continue
    }
    if (ch === '!' && src[i + 1] === '[') {
      const close = findClosingBracket(src, i + 1)
      const target = close >= 0 ? parseLinkTarget(src, close + 1) : null
      if (target) {
        literal(renderInline(src.slice(i + 2, close), depth + 1).text)
        i = target.end
        continue
      }
    }
    if (ch === '[') {
      const close = findClosingBracket(src, i)
      const target = close >= 0 ? parseLinkTarget(src, close + 1) : null
      if (target) {
        const label = renderInline(src.slice(i + 1, close), depth + 1)
        const dest = target.dest.trim()
        html += isSafeLinkUrl(dest) ? `<a href="${escapeHtml(dest)}">${label.html}</a>` : label.html
        text += label.text
        i = target.end
        continue
      }
    }
    if (ch === '<') {
      const auto = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i.exec(peek())
      if (auto?.[1] && isSafeLinkUrl(auto[1])) {
        html += `<a href="${escapeHtml(auto[1])}">${escapeHtml(auto[1])}</a>`
        text += auto[1]
        i += auto[0].length
        continue
      }
    }
    if (ch === '*' || ch === '_') {
      const run = (ch === '*' ? /^\*{1,3}/ : /^_{1,3}/).exec(peek())?.[0] ?? ch
      const before = i > 0 ? (src[i - 1] as string) : ' '
      const after = src[i + run.length] ?? ' '
      // `_` inside a word (snake_case) is not emphasis.
      const canOpen = !/\s/.test(after) && !(ch === '_' && /[\p{L}\p{N}]/u.test(before))
      if (canOpen) {
        let close = indexWithin(src, run, i + run.length)
        while (
          close >= 0 &&
          close - i <= MAX_SPAN &&
          (/\s/.test(src[close - 1] as string) || (ch === '_' && /[\p{L}\p{N}]/u.test(src[close + run.length] ?? '')))
        ) {
          close = indexWithin(src, run, close + 1)
        }
        if (close > i + run.length && close - i <= MAX_SPAN) {
          const inner = renderInline(src.slice(i + run.length, close), depth + 1)
          const wrapped =
            run.length === 1
              ? `<em>${inner.html}</em>`
              : run.length === 2
                ? `<strong>${inner.html}</strong>`
                : `<strong><em>${inner.html}</em></strong>`
          html += wrapped
          text += inner.text
          i = close + run.length
          continue
        }
      }
      literal(run)
      i += run.length
      continue
    }
    if (ch === '\n') {
      // Two trailing spaces make a hard break; a plain newline is a soft break (kept in the text projection).
      let spaces = 0
      while (src[i - 1 - spaces] === ' ') spaces += 1
      if (spaces >= 2) {
        html = `${html.slice(0, html.length - spaces)}<br>`
        text = text.slice(0, text.length - spaces)
      } else html += '\n'
      text += '\n'
      i += 1
      continue
    }
    literal(ch)
    i += 1
  }
  return { html, text }
}

type Block =
  | { kind: 'heading'; level: number; content: string }
  | { kind: 'paragraph'; content: string }
  | { kind: 'code'; lines: string[] }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'rule' }

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/
const BULLET = /^[ \t]*[-*+•][ \t]+(.*)$/
const NUMBERED = /^[ \t]*\d{1,9}[.)][ \t]+(.*)$/
const FENCE = /^ {0,3}(`{3,}|~{3,})/
const QUOTE = /^ {0,3}>[ ]?(.*)$/

function parseBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = []
  let paragraph: string[] = []
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', content: paragraph.join('\n') })
    paragraph = []
  }
  let i = 0
  while (i < lines.length) {
    const line = lines[i] as string
    const fence = FENCE.exec(line)
    if (fence?.[1]) {
      flush()
      const marker = fence[1]
      const code: string[] = []
      i += 1
      while (i < lines.length && !(lines[i] as string).trimStart().startsWith(marker)) {
        code.push(lines[i] as string)
        i += 1
      }
      blocks.push({ kind: 'code', lines: code })
      i += 1
      continue
    }
    if (line.trim() === '') {
      flush()
      i += 1
      continue
    }
    // Setext heading: a paragraph line underlined with === or ---.
    if (paragraph.length > 0 && /^ {0,3}(=+|-+)[ \t]*$/.test(line)) {
      const level = line.trim().startsWith('=') ? 1 : 2
      blocks.push({ kind: 'heading', level, content: paragraph.join('\n') })
      paragraph = []
      i += 1
      continue
    }
    const heading = HEADING.exec(line)
    if (heading?.[1]) {
      flush()
      blocks.push({ kind: 'heading', level: heading[1].length, content: heading[2] ?? '' })
      i += 1
      continue
    }
    if (RULE.test(line)) {
      flush()
      blocks.push({ kind: 'rule' })
      i += 1
      continue
    }
    const quote = QUOTE.exec(line)
    if (quote) {
      flush()
      const quoted: string[] = []
      while (i < lines.length) {
        const m = QUOTE.exec(lines[i] as string)
        if (!m) break
        quoted.push(m[1] ?? '')
        i += 1
      }
      blocks.push({ kind: 'quote', lines: quoted })
      continue
    }
    const bullet = BULLET.exec(line)
    const numbered = bullet ? null : NUMBERED.exec(line)
    if (bullet || numbered) {
      flush()
      const ordered = numbered !== null
      const pattern = ordered ? NUMBERED : BULLET
      const items: string[] = []
      while (i < lines.length) {
        const current = lines[i] as string
        const m = pattern.exec(current)
        if (m) items.push(m[1] ?? '')
        else if (/^[ \t]+\S/.test(current) && items.length > 0) items[items.length - 1] += `\n${current.trim()}`
        else break
        i += 1
      }
      blocks.push({ kind: 'list', ordered, items })
      continue
    }
    paragraph.push(line)
    i += 1
  }
  flush()
  return blocks
}

function renderBlocks(blocks: readonly Block[]): Rendered {
  const html: string[] = []
  const text: string[] = []
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading': {
        const r = renderInline(block.content.trim())
        html.push(`<h${block.level}>${r.html}</h${block.level}>`)
        text.push(r.text)
        break
      }
      case 'paragraph': {
        const r = renderInline(block.content)
        html.push(`<p>${r.html}</p>`)
        text.push(r.text)
        break
      }
      case 'code':
        if (block.lines.length > 0) {
          html.push(`<p>${block.lines.map(escapeHtml).join('<br>')}</p>`)
          text.push(block.lines.join('\n'))
        }
        break
      case 'list': {
        const items = block.items.map((item) => renderInline(item))
        const tag = block.ordered ? 'ol' : 'ul'
        html.push(`<${tag}>${items.map((r) => `<li>${r.html}</li>`).join('')}</${tag}>`)
        text.push(items.map((r, n) => `${block.ordered ? `${n + 1}.` : '-'} ${r.text}`).join('\n'))
        break
      }
      case 'quote': {
        const inner = renderBlocks(parseBlocks(block.lines))
        html.push(`<blockquote>${inner.html}</blockquote>`)
        if (inner.text) text.push(inner.text)
        break
      }
      case 'rule':
        html.push('<hr>')
        break
    }
  }
  return { html: html.join('\n'), text: text.filter((t) => t.trim() !== '').join('\n\n') }
}

/** Convert Markdown source to `{ text, html }`; text paragraphs are separated by a blank line. Never throws. */
export function convertMarkdown(source: string): Rendered {
  const lines = source.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n')
  const rendered = renderBlocks(parseBlocks(lines))
  return {
    html: rendered.html,
    text: rendered.text
      .replace(/[ \t]+\n/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
  }
}
