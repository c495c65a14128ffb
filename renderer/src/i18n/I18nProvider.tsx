// Renderer: gives components the app's formatter (useIntl, <FormattedMessage>, <FormattedDate>); used at the app root
// and by the renderer tests' render helper, so both format exactly the same way.
import type { ReactNode } from 'react'
import { RawIntlProvider } from 'react-intl'
import { intl } from './intl'

export function I18nProvider({ children }: { children: ReactNode }) {
  return <RawIntlProvider value={intl}>{children}</RawIntlProvider>
}
