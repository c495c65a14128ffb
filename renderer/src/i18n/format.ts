// Renderer: dates, times, numbers and byte sizes as people read them, through Intl in the app's language. The one
// place sizes are written: binary units (KiB, MiB, GiB) because the app counts in powers of 1024 everywhere,
// including the 1 MiB IPC request limit people meet in messages.
import { intl, t } from './intl'

const BYTE_UNITS = [
  { id: 'format.size.kib', factor: 1024 },
  { id: 'format.size.mib', factor: 1024 ** 2 },
  { id: 'format.size.gib', factor: 1024 ** 3 },
] as const

/** A byte count: "512 B", "2.0 KiB", "3.4 MiB", "1.25 GiB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return t('format.size.bytes', { size: intl.formatNumber(bytes) })
  const unit = [...BYTE_UNITS].reverse().find((u) => bytes >= u.factor) ?? BYTE_UNITS[0]
  const digits = unit.factor === 1024 ** 3 ? 2 : 1
  const size = intl.formatNumber(bytes / unit.factor, { minimumFractionDigits: digits, maximumFractionDigits: digits })
  return t(unit.id, { size })
}

/** A moment with date and time ("4 Dec 2026, 13:05"); an unreadable value is shown as it came. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : intl.formatDate(d, { dateStyle: 'medium', timeStyle: 'short' })
}

/** The day of a moment ("4 Dec 2026"), in the local time zone; an unreadable value is shown as it came. */
export function formatDate(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : intl.formatDate(d, { dateStyle: 'medium' })
}

/** A calendar day given as YYYY-MM-DD ("26 May 2025"), the same day in every time zone; anything else as it came. */
export function formatDay(day: string): string {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : new Date(Number.NaN)
  return Number.isNaN(d.getTime()) ? day : intl.formatDate(d, { dateStyle: 'medium', timeZone: 'UTC' })
}

/** Names joined as a sentence joins them, in the app's language ("Viasna", "Viasna and Memorial", "A, B, and C"). */
export function formatNameList(names: readonly string[]): string {
  return intl.formatList(names, { type: 'conjunction' })
}

/** A count in the user's digits and grouping ("12,345"). */
export function formatCount(n: number): string {
  return intl.formatNumber(n)
}

/**
 * A language tag as a name in the app's language ("uk" → "Ukrainian", "nb" → "Norwegian Bokmål"), or null where there
 * is nothing to say: no tag, or a record whose language is not known ("unknown", "und"). A tag Intl cannot name is
 * shown as it is, so its name stays the same from one start to the next. `region: false` names the language alone
 * ("uk-UA" → "Ukrainian", not "Ukrainian (Ukraine)"), for a list whose tags differ in language only.
 * The one place the renderer turns a language tag into words.
 */
export function formatLanguage(tag: string | null | undefined, options: { region?: boolean } = {}): string | null {
  if (!tag || tag === 'unknown' || tag === 'und') return null
  try {
    const named = options.region === false ? new Intl.Locale(tag).language : tag
    return new Intl.DisplayNames([intl.locale], { type: 'language' }).of(named) ?? tag
  } catch {
    return tag
  }
}
