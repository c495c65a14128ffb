// CLI (Node): how the command reads secrets and input, and how errors become exit codes.
// Secrets come from, in order: --passphrase-file, the environment (for scripts), or a prompt with echo off.
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import type { ErrorCode } from '../../shared/errors'
import { CustodiaError } from '../../shared/errors'
import { toTerminalSafe, toTerminalSafeJson } from '../../shared/text/terminalSafe'
import type { AppLog } from '../core/platform/log/appLog'

/** One exit code per error kind, so scripts can tell a wrong passphrase from a corrupt vault from a missing folder. */
export const EXIT_CODES: Record<ErrorCode | 'USAGE', number> = {
  INTERNAL: 1,
  USAGE: 2,
  NOT_A_VAULT: 3,
  WRONG_PASSPHRASE: 4,
  CORRUPT: 5,
  TAMPERED: 6,
  NOT_FOUND: 7,
  VALIDATION: 8,
  CONFLICT: 9,
  UNSUPPORTED: 10,
  VAULT_LOCKED: 11,
  CANCELLED: 12,
  FORBIDDEN: 13,
}

export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface CliIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean }
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  /** Diagnostic events (the application log's safe lines) on stderr with --verbose; absent otherwise: quiet. */
  log?: AppLog
}

// Every byte the CLI prints goes through writeLine, writeText or writeJson below, and each of them makes what it prints
// terminal-safe (shared/text/terminalSafe.ts): titles, names, snippets, file names and error messages can come from a
// partner's bundle, a record or a file, and must not drive the terminal (cursor moves, line erases, bidi reordering).
// Our own messages contain no control characters, so for them this changes nothing. Nothing else writes to stdout or
// stderr except the hidden prompt and --verbose log lines, which carry no outside text (test/cli/terminalSafety.test.ts
// checks that no other command file calls .write).

/** Prints one line (or several, for our multi-line messages): tabs and LF kept, every other control shown visibly. */
export function writeLine(stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${toTerminalSafe(text, 'block')}\n`)
}

/** Prints multi-line text as it is (a record's body, an identity file), made terminal-safe like writeLine. */
export function writeText(stream: NodeJS.WritableStream, text: string): void {
  stream.write(toTerminalSafe(text, 'block'))
}

/** Prints `value` as indented JSON and a line feed: exact JSON, with bidi and other invisible characters as \uXXXX. */
export function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${toTerminalSafeJson(value, 2)}\n`)
}

/**
 * One field of a one-line or tab-separated output (a title, a name, a quote): runs of tabs and line breaks become one
 * space, so the field stays in its column and on its line, and controls are shown visibly. null/undefined print as ''.
 */
export function flattenField(value: unknown): string {
  return toTerminalSafe(String(value ?? ''), 'line')
}

/** Reads a secret from a file: the first line, without its line ending (so `echo pass > file` works). */
function readSecretFile(path: string): string {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new CustodiaError('NOT_FOUND', 'Cannot read the passphrase file.')
  }
  const firstLine = text.split(/\r?\n/)[0] ?? ''
  if (!firstLine) throw new CustodiaError('VALIDATION', 'The passphrase file is empty.')
  return firstLine
}

/** Prompts on stderr with the typed characters hidden. Only used when stdin is a terminal. */
async function promptHidden(io: CliIo, question: string): Promise<string> {
  io.stderr.write(question)
  let muted = true
  const mutedOutput = new Writable({
    write(chunk, _enc, done) {
      if (!muted) io.stderr.write(chunk)
      done()
    },
  })
  const rl = createInterface({ input: io.stdin, output: mutedOutput, terminal: true })
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve))
  } finally {
    muted = false
    rl.close()
    io.stderr.write('\n')
  }
}

export interface SecretSource {
  file?: string
  envName: string
  prompt: string
  /** Ask twice and compare (for new passphrases typed at a prompt). */
  confirm?: boolean
}

export async function readSecret(io: CliIo, source: SecretSource): Promise<string> {
  if (source.file) return readSecretFile(source.file)
  const fromEnv = io.env[source.envName]
  if (fromEnv) return fromEnv
  if (!io.stdin.isTTY) {
    throw new UsageError(`No passphrase given: use a terminal prompt, --passphrase-file FILE, or ${source.envName}.`)
  }
  const first = await promptHidden(io, source.prompt)
  if (source.confirm) {
    const second = await promptHidden(io, 'Repeat: ')
    if (first !== second) throw new CustodiaError('VALIDATION', 'The two passphrases are not the same.')
  }
  return first
}

/** Reads all of stdin as UTF-8 (for bodies piped in). Refuses more than `limit` bytes. */
export async function readStdin(io: CliIo, limit = 50 * 1024 * 1024): Promise<string> {
  if (io.stdin.isTTY) throw new UsageError('Pipe the body in on standard input, e.g. `custodia add DIR --kind note --title T < body.txt`.')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of io.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buf.length
    if (size > limit) throw new CustodiaError('VALIDATION', 'The input is too large.')
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString('utf8')
}
