// Shared by every process: the few words the letter renderer writes itself, per template language.
import type { TemplateLanguage } from './templateModel'

export type LetterStrings = {
  /** The default salutation line for the named recipient(s). */
  readonly salute: (names: string) => string
  readonly greetingGroup: string // when there is no recipient to name
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
}

export const LETTER_STRINGS: Readonly<Record<TemplateLanguage, LetterStrings>> = {
  'en-GB': {
    salute: (names) => `Dear ${names},`,
    greetingGroup: 'Dear Sir or Madam,',
    closing: 'Yours sincerely,',
    cc: 'CC:',
    email: 'E-mail',
    annexHeading: 'Annex: individual cases',
    annexColumns: ['Name', 'Detained since', 'Place', 'Status', 'Vulnerability'],
    missing: 'missing',
    unknown: 'unknown',
    and: 'and',
    omitted: (n, reason) => `${n} further ${n === 1 ? 'case is' : 'cases are'} not listed: ${reason}.`,
  },
  'nb-NO': {
    salute: (names) => `Kjære ${names},`,
    greetingGroup: 'Til den det måtte angå,',
    closing: 'Med vennlig hilsen',
    cc: 'Kopi:',
    email: 'E-post',
    annexHeading: 'Vedlegg: enkeltsaker',
    annexColumns: ['Navn', 'Fengslet siden', 'Sted', 'Status', 'Sårbarhet'],
    missing: 'mangler',
    unknown: 'ukjent',
    and: 'og',
    omitted: (n, reason) => `${n} ${n === 1 ? 'sak til er' : 'saker til er'} ikke oppført: ${reason}.`,
  },
  'uk-UA': {
    // Ukrainian forms of address are gendered; this neutral greeting fits anyone until a salutation is set.
    salute: (names) => `Доброго дня, ${names}!`,
    greetingGroup: 'Шановні пані та панове,',
    closing: 'З повагою,',
    cc: 'Копія:',
    email: 'Ел. пошта',
    annexHeading: 'Додаток: окремі справи',
    annexColumns: ["Ім'я", 'Під вартою з', 'Місце', 'Статус', 'Вразливість'],
    missing: 'бракує',
    unknown: 'невідомо',
    and: 'і',
    omitted: (n, reason) => `Ще справ не включено: ${n} (${reason}).`,
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
}
