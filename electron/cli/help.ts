// CLI (Node): the `--help` texts — the overview of every command, one group's subcommands (`custodia bundle --help`)
// and one command's usage, summary and options — all written from the command table, so none can go stale.
import type { Command, CommandOption } from './command'
import { COMMANDS } from './commands'
import { EXIT_CODES } from './io'

/** The flags that ask for help anywhere on a command line (before a `--`). */
export const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h'])

const HELP_OPTION_LINE: [string, string] = ['-h, --help', 'show this help']

/** True when `args` ask for help. After `--` everything is a positional (e.g. a search for "-h"). */
export function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false
    if (HELP_FLAGS.has(arg)) return true
  }
  return false
}

/** The first words of multi-word commands ('audit', 'bundle', 'dossier', …), each with its commands. */
export function listCommandGroups(commands: readonly Command[] = COMMANDS): Map<string, Command[]> {
  const groups = new Map<string, Command[]>()
  for (const command of commands) {
    if (command.words.length < 2) continue
    const word = command.words[0]!
    groups.set(word, [...(groups.get(word) ?? []), command])
  }
  return groups
}

function describeCommands(commands: readonly Command[]): string[] {
  return commands.flatMap((c) => [`  custodia ${c.usage}`, `      ${c.summary}`])
}

/** `custodia --help`: every command, how passphrases are given, and the exit codes. */
export function formatHelp(): string {
  return [
    'Usage: custodia <command> [options]',
    '',
    ...describeCommands(COMMANDS),
    '',
    'Run `custodia <command> --help` for the options of one command.',
    'Passphrases: a hidden prompt, --passphrase-file FILE, or CUSTODIA_PASSPHRASE for scripts.',
    `Exit codes: ${Object.entries(EXIT_CODES)
      .map(([k, v]) => `${v} ${k.toLowerCase().replace(/_/g, ' ')}`)
      .join(', ')}.`,
  ].join('\n')
}

/** `custodia bundle --help`: the subcommands of one group word. */
export function formatGroupHelp(word: string, commands: readonly Command[]): string {
  return [
    `Usage: custodia ${word} <subcommand> [options]`,
    '',
    'Subcommands:',
    ...describeCommands(commands),
    '',
    `Run \`custodia ${word} <subcommand> --help\` for the options of one.`,
  ].join('\n')
}

function optionLabel(name: string, option: CommandOption): string {
  const value = option.type === 'string' ? ` ${option.value ?? 'VALUE'}` : ''
  return `--${name}${value}`
}

/**
 * `custodia <command> --help`: usage, what it does, and every option with what it does. A one-word command whose word
 * also starts a group (`custodia backup` and `custodia backup verify`) adds the group's listing, itself included.
 */
export function formatCommandHelp(command: Command): string {
  const group = command.words.length === 1 ? listCommandGroups().get(command.words[0]!) : undefined
  const own = formatOneCommandHelp(command)
  return group ? [own, '', formatGroupHelp(command.words[0]!, [command, ...group])].join('\n') : own
}

function formatOneCommandHelp(command: Command): string {
  const rows: [string, string][] = [
    ...Object.entries(command.options ?? {}).map(([name, o]): [string, string] => [optionLabel(name, o), o.help]),
    HELP_OPTION_LINE,
  ]
  const width = Math.max(...rows.map(([label]) => label.length))
  return [
    `Usage: custodia ${command.usage}`,
    '',
    `${command.summary.charAt(0).toUpperCase()}${command.summary.slice(1)}.`,
    '',
    'Options:',
    ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
  ].join('\n')
}
