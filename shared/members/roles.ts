// Shared (pure): the roles a vault member can have, the capabilities each grants, and how a refusal is worded. Core's
// dispatcher enforces them (electron/core/api/channelCapabilities.ts maps every IPC channel to one capability), the
// CLI and the UI read the same table, and docs/MEMBERS.md is generated from it (scripts/generate-members-doc.ts).

import { worded, type MessageId } from '../i18n/sentence'

export const ROLES = ['admin', 'secretariat', 'legal-adviser', 'archivist', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/**
 * Each role's name in the message catalog (shared/i18n/en.json), the one place the names are worded. The renderer
 * shows `t(ROLE_NAME_IDS[role])`; core, the CLI and docs/MEMBERS.md read ROLE_LABELS below (English outside the app).
 */
export const ROLE_NAME_IDS = {
  admin: 'members.role.admin',
  secretariat: 'members.role.secretariat',
  'legal-adviser': 'members.role.legalAdviser',
  archivist: 'members.role.archivist',
  viewer: 'members.role.viewer',
} as const satisfies Readonly<Record<Role, MessageId>>

/** How each role is named to people outside the renderer (messages, the CLI, docs/MEMBERS.md). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = worded(ROLE_NAME_IDS)

/**
 * What a member may do. Every IPC channel needs exactly one of these (or none: getting in, locking, the app's own
 * information); `refusal` completes "Your role (X) cannot …".
 */
export const CAPABILITIES = {
  'members.manage': { label: 'Manage members (add, suspend, remove, change roles)', refusal: 'manage members' },
  'protection.manage': {
    label: 'Set the wipe after wrong passphrases and a duress passphrase',
    refusal: 'change how the vault protects itself',
  },
  'settings.manage': { label: 'Change vault settings and the organisation profile', refusal: 'change the vault settings' },
  'vocabularies.manage': { label: 'Edit dossier fields, vocabularies and legal bases', refusal: 'edit dossier fields or vocabularies' },
  'integrity.accept': { label: 'Accept a vault found changed outside Custodia', refusal: 'accept changes made outside Custodia' },
  'audit.read': { label: 'Read, verify and export the activity log', refusal: 'read the activity log' },
  'library.read': { label: 'Read the library and search; see partner contacts and the organisation profile', refusal: 'read the library' },
  'library.write': { label: 'Add, edit, import and delete documents; saved searches', refusal: 'edit the library' },
  'letters.read': { label: 'See templates, drafts and previews', refusal: 'read letters' },
  'letters.write': { label: 'Write, export and send letters; edit templates', refusal: 'write letters or edit templates' },
  'dossiers.list': { label: 'See dossiers in the public-list view (lists, printing)', refusal: 'see dossiers' },
  'dossiers.read': { label: 'Open a whole dossier (sensitive fields hidden)', refusal: 'open dossiers' },
  'dossiers.readSensitive': {
    label: 'Read sensitive dossier fields (family contacts, medical notes, sources): holds their key',
    refusal: 'see sensitive dossier fields',
  },
  'dossiers.write': { label: 'Create, edit, merge and delete dossiers and their lists', refusal: 'edit dossiers' },
  'annotations.read': { label: 'Read annotations', refusal: 'read annotations' },
  'annotations.write': { label: 'Write, answer and resolve annotations', refusal: 'write annotations' },
  'bundles.exchange': { label: 'Export and import bundles; the exchange identity', refusal: 'exchange bundles' },
  'contacts.manage': { label: 'Add, verify and remove partner contacts', refusal: 'manage contacts' },
  'items.shred': {
    label: 'Destroy documents, dossiers, annotations and attachments for good (cannot be undone)',
    refusal: 'destroy items for good',
  },
  'backups.manage': { label: 'Back up the vault (encrypted copies in a folder of your choice)', refusal: 'back up the vault' },
} as const satisfies Record<string, { label: string; refusal: string }>

export type Capability = keyof typeof CAPABILITIES
export const CAPABILITY_NAMES = Object.keys(CAPABILITIES) as Capability[]

const READ_ALL: readonly Capability[] = ['audit.read', 'library.read', 'letters.read', 'dossiers.list', 'dossiers.read', 'annotations.read']

/**
 * The matrix (issue #17): admin everything; secretariat library, letters, templates, dossiers in the public-list view
 * only; legal adviser dossiers with sensitive fields, annotations, library read; archivist bundles and contacts,
 * read-only elsewhere; viewer read-only without sensitive fields.
 */
export const ROLE_CAPABILITIES: Readonly<Record<Role, ReadonlySet<Capability>>> = {
  admin: new Set(CAPABILITY_NAMES),
  secretariat: new Set<Capability>([
    'audit.read',
    'library.read',
    'library.write',
    'letters.read',
    'letters.write',
    'dossiers.list',
    'annotations.read',
  ]),
  'legal-adviser': new Set<Capability>([...READ_ALL, 'dossiers.readSensitive', 'dossiers.write', 'annotations.write']),
  archivist: new Set<Capability>([...READ_ALL, 'bundles.exchange', 'contacts.manage', 'backups.manage']),
  viewer: new Set<Capability>(READ_ALL),
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

export function roleCan(role: Role, capability: Capability): boolean {
  return ROLE_CAPABILITIES[role].has(capability)
}

/** "Your role (Archivist) cannot edit dossiers. Ask an admin." */
export function describeRefusal(role: Role, capability: Capability): string {
  return `Your role (${ROLE_LABELS[role]}) cannot ${CAPABILITIES[capability].refusal}. Ask an admin.`
}

/** Statuses of a member. Only active members can unlock; a removed member's keyslots are gone. */
export const MEMBER_STATUSES = ['active', 'suspended', 'removed'] as const
export type MemberStatus = (typeof MEMBER_STATUSES)[number]

/** Longest member name and e-mail address kept. */
export const MAX_MEMBER_NAME_CHARS = 100
export const MAX_MEMBER_EMAIL_CHARS = 254

/** A member name after trimming: VALIDATION-worthy problem in plain words, or null when it is fine. */
export function checkMemberName(name: string): string | null {
  const trimmed = name.trim()
  if (!trimmed) return 'A member needs a name.'
  if (trimmed.length > MAX_MEMBER_NAME_CHARS) return `A member name can be at most ${MAX_MEMBER_NAME_CHARS} characters.`
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'A member name cannot contain control characters.'
  return null
}

/** How names are compared (two members cannot share one): NFC, case-folded, inner spaces collapsed. */
export function memberNameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('und')
}
