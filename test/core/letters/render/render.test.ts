// Tests (core, Node): letter validation and rendering — missing fields, unknown and hostile placeholders, escaping,
// the rich-text whitelist, dates, annex consent, mail merge, schema errors, page sizes.
import Mustache from 'mustache'
import { describe, expect, it } from 'vitest'
import { CustodiaError } from '../../../../shared/errors'
import { parseLetterTemplate, type LetterTemplate } from '../../../../shared/letters/templateModel'
import { createViewList, createViewObject } from '../../../../electron/core/letters/render/letterData'
import {
  buildAnnex,
  formatLetterDate,
  mergeLetters,
  renderLetterDocx,
  renderLetterHtml,
  renderLetterText,
  sanitizeRichtext,
  validateLetterData,
} from '../../../../electron/core/letters/render/render'
import { readZipEntry } from './zipEntries'

function buildTemplate(overrides: Partial<LetterTemplate> = {}): LetterTemplate {
  return parseLetterTemplate({
    id: 'test-letter',
    version: 1,
    name: 'Test letter',
    description: 'for tests',
    language: 'en-GB',
    builtIn: false,
    pageSize: 'A4',
    letterhead: { organisation: 'Test Org', address: 'Street 1\n0001 City', contact: 'post@test.example' },
    fields: [
      { name: 'recipients', label: 'Recipient', type: 'persons', required: true },
      { name: 'place', label: 'Place', type: 'text', required: false },
      { name: 'letterDate', label: 'Date', type: 'date', required: true },
      { name: 'subject', label: 'Subject line', type: 'text', required: true },
      { name: 'body', label: 'Letter text', type: 'richtext', required: true },
      { name: 'requests', label: 'Requests', type: 'requests', required: false },
      { name: 'signatories', label: 'Signatories', type: 'persons', required: true },
      { name: 'cases', label: 'Cases', type: 'dossierList', required: false },
    ],
    blocks: [
      { type: 'letterhead' },
      { type: 'recipients', field: 'recipients' },
      { type: 'placeDate', dateField: 'letterDate', placeField: 'place' },
      { type: 'subject', field: 'subject' },
      { type: 'salutation' },
      { type: 'body', field: 'body' },
      { type: 'requests', field: 'requests', template: 'We therefore urge you to:' },
      { type: 'closing' },
      { type: 'signatories', field: 'signatories' },
      { type: 'annexes', field: 'cases' },
    ],
    ...overrides,
  })
}

const baseData = {
  recipients: [{ honorific: 'Dr', name: 'Alex Minister', title: 'Minister of Justice' }],
  place: 'Oslo',
  letterDate: '2025-05-26',
  subject: 'Release of detained civilians',
  body: '<p>First paragraph.</p><p>Second paragraph.</p>',
  requests: ['Act now.', 'Report back.'],
  signatories: [{ name: 'Sam Signer', title: 'Director', credentials: ['Former judge'] }],
}

/** Runs `fn` and returns the CustodiaError it throws (failing the test if it throws nothing or something else). */
function catchCustodiaError(fn: () => unknown): CustodiaError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(CustodiaError)
    return error as CustodiaError
  }
  throw new Error('expected a CustodiaError')
}

describe('validateLetterData', () => {
  it('lists every missing required field by label, in field order, and changes nothing', () => {
    const data = { ...baseData, subject: '   ', body: '<p> </p><script>x</script>', signatories: [] }
    const copy = structuredClone(data)
    const report = validateLetterData(buildTemplate(), data)
    expect(report.missing).toEqual([
      { field: 'subject', label: 'Subject line' },
      { field: 'body', label: 'Letter text' },
      { field: 'signatories', label: 'Signatories' },
    ])
    expect(report.invalid).toEqual([])
    expect(data).toEqual(copy)
  })

  it('reports invalid values and unknown keys without echoing the values', () => {
    const report = validateLetterData(buildTemplate(), {
      ...baseData,
      letterDate: '2025-02-30',
      requests: 'not a list',
      recipients: [{ name: '' }],
      secretNote: 'confidential words',
    })
    expect(report.invalid.map((i) => i.field).sort()).toEqual(['letterDate', 'recipients', 'requests', 'secretNote'])
    expect(report.invalid.find((i) => i.field === 'letterDate')?.message).toMatch(/not a calendar date/)
    expect(JSON.stringify(report)).not.toContain('confidential')
    expect(JSON.stringify(report)).not.toContain('not a list')
  })

  it('makes exports refuse empty required fields while the preview marks them', async () => {
    const data = { ...baseData, subject: '' }
    const preview = renderLetterHtml(buildTemplate(), data).html
    expect(preview).toContain('<span class="missing">[missing: Subject line]</span>')
    expect(catchCustodiaError(() => renderLetterHtml(buildTemplate(), data, { strict: true })).message).toBe(
      'required fields are empty: Subject line',
    )
    expect(catchCustodiaError(() => renderLetterText(buildTemplate(), data)).code).toBe('VALIDATION')
    await expect(renderLetterDocx(buildTemplate(), data)).rejects.toThrow(/required fields are empty: Subject line/)
    expect(catchCustodiaError(() => renderLetterHtml(buildTemplate(), { ...baseData, letterDate: 'soon' })).message).toMatch(
      /^invalid letter data: Date: must be a date as YYYY-MM-DD; is not a calendar date$/,
    )
  })
})

