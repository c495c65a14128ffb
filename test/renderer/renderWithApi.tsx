// Test helper (jsdom): renders a component the way the app does — inside the I18nProvider and ApiProvider — with the typed client
// (client.ts) over a fake bridge, so every call goes through the real request/ApiError path of the renderer.
import { render, type RenderResult } from '@testing-library/react'
import type { ReactElement } from 'react'
import type { CustodiaBridge } from '../../shared/ipc/contract'
import { ApiProvider } from '../../renderer/src/api/ApiProvider'
import { createApi } from '../../renderer/src/api/client'
import { I18nProvider } from '../../renderer/src/i18n/I18nProvider'

export function renderWithApi(ui: ReactElement, bridge: CustodiaBridge): RenderResult {
  return render(
    <I18nProvider>
      <ApiProvider api={createApi(bridge)}>{ui}</ApiProvider>
    </I18nProvider>,
  )
}
