// Renderer: the message catalogs the app ships, one ICU MessageFormat JSON file per language in shared/i18n (the
// same file words the failures of shared/messages), and the choice of one. Adding a language is adding its catalog
// file next to shared/i18n/en.json and one line in CATALOGS; nothing else changes.
import en from '../../../shared/i18n/en.json'
import type { Catalog } from '../../../shared/i18n/sentence'

export type { Catalog, MessageId } from '../../../shared/i18n/sentence'

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
