// Core test (Node): the query parser (folding, quoting, caps) and snippet building on original text, without a vault.
import { describe, expect, it } from 'vitest'
import { foldForSearch } from '../../../shared/text/fold'
import { foldTextCached } from '../../../electron/core/search/foldCache'
import { buildSnippet, findMarks } from '../../../electron/core/search/highlight'
import { buildExclusionExpression, buildMatchExpression, MAX_QUERY_TERMS, parseSearchQuery } from '../../../electron/core/search/query'

describe('parseSearchQuery / buildMatchExpression', () => {
  it('folds terms and quotes every one of them as an FTS5 string', () => {
    const terms = parseSearchQuery('Støre -"Jonas Gahr" Lubin* Kara-Murza')
    expect(terms).toEqual([
      { tokens: ['store'], prefix: false, negated: false },
      { tokens: ['ionas', 'hahr'], prefix: false, negated: true },
      { tokens: ['lubin'], prefix: true, negated: false },
      { tokens: ['kara', 'murza'], prefix: false, negated: false },
    ])
    expect(buildMatchExpression(terms)).toBe('(("store" AND "lubin" * AND "kara murza") NOT "ionas hahr")')
    expect(buildExclusionExpression(terms)).toBe('"ionas hahr"')
  })

  it('turns FTS5 syntax into plain words or nothing', () => {
    // Punctuation only separates tokens: "NEAR(a" is the phrase "near a", "col:x" the phrase "col ks" (x folds to ks).
    expect(parseSearchQuery('NEAR(a b) col:x ^y {t}: z')).toEqual(
      ['near a', 'b', 'col ks', 'i', 't', 'z'].map((w) => ({ tokens: w.split(' '), prefix: false, negated: false })),
    )
    for (const q of ['"', '*', ')', '-', '- -', '""*', '\u0000']) expect(parseSearchQuery(q)).toEqual([])
    expect(buildMatchExpression([])).toBeNull()
    expect(buildMatchExpression(parseSearchQuery('-only'))).toBeNull()
  })

  it('caps the number of terms and cuts long queries on a word boundary', () => {
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')
    expect(parseSearchQuery(many)).toHaveLength(MAX_QUERY_TERMS)
    const long = `${'x '.repeat(2047)}abcdefgh`
    expect(parseSearchQuery(long).map((t) => t.tokens[0])).toEqual(['ks'])
    expect(parseSearchQuery('dup dup DUP')).toHaveLength(1)
  })
})

describe('folding for the index', () => {
  it('folds chunk by chunk to exactly what foldForSearch gives for the whole text', () => {
    const text = "Алесь Бяляцкі, Łukaszenka i  Støre's\tм'ясо — O'Brien (Zelenskyy) «Навальный»!\n½ ﬁne"
    expect(foldTextCached(text)).toBe(foldForSearch(text))
  })
})

describe('snippets mark original words', () => {
  const terms = (q: string) => parseSearchQuery(q).filter((t) => !t.negated)

  it('marks phrases, prefixes and words written in another script', () => {
    const text = "Встреча с Ales Bialiatski и Алесем Бяляцкім; O'Brien's report on м'ясо"
    const marks = findMarks(text, terms('"ales bialiatski" Bialiatskim obrien* miaso'))
    expect(marks.map(([a, b]) => text.slice(a, b))).toEqual(['Ales Bialiatski', 'Бяляцкім', "O'Brien's", "м'ясо"])
  })

  it('cuts a window around the densest marks with ellipses and collapsed whitespace', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(40)
    const text = `${filler}Støre\n\n met   Лубінець in Oslo. ${filler}`
    const snippet = buildSnippet(text, terms('Stoere Lubinets'))
    expect(snippet.text.startsWith('…')).toBe(true)
    expect(snippet.text.endsWith('…')).toBe(true)
    expect(snippet.text.length).toBeLessThanOrEqual(245)
    expect(snippet.text).toContain('Støre met Лубінець in Oslo.')
    expect(snippet.marks.map(([a, b]) => snippet.text.slice(a, b))).toEqual(['Støre', 'Лубінець'])
  })

  it('starts at the beginning with no marks when nothing matches, and keeps short texts whole', () => {
    expect(buildSnippet('Short  note.', terms('absent'))).toEqual({ text: 'Short note.', marks: [] })
    expect(buildSnippet('', terms('x'))).toEqual({ text: '', marks: [] })
  })
})
