// CLI (Node): the shape of one command; each *Commands.ts file declares a list of them and commands.ts joins them.
import type { ParseArgsConfig } from 'node:util'
import type { CliIo } from './io'

export type OptionValues = Record<string, string | boolean | string[] | undefined>

export interface CommandContext {
  io: CliIo
  /** Positional arguments after the command words. */
  args: string[]
  options: OptionValues
}

export interface Command {
  /** The words that select it, e.g. ['audit', 'verify']. */
  words: string[]
  usage: string
  summary: string
  options?: ParseArgsConfig['options']
  /** Exact number of positional arguments, or [min, max]. */
  arity: number | [number, number]
  run(ctx: CommandContext): Promise<void>
}
