// Shared by every process: the few words the letter renderer writes itself, per template language.
import type { TemplateLanguage } from './templateModel'

export type LetterStrings = {
  /** The default salutation line for the named recipient(s). */
  readonly salute: (names: string) => string
  readonly greetingGroup: string // when there is no recipient to name
  /** The document title of a letter without a subject line, naming its recipients: "Letter – Anna Sample". */
  readonly letterTo: (names: string) => string
  readonly closing: string
  readonly cc: string
  readonly email: string
  readonly annexHeading: string
  readonly annexColumns: readonly [string, string, string, string, string]
  readonly missing: string // prefix of a visible marker for an empty required field
  readonly unknown: string // prefix of a visible marker for an unknown placeholder
  readonly and: string
  /** The sentence saying how many annex rows were left out. */
  readonly omitted: (count: number, reason: string) => string
  /** The fixed words templates print, reachable in a template as {{words.<name>}} (see LetterWords). */
  readonly words: LetterWords
}

/**
 * Fixed words and phrases of the built-in templates, in the letter's language. A template writes them as
 * `{{words.statement}}`, so a letter drafted in Norwegian says "UTTALELSE" where the English one says "STATEMENT".
 */
export type LetterWords = {
  readonly statement: string
  readonly standpoint: string
  readonly pressRelease: string
  readonly pressContact: string
  readonly sharedBy: string
  readonly ourDemands: string
  readonly weCallFor: string
  readonly weUrgeYou: string
  readonly kindRegards: string
  readonly sincerely: string
  readonly annex: string
  readonly enclosures: string
  readonly page: string
  readonly cc: string
}

/** The names of LetterWords, in a fixed order (the view's shape is built from it). */
export const LETTER_WORD_NAMES = [
  'statement',
  'standpoint',
  'pressRelease',
  'pressContact',
  'sharedBy',
  'ourDemands',
  'weCallFor',
  'weUrgeYou',
  'kindRegards',
  'sincerely',
  'annex',
  'enclosures',
  'page',
  'cc',
] as const satisfies readonly (keyof LetterWords)[]

