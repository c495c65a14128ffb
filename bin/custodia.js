#!/usr/bin/env node
// The `custodia` command: a thin launcher for the built CLI (out/main/cli.js), which shares the app's core.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(cli)) {
  console.error('custodia: the command is not built yet. Run `npm run build` in the Custodia folder first.')
  process.exit(70)
}
await import(pathToFileURL(cli).href)
