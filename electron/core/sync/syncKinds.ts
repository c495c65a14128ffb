// Main process / CLI (Node only): the record kinds sync carries — library documents, dossiers, dossier lists,
// annotations and the team's dossier schema (syncSchema.ts) — and,
// for each, who may change it, how a change's body is checked, how a local revision becomes a change's body and a
// change's body becomes a local revision, and how the heads of its graph combine (syncMerge.ts). A dossier's body in a
// change-set is `{ open, sensitive }`: its sensitive part travels inside the sealed change-set and is sealed again
// under the receiving vault's own sensitive key when it is stored; it is never written in plaintext. docs/SYNC.md.
import { AnnotationSchema, type Annotation } from '../../../shared/annotations/annotationModel'
import { DOSSIER_RECORD_KIND, DossierSchema, type Dossier } from '../../../shared/dossiers/dossier'
import { DossierSensitivePartSchema, joinDossier, splitDossier, type DossierSensitivePart } from '../../../shared/dossiers/sensitiveSplit'
import { summarizeDossier } from '../../../shared/dossiers/summary'
import {
  DossierListInputSchema,
  dossierListContent,
  DOSSIER_LIST_RECORD_KIND,
  type DossierListContent,
} from '../../../shared/dossiers/dossierList'
import { DossierSchemaConfigSchema, DOSSIER_SCHEMA_RECORD_KIND } from '../../../shared/dossiers/dossierSchema'
import { DOCUMENT_KINDS, documentBodySchema, summarizeDocument, type LibraryDocument } from '../../../shared/library/document'
import type { Capability } from '../../../shared/members/roles'
import { ANNOTATION_RECORD_KIND, summarizeAnnotation } from '../annotations/annotationService'
import type { RecordContent, StoredRecord, Vault } from '../vault/vault'
import type { SodiumBackend } from '../platform/crypto/sodium'
import { openSensitivePart, sealSensitivePart } from './syncFormat'
import { canonicalJson, commonAncestor, mergeFields, orderHeads, type MergeNode } from './syncMerge'
import { mergeSchemaHeads } from './syncSchema'
import { currentSensitiveKeyOf, sensitiveKeysOf, type TeamState } from './syncState'

/** The kinds of record sync carries between replicas. */
export const SYNCED_KINDS: readonly string[] = [
  ...DOCUMENT_KINDS,
  DOSSIER_RECORD_KIND,
  DOSSIER_LIST_RECORD_KIND,
  ANNOTATION_RECORD_KIND,
  DOSSIER_SCHEMA_RECORD_KIND,
]

export function isSyncedKind(kind: string): boolean {
  return SYNCED_KINDS.includes(kind)
}

/**
 * True when a stored record travels: a synced kind, and for an annotation, one anchored in a record that travels
 * (an annotation of a record kind that stays in its vault would wait for ever on the others for its anchor).
 */
export function travels(vault: Vault, record: { kind: string; body: unknown }): boolean {
  if (!isSyncedKind(record.kind)) return false
  const anchor = anchorRecordOf(record.kind, record.body)
  return anchor === null || !vault.hasRecord(anchor) || isSyncedKind(vault.getRecord(anchor).kind)
}

/** The capability a device's role needs to change (or delete) a record of this kind. */
export function writeCapability(kind: string): Capability {
  if (kind === DOSSIER_RECORD_KIND || kind === DOSSIER_LIST_RECORD_KIND) return 'dossiers.write'
  if (kind === ANNOTATION_RECORD_KIND) return 'annotations.write'
  if (kind === DOSSIER_SCHEMA_RECORD_KIND) return 'vocabularies.manage'
  return 'library.write'
}

/** A dossier as it travels: the open part, and the sensitive part (null: the writer's keys did not open it). */
export interface SyncedDossier {
  open: Dossier
  sensitive: DossierSensitivePart | null
}

/**
 * A body as it goes into a change-set. A dossier's sensitive part is sealed once more under the team's sensitive key,
 * so a device whose role may not read it (it has no such key) cannot, though it opens the change-set; a device without
 * the key sends null ("not known here"), which changes nothing elsewhere.
 */
export function bodyToChange(
  sodium: SodiumBackend,
  team: TeamState,
  change: { kind: string; recordId: string; node: string },
  body: unknown,
): unknown {
  if (change.kind !== DOSSIER_RECORD_KIND) return body
  const { open, sensitive } = body as SyncedDossier
  const current = currentSensitiveKeyOf(team)
  if (sensitive === null || current === undefined) return { open, sensitive: null }
  const key = Buffer.from(current, 'hex')
  try {
    return { open, sensitive: sealSensitivePart(sodium, key, { teamId: team.teamId, ...change }, sensitive) }
  } finally {
    sodium.memzero(key)
  }
}

