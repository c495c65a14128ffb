// Tests (core, Node): each built-in is set as its model letter is (issue #15, item 5), in the HTML that prints the PDF
// and in the DOCX's XML alike — press release with the dateline under the headline, a bold lead and quotes set into
// the text; coalition letter with a bold salutation, credentials as lines and real paragraphs after the requests;
// joint statement counting "1)" under a centred subject; a set-apart "Shared by" list; a compact copy list; and a
// document title in the letter's language for a letter without a subject line.
import { describe, expect, it } from 'vitest'
import { placeQuotes } from '../../../../electron/core/letters/render/bodyParagraphs'
import { composeLetter } from '../../../../electron/core/letters/render/compose'
import { renderLetterDocx, renderLetterHtml, renderLetterText } from '../../../../electron/core/letters/render/render'
import { mm } from '../../../../electron/core/letters/render/letterDocxStyle'
import { removeSoftHyphens } from '../../../../electron/core/letters/render/typeset'
import type { LetterData, LetterTemplate } from '../../../../shared/letters/templateModel'
import { loadSampleLetters } from '../../../helpers/letterSamples'
import { readZipEntry } from './zipEntries'

const letters = loadSampleLetters()
const sample = (name: string): { template: LetterTemplate; data: LetterData } => {
  const letter = letters.find((l) => l.name === name)
  if (!letter) throw new Error(`no sample ${name}`)
  return letter
}

/** The letter's HTML body (no stylesheet), soft hyphens and no-break spaces read as a reader sees them. */
function bodyHtml(name: string): string {
  const { template, data } = sample(name)
  const { html } = renderLetterHtml(template, data, { strict: true })
  return removeSoftHyphens(html.slice(html.indexOf('<body')))
    .replace(/\u00A0/g, ' ')
    .replace(/&#39;/g, "'")
}

/** The letter's stylesheet. */
function css(name: string): string {
  const { template, data } = sample(name)
  const { html } = renderLetterHtml(template, data, { strict: true })
  return html.slice(html.indexOf('<style>'), html.indexOf('</style>'))
}

type DocxParagraph = { readonly xml: string; readonly text: string }

/** The DOCX body's paragraphs in order, each with its XML and its text as a reader sees it. */
async function docxParagraphs(name: string): Promise<{ paragraphs: DocxParagraph[]; zip: Buffer }> {
  const { template, data } = sample(name)
  const zip = await renderLetterDocx(template, data, { strict: true })
  const body = readZipEntry(zip, 'word/document.xml')
  const paragraphs = (body.match(/<w:p\b[^>]*>[\s\S]*?<\/w:p>/g) ?? []).map((xml) => ({
    xml,
    text: [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)]
      .map((m) => m[1] ?? '')
      .join('')
      .replace(/\u00AD/g, '')
      .replace(/\u00A0/g, ' ')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  }))
  return { paragraphs, zip }
}

/** The index of the first paragraph whose text starts with `start`; fails the test when there is none. */
function indexOf(paragraphs: readonly DocxParagraph[], start: string): number {
  const index = paragraphs.findIndex((p) => p.text.startsWith(start))
  expect(index, `no paragraph starting "${start}"`).toBeGreaterThanOrEqual(0)
  return index
}

