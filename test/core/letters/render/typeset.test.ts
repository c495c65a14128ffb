// Tests (core, Node): line breaking of letters — soft hyphens from each language's patterns, no-break spaces after
// one-letter words and between numbers and units, compounds broken only at their own hyphen, markup never touched,
// and the same breaks in HTML, DOCX and none in plain text.
import { describe, expect, it } from 'vitest'
import { parseLetterTemplate, type LetterTemplate, type TemplateLanguage } from '../../../../shared/letters/templateModel'
import { createTypesetter, NO_BREAK_SPACE, SOFT_HYPHEN } from '../../../../electron/core/letters/render/typeset'
import { renderLetterDocx, renderLetterHtml, renderLetterText } from '../../../../electron/core/letters/render/render'
import { readZipEntry } from './zipEntries'

/** Soft hyphens shown as "|", no-break spaces as "_", so expectations read like a typesetter's proof. */
const proof = (text: string): string => text.replaceAll(SOFT_HYPHEN, '|').replaceAll(NO_BREAK_SPACE, '_')

describe('hyphenation per language', () => {
  const cases: [TemplateLanguage, string, string][] = [
    ['en-GB', 'international organisation', 'in|ter|na|tional or|gan|isa|tion'],
    ['nb-NO', 'menneskerettighetsorganisasjonene', 'men|neske|ret|tig|hets|or|ga|ni|sa|sjo|nene'],
    ['uk-UA', 'громадянських організацій', 'гро|ма|дян|ських ор|га|ні|за|цій'],
    ['ru-RU', 'правозащитные организации', 'пра|во|за|щит|ные ор|га|ни|за|ции'],
  ]
  for (const [language, input, expected] of cases) {
    it(`hyphenates ${language} with its own patterns`, () => {
      expect(proof(createTypesetter(language).text(input, true))).toBe(expected)
    })
  }

  it('leaves at least two letters before a break and three after', () => {
    for (const [language, input] of cases) {
      for (const word of createTypesetter(language).text(input, true).split(' ')) {
        const pieces = word.split(SOFT_HYPHEN)
        expect(pieces[0]?.length ?? 0).toBeGreaterThanOrEqual(2)
        expect(pieces[pieces.length - 1]?.length ?? 0).toBeGreaterThanOrEqual(3)
      }
    }
  })

  it('breaks a hyphenated compound only at its own hyphen', () => {
    const uk = createTypesetter('uk-UA')
    expect(proof(uk.text('будь-яких організацій', true))).toBe('будь-яких ор|га|ні|за|цій')
    expect(proof(uk.text('північно-західних', true))).toBe('північно-західних')
    expect(proof(createTypesetter('ru-RU').text('по-прежнему кое-какие', true))).toBe('по-прежнему кое-какие')
    expect(proof(createTypesetter('en-GB').text('well-being', true))).toBe('well-being')
  })

  it('never hyphenates addresses, numbers, acronyms, short words, or text the author already broke', () => {
    const en = createTypesetter('en-GB')
    expect(en.text('post@organisation.example https://organisation.example/international www.international.example', true)).toBe(
      'post@organisation.example https://organisation.example/international www.international.example',
    )
    expect(en.text('UNHCR OSCE-INTERNATIONAL 2025-international', true)).toBe('UNHCR OSCE-INTERNATIONAL 2025-international')
    expect(en.text('the cat', true)).toBe('the cat')
    expect(proof(en.text(`inter${SOFT_HYPHEN}national organisation`, true))).toBe('inter|national organisation')
  })

  it('adds no soft hyphen when asked not to, but still binds', () => {
    expect(proof(createTypesetter('uk-UA').text('організація у місті', false))).toBe('організація у_місті')
  })
})

describe('no-break spaces', () => {
  it('keeps Ukrainian one-letter words with the next word, in either case', () => {
    const uk = createTypesetter('uk-UA')
    const words = ['у', 'в', 'і', 'а', 'й', 'з', 'о', 'к', 'с', 'У', 'В', 'І', 'А', 'З']
    for (const word of words) expect(proof(uk.text(`слово ${word} місто`, false))).toBe(`слово ${word}_місто`)
    expect(proof(uk.text('і в місті, й у селі', false))).toBe('і_в_місті, й_у_селі')
  })

  it('keeps Russian one-letter words (и, я too) with the next word', () => {
    const ru = createTypesetter('ru-RU')
    expect(proof(ru.text('и в Москве, и к ним, а я с ними', false))).toBe('и_в_Москве, и_к_ним, а_я_с_ними')
  })

  it('does not bind a letter that is part of a word, an initial or a compound', () => {
    const uk = createTypesetter('uk-UA')
    expect(proof(uk.text('Тарас і Марія', false))).toBe('Тарас і_Марія')
    expect(proof(uk.text('пункт а-б та', false))).toBe('пункт а-б та')
    expect(proof(uk.text('кінець речення з', false))).toBe('кінець речення з')
    // Latin letters are not Ukrainian prepositions; English text keeps its spaces.
    expect(proof(createTypesetter('en-GB').text('a cat in a box', false))).toBe('a cat in a box')
  })

  it('keeps a number with its unit, digit groups together and № or § with their number, in every language', () => {
    expect(proof(createTypesetter('en-GB').text('10 km, 5 %, 12 kg, 3 500 000 people, § 12', false))).toBe(
      '10_km, 5_%, 12_kg, 3_500_000 people, §_12',
    )
    expect(proof(createTypesetter('uk-UA').text('10 км та 3 000 грн, № 5', false))).toBe('10_км та 3_000_грн, №_5')
    expect(proof(createTypesetter('nb-NO').text('5 mill. kroner og 20 kr', false))).toBe('5_mill. kroner og 20_kr')
    // A unit that starts a longer word is not a unit.
    expect(proof(createTypesetter('en-GB').text('10 months and 5 monkeys', false))).toBe('10 months and 5 monkeys')
  })
})

