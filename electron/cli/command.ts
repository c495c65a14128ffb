// CLI (Node): the shape of one command; each *Commands.ts file declares a list of them and commands.ts joins them.
import type { CliIo } from './io'

export type OptionValues = Record<string, string | boolean | string[] | undefined>

/** One `--name` option: how node:util parseArgs reads it, and the line `--help` prints for it. */
export interface CommandOption {
  type: 'string' | 'boolean'
  /** May be given several times (the value is then a list); its help says so. */
  multiple?: boolean
  /** What a string option's value is, shown after its name in `--help` (e.g. FILE). */
  value?: string
  /** What the option does, in one line for `--help`. */
  help: string
}

export interface CommandContext {
  io: CliIo
  /** Positional arguments after the command words. */
  args: string[]
  options: OptionValues
  /** The command's words ('bundle export'): withSession checks what the member's role may do by them. */
  words?: string
}

export interface Command {
  /** The words that select it, e.g. ['audit', 'verify']. */
  words: string[]
  usage: string
  summary: string
  options?: Record<string, CommandOption>
  /** Exact number of positional arguments, or [min, max]. */
  arity: number | [number, number]
  run(ctx: CommandContext): Promise<void>
}
