// Shared (main and renderer): a moment written as people write a date, "3 December 2026", for sentences such as
// "This bundle was already imported on 3 December 2026." Core and the UI call this one function so they agree.

const formatter = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric' })

/**
 * The calendar day of an ISO 8601 timestamp in this machine's time zone (the day the user lived it), as
 * "3 December 2026". A string that is not a date is returned unchanged rather than as "Invalid Date".
 */
export function formatPlainDate(isoTimestamp: string): string {
  const date = new Date(isoTimestamp)
  return Number.isNaN(date.getTime()) ? isoTimestamp : formatter.format(date)
}