export const LETTER_STRINGS: Readonly<Record<TemplateLanguage, LetterStrings>> = {
  'en-GB': {
    salute: (names) => `Dear ${names},`,
    greetingGroup: 'Dear Sir or Madam,',
    letterTo: (names) => `Letter – ${names}`,
    closing: 'Yours sincerely,',
    cc: 'CC:',
    email: 'E-mail',
    annexHeading: 'Annex: individual cases',
    annexColumns: ['Name', 'Detained since', 'Place', 'Status', 'Vulnerability'],
    missing: 'missing',
    unknown: 'unknown',
    and: 'and',
    omitted: (n, reason) => `${n} further ${n === 1 ? 'case is' : 'cases are'} not listed: ${reason}.`,
    words: {
      statement: 'STATEMENT',
      standpoint: 'STANDPOINT',
      pressRelease: 'Press release',
      pressContact: 'Press contact',
      sharedBy: 'Shared by:',
      ourDemands: 'Our demands:',
      weCallFor: 'We call for the following:',
      weUrgeYou: 'We therefore urge you to:',
      kindRegards: 'With kind regards,',
      sincerely: 'Yours sincerely,',
      annex: 'Annex',
      enclosures: 'Enclosures',
      page: 'Page',
      cc: 'CC',
    },
  },
  'nb-NO': {
    salute: (names) => `Kjære ${names},`,
    greetingGroup: 'Til den det måtte angå,',
    letterTo: (names) => `Brev – ${names}`,
    closing: 'Med vennlig hilsen',
    cc: 'Kopi:',
    email: 'E-post',
    annexHeading: 'Vedlegg: enkeltsaker',
    annexColumns: ['Navn', 'Fengslet siden', 'Sted', 'Status', 'Sårbarhet'],
    missing: 'mangler',
    unknown: 'ukjent',
    and: 'og',
    omitted: (n, reason) => `${n} ${n === 1 ? 'sak til er' : 'saker til er'} ikke oppført: ${reason}.`,
    words: {
      statement: 'UTTALELSE',
      standpoint: 'STANDPUNKT',
      pressRelease: 'Pressemelding',
      pressContact: 'Pressekontakt',
      sharedBy: 'Står bak:',
      ourDemands: 'Våre krav:',
      weCallFor: 'Vi krever følgende:',
      weUrgeYou: 'Vi ber dere derfor om å:',
      kindRegards: 'Med vennlig hilsen',
      sincerely: 'Med vennlig hilsen',
      annex: 'Vedlegg',
      enclosures: 'Vedlegg',
      page: 'Side',
      cc: 'Kopi',
    },
  },
  'uk-UA': {
    // Ukrainian forms of address are gendered; this neutral greeting fits anyone until a salutation is set.
    salute: (names) => `Доброго дня, ${names}!`,
    greetingGroup: 'Шановні пані та панове,',
    letterTo: (names) => `Лист – ${names}`,
    closing: 'З повагою,',
    cc: 'Копія:',
    email: 'Ел. пошта',
    annexHeading: 'Додаток: окремі справи',
    annexColumns: ["Ім'я", 'Під вартою з', 'Місце', 'Статус', 'Вразливість'],
    missing: 'бракує',
    unknown: 'невідомо',
    and: 'і',
    omitted: (n, reason) => `Ще справ не включено: ${n} (${reason}).`,
    words: {
      statement: 'ЗАЯВА',
      standpoint: 'ПОЗИЦІЯ',
      pressRelease: 'Прес-реліз',
      pressContact: 'Контакт для преси',
      sharedBy: 'Позицію підтримують:',
      ourDemands: 'Наші вимоги:',
      weCallFor: 'Ми закликаємо:',
      weUrgeYou: 'Тому ми закликаємо вас:',
      kindRegards: 'З повагою,',
      sincerely: 'З повагою,',
      annex: 'Додаток',
      enclosures: 'Додатки',
      page: 'Сторінка',
      cc: 'Копія',
    },
  },
  'ru-RU': {
    salute: (names) => `Здравствуйте, ${names}!`,
    greetingGroup: 'Уважаемые дамы и господа,',
    letterTo: (names) => `Письмо – ${names}`,
    closing: 'С уважением,',
    cc: 'Копия:',
    email: 'Эл. почта',
    annexHeading: 'Приложение: отдельные дела',
    annexColumns: ['Имя', 'Под стражей с', 'Место', 'Статус', 'Уязвимость'],
    missing: 'не заполнено',
    unknown: 'неизвестно',
    and: 'и',
    omitted: (n, reason) => `Ещё дел не включено: ${n} (${reason}).`,
    words: {
      statement: 'ЗАЯВЛЕНИЕ',
      standpoint: 'ПОЗИЦИЯ',
      pressRelease: 'Пресс-релиз',
      pressContact: 'Контакт для прессы',
      sharedBy: 'Позицию поддерживают:',
      ourDemands: 'Наши требования:',
      weCallFor: 'Мы призываем:',
      weUrgeYou: 'Поэтому мы призываем вас:',
      kindRegards: 'С уважением,',
      sincerely: 'С уважением,',
      annex: 'Приложение',
      enclosures: 'Приложения',
      page: 'Страница',
      cc: 'Копия',
    },
  },
}

/** Reasons given for left-out annex rows, per audience the letter is going to. */
export const OMITTED_REASONS: Readonly<Record<TemplateLanguage, Readonly<Record<'partners' | 'public', string>>>> = {
  'en-GB': {
    partners: 'the people concerned have not agreed to their case being shared outside the organisation',
    public: 'the people concerned have not agreed to their case being made public',
  },
  'nb-NO': {
    partners: 'de det gjelder har ikke samtykket til at saken deles utenfor organisasjonen',
    public: 'de det gjelder har ikke samtykket til at saken offentliggjøres',
  },
  'uk-UA': {
    partners: 'відповідні особи не погодилися на передачу їхніх справ за межі організації',
    public: 'відповідні особи не погодилися на оприлюднення їхніх справ',
  },
  'ru-RU': {
    partners: 'соответствующие лица не согласились на передачу их дел за пределы организации',
    public: 'соответствующие лица не согласились на обнародование их дел',
  },
}
