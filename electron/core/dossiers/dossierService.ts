// Main process / CLI (Node only): prisoner dossiers, their lists and the dossier schema on top of vault records
// (validate → summarise → encrypt via the vault). Every change appends an audit event whose details are ids only.
// Multi-record operations (merge, delete, create-and-merge) write their records in ONE vault transaction: a failure or
// crash leaves all of it or none of it. Only a merge's attachment copies are written before (blobs cannot join a
// transaction); they are removed again when the merge itself fails.
import { CustodiaError } from '../../../shared/errors'
import { DOSSIER_RECORD_KIND, RECORD_ID_PATTERN, parseDossier, type Dossier } from '../../../shared/dossiers/dossier'
import {
  DOSSIER_LIST_RECORD_KIND,
  dossierListContent,
  parseDossierList,
  type DossierList,
  type DossierListInput,
} from '../../../shared/dossiers/dossierList'
import {
  DOSSIER_SCHEMA_RECORD_KIND,
  assertCustomFieldsValid,
  checkSchemaEvolution,
  createDefaultDossierSchema,
  migrateDossier,
  parseDossierSchemaConfig,
  validateCustomFields,
  type CustomFieldIssue,
  type DossierSchemaConfig,
} from '../../../shared/dossiers/dossierSchema'
import { mergeDossierBodies } from '../../../shared/dossiers/merge'
import { renameVocabulary } from '../../../shared/dossiers/vocabularies'
import { readDossierSummary, summarizeDossier, type DossierSummary, type DossierSummaryEntry } from '../../../shared/dossiers/summary'
import { REDACT_ALL, redactDossier } from '../../../shared/dossiers/consent'
import { hasSensitiveContent, joinDossier, splitDossier } from '../../../shared/dossiers/sensitiveSplit'
import { MAX_READ_ATTACHMENT_BYTES, type RecordContent, type RecordRef, type StoredRecord, type Vault } from '../vault/vault'
import { deleteAnnotationsOf } from '../annotations/annotationService'

export interface WriteOptions {
  author?: string
}

/** The result of a dossier write: the record reference and custom-field warnings (unknown/retired ids, kept). */
export interface DossierWriteResult extends RecordRef {
  warnings: CustomFieldIssue[]
}

export interface StoredDossier {
  id: string
  revision: number
  savedAt: string
  author: string
  /**
   * The dossier; without its sensitive sections (family contacts, medical note, sources and their citations) when
   * `sensitiveHidden`.
   */
  dossier: Dossier
  /** True when this dossier has sensitive sections the reader's keys do not open (their role may not read them). */
  sensitiveHidden: boolean
  /** Custom-field issues against the current schema (the dossier is returned unchanged). */
  issues: CustomFieldIssue[]
}

export interface DossierSummaryListing extends DossierSummaryEntry {
  revision: number
  savedAt: string
}

// --- helpers -----------------------------------------------------------------------------------------------------

function requireKind<B>(vault: Vault, id: string, kind: string, what: string): StoredRecord<B> {
  if (typeof id !== 'string' || !RECORD_ID_PATTERN.test(id))
    throw new CustodiaError('VALIDATION', `The ${what} id must be 32 lower-case hex characters`)
  if (!vault.hasRecord(id)) throw new CustodiaError('NOT_FOUND', `No ${what} with this id`)
  const record = vault.getRecord<B>(id)
  if (record.kind !== kind) throw new CustodiaError('NOT_FOUND', `No ${what} with this id`)
  return record
}

/** Linked library documents must exist when the link is made (links already stored are left alone). */
function checkNewDocumentLinks(vault: Vault, next: Dossier, previous: readonly Dossier[] = []): void {
  const linked = (d: Dossier) => [
    ...d.sources.flatMap((s) => (s.documentId ? [s.documentId] : [])),
    ...d.timeline.flatMap((t) => t.documentIds),
  ]
  const before = new Set(previous.flatMap(linked))
  for (const id of new Set(linked(next))) {
    if (!before.has(id) && !vault.hasRecord(id))
      throw new CustodiaError('VALIDATION', 'Invalid dossier: a linked document does not exist in the vault')
  }
}

