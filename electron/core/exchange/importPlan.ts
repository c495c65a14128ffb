// Main process / CLI (Node only): what a bundle import will write, decided before anything is written — each chosen
// item's record checked with our own schemas (summaries recomputed, the sender's markup not trusted), where it goes
// here (a new record, a copy under a fresh id, or a new revision of a record we hold), which items are skipped and
// why, and every revision's content checked against the vault's own write-time limits. importService.ts then stages
// the attachments and writes the whole plan in one vault transaction.
import { randomBytes, randomUUID } from 'node:crypto'
import { z } from 'zod'
import { CustodiaError, isCustodiaError } from '../../../shared/errors'
import { AnnotationSchema, type Annotation } from '../../../shared/annotations/annotationModel'
import { documentBodySchema, summarizeDocument } from '../../../shared/library/document'
import { DOSSIER_RECORD_KIND, parseDossier, type Dossier } from '../../../shared/dossiers/dossier'
import { DOSSIER_LIST_RECORD_KIND, parseDossierList } from '../../../shared/dossiers/dossierList'
import { summarizeDossier } from '../../../shared/dossiers/summary'
import { ANNOTATION_RECORD_KIND, formatBodyHtml, summarizeAnnotation, toAnnotationRecordId } from '../annotations/annotationService'
import { isDocumentKind } from '../library/documentService'
import { safeFileName } from '../platform/fs/safeFileName'
import { checkRecordContent, type RecordContent, type Vault } from '../vault/vault'
import type { OpenedBundle } from './bundle/bundleFormat'
import type { SenderRevisions } from './importLedger'
import type { ManifestItem } from './bundle/manifest'
import { RECORD_FORMAT } from './exportService'

export const ID_PATTERN = /^[0-9a-f]{32}$/
const ANNOTATABLE = (kind: string): boolean => isDocumentKind(kind) || kind === DOSSIER_RECORD_KIND || kind === DOSSIER_LIST_RECORD_KIND
/** Kinds this version stores; others are previewed but never imported. */
export const isImportableKind = (kind: string): boolean => ANNOTATABLE(kind) || kind === ANNOTATION_RECORD_KIND
/** Import order: records, then lists (their members are here by then), then annotations (their records are). */
const IMPORT_RANK = (kind: string): number => (kind === ANNOTATION_RECORD_KIND ? 2 : kind === DOSSIER_LIST_RECORD_KIND ? 1 : 0)

/** An attachment of an item, as it will be added to the item's record here. */
export interface PlannedAttachment {
  /** Its id in the bundle (`files/<id>`), which a dossier's references use. */
  readonly bundleAttachmentId: string
  readonly bundlePath: string
  readonly filename: string
  readonly mediaType: string
  /** An attachment the target record already has with the same bytes and name: kept, not added again. */
  readonly existingId: string | null
}

export interface PlannedItem {
  readonly item: ManifestItem
  /**
   * 'create': a new record with `contents` as its revisions; 'revise': `contents` become new revisions of a record held;
   * 'history': `contents` (one revision, older than what the same sender already brought) is kept in the held record's
   * history, and its current content stays current.
   */
  readonly mode: 'create' | 'revise' | 'history'
  readonly targetId: string
  /** Oldest first. Checked against the vault's content limits. */
  readonly contents: readonly RecordContent[]
  readonly attachments: readonly PlannedAttachment[]
  /**
   * A dossier that points at attachments: its first revision is written without those pointers (the attachments do not
   * exist yet), and every later one with the ids they got here.
   */
  readonly remapsAttachments: boolean
}

export interface ImportPlan {
  /** In the order they are written: records, lists, annotations. */
  readonly items: readonly PlannedItem[]
  readonly skipped: readonly { readonly id: string; readonly reason: string }[]
}

export interface PlanOptions {
  readonly asRevisions: boolean
  /** What was imported from this bundle's signer, per record id here (read only when needed). */
  readonly senderRevisions: () => ReadonlyMap<string, SenderRevisions>
}

