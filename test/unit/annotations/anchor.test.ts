// Test (Node, core project): re-anchoring of annotation selectors after the text was edited, case by case.
import search from 'approx-string-match'
import { describe, expect, it } from 'vitest'
import { describeSelection, reanchor, reanchorAll, type AnchorResult } from '../../../shared/annotations/anchor'
import { countCodePoints, sliceCodePoints } from '../../../shared/annotations/codePoints'
import { CustodiaError } from '../../../shared/errors'

const LETTER = [
  'Dear Ms Okafor,',
  '',
  'We write on behalf of Mr Yusuf Haddad, who was arrested at his home on 3 March by uniformed officers. ' +
    'His family received no notice of the arrest and has not been told where he is held.',
  '',
  'On 9 March he was transferred to the detention facility at Camp Delta without access to a lawyer. ' +
    'Witnesses report that he was questioned for several days and denied medical care for a heart condition.',
  '',
  'We ask the authorities to disclose his whereabouts, allow family visits and bring him before a judge without delay.',
  '',
  'Yours sincerely,',
  'Legal Aid Desk',
].join('\n')

/** Selectors for the `occurrence`-th copy of `quote` in `text` (code-point positions). */
function select(text: string, quote: string, occurrence = 0, contextLength?: number) {
  let at = -1
  for (let k = 0; k <= occurrence; k++) {
    at = text.indexOf(quote, at + 1)
    if (at === -1) throw new Error('test setup: quote not in text')
  }
  const start = countCodePoints(text.slice(0, at))
  const opts = contextLength === undefined ? {} : { contextLength }
  return describeSelection(text, start, start + countCodePoints(quote), opts)
}

function anchoredText(text: string, r: AnchorResult): string {
  if (r.status === 'orphaned') throw new Error(`expected an anchor, got orphaned`)
  return sliceCodePoints(text, r.start, r.end)
}

function codePointIndexOf(text: string, quote: string, from = 0): number {
  const at = text.indexOf(quote, from)
  return at === -1 ? -1 : countCodePoints(text.slice(0, at))
}

const PASSAGE = 'transferred to the detention facility at Camp Delta without access to a lawyer'

describe('describeSelection', () => {
  it('records the quote, 32 code points of context on each side and the position', () => {
    const s = select(LETTER, PASSAGE)
    expect(s.quote.exact).toBe(PASSAGE)
    expect(s.quote.prefix).toBe(LETTER.slice(LETTER.indexOf(PASSAGE) - 32, LETTER.indexOf(PASSAGE)))
    expect(countCodePoints(s.quote.suffix)).toBe(32)
    expect(s.position.end - s.position.start).toBe(countCodePoints(PASSAGE))
  })

  it('clips context at the edges of the text and honours contextLength', () => {
    const s = describeSelection('abcdef', 0, 2, { contextLength: 3 })
    expect(s.quote).toEqual({ type: 'TextQuoteSelector', exact: 'ab', prefix: '', suffix: 'cde' })
  })

  it('counts astral characters and combining marks as single code points', () => {
    const text = '📎 Note: и\u0306 🇺🇦 done'
    const s = describeSelection(text, 9, 14)
    // 📎=1, space, N,o,t,e,:, space = 8 → index 8 is 'и', 9 is U+0306
    expect(s.quote.exact).toBe('\u0306 🇺🇦 ')
    expect(s.position).toEqual({ type: 'TextPositionSelector', start: 9, end: 14 })
  })

  it('rejects empty, reversed, fractional and out-of-range selections', () => {
    const bad: [number, number][] = [
      [3, 3],
      [4, 2],
      [0.5, 2],
      [-1, 2],
      [0, 999],
    ]
    for (const [a, b] of bad) {
      expect(() => describeSelection('some text', a, b)).toThrow(CustodiaError)
    }
    expect(() => describeSelection('some text', 0, 2, { contextLength: -1 })).toThrow(/contextLength/)
  })
})

