// Shared by every process: static checks of the Mustache strings in letter templates.
// The schema uses them to refuse unsafe tags; the editor and core's renderer use them to find unknown placeholders,
// so a typo is reported instead of silently rendering as a blank.
import Mustache from 'mustache'
import type { TemplateSpans } from 'mustache'

/** The shape of the values a template may reach: plain values, objects with fixed keys, and lists. */
export type ViewShape =
  | { readonly kind: 'value' }
  | { readonly kind: 'object'; readonly keys: ReadonlyMap<string, ViewShape> }
  | { readonly kind: 'list'; readonly item: ViewShape }

export const VALUE_SHAPE: ViewShape = { kind: 'value' }

/** Builds an object shape from [key, shape] pairs. */
export function createObjectShape(entries: Iterable<readonly [string, ViewShape]>): ViewShape {
  return { kind: 'object', keys: new Map(entries) }
}

/** Builds a list shape. */
export function createListShape(item: ViewShape): ViewShape {
  return { kind: 'list', item }
}

// Mustache's parser caches by template string; a private writer keeps our parses apart from anyone else's.
const writer = new Mustache.Writer()

/**
 * Parses a template string. Throws Error with a message naming the problem when the syntax is broken
 * (unclosed section, unclosed tag) or when it uses a tag we forbid:
 * `{{{x}}}` and `{{& x}}` (unescaped output), `{{> x}}` (partials) and `{{=<% %>=}}` (delimiter changes, which would
 * hide tags from these checks).
 */
export function parseTemplateString(template: string): TemplateSpans {
  const tokens = writer.parse(template) as TemplateSpans
  const forbidden = findForbiddenTag(tokens)
  if (forbidden) throw new Error(forbidden)
  return tokens
}

/** Returns a message for the first forbidden tag in a token tree, or null. */
function findForbiddenTag(tokens: TemplateSpans): string | null {
  for (const token of tokens) {
    const type = token[0]
    if (type === '&') return `unescaped tag "${token[1]}" is not allowed: use {{name}}`
    if (type === '>') return `partial "${token[1]}" is not allowed`
    if (type === '=') return 'changing the tag delimiters is not allowed'
    if ((type === '#' || type === '^') && Array.isArray(token[4])) {
      const inner = findForbiddenTag(token[4])
      if (inner) return inner
    }
  }
  return null
}

/**
 * Resolves a Mustache name the way Mustache's Context.lookup does (innermost scope first, dotted names walked
 * key by key), but only through the declared shape: prototype members (`constructor`, `__proto__`, `toString`),
 * string members (`length`) and list indices are never known. Returns the shape reached, or null when unknown.
 * `.` is known only where the current item is a plain value.
 */
export function resolvePlaceholder(name: string, scopes: readonly ViewShape[]): ViewShape | null {
  if (name === '.') {
    const top = scopes[scopes.length - 1]
    return top && top.kind === 'value' ? top : null
  }
  const segments = name.split('.')
  if (segments.some((s) => s.length === 0)) return null
  for (let i = scopes.length - 1; i >= 0; i--) {
    let shape: ViewShape | undefined = scopes[i]
    for (const segment of segments) {
      shape = shape && shape.kind === 'object' ? shape.keys.get(segment) : undefined
      if (!shape) break
    }
    if (shape) return shape
  }
  return null
}

/** Lists (once each, in order of appearance) the names in a template that the shape does not declare. */
export function listUnknownPlaceholders(template: string, root: ViewShape): string[] {
  const unknown: string[] = []
  const visit = (tokens: TemplateSpans, scopes: readonly ViewShape[]): void => {
    for (const token of tokens) {
      const type = token[0]
      if (type !== 'name' && type !== '#' && type !== '^') continue
      const shape = resolvePlaceholder(token[1], scopes)
      if (!shape) {
        if (!unknown.includes(token[1])) unknown.push(token[1])
        continue
      }
      if ((type === '#' || type === '^') && Array.isArray(token[4])) {
        const inner = type === '#' ? (shape.kind === 'list' ? shape.item : shape) : scopes[scopes.length - 1]
        visit(token[4], inner ? [...scopes, inner] : scopes)
      }
    }
  }
  visit(parseTemplateString(template), [root])
  return unknown
}
