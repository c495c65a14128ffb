// Shared: IPC channels of the dossier area — prisoner dossiers, duplicate checks, merge, the dossier schema
// (custom fields, vocabularies), named lists and their printing. Family contacts travel ONLY in a `dossiers:get`
// response that asked for them (`revealFamily: true`, audit-logged); every other response leaves them out.
import { z } from 'zod'
import {
  CONSENT_LEVELS,
  CURRENT_STATUSES,
  DOSSIER_CATEGORIES,
  DossierNamesSchema,
  DossierSchema,
  ITEM_ID_PATTERN,
  VULNERABILITY_FLAGS,
  type CurrentStatus,
} from '../../dossiers/dossier'
import { DossierSchemaConfigSchema } from '../../dossiers/dossierSchema'
import { MAX_VOCABULARY_LABEL } from '../../dossiers/vocabularies'
import { DossierFilterSchema } from '../../dossiers/filter'
import { channel, empty, recordId } from './commonSchemas'
import { attachmentSchema, openedAttachmentSchema } from './libraryChannels'

const revision = z.number().int().min(1)
const statusEnum = z.enum(CURRENT_STATUSES as [CurrentStatus, ...CurrentStatus[]])
const categoryEnum = z.enum(DOSSIER_CATEGORIES)
const countsByStatus = z.record(statusEnum, z.number().int())
const countsByCategory = z.record(categoryEnum, z.number().int())

/** Counts over a set of dossiers: every status and category present (zero when none). */
export const dossierCountsSchema = z.strictObject({ total: z.number().int(), byStatus: countsByStatus, byCategory: countsByCategory })
export type DossierCountsView = z.infer<typeof dossierCountsSchema>

/** One row of the dossier list: display fields of the summary only (no body is decrypted for it). */
export const dossierListItemSchema = z.strictObject({
  id: z.string(),
  revision: z.number().int(),
  savedAt: z.string(),
  name: z.string(),
  transliteration: z.string().nullable(),
  status: statusEnum,
  category: categoryEnum,
  region: z.string(),
  flags: z.array(z.enum(VULNERABILITY_FLAGS)),
  consent: z.enum(CONSENT_LEVELS),
  birthYear: z.number().int().nullable(),
})
export type DossierListItem = z.infer<typeof dossierListItemSchema>

const customFieldIssueSchema = z.strictObject({
  fieldId: z.string(),
  path: z.string(),
  problem: z.enum(['unknown-field', 'retired-field', 'wrong-type', 'unknown-choice', 'retired-choice']),
  severity: z.enum(['error', 'warning']),
})
export type CustomFieldIssueView = z.infer<typeof customFieldIssueSchema>

const written = z.strictObject({ id: z.string(), revision: z.number().int(), warnings: z.array(customFieldIssueSchema) })
/** The kept dossier after a merge: its new revision, where the two disagreed (keep's value won), custom-field warnings. */
const merged = z.strictObject({ revision: z.number().int(), conflicts: z.array(z.string()), warnings: z.array(customFieldIssueSchema) })

/** A dossier as the editor receives it. `family.contacts` is empty unless `familyRevealed` is true. */
export const dossierViewSchema = z.strictObject({
  id: z.string(),
  revision: z.number().int(),
  savedAt: z.string(),
  author: z.string(),
  dossier: DossierSchema,
  /** How many family contacts are stored (a count only, so the editor can say that some exist). */
  familyCount: z.number().int(),
  familyRevealed: z.boolean(),
  /**
   * True when the dossier has sensitive sections (family contacts, medical note, sources) the reader's keys do not
   * open: their role may not read them. `dossier` then comes without them.
   */
  sensitiveHidden: z.boolean().optional(),
  issues: z.array(customFieldIssueSchema),
})
export type DossierView = z.infer<typeof dossierViewSchema>

export const duplicateMatchViewSchema = z.strictObject({
  id: z.string(),
  reason: z.enum(['same-name', 'similar-name']),
  distance: z.number().int(),
  name: z.string(),
  transliteration: z.string().nullable(),
  status: statusEnum,
  birthYear: z.number().int().nullable(),
})
export type DuplicateMatchView = z.infer<typeof duplicateMatchViewSchema>

