// Tests (core, Node): every built-in template drafted in each letter language prints its fixed words in that language
// ("UTTALELSE", "ЗАЯВА", "Копия:"), never the English ones, in HTML, plain text and DOCX.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import mammoth from 'mammoth'
import { ANNEX_WORDS } from '../../../../shared/dossiers/annexWords'
import { describe, expect, it } from 'vitest'
import { LETTER_STRINGS, LETTER_WORD_NAMES, OMITTED_REASONS } from '../../../../shared/letters/letterStrings'
import { parseOrganisationProfile } from '../../../../shared/organisation/profile'
import {
  TEMPLATE_LANGUAGES,
  type AnnexTable,
  type LetterData,
  type LetterTemplate,
  type TemplateLanguage,
} from '../../../../shared/letters/templateModel'
import { applyOrganisationProfile } from '../../../../electron/core/letters/letterProfile'
import { loadBuiltinTemplates, renderLetterDocx, renderLetterHtml, renderLetterText } from '../../../../electron/core/letters/render/render'
import { removeSoftHyphens } from '../../../../electron/core/letters/render/typeset'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
const builtins = loadBuiltinTemplates(path.join(root, 'resources/templates'))

/** Neutral content in each language, so any English left in a letter came from the template or the renderer. */
const CONTENT: Readonly<Record<TemplateLanguage, { word: string; name: string; org: string }>> = {
  'en-GB': { word: 'Content', name: 'Kari Nordmann', org: 'Rights Committee' },
  'nb-NO': { word: 'Innhold', name: 'Kari Nordmann', org: 'Menneskerettskomiteen' },
  'uk-UA': { word: 'Зміст', name: 'Оксана Коваль', org: 'Правозахисний комітет' },
  'ru-RU': { word: 'Содержание', name: 'Анна Иванова', org: 'Правозащитный комитет' },
}

/** Fills every field of a template with neutral content of the language, persons with an e-mail address. */
function fillFields(template: LetterTemplate, language: TemplateLanguage): LetterData {
  const { word, name } = CONTENT[language]
  const person = { name, title: word, email: 'post@komitet.example' }
  const data: Record<string, unknown> = {}
  for (const field of template.fields) {
    switch (field.type) {
      case 'text':
      case 'multiline':
        data[field.name] = word
        break
      case 'date':
        data[field.name] = '2025-05-26'
        break
      case 'person':
        data[field.name] = person
        break
      case 'persons':
        data[field.name] = [person, { ...person, name: `${word} ${name}` }]
        break
      case 'richtext':
        data[field.name] = `<p>${word}</p>`
        break
      case 'requests':
      case 'organisations':
        data[field.name] = [word, word]
        break
      case 'dossierList':
        break
    }
  }
  // The built-ins print their default wording where these optional fields are empty.
  for (const optional of ['closing', 'demandsIntro', 'customSalutation']) delete data[optional]
  return data
}

/** A letter drafted from a built-in by an organisation whose letters are in `language`. */
function draft(template: LetterTemplate, language: TemplateLanguage): { template: LetterTemplate; data: LetterData; annex: AnnexTable } {
  const profile = parseOrganisationProfile({ name: CONTENT[language].org, defaultLanguage: language, defaultPlace: CONTENT[language].word })
  const resolved = applyOrganisationProfile(template, fillFields(template, language), profile)
  const annex: AnnexTable = {
    // Codes, as rows built from dossiers carry them: the annex writes them in the letter's language.
    rows: [
      {
        name: CONTENT[language].name,
        detainedSince: '2022-03-01',
        place: CONTENT[language].word,
        status: 'convicted',
        vulnerability: ['incommunicado', 'severeConditions'],
        consent: 'public',
      },
    ],
    omitted: 2,
    omittedReason: OMITTED_REASONS[language].public,
  }
  return { ...resolved, annex }
}

/** The English fixed words that the other language says differently (Norwegian "Status" is English "Status" too). */
function englishOnlyWords(language: TemplateLanguage): string[] {
  const en = LETTER_STRINGS['en-GB']
  const other = LETTER_STRINGS[language]
  const pairs: [string, string][] = [
    [en.greetingGroup, other.greetingGroup],
    [en.closing, other.closing],
    [en.cc, other.cc],
    [en.email, other.email],
    [en.annexHeading, other.annexHeading],
    [en.salute('').replace(/,$/, '').trim(), other.salute('').trim()],
    [en.omitted(2, 'x').split(':')[0] ?? '', other.omitted(2, 'x')],
    ...en.annexColumns.map((c, i): [string, string] => [c, other.annexColumns[i] ?? '']),
    ...LETTER_WORD_NAMES.map((n): [string, string] => [en.words[n].replace(/:$/, ''), other.words[n]]),
    ['Convicted', ANNEX_WORDS[language].statuses.convicted],
    ['held incommunicado', ANNEX_WORDS[language].flags.incommunicado],
    ['severe conditions', ANNEX_WORDS[language].flags.severeConditions],
  ]
  return pairs.filter(([english, translated]) => english !== '' && !translated.includes(english)).map(([english]) => english)
}

