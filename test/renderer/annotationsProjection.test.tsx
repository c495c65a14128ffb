// Renderer (jsdom): the plain-text projection of editor documents and its offset ↔ position map — text → content →
// text is the identity, every code-point range maps to positions whose text is exactly that range (marks, hard breaks,
// lists, headings, astral characters), and positions map back to the same offsets.
import { describe, expect, it } from 'vitest'
import { getSchema, type JSONContent } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import type { Node as PMNode } from '@tiptap/pm/model'
import { sliceCodePoints } from '../../shared/annotations/codePoints'
import { convertTextToContent } from '../../renderer/src/features/library/RichTextEditor'
import { mapPositionToOffset, mapRangeToPositions, projectDocument } from '../../renderer/src/features/annotations/textProjection'

const schema = getSchema([StarterKit])
const toDoc = (json: JSONContent): PMNode => schema.nodeFromJSON(json)

/** What the editor shows between two positions, in the projection's terms. */
const textBetween = (doc: PMNode, from: number, to: number) =>
  doc.textBetween(from, to, '\n\n', (node) => (node.type.name === 'hardBreak' ? '\n' : ''))

const RICH: JSONContent = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Re: 📎 detention' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Mr ' },
        { type: 'text', text: 'Haddad', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' was moved 🚚 to' },
        { type: 'hardBreak' },
        { type: 'text', text: 'Camp Delta.', marks: [{ type: 'italic' }] },
      ],
    },
    { type: 'paragraph' },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'no lawyer' }] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'no café visits' }] }] },
      ],
    },
  ],
}

describe('projectDocument', () => {
  it('is the inverse of convertTextToContent for plain text', () => {
    const text = 'Dear Minister,\n\nThe detainee 🧑‍⚖️ was moved\nwithout notice.\n\nYours sincerely'
    expect(projectDocument(toDoc(convertTextToContent(text))).text).toBe(text)
  })

  it('joins textblocks with a blank line, hard breaks with a newline, whatever the nesting and marks', () => {
    const p = projectDocument(toDoc(RICH))
    expect(p.text).toBe('Re: 📎 detention\n\nMr Haddad was moved 🚚 to\nCamp Delta.\n\n\n\nno lawyer\n\nno café visits')
    expect(p.length).toBe(Array.from(p.text).length)
  })
})

describe('mapRangeToPositions / mapPositionToOffset', () => {
  it('maps every range that starts and ends inside text to positions showing exactly that text, and back', () => {
    const doc = toDoc(RICH)
    const p = projectDocument(doc)
    const chars = Array.from(p.text)
    const inGap = (i: number) => chars[i - 1] === '\n' && chars[i] === '\n'
    let checked = 0
    for (let s = 0; s < p.length; s++) {
      for (let e = s + 1; e <= p.length; e++) {
        // Bounds inside a block separator are moved inward by design; tested separately below.
        if (inGap(s) || inGap(e) || (chars[s] === '\n' && chars[s + 1] === '\n') || (chars[e - 1] === '\n' && chars[e - 2] === '\n'))
          continue
        const r = mapRangeToPositions(p, s, e)
        expect(r, `range ${s}-${e}`).not.toBeNull()
        expect(textBetween(doc, r!.from, r!.to)).toBe(sliceCodePoints(p.text, s, e))
        expect(mapPositionToOffset(p, r!.from, 'start')).toBe(s)
        expect(mapPositionToOffset(p, r!.to, 'end')).toBe(e)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(1000)
  })

  it('trims a range to the text at its edges and refuses ranges with no text', () => {
    const doc = toDoc(RICH)
    const p = projectDocument(doc)
    // Code-point offset of the first separator (the heading holds an astral character before it).
    const sepStart = Array.from(p.text.slice(0, p.text.indexOf('\n\n'))).length
    // From inside the first separator to the end of "Mr Haddad": starts at the next block.
    const haddadEnd = Array.from(p.text.slice(0, p.text.indexOf(' was moved'))).length
    const r = mapRangeToPositions(p, sepStart + 1, haddadEnd)
    expect(textBetween(doc, r!.from, r!.to)).toBe('Mr Haddad')
    expect(mapRangeToPositions(p, sepStart, sepStart + 2)).toBeNull()
    expect(mapRangeToPositions(p, 5, 5)).toBeNull()
    expect(mapRangeToPositions(p, -1, 3)).toBeNull()
    expect(mapRangeToPositions(p, 0, p.length + 1)).toBeNull()
    expect(mapRangeToPositions(p, 2.5, 4)).toBeNull()
  })

  it('maps positions between blocks to the next text (start) or the previous text (end)', () => {
    const doc = toDoc(RICH)
    const p = projectDocument(doc)
    const headingEnd = 1 + 'Re: 📎 detention'.length // inside the heading, after its text
    const between = headingEnd + 1 // after the heading closes, before the paragraph opens
    expect(mapPositionToOffset(p, between, 'end')).toBe(Array.from('Re: 📎 detention').length)
    expect(mapPositionToOffset(p, between, 'start')).toBe(Array.from('Re: 📎 detention\n\n').length)
    expect(mapPositionToOffset(p, doc.content.size, 'end')).toBe(p.length)
  })
})
