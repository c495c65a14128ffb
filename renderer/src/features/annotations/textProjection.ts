// Renderer (pure, no DOM): the plain-text projection of an editor document — the `text` that is saved with every
// document and that annotations anchor to — together with the map between its code-point offsets and ProseMirror
// positions. One walk produces both, so highlights land exactly where the saved offsets say.
//
// The projection: textblocks (paragraphs, headings, list items' paragraphs, code blocks) in document order, joined by
// a blank line ("\n\n"); a hard break is "\n"; other inline leaves (images) contribute nothing. This is the inverse of
// convertTextToContent (paragraphs on blank lines, hard breaks on single newlines).
import type { Node as PMNode } from '@tiptap/pm/model'
import { countCodePoints } from '../../../../shared/annotations/codePoints'

export const BLOCK_SEPARATOR = '\n\n'

/** A run of the projection that comes from one inline node. */
interface Segment {
  /** Code-point offset of the run in the projection. */
  offset: number
  /** Its length in code points. */
  length: number
  /** ProseMirror position of the node's start. */
  pos: number
  /** The text of a text node (null for a hard break, which is one position wide and projects to "\n"). */
  text: string | null
}

export interface TextProjection {
  text: string
  /** Length of `text` in code points. */
  length: number
  segments: readonly Segment[]
}

/** UTF-16 length of the first `count` code points of `s`. */
function measureUnits(s: string, count: number): number {
  let units = 0
  for (let k = 0; k < count && units < s.length; k++) {
    const c = s.charCodeAt(units)
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < s.length && (s.charCodeAt(units + 1) & 0xfc00) === 0xdc00 ? 2 : 1
  }
  return units
}

/** Projects an editor document to its plain text and the offset ↔ position map. */
export function projectDocument(doc: PMNode): TextProjection {
  const parts: string[] = []
  const segments: Segment[] = []
  let offset = 0
  let firstBlock = true
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      if (!firstBlock) {
        parts.push(BLOCK_SEPARATOR)
        offset += BLOCK_SEPARATOR.length
      }
      firstBlock = false
      return true
    }
    if (node.isText) {
      const text = node.text ?? ''
      const length = countCodePoints(text)
      segments.push({ offset, length, pos, text })
      parts.push(text)
      offset += length
      return false
    }
    if (node.type.name === 'hardBreak') {
      segments.push({ offset, length: 1, pos, text: null })
      parts.push('\n')
      offset += 1
      return false
    }
    return true
  })
  return { text: parts.join(''), length: offset, segments }
}

function positionInSegment(seg: Segment, offset: number): number {
  const k = offset - seg.offset
  if (seg.text === null) return seg.pos + k
  return seg.pos + measureUnits(seg.text, k)
}

/**
 * ProseMirror positions of the code-point range [start, end) of the projection, or null when the range is empty,
 * out of bounds, or covers only block separators. A bound inside a separator moves inward (start to the next block,
 * end to the end of the previous one), so a highlight never spans the gap between blocks at its edges.
 */
export function mapRangeToPositions(projection: TextProjection, start: number, end: number): { from: number; to: number } | null {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > projection.length || start >= end) return null
  const segs = projection.segments
  let from: number | null = null
  for (const seg of segs) {
    if (seg.offset + seg.length > start) {
      from = start >= seg.offset ? positionInSegment(seg, start) : seg.offset < end ? seg.pos : null
      break
    }
  }
  let to: number | null = null
  for (let i = segs.length - 1; i >= 0; i--) {
    const seg = segs[i] as Segment
    if (end > seg.offset) {
      to =
        end <= seg.offset + seg.length
          ? positionInSegment(seg, end)
          : seg.offset + seg.length > start
            ? positionInSegment(seg, seg.offset + seg.length)
            : null
      break
    }
  }
  if (from === null || to === null || from >= to) return null
  return { from, to }
}

/**
 * The projection offset (code points) of a ProseMirror position. A position between blocks (or inside an empty one)
 * maps to the start of the next text when `side` is 'start', to the end of the previous text when 'end'.
 */
export function mapPositionToOffset(projection: TextProjection, pos: number, side: 'start' | 'end'): number {
  const segs = projection.segments
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as Segment
    const width = seg.text === null ? 1 : seg.text.length
    if (pos >= seg.pos && pos <= seg.pos + width) {
      if (seg.text === null) return seg.offset + (pos - seg.pos)
      return seg.offset + countCodePoints(seg.text.slice(0, pos - seg.pos))
    }
    if (pos < seg.pos) {
      if (side === 'start') return seg.offset
      const prev = segs[i - 1]
      return prev ? prev.offset + prev.length : 0
    }
  }
  const last = segs[segs.length - 1]
  return last ? last.offset + last.length : 0
}
