// Shared by every process: the one whitelist for rich text in letters (body fields, annotations pasted into letters).
// The renderer's editor and DOMPurify config read it; core's htmlparser2 sanitiser enforces it before output.

/** Tags kept in rich text. Everything else is unwrapped (its text kept) or, for DROP_CONTENT_TAGS, removed whole. */
export const RICHTEXT_TAGS = ['p', 'h2', 'h3', 'strong', 'em', 'ul', 'ol', 'li', 'blockquote', 'a', 'br'] as const
export type RichtextTag = (typeof RICHTEXT_TAGS)[number]

/** Tags that void: they never have a closing tag or content. */
export const RICHTEXT_VOID_TAGS: readonly RichtextTag[] = ['br']

/** Legacy spellings mapped onto whitelisted tags (paste from word processors), so the emphasis survives. */
export const RICHTEXT_TAG_ALIASES: Readonly<Record<string, RichtextTag>> = { b: 'strong', i: 'em', h1: 'h2', h4: 'h3' }

/** Attributes kept, per tag. Only links carry one: `href`, and only with a scheme below. */
export const RICHTEXT_ATTRIBUTES: Readonly<Partial<Record<RichtextTag, readonly string[]>>> = { a: ['href'] }

/** Link schemes allowed in `href` (lower case, with colon). javascript:, data:, vbscript:, file: and relative links are dropped. */
export const RICHTEXT_LINK_SCHEMES = ['http:', 'https:', 'mailto:'] as const

/** Elements whose whole content is dropped, not just the tag: their text is code or markup, never letter prose. */
export const RICHTEXT_DROP_CONTENT_TAGS = [
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'textarea',
  'select',
  'title',
  'head',
] as const

/** Returns true when `tag` (lower case) is on the whitelist. */
export function isRichtextTag(tag: string): tag is RichtextTag {
  return (RICHTEXT_TAGS as readonly string[]).includes(tag)
}

/**
 * Returns the normalised href when it is an absolute http(s) or mailto link, otherwise null.
 * Whitespace and control characters are removed first, because browsers ignore them inside a scheme
 * ("java\tscript:" runs as javascript:).
 */
export function normaliseRichtextHref(raw: string): string | null {
  const compact = raw.replace(/[\u0000-\u0020\u007f-\u009f]/g, '')
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*:)/.exec(compact)
  if (!match || !match[1]) return null
  const scheme = match[1].toLowerCase()
  if (!(RICHTEXT_LINK_SCHEMES as readonly string[]).includes(scheme)) return null
  if (scheme !== 'mailto:' && !/^https?:\/\/[^/\s]/i.test(compact)) return null
  return compact
}
