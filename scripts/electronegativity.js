// Build tooling (Node): runs the Electronegativity security analyzer and fails on any finding of medium severity
// or worse. Exceptions are justified next to the code with `eng-disable` comments, never here.
// Two runs: the Electron sources, and the built renderer (where the CSP also sits in a meta tag; main sends the
// same policy as a header on every response, which the analyzer cannot follow into a function call).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ELECTRON_VERSION = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version
const bin = join('node_modules', '.bin', 'electronegativity')
const work = mkdtempSync(join(tmpdir(), 'custodia-eng-'))

const BLOCKING = new Set(['MEDIUM', 'HIGH', 'CRITICAL'])

function run(input, extraArgs = []) {
  const csv = join(work, `${input.replace(/\W+/g, '-')}.csv`)
  // The analyzer tries to fetch Electron's release list and translations and carries on without them.
  execFileSync(bin, ['-i', input, '-r', '-e', ELECTRON_VERSION, '-s', 'medium', '-v', 'false', '-o', csv, ...extraArgs], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 180_000,
  })
  const rows = readFileSync(csv, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+_(?:JS|HTML|JSON|GLOBAL)_CHECK,/.test(line))
    .map((line) => line.split(','))
    .filter((cells) => BLOCKING.has((cells[1] ?? '').replace(/"/g, '')))
  return rows.map((cells) => `${input}: ${cells.slice(0, 5).join(' ')}`)
}

try {
  // Main sends the CSP as a header from serveRenderer (electron/main/window.ts) through buildSecurityHeaders(), a
  // function call the analyzer cannot follow, so its CSP check runs on the built page instead, where the same policy
  // also sits in a meta tag (the second run). That run checks only the CSP: the navigation and permission guards
  // live in main's sources, which the first run analyses.
  const findings = [...run('electron', ['-x', 'CSPGlobalCheck']), ...run('out/renderer', ['-l', 'CSPGlobalCheck'])]
  if (findings.length > 0) {
    console.error(`Electronegativity: ${findings.length} finding(s) of medium severity or worse:`)
    for (const finding of findings) console.error(`  ${finding}`)
    process.exitCode = 1
  } else {
    console.log('Electronegativity: 0 findings of medium severity or worse.')
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}
