// Core tests (Node): metadata detection on our own fixture letters (always) and on the real seed letters (when the
// folder beside the repository exists), plus dates, languages and kinds in isolation.
import fs from 'node:fs'
import path from 'node:path'
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { extractDocument } from '../../../../electron/core/library/import/extractText'
import { detectMetadata } from '../../../../electron/core/library/import/detectMetadata'
import { detectDate } from '../../../../electron/core/library/import/detectDate'
import { classifyCyrillic, detectLanguages } from '../../../../electron/core/library/import/detectLanguage'
import { describeSeedLetters, OWN_LETTERS, type LetterSet } from '../../../helpers/letterSets'

async function detectLetter(set: LetterSet, name: string) {
  const file = path.join(set.dir, name)
  // Through the real import path (txt extraction) and without the file name, so only the text decides.
  const doc = await extractDocument(fs.readFileSync(file), name)
  const fromExtracted = detectMetadata(doc.text)
  expect(detectMetadata(fs.readFileSync(file, 'utf8'))).toEqual(fromExtracted)
  return fromExtracted
}

describe('detectMetadata: our own fixture letters', () => {
  const detect = (name: string) => detectLetter(OWN_LETTERS, name)

  it('has the eight fixture letters', () => {
    expect(OWN_LETTERS.files).toEqual([
      'dcf-letter-to-prime-minister-2024-02-09.txt',
      'fhrc-letter-to-prime-minister-2025-04-14.txt',
      'mfa-press-release-2025-01-30.txt',
      'phri-joint-statement-2025-03-18.txt',
      'reply-from-ministry-to-fhrc-2025-05-06.txt',
      'spf-brev-til-utenriksministeren-2024-03-03.txt',
      'steppe-sos-standpoint-2025-03-19.txt',
      'svitanok-lyst-do-ombudsmana-2024-05-05.txt',
    ])
  })

  it('letter with letterhead, address block, two CCs and two signatories ("Bergen 14 April 2025")', async () => {
    const m = await detect('fhrc-letter-to-prime-minister-2025-04-14.txt')
    expect(m.date).toBe('2025-04-14')
    expect(m.kind).toBe('letter')
    expect(m.subtype).toBe('letter')
    expect(m.title).toBe('Dravonia: Request for Norwegian support to an independent prison monitoring mission')
    expect(m.sender).toBe('Fjordvik Human Rights Committee')
    expect(m.recipients).toEqual([{ name: 'Ingrid Solvang Haugen', title: 'Prime Minister', email: 'post@pm-office.example' }])
    expect(m.cc).toEqual([
      { name: 'Torstein Ødegård Lie', title: 'Foreign Minister', email: 'minister@mfa.example' },
      { name: 'Marit Aasen Brekke', title: 'State Secretary' },
    ])
    expect(m.signatories).toEqual([
      { name: 'Solveig Brennmoen', title: 'Secretary General' },
      { name: 'Håkon Øvrebø-Lind', title: 'Deputy Secretary General' },
    ])
    expect(m.language).toBe('en')
    expect(m.otherLanguages).toEqual([])
    expect(m.confidence.date).toBeGreaterThanOrEqual(0.9)
  })

  it('letter with "The Honorable" recipients, numbered requests and no subject line ("February 9, 2024")', async () => {
    const m = await detect('dcf-letter-to-prime-minister-2024-02-09.txt')
    expect(m.date).toBe('2024-02-09')
    expect(m.kind).toBe('letter')
    // The sender is named only in the long description under the signature.
    expect(m.sender).toBe('Dravonian Civic Forum')
    expect(m.recipients).toEqual([
      { name: 'Ingrid Solvang Haugen', title: 'Prime Minister of Norway' },
      { name: 'Torstein Ødegård Lie', title: 'Minister of Foreign Affairs' },
    ])
    expect(m.cc).toEqual([])
    expect(m.signatories).toEqual([{ name: 'Mirela Kostanova' }])
    expect(m.title).toBe('Letter from Dravonian Civic Forum to Ingrid Solvang Haugen and Torstein Ødegård Lie')
    expect(m.title).not.toMatch(/Dear/)
    expect(m.language).toBe('en')
  })

  it('press release ("Date: 30/01/2025", day first)', async () => {
    const m = await detect('mfa-press-release-2025-01-30.txt')
    expect(m.date).toBe('2025-01-30')
    expect(m.kind).toBe('correspondence')
    expect(m.subtype).toBe('press-release')
    expect(m.title).toBe('More help for the families of detained civilians')
    expect(m.sender).toBe('Ministry of Foreign Affairs')
    expect(m.recipients).toEqual([])
    expect(m.language).toBe('en')
    expect(m.otherLanguages).toEqual([])
  })

  it('joint statement ("18 March 2025" above eight signatory organisations, Ukrainian letterhead)', async () => {
    const m = await detect('phri-joint-statement-2025-03-18.txt')
    expect(m.date).toBe('2025-03-18')
    expect(m.kind).toBe('statement')
    expect(m.subtype).toBe('joint-statement')
    expect(m.title).toBe(
      'Statement on the protection of civilians detained in the occupied districts of Dravonia during the ceasefire talks',
    )
    expect(m.sender).toBe('ПОДІЛЬСЬКА ПРАВОЗАХИСНА ІНІЦІАТИВА')
    expect(m.signatoryOrganisations).toEqual([
      'The Podilska Human Rights Initiative',
      'Centre for Civic Freedoms MIRA',
      'NGO Steppe SOS',
      'CF Safe Return',
      'NGO Family Search Network',
      'Association of Relatives of the Detained',
      'CF Open Doors',
      'The Dravonian Legal Aid Council',
    ])
    expect(m.signatories).toEqual([])
    expect(m.language).toBe('en')
    expect(m.otherLanguages).toEqual(['uk'])
  })

  it('standpoint ("19.03.2025", web page with Ukrainian links)', async () => {
    const m = await detect('steppe-sos-standpoint-2025-03-19.txt')
    expect(m.date).toBe('2025-03-19')
    expect(m.kind).toBe('statement')
    expect(m.subtype).toBe('standpoint')
    expect(m.title).toBe('Standpoint on the humanitarian needs of residents of the occupied districts of Dravonia in the ceasefire talks')
    expect(m.title).not.toMatch(/^UA/)
    // No letterhead or signature: the organisation the page names most.
    expect(m.sender).toBe('Steppe SOS')
    expect(m.language).toBe('en')
    expect(m.otherLanguages).toEqual(['uk'])
  })

  it('government reply ("Re:" subject, recipient with organisation, "Copy to:", signed by the minister)', async () => {
    const m = await detect('reply-from-ministry-to-fhrc-2025-05-06.txt')
    expect(m.date).toBe('2025-05-06')
    expect(m.kind).toBe('letter')
    expect(m.title).toBe('Independent monitoring of places of detention in Dravonia')
    expect(m.sender).toBe('Ministry of Foreign Affairs')
    expect(m.recipients).toEqual([
      {
        name: 'Solveig Brennmoen',
        title: 'Secretary General',
        organisation: 'Fjordvik Human Rights Committee',
        email: 'post@fjordvik-committee.example',
      },
    ])
    expect(m.cc).toEqual([{ name: 'Marit Aasen Brekke', title: 'State Secretary' }])
    expect(m.signatories).toEqual([{ name: 'Torstein Ødegård Lie', title: 'Minister of Foreign Affairs' }])
    expect(m.language).toBe('en')
  })

  it('Norwegian letter ("Oslo, 3. mars 2024", Til / Kopi / Sak, "Med vennlig hilsen")', async () => {
    const m = await detect('spf-brev-til-utenriksministeren-2024-03-03.txt')
    expect(m.date).toBe('2024-03-03')
    expect(m.kind).toBe('letter')
    expect(m.title).toBe('Besøk hos fengslede journalister i Dravonia')
    expect(m.sender).toBe('Støttekomiteen for Politiske Fanger')
    expect(m.recipients).toEqual([{ name: 'Åsmund Kjærnes', title: 'Utenriksminister', email: 'postmottak@utenriksdep.example' }])
    expect(m.cc).toEqual([{ name: 'Ingrid Solvang Haugen', title: 'Statsminister' }])
    expect(m.signatories).toEqual([
      { name: 'Kari Måløy Sæther', title: 'Leder' },
      { name: 'Per Øyvind Tjærnås', title: 'Generalsekretær' },
    ])
    expect(m.language).toBe('nb')
    expect(m.otherLanguages).toEqual([])
  })

  it('Ukrainian letter ("Київ, 5 травня 2024 р.", Кому / Копія / Тема, "З повагою")', async () => {
    const m = await detect('svitanok-lyst-do-ombudsmana-2024-05-05.txt')
    expect(m.date).toBe('2024-05-05')
    expect(m.kind).toBe('letter')
    expect(m.title).toBe('Доступ адвокатів до затриманих журналістів')
    expect(m.sender).toBe('Громадська Організація Світанок')
    // Ukrainian addresses name people in the dative case; the detector keeps the names as written.
    expect(m.recipients).toEqual([{ name: 'Тарасу Величку', email: 'ombudsman@rights.example' }])
    expect(m.cc).toEqual([{ name: 'Ярині Бойчук' }])
    expect(m.signatories.map((p) => p.name)).toEqual(['Марія Остапчук'])
    expect(m.language).toBe('uk')
    expect(m.otherLanguages).toEqual([])
  })
})

