// Unit tests (Node): the one HTML escaper (shared/text/escapeHtml.ts) against hostile input, and that
// what it returns, parsed as HTML content or as a quoted attribute, reads back as exactly the original text.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseDocument } from 'htmlparser2'
import { escapeHtml } from '../../../shared/text/escapeHtml'

/** The text of `<p>…</p>` and the value of a double- and a single-quoted attribute, as an HTML parser reads them. */
function readBack(escaped: string): { text: string; double: string; single: string } {
  const doc = parseDocument(`<p title="${escaped}" lang='${escaped}'>${escaped}</p>`, { decodeEntities: true })
  const p = doc.children[0] as unknown as { attribs: Record<string, string>; children: { data?: string }[] }
  return { text: p.children.map((c) => c.data ?? '').join(''), double: p.attribs['title']!, single: p.attribs['lang']! }
}

describe('escapeHtml', () => {
  it('turns markup into text', () => {
    expect(escapeHtml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(escapeHtml('<img src=x onerror="alert(2)">')).toBe('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;')
  })

  it('escapes both quote marks, so one call serves content and either kind of quoted attribute', () => {
    expect(escapeHtml(`" onmouseover='x()' "`)).toBe('&quot; onmouseover=&#39;x()&#39; &quot;')
  })

  it('escapes an ampersand every time: already-escaped text is shown as typed, not decoded', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;')
    expect(escapeHtml('Tom & Jerry &lt;3')).toBe('Tom &amp; Jerry &amp;lt;3')
  })

  it('leaves every other character alone: Cyrillic, Norwegian, emoji, controls and lone surrogates', () => {
    for (const text of ['Лубінець', 'Støre æøå ÆØÅ', '📎 🩺', 'tab\there\nline', '\ud800 lone high', 'lone low \udc00', '']) {
      expect(escapeHtml(text)).toBe(text)
    }
  })

  it('gives back exactly the original text when parsed as content or as a quoted attribute (any input)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", 'a', 'ж', ';', '#', '=', ' ', 'amp', 'lt') }), (text) => {
        const escaped = escapeHtml(text)
        expect(escaped).not.toMatch(/[<>"']/)
        expect(readBack(escaped)).toEqual({ text, double: text, single: text })
      }),
    )
  })
})