/** The inverse of bodyToChange (still unchecked: readChangeBody checks it). ChangeSetRefusal for a part that does not open. */
export function bodyFromChange(
  sodium: SodiumBackend,
  team: TeamState,
  change: { kind: string; recordId: string; node: string },
  body: unknown,
): unknown {
  if (change.kind !== DOSSIER_RECORD_KIND || typeof body !== 'object' || body === null) return body
  const { open, sensitive } = body as { open?: unknown; sensitive?: unknown }
  const keys = sensitiveKeysOf(team)
  if (sensitive === null || sensitive === undefined || keys.length === 0) return { open, sensitive: null }
  // Sealed under the writer's current sensitive key: one of those this device holds (the current one first).
  let refusal: unknown = null
  for (const hex of keys) {
    const key = Buffer.from(hex, 'hex')
    try {
      return { open, sensitive: openSensitivePart(sodium, key, { teamId: team.teamId, ...change }, sensitive) }
    } catch (error) {
      refusal = error
    } finally {
      sodium.memzero(key)
    }
  }
  throw refusal
}

/** A change's body checked for its kind (untrusted input from another device); null when it is not one. */
export function readChangeBody(kind: string, body: unknown): unknown {
  if (kind === DOSSIER_RECORD_KIND) {
    const b = body as Partial<SyncedDossier> | null
    if (typeof b !== 'object' || b === null) return null
    const open = DossierSchema.safeParse(b.open)
    if (!open.success) return null
    if (b.sensitive === null) return { open: open.data, sensitive: null }
    const sensitive = DossierSensitivePartSchema.safeParse(b.sensitive)
    return sensitive.success ? { open: open.data, sensitive: sensitive.data } : null
  }
  if (kind === ANNOTATION_RECORD_KIND) {
    const parsed = AnnotationSchema.safeParse(body)
    return parsed.success ? parsed.data : null
  }
  if (kind === DOSSIER_SCHEMA_RECORD_KIND) {
    const parsed = DossierSchemaConfigSchema.safeParse(body)
    return parsed.success ? parsed.data : null
  }
  if (kind === DOSSIER_LIST_RECORD_KIND) {
    const parsed = DossierListInputSchema.safeParse(body)
    return parsed.success ? parsed.data : null
  }
  const parsed = documentBodySchema.safeParse(body)
  return parsed.success && parsed.data.kind === kind ? parsed.data : null
}

/** The record an annotation is anchored in (it waits for that record); null for other kinds. */
export function anchorRecordOf(kind: string, body: unknown): string | null {
  return kind === ANNOTATION_RECORD_KIND ? (body as Annotation).recordId : null
}

/** A local revision as a change's body. A dossier stored whole (before parts were sealed apart) is split here. */
export function bodyOfRecord(record: StoredRecord): unknown {
  if (record.kind !== DOSSIER_RECORD_KIND) return record.body
  if (record.part?.state === 'open') return { open: record.body, sensitive: record.part.value }
  if (record.part?.state === 'hidden') return { open: record.body, sensitive: null }
  const parsed = DossierSchema.safeParse(record.body)
  if (!parsed.success) return { open: record.body, sensitive: null }
  const { open, sensitive } = splitDossier(parsed.data)
  return { open, sensitive } satisfies SyncedDossier
}

/**
 * A change's body as the content of a local revision. A dossier's sensitive part is sealed under this vault's own
 * sensitive key when the working member holds it; otherwise (or when the writer could not read it) the part the record
 * already has is carried over sealed as it is.
 */
export function contentOfBody(vault: Vault, recordId: string, kind: string, body: unknown): RecordContent {
  if (kind === DOSSIER_RECORD_KIND) {
    const { open, sensitive } = body as SyncedDossier
    if (sensitive !== null && vault.canSealSensitive())
      return { summary: { ...summarizeDossier(joinDossier(open, sensitive)) }, body: open, part: { value: sensitive } }
    const kept = vault.hasRecord(recordId) ? vault.getRecord(recordId).part : undefined
    return { summary: { ...summarizeDossier(open) }, body: open, ...(kept ? { part: { sealed: kept.sealed } } : {}) }
  }
  if (kind === ANNOTATION_RECORD_KIND) return { summary: { ...summarizeAnnotation(body as Annotation) }, body }
  if (kind === DOSSIER_SCHEMA_RECORD_KIND) return { summary: { v: 1 }, body }
  if (kind === DOSSIER_LIST_RECORD_KIND) return dossierListContent(body as DossierListContent)
  return { summary: { ...summarizeDocument(body as LibraryDocument) }, body }
}

/** What a record's heads combine into: the body every replica shows and the fields in conflict (none: agreement). */
export interface HeadsMerge {
  readonly body: unknown
  readonly conflicts: readonly string[]
}

const SENSITIVE_FIELD = 'sensitive parts'

/**
 * Combines the heads of a record's graph (`bodyOf` reads a node's body). Library documents: the latest head whole,
 * several heads are a conflict. Dossiers: field by field (the sensitive part counts as one field). Annotations: field
 * by field, replies are the union of both sides' replies, the last modification time the later one. Dossier lists: name
 * and description as fields, members as a set. The dossier schema: field by field and choice by choice (syncSchema.ts).
 */