describeSeedLetters('detectMetadata', (seeds) => {
  const detectSeed = (name: string) => detectLetter(seeds, name)

  it('finds the seed directory', () => {
    expect(seeds.files).toHaveLength(5)
  })

  it('NHC letter to the Prime Minister ("Oslo 26 May 2025")', async () => {
    const m = await detectSeed('nhc-letter-to-prime-minister-2025-05-26.txt')
    expect(m.date).toBe('2025-05-26')
    expect(m.kind).toBe('letter')
    expect(m.subtype).toBe('letter')
    expect(m.title).toBe('Ukraine: Proposal for Norwegian political and diplomatic support to the People First campaign')
    expect(m.sender).toBe('Norwegian Helsinki Committee')
    expect(m.recipients).toEqual([{ name: 'Jonas Gahr Støre', title: 'Prime Minister', email: 'postmottak@smk.dep.no' }])
    expect(m.cc).toEqual([{ name: 'Espen Barth Eide', title: 'Foreign Minister', email: 'umin@mfa.no' }])
    expect(m.signatories).toEqual([
      { name: 'Berit Lindeman', title: 'Secretary General' },
      { name: 'Gunnar M. Ekeløve-Slydal', title: 'Deputy Secretary General' },
    ])
    expect(m.language).toBe('en')
    expect(m.otherLanguages).toEqual([])
    expect(m.confidence.date).toBeGreaterThanOrEqual(0.9)
  })

  it('BDF letter to the Prime Minister ("March 23, 2023", no subject line)', async () => {
    const m = await detectSeed('bdf-letter-to-prime-minister-2023-03-23.txt')
    expect(m.date).toBe('2023-03-23')
    expect(m.kind).toBe('letter')
    expect(m.sender).toBe('Belarus Democratic Forum')
    expect(m.recipients).toEqual([
      { name: 'Jonas Gahr Støre', title: 'Prime Minister of Norway' },
      { name: 'Anniken Huitfeldt', title: 'Minister of Foreign Affairs' },
    ])
    expect(m.cc).toEqual([])
    expect(m.signatories.map((p) => p.name)).toEqual(['Valery Tsepkalov'])
    // No subject line: a title built from sender and recipients, never the salutation.
    expect(m.title).toBe('Letter from Belarus Democratic Forum to Jonas Gahr Støre and Anniken Huitfeldt')
    expect(m.title).not.toMatch(/Dear/)
    expect(m.language).toBe('en')
  })

  it('MFA press release ("Date: 12/06/2025", day first)', async () => {
    const m = await detectSeed('mfa-press-release-2025-06-12.txt')
    expect(m.date).toBe('2025-06-12')
    expect(m.kind).toBe('correspondence')
    expect(m.subtype).toBe('press-release')
    expect(m.title).toBe('Strengthening efforts to protect children and prisoners')
    expect(m.sender).toBe('Ministry of Foreign Affairs')
    expect(m.recipients).toEqual([])
    expect(m.language).toBe('en')
    expect(m.otherLanguages).toEqual([])
  })

  it('CHRG joint statement ("12 August 2025" above the signatories, Ukrainian letterhead)', async () => {
    const m = await detectSeed('chrg-joint-statement-2025-08-12.txt')
    expect(m.date).toBe('2025-08-12')
    expect(m.kind).toBe('statement')
    expect(m.subtype).toBe('joint-statement')
    expect(m.title).toBe(
      'Statement on the necessity of considering humanitarian issues of the residents of the TOT of Ukraine during the negotiation process',
    )
    expect(m.sender).toBe('КРИМСЬКА ПРАВОЗАХИСНА ГРУПА')
    expect(m.signatoryOrganisations).toHaveLength(8)
    expect(m.signatoryOrganisations).toContain('The Crimean Human Rights Group')
    expect(m.signatoryOrganisations).toContain('NGO Donbas SOS')
    expect(m.language).toBe('en')
    expect(m.otherLanguages).toEqual(['uk'])
  })

  it('East SOS standpoint ("13.08.2025", web page with Ukrainian links)', async () => {
    const m = await detectSeed('east-sos-standpoint-2025-08-13.txt')
    expect(m.date).toBe('2025-08-13')
    expect(m.kind).toBe('statement')
    expect(m.subtype).toBe('standpoint')
    expect(m.title).toMatch(/^Standpoint on the consideration of humanitarian issues of Ukrainian citizens residing/)
    expect(m.title).not.toMatch(/^UA/)
    expect(m.sender).toBe('East SOS')
    expect(m.language).toBe('en')
    expect(m.otherLanguages).toEqual(['uk'])
  })
})

