// CLI (Node): entry point of the `custodia` command. Shares electron/core with the app; never imports electron.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { isCustodiaError } from '../../shared/errors'
import { createStreamLog, errorFields } from '../core/platform/log/appLog'
import { COMMANDS, type Command } from './commands'
import { EXIT_CODES, UsageError, writeLine, type CliIo } from './io'

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const candidates = COMMANDS.filter((c) => c.words.every((w, i) => argv[i] === w)).sort((a, b) => b.words.length - a.words.length)
  const command = candidates[0]
  return command ? { command, rest: argv.slice(command.words.length) } : null
}

export function formatHelp(): string {
  return [
    'Usage: custodia <command> [options]',
    '',
    ...COMMANDS.flatMap((c) => [`  custodia ${c.usage}`, `      ${c.summary}`]),
    '',
    'Passphrases: a hidden prompt, --passphrase-file FILE, or CUSTODIA_PASSPHRASE for scripts.',
    `Exit codes: ${Object.entries(EXIT_CODES).map(([k, v]) => `${v} ${k.toLowerCase().replace(/_/g, ' ')}`).join(', ')}.`,
  ].join('\n')
}

/** Takes the global --verbose flag out of the arguments, wherever it stands before a `--`. */
function takeVerboseFlag(args: string[]): { verbose: boolean; argv: string[] } {
  const end = args.indexOf('--')
  const head = end < 0 ? args : args.slice(0, end)
  const kept = head.filter((arg) => arg !== '--verbose')
  return { verbose: kept.length < head.length, argv: end < 0 ? kept : [...kept, ...args.slice(end)] }
}

/** The version in package.json, two folders up from this source file and from the built out/main/cli.js alike. */
function cliVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version
  } catch {
    return undefined
  }
}

/**
 * Runs one command line. With --verbose the safe events of the application log (command, error class and code, exit
 * code, duration; see docs/LOGGING.md) go to stderr, and commands may add theirs through io.log. Without it: quiet.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const { verbose, argv } = takeVerboseFlag(args)
  if (!verbose) return runCommand(argv, io)
  const log = createStreamLog(io.stderr)
  const started = Date.now()
  const exitCode = await runCommand(argv, { ...io, log })
  log.info('cli.finished', { exitCode, durationMs: Date.now() - started })
  return exitCode
}

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    writeLine(argv.length === 0 ? io.stderr : io.stdout, formatHelp())
    return argv.length === 0 ? EXIT_CODES.USAGE : 0
  }
  const found = findCommand(argv)
  if (!found) {
    writeLine(io.stderr, `custodia: unknown command '${argv.slice(0, 2).join(' ')}'. Run \`custodia --help\`.`)
    return EXIT_CODES.USAGE
  }
  const { command, rest } = found
  // The command's words from the table, never what was typed: the table is ours, the arguments are the user's.
  const commandName = command.words.join(' ')
  io.log?.info('cli.started', { command: commandName, version: cliVersion(), platform: process.platform })
  try {
    const { values, positionals } = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: true, strict: true })
    const [min, max] = typeof command.arity === 'number' ? [command.arity, command.arity] : command.arity
    if (positionals.length < min || positionals.length > max) throw new UsageError(`usage: custodia ${command.usage}`)
    await command.run({ io, args: positionals, options: values as Record<string, string | boolean | string[] | undefined> })
    return 0
  } catch (error) {
    const code = (error as { code?: unknown })?.code
    const expected = error instanceof UsageError || isCustodiaError(error) || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    io.log?.[expected ? 'warn' : 'error']('cli.failed', { command: commandName, ...errorFields(error) })
    if (error instanceof UsageError) {
      writeLine(io.stderr, `custodia: ${error.message}`)
      return EXIT_CODES.USAGE
    }
    if (isCustodiaError(error)) {
      writeLine(io.stderr, `custodia: ${error.message}`)
      return EXIT_CODES[error.code]
    }
    // parseArgs reports unknown or malformed options with ERR_PARSE_ARGS_* codes.
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      writeLine(io.stderr, `custodia: ${(error as Error).message}. usage: custodia ${command.usage}`)
      return EXIT_CODES.USAGE
    }
    writeLine(io.stderr, `custodia: unexpected error (${error instanceof Error ? error.name : 'unknown'}).`)
    return EXIT_CODES.INTERNAL
  }
}

// Run when loaded as the built program (out/main/cli.js), not when a test imports this module.
if (import.meta.url.endsWith('/cli.js')) {
  void runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
    process.exitCode = code
  })
}