describe('HTML', () => {
  it('changes text only, never a tag or an attribute, and keeps headings and markers whole', () => {
    const uk = createTypesetter('uk-UA')
    const html =
      '<p>Ми <strong>вимагаємо</strong> у <a href="https://example.org/організація?a=1&amp;b=у 2">організація &amp; громадянських</a></p>' +
      '<h2>Громадянських організацій</h2><p><span class="missing">[бракує: організація]</span></p>'
    expect(proof(uk.html(html, true))).toBe(
      '<p>Ми <strong>ви|ма|га|ємо</strong> у_<a href="https://example.org/організація?a=1&amp;b=у 2">ор|га|ні|за|ція &amp; гро|ма|дян|ських</a></p>' +
        '<h2>Громадянських організацій</h2><p><span class="missing">[бракує: організація]</span></p>',
    )
  })

  it('escapes what it decoded and leaves text with an unfamiliar entity alone', () => {
    const en = createTypesetter('en-GB')
    expect(en.html('<p>&lt;script&gt; organisation &quot;x&quot; &#39;y&#39;</p>', true)).toBe(
      `<p>&lt;script&gt; or${SOFT_HYPHEN}gan${SOFT_HYPHEN}isa${SOFT_HYPHEN}tion &quot;x&quot; &#39;y&#39;</p>`,
    )
    expect(en.html('<p>organisation&nbsp;international</p>', true)).toBe('<p>organisation&nbsp;international</p>')
  })
})

describe('in letters', () => {
  const template = (language: TemplateLanguage): LetterTemplate =>
    parseLetterTemplate({
      id: 'typeset-test',
      version: 1,
      name: 'Typeset test',
      description: '',
      language,
      builtIn: false,
      pageSize: 'A4',
      letterhead: { organisation: 'Правозахисна організація' },
      fields: [
        { name: 'subject', label: 'Subject', type: 'text', required: true },
        { name: 'body', label: 'Body', type: 'richtext', required: true },
        { name: 'signatories', label: 'Signatories', type: 'persons', required: false },
      ],
      blocks: [
        { type: 'letterhead' },
        { type: 'subject', field: 'subject' },
        { type: 'body', field: 'body' },
        { type: 'signatories', field: 'signatories' },
      ],
    })
  const data = {
    subject: 'Звернення громадянських організацій',
    body: '<p>Ми звертаємося у зв’язку з 10 км будь-яких громадянських організацій.</p><h2>Громадянських вимог</h2>',
    signatories: [{ name: 'Олександра Правозахисниченко', title: 'Координаторка' }],
  }

  it('puts the same breaks in HTML and DOCX and none in plain text', async () => {
    const { html } = renderLetterHtml(template('uk-UA'), data)
    const body = html.slice(html.indexOf('<section class="body">'))
    expect(proof(body)).toContain('<p>Ми звер|та|є|мося у_зв’язку з_10_км будь-яких гро|ма|дян|ських ор|га|ні|за|цій.</p>')
    expect(body).toContain('<h2>Громадянських вимог</h2>')
    // Names, titles, the letterhead and the subject are never hyphenated.
    expect(html).toContain('<div class="name">Олександра Правозахисниченко</div>')
    expect(html).toContain('<div class="org">Правозахисна організація</div>')
    expect(html).toContain('<h1 class="subject">Звернення громадянських організацій</h1>')

    const documentXml = readZipEntry(await renderLetterDocx(template('uk-UA'), data, { strict: false }), 'word/document.xml').replace(
      /<\/?w:t[^>]*>/g,
      '',
    )
    // Word's own optional hyphen, never a U+00AD (Word prints that as a visible hyphen).
    expect(documentXml).not.toContain(SOFT_HYPHEN)
    expect(documentXml).toMatch(/гро<w:softHyphen\/>ма<w:softHyphen\/>дян<w:softHyphen\/>ських/)
    expect(documentXml).toContain(`у${NO_BREAK_SPACE}зв`)
    expect(documentXml).not.toMatch(/будь<w:softHyphen/)

    const text = renderLetterText(template('uk-UA'), data)
    expect(text).not.toContain(SOFT_HYPHEN)
    expect(text).toContain(
      `Ми звертаємося у${NO_BREAK_SPACE}зв’язку з${NO_BREAK_SPACE}10${NO_BREAK_SPACE}км будь-яких громадянських організацій.`,
    )
  })

  it('hyphenates each language with its own patterns inside a letter', () => {
    const english = { ...data, body: '<p>International organisations</p>' }
    expect(proof(renderLetterHtml(template('en-GB'), english).html)).toContain('<p>In|ter|na|tional or|gan|isa|tions</p>')
    expect(proof(renderLetterHtml(template('nb-NO'), english).html)).toContain('<p>In|ter|na|tio|nal or|ga|ni|sa|tions</p>')
  })
})