const revisionSchema = z.strictObject({
  revision: z.number().int().min(1),
  savedAt: z.string().max(64),
  summary: z.record(z.string(), z.unknown()),
  body: z.unknown(),
})
const recordSchema = z.strictObject({
  format: z.literal(RECORD_FORMAT),
  version: z.literal(1),
  kind: z.string(),
  id: z.string(),
  revision: z.number().int().min(1),
  createdAt: z.string().max(64),
  savedAt: z.string().max(64),
  summary: z.record(z.string(), z.unknown()),
  body: z.unknown(),
  history: z.array(revisionSchema).min(1).max(10_000).optional(),
})

/**
 * Reads and checks every chosen item, then decides what becomes of each. Nothing is written. A chosen id not in the
 * bundle → NOT_FOUND; a record that is not valid, or a revision over a vault limit (summary > 64 KiB, body > 64 MiB,
 * nested too deeply to store) → VALIDATION, so one bad item refuses the whole bundle before the first write.
 */
export async function planImport(vault: Vault, bundle: OpenedBundle, chosenIds: Iterable<string>, opts: PlanOptions): Promise<ImportPlan> {
  const manifestItems = new Map(bundle.manifest.items.map((i) => [i.id, i]))
  const skipped: { id: string; reason: string }[] = []
  const read: { item: ManifestItem; revisions: RecordContent[] }[] = []
  for (const id of new Set(chosenIds)) {
    const item = manifestItems.get(id)
    if (!item) throw new CustodiaError('NOT_FOUND', 'A chosen item is not in the bundle')
    if (!isImportableKind(item.kind) || !ID_PATTERN.test(item.id)) {
      skipped.push({ id, reason: 'this kind of item cannot be imported' })
      continue
    }
    const record = await readBundleRecord(bundle, item)
    const history = record.history ?? [{ revision: record.revision, savedAt: record.savedAt, summary: record.summary, body: record.body }]
    read.push({ item, revisions: history.map((r) => buildContent(item.kind, item.id, r.body)) })
  }
  read.sort((a, b) => IMPORT_RANK(a.item.kind) - IMPORT_RANK(b.item.kind))

  const items: PlannedItem[] = []
  /** Bundle item id → the record it becomes here, and the kind of every record the plan writes. */
  const idMap = new Map<string, string>()
  const plannedKinds = new Map<string, string>()
  let senderRevisions: ReadonlyMap<string, SenderRevisions> | null = null
  for (const { item, revisions } of read) {
    const held = vault.hasRecord(item.id)
    const revise = held && opts.asRevisions
    if (revise && vault.getRecord(item.id).kind !== item.kind) {
      skipped.push({ id: item.id, reason: 'a record with this id but of another kind is held here' })
      continue
    }
    let older = false
    if (revise) {
      senderRevisions ??= opts.senderRevisions()
      const from = senderRevisions.get(item.id)
      if (from !== undefined && item.revision === from.newest) {
        skipped.push({ id: item.id, reason: `the same revision as the one you hold (revision ${from.newest} from the same sender)` })
        continue
      }
      if (from !== undefined && from.stored.has(item.revision)) {
        const reason = `this older version was already imported from the same sender (revision ${item.revision}); it is in the record's history`
        skipped.push({ id: item.id, reason })
        continue
      }
      // Older than what the same sender already brought: it must not overwrite the newer one, and it must not be lost.
      older = from !== undefined && item.revision < from.newest
    }
    const exists = (id: string): boolean => plannedKinds.has(id) || vault.hasRecord(id)
    if (item.kind === DOSSIER_LIST_RECORD_KIND) {
      for (const r of revisions) {
        const list = r.body as { dossierIds: string[] }
        list.dossierIds = list.dossierIds.map((m) => idMap.get(m) ?? m).filter(exists)
        r.summary = { ...r.summary, count: list.dossierIds.length }
      }
    }
    const isAnnotation = item.kind === ANNOTATION_RECORD_KIND
    if (isAnnotation) {
      const target = locateAnnotatedRecord(vault, (revisions[0]?.body as Annotation).recordId, idMap, plannedKinds)
      if (target === null) {
        skipped.push({ id: item.id, reason: 'the record this annotation is on was not imported and is not held here' })
        continue
      }
      // A copy next to the one we hold needs its own UUID: its record id is always derived from it.
      const fresh = held && !opts.asRevisions ? randomUUID() : null
      revisions.forEach((r, i) => (revisions[i] = repointAnnotation(r.body as Annotation, target, fresh)))
    }
    const first = revisions[0] as RecordContent
    const last = revisions[revisions.length - 1] as RecordContent
    const targetId = revise
      ? item.id
      : isAnnotation
        ? toAnnotationRecordId((first.body as Annotation).id)
        : held
          ? randomBytes(16).toString('hex')
          : item.id
    const contents = revise ? [last] : revisions
    // Every write-time limit of the vault, before anything is written. Pointing a dossier at the attachments' ids here
    // later never makes it larger: a 32-hex id is replaced by another or dropped (the dossier schema allows no other).
    for (const content of contents) checkContent(item, content)
    items.push({
      item,
      mode: older ? 'history' : revise ? 'revise' : 'create',
      targetId,
      contents,
      // Annotations carry no attachments of their own: anything listed under one is ignored.
      attachments: isAnnotation ? [] : planAttachments(vault, item, revise ? targetId : null),
      remapsAttachments: item.kind === DOSSIER_RECORD_KIND && revisions.some((r) => referencesAttachments(r.body as Dossier)),
    })
    idMap.set(item.id, targetId)
    plannedKinds.set(targetId, item.kind)
  }
  return { items, skipped }
}

