// Tests (core, Node): letters refuse bad input with a message that says what and where — a value over its field's
// limit under "Too long" (field and limit named), a copy list (CC) over 40 people unless confirmed — through the
// export helpers and the app's letters:export channel, writing nothing.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { assertLetterComplete } from '../../../electron/core/letters/letterExport'
import { assertNoPlaceholders, MAX_CC_ENTRIES } from '../../../electron/core/letters/letterProfile'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { validateLetterData } from '../../../electron/core/letters/render/render'
import { CustodiaError } from '../../../shared/errors'
import type { LetterTemplate } from '../../../shared/letters/templateModel'
import { isPlaceholderRefusal } from '../../../shared/organisation/profile'
import { startTestServices } from '../../helpers/appServices'
import { createTempDir } from '../../helpers/vaultTestUtils'

const { builtins } = loadLetterAssets()
const hog = builtins.find((t) => t.id === 'head-of-government-letter') as LetterTemplate
const sample = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../resources/templates/samples/head-of-government-letter.json'), 'utf8'),
) as Record<string, unknown>
const ccOf = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `Copy Person ${i + 1}`, title: 'Minister' }))

function messageOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(CustodiaError)
    expect((error as CustodiaError).code).toBe('VALIDATION')
    return (error as CustodiaError).message
  }
  throw new Error('expected a refusal')
}

describe('a value over its limit', () => {
  it('is reported under "Too long" with the field, its limit and the length, never as "not complete"', () => {
    const message = messageOf(() => assertLetterComplete(hog, { ...sample, subject: 'x'.repeat(2345) }))
    expect(message).toBe('Too long: Subject (subject) can hold at most 2,000 characters (this has 2,345).')
    expect(message).not.toContain('not complete')
  })

  it('names the part of a person or list entry that is too long, and the size of a list over its limit', () => {
    expect(messageOf(() => assertLetterComplete(hog, { ...sample, cc: [{ name: 'A', title: 't'.repeat(501) }] }))).toBe(
      'Too long: Copies to (cc) person 1: the title can hold at most 500 characters (this has 501).',
    )
    expect(messageOf(() => assertLetterComplete(hog, { ...sample, cc: ccOf(201) }))).toBe(
      'Too long: Copies to (cc) can hold at most 200 people (this has 201).',
    )
  })

  it('keeps each kind of problem under its own heading', () => {
    const { subject: _subject, ...withoutSubject } = sample
    const message = messageOf(() => assertLetterComplete(hog, { ...withoutSubject, place: 'p'.repeat(2001), letterDate: 'soon' }))
    expect(message).toBe(
      'Too long: Place (place) can hold at most 2,000 characters (this has 2,001). ' +
        'The letter is not complete: Subject (subject) is required. ' +
        'Not valid: Date (letterDate): must be a date as YYYY-MM-DD; is not a calendar date.',
    )
  })

  it('is flagged in the preview report, so the app can show it under "Too long"', () => {
    const report = validateLetterData(hog, { ...sample, subject: 'x'.repeat(2001) })
    expect(report.invalid).toEqual([{ field: 'subject', message: 'can hold at most 2,000 characters (this has 2,001)', tooLong: true }])
  })
})

describe('a long copy list', () => {
  it(`passes with ${MAX_CC_ENTRIES} people and is refused with ${MAX_CC_ENTRIES + 1}, naming the field and the count`, () => {
    expect(MAX_CC_ENTRIES).toBe(40)
    expect(() => assertNoPlaceholders(hog, { ...sample, cc: ccOf(40) }, { confirmed: true })).not.toThrow()
    const message = messageOf(() => assertNoPlaceholders(hog, { ...sample, cc: ccOf(41) }, { confirmed: true }))
    expect(message).toBe(
      "“Copies to” lists 41 people, more than 40: the copy list would push the letter's own text pages down, so shorten the list, or confirm to export anyway.",
    )
    expect(isPlaceholderRefusal(message)).toBe(true)
    expect(() => assertNoPlaceholders(hog, { ...sample, cc: ccOf(200) }, { confirmed: true, longCcConfirmed: true })).not.toThrow()
  })

  it('is named together with placeholders, so one confirmation covers what was shown', () => {
    const message = messageOf(() => assertNoPlaceholders(hog, { ...sample, cc: ccOf(50) }))
    expect(message).toMatch(/^The letterhead still says “\[Organisation name\]”.*“Copies to” lists 50 people/)
  })
})

describe('through the app', () => {
  let dir: string
  let services: AppServices
  let offered = 0
  beforeAll(async () => {
    dir = createTempDir()
    services = await startTestServices(dir, {
      chooseSaveLocation: async () => {
        offered++
        return path.join(dir, `out-${offered}.txt`)
      },
    })
  })
  afterAll(() => {
    services.session.lock('user')
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('refuses 200 CC without asking where to save, and writes the letter once confirmed', async () => {
    const request = {
      templateId: 'head-of-government-letter',
      data: { ...sample, cc: ccOf(200) },
      format: 'txt',
      confirmPlaceholders: true,
    }
    const refused = await services.dispatch('letters:export', request)
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringContaining('lists 200 people') } })
    expect(offered).toBe(0)
    const written = await services.dispatch('letters:export', { ...request, confirmLongCc: true })
    expect(written).toMatchObject({ ok: true })
    expect(fs.readFileSync(path.join(dir, 'out-1.txt'), 'utf8')).toContain('Copy Person 200')
  })

  it('refuses a subject over its limit under "Too long"', async () => {
    const refused = await services.dispatch('letters:export', {
      templateId: 'head-of-government-letter',
      data: { ...sample, subject: 'x'.repeat(2001) },
      format: 'txt',
      confirmPlaceholders: true,
    })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'Too long: Subject (subject) can hold at most 2,000 characters (this has 2,001).' },
    })
  })
})
