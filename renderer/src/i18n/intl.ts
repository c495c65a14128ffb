// Renderer: the one formatter every visible string, date, number and size goes through (react-intl / FormatJS).
// The locale is chosen once at start-up from the system's languages; a change of system language applies at the next
// start. Components read the same object with useIntl() below the IntlProvider; code outside components (toasts,
// confirmations built in hooks, helpers) uses t() directly.
import { createIntl, createIntlCache, type IntlShape } from 'react-intl'
import { setSentenceLanguage, type MessageValues } from '../../../shared/i18n/sentence'
import { CATALOGS, FALLBACK_LOCALE, pickLocale, type MessageId } from './catalogs'

function systemLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return []
  return navigator.languages?.length ? navigator.languages : [navigator.language]
}

const locale = pickLocale(systemLanguages())

// A language's catalog over English: a message not yet translated shows in English rather than as its id.
const messages = { ...CATALOGS[FALLBACK_LOCALE], ...CATALOGS[locale] }

export const intl: IntlShape = createIntl({ locale, defaultLocale: FALLBACK_LOCALE, messages }, createIntlCache())

// Failures worded by shared/messages speak the same language as the rest of the app.
setSentenceLanguage(locale, messages)

/** A catalog message, formatted with ICU MessageFormat (plurals, selects, numbers) in the user's language. */
export function t(id: MessageId, values?: MessageValues): string {
  return intl.formatMessage({ id }, values)
}
