// Main process (core, Node only): renders one Mustache string of a template, as HTML (escaping on) and as plain text,
// after replacing every unknown placeholder with a visible "[unknown: name]" marker.
import Mustache from 'mustache'
import type { TemplateSpans } from 'mustache'
import { parseTemplateString, resolvePlaceholder, type ViewShape } from '../../../../shared/letters/placeholders'
import { escapeHtml } from '../../../../shared/text/escapeHtml'
import type { ViewObject } from './letterData'

/** One piece of letter text in both output forms: `html` is safe to insert, `text` is plain. */
export type Rendered = { readonly html: string; readonly text: string }

/** Wraps plain text (a field value) as Rendered; line breaks become <br>. */
export function fromPlain(text: string): Rendered {
  return { html: escapeHtml(text).replace(/\n/g, '<br>'), text }
}

/** A visible marker (highlighted in HTML) for text the letter lacks, e.g. "[missing: Subject]". */
export function createMarker(text: string, className: 'missing' | 'unknown-placeholder'): Rendered {
  return { html: `<span class="${className}">${escapeHtml(text)}</span>`, text }
}

// A private writer: its token cache is ours alone, and we render our rewritten tokens through it.
const writer = new Mustache.Writer()

// Field values go through our one escaper, like the template's literal text (a template can only place values in
// element content, never in an attribute), plus line breaks as <br> for multi-line values.
const escapeForHtml = (value: unknown): string => escapeHtml(String(value)).replace(/\n/g, '<br>')
const keepText = (value: unknown): string => String(value)

type Token = TemplateSpans[number]

/**
 * Rewrites a parsed template for one output form. Literal template text is escaped too in HTML form (a template
 * author's "<script>" prints as text). Unknown names and sections become a marker token; their names are collected.
 */
function rewriteTokens(
  tokens: TemplateSpans,
  scopes: readonly ViewShape[],
  html: boolean,
  marker: (name: string) => Rendered,
  unknown: string[],
): TemplateSpans {
  const out: Token[] = []
  for (const token of tokens) {
    const type = token[0]
    if (type === 'text') {
      out.push(['text', html ? escapeHtml(token[1]).replace(/\n/g, '<br>') : token[1], token[2], token[3]])
      continue
    }
    if (type !== 'name' && type !== '#' && type !== '^') continue // comments; forbidden tags never get here
    const shape = resolvePlaceholder(token[1], scopes)
    if (!shape) {
      if (!unknown.includes(token[1])) unknown.push(token[1])
      const shown = marker(token[1])
      out.push(['text', html ? shown.html : shown.text, token[2], token[3]])
      continue
    }
    if (type === 'name') {
      out.push(token)
      continue
    }
    const children = Array.isArray(token[4]) ? (token[4] as TemplateSpans) : []
    const inner = type === '#' ? (shape.kind === 'list' ? shape.item : shape) : scopes[scopes.length - 1]
    const rewritten = rewriteTokens(children, inner ? [...scopes, inner] : scopes, html, marker, unknown)
    out.push([type, token[1], token[2], token[3], rewritten, token[5] as number])
  }
  return out
}

/**
 * Renders `template` with `view` (whose shape is `shape`) in both forms. Returns the output and the unknown names,
 * each once, in order. Throws Error if the template uses a forbidden tag (the schema refuses those earlier).
 */
export function renderTemplateString(
  template: string,
  view: ViewObject,
  shape: ViewShape,
  unknownLabel: string,
): { rendered: Rendered; unknown: string[] } {
  const tokens = parseTemplateString(template)
  const marker = (name: string): Rendered => createMarker(`[${unknownLabel}: ${name.replace(/[{}]/g, '')}]`, 'unknown-placeholder')
  const unknown: string[] = []
  const htmlTokens = rewriteTokens(tokens, [shape], true, marker, unknown)
  const textTokens = rewriteTokens(tokens, [shape], false, marker, [])
  const context = new Mustache.Context(view)
  return {
    rendered: {
      html: writer.renderTokens(htmlTokens as unknown as string[][], context, undefined, template, { escape: escapeForHtml }),
      text: writer.renderTokens(textTokens as unknown as string[][], new Mustache.Context(view), undefined, template, { escape: keepText }),
    },
    unknown,
  }
}
