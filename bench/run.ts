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

function printRow(suite: string, figure: Figure): void {
  console.log(`${suite.padEnd(10)} ${figure.name.padEnd(NAME_WIDTH)} ${formatValue(figure.value).padStart(10)} ${figure.unit.padEnd(7)} ${figure.goal ?? ''}`)
}

const NAME_WIDTH = 78

/** Runs the suites named on the command line (all by default), printing each suite's rows as soon as it ends. */
async function main(): Promise<void> {
  const only = process.argv.slice(2)
  console.log(`${'suite'.padEnd(10)} ${'figure'.padEnd(NAME_WIDTH)} ${'value'.padStart(10)} unit    goal`)
  let failed = 0
  for (const suite of SUITES) {
    if (only.length > 0 && !only.includes(suite.name)) continue
    const dir = mkdtempSync(join(tmpdir(), `custodia-bench-${suite.name}-`))
    try {
      process.stderr.write(`running ${suite.name}…\n`)
      for (const figure of await suite.run(dir)) printRow(suite.name, figure)
    } catch (error) {
      // One broken suite must not hide the figures of the others.
      failed++
      console.log(`${suite.name.padEnd(10)} FAILED: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  if (failed > 0) process.exitCode = 1
}

await main()
