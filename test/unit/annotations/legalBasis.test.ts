// Test (Node, core project): the shipped legal-basis vocabulary and validation of user-edited lists.
import { describe, expect, it } from 'vitest'
import { DEFAULT_LEGAL_BASES, LegalBasisEntrySchema, findLegalBasis, parseLegalBasisList } from '../../../shared/annotations/legalBasis'
import { CustodiaError } from '../../../shared/errors'

describe('default legal bases', () => {
  it('ships every required article under a stable slug', () => {
    const required = [
      ...[13, 17, 118].map((n) => `gc3-art${n}`),
      ...[27, 31, 32, 33, 49, 76, 78, 147].map((n) => `gc4-art${n}`),
      ...[75, 85].map((n) => `ap1-art${n}`),
      ...[7, 9, 14, 19].map((n) => `iccpr-art${n}`),
      ...[3, 5, 6, 10].map((n) => `echr-art${n}`),
      ...[8, 9, 20, 38].map((n) => `crc-art${n}`),
      ...[2, 17, 24].map((n) => `icpped-art${n}`),
      'rome-art8',
    ]
    const ids = DEFAULT_LEGAL_BASES.map((e) => e.id)
    for (const id of required) expect(ids).toContain(id)
  })

  it('is well-formed, has unique ids and labels, and cannot be mutated in place', () => {
    for (const e of DEFAULT_LEGAL_BASES) {
      expect(LegalBasisEntrySchema.safeParse(e).success).toBe(true)
      expect(e.id).toBe(`${e.id.split('-')[0]}-art${e.article}`)
    }
    expect(new Set(DEFAULT_LEGAL_BASES.map((e) => e.id)).size).toBe(DEFAULT_LEGAL_BASES.length)
    expect(new Set(DEFAULT_LEGAL_BASES.map((e) => e.label)).size).toBe(DEFAULT_LEGAL_BASES.length)
    expect(() => (DEFAULT_LEGAL_BASES as unknown as { id: string }[]).push({ id: 'x' })).toThrow(TypeError)
    expect(() => {
      ;(DEFAULT_LEGAL_BASES[0] as { label: string }).label = 'changed'
    }).toThrow(TypeError)
  })

  it('finds an entry by id', () => {
    expect(findLegalBasis('gc4-art49')).toMatchObject({ label: 'GC IV art. 49', article: '49' })
    expect(findLegalBasis('gc4-art49')?.title).toMatch(/Civilian Persons in Time of War/)
    expect(findLegalBasis('rome-art8')?.heading).toBe('War crimes')
    expect(findLegalBasis('nope')).toBeUndefined()
  })
})

describe('user-edited lists', () => {
  it('accepts an edited copy and rejects duplicates and malformed ids', () => {
    const edited = [
      ...DEFAULT_LEGAL_BASES,
      { id: 'cat-art1', label: 'CAT art. 1', title: 'Convention against Torture', article: '1', heading: 'Definition of torture' },
    ]
    expect(parseLegalBasisList(edited)).toHaveLength(DEFAULT_LEGAL_BASES.length + 1)
    expect(() => parseLegalBasisList([...edited, edited[0]])).toThrow(/duplicate id/)
    expect(() => parseLegalBasisList([{ ...edited[0], id: 'GC4 Art 49' }])).toThrow(CustodiaError)
    expect(() => parseLegalBasisList('nope')).toThrow(/legal basis list/)
  })
})
