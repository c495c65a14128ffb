// Main process / CLI (Node only): bundle import — open with our identity (or a key file, or a passphrase) into a
// temp area inside the vault folder, check the signer against the contacts book, preview the items, then store the
// chosen ones as new records or as new revisions of records we hold, with their attachments, and annotations last,
// pointed at the records they annotate here. Audited throughout.
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import { CustodiaError } from '../../../shared/errors'
import { AnnotationSchema, type Annotation } from '../../../shared/annotations/annotationModel'
import { documentBodySchema, summarizeDocument } from '../../../shared/library/document'
import { DOSSIER_RECORD_KIND, parseDossier, type Dossier } from '../../../shared/dossiers/dossier'
import { DOSSIER_LIST_RECORD_KIND, parseDossierList } from '../../../shared/dossiers/dossierList'
import { summarizeDossier } from '../../../shared/dossiers/summary'
import { ANNOTATION_RECORD_KIND, formatBodyHtml, summarizeAnnotation, toAnnotationRecordId } from '../annotations/annotationService'
import { encodeX25519Identity, parseIdentityFile as parseAgeKeyFile } from '../platform/crypto/age/age'
import { safeFileName } from '../platform/fs/safeFileName'
import { openBundle, type OpenedBundle } from './bundle/bundleFormat'
import type { ManifestItem } from './bundle/manifest'
import { isDocumentKind } from '../library/documentService'
import type { RecordContent, Vault } from '../vault/vault'
import { findContactBySigningKey } from './contacts'
import { computeBundleId, RECORD_FORMAT } from './exportService'
import { disposeIdentity, loadOwnIdentity } from './identity'

export type SignerStatus = 'verified' | 'known' | 'unknown'

export interface ImportPreviewItem {
  readonly id: string
  readonly kind: string
  readonly title: string
  readonly revision: number
  readonly consent: 'internal' | 'partners' | 'public'
  readonly attachments: number
  /** We already hold a record with this id (import as a new revision is possible). */
  readonly held: boolean
  /** False for kinds this version cannot store (shown, never imported). */
  readonly importable: boolean
}

export interface BundlePreview {
  readonly bundleId: string
  readonly createdAt: string
  readonly signer: {
    readonly name: string
    readonly fingerprint: string
    readonly status: SignerStatus
    readonly contactId: string | null
    readonly contactName: string | null
  }
  readonly items: readonly ImportPreviewItem[]
}

export interface OpenedImport {
  readonly preview: BundlePreview
  readonly bundle: OpenedBundle
  /** Removes everything extracted (idempotent). */
  dispose(): Promise<void>
}

export interface ImportKeys {
  /** Text of an age identity file (AGE-SECRET-KEY-1… lines). Default: this vault's own identity. */
  readonly identityFileText?: string
  readonly passphrase?: Uint8Array
}

export interface ImportChoice {
  /** Bundle item ids to import (default: every importable item). */
  readonly ids?: readonly string[]
  /** Items whose id we hold become new revisions of those records; otherwise they become new records (new ids). */
  readonly asRevisions?: boolean
  /** Needed to import from a signer who is not among the contacts: the user read the warning and decided. */
  readonly trustUnknownSigner?: boolean
}

export interface ImportResult {
  readonly created: readonly { readonly bundleId: string; readonly id: string }[]
  readonly revised: readonly { readonly id: string; readonly revision: number }[]
  readonly attachments: number
  readonly skipped: readonly { readonly id: string; readonly reason: string }[]
}

const ID_PATTERN = /^[0-9a-f]{32}$/
const ANNOTATABLE = (kind: string): boolean => isDocumentKind(kind) || kind === DOSSIER_RECORD_KIND || kind === DOSSIER_LIST_RECORD_KIND
const IMPORTABLE = (kind: string): boolean => ANNOTATABLE(kind) || kind === ANNOTATION_RECORD_KIND
/** Import order: records, then lists (their members are here by then), then annotations (their records are). */
const IMPORT_RANK = (kind: string): number => (kind === ANNOTATION_RECORD_KIND ? 2 : kind === DOSSIER_LIST_RECORD_KIND ? 1 : 0)

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
 * Opens and fully verifies a bundle (openBundle: age, tar, signature, every hash and size) into `<vault>/tmp/`,
 * then previews it. Logs `bundle.opened` (bundle id, signer fingerprint and status, item count). Keep the result
 * only as long as needed and dispose it; everything extracted is removed then (and at the next unlock anyway).
 */