/** The vault's own content check, its refusal worded for the bundle: which item, and that nothing was imported. */
function checkContent(item: ManifestItem, content: RecordContent): void {
  try {
    checkRecordContent(content)
  } catch (err) {
    if (!isCustodiaError(err)) throw err
    const reason = err.message.charAt(0).toLowerCase() + err.message.slice(1)
    throw new CustodiaError(err.code, `Nothing was imported: item ${item.id} of this bundle cannot be stored here: ${reason}.`)
  }
}

type ParsedRecord = z.infer<typeof recordSchema>

async function readBundleRecord(bundle: OpenedBundle, item: ManifestItem): Promise<ParsedRecord> {
  const parsed = recordSchema.safeParse(await bundle.readRecord(item.id))
  if (!parsed.success) throw new CustodiaError('VALIDATION', 'A record in the bundle is not a Custodia record')
  if (parsed.data.kind !== item.kind || parsed.data.id !== item.id) {
    throw new CustodiaError('VALIDATION', 'A record in the bundle does not match its manifest entry')
  }
  return parsed.data
}

/** Validates a body with our own schemas and recomputes its summary (the sender's summary is not trusted). */
function buildContent(kind: string, id: string, body: unknown): RecordContent {
  if (kind === ANNOTATION_RECORD_KIND) {
    const parsed = AnnotationSchema.safeParse(body)
    if (!parsed.success || toAnnotationRecordId(parsed.data.id) !== id)
      throw new CustodiaError('VALIDATION', 'An annotation in the bundle is not valid')
    // The HTML form is ours to make from the text: the sender's markup is not trusted.
    const annotation: Annotation = { ...parsed.data, body: { text: parsed.data.body.text, html: formatBodyHtml(parsed.data.body.text) } }
    return { summary: { ...summarizeAnnotation(annotation) }, body: annotation }
  }
  if (isDocumentKind(kind)) {
    const parsed = documentBodySchema.safeParse(body)
    if (!parsed.success || parsed.data.kind !== kind) throw new CustodiaError('VALIDATION', 'A document in the bundle is not valid')
    return { summary: { ...summarizeDocument(parsed.data) }, body: parsed.data }
  }
  // The parsers name the schema path of a problem: words for our logs, not for whoever imports.
  if (kind === DOSSIER_RECORD_KIND) {
    const dossier = parseOrRefuse(() => parseDossier(body), 'A dossier in the bundle is not valid')
    return { summary: { ...summarizeDossier(dossier) }, body: dossier }
  }
  const list = parseOrRefuse(() => parseDossierList(body), 'A dossier list in the bundle is not valid')
  return { summary: { v: 1, name: list.name, count: list.dossierIds.length }, body: list }
}

