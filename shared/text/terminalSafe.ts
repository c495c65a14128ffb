// Shared (pure; the CLI prints with it): text that came from outside — a partner's bundle, a record, a contact, a
// file — made safe to print on a terminal, so it cannot move the cursor, clear a line, recolour, retitle the window or
// reorder what follows it. Example: a bundle signed by "ESC[2K ESC[1G Trusted Org … verified contact" used to erase
// the line and hide the "UNKNOWN signer" warning printed after the name.
//
// What is replaced, and by what:
//   C0 controls U+0000–U+001F   → the Control Pictures U+2400–U+241F (ESC shows as ␛, BEL as ␇): visible, one cell
//   DEL U+007F                  → ␡ (U+2421)
//   C1 controls U+0080–U+009F   → U+FFFD (8-bit CSI U+009B and OSC U+009D start sequences on some terminals)
//   format characters (\p{Cf}) → U+FFFD: the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
//     that reorder the rest of a line ("Trojan Source", CVE-2021-42574); the marks U+200E, U+200F, U+061C; the
//     invisible ZERO WIDTH SPACE U+200B, WORD JOINER U+2060, U+FEFF; the tag characters U+E0000–U+E007F that
//     carry hidden ASCII ("ASCII smuggling"); interlinear annotation marks U+FFF9–U+FFFB; and every format character
//     Unicode adds later
//   lone surrogates (\p{Cs})   → U+FFFD (Node would write them as U+FFFD anyway)
// Kept, although they are format characters: ZERO WIDTH NON-JOINER U+200C and ZERO WIDTH JOINER U+200D, which Persian,
// Kurdish, the Indic scripts and emoji sequences need to be spelled right and which can neither reorder nor hide
// text; and SOFT HYPHEN U+00AD, common in text from word processors (Norwegian, German) and harmless on a terminal.
// The price: a name or title that really contains an LRM/RLM (some right-to-left input methods add them) shows a
// U+FFFD where the mark was; `--json` output keeps every character exactly (toTerminalSafeJson).

/** Every character this module looks at: controls, format characters, surrogates, line and paragraph separators. */
const SUSPECT = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu
/** Format characters that scripts need, which cannot reorder or hide text: left as they are. */
const KEPT = new Set(['\u00ad', '\u200c', '\u200d'])
/** Line breaks, tabs and the other white-space controls that a one-line field turns into a single space. */
const LINE_SPACE = /[\t\n\v\f\r\u0085\u2028\u2029]+/g

function toVisible(char: string): string {
  const code = char.codePointAt(0)!
  if (code < 0x20) return String.fromCodePoint(0x2400 + code)
  if (code === 0x7f) return '\u2421'
  return '\ufffd'
}

/**
 * Returns `text` safe to print on a terminal (see the table above). Layout:
 * - 'line' (default), for one field of a one-line or tab-separated output: every run of tabs, line breaks (CR, LF,
 *   VT, FF, NEL, U+2028, U+2029) becomes one space, so the field cannot start a new line or a new column;
 * - 'block', for multi-line text (a record's body, a whole output line with our own tabs): LF and tab stay, CRLF
 *   becomes LF, U+2028/U+2029 become LF, and a lone CR (which would overwrite the line from its start) becomes ␍.
 * Idempotent: the replacements are themselves printable, so sanitising twice changes nothing more.
 */
export function toTerminalSafe(text: string, layout: 'line' | 'block' = 'line'): string {
  const spaced = layout === 'line' ? text.replace(LINE_SPACE, ' ') : text.replace(/\r\n/g, '\n').replace(/[\u2028\u2029]/g, '\n')
  return spaced.replace(SUSPECT, (char) => {
    if (KEPT.has(char)) return char
    if (layout === 'block' && (char === '\n' || char === '\t')) return char
    return toVisible(char)
  })
}

/** `\uXXXX` for each UTF-16 unit of `char` (a surrogate pair for a tag character), as JSON writes an escape. */
function toJsonEscape(char: string): string {
  let out = ''
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`
  return out
}

/**
 * JSON.stringify(value, null, indent), with every character toTerminalSafe would replace written as a `\uXXXX`
 * escape instead, so the output is exact JSON (JSON.parse gives back the very same strings) and still safe on a
 * terminal. JSON.stringify escapes the C0 controls itself, but not DEL, C1 controls, bidi overrides or U+2028/U+2029.
 * Raw line feeds in JSON.stringify's output are its indentation (inside strings it escapes them), so they stay.
 * Throws what JSON.stringify throws (a cycle, a BigInt); `value` must not be undefined or a function.
 */
export function toTerminalSafeJson(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, null, indent) as string | undefined
  if (json === undefined) throw new TypeError('toTerminalSafeJson: the value has no JSON form')
  return json.replace(SUSPECT, (char) => (KEPT.has(char) || char === '\n' ? char : toJsonEscape(char)))
}
