// Renderer: hands the typed API (client.ts) to every component through React context, so it is given once — by App —
// instead of through props. Tests wrap a component in the same provider around a fake bridge.
import { createContext, useContext, type ReactNode } from 'react'
import type { Api } from './client'
import { t } from '../i18n/intl'

const ApiContext = createContext<Api | null>(null)

export function ApiProvider({ api, children }: { api: Api; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
}

/** The typed API of the nearest ApiProvider. Without one it throws: that is a wiring mistake, not a user's. */
export function useApi(): Api {
  const api = useContext(ApiContext)
  if (api === null) throw new Error(t('api.apiProvider.useapiWasCalledOutside'))
  return api
}
