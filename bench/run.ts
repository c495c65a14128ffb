// Benchmarks (Node): `npm run bench` — runs every suite and prints one table of figures with their goals.
// Figures are printed, never asserted: the goals are read by people, on the machine at hand.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Figure } from './measure'

// `npm run bench` runs from the repository root; resources are read from there.
const RESOURCES = join(process.cwd(), 'resources')

interface Suite {
  name: string
  run(dir: string): Promise<Figure[]>
}

// Each suite imports its code only when it runs, in its own child process: a suite's speed and memory figures must
// not carry the modules of the others (PDF, search and Chromium code loaded at start-up doubled the bundle suite's
// RSS and halved its age-layer throughput).
const SUITES: Suite[] = [
  { name: 'vault', run: async (dir) => (await import('./vault.bench')).runVaultBench({ dir }) },
  { name: 'members', run: async (dir) => (await import('./members.bench')).runMembersBench({ dir }) },
  { name: 'integrity', run: async (dir) => (await import('./integrity.bench')).runIntegrityBench({ dir }) },
  { name: 'search', run: async (dir) => (await import('./search.bench')).runSearchBench({ dir }) },
  { name: 'panic', run: async (dir) => (await import('./panic.bench')).runPanicBench({ dir }) },
  { name: 'import', run: async (dir) => (await import('./import.bench')).runImportBench({ dir }) },
  { name: 'anchoring', run: async () => (await import('./anchoring.bench')).runAnchoringBench() },
  { name: 'dossiers', run: async (dir) => (await import('./dossiers.bench')).runDossiersBench({ dir }) },
  {
    name: 'letters',
    run: async () => {
      const { loadLetterFonts } = await import('../electron/core/letters/render/render')
      return (await import('./letters.bench')).runLettersBench({ fonts: loadLetterFonts(join(RESOURCES, 'fonts')) })
    },
  },
  { name: 'pdf', run: async (dir) => (await import('./pdf.bench')).runPdfBench({ dir }) },
  { name: 'bundles', run: async (dir) => (await import('./bundles.bench')).runBundlesBench({ dir }) },
  { name: 'sync', run: async (dir) => (await import('./sync.bench')).runSyncBench({ dir }) },
  // 2 GiB of attachments; CUSTODIA_BENCH_BACKUP_MIB=256 npm run bench -- backup for a quick run.
  { name: 'backup', run: async (dir) => (await import('./backup.bench')).runBackupBench({ dir }) },
]

function formatValue(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value)
  if (Math.abs(value) >= 100) return value.toFixed(0)
  if (Math.abs(value) >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

function printRow(suite: string, figure: Figure): void {
  console.log(
    `${suite.padEnd(10)} ${figure.name.padEnd(NAME_WIDTH)} ${formatValue(figure.value).padStart(10)} ${figure.unit.padEnd(7)} ${figure.goal ?? ''}`,
  )
}

const NAME_WIDTH = 78

const CHILD_FLAG = '--suite-in-child'

/** In a child process: runs one suite and hands its figures to the parent as one JSON line. */
async function runChild(name: string): Promise<void> {
  const suite = SUITES.find((s) => s.name === name)
  if (!suite) throw new Error(`unknown suite ${name}`)
  const dir = mkdtempSync(join(tmpdir(), `custodia-bench-${suite.name}-`))
  try {
    process.stdout.write(`${JSON.stringify(await suite.run(dir))}\n`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Runs the suites named on the command line (all by default), each in a fresh process so that memory figures
 * (peak RSS) measure that suite alone, and prints each suite's rows as soon as it ends.
 */
async function main(): Promise<void> {
  const only = process.argv.slice(2)
  console.log(`${'suite'.padEnd(10)} ${'figure'.padEnd(NAME_WIDTH)} ${'value'.padStart(10)} unit    goal`)
  let failed = 0
  for (const suite of SUITES) {
    if (only.length > 0 && !only.includes(suite.name)) continue
    process.stderr.write(`running ${suite.name}…\n`)
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), CHILD_FLAG, suite.name], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    })
    const lastLine = child.stdout.trim().split('\n').pop() ?? ''
    try {
      if (child.status !== 0) throw new Error(`exit ${child.status ?? child.signal}`)
      for (const figure of JSON.parse(lastLine) as Figure[]) printRow(suite.name, figure)
    } catch (error) {
      // One broken suite must not hide the figures of the others.
      failed++
      console.log(`${suite.name.padEnd(10)} FAILED: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  if (failed > 0) process.exitCode = 1
}

const childIndex = process.argv.indexOf(CHILD_FLAG)
if (childIndex >= 0) await runChild(process.argv[childIndex + 1] ?? '')
else await main()
