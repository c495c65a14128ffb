// Shared (renderer and main): code-point indexing of a plain-text projection, so annotation positions count Unicode
// code points as the W3C Web Annotation model requires, while searches still run on fast one-unit-per-character strings.

/** Number of Unicode code points in `s` (a lone surrogate counts as one, like `Array.from`). */
export function countCodePoints(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

/** `s` sliced by code-point indices [start, end); indices are clamped like `String.prototype.slice`. */
export function sliceCodePoints(s: string, start: number, end: number): string {
  return Array.from(s).slice(start, end).join('')
}

const SURROGATES = /[\uD800-\uDFFF]/
// Astral code points (and lone surrogates) are given single stand-in units from the surrogate block, which then never
// occurs in a mapped string otherwise. 2,048 distinct astral characters in one text is far beyond real letters.
const SLOT_FIRST = 0xd800
const SLOT_COUNT = 0x800

/**
 * A text with its code-point index. `units` holds exactly one UTF-16 unit per code point, so string search on it
 * (indexOf, approx-string-match) works in code-point positions. The mapping is injective up to 2,048 distinct astral
 * code points; beyond that `lossy` is set and callers verify matches against the original text.
 */
export class CodePointText {
  readonly text: string
  readonly units: string
  /** Number of code points. */
  readonly length: number
  private readonly offsets: Uint32Array | null
  private readonly slots = new Map<number, number>()
  private lossyFlag = false

  constructor(text: string) {
    this.text = text
    if (!SURROGATES.test(text)) {
      // The common case (Latin, Cyrillic, decomposed marks): code points are code units already.
      this.units = text
      this.length = text.length
      this.offsets = null
      return
    }
    const offsets: number[] = []
    const codes: number[] = []
    let i = 0
    while (i < text.length) {
      const cp = text.codePointAt(i) as number
      offsets.push(i)
      codes.push(this.mapCodePoint(cp))
      i += cp > 0xffff ? 2 : 1
    }
    offsets.push(text.length)
    this.offsets = Uint32Array.from(offsets)
    this.length = codes.length
    this.units = joinUnits(codes)
  }

  /** True when more than 2,048 distinct astral code points forced two of them onto one stand-in unit. */
  get lossy(): boolean {
    return this.lossyFlag
  }

  /** UTF-16 offset in `text` of code-point index `i` (0 ≤ i ≤ length). */
  offsetOf(i: number): number {
    return this.offsets === null ? i : (this.offsets[i] as number)
  }

  /** The code point at code-point index `i`, or -1 outside the text. */
  codePointAt(i: number): number {
    if (i < 0 || i >= this.length) return -1
    return this.text.codePointAt(this.offsetOf(i)) as number
  }

  /** The original text between two code-point indices. */
  slice(start: number, end: number): string {
    return this.text.slice(this.offsetOf(start), this.offsetOf(end))
  }

  /** Maps another string (a quote, a context) into this text's unit alphabet. */
  toUnits(s: string): string {
    if (!SURROGATES.test(s)) return s
    const codes: number[] = []
    for (const ch of s) codes.push(this.mapCodePoint(ch.codePointAt(0) as number))
    return joinUnits(codes)
  }

  private mapCodePoint(cp: number): number {
    if (cp < 0xd800 || (cp > 0xdfff && cp <= 0xffff)) return cp
    const known = this.slots.get(cp)
    if (known !== undefined) return known
    if (this.slots.size >= SLOT_COUNT) {
      this.lossyFlag = true
      return SLOT_FIRST + SLOT_COUNT - 1
    }
    const slot = SLOT_FIRST + this.slots.size
    this.slots.set(cp, slot)
    return slot
  }
}

function joinUnits(codes: number[]): string {
  // Chunked so a 200 KB text does not exceed the engine's argument limit.
  let out = ''
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.slice(i, i + 8192))
  return out
}

const MARK = /^[\p{M}\p{Emoji_Modifier}]$/u
const ZWJ = 0x200d

/**
 * True when a boundary before code-point index `i` would split a user-perceived character: a combining mark
 * (é as e + U+0301, й as и + U+0306), an emoji modifier, or either side of a zero-width joiner.
 */
export function isInsideCluster(t: CodePointText, i: number): boolean {
  if (i <= 0 || i >= t.length) return false
  const cp = t.codePointAt(i)
  if (cp === ZWJ || t.codePointAt(i - 1) === ZWJ) return true
  return MARK.test(String.fromCodePoint(cp))
}
