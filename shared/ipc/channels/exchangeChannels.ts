// Shared: IPC channels of the exchange area — our identity, contacts, bundle export (plan → export with progress
// events and cancel) and import (open → preview → import → close). Files are chosen by main's dialogs; the renderer
// never names a path. Secrets never travel here except a bundle passphrase the user typed.
import { z } from 'zod'
import { channel, empty, recordId } from './commonSchemas'

const fingerprint = z.string()
const consent = z.enum(['internal', 'partners', 'public'])
const profile = z.enum(['full', 'standard', 'public-list'])
const token = z.string().regex(/^[0-9a-f]{32}$/, 'must be a job id')

export const identityViewSchema = z.strictObject({
  name: z.string(),
  organisation: z.string(),
  recipient: z.string(),
  fingerprint,
  recipientFingerprint: fingerprint,
})
export type IdentityView = z.infer<typeof identityViewSchema>

/** One import that stored a record here: the bundle, its signer (and the contact that is, if any), when, which revision. */
export const recordOriginSchema = z.strictObject({
  bundleId: z.string(),
  signer: fingerprint,
  /** The sender as the bundle names itself (not verified); null for an import recorded before the name was kept. */
  senderName: z.string().nullable(),
  importedAt: z.string(),
  itemId: z.string(),
  revision: z.number().int(),
  itemsInImport: z.number().int(),
  partner: z.strictObject({ name: z.string(), organisation: z.string(), verified: z.boolean() }).nullable(),
})
export type RecordOriginView = z.infer<typeof recordOriginSchema>

export const contactViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  organisation: z.string(),
  recipient: z.string(),
  fingerprint,
  recipientFingerprint: fingerprint,
  verified: z.boolean(),
  addedAt: z.string(),
})
export type ContactView = z.infer<typeof contactViewSchema>

const selection = z.strictObject({ recordIds: z.array(recordId).max(10_000).optional(), all: z.boolean().optional() })

const exportOptions = {
  selection,
  contactIds: z.array(recordId).max(100).default([]),
  /** Present → a passphrase bundle (then no contacts). */
  passphrase: z.string().min(1).max(1024).optional(),
  partnerNames: z.array(z.string().min(1).max(200)).max(50).default([]),
  profile: profile.default('standard'),
  readable: z.boolean().default(true),
  includeHistory: z.boolean().default(false),
}

export const exportPlanSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      revision: z.number().int(),
      consent,
      attachments: z.number().int(),
      attachmentBytes: z.number(),
    }),
  ),
  excluded: z.array(z.strictObject({ id: z.string(), kind: z.string(), title: z.string(), reason: z.string(), explanation: z.string() })),
  audience: z.union([
    z.strictObject({ kind: z.literal('public') }),
    z.strictObject({ kind: z.literal('partners'), names: z.array(z.string()) }),
  ]),
  profile,
  attachmentBytes: z.number(),
})
export type ExportPlanView = z.infer<typeof exportPlanSchema>

export const exportSourcesSchema = z.strictObject({
  /** `date`: the document's own date (YYYY-MM-DD) or null; `status`: its status code (draft, sent …). */
  documents: z.array(
    z.strictObject({ id: z.string(), kind: z.string(), title: z.string(), date: z.string().nullable(), status: z.string() }),
  ),
  /** `status`: the person's current status code (detained …); `savedAt`: when the dossier was last saved (ISO 8601). */
  dossiers: z.array(z.strictObject({ id: z.string(), name: z.string(), consent, status: z.string(), savedAt: z.string() })),
  lists: z.array(z.strictObject({ id: z.string(), name: z.string(), count: z.number().int() })),
})
export type ExportSourcesView = z.infer<typeof exportSourcesSchema>