describe('press release, as its model', () => {
  const quote1 = "'Every child deserves to grow up with their family."
  const quote2 = "'Tracing work is slow and careful"

  it('HTML: headline, then the dateline under it, a styled lead, and each quote where the text leaves room for it', () => {
    const html = bodyHtml('press-release')
    const headline = html.indexOf('<h1 class="subject">More support')
    const dateline = html.indexOf('<p class="dateline">Press release | 12 June 2025')
    expect(headline).toBeGreaterThan(0)
    expect(dateline).toBeGreaterThan(headline)
    expect(html).toMatch(/<p class="lead">The foundation is increasing/)
    expect(css('press-release')).toMatch(/\.lead\{[^}]*font-weight:700/)
    // Not gathered in one block: quote 1 after the first paragraph, quote 2 after the one under the heading.
    expect(html).not.toContain('<section class="quotes">')
    const order = [
      'The additional funds will go',
      `<blockquote class="quote"><p>${quote1}`,
      'Tracing missing persons</h2>',
      'Partners report a sharp rise',
      `<blockquote class="quote"><p>${quote2}`,
      'The support is distributed as follows:',
    ].map((probe) => html.indexOf(probe))
    expect(order.every((at) => at > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(css('press-release')).toMatch(/\.press-quotes blockquote\{[^}]*border-left:3px/)
  })

  it('DOCX: the same order, the lead bold and larger, quotes as upright press quotes in the text', async () => {
    const { paragraphs, zip } = await docxParagraphs('press-release')
    const headline = indexOf(paragraphs, 'More support for reuniting')
    const dateline = indexOf(paragraphs, 'Press release | 12 June 2025')
    const lead = indexOf(paragraphs, 'The foundation is increasing')
    expect(dateline).toBe(headline + 1)
    expect(lead).toBe(dateline + 1)
    expect(paragraphs[lead]!.xml).toContain('<w:b/>')
    expect(paragraphs[lead]!.xml).toContain('<w:sz w:val="25"/>')
    const first = indexOf(paragraphs, 'The additional funds')
    const q1 = indexOf(paragraphs, quote1)
    const heading = indexOf(paragraphs, 'Tracing missing persons')
    const second = indexOf(paragraphs, 'Partners report')
    const q2 = indexOf(paragraphs, quote2)
    expect([first, q1, heading, second, q2]).toEqual([first, first + 1, first + 2, first + 3, first + 4])
    for (const q of [q1, q2]) expect(paragraphs[q]!.xml).toContain('<w:pStyle w:val="PressQuote"/>')
    const styles = readZipEntry(zip, 'word/styles.xml')
    const pressQuote = /<w:style [^>]*w:styleId="PressQuote"[\s\S]*?<\/w:style>/.exec(styles)?.[0] ?? ''
    expect(pressQuote).toMatch(/<w:pBdr>\s*<w:left /)
    expect(pressQuote).not.toContain('<w:i/>')
  })

  it('places quotes after paragraphs, surplus ones after the last, and at the end of text without paragraphs', () => {
    expect(placeQuotes('<p>a</p><h2>h</h2><p>b</p>', ['x', 'y', 'z'])).toBe(
      '<p>a</p><blockquote class="quote"><p>x</p></blockquote><h2>h</h2><p>b</p>' +
        '<blockquote class="quote"><p>y</p></blockquote><blockquote class="quote"><p>z</p></blockquote>',
    )
    expect(placeQuotes('<ul><li><p>a</p></li></ul>', ['<q>'])).toBe(
      '<ul><li><p>a</p></li></ul><blockquote class="quote"><p>&lt;q&gt;</p></blockquote>',
    )
    expect(placeQuotes('<p>a</p>', [])).toBe('<p>a</p>')
  })
})

describe('coalition letter, as its model', () => {
  it('HTML: a bold salutation, credentials as lines of prose, one paragraph per line after the requests', () => {
    const html = bodyHtml('coalition-letter')
    expect(html).toContain('<p class="salutation bold">Dear Prime Minister and Minister,</p>')
    expect(css('coalition-letter')).toMatch(/\.salutation\.bold\{font-weight:700\}/)
    const signatory = html.slice(html.indexOf('<section class="signatories">'))
    expect(signatory).not.toMatch(/<ul|<li/)
    expect(signatory).toMatch(
      /<p class="credentials">Former Deputy Minister of Foreign Affairs \(1994–1997\)<br>Former Ambassador to the United Nations/,
    )
    const requestsEnd = html.indexOf('</ol>')
    const after = html.slice(requestsEnd, html.indexOf('<p class="closing"'))
    expect(after).toContain('<p>We stand ready to provide any information you need.</p>')
    expect(after).toContain('<p>We look forward to your reply.</p>')
    expect(after).not.toContain('<br>')
  })

  it('DOCX: the salutation bold, credentials without bullets, the follow-up as two paragraphs', async () => {
    const { paragraphs } = await docxParagraphs('coalition-letter')
    const salutation = paragraphs[indexOf(paragraphs, 'Dear Prime Minister and Minister,')]!
    expect(salutation.xml).toContain('<w:b/>')
    for (const credential of ['Former Deputy Minister', 'Founder of the Civic', 'Chair of the Democratic']) {
      const p = paragraphs[indexOf(paragraphs, credential)]!
      expect(p.xml).not.toContain('<w:numPr>')
      expect(p.xml).toContain('<w:sz w:val="20"/>')
    }
    const ready = indexOf(paragraphs, 'We stand ready')
    expect(paragraphs[ready]!.text).toBe('We stand ready to provide any information you need.')
    expect(paragraphs[ready]!.xml).not.toContain('<w:br/>')
    expect(paragraphs[ready + 1]!.text).toBe('We look forward to your reply.')
  })

  it('has a document title in the letter’s own language, naming its recipients', async () => {
    const { template, data } = sample('coalition-letter')
    const expected = {
      'en-GB': 'Letter – Anna Sample and Erik Muster',
      'nb-NO': 'Brev – Anna Sample og Erik Muster',
      'uk-UA': 'Лист – Anna Sample і Erik Muster',
      'ru-RU': 'Письмо – Anna Sample и Erik Muster',
    } as const
    for (const [language, title] of Object.entries(expected)) {
      const letter = composeLetter({ ...template, language: language as keyof typeof expected }, data)
      expect(letter.title).toBe(title)
      expect(letter.title).not.toContain(template.name)
    }
    const { html } = renderLetterHtml(template, data, { strict: true })
    expect(html).toContain(`<title>${expected['en-GB']}</title>`)
    const core = readZipEntry(await renderLetterDocx(template, data, { strict: true }), 'docProps/core.xml')
    expect(core).toContain(`<dc:title>${expected['en-GB']}</dc:title>`)
    // Without recipients there is nobody to name: the template's name stays.
    expect(composeLetter(template, { ...data, recipients: [] }).title).toBe(template.name)
  })
})

describe('joint statement, as its model', () => {
  it('HTML: the subject centred under the title, the demands counted "1)"', () => {
    const html = bodyHtml('joint-statement')
    expect(html).toMatch(/<h1 class="title">STATEMENT<\/h1>\s*<h1 class="subject centred">on protecting/)
    expect(css('joint-statement')).toContain('.subject.centred{text-align:center}')
    expect(html).toMatch(/<ol class="paren"><li>release of all civilians/)
    expect(css('joint-statement')).toContain('ol.paren>li::marker{content:counter(list-item) ") "}')
    // An option of the block: the coalition letter's requests still count "1.".
    expect(bodyHtml('coalition-letter')).toMatch(/<ol><li>Raise the release/)
  })

  it('DOCX: the subject paragraph centred, the demands numbered with a "%1)" level, the same in plain text', async () => {
    const { paragraphs, zip } = await docxParagraphs('joint-statement')
    expect(paragraphs[indexOf(paragraphs, 'on protecting the rights')]!.xml).toContain('<w:jc w:val="center"/>')
    const demand = paragraphs[indexOf(paragraphs, 'release of all civilians')]!.xml
    const numId = /<w:numId w:val="(\d+)"\/>/.exec(demand)?.[1]
    expect(numId).toBeDefined()
    const numbering = readZipEntry(zip, 'word/numbering.xml')
    const abstractId = new RegExp(`<w:num w:numId="${numId}"[^>]*>\\s*<w:abstractNumId w:val="(\\d+)"/>`).exec(numbering)?.[1]
    const abstract = new RegExp(`<w:abstractNum [^>]*w:abstractNumId="${abstractId}"[\\s\\S]*?</w:abstractNum>`).exec(numbering)?.[0] ?? ''
    expect(abstract).toContain('<w:lvlText w:val="%1)"/>')
    const { template, data } = sample('joint-statement')
    expect(renderLetterText(template, data)).toMatch(/\n1\) release of all civilians[^\n]*\n+2\) an end to persecution/)
  })
})