describe('reanchor: exact and relocated', () => {
  const stored = select(LETTER, PASSAGE)

  it('finds an unchanged passage exactly where it was', () => {
    expect(reanchor(LETTER, stored)).toEqual({
      status: 'exact',
      start: stored.position.start,
      end: stored.position.end,
      score: 1,
    })
  })

  it('relocates after an insertion before the passage', () => {
    const edited = LETTER.replace('We write on behalf', 'Further to our call, we write on behalf')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('relocated')
    expect(anchoredText(edited, r)).toBe(PASSAGE)
    expect(r.status !== 'orphaned' && r.start).toBe(stored.position.start + 'Further to our call, we'.length - 2)
  })

  it('relocates after a deletion before the passage', () => {
    const edited = LETTER.replace(' by uniformed officers', '')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('relocated')
    expect(anchoredText(edited, r)).toBe(PASSAGE)
  })

  it('stays exact after insertions and deletions after the passage', () => {
    const edited = LETTER.replace('We ask the authorities', 'We therefore urgently ask the authorities').replace('Yours sincerely,\n', '')
    expect(reanchor(edited, stored)).toMatchObject({ status: 'exact', start: stored.position.start })
  })

  it('follows a passage moved to another paragraph', () => {
    const sentence = 'On 9 March he was ' + PASSAGE + '. '
    const edited = LETTER.replace(sentence, '').replace('Yours sincerely,', sentence + '\n\nYours sincerely,')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('relocated')
    expect(anchoredText(edited, r)).toBe(PASSAGE)
    expect(r.status !== 'orphaned' && r.start).toBe(codePointIndexOf(edited, PASSAGE))
  })

  it('relocates when text is inserted right against both ends of the passage', () => {
    const edited = LETTER.replace(PASSAGE, '(allegedly) ' + PASSAGE + ' or family')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('relocated')
    expect(anchoredText(edited, r)).toBe(PASSAGE)
  })

  it('relocates a passage at the very start after a heading is inserted', () => {
    const s = select(LETTER, 'Dear Ms Okafor')
    const edited = 'URGENT — detention case\n\n' + LETTER
    const r = reanchor(edited, s)
    expect(r).toMatchObject({ status: 'relocated', start: 25 })
    expect(anchoredText(edited, r)).toBe('Dear Ms Okafor')
  })

  it('keeps a passage at the very end exact when text is appended', () => {
    const s = select(LETTER, 'Legal Aid Desk')
    expect(reanchor(LETTER + '\nTel. +44 20 0000 0000', s)).toMatchObject({ status: 'exact' })
  })

  it('treats a position inconsistent with the quote as a hint only', () => {
    const s = select(LETTER, PASSAGE)
    const r = reanchor(LETTER, { ...s, position: { ...s.position, end: s.position.end + 5 } })
    expect(r).toMatchObject({ status: 'relocated', start: s.position.start })
  })

  it('ignores whitespace-only changes outside the passage', () => {
    const edited = LETTER.replace('On 9 March he was', 'On  9 March\n he  was').replace('. Witnesses', '.\n\n   Witnesses')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('relocated')
    expect(anchoredText(edited, r)).toBe(PASSAGE)
  })
})

