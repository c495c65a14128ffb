// Test helper (jsdom): renders a component the way the app does — inside the ApiProvider — with the typed client
// (client.ts) over a fake bridge, so every call goes through the real request/ApiError path of the renderer.
import { render, type RenderResult } from '@testing-library/react'
import type { ReactElement } from 'react'
import type { CustodiaBridge } from '../../shared/ipc/contract'
import { ApiProvider } from '../../renderer/src/api/ApiProvider'
import { createApi } from '../../renderer/src/api/client'

export function renderWithApi(ui: ReactElement, bridge: CustodiaBridge): RenderResult {
  return render(<ApiProvider api={createApi(bridge)}>{ui}</ApiProvider>)
}
