// Renderer entry: mounts the app. Runs sandboxed with no Node; talks to main only through api/client.ts.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { getApi } from './api/client'
import './styles.css'

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App api={getApi()} />
    </StrictMode>,
  )
}
