// Renderer: the message catalogs the app ships, one ICU MessageFormat JSON file per language, and the choice of one.
// Adding a language is adding its catalog file next to en.json and one line in CATALOGS; nothing else changes.
import en from './en.json'

/** Every message id the app may show: the keys of the English catalog, which is complete by definition. */
export type MessageId = keyof typeof en

export type Catalog = Partial<Record<MessageId, string>>

/** Language tag → catalog. English first: it is the fallback for any message another catalog lacks. */
export const CATALOGS: Readonly<Record<string, Catalog>> = {
  en,
}

export const FALLBACK_LOCALE = 'en'

/**
 * The first of the user's preferred languages we have a catalog for, trying each tag and then its base language
 * ("pt-BR" → "pt"); English when none matches.
 */
export function pickLocale(preferred: readonly string[]): string {
  for (const tag of preferred) {
    if (CATALOGS[tag]) return tag
    const base = tag.split('-')[0] ?? ''
    if (CATALOGS[base]) return base
  }
  return FALLBACK_LOCALE
}
