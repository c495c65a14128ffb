// Test (Node, core project): property tests of the anchoring engine over random texts mixing Latin, Cyrillic,
// combining marks, astral emoji and zero-width joiners.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { describeSelection, reanchor } from '../../../shared/annotations/anchor'
import { CodePointText, isInsideCluster, sliceCodePoints } from '../../../shared/annotations/codePoints'

const UNITS = ['a', 'b', 'c', 'e', ' ', ' ', '\n', '.', 'д', 'ж', 'и', 'é', '\u0301', '\u0306', '😀', '🇺', '🇦', '👩', '💻', '\u200d', '🏽']
const JOINER = /^[\p{M}\p{Emoji_Modifier}\u200d]/u

const text = fc.string({ unit: fc.constantFrom(...UNITS), minLength: 1, maxLength: 160 })
// Inserted text that cannot glue itself onto a neighbouring character (which would change the passage's characters).
const insertion = fc
  .string({ unit: fc.constantFrom(...UNITS), minLength: 1, maxLength: 40 })
  .filter((s) => !JOINER.test(s) && !s.endsWith('\u200d'))

/** A text with a non-empty selection [start, end) in code points. */
const textWithSelection = text.chain((t) => {
  const n = Array.from(t).length
  return fc
    .tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: n }), fc.integer({ min: 0, max: 40 }))
    .map(([a, b, contextLength]) => {
      const start = Math.min(a, b - 1)
      return { text: t, start, end: Math.max(b, start + 1), contextLength }
    })
})

describe('anchoring properties', () => {
  it('re-anchors any selection in the unchanged text exactly, with the same range', () => {
    fc.assert(
      fc.property(textWithSelection, ({ text: t, start, end, contextLength }) => {
        const s = describeSelection(t, start, end, { contextLength })
        expect(sliceCodePoints(t, s.position.start, s.position.end)).toBe(s.quote.exact)
        expect(reanchor(t, s)).toEqual({ status: 'exact', start, end, score: 1 })
      }),
      { numRuns: 400 },
    )
  })

  it('never yields a different quote after text is inserted outside the passage', () => {
    fc.assert(
      fc.property(textWithSelection, insertion, fc.boolean(), fc.nat(), (sel, ins, before, r) => {
        const cps = Array.from(sel.text)
        const at = before ? r % (sel.start + 1) : sel.end + (r % (cps.length - sel.end + 1))
        const edited = [...cps.slice(0, at), ins, ...cps.slice(at)].join('')
        const s = describeSelection(sel.text, sel.start, sel.end, { contextLength: sel.contextLength })
        const result = reanchor(edited, s)
        expect(['exact', 'relocated']).toContain(result.status)
        if (result.status === 'orphaned') return
        expect(sliceCodePoints(edited, result.start, result.end)).toBe(s.quote.exact)
      }),
      { numRuns: 400 },
    )
  })

  it('returns an in-bounds range that never cuts a fuzzy match through a character, whatever the edit', () => {
    fc.assert(
      fc.property(textWithSelection, text, fc.nat(), fc.nat(), (sel, replacement, r1, r2) => {
        const cps = Array.from(sel.text)
        const a = r1 % (cps.length + 1)
        const b = a + (r2 % (cps.length - a + 1))
        const edited = [...cps.slice(0, a), replacement, ...cps.slice(b)].join('')
        const s = describeSelection(sel.text, sel.start, sel.end, { contextLength: sel.contextLength })
        const result = reanchor(edited, s)
        if (result.status === 'orphaned') {
          expect(result.quote).toBe(s.quote.exact)
          return
        }
        const t = new CodePointText(edited)
        expect(result.start).toBeGreaterThanOrEqual(0)
        expect(result.end).toBeLessThanOrEqual(t.length)
        expect(result.end).toBeGreaterThan(result.start)
        expect(result.score).toBeGreaterThan(0)
        expect(result.score).toBeLessThanOrEqual(1)
        if (result.status === 'fuzzy') {
          expect(isInsideCluster(t, result.start)).toBe(false)
          expect(isInsideCluster(t, result.end)).toBe(false)
        } else {
          expect(t.slice(result.start, result.end)).toBe(s.quote.exact)
        }
      }),
      { numRuns: 300 },
    )
  })
})
