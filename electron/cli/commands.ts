// CLI (Node): the command table. Each command declares its words, usage, options and what it does; index.ts
// matches the words, parses the options with node:util parseArgs, and maps errors to exit codes.
import type { ParseArgsConfig } from 'node:util'
import type { CliIo } from './io'
import { annotationCommands } from './annotationCommands'
import { bundleCommands } from './bundleCommands'
import { dossierCommands } from './dossierCommands'
import { letterCommands } from './letterCommands'
import { libraryCommands } from './libraryCommands'
import { searchCommands } from './searchCommands'
import { vaultCommands } from './vaultCommands'

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

export const COMMANDS: Command[] = [...vaultCommands, ...libraryCommands, ...searchCommands, ...dossierCommands, ...letterCommands, ...annotationCommands, ...bundleCommands]