/** Photo and timeline attachments must be attachments of this dossier's own record. */
function checkAttachmentLinks(vault: Vault, next: Dossier, recordId: string | undefined): void {
  const referenced = [...(next.photoAttachmentId ? [next.photoAttachmentId] : []), ...next.timeline.flatMap((t) => t.attachmentIds)]
  if (referenced.length === 0) return
  if (recordId === undefined)
    throw new CustodiaError('VALIDATION', 'Invalid dossier: attachments can be referenced only after they are added to the dossier')
  const own = new Set(vault.listAttachments(recordId).map((a) => a.id))
  for (const id of referenced) {
    if (!own.has(id)) throw new CustodiaError('VALIDATION', 'Invalid dossier: a referenced attachment does not belong to this dossier')
  }
}

/** Why a member without the sensitive key cannot store sensitive sections. */
const SENSITIVE_REFUSAL =
  'Family contacts, medical notes and sources are hidden for your role, so you cannot add or change them. Ask a legal adviser or an admin.'

/**
 * A dossier as a record: the open part as the body, the sensitive sections sealed apart (sensitiveSplit.ts). A member
 * without the sensitive key may store only a dossier with nothing sensitive in it; `kept` (the sealed part of the
 * revision it replaces) is then carried over unchanged, so what they could not see is not lost.
 */
export function dossierRecordContent(vault: Vault, dossier: Dossier, kept?: StoredRecord['part']): RecordContent {
  const { open, sensitive } = splitDossier(dossier)
  const summary = { ...summarizeDossier(dossier) }
  if (vault.canSealSensitive()) return { summary, body: open, part: { value: sensitive } }
  if (hasSensitiveContent(dossier)) throw new CustodiaError('FORBIDDEN', SENSITIVE_REFUSAL)
  return kept ? { summary, body: open, part: { sealed: kept.sealed } } : { summary, body: open }
}

/** The whole dossier body of a stored record: the open body joined with its sensitive part when that opens. */
function readRecordDossier(record: StoredRecord<unknown>, canRead: boolean): { body: unknown; sensitiveHidden: boolean } {
  if (record.part?.state === 'open') return { body: joinDossier(readStoredBody(record.body), record.part.value), sensitiveHidden: false }
  if (record.part?.state === 'hidden') return { body: record.body, sensitiveHidden: true }
  // Written before sensitive parts were sealed apart (moved at an admin's unlock): shown whole only to a key holder.
  if (canRead) return { body: record.body, sensitiveHidden: false }
  const whole = readStoredBody(record.body)
  return hasSensitiveContent(whole)
    ? { body: redactDossier(whole, REDACT_ALL), sensitiveHidden: true }
    : { body: whole, sensitiveHidden: false }
}

// --- schema ------------------------------------------------------------------------------------------------------

function findSchemaRecord(vault: Vault): { id: string; revision: number } | undefined {
  const rows = vault.listRecords({ kind: DOSSIER_SCHEMA_RECORD_KIND })
  if (rows.length > 1) throw new CustodiaError('CORRUPT', 'The vault holds more than one dossier schema')
  return rows[0]
}

/**
 * The dossier schema (custom fields and vocabularies) and its revision. The first call in a vault seeds the default
 * vocabularies (facilities, regions, categories) and logs `dossier_schema.created`.
 */
export function getDossierSchema(vault: Vault, opts: WriteOptions = {}): { revision: number; schema: DossierSchemaConfig } {
  const found = findSchemaRecord(vault)
  if (!found) {
    const schema = createDefaultDossierSchema()
    const ref = vault.createRecord(DOSSIER_SCHEMA_RECORD_KIND, { summary: { v: 1 }, body: schema }, { author: opts.author })
    vault.audit.append('dossier_schema.created', { recordId: ref.id })
    return { revision: ref.revision, schema }
  }
  const record = vault.getRecord(found.id)
  try {
    return { revision: record.revision, schema: parseDossierSchemaConfig(record.body) }
  } catch {
    throw new CustodiaError('CORRUPT', 'The stored dossier schema is malformed')
  }
}