describe('reanchor: repeated passages', () => {
  const REPEATED =
    'Visit of 2 May: the guard refused entry to the lawyer without explanation. The family waited outside.\n' +
    'Visit of 9 May: the guard refused entry to the lawyer without explanation. The doctor was also turned away.\n'
  const QUOTE = 'the guard refused entry to the lawyer'

  it('anchors each copy to its own occurrence', () => {
    for (const k of [0, 1]) {
      const s = select(REPEATED, QUOTE, k)
      expect(reanchor(REPEATED, s)).toMatchObject({ status: 'exact', start: codePointIndexOf(REPEATED, QUOTE, k ? 60 : 0) })
    }
  })

  it('uses prefix and suffix to pick the right copy after an edit shifts both', () => {
    const edited = 'Summary prepared for counsel.\n\n' + REPEATED.replace('Visit of 2 May', 'First visit, 2 May')
    const second = reanchor(edited, select(REPEATED, QUOTE, 1))
    expect(second.status).toBe('relocated')
    expect(second.status !== 'orphaned' && second.start).toBe(codePointIndexOf(edited, QUOTE, edited.indexOf('9 May')))
    const first = reanchor(edited, select(REPEATED, QUOTE, 0))
    expect(first.status !== 'orphaned' && first.start).toBe(codePointIndexOf(edited, QUOTE))
  })

  it('moves off the stored position when an edit slid the other copy onto it and both contexts disagree', () => {
    const quote = 'SIGNED BY THE OFFICER ON DUTY'
    const text = `alpha beta gamma. ${quote}. delta epsilon zeta. ${quote}. eta theta iota`
    const s = select(text, quote, 1, 12)
    // Insert exactly the distance between the copies: the first copy now sits at the second one's old position.
    const gap = text.lastIndexOf(quote) - text.indexOf(quote)
    const edited = '#'.repeat(gap) + text
    expect(sliceCodePoints(edited, s.position.start, s.position.end)).toBe(quote)
    expect(reanchor(edited, s)).toMatchObject({ status: 'relocated', start: s.position.start + gap })
  })

  it('falls back to nearness when copies have identical context', () => {
    const line = 'Item checked: yes.\n'
    const text = line.repeat(8)
    const s = select(text, 'yes', 5)
    // A shift shorter than half a line: the nearest identical copy is the annotated one.
    const edited = 'Ref 7\n' + text
    expect(reanchor(edited, s)).toMatchObject({ status: 'relocated', start: s.position.start + 6 })
  })
})

describe('reanchor: fuzzy and orphaned', () => {
  const stored = select(LETTER, PASSAGE)

  it('follows a word inserted inside the passage (fuzzy)', () => {
    const edited = LETTER.replace('Camp Delta without', 'Camp Delta, a military base, without')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('fuzzy')
    expect(anchoredText(edited, r)).toBe(PASSAGE.replace('Camp Delta without', 'Camp Delta, a military base, without'))
  })

  it('follows words deleted inside the passage (fuzzy)', () => {
    const edited = LETTER.replace('the detention facility', 'the facility')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('fuzzy')
    expect(anchoredText(edited, r)).toBe(PASSAGE.replace('detention ', ''))
  })

  it('follows a slightly edited passage and scores it below an exact match', () => {
    const edited = LETTER.replace('Camp Delta without access to a lawyer', 'Camp Delta, without access to any lawyer')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('fuzzy')
    expect(anchoredText(edited, r)).toBe('transferred to the detention facility at Camp Delta, without access to any lawyer')
    expect(r.status === 'fuzzy' && r.score).toBeGreaterThan(0.65)
    expect(r.status === 'fuzzy' && r.score).toBeLessThan(1)
  })

  it('takes whitespace-only reflow inside the passage as a fuzzy match of the whole passage', () => {
    const edited = LETTER.replace('facility at Camp Delta without', 'facility at\nCamp  Delta\nwithout')
    const r = reanchor(edited, stored)
    expect(r.status).toBe('fuzzy')
    expect(anchoredText(edited, r)).toBe(PASSAGE.replace('facility at Camp Delta without', 'facility at\nCamp  Delta\nwithout'))
  })

  it('orphans a deleted passage and keeps its quote', () => {
    const edited = LETTER.replace('On 9 March he was ' + PASSAGE + '. ', '')
    expect(reanchor(edited, stored)).toEqual({ status: 'orphaned', quote: PASSAGE })
  })

  it('orphans a heavily rewritten passage instead of moving it to a similar sentence elsewhere', () => {
    const decoy = 'Transferred to the detention facility at Camp Bravo without access to a doctor'
    const rewritten = LETTER.replace(
      PASSAGE,
      'moved, according to his cousin, to an unknown site where no lawyer has been allowed to see him',
    ).replace('Yours sincerely,', `Annex: ${decoy}, as also reported in 2019.\n\nYours sincerely,`)
    // The trap is real: by its words alone, the decoy is within the 25% edit budget.
    const words = search(rewritten, PASSAGE, Math.floor(PASSAGE.length / 4))
    expect(words.length).toBeGreaterThan(0)
    expect(rewritten.slice(words[0]?.start, words[0]?.end)).toContain('Camp Bravo')
    expect(reanchor(rewritten, stored)).toEqual({ status: 'orphaned', quote: PASSAGE })
  })

  it('does not fuzzily match very short quotes', () => {
    const s = select(LETTER, 'Mr', 0)
    expect(reanchor(LETTER.replace(/Mr /g, 'Mx '), s)).toEqual({ status: 'orphaned', quote: 'Mr' })
  })

  it('orphans everything in an empty document', () => {
    expect(reanchor('', stored)).toEqual({ status: 'orphaned', quote: PASSAGE })
  })
})

