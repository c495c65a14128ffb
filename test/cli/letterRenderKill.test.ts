// CLI (Node, the system Chromium): `custodia letter render --format pdf` killed half-way leaves no plaintext outside
// the vault. The letter's HTML, Chromium's profile and its temp files live in <vault>/tmp, never in the OS temp folder
// (where a killed render used to leave /tmp/custodia-pdf-*/letter.html for good, issue #19); SIGKILL leaves them there
// until the next command's unlock empties the folder; SIGTERM and SIGINT lock on the way out, which empties it at once.
// The CLI runs as a child process from the sources (test/helpers/cliChild.ts) with its own TMPDIR and HOME, which are
// searched for the letter's marker text (UTF-8, UTF-16, base64) after every kill.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChromium } from '../../electron/core/letters/chromiumPdf'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { REPO_ROOT, runCustodia } from '../helpers/cli'
import { createTempDir, findMarkersInTree } from '../helpers/vaultTestUtils'

const PASSPHRASE = 'correct horse battery staple'
const MARKER = `Marker${randomBytes(8).toString('hex')}`

const root = createTempDir()
const vaultDir = path.join(root, 'vault')
const vaultTmp = path.join(vaultDir, 'tmp')
const childTmp = path.join(root, 'child-tmp')
const childHome = path.join(root, 'child-home')
const dataFile = path.join(root, 'input', 'letter.json')
const childScript = path.join(REPO_ROOT, 'test/helpers/cliChild.ts')

/** Files under `dir` holding the marker (UTF-8, UTF-16 or base64), as "relative path: marker (encoding)". */
function findMarker(dir: string): string[] {
  return findMarkersInTree(dir, [MARKER])
}

/** What findMarker(root) finds when the only copy of the letter left is the input data file. */
const ONLY_THE_INPUT = [`input${path.sep}letter.json: ${MARKER} (utf8)`]

/** Waits for `condition` (checked every 10 ms), failing after `timeoutMs`. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The pdf-* print folders in <vault>/tmp. */
function printFolders(): string[] {
  try {
    return fs.readdirSync(vaultTmp).filter((n) => n.startsWith('pdf-'))
  } catch {
    return []
  }
}

/** Waits until a print folder that was not there before holds the whole letter HTML (the marker is near its end). */
async function waitForNewLetterHtml(before: readonly string[]): Promise<void> {
  await waitFor('the letter HTML in a new folder of <vault>/tmp', () =>
    printFolders()
      .filter((name) => !before.includes(name))
      .some((name) => {
        try {
          return fs.readFileSync(path.join(vaultTmp, name, 'letter.html'), 'utf8').includes('is held in colony 9.</p>')
        } catch {
          return false
        }
      }),
  )
}

/** Waits until Chromium runs with its helper processes (zygotes, utility processes), which write into its profile. */
async function waitForChromiumHelpers(): Promise<void> {
  await waitFor('Chromium and its helpers', () => processesUsingVault().length >= 3)
}

/**
 * Pids of Chromium's processes printing into the vault — the browser and every process it started (zygotes,
 * renderers, utility processes), found by the TMPDIR they all inherit — including those a SIGKILLed CLI left behind.
 */
/** SIGKILLs `pid` unless it already exited: a Chromium helper can end between the listing and the kill (ESRCH). */
function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

function processesUsingVault(): number[] {
  const pids: number[] = []
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, 'utf8').includes(`TMPDIR=${vaultTmp}${path.sep}pdf-`)) pids.push(Number(name))
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return pids
}

interface Render {
  child: ChildProcess
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

function startRender(out: string): Render {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      childScript,
      'letter',
      'render',
      vaultDir,
      '--data',
      dataFile,
      '--format',
      'pdf',
      '--out',
      out,
      '--allow-placeholders',
    ],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: childHome, TMPDIR: childTmp, CUSTODIA_PASSPHRASE: PASSPHRASE },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stderr }))
  })
  return { child, exited }
}