/**
 * Saves a new schema. It must only evolve the stored one (checkSchemaEvolution: nothing removed, no type changes);
 * CONFLICT when `expectedRevision` is given and stale. Logs `dossier_schema.saved`.
 */
export function saveDossierSchema(
  vault: Vault,
  schema: unknown,
  opts: WriteOptions & { expectedRevision?: number } = {},
): { revision: number } {
  const next = parseDossierSchemaConfig(schema)
  const current = getDossierSchema(vault, opts)
  if (opts.expectedRevision !== undefined && opts.expectedRevision !== current.revision) {
    throw new CustodiaError('CONFLICT', 'The dossier schema was changed since it was read')
  }
  checkSchemaEvolution(current.schema, next)
  const found = findSchemaRecord(vault)!
  const ref = vault.updateRecord(found.id, { summary: { v: 1 }, body: next }, { expectedRevision: current.revision, author: opts.author })
  vault.audit.append('dossier_schema.saved', { recordId: ref.id, revision: ref.revision })
  return { revision: ref.revision }
}

/**
 * Renames a vocabulary of the dossier schema: the label changes, the id (and so every choice field and stored value
 * that uses it) stays. Label trimmed, 1-200 characters → else VALIDATION; unknown vocabulary → NOT_FOUND; CONFLICT
 * when `expectedRevision` is given and stale. The same label again writes nothing. Logs `dossier_schema.saved` and
 * `dossier_schema.vocabulary_renamed` (ids only) in one transaction.
 */
export function renameDossierVocabulary(
  vault: Vault,
  vocabularyId: string,
  label: string,
  opts: WriteOptions & { expectedRevision?: number } = {},
): { revision: number } {
  const current = getDossierSchema(vault, opts)
  if (opts.expectedRevision !== undefined && opts.expectedRevision !== current.revision) {
    throw new CustodiaError('CONFLICT', 'The dossier schema was changed since it was read')
  }
  const next = renameVocabulary(current.schema, vocabularyId, label)
  const before = current.schema.vocabularies.find((v) => v.id === vocabularyId)!
  if (next.vocabularies.find((v) => v.id === vocabularyId)!.label === before.label) return { revision: current.revision }
  return vault.transaction(() => {
    const saved = saveDossierSchema(vault, next, { expectedRevision: current.revision, author: opts.author })
    vault.audit.append('dossier_schema.vocabulary_renamed', { revision: saved.revision, vocabularyId })
    return saved
  })
}

// --- dossiers ----------------------------------------------------------------------------------------------------

/**
 * Validates and stores a new dossier. Structural problems → VALIDATION naming the JSON path; custom-field values of
 * the wrong type → VALIDATION; unknown or retired custom fields are kept and returned as warnings. Logs
 * `dossier.created`.
 */
export function createDossier(vault: Vault, input: unknown, opts: WriteOptions = {}): DossierWriteResult {
  const dossier = parseDossier(input)
  const warnings = validateCustomFields(dossier.customFields, getDossierSchema(vault, opts).schema)
  assertCustomFieldsValid(warnings)
  checkNewDocumentLinks(vault, dossier)
  checkAttachmentLinks(vault, dossier, undefined)
  const ref = vault.createRecord(DOSSIER_RECORD_KIND, dossierRecordContent(vault, dossier), { author: opts.author })
  vault.audit.append('dossier.created', { dossierId: ref.id })
  return { ...ref, warnings }
}

/** Replaces a dossier with a new revision (as createDossier). NOT_FOUND; CONFLICT on a stale expectedRevision. Logs `dossier.updated`. */
export function updateDossier(
  vault: Vault,
  id: string,
  input: unknown,
  opts: WriteOptions & { expectedRevision?: number } = {},
): DossierWriteResult {
  const current = requireKind<unknown>(vault, id, DOSSIER_RECORD_KIND, 'dossier')
  const before = readRecordDossier(current, vault.canSealSensitive())
  return writeDossierRevision(vault, id, input, current, [readStoredBody(before.body)], opts)
}