describe('standpoint, as its model', () => {
  it('HTML: the "Shared by" list set apart from the text', () => {
    const html = bodyHtml('standpoint')
    expect(html).toMatch(/<section class="organisations set-apart"><p class="intro">Shared by:<\/p><ul><li>Eastern Aid Network/)
    expect(css('standpoint')).toMatch(/\.organisations\.set-apart\{[^}]*border-left:3px/)
  })

  it('DOCX: "Shared by" and each organisation indented behind a rule at the left, the heading bold', async () => {
    const { paragraphs } = await docxParagraphs('standpoint')
    const intro = indexOf(paragraphs, 'Shared by:')
    expect(paragraphs[intro]!.xml).toContain('<w:b/>')
    for (const i of [intro, intro + 1, intro + 2]) {
      expect(paragraphs[i]!.xml).toMatch(/<w:pBdr>\s*<w:left /)
      expect(paragraphs[i]!.xml).toContain(`<w:ind w:left="${mm(4)}"/>`)
    }
    expect(paragraphs[intro + 2]!.text).toBe('Legal Support Foundation')
    // The conclusion above it is ordinary text, without the rule.
    expect(paragraphs[indexOf(paragraphs, 'The organisations will continue')]!.xml).not.toContain('<w:pBdr>')
  })
})

describe('copy list (CC), as its model', () => {
  it('HTML: title and name on one line, then the e-mail', () => {
    const html = bodyHtml('head-of-government-letter')
    expect(html).toContain(
      '<section class="persons cc"><div class="intro">CC:</div><div class="person">Minister of Foreign Affairs Tor Placeholder<br>E-mail: post@mfa.example.org</div>',
    )
    // The recipient keeps its title above the name.
    expect(html).toContain('<div class="person">Prime Minister<br>Ingrid Examplesen<br>')
  })

  it('DOCX: title and name on one line (the name first when the title names an office), the people 1 mm apart', async () => {
    const { paragraphs } = await docxParagraphs('nb-head-of-government-letter')
    const intro = indexOf(paragraphs, 'Kopi:')
    const people = paragraphs.slice(intro + 1, intro + 4)
    const firstLines = people.map((person) => /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/.exec(person.xml)?.[1])
    expect(firstLines).toEqual([
      'Utenriksminister Tor Plassholder',
      'Kari Mal, Statssekretær, Utenriksdepartementet',
      'Per Utkast, Leder, Stortingets utenriks- og forsvarskomité',
    ])
    expect(people[0]!.xml).toContain(`w:after="${mm(1)}"`)
    expect(people[1]!.xml).toContain(`w:after="${mm(1)}"`)
  })
})
