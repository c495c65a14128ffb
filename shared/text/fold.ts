// Shared (main and renderer): script- and diacritic-insensitive folding of text and names for search and duplicates.
//
// Every string goes through the same four steps, so a query and a document meet whatever script or romanisation
// each was written in:
//   1. lower-case (locale-independent);
//   2. transliterate Cyrillic letter by letter to a loose Latin form, and fold letters that Unicode does not
//      decompose (ø, æ, ł, ß, þ …); Czech/Łacinka š and č become sh and ch, as in the English romanisations;
//   3. NFKD and drop every combining mark (é → e, й was already handled in step 2, ŭ → u, ż → z …);
//   4. rewrite the Latin result to a *skeleton* in which the usual romanisation variants coincide (table below).
// The output is only ever compared with other folded strings: it is a key, not something to show a user.
// Whitespace, digits and punctuation pass through unchanged, so word boundaries survive for the FTS5 tokenizer;
// only apostrophes inside a word (and the soft/hard-sign primes ʹ ʺ ʼ) are dropped, and the output length stays
// within a few characters per word of the input.
//
// Skeleton (applied to lower-case Latin, repeated until nothing changes so folding is idempotent):
//   Polish spellings      szcz → shch, sz → sh, cz → ch                (Łukaszenka ≡ Lukashenka)
//   Norwegian spellings   tsj → ch, sj → sh, zj → zh                   (Lukasjenko ≡ Lukashenko, Tsjernobyl)
//   щ                     shch → sch                                   (shch/sch meet; Norwegian sjtsj too)
//   х, г, ґ               kh → h, g → h                                (Kharkiv/Harkiv, Oleh/Oleg, Hongadze/Gongadze)
//   ж                     zh → z                                       (ž and ż already became z in step 3)
//   ц                     ts → c, tz → c                               (Lubinets/Lubinec, Bialiatski/Bialacki)
//   misc consonants       x → ks, w → v                                (Olexandr ≡ Oleksandr, Nawalny ≡ Navalny)
//   й, ы, і, ї            y → i, j → i                                 so ya/ia/ja → ia, yu/iu/ju → iu, yi/ii → i
//   е/є after i           i…ie → e                                     (Yevhen/Ievhen/Evhen, Siarhiej/Siarhei)
//   Norwegian ø as oe     oe → o                                       (Stoere ≡ Støre ≡ Store)
//   soft l (Łacinka ля)   l + i… + vowel → l + vowel                   (Bialiatski ≡ Bialacki, Illia ≡ Ilja ≡ Ila)
//   double letters        any doubled a–z letter → one                 (Zelenskyy ≡ Zelensky, Haakon ≡ Håkon)
// Cyrillic table (step 2): а a, б b, в v, г h, ґ g, д d, е e, ё e, є ie, ж zh, з z, и i, і i, ї i, й i, к k, л l,
//   м m, н n, о o, п p, р r, с s, т t, у u, ў u, ф f, х kh, ц ts, ч ch, ш sh, щ shch, ъ –, ы y, ь –, э e, ю iu,
//   я ia, plus Serbian/Macedonian (ђ dj, ј j, љ lj, њ nj, ћ c, џ dz, ѓ g, ќ k, ѕ dz) and Kazakh (ә a, ғ g, қ k,
//   ң n, ө o, ұ u, ү u, һ h). ё → e on purpose: Russian text writes е for ё most of the time (Фёдор = Федор).
// Deliberately NOT folded (they are different word forms, not different spellings; an alias list is the tool):
//   Russian vs Ukrainian/Belarusian forms (Kiev/Kyiv, Kharkov/Kharkiv, Lukashenko/Lukashenka,
//   Tikhanovskaya/Tsikhanouskaya), gendered surnames (Ivanov/Ivanova), German ch = х and s = з, Łacinka ch = х.
// The price of the skeleton is extra recall in English text (g/h, w/v, y/i meet: "wine" finds "vine"); search
// ranks, and duplicate detection compares whole names, so that is acceptable.

const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'h',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ie',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ў: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
  ђ: 'dj',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  џ: 'dz',
  ѓ: 'g',
  ќ: 'k',
  ѕ: 'dz',
  ә: 'a',
  ғ: 'g',
  қ: 'k',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
}

// Latin letters that NFKD leaves whole (or that we want spelt as in English romanisations before step 3).
const LATIN: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  ŀ: 'l',
  ĸ: 'k',
  ſ: 's',
  ŋ: 'n',
  š: 'sh',
  č: 'ch',
  // Soft and hard signs written as modifier letters (BGN/PCGN ʹ ʺ, Ukrainian apostrophe ʼ) carry no sound.
  ʹ: '',
  ʺ: '',
  ʼ: '',
}

const LETTER_MAP: Readonly<Record<string, string>> = { ...CYRILLIC, ...LATIN }
const MAPPED_LETTERS = new RegExp(`[${Object.keys(LETTER_MAP).join('')}]`, 'gu')
const COMBINING_MARKS = /\p{M}+/gu
// An apostrophe right after a letter is part of the word (Ukrainian "м'ясо", "O'Brien", a trailing soft sign).
const IN_WORD_APOSTROPHE = /(?<=[\p{L}\p{N}])['’‘`´]+/gu

const SKELETON_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/szcz/g, 'shch'],
  [/sz/g, 'sh'],
  [/cz/g, 'ch'],
  [/tsj/g, 'ch'],
  [/sj/g, 'sh'],
  [/zj/g, 'zh'],
  [/shch/g, 'sch'],
  [/kh/g, 'h'],
  [/zh/g, 'z'],
  [/t[sz]/g, 'c'],
  [/x/g, 'ks'],
  [/w/g, 'v'],
  [/g/g, 'h'],
  [/[yj]/g, 'i'],
  [/i+e/g, 'e'],
  [/oe/g, 'o'],
  [/li+(?=[aoue])/g, 'l'],
  [/([a-z])\1+/g, '$1'],
]

function mapLetters(text: string): string {
  return text.replace(MAPPED_LETTERS, (ch) => LETTER_MAP[ch] ?? ch)
}

function applySkeleton(text: string): string {
  // Each pass either shortens the text or turns a letter into one that no rule rewrites again (v, h, i), so the
  // loop ends; the bound is only a guard.
  let current = text
  for (let pass = 0; pass < 16; pass += 1) {
    let next = current
    for (const [pattern, replacement] of SKELETON_RULES) next = next.replace(pattern, replacement)
    if (next === current) return current
    current = next
  }
  return current
}

/** Fold free text for the search index and for queries: same words in any script/romanisation give the same output. */
export function foldForSearch(text: string): string {
  let s = text.normalize('NFC').toLowerCase()
  s = mapLetters(s)
  s = s.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase()
  // NFKD can expose letters step 2 had not seen (ѝ → и, compatibility forms); map them as well.
  s = mapLetters(s).replace(COMBINING_MARKS, '')
  s = s.replace(IN_WORD_APOSTROPHE, '')
  return applySkeleton(s)
}

/** Split text into folded words (runs of letters and digits); separators are dropped. */
export function tokenizeFolded(text: string): string[] {
  return foldForSearch(text).match(/[\p{L}\p{N}]+/gu) ?? []
}

/** Fold one word into one token: separators inside it are removed ("Kara-Murza" → "karamurza"). */
export function foldToken(word: string): string {
  return tokenizeFolded(word).join('')
}

/** Fold a person's name for comparison: folded words joined by single spaces ("Kara-Murza" ≡ "Kara Murza"). */
export function foldName(name: string): string {
  return tokenizeFolded(name).join(' ')
}