export const dossierListViewSchema = z.strictObject({
  id: z.string(),
  revision: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  dossierIds: z.array(z.string()),
  counts: dossierCountsSchema,
})
export type DossierListView = z.infer<typeof dossierListViewSchema>

/** Who a printed list is for: decides which dossiers it may show (consent), see shared/dossiers/consent.ts. */
const audience = z.enum(['internal', 'partner', 'public'])
const printRequest = z.strictObject({
  id: recordId,
  audience,
  /** The partner organisation's name; required when audience is 'partner'. */
  partner: z.string().trim().min(1).max(200).optional(),
  pageSize: z.enum(['A4', 'Letter']).optional(),
})

const listName = z.string().trim().min(1, 'is empty').max(300)

const attachmentList = z.strictObject({ attachments: z.array(attachmentSchema) })
/** A photo as the editor shows it: a base64 data URL of a PNG, JPEG or WebP image (≤ 5 MiB before encoding). */
const photoDataUrl = z.string().regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]*={0,2}$/, 'must be an image data URL')

export const dossierChannels = {
  /** Summaries that match the filter (list order when `listId` is given), counts over them, and the total stored. */
  'dossiers:list': channel(
    z.strictObject({ filter: DossierFilterSchema.optional() }),
    z.strictObject({
      dossiers: z.array(dossierListItemSchema),
      counts: dossierCountsSchema,
      totalStored: z.number().int(),
      /** Every region label in use, sorted, for the region filter. */
      regions: z.array(z.string()),
    }),
  ),
  /** `revealFamily: true` returns the family contacts and logs `dossier.family_revealed`; otherwise they are left out. */
  'dossiers:get': channel(
    z.strictObject({ id: recordId, revision: revision.optional(), revealFamily: z.boolean().optional() }),
    dossierViewSchema,
  ),
  'dossiers:create': channel(z.strictObject({ dossier: DossierSchema }), written),
  /**
   * `family: 'keep'` stores the contacts already in the vault (the editor never fetched them) and requires
   * `dossier.family.contacts` to be empty; 'replace' stores what is sent. CONFLICT on a stale expectedRevision.
   */
  'dossiers:update': channel(
    z.strictObject({ id: recordId, expectedRevision: revision, dossier: DossierSchema, family: z.enum(['keep', 'replace']) }),
    written,
  ),
  'dossiers:delete': channel(z.strictObject({ id: recordId }), z.strictObject({})),
  /** Possible duplicates of a person being entered (names + birth year); `excludeId` = the dossier being edited. */
  'dossiers:checkDuplicates': channel(
    z.strictObject({
      names: DossierNamesSchema,
      birthYear: z.number().int().min(1850).max(2200).nullable().optional(),
      birthApproximate: z.boolean().optional(),
      excludeId: recordId.optional(),
    }),
    z.strictObject({ matches: z.array(duplicateMatchViewSchema).max(20) }),
  ),
  /** `dropId` is merged into `keepId` and deleted. */
  'dossiers:merge': channel(z.strictObject({ keepId: recordId, dropId: recordId }), merged),
  /**
   * A new dossier stored straight into `keepId` (the person is already in the vault): created and merged in one
   * transaction, so a failed merge leaves no second dossier. NOT_FOUND when `keepId` is no longer there.
   */
  'dossiers:createMerged': channel(z.strictObject({ dossier: DossierSchema, keepId: recordId }), merged),
  'dossiers:getSchema': channel(empty, z.strictObject({ revision: z.number().int(), schema: DossierSchemaConfigSchema })),
  'dossiers:updateSchema': channel(
    z.strictObject({ schema: DossierSchemaConfigSchema, expectedRevision: revision }),
    z.strictObject({ revision: z.number().int() }),
  ),
  /** Renames a vocabulary (its label only: the id and every value stored with it stay). CONFLICT on a stale revision. */
  'dossiers:renameVocabulary': channel(
    z.strictObject({
      vocabularyId: z.string().regex(ITEM_ID_PATTERN, 'must be a vocabulary id'),
      label: z.string().trim().min(1, 'is empty').max(MAX_VOCABULARY_LABEL),
      expectedRevision: revision,
    }),
    z.strictObject({ revision: z.number().int() }),
  ),
  'dossiers:listLists': channel(empty, z.strictObject({ lists: z.array(dossierListViewSchema) })),
  'dossiers:createList': channel(
    z.strictObject({ name: listName, description: z.string().max(5000).optional(), dossierIds: z.array(recordId).max(10_000).optional() }),
    dossierListViewSchema,
  ),
  /** Renames / re-describes a list (members unchanged). */
  'dossiers:renameList': channel(
    z.strictObject({ id: recordId, expectedRevision: revision, name: listName, description: z.string().max(5000).optional() }),
    dossierListViewSchema,
  ),
  'dossiers:deleteList': channel(z.strictObject({ id: recordId }), z.strictObject({})),
  /** Appends dossiers (those already in the list are left where they are). */
  'dossiers:addToList': channel(z.strictObject({ id: recordId, dossierIds: z.array(recordId).min(1).max(10_000) }), dossierListViewSchema),
  'dossiers:removeFromList': channel(z.strictObject({ id: recordId, dossierId: recordId }), dossierListViewSchema),
  /** Moves one member to `toIndex` (0-based, clamped to the list). */
  'dossiers:moveInList': channel(
    z.strictObject({ id: recordId, expectedRevision: revision, dossierId: recordId, toIndex: z.number().int().min(0).max(10_000) }),
    dossierListViewSchema,
  ),
  /**
   * The list as a printable table (a self-contained HTML page built in main), consent-filtered for the audience:
   * `omitted` dossiers are left out and the page says how many. `bodyHtml`: the body alone, for the in-app
   * preview (no inline styles under the app's CSP). `pdfAvailable`: dossiers:exportListPdf can run.
   */
  'dossiers:printList': channel(
    printRequest,
    z.strictObject({
      html: z.string(),
      bodyHtml: z.string(),
      title: z.string(),
      included: z.number().int(),
      omitted: z.number().int(),
      pdfAvailable: z.boolean(),
    }),
  ),
  /** The same table as a PDF, written where the user picks in a save dialog; saved=false when cancelled. */
  'dossiers:exportListPdf': channel(
    printRequest,
    z.strictObject({ saved: z.boolean(), included: z.number().int(), omitted: z.number().int() }),
  ),
  /** The files of a dossier (attachments of its own record), oldest first. */
  'dossiers:listAttachments': channel(z.strictObject({ id: recordId }), attachmentList),
  /**
   * Opens the native file dialog in main and encrypts the chosen files into the vault as attachments of the dossier
   * (logs `dossier.attachment_added`). `added` = 0 when cancelled. Returns the dossier's whole list afterwards.
   */
  'dossiers:addAttachments': channel(z.strictObject({ id: recordId }), attachmentList.extend({ added: z.number().int().min(0) })),
  /**
   * Asks main for a destination (native save dialog) and writes an UNENCRYPTED copy there; saved=false if cancelled.
   * NOT_FOUND when the attachment is not one of this dossier's.
   */
  'dossiers:exportAttachment': channel(z.strictObject({ id: recordId, attachmentId: recordId }), z.strictObject({ saved: z.boolean() })),
  /** Decrypts a file of this dossier for the viewer, in memory only. NOT_FOUND when it is not this dossier's. */
  'dossiers:openAttachment': channel(z.strictObject({ id: recordId, attachmentId: recordId }), openedAttachmentSchema),
  /**
   * Deletes a file of this dossier for good, and with it the photo and timeline links that used it (a new dossier
   * revision when there were any). `expectedRevision`: the revision the editor holds (CONFLICT when stale; nothing is
   * deleted). Returns the dossier's revision afterwards and its files. NOT_FOUND when the file is not this dossier's.
   */
  'dossiers:deleteAttachment': channel(
    z.strictObject({ id: recordId, attachmentId: recordId, expectedRevision: revision.optional() }),
    attachmentList.extend({ revision: z.number().int() }),
  ),
  /**
   * The dossier's photo as a data URL, or null when it has none. `attachmentId` previews another of its attachments
   * (the photo being chosen, before the dossier is saved). VALIDATION when it is not a PNG, JPEG or WebP ≤ 5 MiB.
   */
  'dossiers:getPhoto': channel(
    z.strictObject({ id: recordId, attachmentId: recordId.optional() }),
    z.strictObject({ dataUrl: photoDataUrl.nullable() }),
  ),
} as const
