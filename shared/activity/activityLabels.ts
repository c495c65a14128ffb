// Shared (pure): how the activity log (Security → Activity) words what happened — one plain sentence per audit entry
// type, and what a record is called. Core puts these words on every entry it lists and exports; the UI offers the
// same words in its "action" filter. An entry type not listed here is worded from its name ("bundle.exported" →
// "Bundle exported"), so a feature that logs a new type still reads as words.

/** Audit entry type → what the member did, as a sentence without a subject ("Edited a dossier"). */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  'vault.created': 'Created the vault',
  'vault.unlocked': 'Unlocked the vault',
  'vault.unlock_failed': 'Tried to unlock with a wrong passphrase or key',
  'vault.locked': 'Locked the vault',
  'vault.passphrase_changed': 'Changed their passphrase',
  'vault.integrity_accepted': 'Accepted changes made outside Custodia',
  'vault.restored': 'Restored the vault from a backup',
  'record.created': 'Created a record',
  'record.updated': 'Saved a record',
  'record.deleted': 'Deleted a record',
  'attachment.added': 'Added a file',
  'attachment.deleted': 'Deleted a file',
  'attachment.exported': 'Saved a copy of a file outside the vault',
  'setting.changed': 'Changed a setting',
  'member.added': 'Added a member',
  'member.invited': 'Made a new invitation code',
  'member.joined': 'Joined the vault',
  'member.role_changed': "Changed a member's role",
  'member.suspended': 'Suspended a member',
  'member.reinstated': 'Reinstated a member',
  'member.removed': 'Removed a member',
  'area.created': 'Made the key for the sensitive parts of dossiers',
  'area.granted': 'Gave a member the key for the sensitive parts of dossiers',
  'area.rotated': 'Replaced the key for the sensitive parts of dossiers',
  'content.granted': 'Gave a member the key for documents saved since a member was removed',
  'content.rotated': 'Replaced the key for documents saved from now on (a member was removed)',
  'vault.parts_moved': 'Sealed the sensitive parts of older dossiers apart',
  'document.imported': 'Imported a document',
  'document.restored': 'Restored an earlier version of a document',
  'dossier.created': 'Created a dossier',
  'dossier.updated': 'Edited a dossier',
  'dossier.deleted': 'Deleted a dossier',
  'dossier.merged': 'Merged two dossiers',
  'dossier.family_revealed': 'Revealed the family contacts of a dossier',
  'dossier.attachment_added': 'Added a file to a dossier',
  'dossier.attachment_deleted': 'Deleted a file from a dossier',
  'dossier_list.created': 'Created a dossier list',
  'dossier_list.updated': 'Changed a dossier list',
  'dossier_list.deleted': 'Deleted a dossier list',
  'dossier_list.printed': 'Printed a dossier list',
  'dossier_list.exported': 'Exported a dossier list as PDF',
  'dossier_schema.created': 'Set up the dossier fields',
  'dossier_schema.saved': 'Changed the dossier fields',
  'dossier_schema.vocabulary_renamed': 'Renamed a vocabulary',
  'letter.exported': 'Exported a letter',
  'annotation.created': 'Wrote an annotation',
  'annotation.deleted': 'Deleted an annotation',
  'annotations.exported': 'Exported annotations',
  'legal_basis.seeded': 'Set up the legal bases',
  'organisation.profile_saved': 'Changed the organisation profile',
  'identity.created': 'Created the exchange identity',
  'identity.renamed': 'Renamed the exchange identity',
  'contact.added': 'Added a partner contact',
  'contact.verified': 'Changed whether a contact is verified',
  'contact.removed': 'Removed a partner contact',
  'bundle.opened': 'Opened a bundle',
  'bundle.imported': 'Imported from a bundle',
  'bundle.exported': 'Exported a bundle',
  'backup.created': 'Made a backup',
  'activity.exported': 'Exported an activity report',
  'sync.team_created': 'Set up sync with other offices',
  'sync.team_joined': 'Joined a team that syncs',
  'sync.device_invited': 'Invited another office to sync',
  'sync.device_removed': 'Removed an office from sync',
  'sync.applied': 'Applied changes from another office',
  'sync.activity': 'Did something in another office',
  'sync.refused': 'Refused changes from another office (see sync status)',
  'sync.syncthing_saved': "Saved the address and key of this computer's Syncthing",
  'sync.syncthing_forgotten': "Forgot this computer's Syncthing key",
}

/** The sentence for an entry type: the table's, else the type's own words. */
export function describeAction(type: string): string {
  const known = ACTION_LABELS[type]
  if (known) return known
  const words = type.replace(/[._]/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** What a record of a kind is called in the log ("Dossier: Ivan Petrov"). */
export const RECORD_KIND_LABELS: Readonly<Record<string, string>> = {
  letter: 'Letter',
  correspondence: 'Correspondence',
  statement: 'Statement',
  note: 'Note',
  dossier: 'Dossier',
  'dossier-list': 'Dossier list',
  'dossier-schema': 'Dossier fields',
  template: 'Template',
  contact: 'Contact',
  annotation: 'Annotation',
  identity: 'Exchange identity',
  'organisation-profile': 'Organisation profile',
  'saved-search': 'Saved search',
  'legal-basis-vocabulary': 'Legal bases',
  'bundle-import': 'Bundle import',
  'sync-team': 'Sync settings',
  'sync-doc': 'Sync history',
  'sync-out': 'Sync change-set',
  'sync-seen': 'Sync change-set',
}

export function describeRecordKind(kind: string): string {
  return RECORD_KIND_LABELS[kind] ?? 'Record'
}

/** The outcome of checking the activity log's chain (audit:verify, and every listing and report). */
export interface ActivityVerification {
  readonly ok: boolean
  /** Entries that check out, from the first one on. */
  readonly entries: number
  /** The first entry that does not check out; null when all do. */
  readonly firstBrokenSeq: number | null
}

/** The result of a chain check in words: what holds, what does not, and what to do. */
export function describeVerification(result: ActivityVerification): string {
  const count = `${result.entries} ${result.entries === 1 ? 'entry' : 'entries'}`
  if (result.ok) return `The activity log is intact: all ${count} check out. None was changed, removed or put out of order.`
  if (result.entries === 0 && result.firstBrokenSeq === 1)
    return 'The activity log cannot be trusted: its first entry is missing or was changed outside Custodia. Ask an admin to restore the vault from a backup.'
  return (
    `The activity log was changed outside Custodia at entry ${result.firstBrokenSeq}. The ${count} before it check out; ` +
    'what came after cannot be trusted and is not shown. Ask an admin to restore the vault from a backup.'
  )
}
