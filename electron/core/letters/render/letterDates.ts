// Main process (core, Node only): dates as they are written in letters, per template language.
import { CustodiaError } from '../../../../shared/errors'
import { IsoDateSchema, type TemplateLanguage } from '../../../../shared/letters/templateModel'

const formatters = new Map<TemplateLanguage, Intl.DateTimeFormat>()

/**
 * Formats an ISO date (YYYY-MM-DD) the way a letter writes it: en-GB "26 May 2025", nb-NO "26. mai 2025",
 * uk-UA "26 травня 2025". UTC on both sides, so the day never shifts with the machine's time zone.
 * Only the day, month and year parts are kept: ICU adds a trailing " р." (рік) in Ukrainian, which letters omit.
 * Throws CustodiaError('VALIDATION') for anything that is not a calendar date.
 */
export function formatLetterDate(isoDate: string, locale: TemplateLanguage): string {
  if (!IsoDateSchema.safeParse(isoDate).success) {
    throw new CustodiaError('VALIDATION', 'date must be a calendar date written as YYYY-MM-DD')
  }
  let formatter = formatters.get(locale)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    formatters.set(locale, formatter)
  }
  const parts = formatter.formatToParts(new Date(`${isoDate}T12:00:00Z`))
  const yearIndex = parts.findIndex((p) => p.type === 'year')
  return parts
    .slice(0, yearIndex + 1)
    .map((p) => p.value)
    .join('')
    .trim()
}