describe('detectDate', () => {
  it.each([
    ['Oslo 26 May 2025', '2025-05-26'],
    ['March 23, 2023', '2023-03-23'],
    ['13.08.2025', '2025-08-13'],
    ['12 August 2025', '2025-08-12'],
    ['Date: 12/06/2025', '2025-06-12'],
    ['2025-06-12', '2025-06-12'],
    ['Oslo, 3. mars 2024', '2024-03-03'],
    ['Київ, 5 травня 2024 р.', '2024-05-05'],
    ['Москва, 7 ноября 2023 г.', '2023-11-07'],
    ['Мінск, 1 снежня 2022', '2022-12-01'],
    ['Sept 1st, 2021', '2021-09-01'],
  ])('%s → %s', (text, iso) => {
    expect(detectDate(text).iso).toBe(iso)
  })

  it('reads slash dates day-first, unless impossible or the document writes month-first dates', () => {
    expect(detectDate('Date: 05/04/2025').iso).toBe('2025-04-05')
    expect(detectDate('Date: 04/25/2025').iso).toBe('2025-04-25')
    expect(detectDate('Washington, April 2, 2025\n\nRef. 05/04/2025').iso).toBe('2025-04-02')
    expect(detectDate('Signed on 05/04/2025 and mailed April 7, 2025 in Washington.').iso).toBe('2025-05-04')
  })

  it('prefers a date standing alone in the header over dates inside sentences', () => {
    const text = 'Oslo 26 May 2025\n\nOn 1 January 2020 the law changed, and on 3 March 2021 it changed again.'
    expect(detectDate(text)).toEqual({ iso: '2025-05-26', confidence: 0.9 })
  })

  it('rejects impossible dates and falls back to the file name, then to null', () => {
    expect(detectDate('31.02.2025').iso).toBeNull()
    expect(detectDate('no date here', 'letter-2024-02-29.txt')).toEqual({ iso: '2024-02-29', confidence: 0.3 })
    expect(detectDate('no date here', 'letter.txt')).toEqual({ iso: null, confidence: 0 })
  })
})

