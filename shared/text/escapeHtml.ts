// Shared (pure): the one HTML escaper of the product code. Every HTML page, letter, report and imported-document
// projection built by hand escapes untrusted text through it.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * Escapes text for HTML element content and for attribute values in double or single quotes (both quote marks are
 * escaped, so one function serves both contexts). Never for unquoted attributes, URLs in script or CSS. Everything
 * other than the five markup characters, lone surrogates included, passes through unchanged.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}
