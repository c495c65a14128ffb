// CLI (Node): entry point of the `custodia` command. Shares electron/core with the app; never imports electron.
import { readFileSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { isCustodiaError } from '../../shared/errors'
import { createStreamLog, errorFields } from '../core/platform/log/appLog'
import { sqliteDamage } from '../core/platform/db/connection'
import { COMMANDS, type Command } from './commands'
import { asksForHelp, formatCommandHelp, formatGroupHelp, formatHelp, HELP_FLAGS, listCommandGroups } from './help'
import { EXIT_CODES, UsageError, writeLine, type CliIo } from './io'

export { formatHelp } from './help'

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  const candidates = COMMANDS.filter((c) => c.words.every((w, i) => argv[i] === w)).sort((a, b) => b.words.length - a.words.length)
  const command = candidates[0]
  return command ? { command, rest: argv.slice(command.words.length) } : null
}

/** What node:util parseArgs needs of the options (the help texts stay behind). */
function toParseArgsOptions(options: Command['options']): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options ?? {}).map(([name, o]) => [name, o.multiple ? { type: o.type, multiple: true } : { type: o.type }]),
  )
}

/**
 * Help for the words after `custodia help` (none: the overview). A group word alone (`custodia bundle`) is an
 * incomplete command: its subcommands go to stderr with a usage error, unless help was asked for.
 */
function answerHelp(words: string[], io: CliIo, asked: boolean): number {
  const out = asked ? io.stdout : io.stderr
  const code = asked ? 0 : EXIT_CODES.USAGE
  if (words.length === 0) {
    writeLine(out, formatHelp())
    return code
  }
  const found = findCommand(words)
  if (found && found.rest.length === 0) {
    writeLine(out, formatCommandHelp(found.command))
    return code
  }
  const group = words.length === 1 ? listCommandGroups().get(words[0]!) : undefined
  if (group) {
    writeLine(out, formatGroupHelp(words[0]!, group))
    return code
  }
  writeLine(io.stderr, `custodia: unknown command '${words.slice(0, 2).join(' ')}'. Run \`custodia --help\`.`)
  return EXIT_CODES.USAGE
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
  if (argv.length === 0) return answerHelp([], io, false)
  if (HELP_FLAGS.has(argv[0]!)) return answerHelp([], io, true)
  if (argv[0] === 'help') return answerHelp(argv.slice(1), io, true)
  const found = findCommand(argv)
  if (!found) {
    const word = argv[0]!
    if (listCommandGroups().has(word)) {
      if (argv.length === 1 || HELP_FLAGS.has(argv[1]!)) return answerHelp([word], io, argv.length > 1)
      writeLine(io.stderr, `custodia: unknown command '${argv.slice(0, 2).join(' ')}'. Run \`custodia ${word} --help\`.`)
      return EXIT_CODES.USAGE
    }
    writeLine(io.stderr, `custodia: unknown command '${argv.slice(0, 2).join(' ')}'. Run \`custodia --help\`.`)
    return EXIT_CODES.USAGE
  }
  const { command, rest } = found
  // The command's words from the table, never what was typed: the table is ours, the arguments are the user's.
  const commandName = command.words.join(' ')
  io.log?.info('cli.started', { command: commandName, version: cliVersion(), platform: process.platform })
  // Before the options are parsed or the arguments counted: `custodia bundle import --help` needs neither.
  if (asksForHelp(rest)) {
    writeLine(io.stdout, formatCommandHelp(command))
    return 0
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: toParseArgsOptions(command.options),
      allowPositionals: true,
      strict: true,
    })
    const [min, max] = typeof command.arity === 'number' ? [command.arity, command.arity] : command.arity
    if (positionals.length < min || positionals.length > max)
      throw new UsageError(`usage: custodia ${command.usage} (more: custodia ${command.words.join(' ')} --help)`)
    await command.run({
      io,
      args: positionals,
      options: values as Record<string, string | boolean | string[] | undefined>,
      words: commandName,
    })
    return 0
  } catch (error) {
    const code = (error as { code?: unknown })?.code
    const expected =
      error instanceof UsageError || isCustodiaError(error) || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))
    io.log?.[expected ? 'warn' : 'error']('cli.failed', { command: commandName, ...errorFields(error) })
    if (error instanceof UsageError) {
      writeLine(io.stderr, `custodia: ${error.message}`)
      return EXIT_CODES.USAGE
    }
    const known = isCustodiaError(error) ? error : sqliteDamage(error)
    if (known) {
      writeLine(io.stderr, `custodia: ${known.message}`)
      return EXIT_CODES[known.code]
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
  void runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code
    },
  )
}
