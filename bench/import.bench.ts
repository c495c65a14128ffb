// Benchmarks (Node): import throughput — the five seed letters imported again and again (extract → detect →
// encrypted record → encrypted original attachment) into a fresh vault, in documents per second.
import fs from 'node:fs'
import path from 'node:path'
import { loadSodium } from '../electron/core/platform/crypto/sodium'
import { importDocumentBytes } from '../electron/core/library/libraryService'
import { createVault, MIN_KDF } from '../electron/core/vault/vault'
import type { Figure } from './measure'

// `npm run bench` runs from the repository root (the bundle lives in out/main, so no path relative to this file).
const SEEDS = path.resolve(process.cwd(), '../shared/fixtures/seed-letters')
const IMPORTS = 300

export async function runImportBench(opts: { dir: string }): Promise<Figure[]> {
  const seeds = fs
    .readdirSync(SEEDS)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(SEEDS, f)) }))
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
    return [{ name: 'import: seed letters (txt, ~5 KB) incl. attachment', value: IMPORTS / seconds, unit: 'docs/s', goal: '≥ 20 (100 letters in ≤ 5 s; each import fsyncs its encrypted original)' }]
  } finally {
    vault.lock()
  }
}
