// Renderer test (jsdom): the one size and date formatter — binary units only (B, KiB, MiB, GiB) with the user's
// digits, and a stored value that is not a date shown as it came rather than "Invalid Date".
import { describe, expect, it } from 'vitest'
import { formatDateTime, formatLanguage, formatSize } from '../../renderer/src/i18n/format'
import { t } from '../../renderer/src/i18n/intl'
import { describeStatus, recordKindName } from '../../renderer/src/i18n/codeNames'

describe('i18n formats', () => {
  it('writes sizes in one unit system, KiB/MiB/GiB', () => {
    expect([0, 512, 2048, 1536 * 1024, 3.5 * 1024 ** 2, 1.25 * 1024 ** 3].map(formatSize)).toEqual([
      '0 B',
      '512 B',
      '2.0 KiB',
      '1.5 MiB',
      '3.5 MiB',
      '1.25 GiB',
    ])
  })

  it('shows an unreadable date as it came, and a real one with its year', () => {
    expect(formatDateTime('not a date')).toBe('not a date')
    expect(formatDateTime('2026-03-04T10:05:00Z')).toMatch(/2026/)
  })

  it('names a record\'s language in words, and says nothing for a language not known (never "unknown")', () => {
    expect(formatLanguage('uk')).toBe('Ukrainian')
    expect(formatLanguage('nb')).toMatch(/Norwegian/)
    for (const none of ['unknown', 'und', '', null, undefined]) expect(formatLanguage(none)).toBeNull()
  })

  it('names a language with or without its region, and keeps a tag Intl cannot name as the tag', () => {
    expect(formatLanguage('nb')).toBe('Norwegian Bokmål')
    expect(formatLanguage('en-GB')).toBe('British English')
    expect(['en-GB', 'nb-NO', 'uk-UA', 'ru-RU'].map((tag) => formatLanguage(tag, { region: false }))).toEqual([
      'English',
      'Norwegian Bokmål',
      'Ukrainian',
      'Russian',
    ])
    expect(formatLanguage('qaa')).toBe('qaa')
    expect(formatLanguage('not a tag')).toBe('not a tag')
  })

  it("words a search hit's status, whatever kind of record it came from (never the stored code)", () => {
    expect(['unknown', 'detained', 'draft', 'sent', 'open', 'resolved'].map(describeStatus)).toEqual([
      'Unknown',
      'Detained',
      'Draft',
      'Sent',
      'Open',
      'Resolved',
    ])
    expect(describeStatus('some-new-status')).toBe('some-new-status')
  })

  it('names every kind of record a search or a bundle shows in words, and an unnamed kind by its code', () => {
    expect(['letter', 'correspondence', 'statement', 'note', 'dossier', 'dossier-list', 'annotation'].map(recordKindName)).toEqual([
      'Letter',
      'Correspondence',
      'Statement',
      'Note',
      'Dossier',
      'Dossier list',
      'Annotation',
    ])
    expect(recordKindName('some-new-kind')).toBe('some-new-kind')
    expect(recordKindName('toString')).toBe('toString')
  })

  it('words counts through ICU plurals in the app formatter ("1 result", "2 results")', () => {
    expect(t('library.resultCount', { count: 1 })).toBe('1 result')
    expect(t('library.resultCount', { count: 2 })).toBe('2 results')
  })
})