export function mergeHeads(
  kind: string,
  nodes: Readonly<Record<string, MergeNode>>,
  heads: readonly string[],
  bodyOf: (node: string) => unknown,
): HeadsMerge {
  const ordered = orderHeads(nodes, heads)
  const winner = ordered[ordered.length - 1]!
  if (ordered.length === 1) return { body: bodyOf(winner), conflicts: [] }
  if (kind === DOSSIER_SCHEMA_RECORD_KIND) {
    const schema = mergeSchemaHeads(nodes, heads, bodyOf)
    return schema.body === null ? { body: bodyOf(winner), conflicts: [...schema.conflicts, 'whole record'].sort() } : schema
  }
  const flat = {
    [DOSSIER_RECORD_KIND]: flattenDossier,
    [ANNOTATION_RECORD_KIND]: flattenAnnotation,
    [DOSSIER_LIST_RECORD_KIND]: flattenList,
  }[kind]
  if (flat === undefined) return { body: bodyOf(winner), conflicts: ['text'] }
  let merged = flat(bodyOf(ordered[0]!))
  const conflicts = new Set<string>()
  for (const head of ordered.slice(1)) {
    const baseNode = commonAncestor(nodes, ordered[0]!, head)
    const base = baseNode === null ? null : flat(bodyOf(baseNode))
    // A sensitive part not known to one side (null) is no change of it.
    const theirs = flat(bodyOf(head))
    if (kind === DOSSIER_RECORD_KIND && base !== null) {
      if (merged[SENSITIVE_FIELD] === null) merged[SENSITIVE_FIELD] = base[SENSITIVE_FIELD]
      if (theirs[SENSITIVE_FIELD] === null) theirs[SENSITIVE_FIELD] = base[SENSITIVE_FIELD]
    }
    const result = mergeFields(base, merged, theirs)
    result.conflicts.forEach((field) => conflicts.add(field))
    merged = result.merged
  }
  const body =
    kind === DOSSIER_RECORD_KIND
      ? joinFlatDossier(merged)
      : kind === DOSSIER_LIST_RECORD_KIND
        ? joinFlatList(merged, ordered.map(bodyOf) as DossierListContent[])
        : joinFlatAnnotation(merged, ordered.map(bodyOf) as Annotation[])
  // Fields merged from valid sides can still break a rule across fields: then the latest head is shown whole.
  if (body === null) return { body: bodyOf(winner), conflicts: [...conflicts, 'whole record'].sort() }
  return { body, conflicts: [...conflicts].sort() }
}

function flattenDossier(body: unknown): Record<string, unknown> {
  const { open, sensitive } = body as SyncedDossier
  return { ...open, [SENSITIVE_FIELD]: sensitive }
}

function joinFlatDossier(flat: Record<string, unknown>): SyncedDossier | null {
  const { [SENSITIVE_FIELD]: sensitive, ...open } = flat
  const parsed = DossierSchema.safeParse(open)
  if (!parsed.success) return null
  return { open: parsed.data, sensitive: (sensitive ?? null) as DossierSensitivePart | null }
}

// A list's members are a set, each added or removed on its own (two offices adding different dossiers both keep
// theirs); their order is the latest head's, then members only other heads have, in those heads' order.
function flattenList(body: unknown): Record<string, unknown> {
  const { dossierIds, ...rest } = body as DossierListContent
  return { ...rest, ...Object.fromEntries(dossierIds.map((id) => [`member ${id}`, true])) }
}

function joinFlatList(flat: Record<string, unknown>, heads: DossierListContent[]): DossierListContent | null {
  const members = new Set<string>()
  for (const head of [heads[heads.length - 1]!, ...heads.slice(0, -1)])
    for (const id of head.dossierIds) if (flat[`member ${id}`] === true) members.add(id)
  const rest = Object.fromEntries(Object.entries(flat).filter(([key]) => !key.startsWith('member ')))
  const parsed = DossierListInputSchema.safeParse({ ...rest, dossierIds: [...members] })
  return parsed.success ? parsed.data : null
}

// Replies are appended, never edited in place: they are not a field to conflict over but a set to unite.
function flattenAnnotation(body: unknown): Record<string, unknown> {
  const { replies: _replies, modifiedAt: _modifiedAt, ...rest } = body as Annotation
  return rest
}

function joinFlatAnnotation(flat: Record<string, unknown>, heads: Annotation[]): Annotation | null {
  const replies = new Map<string, Annotation['replies'][number]>()
  for (const head of heads) for (const reply of head.replies) replies.set(canonicalJson(reply), reply)
  const parsed = AnnotationSchema.safeParse({
    ...flat,
    replies: [...replies.entries()]
      .sort(([ka, a], [kb, b]) => (a.createdAt === b.createdAt ? (ka < kb ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1))
      .map(([, r]) => r),
    modifiedAt: heads.map((h) => h.modifiedAt).sort()[heads.length - 1],
  })
  return parsed.success ? parsed.data : null
}
