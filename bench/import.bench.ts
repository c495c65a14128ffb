// Benchmarks (Node): import throughput — the seed letters (or, where they are absent, our own fixture letters)
// imported again and again (extract → detect → encrypted record → encrypted original attachment) into a fresh vault,
// in documents per second.
import fs from 'node:fs'
import path from 'node:path'
import { loadSodium } from '../electron/core/platform/crypto/sodium'
import { importDocumentBytes } from '../electron/core/library/libraryService'
import { createVault, MIN_KDF } from '../electron/core/vault/vault'
import type { Figure } from './measure'

// `npm run bench` runs from the repository root (the bundle lives in out/main, so no path relative to this file).
// The real seed letters sit beside the repository on CI; a fresh clone measures the fixtures it carries instead.
const SEEDS = path.resolve(process.cwd(), '../shared/fixtures/seed-letters')
const OWN_LETTERS = path.resolve(process.cwd(), 'test/fixtures/letters')
const IMPORTS = 300

export async function runImportBench(opts: { dir: string }): Promise<Figure[]> {
  const fromSeeds = fs.existsSync(SEEDS)
  const source = fromSeeds ? SEEDS : OWN_LETTERS
  // On stderr: stdout carries the figures to the parent process.
  if (!fromSeeds) process.stderr.write('import: seed letters absent (../shared/fixtures/seed-letters), measuring our own fixture letters\n')
  const seeds = fs
    .readdirSync(source)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(source, f)) }))
  const averageKb = seeds.reduce((sum, s) => sum + s.bytes.length, 0) / seeds.length / 1000
  const { vault } = await createVault(path.join(opts.dir, 'import-vault'), new TextEncoder().encode('import bench passphrase'), {
    sodium: await loadSodium('native'),
    kdf: MIN_KDF,
  })
  try {
    // Warm-up: module loading and JIT should not count against the first documents.
    for (const seed of seeds) await importDocumentBytes(vault, seed.bytes, seed.name)
    const started = performance.now()
    for (let i = 0; i < IMPORTS; i++) {
      const seed = seeds[i % seeds.length]!
      await importDocumentBytes(vault, seed.bytes, seed.name)
    }
    const seconds = (performance.now() - started) / 1000
    const label = `${fromSeeds ? 'seed letters' : 'own fixture letters'} (txt, ~${averageKb.toFixed(1)} KB)`
    return [
      {
        name: `import: ${label} incl. attachment`,
        value: IMPORTS / seconds,
        unit: 'docs/s',
        goal: '≥ 20 (100 letters in ≤ 5 s; each import fsyncs its encrypted original)',
      },
    ]
  } finally {
    vault.lock()
  }
}