describe('placeholders', () => {
  it('reports unknown placeholders and renders them visibly, never as a blank', () => {
    const template = buildTemplate({
      blocks: [{ type: 'text', template: 'To {{recipent.name}} about {{subject}} and {{nosuch}} and {{nosuch}}' }],
    })
    const { html, unknownPlaceholders } = renderLetterHtml(template, baseData)
    expect(unknownPlaceholders).toEqual(['recipent.name', 'nosuch'])
    expect(html).toContain('<span class="unknown-placeholder">[unknown: recipent.name]</span>')
    expect(html).toContain('about Re\u00ADlease of de\u00ADtained ci\u00ADvil\u00ADians and')
    const text = renderLetterText(template, baseData)
    expect(text).toBe('To [unknown: recipent.name] about Release of detained civilians and [unknown: nosuch] and [unknown: nosuch]\n')
  })

  it('knows fields, computed names and the keys of persons inside sections', () => {
    const template = buildTemplate({
      blocks: [
        { type: 'recipients', field: 'recipients' },
        {
          type: 'text',
          template:
            '{{letterhead.organisation}}|{{recipient.name}}|{{salutation}}|{{letterDate}}|{{#requests}}[{{.}}]{{/requests}}|{{#signatories}}{{name}} ({{title}}){{#credentials}}, {{.}}{{/credentials}}{{/signatories}}|{{^cases}}no cases{{/cases}}',
        },
      ],
    })
    const { unknownPlaceholders } = renderLetterHtml(template, baseData)
    expect(unknownPlaceholders).toEqual([])
    expect(renderLetterText(template, baseData)).toBe(
      'Dr Alex Minister\nMinister of Justice\n\nTest Org|Alex Minister|Dear Dr Alex Minister,|26 May 2025|[Act now.][Report back.]|Sam Signer (Director), Former judge|no cases\n',
    )
  })

  it('keeps prototype and built-in members inert', () => {
    const hostile =
      '{{constructor.constructor}}{{__proto__}}{{toString}}{{subject.length}}{{subject.constructor.name}}' +
      '{{#requests}}{{constructor}}{{length}}{{/requests}}{{#hasOwnProperty}}x{{/hasOwnProperty}}' +
      '{{#subject.constructor.constructor}}return process{{/subject.constructor.constructor}}{{.}}{{requests.0}}'
    const template = buildTemplate({ blocks: [{ type: 'text', template: hostile }] })
    const { html, unknownPlaceholders } = renderLetterHtml(template, baseData)
    expect(unknownPlaceholders).toEqual([
      'constructor.constructor',
      '__proto__',
      'toString',
      'subject.length',
      'subject.constructor.name',
      'constructor',
      'length',
      'hasOwnProperty',
      'subject.constructor.constructor',
      '.',
      'requests.0',
    ])
    // Strip the markers (which name the placeholders) and nothing may remain: no function text, no lengths.
    const body = html.slice(html.indexOf('<article')).replace(/<span class="unknown-placeholder">\[unknown: [^\]]*\]<\/span>/g, '')
    expect(body).toBe('<article class="letter">\n<p class="text"></p>\n</article>\n</body>\n</html>\n')
    // Second line of defence: the view itself has no prototype, so even plain Mustache finds nothing there.
    const view = createViewObject([
      ['subject', 'x'],
      ['list', createViewList(['a'])],
    ])
    expect(
      Mustache.render(
        '{{constructor}}|{{toString}}|{{__proto__}}|{{list.constructor.constructor}}|{{#list}}{{constructor}}{{/list}}|{{list.map}}',
        view,
      ),
    ).toBe('|||||')
  })

  it('refuses unescaped tags, partials and delimiter changes in the schema, naming the path', () => {
    for (const [source, reason] of [
      ['{{{subject}}}', /blocks\.0\.template: invalid template: unescaped tag "subject"/],
      ['{{& subject}}', /unescaped tag "subject"/],
      ['{{#requests}}{{{.}}}{{/requests}}', /unescaped tag "\."/],
      ['{{> header}}', /partial "header" is not allowed/],
      ['{{=<% %>=}}<%{subject}%>', /changing the tag delimiters/],
      ['{{#requests}}open', /invalid template: Unclosed section "requests"/],
    ] as const) {
      const error = catchCustodiaError(() => buildTemplate({ blocks: [{ type: 'text', template: source }] }))
      expect(error.code).toBe('VALIDATION')
      expect(error.message).toMatch(reason)
    }
  })
})

