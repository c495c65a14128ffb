// Unit tests (Node, but the module is browser-safe): script/diacritic folding for search and name duplicates.
import { describe, it, expect } from 'vitest'
import fc from 'fast-check'
import { foldForSearch, foldName, foldToken, tokenizeFolded } from '../../../shared/text/fold'

// Each group is one person or place written in different scripts/romanisations: all must fold to one name.
const SAME: ReadonlyArray<readonly string[]> = [
  ['Bialiatski', 'Бяляцкі', 'Byalyatsky', 'Białiacki', 'Bialacki' /* Łacinka */, 'Bjaljatski' /* Norwegian */],
  ['Alesʹ Bialiacki', 'Ales Bialiatski', 'Алесь Бяляцкі', 'Aleś Bialacki'],
  ['Lubinets', 'Лубінець', 'Lubinec'],
  ['Støre', 'Stoere', 'Store'],
  ['Gahr Støre', 'Gahr Stoere'],
  ['Jonas Gahr Støre', 'JONAS GAHR STØRE', 'jonas  gahr   store'],
  ['Ekeløve', 'Ekelove', 'Ekeloeve'],
  ['Gunnar M. Ekeløve-Slydal', 'Gunnar M Ekelove Slydal'],
  ['Зеленський', 'Zelenskyy', 'Zelensky', 'Zelenskyj', 'Zelenskiy', 'Зеленский'],
  ['Ціханоўская', 'Tsikhanouskaya', 'Tsikhanouskaia'],
  ['Тихановская', 'Tikhanovskaya', 'Tikhanovskaja'],
  ['Сяргей Ціханоўскі', 'Siarhei Tsikhanouski', 'Siarhiej Tsikhanouski'],
  ['Лукашенко', 'Lukashenko', 'Lukasjenko' /* Norwegian */],
  ['Лукашэнка', 'Lukashenka', 'Łukaszenka' /* Polish */, 'Łukašenka' /* Łacinka */],
  ['Навальный', 'Navalny', 'Navalnyy', 'Navalnyj', 'Nawalny'],
  ['Кара-Мурза', 'Kara-Murza', 'Kara Murza'],
  ['Сенцов', 'Sentsov', 'Sencov'],
  ['Мирослава', 'Myroslava', 'Miroslava'],
  ['Харків', 'Kharkiv', 'Harkiv'],
  ['Харьков', 'Kharkov'],
  ['Київ', 'Kyiv', 'Kyïv', 'Kiyiv'],
  ['Киев', 'Kiev'],
  ['Дмитро', 'Dmytro', 'Dmitro'],
  ['Юлія', 'Yuliia', 'Yulia', 'Julia', 'Юлия', 'Iuliia'],
  ['Олександр', 'Oleksandr', 'Olexandr'],
  ['Ґонгадзе', 'Gongadze', 'Hongadze', 'Гонгадзе'],
  ['Jørgensen', 'Joergensen', 'Jorgensen'],
  ['Ærø', 'Aeroe', 'Aerø'],
  ['Håkon', 'Haakon', 'Hakon'],
  ['Олег', 'Oleh', 'Oleg'],
  ['Ольга', 'Olha', 'Olga'],
  ['Сергій', 'Serhiy', 'Serhii', 'Serhij'],
  ['Євген', 'Yevhen', 'Ievgen', 'Jevgen'],
  ['Андрій', 'Andriy', 'Andrii', 'Andrij'],
  ['Максим', 'Maksym', 'Maxim'],
  ['Ілля', 'Illia', 'Ilya', 'Ilja', 'Илья'],
  ['Наталля', 'Natallia', 'Natalia', 'Nataliya', 'Natalja'],
  ['Марыя Калеснікава', 'Maria Kalesnikava', 'Mariia Kalesnikava'],
  ['Мікола Статкевіч', 'Mikola Statkevich', 'Mikoła Statkievič'],
  ['Юлія Матвійчук', 'Yuliia Matviichuk', 'Yulia Matviychuk'],
  ['Вясна', 'Viasna', 'Wiasna'],
  ['Щербаков', 'Shcherbakov', 'Scherbakov'],
  ['Фёдор', 'Федор', 'Fedor'],
  ['Україна', 'Ukraina', 'Ukrayina'],
  ['Ганна', 'Hanna', 'Ganna'],
  ['Espen Barth Eide', 'ESPEN BARTH EIDE'],
]

// Different people (or different words) that must stay apart after folding.
const DIFFERENT: ReadonlyArray<readonly [string, string, string]> = [
  // Gendered surname forms name different people (a husband and wife, a father and daughter): a duplicate check
  // must not merge them. A search for "Ivanov" still finds "Ivanova" through an FTS5 prefix query.
  ['Ivanov', 'Ivanova', 'masculine and feminine surname'],
  ['Navalny', 'Navalnaya', 'Alexei and Yulia Navalny'],
  ['Siarhei Tsikhanouski', 'Sviatlana Tsikhanouskaya', 'husband and wife'],
  ['Zelensky', 'Zelenska', 'Volodymyr and Olena Zelensky'],
  ['Oleksandr', 'Oleksandra', 'male and female first name'],
  ['Oleh', 'Olha', 'g/h folding keeps the vowels'],
  ['Dmytro', 'Dmitry', 'Ukrainian and Russian first names are different names'],
  ['Kovalenko', 'Kovalchuk', 'different surnames with the same stem'],
  ['Berit Lindeman', 'Gunnar M. Ekeløve-Slydal', 'two signatories of one letter'],
]

