// Test helpers (Node): run the CLI in-process with captured streams, or the built binary as a child process.
import { spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { runCli } from '../../electron/cli/index'

export const REPO_ROOT = resolve(import.meta.dirname, '../..')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `custodia …argv` in this process. `stdin` is piped in (not a terminal); env replaces process.env. */
export async function runCustodia(
  argv: string[],
  opts: { stdin?: string | Buffer; env?: Record<string, string> } = {},
): Promise<CliResult> {
  const stdin = new PassThrough()
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')))
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')))
  stdin.end(opts.stdin ?? '')
  const code = await runCli(argv, { stdin, stdout, stderr, env: opts.env ?? {} })
  return { code, stdout: out, stderr: err }
}

/** Runs the built `bin/custodia.js` (needs `npm run build`), exactly as a user's shell would. */
export function runBuiltCustodia(argv: string[], opts: { stdin?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/custodia.js'), ...argv], {
    input: opts.stdin ?? '',
    env: { PATH: process.env['PATH'] ?? '', ...opts.env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}
