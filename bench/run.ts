// Benchmarks (Node): `npm run bench` — runs every suite and prints one table of figures with their goals.
// Figures are printed, never asserted: the goals are read by people, on the machine at hand.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Figure } from './measure'
import { loadLetterFonts } from '../electron/core/templates/render'
import { runAnchoringBench } from './anchoring.bench'
import { runBundlesBench } from './bundles.bench'
import { runDossiersBench } from './dossiers.bench'
import { runImportBench } from './import.bench'
import { runLettersBench } from './letters.bench'
import { runPdfBench } from './pdf.bench'
import { runSearchBench } from './search.bench'
import { runVaultBench } from './vault.bench'

// `npm run bench` runs from the repository root; resources are read from there.
const RESOURCES = join(process.cwd(), 'resources')

interface Suite {
  name: string
  run(dir: string): Promise<Figure[]>
}

const SUITES: Suite[] = [
  { name: 'vault', run: (dir) => runVaultBench({ dir }) },
  { name: 'search', run: (dir) => runSearchBench({ dir }) },
  { name: 'import', run: (dir) => runImportBench({ dir }) },
  { name: 'anchoring', run: () => runAnchoringBench() },
  { name: 'dossiers', run: (dir) => runDossiersBench({ dir }) },
  { name: 'letters', run: () => runLettersBench({ fonts: loadLetterFonts(join(RESOURCES, 'fonts')) }) },
  { name: 'pdf', run: (dir) => runPdfBench({ dir }) },
  {
    name: 'bundles',
    // The vault stores each attachment's SHA-256 at add time, so app exports take the one-read path: say so by name.
    run: async (dir) =>
      (await runBundlesBench({ dir })).map((f) =>
        f.name.includes('hash known') ? { ...f, name: `${f.name} [vault-stored SHA-256: hash pass skipped]` } : f,
      ),
  },
]

function formatValue(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value)
  if (Math.abs(value) >= 100) return value.toFixed(0)
  if (Math.abs(value) >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const rows: (Figure & { suite: string })[] = []
  for (const suite of SUITES) {
    if (only.length > 0 && !only.includes(suite.name)) continue
    const dir = mkdtempSync(join(tmpdir(), `custodia-bench-${suite.name}-`))
    try {
      process.stderr.write(`running ${suite.name}…\n`)
      for (const figure of await suite.run(dir)) rows.push({ ...figure, suite: suite.name })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const nameWidth = Math.max(...rows.map((r) => r.name.length), 10)
  console.log(`${'suite'.padEnd(10)} ${'figure'.padEnd(nameWidth)} ${'value'.padStart(10)} unit    goal`)
  for (const r of rows) {
    console.log(`${r.suite.padEnd(10)} ${r.name.padEnd(nameWidth)} ${formatValue(r.value).padStart(10)} ${r.unit.padEnd(7)} ${r.goal ?? ''}`)
  }
}

await main()