// Russian vs Ukrainian/Belarusian forms of one name are different words, not different spellings: folding keeps
// them apart on purpose (merging o/i or -o/-a would merge many unrelated names); an alias list can join them.
const FORMS_NOT_FOLDED: ReadonlyArray<readonly [string, string]> = [
  ['Kyiv', 'Kiev'],
  ['Kharkiv', 'Kharkov'],
  ['Lukashenko', 'Lukashenka'],
  ['Tikhanovskaya', 'Tsikhanouskaya'],
]

const NAME_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'абвгґдеёєжзиіїйклмнопрстуўфхцчшщъыьэюяАБВГҐДЕЁЄЖЗИІЇЙКЛМНОПРСТУЎФХЦЧШЩЪЫЬЭЮЯ',
  ...'øØæÆåÅßłŁđþšČčžŭśćńźżéèëïöüİı',
  ..." -'’ʹʼ.,\u0301\u0308\u0306",
]

describe('foldForSearch / foldName: real name variants', () => {
  it.each(SAME.map((group) => [group[0], group] as const))('%s: every spelling folds to one name', (_, group) => {
    const folded = new Set(group.map((name) => foldName(name)))
    expect([...folded]).toHaveLength(1)
  })

  it.each(DIFFERENT)('%s ≠ %s (%s)', (a, b) => {
    expect(foldName(a)).not.toBe(foldName(b))
  })

  it.each(FORMS_NOT_FOLDED)('%s and %s stay distinct (different word forms)', (a, b) => {
    expect(foldName(a)).not.toBe(foldName(b))
  })

  it('folds the four spellings of the brief to one key', () => {
    expect(foldName('Bialiatski')).toBe('bialacki')
    expect(foldName('Бяляцкі')).toBe('bialacki')
    expect(foldName('Лубінець')).toBe(foldName('Lubinets'))
    expect(foldName('Stoere')).toBe(foldName('Støre'))
  })
})

describe('foldForSearch: shape of the output', () => {
  it('keeps whitespace, digits and punctuation as separators', () => {
    expect(foldForSearch('Kara-Murza, 12/06/2025: «Støre»\n\tЛубінець!')).toBe('kara-murza, 12/06/2025: «store»\n\tlubinec!')
  })

  it('drops apostrophes inside words and soft/hard signs, but keeps quotation marks that open a word', () => {
    expect(foldForSearch("Ukraine's")).toBe('ukraines')
    expect(foldForSearch("м'ясо")).toBe(foldForSearch('мясо'))
    expect(foldForSearch('подъезд')).toBe(foldForSearch('подьезд'))
    expect(foldForSearch("'quoted")).toBe("'quoted")
    // A run of apostrophes goes at once (found by the idempotence property).
    expect(foldForSearch('a’’')).toBe('a')
  })

  it('lets a folded query find a name inside folded text in another script', () => {
    const text = tokenizeFolded('Ukraine’s ombudsman, Дмитро Лубінець, met Jonas Gahr Støre in Oslo.')
    expect(text).toContain(foldToken('Lubinets'))
    expect(text).toContain(foldToken('Dmytro'))
    expect(text).toContain(foldToken('Stoere'))
  })

  it('foldToken removes separators, tokenizeFolded splits on them', () => {
    expect(foldToken('Kara-Murza')).toBe('karamurza')
    expect(tokenizeFolded('  Kara-Murza,  Сенцов ')).toEqual(['kara', 'murza', 'sencov'])
    expect(tokenizeFolded(' ,.- ')).toEqual([])
    expect(foldName('  Gahr   Støre, ')).toBe('hahr store')
  })

  it('keeps the output length close to the input for ordinary prose', () => {
    const prose = 'Ukrainian citizens living under temporary occupation are an extremely vulnerable population.'
    expect(Math.abs(foldForSearch(prose).length - prose.length)).toBeLessThan(prose.length / 10)
    const cyrillic = 'Кримська правозахисна група'
    expect(foldForSearch(cyrillic).length).toBeLessThanOrEqual(cyrillic.length * 2)
  })
})

describe('foldForSearch: properties', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...NAME_CHARS), maxLength: 40 }),
  )

  it('never throws and returns a string for any input', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(typeof foldForSearch(text)).toBe('string')
        expect(Array.isArray(tokenizeFolded(text))).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('is idempotent (foldForSearch and foldName)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = foldForSearch(text)
        expect(foldForSearch(once)).toBe(once)
        const name = foldName(text)
        expect(foldName(name)).toBe(name)
      }),
      { numRuns: 2000 },
    )
  })

  it('outputs no upper-case letters and no combining marks', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const folded = foldForSearch(text)
        expect(folded).not.toMatch(/\p{Lu}|\p{Lt}/u)
        expect(folded).toBe(folded.toLowerCase())
        expect(folded).not.toMatch(/\p{M}/u)
      }),
      { numRuns: 2000 },
    )
  })

  it('leaves no Cyrillic letter of the mapped alphabets behind', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...NAME_CHARS), maxLength: 40 }), (text) => {
        expect(foldForSearch(text)).not.toMatch(/[\u0400-\u04ff]/u)
      }),
      { numRuns: 1000 },
    )
  })
})
