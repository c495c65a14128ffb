// Shared (renderer, CLI, core): formats a sentence of the message catalog (shared/i18n/<language>.json, ICU
// MessageFormat) without React, for the code that words failures outside components (shared/messages). English
// unless the renderer chooses the user's language at start-up; the CLI stays English.
import { IntlMessageFormat } from 'intl-messageformat'
import en from './en.json'

/** Every message id: the keys of the English catalog, which is complete by definition. */
export type MessageId = keyof typeof en

export type Catalog = Partial<Record<MessageId, string>>

export type MessageValues = Record<string, string | number | boolean | Date | null | undefined>

let current: { locale: string; messages: Catalog } = { locale: 'en', messages: en }
const compiled = new Map<string, IntlMessageFormat>()

/** Words the sentences below in `locale` from `messages` (falling back to English per message); called once by the renderer. */
export function setSentenceLanguage(locale: string, messages: Catalog): void {
  current = { locale, messages }
  compiled.clear()
}

/** One catalog message, formatted (plurals, numbers) in the chosen language. */
export function sentence(id: MessageId, values?: MessageValues): string {
  let format = compiled.get(id)
  if (!format) {
    const translated = current.messages[id]
    format = translated ? new IntlMessageFormat(translated, current.locale) : new IntlMessageFormat(en[id], 'en')
    compiled.set(id, format)
  }
  return String(format.format(values))
}

/**
 * A table of catalog sentences read in the current language each time (a getter per key), so a table built when its
 * module loads still speaks the language the renderer chooses afterwards. For code outside the renderer's components
 * (core, CLI, printed lists) that needs a name by its code; the catalog stays the one place for the words.
 */
export function worded<K extends string>(ids: Readonly<Record<K, MessageId>>): Readonly<Record<K, string>> {
  const table = {} as Record<K, string>
  for (const [key, id] of Object.entries(ids) as [K, MessageId][])
    Object.defineProperty(table, key, { enumerable: true, get: () => sentence(id) })
  return table
}