export const bundleProgressSchema = z.strictObject({
  jobId: z.string(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  bytesPerSecond: z.number(),
  secondsLeft: z.number().nullable(),
})
export type BundleProgress = z.infer<typeof bundleProgressSchema>

export const bundlePreviewSchema = z.strictObject({
  bundleId: z.string(),
  createdAt: z.string(),
  signer: z.strictObject({
    name: z.string(),
    fingerprint,
    status: z.enum(['verified', 'known', 'unknown']),
    contactId: z.string().nullable(),
    contactName: z.string().nullable(),
  }),
  items: z.array(
    z.strictObject({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      revision: z.number().int(),
      consent,
      attachments: z.number().int(),
      held: z.boolean(),
      importable: z.boolean(),
      /** This item of this very bundle was imported here before: importing it again is refused. */
      alreadyImported: z.boolean(),
    }),
  ),
  /** When items of this very bundle were first imported here (ISO 8601), or null if never. */
  alreadyImportedAt: z.string().nullable(),
})
export type BundlePreviewView = z.infer<typeof bundlePreviewSchema>

export const bundlesChannels = {
  'exchange:getIdentity': channel(empty, identityViewSchema),
  'exchange:renameIdentity': channel(
    z.strictObject({ name: z.string().min(1).max(200), organisation: z.string().max(200) }),
    identityViewSchema,
  ),
  /** Our public identity file text (to copy) — no secret in it. */
  'exchange:getIdentityFile': channel(empty, z.strictObject({ text: z.string() })),
  /** Saves our public identity file where the user chooses. */
  'exchange:exportIdentityFile': channel(empty, z.strictObject({ saved: z.boolean() })),
  'contacts:list': channel(empty, z.strictObject({ contacts: z.array(contactViewSchema) })),
  /** Opens an identity file with the file dialog and returns its text for review (null when cancelled). */
  'contacts:openIdentityFile': channel(empty, z.strictObject({ text: z.string().nullable() })),
  'contacts:add': channel(z.strictObject({ text: z.string().min(1).max(8192), verified: z.boolean().default(false) }), contactViewSchema),
  'contacts:setVerified': channel(z.strictObject({ id: recordId, verified: z.boolean() }), contactViewSchema),
  'contacts:remove': channel(z.strictObject({ id: recordId }), empty),
  'bundles:listSources': channel(empty, exportSourcesSchema),
  'bundles:planExport': channel(z.strictObject({ ...exportOptions, passphrase: z.boolean().default(false) }), exportPlanSchema),
  /** Asks where to save, then exports; progress arrives as `bundles:progress` events for `jobId`. */
  'bundles:export': channel(
    z.strictObject({ jobId: token, ...exportOptions }),
    z.union([
      z.strictObject({ saved: z.literal(false) }),
      z.strictObject({
        saved: z.literal(true),
        fileName: z.string(),
        items: z.number().int(),
        attachments: z.number().int(),
        excluded: z.number().int(),
        bytes: z.number(),
        recipientFingerprints: z.array(z.string()),
      }),
    ]),
  ),
  'bundles:cancel': channel(z.strictObject({ jobId: token }), empty),
  /** Chooses a bundle with the file dialog and opens it (our identity, a key file chosen next, or a passphrase). */
  'bundles:open': channel(
    z.strictObject({
      keys: z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('own') }),
        z.strictObject({ kind: z.literal('identityFile') }),
        z.strictObject({ kind: z.literal('passphrase'), passphrase: z.string().min(1).max(1024) }),
      ]),
    }),
    z.union([
      z.strictObject({ opened: z.literal(false) }),
      z.strictObject({ opened: z.literal(true), token, fileName: z.string(), preview: bundlePreviewSchema }),
    ]),
  ),
  'bundles:import': channel(
    z.strictObject({
      token,
      ids: z.array(z.string().min(1).max(64)).min(1).max(100_000),
      asRevisions: z.boolean().default(false),
      trustUnknownSigner: z.boolean().default(false),
    }),
    z.strictObject({
      created: z.array(z.strictObject({ bundleId: z.string(), id: z.string() })),
      revised: z.array(z.strictObject({ id: z.string(), revision: z.number().int() })),
      /** Older versions kept in a record's history (the newer one stays current), each with a sentence for the user. */
      keptInHistory: z.array(z.strictObject({ id: z.string(), revision: z.number().int(), notice: z.string() })),
      attachments: z.number().int(),
      skipped: z.array(z.strictObject({ id: z.string(), reason: z.string() })),
    }),
  ),
  'bundles:close': channel(z.strictObject({ token }), empty),
  /** Where a document or dossier here came from: every import that stored it, newest first (empty if made here). */
  'bundles:listOrigins': channel(z.strictObject({ recordId }), z.strictObject({ origins: z.array(recordOriginSchema) })),
} as const