// `linkedBefore`: dossiers whose document links were already accepted (so a since-deleted document does not block).
function writeDossierRevision(
  vault: Vault,
  id: string,
  input: unknown,
  current: { revision: number; part?: StoredRecord['part'] },
  linkedBefore: readonly Dossier[],
  opts: WriteOptions & { expectedRevision?: number },
): DossierWriteResult {
  if (opts.expectedRevision !== undefined && opts.expectedRevision !== current.revision) {
    throw new CustodiaError('CONFLICT', 'The dossier was changed since it was read')
  }
  const dossier = parseDossier(input)
  const warnings = validateCustomFields(dossier.customFields, getDossierSchema(vault, opts).schema)
  assertCustomFieldsValid(warnings)
  checkNewDocumentLinks(vault, dossier, linkedBefore)
  checkAttachmentLinks(vault, dossier, id)
  const content = dossierRecordContent(vault, dossier, current.part)
  const ref = vault.updateRecord(id, content, { expectedRevision: current.revision, author: opts.author })
  vault.audit.append('dossier.updated', { dossierId: id, revision: ref.revision })
  return { ...ref, warnings }
}

function readStoredBody(body: unknown): Dossier {
  try {
    return parseDossier(body)
  } catch {
    throw new CustodiaError('CORRUPT', 'A stored dossier is malformed')
  }
}

/** Reads a dossier (current revision by default), migrated to the current model, with its custom-field issues. */
export function getDossier(vault: Vault, id: string, revision?: number): StoredDossier {
  requireKind<unknown>(vault, id, DOSSIER_RECORD_KIND, 'dossier')
  const record = vault.getRecord<unknown>(id, revision)
  const { body, sensitiveHidden } = readRecordDossier(record, vault.canSealSensitive())
  let migrated: ReturnType<typeof migrateDossier>
  try {
    migrated = migrateDossier(body, getDossierSchema(vault).schema)
  } catch {
    throw new CustodiaError('CORRUPT', 'A stored dossier is malformed')
  }
  return {
    id,
    revision: record.revision,
    savedAt: record.savedAt,
    author: record.author,
    dossier: migrated.dossier,
    sensitiveHidden,
    issues: migrated.issues,
  }
}

/** Every dossier's summary (summaries only are decrypted), in creation-independent vault order. */
export function listDossierSummaries(vault: Vault): DossierSummaryListing[] {
  return vault
    .listRecords({ kind: DOSSIER_RECORD_KIND })
    .map((r) => ({ id: r.id, revision: r.revision, savedAt: r.savedAt, summary: readDossierSummary(r.summary) }))
}

/** Deletes a dossier (and its attachments), removing it from every list first. NOT_FOUND. Logs `dossier.deleted`. */
export function deleteDossier(vault: Vault, id: string, opts: WriteOptions = {}): void {
  requireKind<unknown>(vault, id, DOSSIER_RECORD_KIND, 'dossier')
  // One transaction: the dossier, its place in lists and its annotations go together or not at all.
  vault.transaction(() => {
    for (const list of listDossierLists(vault)) {
      if (list.dossierIds.includes(id)) writeList(vault, list.id, { ...list, dossierIds: list.dossierIds.filter((x) => x !== id) }, opts)
    }
    deleteAnnotationsOf(vault, id)
    vault.deleteRecord(id)
    vault.audit.append('dossier.deleted', { dossierId: id })
  })
}

/**
 * Merges dossier `dropId` into `keepId` (mergeDossierBodies: union of names, histories, sources, timeline, family;
 * stricter consent). drop's attachments are copied onto keep's record first; then, in one transaction, keep gets the
 * merged revision, lists that held drop now hold keep, and drop is deleted. Logs `dossier.merged`. Same id →
 * VALIDATION; an attachment over 64 MiB → VALIDATION before anything changes.
 */
