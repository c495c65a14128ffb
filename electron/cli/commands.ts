// CLI (Node): the command table. Each command declares its words, usage, options and what it does; index.ts
// matches the words, parses the options with node:util parseArgs, and maps errors to exit codes.
import type { Command } from './command'
import { activityCommands } from './activityCommands'
import { annotationCommands } from './annotationCommands'
import { backupCommands } from './backupCommands'
import { bundleCommands } from './bundleCommands'
import { checkCommands } from './checkCommands'
import { dossierCommands } from './dossierCommands'
import { letterCommands } from './letterCommands'
import { libraryCommands } from './libraryCommands'
import { memberCommands } from './memberCommands'
import { profileCommands } from './profileCommands'
import { protectCommands } from './protectCommands'
import { searchCommands } from './searchCommands'
import { syncCommands } from './syncCommands'
import { vaultCommands } from './vaultCommands'

export type { Command } from './command'

export const COMMANDS: Command[] = [
  ...vaultCommands,
  ...memberCommands,
  ...checkCommands,
  ...activityCommands,
  ...protectCommands,
  ...backupCommands,
  ...libraryCommands,
  ...searchCommands,
  ...dossierCommands,
  ...letterCommands,
  ...profileCommands,
  ...annotationCommands,
  ...bundleCommands,
  ...syncCommands,
]