function parseOrRefuse<T>(parse: () => T, message: string): T {
  try {
    return parse()
  } catch (err) {
    if (isCustodiaError(err) && err.code === 'VALIDATION') throw new CustodiaError('VALIDATION', message)
    throw err
  }
}

function referencesAttachments(d: Dossier): boolean {
  return d.photoAttachmentId !== undefined || d.timeline.some((t) => t.attachmentIds.length > 0)
}

/** Rewrites a dossier's attachment references to the ids the attachments got here; unknown ones are dropped. */
export function remapDossier(d: Dossier, map: ReadonlyMap<string, string>): Dossier {
  const copy = structuredClone(d)
  const mapped = copy.photoAttachmentId === undefined ? undefined : map.get(copy.photoAttachmentId)
  if (mapped === undefined) delete copy.photoAttachmentId
  else copy.photoAttachmentId = mapped
  for (const t of copy.timeline) t.attachmentIds = t.attachmentIds.flatMap((id) => map.get(id) ?? [])
  return copy
}

/** Where an annotated record will be here: its copy in this import, else the record we hold; null when neither. */
function locateAnnotatedRecord(
  vault: Vault,
  recordId: string,
  idMap: ReadonlyMap<string, string>,
  plannedKinds: ReadonlyMap<string, string>,
): string | null {
  const id = idMap.get(recordId) ?? recordId
  if (!ID_PATTERN.test(id)) return null
  const kind = plannedKinds.get(id) ?? (vault.hasRecord(id) ? vault.getRecord(id).kind : null)
  return kind !== null && ANNOTATABLE(kind) ? id : null
}

/** An annotation revision pointed at the record it annotates here (and given a new UUID when it is a copy). */
function repointAnnotation(a: Annotation, recordId: string, freshId: string | null): RecordContent {
  const annotation: Annotation = { ...a, recordId, ...(freshId ? { id: freshId } : {}) }
  return { summary: { ...summarizeAnnotation(annotation) }, body: annotation }
}

function sanitizeMediaType(type: string | undefined): string {
  return type && type.length <= 127 && /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/.test(type) ? type : 'application/octet-stream'
}

/** The item's attachments; for a new revision of a record we hold, those it already has (same bytes and name) are kept. */
function planAttachments(vault: Vault, item: ManifestItem, heldId: string | null): PlannedAttachment[] {
  const existing = heldId
    ? new Map(
        vault.listAttachments(heldId).flatMap((a) => {
          const sha = vault.getAttachmentSha256(a.id)
          return sha ? [[`${sha}:${a.filename}`, a.id] as const] : []
        }),
      )
    : new Map<string, string>()
  return item.files
    .filter((f) => f.role === 'attachment')
    .map((f) => {
      // The name comes from the sender's bundle: it names a file here only after the one file-name rule.
      const filename = safeFileName(f.filename ?? '', 'attachment')
      return {
        bundleAttachmentId: f.path.slice('files/'.length),
        bundlePath: f.path,
        filename,
        mediaType: sanitizeMediaType(f.mediaType),
        existingId: existing.get(`${f.sha256}:${filename}`) ?? null,
      }
    })
}