export async function mergeDossiers(vault: Vault, keepId: string, dropId: string, opts: WriteOptions = {}): Promise<MergeOutcome> {
  const { keep, drop } = readMergePair(vault, keepId, dropId)
  const attachments = vault.listAttachments(dropId)
  if (attachments.some((a) => a.size > MAX_READ_ATTACHMENT_BYTES)) {
    throw new CustodiaError('VALIDATION', 'An attachment of the dossier to merge is larger than 64 MiB: move it first')
  }
  // Dry run with the attachment ids as they are, so a merge that cannot validate fails before any copy is made.
  mergeDossierBodies(keep.dossier, drop.dossier, new Map(attachments.map((a) => [a.id, a.id])))
  const attachmentIdMap = new Map<string, string>()
  try {
    for (const info of attachments) {
      const bytes = await vault.readAttachment(info.id)
      try {
        const copy = await vault.addAttachmentFromStream(keepId, yieldOnce(bytes), { filename: info.filename, mediaType: info.mediaType })
        attachmentIdMap.set(info.id, copy.id)
      } finally {
        bytes.fill(0)
      }
    }
    return vault.transaction(() => writeMerge(vault, { keep, drop }, attachmentIdMap, opts))
  } catch (err) {
    // The copies belong to a merge that did not happen: keep is left with the files it had.
    for (const copyId of attachmentIdMap.values()) {
      try {
        vault.deleteAttachment(copyId)
      } catch {
        // Left on keep's record: visible in its file list, where the user can delete it.
      }
    }
    throw err
  }
}

/**
 * Stores a new dossier straight into an existing one (the person was already in the vault): creates it and merges it
 * into `keepId` in ONE transaction, so when the merge fails no second dossier is left behind and the audit log holds
 * neither step. A new dossier has no attachments, so nothing has to be copied first. Logs `dossier.created` and
 * `dossier.merged`. Errors as createDossier and mergeDossiers; NOT_FOUND when `keepId` is not (or no longer) a dossier.
 */
export function createDossierMergedInto(vault: Vault, input: unknown, keepId: string, opts: WriteOptions = {}): MergeOutcome {
  return vault.transaction(() => {
    const created = createDossier(vault, input, opts)
    return writeMerge(vault, readMergePair(vault, keepId, created.id), new Map(), opts)
  })
}

export interface MergeOutcome {
  revision: number
  conflicts: string[]
  warnings: CustomFieldIssue[]
}

function readMergePair(vault: Vault, keepId: string, dropId: string): { keep: StoredDossier; drop: StoredDossier } {
  if (keepId === dropId) throw new CustodiaError('VALIDATION', 'A dossier cannot be merged with itself')
  const pair = { keep: getDossier(vault, keepId), drop: getDossier(vault, dropId) }
  // A merge joins the sensitive sections too: it needs a reader who sees them.
  if (pair.keep.sensitiveHidden || pair.drop.sensitiveHidden) throw new CustodiaError('FORBIDDEN', SENSITIVE_REFUSAL)
  return pair
}

// The record writes of a merge (call inside vault.transaction). keep changed since it was read → CONFLICT.
function writeMerge(
  vault: Vault,
  { keep, drop }: { keep: StoredDossier; drop: StoredDossier },
  attachmentIdMap: ReadonlyMap<string, string>,
  opts: WriteOptions,
): MergeOutcome {
  const { dossier, conflicts } = mergeDossierBodies(keep.dossier, drop.dossier, attachmentIdMap)
  const written = writeDossierRevision(vault, keep.id, dossier, keep, [keep.dossier, drop.dossier], {
    expectedRevision: keep.revision,
    author: opts.author,
  })
  for (const list of listDossierLists(vault)) {
    if (!list.dossierIds.includes(drop.id)) continue
    const hasKeep = list.dossierIds.includes(keep.id)
    const dossierIds = list.dossierIds.flatMap((x) => (x === drop.id ? (hasKeep ? [] : [keep.id]) : [x]))
    writeList(vault, list.id, { ...list, dossierIds }, opts)
  }
  vault.deleteRecord(drop.id)
  vault.audit.append('dossier.merged', { keepId: keep.id, dropId: drop.id, revision: written.revision })
  return { revision: written.revision, conflicts, warnings: written.warnings }
}

