// Main process / CLI (core, Node only, but pure): the one rule for a file name that came from anywhere — a title, a
// recipient, a name stored in the vault or carried in a bundle — before it names a file on disk or is offered in a
// save dialog. The result is one path segment that Linux, macOS and Windows all accept and that cannot hide or
// disguise itself.

export interface SafeFileNameOptions {
  /** The longest result in UTF-8 bytes (filesystems count bytes: ext4, APFS and NTFS all allow 255). Default 255. */
  maxBytes?: number
}

const DEFAULT_MAX_BYTES = 255
/** The last resort when even the fallback given is unusable. */
const LAST_RESORT = 'file'
/** An extension kept through shortening: a dot and up to 16 characters without dots or spaces. */
const EXTENSION = /\.[^.\s]{1,16}$/

/**
 * Characters that never stay in a name, each replaced by a space:
 * - path separators and the characters Windows forbids: / \ : * ? " < > |
 * - control characters (C0, DEL, C1), which terminals and dialogs show badly or not at all
 * - bidirectional controls, which can make "evil\u202Efdp.exe" display as "evilexe.pdf"
 * - lone surrogates, which have no UTF-8 form
 */
const FORBIDDEN =
  /[/\\:*?"<>|\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Device names Windows reserves in any folder, with or without an extension ("nul.txt" is the NUL device too). */
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/**
 * `name` made safe to use as a file name, or `fallback` (made safe the same way) when nothing usable is left:
 * - Unicode NFC; forbidden characters (above) become spaces and every run of white space one space, so a name
 *   cannot be padded to push a second extension out of sight
 * - no leading dots or spaces (never a hidden file, never "." or ".."), no trailing dots or spaces (Windows drops them)
 * - a Windows device name (CON, NUL, COM1, LPT1… also as "nul.txt") gets a leading "_"
 * - at most `maxBytes` UTF-8 bytes, cut between whole characters (grapheme clusters), keeping a short extension
 * Letters of every script (Cyrillic, Norwegian æøå, …) and ordinary punctuation are kept. Idempotent.
 */
export function safeFileName(name: string, fallback: string, options: SafeFileNameOptions = {}): string {
  const maxBytes = Math.max(1, Math.floor(options.maxBytes ?? DEFAULT_MAX_BYTES))
  return cleanName(name, maxBytes) || cleanName(fallback, maxBytes) || cleanName(LAST_RESORT, maxBytes)
}

function cleanName(raw: string, maxBytes: number): string {
  const name = trimEnds(String(raw).normalize('NFC').replace(FORBIDDEN, ' ').replace(/\s+/g, ' '))
  if (name === '') return ''
  const shortened = shorten(name, maxBytes)
  if (!isWindowsReserved(shortened)) return shortened
  // Shortening again after the prefix can only cut the device name itself, which ends the match.
  return shorten(`_${shortened}`, maxBytes)
}

/** Without leading dots/spaces and trailing dots/spaces. */
function trimEnds(name: string): string {
  return name.replace(/^[. ]+/, '').replace(/[. ]+$/, '')
}

function isWindowsReserved(name: string): boolean {
  const base = name.split('.')[0] ?? ''
  return WINDOWS_RESERVED.test(base.trimEnd())
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

/** `name` within `maxBytes`, cut after a whole grapheme; a short extension is kept when the stem can spare the room. */
function shorten(name: string, maxBytes: number): string {
  if (utf8Length(name) <= maxBytes) return name
  const extension = EXTENSION.exec(name)?.[0] ?? ''
  const keepExtension = extension !== '' && extension.length < name.length && utf8Length(extension) * 2 <= maxBytes
  const stem = keepExtension ? name.slice(0, -extension.length) : name
  const tail = keepExtension ? extension : ''
  let budget = maxBytes - utf8Length(tail)
  let out = ''
  for (const { segment } of graphemes.segment(stem)) {
    const size = utf8Length(segment)
    if (size > budget) break
    out += segment
    budget -= size
  }
  out = trimEnds(out)
  if (out === '') return trimEnds(tail)
  return out + tail
}
