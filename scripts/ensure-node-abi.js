// Build tooling (Node): `npm start` rebuilds better-sqlite3 for Electron's ABI; the tests run under plain Node.
// Before the tests, make sure the native module loads in this Node, and rebuild it for Node if it does not.
import { execSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
try {
  const Database = require('better-sqlite3')
  new Database(':memory:').close()
} catch (error) {
  if (!/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(String(error))) throw error
  console.error('better-sqlite3 was built for Electron; rebuilding it for Node to run the tests (about 2 minutes)…')
  execSync('npm rebuild better-sqlite3', { stdio: 'inherit' })
}