async function* yieldOnce(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}

// --- lists -------------------------------------------------------------------------------------------------------

/**
 * Every new member must be a dossier of this vault. `kept`: members the list already had, which may stay although
 * they are not here (yet): a list that came from another office can name a dossier a third office wrote.
 */
function checkListMembers(vault: Vault, dossierIds: readonly string[], kept: readonly string[] = []): void {
  if (dossierIds.length === 0) return
  const known = new Set([...vault.listRecords({ kind: DOSSIER_RECORD_KIND }).map((r) => r.id), ...kept])
  dossierIds.forEach((id, i) => {
    if (!known.has(id)) throw new CustodiaError('VALIDATION', `Invalid dossier list: $.dossierIds[${i}]: no dossier with this id`)
  })
}

function writeList(vault: Vault, id: string, input: DossierListInput, opts: WriteOptions & { expectedRevision?: number }): RecordRef {
  const list = parseDossierList({
    name: input.name,
    ...(input.description !== undefined ? { description: input.description } : {}),
    dossierIds: input.dossierIds,
  })
  checkListMembers(vault, list.dossierIds, vault.getRecord<{ dossierIds?: string[] }>(id).body.dossierIds ?? [])
  const ref = vault.updateRecord(id, dossierListContent(list), opts)
  vault.audit.append('dossier_list.updated', { listId: id, revision: ref.revision })
  return ref
}

/** Creates a list (dossier ids must exist; each at most once). Logs `dossier_list.created`. */
export function createDossierList(vault: Vault, input: DossierListInput, opts: WriteOptions = {}): RecordRef {
  const list = parseDossierList(input)
  checkListMembers(vault, list.dossierIds)
  const ref = vault.createRecord(DOSSIER_LIST_RECORD_KIND, dossierListContent(list), { author: opts.author })
  vault.audit.append('dossier_list.created', { listId: ref.id })
  return ref
}

/** Replaces a list's name, description and ordered members. NOT_FOUND; CONFLICT on a stale expectedRevision. */
export function updateDossierList(
  vault: Vault,
  id: string,
  input: DossierListInput,
  opts: WriteOptions & { expectedRevision?: number } = {},
): RecordRef {
  requireKind<unknown>(vault, id, DOSSIER_LIST_RECORD_KIND, 'dossier list')
  return writeList(vault, id, input, opts)
}

export function getDossierList(vault: Vault, id: string): DossierList & { revision: number } {
  const record = requireKind<unknown>(vault, id, DOSSIER_LIST_RECORD_KIND, 'dossier list')
  let list: ReturnType<typeof parseDossierList>
  try {
    list = parseDossierList(record.body)
  } catch {
    throw new CustodiaError('CORRUPT', 'A stored dossier list is malformed')
  }
  return { id, revision: record.revision, ...list }
}

/** Every list with its members (bodies are small: ids only). */
export function listDossierLists(vault: Vault): (DossierList & { revision: number })[] {
  return vault.listRecords({ kind: DOSSIER_LIST_RECORD_KIND }).map((r) => getDossierList(vault, r.id))
}

/** Deletes a list (the dossiers stay). NOT_FOUND. Logs `dossier_list.deleted`. */
export function deleteDossierList(vault: Vault, id: string): void {
  requireKind<unknown>(vault, id, DOSSIER_LIST_RECORD_KIND, 'dossier list')
  vault.deleteRecord(id)
  vault.audit.append('dossier_list.deleted', { listId: id })
}

/** The summaries of a list's members, in list order. NOT_FOUND for an unknown list. */
export function listMembers(vault: Vault, listId: string): DossierSummaryListing[] {
  const list = getDossierList(vault, listId)
  const byId = new Map(listDossierSummaries(vault).map((s) => [s.id, s]))
  return list.dossierIds.flatMap((id) => byId.get(id) ?? [])
}

export type { DossierSummary }
