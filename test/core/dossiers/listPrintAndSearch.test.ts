// Core test (Node): the printed list page (escaping, consent, omitted count, partner audience) and the dossier
// search extractor (every name form, notes and places in; family contacts, medical note and sources out).
import { describe, expect, it } from 'vitest'
import { parseDossier } from '../../../shared/dossiers/dossier'
import { buildListPrintHtml } from '../../../electron/core/dossiers/listPrint'
import { escapeHtml } from '../../../shared/text/escapeHtml'
import { extractDossierRecord, extractDossierSearchFields } from '../../../electron/core/dossiers/dossierSearchExtractor'
import type { StoredRecord } from '../../../electron/core/vault/vault'

const make = (original: string, extra: Record<string, unknown> = {}) =>
  parseDossier({ names: { original }, category: 'political-prisoner', ...extra })

describe('buildListPrintHtml', () => {
  const a = make('<b>Ales</b> & "Co"', {
    consent: 'public',
    statusHistory: [{ date: '2021-07-14', status: 'convicted' }],
    vulnerability: { elderly: true, incommunicado: true },
  })
  const b = make('Maria K', {
    consent: 'partners',
    sharePartners: ['Amnesty Norway'],
    detentions: [{ facility: 'Penal colony No. 4', location: 'Homel', from: '2022-01-01' }],
  })
  const c = make('Secret Person', { consent: 'internal', family: { contacts: [{ name: 'Hidden Relative', relation: 'wife' }] } })
  const dossiers = [a, b, c].map((dossier, i) => ({ id: String(i).repeat(32), dossier }))

  it('escapes every value and numbers the rows in list order', () => {
    const page = buildListPrintHtml({ listName: 'List <1>', dossiers, audience: 'internal', printedOn: '2025-01-02' })
    expect(page).toMatchObject({ title: 'List <1>', included: 3, omitted: 0 })
    expect(page.html).toContain('<h1>List &lt;1&gt;</h1>')
    expect(page.html).toContain('&lt;b&gt;Ales&lt;/b&gt; &amp; &quot;Co&quot;')
    expect(page.html).not.toContain('<b>Ales')
    expect(page.html).toContain('Elderly, Held incommunicado')
    expect(page.html).toContain('Penal colony No. 4, Homel')
    expect(page.html.indexOf('Ales')).toBeLessThan(page.html.indexOf('Maria K'))
    expect(page.html).not.toContain('Hidden Relative')
    expect(page.html).not.toMatch(/<script/i)
    expect(page.html).toContain('size: A4')
    expect(page.html).toContain(page.bodyHtml)
    expect(page.bodyHtml).toContain('<table>')
    expect(page.bodyHtml).not.toMatch(/<style|<head/)
  })

  it('shows the date of the current status, not the detention date', () => {
    const convicted = make('Ihar B', {
      consent: 'public',
      statusHistory: [
        { date: '2021-03-01', status: 'detained' },
        { date: '2022-11-15', status: 'convicted' },
      ],
      detentions: [{ facility: 'Penal colony No. 1', location: 'Minsk', from: '2021-03-01' }],
    })
    const page = buildListPrintHtml({
      listName: 'L',
      dossiers: [{ id: 'a'.repeat(32), dossier: convicted }],
      audience: 'internal',
      printedOn: '2025-01-02',
    })
    expect(page.bodyHtml).toContain('Convicted (since 15 November 2022)')
    expect(page.bodyHtml).not.toContain('since 1 March 2021')
    expect(page.bodyHtml).not.toContain('2021-03-01')
  })

  it('applies consent for a named partner and states how many were left out', () => {
    const partner = buildListPrintHtml({
      listName: 'L',
      dossiers,
      audience: 'partner',
      partner: 'amnesty norway ',
      printedOn: '2025-01-02',
    })
    expect(partner).toMatchObject({ included: 2, omitted: 1 })
    expect(partner.html).toContain('1 dossier was left out')
    const pub = buildListPrintHtml({ listName: 'L', dossiers, audience: 'public', printedOn: '2025-01-02', pageSize: 'Letter' })
    expect(pub).toMatchObject({ included: 1, omitted: 2 })
    expect(pub.html).toContain('2 dossiers were left out')
    expect(pub.html).not.toContain('Maria K')
    expect(pub.html).toContain('size: Letter')
    expect(() => buildListPrintHtml({ listName: 'L', dossiers, audience: 'partner', printedOn: '2025-01-02' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    )
  })

  it('escapes quotes and ampersands', () => {
    expect(escapeHtml(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&#39;')
  })
})

describe('dossier search extractor', () => {
  const d = make('Алесь Бяляцкі', {
    names: {
      original: 'Алесь Бяляцкі',
      transliteration: 'Ales Bialiatski',
      otherSpellings: ['Aleś Bialacki'],
      aliases: ['Viasna founder'],
    },
    homeRegion: 'Minsk',
    statusHistory: [{ id: 'e1', date: '2021-07-14', status: 'detained', note: 'Searched at home.', sourceIds: ['s1'] }],
    detentions: [{ facility: 'Penal colony No. 9', location: 'Horki' }],
    vulnerability: { ill: true, medicalNote: 'Heart condition.' },
    sources: [{ id: 's1', type: 'organisation', name: 'Viasna Human Rights Centre' }],
    family: { contacts: [{ name: 'Natallia Pinchuk', relation: 'wife', phone: '+375 00' }] },
    timeline: [{ date: '2022-10-07', description: 'Nobel Peace Prize announced.' }],
  })

  it('indexes names, places, notes and the timeline, and nothing sensitive', () => {
    const fields = extractDossierSearchFields(d)
    expect(fields.title).toBe('Ales Bialiatski (Алесь Бяляцкі)')
    expect(fields.extra).toContain('Aleś Bialacki')
    expect(fields.extra).toContain('Viasna founder')
    for (const text of ['Minsk', 'Penal colony No. 9', 'Horki', 'Searched at home.', 'Nobel Peace Prize announced.'])
      expect(fields.text).toContain(text)
    expect(fields.date).toBe('2022-10-07')
    expect(fields.status).toBe('detained')
    const all = JSON.stringify(fields)
    for (const secret of ['Pinchuk', '+375', 'Heart condition', 'Viasna Human Rights Centre']) expect(all).not.toContain(secret)
  })

  it('indexes nothing for a body that is not a dossier', () => {
    const record = {
      id: 'a'.repeat(32),
      kind: 'dossier',
      revision: 1,
      changeSeq: 1,
      summary: {},
      body: { names: {} },
      createdAt: '',
      savedAt: '',
      author: '',
    } as StoredRecord
    expect(extractDossierRecord(record)).toBeNull()
    expect(extractDossierRecord({ ...record, body: d })?.title).toBe('Ales Bialiatski (Алесь Бяляцкі)')
  })
})
