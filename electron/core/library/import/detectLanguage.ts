// Main process (Node): language of an imported document and of the passages in other languages (no dependency).
// Each passage is classified on its own, so a Ukrainian letterhead on an English statement is noticed:
//   Cyrillic runs of words by letters: ў, or і together with ы/э → Belarusian; ї є ґ і, -ськ-, -ться and a few
//     words → Ukrainian; ы э ъ ё, -ая/-ые/-ое/-ый and a few words → Russian; no evidence → not counted;
//   Latin lines by stop words; Norwegian vs Danish vs Swedish by the words that differ (av/af/av, etter/efter/efter,
//     hva/hvad/vad, mot/mod/mot, blir/bliver/blir, noen/nogle/några …), ties going to Norwegian (our users).
// The document's language is the one with the most letters on lines attributed to it.

export type LanguageCode = 'en' | 'nb' | 'nn' | 'da' | 'sv' | 'de' | 'fr' | 'pl' | 'uk' | 'be' | 'ru' | 'und'

export interface DetectedLanguages {
  readonly language: LanguageCode
  /** Other languages with at least one clear passage, most text first. */
  readonly otherLanguages: LanguageCode[]
  /** Share (0–1) of the attributed letters that are in `language`. */
  readonly confidence: number
}

type LatinLanguage = 'en' | 'nb' | 'nn' | 'da' | 'sv' | 'de' | 'fr' | 'pl'

const STOP_WORDS: Readonly<Record<LatinLanguage, ReadonlySet<string>>> = {
  en: new Set(
    'the and of to in is that for on with as are be this by from we it not have has was were will an or their which our you at its been they these those would should can all also who into than'.split(
      ' ',
    ),
  ),
  nb: new Set(
    'og i det er som på til av ikke med for har en et de vi fra om men kan også eller hva hvordan dette etter mot skal vil blir ble noen bare når må seg meg deg mye gjennom mellom uten hun han den jeg sin sitt sine være vært hvis fordi disse'.split(
      ' ',
    ),
  ),
  nn: new Set(
    'og i det er som på til av ikkje med for har ein eit dei vi frå om men kan også eller kva korleis dette etter mot skal vil blir vart nokon berre når må seg meg deg mykje gjennom mellom utan ho han den eg sin sitt sine vere vore'.split(
      ' ',
    ),
  ),
  da: new Set(
    'og i det er som på til af ikke med for har en et de vi fra om men kan også eller hvad hvordan dette efter mod skal vil bliver blev nogle nogen kun når må sig mig dig meget gennem mellem uden hun han den jeg sin sit sine være været hvis fordi disse'.split(
      ' ',
    ),
  ),
  sv: new Set(
    'och i det är som på till av inte med för har en ett de vi från om men kan också eller vad hur detta efter mot ska vill blir blev några bara när måste sig mig dig mycket genom mellan utan hon han den jag sin sitt sina vara varit'.split(
      ' ',
    ),
  ),
  de: new Set(
    'der die das und ist nicht zu den mit von sich des auf für im dem ein eine als auch es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch'.split(
      ' ',
    ),
  ),
  fr: new Set(
    'le la les de des et est un une du en que qui dans pour pas sur au avec il elle ce ne se plus par sont nous vous ont été cette aux'.split(
      ' ',
    ),
  ),
  pl: new Set('i w na z że się nie do to jest o jak po co ale od za przez dla są jego tak oraz które który która tym też'.split(' ')),
}
// Ties between languages sharing most stop words go to the first in this list.
const LATIN_ORDER: readonly LatinLanguage[] = ['en', 'nb', 'da', 'sv', 'nn', 'de', 'fr', 'pl']

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0
}

const UK_WORDS = new Set('та що це або від який яка які яке щоб також більш дуже його її їх ще вже як'.split(' '))
const RU_WORDS = new Set(
  'что это или также который которая которые только был была было если чтобы при вы мы все уже так как его её'.split(' '),
)

/** Classify a Cyrillic passage by its letters, endings and a few words; null when nothing tells them apart. */
export function classifyCyrillic(text: string): 'uk' | 'be' | 'ru' | null {
  const t = text.toLowerCase()
  const beOnly = count(t, /ў/g)
  const iDotted = count(t, /і/g)
  const yeru = count(t, /[ыэ]/g)
  if (beOnly > 0 || (iDotted > 0 && yeru > 0)) return 'be'
  const tokens = t.match(/\p{Script=Cyrillic}+/gu) ?? []
  const uk =
    3 * count(t, /[їєґ]/g) +
    iDotted +
    2 * count(t, /[сцз]ьк/g) +
    2 * count(t, /ться(?!\p{L})/gu) +
    tokens.filter((w) => UK_WORDS.has(w)).length
  const ru = 2 * yeru + 2 * count(t, /[ъё]/g) + count(t, /(?:ая|яя|ые|ое|ый)(?!\p{L})/gu) + tokens.filter((w) => RU_WORDS.has(w)).length
  if (uk === ru) return null
  return uk > ru ? 'uk' : 'ru'
}

function classifyLatin(words: readonly string[]): { language: LatinLanguage; hits: number; margin: number } | null {
  let best: LatinLanguage | null = null
  let bestHits = 0
  let second = 0
  for (const language of LATIN_ORDER) {
    const set = STOP_WORDS[language]
    let hits = 0
    for (const word of words) if (set.has(word)) hits += 1
    if (hits > bestHits) {
      second = bestHits
      bestHits = hits
      best = language
    } else if (hits > second) second = hits
  }
  return best === null ? null : { language: best, hits: bestHits, margin: bestHits - second }
}

/** Detect the main language of `text` and the other languages it has passages in. Never throws. */
export function detectLanguages(text: string): DetectedLanguages {
  const letters = new Map<LanguageCode, number>()
  const add = (language: LanguageCode, amount: number): void => {
    letters.set(language, (letters.get(language) ?? 0) + amount)
  }
  // Cyrillic passages: runs of Cyrillic words not interrupted by a Latin word (a letterhead may span lines).
  const cyrillicRuns = text.split(/\p{Script=Latin}+/u)
  for (const run of cyrillicRuns) {
    const runWords = run.match(/\p{Script=Cyrillic}{2,}/gu) ?? []
    // One Cyrillic word is a name or a label; a passage has at least two words.
    if (runWords.length < 2) continue
    const language = classifyCyrillic(run)
    if (language !== null) add(language, runWords.join('').length)
  }
  for (const line of text.split(/\n+/)) {
    const latin = count(line, /\p{Script=Latin}/gu)
    if (latin === 0) continue
    const lineWords = (line.toLowerCase().match(/\p{Script=Latin}+/gu) ?? []) as string[]
    const verdict = classifyLatin(lineWords)
    if (verdict === null || verdict.margin === 0) continue
    // Short lines with one shared word ("i", "in") are not evidence of a language.
    if (verdict.language !== 'en' && (verdict.hits < 3 || verdict.margin < 2)) continue
    add(verdict.language, latin)
  }
  const ranked = [...letters.entries()].sort((a, b) => b[1] - a[1])
  const total = ranked.reduce((sum, [, n]) => sum + n, 0)
  const [first] = ranked
  if (first === undefined) return { language: 'und', otherLanguages: [], confidence: 0 }
  return {
    language: first[0],
    otherLanguages: ranked.slice(1).map(([language]) => language),
    confidence: Math.round((first[1] / total) * 100) / 100,
  }
}
