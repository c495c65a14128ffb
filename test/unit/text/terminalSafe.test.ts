// Unit tests (pure): shared/text/terminalSafe — what reaches a terminal from outside text has no control, bidi or
// invisible format character left (each shown visibly instead), keeps every script's letters and joiners, and the
// JSON form stays exact JSON.
import { describe, expect, it } from 'vitest'
import { toTerminalSafe, toTerminalSafeJson } from '../../../shared/text/terminalSafe'

const ESC = '\u001b'
/** The name the issue reports: erases the line, goes to column 1 and claims to be verified. */
const SPOOF = `Evil${ESC}[2K${ESC}[1GTrusted Org\tAAAA\tverified contact`
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c']
const INVISIBLE = ['\u200b', '\u2060', '\ufeff', '\u2061', '\ufff9', '\u{e0041}', '\u{e007f}']
/** Every character that must never reach a terminal raw (besides LF and tab in block layout). */
const UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]|[\u{e0000}-\u{e007f}]/u

describe('toTerminalSafe', () => {
  it('shows C0 controls as Control Pictures and DEL as ␡, so an escape sequence prints as text', () => {
    expect(toTerminalSafe(SPOOF)).toBe('Evil␛[2K␛[1GTrusted Org AAAA verified contact')
    expect(toTerminalSafe('\u0000\u0007\u0008\u007f')).toBe('␀␇␈␡')
  })

  it('replaces C1 controls, bidi overrides, isolates and marks, and invisible format characters with U+FFFD', () => {
    expect(toTerminalSafe('a\u009b31mb\u0085c')).toBe('a\ufffd31mb c')
    for (const char of [...BIDI, ...INVISIBLE]) expect(toTerminalSafe(`x${char}y`), char.codePointAt(0)!.toString(16)).toBe('x\ufffdy')
    // The "Trojan Source" reordering: an RLO makes "cod.exe" read as "exe.doc".
    expect(toTerminalSafe('report\u202ecod.exe')).toBe('report\ufffdcod.exe')
    expect(toTerminalSafe('\ud800 lone')).toBe('\ufffd lone')
  })

  it('keeps every script, the joiners Persian, Indic scripts and emoji need, and the soft hyphen', () => {
    const text = 'Лубінець · می\u200cخواهم · क्\u200dष · 👩\u200d⚖\ufe0f · Menneske\u00adrettigheter · مرحبا · שלום · 東京'
    expect(toTerminalSafe(text)).toBe(text)
  })

  it('line layout: every run of tabs and line breaks becomes one space, so a field stays in its column and line', () => {
    expect(toTerminalSafe('a\tb\r\n\nc\u000bd\u000ce\u2028f\u2029g\u0085h')).toBe('a b c d e f g h')
  })

  it('block layout: LF and tab stay, CRLF and U+2028/9 become LF, a lone CR (overwrites the line) becomes ␍', () => {
    expect(toTerminalSafe('one\ttwo\r\nthree\u2028four\rfive', 'block')).toBe('one\ttwo\nthree\nfour␍five')
    expect(toTerminalSafe(`${ESC}]0;title${ESC}\\ and \u202e`, 'block')).toBe('␛]0;title␛\\ and \ufffd')
  })

  it('is idempotent and leaves nothing unsafe in either layout, for any code point', () => {
    let all = ''
    for (let cp = 0; cp < 0x3000; cp++) all += String.fromCodePoint(cp)
    all += '\ufeff\ufff9\ufffa\ufffb\u{e0001}\u{e0020}\u{e007f}'
    for (const layout of ['line', 'block'] as const) {
      const once = toTerminalSafe(all, layout)
      expect(once).not.toMatch(UNSAFE)
      expect(toTerminalSafe(once, layout)).toBe(once)
    }
  })
})

describe('toTerminalSafeJson', () => {
  it('is exact JSON: parsing gives back the very same strings, escapes included', () => {
    const value = { title: `${SPOOF}\u202e\u2066x\u2069\u200f\u0085\u009b\u007f\u2028\u{e0041}`, n: 1, list: ['Лубінець', 'می\u200cخواهم'] }
    const json = toTerminalSafeJson(value, 2)
    expect(JSON.parse(json)).toEqual(value)
    expect(json).not.toMatch(UNSAFE)
    expect(json).toContain('\\u202e')
    expect(json).toContain('\\u001b')
    expect(json).toContain('\\udb40\\udc41')
    expect(json).toContain('می\u200cخواهم')
  })

  it('keeps JSON.stringify’s layout (indentation line feeds) and matches it when nothing needs escaping', () => {
    const value = { a: [1, 'two'], b: { c: null } }
    expect(toTerminalSafeJson(value, 2)).toBe(JSON.stringify(value, null, 2))
    expect(toTerminalSafeJson(value)).toBe(JSON.stringify(value))
  })

  it('refuses a value without a JSON form', () => {
    expect(() => toTerminalSafeJson(undefined)).toThrow(TypeError)
  })
})