describe('reanchor: scripts, marks and astral characters', () => {
  const RU =
    'Уважаемый господин прокурор!\nПрошу сообщить, где содержится мой сын Алексей Петров, задержанный 12 мая на вокзале. ' +
    'С тех пор семья не получила от него ни одного письма.'

  it('relocates and fuzzily follows Cyrillic passages', () => {
    const quote = 'задержанный 12 мая на вокзале'
    const s = select(RU, quote)
    const shifted = RU.replace('Прошу сообщить', 'Настоящим прошу срочно сообщить')
    expect(anchoredText(shifted, reanchor(shifted, s))).toBe(quote)
    const edited = RU.replace('12 мая на вокзале', '12-го мая на вокзале')
    const r = reanchor(edited, s)
    expect(r.status).toBe('fuzzy')
    expect(anchoredText(edited, r)).toBe('задержанный 12-го мая на вокзале')
    // Rewritten beyond the 25% budget: orphaned, quote kept.
    const rewritten = RU.replace('задержанный 12 мая на вокзале', 'которого увезли неизвестные люди')
    expect(reanchor(rewritten, s)).toEqual({ status: 'orphaned', quote })
  })

  it('counts a decomposed й (и + U+0306) and é (e + U+0301) as two code points each', () => {
    const text = 'Адвокат и\u0306 клиент встретились в cafe\u0301 у вокзала; разговор записан.'
    const s = select(text, 'разговор записан')
    // No astral characters here, so code points are UTF-16 units: each mark counts as one.
    expect(s.position.start).toBe(text.indexOf('разговор'))
    const note = 'Пометка: и\u0306 e\u0301 '
    expect(countCodePoints(note)).toBe(15)
    const edited = note + text
    const r = reanchor(edited, s)
    expect(r).toMatchObject({ status: 'relocated', start: s.position.start + 15 })
    expect(anchoredText(edited, r)).toBe('разговор записан')
  })

  it('widens a fuzzy match to keep a combining mark with its base letter', () => {
    const text = 'They met at the cafe near the station on Monday.'
    const s = select(text, 'met at the cafe')
    // Accent added as a combining mark: "cafe" is still there, but only as part of "café".
    const edited = text.replace('cafe', 'cafe\u0301')
    const r = reanchor(edited, s)
    expect(r.status).toBe('fuzzy')
    expect(anchoredText(edited, r)).toBe('met at the cafe\u0301')
  })

  it('widens a fuzzy match to keep a zero-width-joiner emoji sequence whole', () => {
    const text = 'Signal from 👩 💻 team: the list is ready.'
    const s = select(text, '💻 team: the list')
    const edited = text.replace('👩 💻', '👩\u200d💻')
    const r = reanchor(edited, s)
    expect(r.status).toBe('fuzzy')
    expect(anchoredText(edited, r)).toBe('👩\u200d💻 team: the list')
  })

  it('counts emoji and flags inserted before the passage as code points', () => {
    const s = select(LETTER, PASSAGE)
    const edited = '📎🇺🇦👩🏽‍⚖️ ' + LETTER
    const inserted = Array.from('📎🇺🇦👩🏽‍⚖️ ').length
    const r = reanchor(edited, s)
    expect(r).toMatchObject({ status: 'relocated', start: s.position.start + inserted })
    expect(anchoredText(edited, r)).toBe(PASSAGE)
  })

  it('anchors a passage that itself contains astral characters', () => {
    const text = 'Message received 🔒 encrypted 📨 at 10:00, forwarded to counsel.'
    const s = select(text, '🔒 encrypted 📨 at 10:00')
    expect(s.position.end - s.position.start).toBe(22)
    const edited = text.replace('Message', 'Secure message')
    expect(reanchor(edited, s)).toMatchObject({ status: 'relocated', start: s.position.start + 7, end: s.position.end + 7 })
  })
})