beforeAll(async () => {
  for (const dir of [childTmp, childHome, path.dirname(dataFile)]) fs.mkdirSync(dir, { recursive: true })
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  vault.lock()
  const fields = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'resources/templates/samples/head-of-government-letter.json'), 'utf8'),
  ) as Record<string, unknown>
  fs.writeFileSync(
    dataFile,
    JSON.stringify({
      template: 'head-of-government-letter',
      fields: { ...fields, subject: `Detained civilians ${MARKER}`, body: `<p>Confidential: ${MARKER} is held in colony 9.</p>` },
    }),
  )
})
afterAll(() => {
  for (const pid of processesUsingVault()) killIfAlive(pid)
  fs.rmSync(root, { recursive: true, force: true })
})

describe.runIf(findChromium() !== null && process.platform === 'linux')('letter render killed half-way', () => {
  it('SIGKILL: the plaintext stays in <vault>/tmp, never in the OS temp folder or HOME; the next command empties it', async () => {
    // 'cli': the CLI alone (its Chromium, a process group of its own, finishes the print into <vault>/tmp);
    // 'everything': the CLI and every Chromium process at once, as the OOM killer or a power cut would.
    const kills: { target: 'cli' | 'everything'; when: 'html' | 'chromium' }[] = [
      { target: 'cli', when: 'html' },
      { target: 'everything', when: 'html' },
      { target: 'cli', when: 'chromium' },
      { target: 'everything', when: 'chromium' },
      { target: 'cli', when: 'html' },
    ]
    for (const [round, kill] of kills.entries()) {
      const out = path.join(root, `out-${round}.pdf`)
      const before = printFolders()
      const { child, exited } = startRender(out)
      await waitForNewLetterHtml(before)
      if (kill.when === 'chromium') await waitForChromiumHelpers()
      child.kill('SIGKILL')
      if (kill.target === 'everything') for (const pid of processesUsingVault()) killIfAlive(pid)
      expect(await exited).toMatchObject({ signal: 'SIGKILL' })
      // Killing the CLI alone leaves its Chromium printing into <vault>/tmp: wait until it has finished.
      await waitFor('Chromium to exit', () => processesUsingVault().length === 0)
      expect(findMarker(childTmp), `round ${round}`).toEqual([])
      expect(findMarker(childHome), `round ${round}`).toEqual([])
      expect(fs.existsSync(out)).toBe(false)
      // Where the plaintext is: inside the vault, until the next unlock.
      expect(findMarker(vaultTmp).length, `round ${round}`).toBeGreaterThan(0)
    }
    // The next command on the vault (any command: every unlock empties tmp/, and so does the lock at its end).
    const next = await runCustodia(['templates', 'ls', vaultDir], { env: { CUSTODIA_PASSPHRASE: PASSPHRASE } })
    expect(next.code).toBe(0)
    expect(fs.readdirSync(vaultTmp)).toEqual([])
    expect(findMarker(root)).toEqual(ONLY_THE_INPUT)
  }, 180_000)

  it('SIGTERM and SIGINT: the CLI kills Chromium, locks and empties <vault>/tmp before it exits (128 + signal)', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGINT', 130],
    ] as const) {
      const out = path.join(root, `out-${signal}.pdf`)
      const { child, exited } = startRender(out)
      await waitForNewLetterHtml([])
      await waitForChromiumHelpers()
      child.kill(signal)
      expect(await exited).toMatchObject({ code, signal: null })
      // Every Chromium process got SIGKILL before the lock emptied the folder: none can write into it afterwards.
      await waitFor('Chromium to exit', () => processesUsingVault().length === 0)
      expect(fs.readdirSync(vaultTmp)).toEqual([])
      expect(findMarker(root)).toEqual(ONLY_THE_INPUT)
      expect(fs.existsSync(out)).toBe(false)
    }
  }, 120_000)

  it('a render that is left alone writes the PDF and leaves <vault>/tmp and the temp folders without the letter', async () => {
    const out = path.join(root, 'out-complete.pdf')
    const { exited } = startRender(out)
    expect(await exited).toMatchObject({ code: 0, stderr: '' })
    expect(fs.readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(fs.statSync(out).mode & 0o777).toBe(0o600)
    await waitFor('Chromium to exit', () => processesUsingVault().length === 0)
    expect(fs.readdirSync(vaultTmp)).toEqual([])
    expect(findMarker(childTmp)).toEqual([])
    expect(findMarker(childHome)).toEqual([])
  }, 60_000)
})
