// Main process (and the e2e harness): the one table of who may call what — every IPC channel mapped to the capability
// it needs (shared/members/roles.ts says which roles hold which). The dispatcher checks it before any handler runs;
// docs/MEMBERS.md is generated from it (scripts/generate-members-doc.ts) and a test fails when the two differ.
// Typed over the whole contract: a channel added without an entry here does not compile.
import type { Capability } from '../../../shared/members/roles'
import type { ChannelName, ChannelRequest } from '../../../shared/ipc/contract'

/**
 * What a channel needs: a capability, 'open' (getting in, locking, the app's own information, one's own passphrase,
 * the member list), or a capability that depends on the request (revealing sensitive fields).
 */
export type ChannelAccess =
  Capability | 'open' | { readonly base: Capability; readonly revealed: Capability; readonly reveals: (request: unknown) => boolean }

export const CHANNEL_CAPABILITIES: { readonly [C in ChannelName]: ChannelAccess } = {
  'app:getInfo': 'open',
  'app:openLogFolder': 'open',
  // The panic lock is the app's, not the vault's: anyone at the keyboard may set its shortcut and use it.
  'app:getPanicLock': 'open',
  'app:setPanicLock': 'open',
  'app:markCopied': 'open',
  // Verifying a backup or restoring one into a new folder asks for that backup's passphrase and works while locked.
  'backups:chooseFolder': 'open',
  'backups:verify': 'open',
  'backups:restore': 'open',
  'backups:getStatus': 'open',
  'backups:create': 'backups.manage',
  'backups:setReminder': 'settings.manage',

  'vault:status': 'open',
  'vault:listRecent': 'open',
  'vault:chooseFolder': 'open',
  'vault:create': 'open',
  'vault:unlock': 'open',
  'vault:unlockWithRecoveryKey': 'open',
  'vault:lock': 'open',
  // One's own passphrase: the vault changes only the keyslot of the member who is working.
  'vault:changePassphrase': 'open',
  'vault:acceptIntegrity': 'integrity.accept',
  // Destroying for good cannot be undone and may destroy evidence: admins only, whatever kind the item is.
  'vault:shredItem': 'items.shred',
  'vault:setAutoLock': 'settings.manage',
  // The lock screen's warning before the last try: read without the key, like the unlock itself.
  'vault:getUnlockGuard': 'open',
  'vault:getProtection': 'protection.manage',
  'vault:setWipeAfter': 'protection.manage',
  'vault:setDuress': 'protection.manage',
  'vault:deleteDuress': 'protection.manage',
  'audit:verify': 'audit.read',
  'audit:list': 'audit.read',
  'audit:exportReport': 'audit.read',

  'members:list': 'open',
  'members:join': 'open',
  'members:add': 'members.manage',
  'members:createInvitation': 'members.manage',
  'members:setRole': 'members.manage',
  'members:suspend': 'members.manage',
  'members:reinstate': 'members.manage',
  'members:remove': 'members.manage',

  // Sync: every role may see where sync stands, sync now (their own edits must reach the other offices; what arrives
  // is checked against the sending member's role by every copy) and see this computer's Syncthing. Setting up a team,
  // inviting or removing a copy decides who is in it: member managers only. The Syncthing key is a vault setting.
  'sync:getStatus': 'library.read',
  'sync:run': 'library.read',
  'sync:getSyncthingState': 'library.read',
  'sync:createTeam': 'members.manage',
  'sync:createInvitation': 'members.manage',
  'sync:removeDevice': 'members.manage',
  'sync:setSyncthing': 'settings.manage',
  'sync:deleteSyncthing': 'settings.manage',
  // Joining makes a new vault, like vault:create: nobody is signed in yet.
  'sync:openInvitation': 'open',
  'sync:join': 'open',

  'library:list': 'library.read',
  'library:get': 'library.read',
  'library:listRevisions': 'library.read',
  'library:diffRevisions': 'library.read',
  'library:listAttachments': 'library.read',
  'library:exportAttachment': 'library.read',
  'library:openAttachment': 'library.read',
  'library:create': 'library.write',
  'library:update': 'library.write',
  'library:delete': 'library.write',
  'library:restoreRevision': 'library.write',
  'library:import': 'library.write',
  'library:chooseImportFiles': 'library.write',
  'library:deleteAttachment': 'library.write',
  'search:query': 'library.read',
  'search:getFacets': 'library.read',
  'search:listSaved': 'library.read',
  'search:createSaved': 'library.write',
  'search:deleteSaved': 'library.write',

  'dossiers:list': 'dossiers.list',
  'dossiers:listLists': 'dossiers.list',
  'dossiers:printList': 'dossiers.list',
  'dossiers:exportListPdf': 'dossiers.list',
  'dossiers:checkDuplicates': 'dossiers.list',
  'dossiers:getSchema': 'dossiers.list',
  'dossiers:get': {
    base: 'dossiers.read',
    revealed: 'dossiers.readSensitive',
    reveals: (request) => (request as ChannelRequest<'dossiers:get'>).revealFamily === true,
  },
  'dossiers:listAttachments': 'dossiers.read',
  'dossiers:exportAttachment': 'dossiers.read',
  'dossiers:openAttachment': 'dossiers.read',
  'dossiers:getPhoto': 'dossiers.read',
  'dossiers:create': 'dossiers.write',
  'dossiers:update': 'dossiers.write',
  'dossiers:delete': 'dossiers.write',
  'dossiers:merge': 'dossiers.write',
  'dossiers:createMerged': 'dossiers.write',
  'dossiers:createList': 'dossiers.write',
  'dossiers:renameList': 'dossiers.write',
  'dossiers:deleteList': 'dossiers.write',
  'dossiers:addToList': 'dossiers.write',
  'dossiers:removeFromList': 'dossiers.write',
  'dossiers:moveInList': 'dossiers.write',
  'dossiers:addAttachments': 'dossiers.write',
  'dossiers:deleteAttachment': 'dossiers.write',
  'dossiers:updateSchema': 'vocabularies.manage',
  'dossiers:renameVocabulary': 'vocabularies.manage',

  'letters:listTemplates': 'letters.read',
  'letters:getTemplate': 'letters.read',
  'letters:preview': 'letters.read',
  'letters:list': 'letters.read',
  'letters:getDraft': 'letters.read',
  'letters:export': 'letters.write',
  'letters:merge': 'letters.write',
  'letters:saveDraft': 'letters.write',
  'letters:markSent': 'letters.write',
  'letters:copyDraft': 'letters.write',
  'templates:export': 'letters.read',
  'templates:duplicate': 'letters.write',
  'templates:save': 'letters.write',
  'templates:delete': 'letters.write',
  'templates:import': 'letters.write',

  'exchange:getIdentity': 'library.read',
  'exchange:getIdentityFile': 'library.read',
  'exchange:renameIdentity': 'bundles.exchange',
  'exchange:exportIdentityFile': 'bundles.exchange',
  'contacts:list': 'library.read',
  'contacts:openIdentityFile': 'contacts.manage',
  'contacts:add': 'contacts.manage',
  'contacts:setVerified': 'contacts.manage',
  'contacts:remove': 'contacts.manage',
  'bundles:listSources': 'bundles.exchange',
  'bundles:planExport': 'bundles.exchange',
  'bundles:export': 'bundles.exchange',
  'bundles:cancel': 'bundles.exchange',
  'bundles:open': 'bundles.exchange',
  'bundles:import': 'bundles.exchange',
  'bundles:close': 'bundles.exchange',
  // Whoever may read the record may read where it came from (the partner's name is as visible as the contacts list).
  'bundles:listOrigins': 'library.read',

  'annotations:list': 'annotations.read',
  'annotations:locate': 'annotations.read',
  'annotations:listLegalBases': 'annotations.read',
  'annotations:exportW3C': 'annotations.read',
  'annotations:exportSearchW3C': 'annotations.read',
  'annotations:exportPdf': 'annotations.read',
  'annotations:create': 'annotations.write',
  'annotations:update': 'annotations.write',
  'annotations:reply': 'annotations.write',
  'annotations:setStatus': 'annotations.write',
  'annotations:delete': 'annotations.write',
  'annotations:createLegalBasis': 'vocabularies.manage',
  'annotations:updateLegalBasis': 'vocabularies.manage',

  'organisation:getProfile': 'library.read',
  'organisation:setProfile': 'settings.manage',
}

/** The capability a call needs (null: open to anyone), given its already-validated request. */
export function requiredCapability(channel: ChannelName, request: unknown): Capability | null {
  const access = CHANNEL_CAPABILITIES[channel]
  if (access === 'open') return null
  if (typeof access === 'string') return access
  return access.reveals(request) ? access.revealed : access.base
}

/** The capabilities a channel can need, for the documentation (one that reveals sensitive fields lists both). */
export function describeChannelAccess(channel: ChannelName): readonly Capability[] | 'open' {
  const access = CHANNEL_CAPABILITIES[channel]
  if (access === 'open') return 'open'
  return typeof access === 'string' ? [access] : [access.base, access.revealed]
}