describe('reanchorAll', () => {
  it('returns results in input order with each annotation handled by the right stage', () => {
    const quotes = ['Dear Ms Okafor', PASSAGE, 'denied medical care for a heart condition', 'bring him before a judge']
    const stored = quotes.map((q) => select(LETTER, q))
    const edited = LETTER.replace('Dear Ms Okafor,', 'Dear Ms Okafor,\n\nRe: case 2024/118')
      .replace('a heart condition', 'a serious heart condition')
      .replace('We ask the authorities to disclose his whereabouts, allow family visits and bring him before a judge without delay.', '')
    const results = reanchorAll(edited, stored)
    expect(results.map((r) => r.status)).toEqual(['exact', 'relocated', 'fuzzy', 'orphaned'])
    expect(anchoredText(edited, results[1] as AnchorResult)).toBe(PASSAGE)
    expect(anchoredText(edited, results[2] as AnchorResult)).toBe('denied medical care for a serious heart condition')
  })

  it('keeps identical-context annotations on their own copies by following the shift of their neighbours', () => {
    const text = 'Roll call, block C, 4 June\n' + 'Check: present.\n'.repeat(30)
    const stored = [select(text, 'Roll call, block C'), ...[3, 17, 28].map((k) => select(text, 'present', k))]
    // Ten lines' worth inserted at the top: alone, each "present" would snap to the nearest copy, ten lines off.
    const inserted = 'Report of the visiting delegation, prepared on 5 June for counsel; annex 2 lists the detainees.\n\n'
    expect(inserted.length).toBeGreaterThan(16 * 5)
    const edited = inserted + text
    const results = reanchorAll(edited, stored)
    results.forEach((r, i) => expect(r).toMatchObject({ status: 'relocated', start: (stored[i]?.position.start ?? 0) + inserted.length }))
    // The same annotation on its own has no neighbour to learn the shift from.
    expect(reanchor(edited, stored[2] as (typeof stored)[number])).not.toMatchObject({
      start: (stored[2]?.position.start ?? 0) + inserted.length,
    })
  })

  it('rejects malformed selectors naming the index, before anchoring anything', () => {
    const good = select(LETTER, PASSAGE)
    const bad = { ...good, position: { type: 'TextPositionSelector' as const, start: 10, end: 2 } }
    expect(() => reanchorAll(LETTER, [good, bad])).toThrow(/annotation 1: position start is after its end/)
    const empty = { ...good, quote: { ...good.quote, exact: '' } }
    expect(() => reanchor(LETTER, empty)).toThrow(/quote is empty/)
    expect(() => reanchor(LETTER, { quote: good.quote } as never)).toThrow(CustodiaError)
    expect(() => reanchor(LETTER, good, { maxErrorRatio: 0.9 })).toThrow(/maxErrorRatio/)
    expect(() => reanchor(LETTER, good, { minFuzzyScore: Number.NaN })).toThrow(/minFuzzyScore/)
  })

  it('never puts plaintext in a validation message', () => {
    const good = select(LETTER, PASSAGE)
    try {
      reanchorAll(LETTER, [{ ...good, position: { ...good.position, start: -4 } }])
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(CustodiaError)
      expect((e as CustodiaError).code).toBe('VALIDATION')
      expect((e as Error).message).not.toContain('Camp')
    }
  })
})
