// Renderer entry: mounts the app. Runs sandboxed with no Node; talks to main only through api/client.ts.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { getApi } from './api/client'
import { I18nProvider } from './i18n/I18nProvider'
import './styles.css'

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <App api={getApi()} />
      </I18nProvider>
    </StrictMode>,
  )
}