export async function openBundleForImport(
  vault: Vault,
  bundlePath: string,
  keys: ImportKeys = {},
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<OpenedImport> {
  const identities: string[] = []
  if (keys.identityFileText !== undefined) {
    const secrets = parseAgeKeyFile(keys.identityFileText)
    if (secrets.length === 0) throw new CustodiaError('VALIDATION', 'The identity file holds no age identity (AGE-SECRET-KEY-1…)')
    for (const s of secrets) {
      identities.push(encodeX25519Identity(s))
      s.fill(0)
    }
  } else if (!keys.passphrase) {
    const own = loadOwnIdentity(vault)
    identities.push(encodeX25519Identity(own.x25519SecretKey))
    disposeIdentity(own)
  }
  const bundle = await openBundle(bundlePath, {
    tempDir: path.join(vault.dir, 'tmp'),
    ...(identities.length > 0 ? { identities } : {}),
    ...(keys.passphrase ? { passphrase: keys.passphrase } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  })
  try {
    const contact = findContactBySigningKey(vault, bundle.signer.publicKey)
    const status: SignerStatus = contact ? (contact.verified ? 'verified' : 'known') : 'unknown'
    const preview: BundlePreview = {
      bundleId: computeBundleId(bundle.manifestBytes),
      createdAt: bundle.manifest.createdAt,
      signer: {
        name: bundle.signer.name,
        fingerprint: bundle.signer.fingerprint,
        status,
        contactId: contact?.id ?? null,
        contactName: contact?.name ?? null,
      },
      items: bundle.manifest.items.map((item) => ({
        id: item.id,
        kind: item.kind,
        title: item.title ?? '',
        revision: item.revision,
        consent: item.consent,
        attachments: item.files.filter((f) => f.role === 'attachment').length,
        held: ID_PATTERN.test(item.id) && vault.hasRecord(item.id),
        importable: IMPORTABLE(item.kind) && ID_PATTERN.test(item.id),
      })),
    }
    vault.audit.append('bundle.opened', {
      bundle: preview.bundleId,
      signerFingerprint: preview.signer.fingerprint,
      signerStatus: status,
      items: preview.items.length,
    })
    let disposed = false
    return {
      preview,
      bundle,
      dispose: async () => {
        if (disposed) return
        disposed = true
        await bundle.dispose()
      },
    }
  } catch (err) {
    await bundle.dispose()
    throw err
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
  if (kind === DOSSIER_RECORD_KIND) {
    const dossier = parseDossier(body)
    return { summary: { ...summarizeDossier(dossier) }, body: dossier }
  }
  const list = parseDossierList(body)
  return { summary: { v: 1, name: list.name, count: list.dossierIds.length }, body: list }
}

function referencesAttachments(d: Dossier): boolean {
  return d.photoAttachmentId !== undefined || d.timeline.some((t) => t.attachmentIds.length > 0)
}

/** Rewrites a dossier's attachment references to the ids the attachments got here; unknown ones are dropped. */
function remapDossier(d: Dossier, map: ReadonlyMap<string, string>): Dossier {
  const copy = structuredClone(d)
  const mapped = copy.photoAttachmentId === undefined ? undefined : map.get(copy.photoAttachmentId)
  if (mapped === undefined) delete copy.photoAttachmentId
  else copy.photoAttachmentId = mapped
  for (const t of copy.timeline) t.attachmentIds = t.attachmentIds.flatMap((id) => map.get(id) ?? [])
  return copy
}

function sanitizeMediaType(type: string | undefined): string {
  return type && type.length <= 127 && /^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/.test(type) ? type : 'application/octet-stream'
}

/**
 * Imports the chosen items. Every item's record is validated with our schemas before anything is written (a bad
 * one → VALIDATION, nothing stored). Lists are stored after the records, holding only members that exist here;
 * annotations last, pointed at their record's copy here (skipped, with a reason, when that record is neither imported
 * nor held; a new copy of one we hold gets a fresh UUID). An unknown signer
 * needs `trustUnknownSigner` (VALIDATION otherwise). Logs `bundle.imported` with counts, ids and the signer.
 */
export async function importBundleItems(vault: Vault, opened: OpenedImport, choice: ImportChoice = {}): Promise<ImportResult> {
  const { preview, bundle } = opened
  if (preview.signer.status === 'unknown' && choice.trustUnknownSigner !== true) {
    throw new CustodiaError('VALIDATION', 'The signer of this bundle is not in your contacts: confirm that you trust it to import')
  }
  const manifestItems = new Map(bundle.manifest.items.map((i) => [i.id, i]))
  const wanted = choice.ids ?? preview.items.filter((i) => i.importable).map((i) => i.id)
  if (wanted.length === 0) throw new CustodiaError('VALIDATION', 'Choose at least one item to import')
  const skipped: { id: string; reason: string }[] = []
  const chosen: { item: ManifestItem; record: ParsedRecord; revisions: RecordContent[] }[] = []
  for (const id of new Set(wanted)) {
    const item = manifestItems.get(id)
    if (!item) throw new CustodiaError('NOT_FOUND', 'A chosen item is not in the bundle')
    if (!IMPORTABLE(item.kind) || !ID_PATTERN.test(item.id)) {
      skipped.push({ id, reason: 'this kind of item cannot be imported' })
      continue
    }
    const record = await readBundleRecord(bundle, item)
    // Validate everything first: a bundle with one bad record changes nothing.
    const revisions = (
      record.history ?? [{ revision: record.revision, savedAt: record.savedAt, summary: record.summary, body: record.body }]
    ).map((r) => buildContent(item.kind, item.id, r.body))
    chosen.push({ item, record, revisions })
  }
  chosen.sort((a, b) => IMPORT_RANK(a.item.kind) - IMPORT_RANK(b.item.kind))

  const created: { bundleId: string; id: string }[] = []
  const revised: { id: string; revision: number }[] = []
  const idMap = new Map<string, string>()
  let attachments = 0
  for (const { item, revisions } of chosen) {
    const held = vault.hasRecord(item.id)
    if (held && choice.asRevisions && vault.getRecord(item.id).kind !== item.kind) {
      skipped.push({ id: item.id, reason: 'a record with this id but of another kind is held here' })
      continue
    }
    if (item.kind === DOSSIER_LIST_RECORD_KIND) {
      for (const r of revisions) {
        const list = r.body as { dossierIds: string[] }
        list.dossierIds = list.dossierIds.map((m) => idMap.get(m) ?? m).filter((m) => vault.hasRecord(m))
        r.summary = { ...r.summary, count: list.dossierIds.length }
      }
    }
    const isAnnotation = item.kind === ANNOTATION_RECORD_KIND
    if (isAnnotation) {
      const target = locateAnnotatedRecord(vault, (revisions[0]?.body as Annotation).recordId, idMap)
      if (target === null) {
        skipped.push({ id: item.id, reason: 'the record this annotation is on was not imported and is not held here' })
        continue
      }
      // A copy next to the one we hold needs its own UUID: its record id is always derived from it.
      const fresh = held && !choice.asRevisions ? randomUUID() : null
      revisions.forEach((r, i) => (revisions[i] = repointAnnotation(r.body as Annotation, target, fresh)))
    }
    const isDossier = item.kind === DOSSIER_RECORD_KIND
    const needsRemap = isDossier && revisions.some((r) => referencesAttachments(r.body as Dossier))
    const last = revisions[revisions.length - 1] as RecordContent
    let targetId: string
    let pending: RecordContent[]
    if (held && choice.asRevisions) {
      targetId = item.id
      pending = [last]
    } else {
      const first = revisions[0] as RecordContent
      // A dossier's first revision cannot point at attachments that do not exist yet: they are linked afterwards.
      const firstContent = needsRemap ? { summary: first.summary, body: remapDossier(first.body as Dossier, new Map()) } : first
      const newId = isAnnotation ? toAnnotationRecordId((first.body as Annotation).id) : held ? undefined : item.id
      const ref = vault.createRecord(item.kind, firstContent, newId === undefined ? {} : { id: newId })
      targetId = ref.id
      created.push({ bundleId: item.id, id: ref.id })
      pending = revisions.slice(1)
      if (needsRemap && pending.length === 0) pending = [first]
    }
    idMap.set(item.id, targetId)
    // Annotations carry no attachments of their own: anything listed under one is ignored.
    const attachmentMap = isAnnotation
      ? { ids: new Map<string, string>(), added: 0 }
      : await importAttachments(vault, bundle, item, targetId, held && choice.asRevisions === true)
    attachments += attachmentMap.added
    for (const content of pending) {
      const body = isDossier ? remapDossier(content.body as Dossier, attachmentMap.ids) : content.body
      vault.updateRecord(targetId, { summary: content.summary, body })
    }
    if (held && choice.asRevisions) revised.push({ id: targetId, revision: vault.getRecord(targetId).revision })
  }
  const base = {
    bundle: preview.bundleId,
    signerFingerprint: preview.signer.fingerprint,
    signerStatus: preview.signer.status,
    created: created.length,
    revised: revised.length,
    attachments,
    skipped: skipped.length,
  }
  const ids = [...created.map((c) => c.id), ...revised.map((r) => r.id)]
  const first: Record<string, string | number | boolean> = { ...base }
  for (let i = 0, f = 0; i < ids.length && f < 20; i += 7, f++) first[`ids${f}`] = ids.slice(i, i + 7).join(',')
  vault.audit.append('bundle.imported', first)
  return { created, revised, attachments, skipped }
}

/** Where an annotated record is here: its imported copy, else the record we already hold; null when neither. */
function locateAnnotatedRecord(vault: Vault, recordId: string, idMap: ReadonlyMap<string, string>): string | null {
  const id = idMap.get(recordId) ?? recordId
  if (!ID_PATTERN.test(id) || !vault.hasRecord(id)) return null
  return ANNOTATABLE(vault.getRecord(id).kind) ? id : null
}

/** An annotation revision pointed at the record it annotates here (and given a new UUID when it is a copy). */
function repointAnnotation(a: Annotation, recordId: string, freshId: string | null): RecordContent {
  const annotation: Annotation = { ...a, recordId, ...(freshId ? { id: freshId } : {}) }
  return { summary: { ...summarizeAnnotation(annotation) }, body: annotation }
}

async function importAttachments(
  vault: Vault,
  bundle: OpenedBundle,
  item: ManifestItem,
  recordId: string,
  skipDuplicates: boolean,
): Promise<{ ids: Map<string, string>; added: number }> {
  const ids = new Map<string, string>()
  let added = 0
  const existing = skipDuplicates
    ? new Map(
        vault.listAttachments(recordId).flatMap((a) => {
          const sha = vault.getAttachmentSha256(a.id)
          return sha ? [[`${sha}:${a.filename}`, a.id] as const] : []
        }),
      )
    : new Map<string, string>()
  for (const f of item.files) {
    if (f.role !== 'attachment') continue
    const bundleAttachmentId = f.path.slice('files/'.length)
    // The name comes from the sender's bundle: it names a file here only after the one file-name rule.
    const filename = safeFileName(f.filename ?? '', 'attachment')
    const same = existing.get(`${f.sha256}:${filename}`)
    if (same) {
      ids.set(bundleAttachmentId, same)
      continue
    }
    const info = await vault.addAttachmentFromStream(recordId, bundle.openFile(f.path), {
      filename,
      mediaType: sanitizeMediaType(f.mediaType),
    })
    ids.set(bundleAttachmentId, info.id)
    added += 1
  }
  return { ids, added }
}
