// Unit tests (Node): the one file-name rule (electron/core/platform/fs/safeFileName.ts): examples of hostile and
// ordinary names, and properties that hold for any input.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { safeFileName } from '../../../electron/core/platform/fs/safeFileName'

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8')
const isWellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)
const RESERVED = /^(?:con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i

describe('safeFileName: examples', () => {
  it('keeps ordinary names in every script as they are', () => {
    for (const name of ['Лист до омбудсмена.pdf', 'Støre – brev til Ærø og Åsane.docx', 'Бяляцкі (2024), №3.txt', 'scan 01.JPG', 'a']) {
      expect(safeFileName(name, 'file')).toBe(name)
    }
  })

  it('strips path separators, so a name can never reach another folder', () => {
    expect(safeFileName('../../etc/passwd', 'file')).toBe('etc passwd')
    expect(safeFileName('C:\\Users\\a\\reply.txt', 'file')).toBe('C Users a reply.txt')
    expect(safeFileName('/', 'attachment')).toBe('attachment')
  })

  it('replaces control, bidirectional and Windows-forbidden characters with a space, one space per run', () => {
    expect(safeFileName('a\u0007b.txt', 'file')).toBe('a b.txt')
    expect(safeFileName('line one\r\nline two', 'file')).toBe('line one line two')
    expect(safeFileName('Re: "urgent" <draft>?*|.docx', 'file')).toBe('Re urgent draft .docx')
    expect(safeFileName('invoice\u202Efdp.exe', 'file')).toBe('invoice fdp.exe')
    expect(safeFileName('report.pdf                              .exe', 'file')).toBe('report.pdf .exe')
    expect(safeFileName('lone \ud800 surrogate', 'file')).toBe('lone surrogate')
  })

  it('refuses ".", "..", hidden names and trailing dots or spaces', () => {
    expect(safeFileName('.', 'attachment')).toBe('attachment')
    expect(safeFileName('..', 'attachment')).toBe('attachment')
    expect(safeFileName('   ', 'attachment')).toBe('attachment')
    expect(safeFileName('.bashrc', 'file')).toBe('bashrc')
    expect(safeFileName('notes. . ', 'file')).toBe('notes')
    expect(safeFileName('', '')).toBe('file')
  })

  it('renames Windows device names, with or without an extension', () => {
    expect(safeFileName('CON', 'file')).toBe('_CON')
    expect(safeFileName('nul.txt', 'file')).toBe('_nul.txt')
    expect(safeFileName('com1 .tar.gz', 'file')).toBe('_com1 .tar.gz')
    expect(safeFileName('LPT¹', 'file')).toBe('_LPT¹')
    expect(safeFileName('CONSOLE.txt', 'file')).toBe('CONSOLE.txt')
    expect(safeFileName('con', 'file', { maxBytes: 3 })).toBe('_co')
  })

  it('caps the length in UTF-8 bytes without splitting a character, keeping the extension', () => {
    const ascii = safeFileName(`${'x'.repeat(400)}.pdf`, 'file')
    expect(utf8(ascii)).toBe(255)
    expect(ascii.endsWith('.pdf')).toBe(true)
    // Cyrillic letters take two bytes: 125 of them and ".pdf" make 254 bytes, a 126th would make 256.
    const cyrillic = safeFileName(`${'ж'.repeat(300)}.pdf`, 'file')
    expect(cyrillic).toBe(`${'ж'.repeat(125)}.pdf`)
    // A family emoji is one character of 25 bytes: kept whole or not at all.
    const family = '👩‍👩‍👧‍👦'
    expect(safeFileName(family.repeat(20), 'file', { maxBytes: 60 })).toBe(family.repeat(2))
    expect(safeFileName('e\u0301'.repeat(10), 'file', { maxBytes: 5 })).toBe('é'.repeat(2))
  })

  it('uses the fallback, itself made safe, when nothing is left', () => {
    expect(safeFileName('\u0000\u0001', 'letter')).toBe('letter')
    expect(safeFileName('///', '../recipient')).toBe('recipient')
  })
})

describe('safeFileName: properties', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 400 }),
    fc.string({
      unit: fc.constantFrom('.', ' ', '/', '\\', ':', '\u0000', '\u202e', 'a', 'ж', 'ø', '👩‍👧', 'e\u0301', '\ud800', 'con', 'nul'),
      maxLength: 200,
    }),
  )
  const maxBytes = fc.integer({ min: 1, max: 300 })

  it('is one usable path segment within the byte limit, whatever the input', () => {
    fc.assert(
      fc.property(anyText, anyText, maxBytes, (name, fallback, max) => {
        const out = safeFileName(name, fallback, { maxBytes: max })
        expect(out.length).toBeGreaterThan(0)
        expect(utf8(out)).toBeLessThanOrEqual(max)
        expect(isWellFormed(out)).toBe(true)
        expect(out).not.toMatch(/[/\\:*?"<>|\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
        expect(out).not.toMatch(/^[. ]|[. ]$|\s\s|[^\S ]/)
        expect(out).not.toBe('.')
        expect(out).not.toBe('..')
        expect(RESERVED.test((out.split('.')[0] ?? '').trimEnd())).toBe(false)
        expect(path.posix.basename(out)).toBe(out)
        expect(path.win32.basename(out)).toBe(out)
        expect(out.normalize('NFC')).toBe(out)
      }),
      { numRuns: 500 },
    )
  })

  it('is idempotent', () => {
    fc.assert(
      fc.property(anyText, maxBytes, (name, max) => {
        const once = safeFileName(name, 'file', { maxBytes: max })
        expect(safeFileName(once, 'other', { maxBytes: max })).toBe(once)
      }),
      { numRuns: 500 },
    )
  })

  it('leaves names of letters, digits, inner spaces and a short extension alone', () => {
    const word = fc.string({ unit: fc.constantFrom(...'abcXYZ019æøåÆØÅжїЄßéŁ'), minLength: 1, maxLength: 20 })
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '.pdf', '.docx', '.txt'), (words, extension) => {
        const name = words.join(' ') + extension
        fc.pre(!RESERVED.test(words.join(' ')))
        expect(safeFileName(name, 'file')).toBe(name)
      }),
    )
  })
})
