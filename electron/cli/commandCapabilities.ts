// CLI (Node): what each command that unlocks a vault needs of the member's role — the CLI's side of the one capability
// vocabulary (shared/members/roles.ts) that the app's dispatcher enforces per IPC channel. withSession checks it right
// after the unlock, before the command touches anything; test/cli/members.test.ts holds that every command has one.
import { CustodiaError } from '../../shared/errors'
import { describeRefusal, roleCan, type Capability } from '../../shared/members/roles'
import type { VaultSession } from '../core/session/vaultSession'
import type { OptionValues } from './command'

export type CommandAccess = Capability | 'open' | ((options: OptionValues) => Capability)

/** Keyed by the command's words joined by a space. */
export const COMMAND_CAPABILITIES: Readonly<Record<string, CommandAccess>> = {
  'unlock-check': 'open',
  passwd: 'open',
  protect: 'protection.manage',
  add: 'library.write',
  attach: 'library.write',
  detach: 'library.write',
  files: 'library.read',
  // A dossier printed whole shows its sensitive fields: `cat` asks again for dossiers (requireCapability).
  cat: 'library.read',
  ls: 'library.read',
  // Destroying for good cannot be undone: admins only (the app's vault:shredItem needs the same).
  shred: 'items.shred',
  'audit verify': 'audit.read',
  'audit ls': 'audit.read',
  check: (options) => (options['accept'] === true ? 'integrity.accept' : 'audit.read'),
  import: 'library.write',
  search: 'library.read',
  'dossier add': 'dossiers.write',
  'dossier ls': 'dossiers.list',
  'dossier show': 'dossiers.read',
  'templates ls': 'letters.read',
  'letter render': 'letters.write',
  'profile show': 'library.read',
  'profile set': 'settings.manage',
  backup: 'backups.manage',
  // A backup is opened with its own passphrase (the vault's when it was made), not a member's: nothing to check.
  'backup verify': 'open',
  restore: 'open',
  annotate: 'annotations.write',
  annotations: 'annotations.read',
  'bundle export': 'bundles.exchange',
  'bundle inspect': 'bundles.exchange',
  'bundle verify': 'bundles.exchange',
  'bundle import': 'bundles.exchange',
  'identity show': 'library.read',
  'contacts add': 'contacts.manage',
  'contacts ls': 'library.read',
  'members ls': 'open',
  'members add': 'members.manage',
  'members invite': 'members.manage',
  'members role': 'members.manage',
  'members suspend': 'members.manage',
  'members reinstate': 'members.manage',
  'members remove': 'members.manage',
  // Sync (docs/SYNC.md): setting a team up and inviting copies is an admin's; running it brings in what the team wrote
  // (each change checked against its signer's role) and sends out what this copy wrote. Join creates a new vault.
  'sync init': 'members.manage',
  'sync invite': 'members.manage',
  'sync remove': 'members.manage',
  'sync join': 'open',
  'sync now': 'library.read',
  'sync status': 'library.read',
}

/** FORBIDDEN in the role's words unless the session's member may do `capability`. */
export function requireCapability(session: VaultSession, capability: Capability): void {
  const member = session.member()
  if (!member)
    throw new CustodiaError('FORBIDDEN', "This vault's member list was changed outside Custodia: run `custodia check` as an admin.")
  if (!roleCan(member.role, capability)) throw new CustodiaError('FORBIDDEN', describeRefusal(member.role, capability))
}

/** Checks the command's entry (an unknown command needs every right: only an admin may run it). */
export function checkCommandAccess(session: VaultSession, words: string, options: OptionValues): void {
  const access = COMMAND_CAPABILITIES[words] ?? 'members.manage'
  if (access === 'open') return
  requireCapability(session, typeof access === 'function' ? access(options) : access)
}