const visible = (html: string): string =>
  removeSoftHyphens(html.slice(html.indexOf('<body')))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

describe('letter languages', () => {
  it('writes an annex row’s status and vulnerability codes in the letter’s language', () => {
    const letter = draft(builtins.find((t) => t.id === 'joint-statement') ?? builtins[0]!, 'uk-UA')
    const shown = visible(renderLetterHtml(letter.template, letter.data, { annex: letter.annex }).html)
    expect(shown).toContain('Засуджений(а)')
    expect(shown).toContain('утримується без зв’язку, тяжкі умови')
    expect(shown).not.toMatch(/convicted|incommunicado|severeConditions/)
  })

  it('has every fixed word in all four languages', () => {
    expect(TEMPLATE_LANGUAGES).toEqual(['en-GB', 'nb-NO', 'uk-UA', 'ru-RU'])
    for (const language of TEMPLATE_LANGUAGES) {
      for (const name of LETTER_WORD_NAMES) expect(LETTER_STRINGS[language].words[name].trim(), `${language} ${name}`).not.toBe('')
    }
  })

  for (const template of builtins) {
    for (const language of ['nb-NO', 'uk-UA', 'ru-RU'] as const) {
      it(`drafts ${template.id} in ${language} with no English fixed word`, async () => {
        const letter = draft(template, language)
        expect(letter.template.language).toBe(language)
        const { html, unknownPlaceholders } = renderLetterHtml(letter.template, letter.data, { annex: letter.annex, strict: true })
        expect(unknownPlaceholders).toEqual([])
        expect(html).toContain(`<html lang="${language}">`)
        const text = renderLetterText(letter.template, letter.data, { annex: letter.annex })
        const docx = await renderLetterDocx(letter.template, letter.data, { annex: letter.annex })
        const docxText = (await mammoth.extractRawText({ buffer: docx })).value
        const english = englishOnlyWords(language)
        for (const [output, shown] of [
          ['html', visible(html)],
          ['text', text],
          ['docx', removeSoftHyphens(docxText)],
        ] as const) {
          for (const word of english) {
            expect(
              new RegExp(`(^|[^\\p{L}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'iu').test(shown),
              `${output} says "${word}"`,
            ).toBe(false)
          }
          if (language !== 'nb-NO') {
            // Cyrillic letters: no Latin word at all, e-mail addresses aside.
            expect(shown.replace(/\S+@\S+/g, '').match(/[A-Za-z]{2,}/g), output).toBeNull()
          }
        }
      })
    }
  }

  it('prints the fixed words of the letter language where the built-ins use them', () => {
    const byId = new Map(builtins.map((t) => [t.id, t]))
    const textOf = (id: string, language: TemplateLanguage): string => {
      const letter = draft(byId.get(id) as LetterTemplate, language)
      return renderLetterText(letter.template, letter.data, { annex: letter.annex })
    }
    expect(textOf('joint-statement', 'nb-NO')).toContain('UTTALELSE')
    expect(textOf('joint-statement', 'uk-UA')).toContain('ЗАЯВА')
    expect(textOf('joint-statement', 'ru-RU')).toContain('ЗАЯВЛЕНИЕ')
    expect(textOf('joint-statement', 'en-GB')).toContain('STATEMENT')
    expect(textOf('head-of-government-letter', 'ru-RU')).toContain('Копия:')
    expect(textOf('head-of-government-letter', 'nb-NO')).toContain('Kopi:')
    expect(textOf('press-release', 'uk-UA')).toContain('Прес-реліз |')
    expect(textOf('standpoint', 'nb-NO')).toContain('Står bak:')
    expect(textOf('coalition-letter', 'ru-RU')).toContain('Поэтому мы призываем вас:')
    expect(textOf('head-of-government-letter', 'ru-RU')).toContain('26 мая 2025')
  })

  it('lets a field named "words" in an older user template keep its name', () => {
    const template = { ...builtins[2], builtIn: false, language: 'nb-NO' } as LetterTemplate
    const withField: LetterTemplate = {
      ...template,
      fields: [...template.fields, { name: 'words', label: 'Words', type: 'text', required: false }],
      blocks: [{ type: 'text', template: '{{words}}' }],
    }
    expect(renderLetterText(withField, { words: 'Mine egne ord' }, { strict: false })).toBe('Mine egne ord\n')
  })
})