describe('detectLanguages', () => {
  const english = 'We ask the government to act on the release of all political prisoners and to do so without delay.'
  const norwegian =
    'Vi ber regjeringen om å arbeide for at alle politiske fanger blir løslatt, og at dette skjer uten at det tar for lang tid. Det er ikke mye som skal til.'
  const danish =
    'Vi beder regeringen om at arbejde for, at alle politiske fanger bliver løsladt, og at det sker uden at det tager lang tid. Det er ikke meget, der skal til, efter vores mening.'

  it('tells English, Norwegian and Danish apart by stop words', () => {
    expect(detectLanguages(english).language).toBe('en')
    expect(detectLanguages(norwegian).language).toBe('nb')
    expect(detectLanguages(danish).language).toBe('da')
  })

  it('tells Ukrainian, Russian and Belarusian apart by letters', () => {
    expect(classifyCyrillic('Ми вимагаємо звільнення всіх політичних в’язнів')).toBe('uk')
    expect(classifyCyrillic('Мы требуем освобождения всех политических заключённых')).toBe('ru')
    expect(classifyCyrillic('Мы патрабуем вызвалення ўсіх палітычных вязняў')).toBe('be')
    expect(classifyCyrillic('Кримська правозахисна група')).toBe('uk')
    expect(classifyCyrillic('МВС')).toBeNull()
    expect(detectLanguages('Ми вимагаємо звільнення всіх політичних в’язнів. Це наша позиція.').language).toBe('uk')
  })

  it('notes passages in other languages, most text first', () => {
    const mixed = `${english}\n\n${english}\n\n${norwegian}\n\nМы требуем освобождения всех политических заключённых`
    const result = detectLanguages(mixed)
    expect(result.language).toBe('en')
    expect(result.otherLanguages).toEqual(['nb', 'ru'])
    expect(result.confidence).toBeGreaterThan(0.4)
    expect(result.confidence).toBeLessThan(1)
  })

  it('does not report a language for a stray word or an empty text', () => {
    expect(detectLanguages(`${english}\nЛубінець`).otherLanguages).toEqual([])
    expect(detectLanguages('')).toEqual({ language: 'und', otherLanguages: [], confidence: 0 })
  })
})