describe('escaping and rich text', () => {
  it('escapes hostile values and hostile literal template text', () => {
    const template = buildTemplate({
      blocks: [
        { type: 'recipients', field: 'recipients' },
        { type: 'placeDate', dateField: 'letterDate', placeField: 'place' },
        { type: 'subject', field: 'subject' },
        { type: 'text', template: '<b onmouseover="x()">{{subject}}</b>' },
        { type: 'requests', field: 'requests' },
      ],
    })
    const data = {
      ...baseData,
      recipients: [{ name: '<img src=x onerror=alert(1)>', title: '" onerror="alert(2)' }],
      place: '"><script>alert(3)</script>',
      subject: "<script>alert('s')</script>",
      requests: ['</li><li onclick=alert(4)>'],
    }
    const { html } = renderLetterHtml(template, data)
    const body = html.slice(html.indexOf('<article'))
    expect(body).not.toMatch(/<script|<img|<b |<li onclick|\son\w+="/i)
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(body).toContain('&lt;script&gt;alert(&#39;s&#39;)&lt;/script&gt;')
    expect(body).toContain('&lt;b onmouseover=&quot;x()&quot;&gt;')
    expect(renderLetterText(template, data)).toContain("<script>alert('s')</script>")
  })

  it('keeps only whitelisted tags and safe links', () => {
    const dirty =
      '<p onclick="steal()" style="color:red">Hello <b>bold</b> <i>it</i> <u>under</u>' +
      '<script>alert(1)</script><style>p{}</style><img src=x onerror=alert(2)>' +
      '<a href="javascript:alert(3)">js</a> <a href=" JaVa&#x09;script:alert(4)">js2</a> ' +
      '<a href="data:text/html,x">data</a> <a href="/relative">rel</a> ' +
      '<a href="https://ok.example/a?b=1&amp;c=2" target="_blank">ok</a> <a href="mailto:a@b.example">mail</a></p>' +
      '<iframe src="https://x.example">frame text</iframe><svg><script>x</script><text>svg</text></svg>' +
      '<ul><li>one<br>two</li></ul><h1>Big</h1><blockquote>quoted</blockquote><!-- comment -->'
    expect(sanitizeRichtext(dirty)).toBe(
      '<p>Hello <strong>bold</strong> <em>it</em> under' +
        'js js2 data rel <a href="https://ok.example/a?b=1&amp;c=2">ok</a> <a href="mailto:a@b.example">mail</a></p>' +
        '<ul><li>one<br>two</li></ul><h2>Big</h2><blockquote>quoted</blockquote>',
    )
    const { html } = renderLetterHtml(buildTemplate(), { ...baseData, body: dirty })
    expect(html.slice(html.indexOf('<article'))).not.toMatch(/<script|onerror|onclick|javascript:|<iframe|<img|data:text/i)
    expect(renderLetterText(buildTemplate(), { ...baseData, body: dirty })).toContain('ok <https://ok.example/a?b=1&c=2>')
  })
})

describe('formatLetterDate', () => {
  it('writes dates as letters do in each language', () => {
    expect(formatLetterDate('2025-05-26', 'en-GB')).toBe('26 May 2025')
    expect(formatLetterDate('2025-05-26', 'nb-NO')).toBe('26. mai 2025')
    expect(formatLetterDate('2025-05-26', 'uk-UA')).toBe('26 травня 2025')
    expect(formatLetterDate('2024-02-29', 'en-GB')).toBe('29 February 2024')
    expect(formatLetterDate('2025-01-01', 'uk-UA')).toBe('1 січня 2025')
  })

  it('refuses anything that is not a calendar date', () => {
    for (const bad of ['2025-02-29', '2025-13-01', '26.05.2025', '2025-05-26T00:00:00Z', '']) {
      expect(catchCustodiaError(() => formatLetterDate(bad, 'en-GB')).code).toBe('VALIDATION')
    }
  })

  it('uses the template language for dates and default words', () => {
    const template = buildTemplate({ language: 'nb-NO' })
    const text = renderLetterText(template, baseData)
    expect(text).toContain('Oslo 26. mai 2025')
    expect(text).toContain('Kjære Dr Alex Minister,')
    expect(text).toContain('Med vennlig hilsen')
  })
})

describe('annex', () => {
  const rows = [
    {
      name: 'Person Public',
      detainedSince: '2022-03-01',
      place: 'Prison A',
      status: 'Sentenced',
      vulnerability: ['elderly'],
      consent: 'public' as const,
    },
    { name: 'Person Partners', place: 'Prison B', consent: 'partners' as const },
    { name: 'Person Internal', place: 'Prison C', consent: 'internal' as const },
    { name: 'Person Internal Two', consent: 'internal' as const },
  ]

  it('keeps only rows whose consent allows the audience, and counts the rest', () => {
    const pub = buildAnnex(rows, { audience: 'public' })
    expect(pub.rows.map((r) => r.name)).toEqual(['Person Public'])
    expect(pub.omitted).toBe(3)
    expect(pub.omittedReason).toMatch(/not agreed to their case being made public/)
    const partners = buildAnnex(rows, { audience: 'partners' })
    expect(partners.rows.map((r) => r.name)).toEqual(['Person Public', 'Person Partners'])
    expect(partners.omitted).toBe(2)
    const internal = buildAnnex(rows, { audience: 'internal' })
    expect(internal.rows).toHaveLength(4)
    expect(internal).toMatchObject({ omitted: 0, omittedReason: '' })
    expect(buildAnnex(rows, { audience: 'public', language: 'nb-NO' }).omittedReason).toMatch(/offentliggjøres/)
  })

  it('refuses malformed rows or audiences', () => {
    expect(catchCustodiaError(() => buildAnnex([{ name: 'X', consent: 'everyone' as 'public' }], { audience: 'public' })).message).toMatch(
      /invalid annex rows: 0\.consent/,
    )
    expect(catchCustodiaError(() => buildAnnex(rows, { audience: 'world' as 'public' })).message).toMatch(/audience/)
  })

  it('prints the filtered table and says how many cases were left out, in HTML, text and DOCX', async () => {
    const annex = buildAnnex(rows, { audience: 'partners' })
    const { html } = renderLetterHtml(buildTemplate(), baseData, { annex })
    expect(html).toContain('<section class="annex"><h2>Annex: individual cases</h2><table>')
    // The date is held on one line by no-break spaces.
    expect(html).toContain('<td>Person Public</td><td>1\u00A0March\u00A02022</td><td>Prison A</td><td>Sentenced</td><td>elderly</td>')
    expect(html).not.toContain('Person Internal')
    expect(html).toContain('2 further cases are not listed: the people concerned have not agreed')
    const text = renderLetterText(buildTemplate(), baseData, { annex })
    expect(text).toContain('Person Partners | – | Prison B | – | –')
    expect(text).not.toContain('Person Internal')
    const documentXml = readZipEntry(await renderLetterDocx(buildTemplate(), baseData, { annex }), 'word/document.xml')
    expect(documentXml).toContain('<w:tbl>')
    expect(documentXml).toContain('<w:tblHeader/>')
    expect(documentXml).not.toContain('Person Internal')
    expect(documentXml).toContain('2 further cases are not listed')
    expect(catchCustodiaError(() => renderLetterHtml(buildTemplate(), baseData, { annex: { ...annex, omitted: -1 } })).message).toMatch(
      /invalid annex: omitted/,
    )
  })
})

describe('mergeLetters', () => {
  it('writes one document per recipient, each with its own salutation', () => {
    const recipients = [
      { name: 'Ana Alpha', title: 'Minister of Health', salutation: 'Dear Minister Alpha,' },
      { honorific: 'Ms', name: 'Bea Beta', title: 'Ambassador' },
    ]
    const letters = mergeLetters(buildTemplate(), baseData, recipients)
    expect(letters).toHaveLength(2)
    expect(letters[0]?.recipient.name).toBe('Ana Alpha')
    expect(letters[0]?.html).toContain('<p class="salutation">Dear Minister Alpha,</p>')
    expect(letters[0]?.html).not.toContain('Bea Beta')
    expect(letters[1]?.html).toContain('<p class="salutation">Dear Ms Bea Beta,</p>')
    expect(letters[1]?.html).not.toContain('Ana Alpha')
    expect(letters[1]?.html).not.toContain('Alex Minister')
  })

  it('refuses an empty recipient list, a nameless recipient and a template without recipients', () => {
    expect(catchCustodiaError(() => mergeLetters(buildTemplate(), baseData, [])).message).toMatch(/at least one recipient/)
    expect(catchCustodiaError(() => mergeLetters(buildTemplate(), baseData, [{ name: ' ' }])).message).toMatch(/every person needs a name/)
    const noRecipients = buildTemplate({ blocks: [{ type: 'subject', field: 'subject' }] })
    expect(catchCustodiaError(() => mergeLetters(noRecipients, baseData, [{ name: 'A' }])).message).toMatch(/recipients block/)
  })
})

describe('template schema', () => {
  it('rejects malformed template JSON with every failing path', () => {
    const raw = JSON.parse(
      JSON.stringify({
        id: 'Bad Id',
        version: 1,
        name: 'x',
        description: '',
        language: 'de-DE',
        builtIn: false,
        pageSize: 'A5',
        letterhead: { organisation: 'Org', logo: 'data:image/svg+xml;base64,PHN2Zz4=' },
        fields: [
          { name: '1st', label: 'First', type: 'text', required: true },
          { name: 'subject', label: 'Subject', type: 'text', required: true },
          { name: 'subject', label: 'Again', type: 'text', required: false },
          { name: 'hasOwnProperty', label: 'Hm', type: 'text', required: false },
        ],
        blocks: [{ type: 'subject', field: 'subjct' }, { type: 'body', field: 'subject' }, { type: 'banner' }],
      }),
    )
    const message = catchCustodiaError(() => parseLetterTemplate(raw)).message
    for (const path of ['id:', 'language:', 'pageSize:', 'letterhead.logo:', 'fields.0.name:', 'fields.3.name:', 'blocks.2.type:']) {
      expect(message).toContain(path)
    }
    const second = catchCustodiaError(() =>
      parseLetterTemplate({
        ...raw,
        id: 'ok',
        language: 'en-GB',
        pageSize: 'A4',
        letterhead: { organisation: 'Org' },
        fields: raw.fields.slice(1, 3),
        blocks: raw.blocks.slice(0, 2),
      }),
    ).message
    expect(second).toContain('fields.1.name: duplicate field name "subject"')
    expect(second).toContain('blocks.0.field: no field named "subjct"')
    expect(second).toContain('blocks.1.field: field "subject" is text; a body block needs richtext or multiline')
  })

  it('accepts PNG and JPEG logos only when the content matches the type', () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    expect(buildTemplate({ letterhead: { organisation: 'Org', logo: png } }).letterhead.logo).toBe(png)
    expect(() => buildTemplate({ letterhead: { organisation: 'Org', logo: png.replace('image/png', 'image/jpeg') } })).toThrow(
      /letterhead\.logo: image content does not match/,
    )
    const { html } = renderLetterHtml(buildTemplate({ letterhead: { organisation: 'Org', logo: png } }), baseData)
    expect(html).toContain(`<img class="logo" src="${png}" alt="Org">`)
  })

  it('prints US Letter pages when asked', async () => {
    const template = buildTemplate({ pageSize: 'Letter' })
    expect(renderLetterHtml(template, baseData).html).toContain('@page{size:letter;')
    const documentXml = readZipEntry(await renderLetterDocx(template, baseData), 'word/document.xml')
    expect(documentXml).toContain('<w:pgSz w:w="12240" w:h="15840"')
  })
})