describe('detectMetadata: kinds and fall-backs', () => {
  it('reads an e-mail as correspondence with its subject as title and recipients from To/Cc', () => {
    const mail = [
      'From: Berit Lindeman <berit@nhc.example>',
      'To: Dmytro Lubinets <ombudsman@example.ua>',
      'Cc: Espen Barth Eide <umin@mfa.no>',
      'Subject: Visit to the detention centre',
      '',
      'The visit is confirmed for next week.',
    ].join('\n')
    const m = detectMetadata(mail)
    expect(m.kind).toBe('correspondence')
    expect(m.title).toBe('Visit to the detention centre')
    expect(m.recipients).toEqual([{ name: 'Dmytro Lubinets', email: 'ombudsman@example.ua' }])
    expect(m.cc).toEqual([{ name: 'Espen Barth Eide', email: 'umin@mfa.no' }])
  })

  it('takes a recipient from the salutation when the letter has no address block', () => {
    const m = detectMetadata(
      'Dear Minister Anniken Huitfeldt,\n\nWe write about prisoners.\n\nSincerely,\n\nBerit Lindeman\nSecretary General\nNorwegian Helsinki Committee',
    )
    expect(m.kind).toBe('letter')
    expect(m.recipients).toEqual([{ name: 'Anniken Huitfeldt', title: 'Minister' }])
    expect(m.signatories).toEqual([{ name: 'Berit Lindeman', title: 'Secretary General', organisation: 'Norwegian Helsinki Committee' }])
    expect(m.sender).toBe('Norwegian Helsinki Committee')
  })

  it('treats free text as a note, titled by its first sentence or the file name', () => {
    const m = detectMetadata('Called the lawyer about the appeal. She will send the papers on Monday.')
    expect(m.kind).toBe('note')
    expect(m.title).toBe('Called the lawyer about the appeal.')
    expect(m.date).toBeNull()
    expect(detectMetadata('', 'visit-notes-2024-01-05.md')).toMatchObject({ title: 'Visit notes', date: '2024-01-05', kind: 'note' })
    expect(detectMetadata('').title).toBe('Untitled document')
  })

  it('stays fast on very long text and still reads its header', () => {
    const long = `Oslo 26 May 2025\n\nSubject: Long report\n\n${'word '.repeat(2_000_000)}`
    const started = Date.now()
    const m = detectMetadata(long)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(m).toMatchObject({ date: '2025-05-26', title: 'Long report' })
  })

  it('never throws and always returns a title, on any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 400 }),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        (text, name) => {
          const m = detectMetadata(text, name)
          expect(typeof m.title).toBe('string')
          expect(m.title.length).toBeGreaterThan(0)
          expect(m.title.length).toBeLessThanOrEqual(200)
          if (m.date !== null) expect(m.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        },
      ),
      { numRuns: 300 },
    )
  })
})
