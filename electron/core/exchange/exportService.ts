// Main process / CLI (Node only): bundle export — choose records, decide what consent lets go to these recipients
// (and say why the rest stays), redact dossiers per profile, bring annotations along with their records (full
// profile only), render readable copies, stream attachments from the vault into the bundle writer, report progress,
// honour cancel, and log `bundle.exported`.
import crypto from 'node:crypto'
import fs from 'node:fs'
import { CustodiaError } from '../../../shared/errors'
import { checkBundlePassphrase } from '../../../shared/passphrasePolicy'
import { AnnotationSchema, type Annotation } from '../../../shared/annotations/annotationModel'
import { DOCUMENT_KINDS } from '../../../shared/library/document'
import { DOSSIER_RECORD_KIND, type IdentifiedDossier } from '../../../shared/dossiers/dossier'
import { DOSSIER_LIST_RECORD_KIND } from '../../../shared/dossiers/dossierList'
import { filterForAudience, redactDossier, type OmitReason, type RedactionProfile } from '../../../shared/dossiers/consent'
import { summarizeDossier } from '../../../shared/dossiers/summary'
import { summarizeDocument, type LibraryDocument } from '../../../shared/library/document'
import { ANNOTATION_RECORD_KIND, summarizeAnnotation } from '../annotations/annotationService'
import { canResealRuns, decodeX25519Recipient, lendPlaintextBuffer } from '../platform/crypto/age/age'
import { writeBundle, type BundleFileInput, type BundleItemInput, type BundleRecipients, type Consent } from './bundle/bundleFormat'
import { formatFingerprint } from './bundle/manifest'
import { getDocument, isDocumentKind } from '../library/documentService'
import { getDossier, getDossierList, listDossierLists } from '../dossiers/dossierService'
import type { StoredRecord, Vault } from '../vault/vault'
import { getContact, type Contact } from './contacts'
import { disposeIdentity, loadOwnIdentity } from './identity'
import { renderAnnotationText, renderDocumentText, renderDossierListText, renderDossierText } from './readable'

export const RECORD_FORMAT = 'custodia-record'

/** Short id of a bundle in audit logs: first 128 bits of SHA-256 of its manifest.json bytes (hex). */
export function computeBundleId(manifestBytes: Uint8Array): string {
  return crypto.createHash('sha256').update(manifestBytes).digest('hex').slice(0, 32)
}

/** Named redaction profiles: which sensitive dossier sections an export keeps. */
export const REDACTION_PROFILES = {
  /** Everything, family contacts included: only for a recipient who must act on the whole file. */
  full: { label: 'Full dossier (with family contacts)', keep: { family: true, medical: true, sources: true } },
  /** The whole case file without family contacts (e.g. for a ministry). */
  standard: { label: 'Full dossier without family contacts', keep: { family: false, medical: true, sources: true } },
  /** What may be published: no family contacts, medical notes or sources; no attachments. */
  'public-list': {
    label: 'Public list (no family contacts, medical notes, sources or attachments)',
    keep: { family: false, medical: false, sources: false },
  },
} as const satisfies Record<string, { label: string; keep: RedactionProfile }>
export type RedactionProfileName = keyof typeof REDACTION_PROFILES
export const REDACTION_PROFILE_NAMES = Object.keys(REDACTION_PROFILES) as RedactionProfileName[]

export type ExclusionReason = OmitReason | 'not-exportable' | 'annotation-not-in-profile'

export interface ExportSelection {
  /** Documents, dossiers, dossier lists or search results, by vault record id. */
  readonly recordIds?: readonly string[]
  /** Every document, dossier and dossier list in the vault. */
  readonly all?: boolean
}

export interface ExportRequest {
  readonly selection: ExportSelection
  /** Contacts to encrypt to (their age recipients); their names are the partners consent is checked against. */
  readonly contactIds?: readonly string[]
  /** Raw `age1…` recipients that are not contacts (CLI); no partner name comes with them. */
  readonly ageRecipients?: readonly string[]
  /** A passphrase instead of recipients (not together with them). */
  readonly passphrase?: Uint8Array
  /** Extra partner names the recipients act for (e.g. a passphrase bundle for a named partner). */
  readonly partnerNames?: readonly string[]
  readonly profile?: RedactionProfileName
  /** Plain-text readable copies of every item (default true). */
  readonly readable?: boolean
  /** Every earlier revision too, each redacted the same way (default false: the current revision only). */
  readonly includeHistory?: boolean
  /** scrypt work factor for passphrase bundles (tests use a small one). */
  readonly scryptWorkFactor?: number
}

export interface PlannedItem {
  readonly id: string
  readonly kind: string
  readonly title: string
  readonly revision: number
  readonly consent: Consent
  readonly attachments: number
  readonly attachmentBytes: number
}

export interface ExcludedItem {
  readonly id: string
  readonly kind: string
  readonly title: string
  readonly reason: ExclusionReason
  /** Why, in words safe to show. */
  readonly explanation: string
}

export interface ExportPlan {
  readonly items: readonly PlannedItem[]
  readonly excluded: readonly ExcludedItem[]
  /** Who consent was checked against: 'public' when no partner is named. */
  readonly audience: { readonly kind: 'public' } | { readonly kind: 'partners'; readonly names: readonly string[] }
  readonly profile: RedactionProfileName
  readonly attachmentBytes: number
}

export interface ExportProgress {
  readonly bytesDone: number
  readonly bytesTotal: number
  readonly bytesPerSecond: number
  /** null until the speed is known. */
  readonly secondsLeft: number | null
}

export interface ExportResult {
  readonly items: number
  readonly attachments: number
  readonly excluded: readonly ExcludedItem[]
  readonly recipientFingerprints: readonly string[]
  readonly protection: 'x25519' | 'passphrase'
  /** Size of the bundle file. */
  readonly bytes: number
  /** How many attachments were read once (no hash pass) because the vault already knew their SHA-256. */
  readonly knownHashes: number
}

const ID_PATTERN = /^[0-9a-f]{32}$/
const EXPORTABLE_KINDS: ReadonlySet<string> = new Set([...DOCUMENT_KINDS, DOSSIER_RECORD_KIND, DOSSIER_LIST_RECORD_KIND])

const EXPLANATIONS: Record<ExclusionReason, string> = {
  'internal-only': 'consent allows it inside your organisation only: it never leaves',
  'partners-only': 'consent allows it only for the partners the record names, and this export goes to none of them',
  'partner-not-named': 'consent allows it only for the partners the record names, and not every recipient is one of them',
  'not-exportable': 'this kind of record is not exported (keys, contacts and settings stay in the vault)',
  'annotation-not-in-profile':
    'annotations travel only with the "full" profile, because the other profiles can strip fields an annotation quotes (such as a medical note)',
}

interface Candidate {
  id: string
  kind: string
  title: string
  revision: number
}

function readTitle(kind: string, summary: Record<string, unknown>): string {
  const raw = kind === DOSSIER_RECORD_KIND ? summary['name'] : kind === DOSSIER_LIST_RECORD_KIND ? summary['name'] : summary['title']
  return typeof raw === 'string' ? raw.slice(0, 1000) : ''
}

function toCandidate(r: { id: string; kind: string; summary: Record<string, unknown>; revision: number }): Candidate {
  return { id: r.id, kind: r.kind, title: readTitle(r.kind, r.summary), revision: r.revision }
}

function collectCandidates(vault: Vault, selection: ExportSelection): Candidate[] {
  const byId = new Map<string, Candidate>()
  const add = (id: string): void => {
    if (!byId.has(id)) byId.set(id, toCandidate(vault.getRecord(id)))
  }
  if (selection.all) {
    // Listing decrypts summaries only, which is all a candidate needs.
    for (const kind of EXPORTABLE_KINDS) for (const r of vault.listRecords({ kind })) if (!byId.has(r.id)) byId.set(r.id, toCandidate(r))
  }
  for (const id of selection.recordIds ?? []) {
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new CustodiaError('VALIDATION', 'A selected record id is not a record id')
    if (!vault.hasRecord(id)) throw new CustodiaError('NOT_FOUND', 'A selected record does not exist')
    add(id)
    // A list travels with its members (consent still decides each of them).
    const c = byId.get(id) as Candidate
    if (c.kind === DOSSIER_LIST_RECORD_KIND) for (const member of getDossierList(vault, id).dossierIds) add(member)
  }
  if (selection.all) for (const list of listDossierLists(vault)) for (const member of list.dossierIds) add(member)
  if (byId.size === 0) throw new CustodiaError('VALIDATION', 'Choose at least one record to export')
  return [...byId.values()]
}

function resolveContacts(vault: Vault, ids: readonly string[]): Contact[] {
  const seen = new Set<string>()
  return ids.map((id) => {
    if (seen.has(id)) throw new CustodiaError('VALIDATION', 'A contact is chosen twice')
    seen.add(id)
    return getContact(vault, id)
  })
}

function decideAudience(contacts: readonly Contact[], partnerNames: readonly string[]): ExportPlan['audience'] {
  const names = [...contacts.map((c) => c.organisation || c.name), ...partnerNames.map((n) => n.trim()).filter((n) => n !== '')]
  return names.length === 0 ? { kind: 'public' } : { kind: 'partners', names }
}

/**
 * Decides, before anything is written, what goes and what stays: every dossier passes filterForAudience for EACH
 * partner the export is for (all must be allowed: every recipient can read the whole bundle), or the 'public'
 * audience when no partner is named; identities, contacts and other vault records are never exported.
 * Documents carry no consent of their own and go as chosen (marked 'partners' in the manifest).
 * Annotations never go without their record: in the `full` profile each included document or dossier brings its
 * annotations (same consent, listed right after it); any other profile may strip a field an annotation quotes, so
 * there they stay home, listed in `excluded` once per annotated record ('annotation-not-in-profile').
 */
export function planExport(vault: Vault, request: ExportRequest): ExportPlan {
  const profile = request.profile ?? 'standard'
  if (!(profile in REDACTION_PROFILES)) throw new CustodiaError('VALIDATION', 'Unknown redaction profile')
  const contacts = resolveContacts(vault, request.contactIds ?? [])
  const audience = decideAudience(contacts, request.partnerNames ?? [])
  const candidates = collectCandidates(vault, request.selection)
  const excluded: ExcludedItem[] = []
  const dossiers: IdentifiedDossier[] = []
  for (const c of candidates) {
    if (!EXPORTABLE_KINDS.has(c.kind)) excluded.push({ ...pick(c), reason: 'not-exportable', explanation: EXPLANATIONS['not-exportable'] })
    else if (c.kind === DOSSIER_RECORD_KIND) dossiers.push({ id: c.id, dossier: getDossier(vault, c.id).dossier })
  }
  const denied = new Map<string, OmitReason>()
  const audiences = audience.kind === 'public' ? [undefined] : audience.names
  for (const partner of audiences) {
    const result = partner === undefined ? filterForAudience(dossiers, 'public') : filterForAudience(dossiers, 'partner', partner)
    for (const r of result.reasons) if (!denied.has(r.id)) denied.set(r.id, r.reason)
  }
  const consentOf = new Map(dossiers.map((d) => [d.id, d.dossier.consent]))
  const items: PlannedItem[] = []
  const withAttachments = profile !== 'public-list'
  for (const c of candidates) {
    if (!EXPORTABLE_KINDS.has(c.kind)) continue
    const reason = denied.get(c.id)
    if (reason) {
      excluded.push({ ...pick(c), reason, explanation: EXPLANATIONS[reason] })
      continue
    }
    const attachments = withAttachments && c.kind !== DOSSIER_LIST_RECORD_KIND ? vault.listAttachments(c.id) : []
    items.push({
      ...pick(c),
      revision: c.revision,
      consent: consentOf.get(c.id) ?? 'partners',
      attachments: attachments.length,
      attachmentBytes: attachments.reduce((s, a) => s + a.size, 0),
    })
  }
  const withAnnotations = addAnnotations(vault, items, excluded, profile)
  return { items: withAnnotations, excluded, audience, profile, attachmentBytes: items.reduce((s, i) => s + i.attachmentBytes, 0) }
}

/** Each included document's or dossier's annotations (vault record ids, oldest first), read from summaries only. */
function collectAnnotationIds(vault: Vault, items: readonly PlannedItem[]): Map<string, string[]> {
  const annotatable = new Set(items.filter((i) => i.kind !== DOSSIER_LIST_RECORD_KIND).map((i) => i.id))
  const found = new Map<string, { id: string; createdAt: string }[]>()
  for (const r of vault.listRecords({ kind: ANNOTATION_RECORD_KIND })) {
    const target = r.summary['recordId']
    if (typeof target !== 'string' || !annotatable.has(target)) continue
    const createdAt = typeof r.summary['createdAt'] === 'string' ? r.summary['createdAt'] : ''
    found.set(target, [...(found.get(target) ?? []), { id: r.id, createdAt }])
  }
  return new Map(
    [...found].map(([target, list]) => [
      target,
      list.sort((x, y) => x.createdAt.localeCompare(y.createdAt) || x.id.localeCompare(y.id)).map((x) => x.id),
    ]),
  )
}

/** The plan's items with each record's annotations right after it (full profile), or their exclusion noted. */
function addAnnotations(
  vault: Vault,
  items: readonly PlannedItem[],
  excluded: ExcludedItem[],
  profile: RedactionProfileName,
): PlannedItem[] {
  const annotations = collectAnnotationIds(vault, items)
  if (annotations.size === 0) return [...items]
  const out: PlannedItem[] = []
  for (const item of items) {
    out.push(item)
    const ids = annotations.get(item.id)
    if (!ids) continue
    if (profile !== 'full') {
      const n = ids.length
      const explanation = `${n} annotation${n === 1 ? ' on it stays' : 's on it stay'} in the vault: ${EXPLANATIONS['annotation-not-in-profile']}`
      excluded.push({ id: item.id, kind: ANNOTATION_RECORD_KIND, title: item.title, reason: 'annotation-not-in-profile', explanation })
      continue
    }
    for (const id of ids) {
      const record = vault.getRecord(id)
      const title = describeAnnotation(parseAnnotation(record.body))
      out.push({
        id,
        kind: ANNOTATION_RECORD_KIND,
        title,
        revision: record.revision,
        consent: item.consent,
        attachments: 0,
        attachmentBytes: 0,
      })
    }
  }
  return out
}

function parseAnnotation(body: unknown): Annotation {
  const parsed = AnnotationSchema.safeParse(body)
  if (!parsed.success) throw new CustodiaError('CORRUPT', 'An annotation record is malformed')
  return parsed.data
}

/** A short title for an annotation: the start of its quote, else its comment, else its field. */
function describeAnnotation(a: Annotation): string {
  const raw = (a.target.quote?.exact ?? (a.body.text || a.target.field) ?? '').replace(/\s+/g, ' ').trim()
  const chars = [...raw]
  return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : raw
}

function pick(c: Candidate): { id: string; kind: string; title: string } {
  return { id: c.id, kind: c.kind, title: c.title }
}

interface RevisionJson {
  revision: number
  savedAt: string
  summary: Record<string, unknown>
  body: unknown
}

/**
 * One revision of an item as it may leave: dossiers redacted (summary recomputed from the redacted body). `loaded`
 * is that revision if the caller already read it (documents and annotations then need no second read).
 */
function exportRevision(
  vault: Vault,
  kind: string,
  id: string,
  revision: number,
  keep: RedactionProfile,
  includedMembers: ReadonlySet<string>,
  loaded?: StoredRecord,
): RevisionJson & { text: string } {
  const read = (): StoredRecord => (loaded?.revision === revision ? loaded : vault.getRecord(id, revision))
  if (isDocumentKind(kind)) {
    const found =
      loaded?.revision === revision
        ? { savedAt: loaded.savedAt, document: loaded.body as LibraryDocument }
        : getDocument(vault, id, revision)
    return {
      revision,
      savedAt: found.savedAt,
      summary: { ...summarizeDocument(found.document) },
      body: found.document,
      text: renderDocumentText(found.document),
    }
  }
  if (kind === ANNOTATION_RECORD_KIND) {
    const record = read()
    const annotation = parseAnnotation(record.body)
    const target = vault.getRecord(annotation.recordId)
    const text = renderAnnotationText(annotation, readTitle(target.kind, target.summary))
    return { revision, savedAt: record.savedAt, summary: { ...summarizeAnnotation(annotation) }, body: annotation, text }
  }
  if (kind === DOSSIER_RECORD_KIND) {
    const stored = getDossier(vault, id, revision)
    const redacted = redactDossier(stored.dossier, keep)
    return {
      revision,
      savedAt: stored.savedAt,
      summary: { ...summarizeDossier(redacted) },
      body: redacted,
      text: renderDossierText(redacted),
    }
  }
  const record = read()
  const list = getDossierList(vault, id)
  // Members consent kept out are not named, not even by id.
  const body = { ...(record.body as object), dossierIds: list.dossierIds.filter((m) => includedMembers.has(m)) } as {
    name: string
    description?: string
    dossierIds: string[]
  }
  const names = body.dossierIds.map((m) => readTitle(DOSSIER_RECORD_KIND, vault.getRecord(m).summary))
  return {
    revision,
    savedAt: record.savedAt,
    summary: { v: 1, name: body.name, count: body.dossierIds.length },
    body,
    text: renderDossierListText(
      { name: body.name, ...(body.description ? { description: body.description } : {}), dossierIds: body.dossierIds },
      names,
    ),
  }
}

function buildItems(vault: Vault, plan: ExportPlan, request: ExportRequest): { items: BundleItemInput[]; knownHashes: number } {
  const keep = REDACTION_PROFILES[plan.profile].keep
  const included = new Set(plan.items.map((i) => i.id))
  let knownHashes = 0
  const items = plan.items.map((p): BundleItemInput => {
    const record = vault.getRecord(p.id)
    const current = exportRevision(vault, p.kind, p.id, record.revision, keep, included, record)
    // Lists are rewritten to their exported members: their history would name dossiers that stay behind.
    const history =
      request.includeHistory && p.kind !== DOSSIER_LIST_RECORD_KIND
        ? vault
            .listRevisions(p.id)
            .map((r) => (r.revision === record.revision ? current : exportRevision(vault, p.kind, p.id, r.revision, keep, included)))
        : undefined
    const json = {
      format: RECORD_FORMAT,
      version: 1,
      kind: p.kind,
      id: p.id,
      revision: record.revision,
      createdAt: record.createdAt,
      savedAt: record.savedAt,
      summary: current.summary,
      body: current.body,
      ...(history ? { history: history.map(({ revision, savedAt, summary, body }) => ({ revision, savedAt, summary, body })) } : {}),
    }
    const files: BundleFileInput[] =
      p.attachments === 0
        ? []
        : vault.listAttachments(p.id).map((a) => {
            const sha256 = vault.getAttachmentSha256(a.id)
            if (sha256) knownHashes += 1
            return {
              attachmentId: a.id,
              filename: a.filename,
              mediaType: a.mediaType,
              size: a.size,
              // Chunks are decrypted into pool buffers that the age layer takes back once copied (no 1 MiB allocation per chunk).
              open: () => vault.openAttachmentStream(a.id, { buffers: lendPlaintextBuffer }),
              // Large ones go as ciphertext chunks that payload workers decrypt and re-encrypt themselves.
              openRun: () => (canResealRuns() ? vault.openAttachmentRun(a.id) : Promise.resolve(null)),
              // The vault authenticates the stream and sealed the hash in the attachment's metadata.
              ...(sha256 ? { sha256, sourceAuthenticated: true } : {}),
            }
          })
    return {
      kind: p.kind,
      id: p.id,
      revision: record.revision,
      consent: p.consent,
      title: p.title,
      record: json,
      ...(request.readable === false ? {} : { readable: { ext: 'txt' as const, bytes: Buffer.from(current.text, 'utf8') } }),
      files,
    }
  })
  return { items, knownHashes }
}

/** The text of a passphrase given as UTF-8 bytes; bytes that are not UTF-8 cannot have been typed → VALIDATION. */
function decodeTypedPassphrase(passphrase: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(passphrase)
  } catch {
    throw new CustodiaError('VALIDATION', 'The bundle passphrase is not valid text.')
  }
}

function resolveRecipients(
  vault: Vault,
  request: ExportRequest,
): { recipients: BundleRecipients; fingerprints: string[]; protection: 'x25519' | 'passphrase' } {
  const contacts = resolveContacts(vault, request.contactIds ?? [])
  const raw = (request.ageRecipients ?? []).map((r) => r.trim())
  const hasKeys = contacts.length + raw.length > 0
  if (request.passphrase && hasKeys) throw new CustodiaError('VALIDATION', 'Choose recipients or a passphrase, not both')
  if (request.passphrase) {
    if (request.passphrase.length === 0) throw new CustodiaError('VALIDATION', 'The bundle passphrase is empty')
    // Every export passes here (app and CLI): the shared policy is enforced on the text the user typed.
    const problem = checkBundlePassphrase(decodeTypedPassphrase(request.passphrase))
    if (problem) throw new CustodiaError('VALIDATION', problem)
    return {
      recipients: {
        passphrase: request.passphrase,
        ...(request.scryptWorkFactor !== undefined ? { scryptWorkFactor: request.scryptWorkFactor } : {}),
      },
      fingerprints: [],
      protection: 'passphrase',
    }
  }
  if (!hasKeys) throw new CustodiaError('VALIDATION', 'Choose at least one recipient or a passphrase')
  const x25519 = [...contacts.map((c) => c.recipient), ...raw]
  if (new Set(x25519).size !== x25519.length) throw new CustodiaError('VALIDATION', 'A recipient is chosen twice')
  const fingerprints = x25519.map((r) => formatFingerprint(decodeX25519Recipient(r)))
  const labels = [...contacts.map((c) => c.name.slice(0, 200)), ...raw.map(() => undefined)]
  return { recipients: { x25519, labels }, fingerprints, protection: 'x25519' }
}

/** Appends item ids to the audit in chunks that fit its short fields (7 ids per field, 20 fields per entry). */
function appendIdEntries(vault: Vault, type: string, base: Record<string, string | number | boolean>, ids: readonly string[]): void {
  const chunks: string[] = []
  for (let i = 0; i < ids.length; i += 7) chunks.push(ids.slice(i, i + 7).join(','))
  const first: Record<string, string | number | boolean> = { ...base }
  chunks.slice(0, 20).forEach((c, i) => (first[`ids${i}`] = c))
  vault.audit.append(type, first)
  for (let start = 20; start < chunks.length; start += 25) {
    const more: Record<string, string | number | boolean> = { bundle: String(base['bundle']), part: start / 20 }
    chunks.slice(start, start + 25).forEach((c, i) => (more[`ids${i}`] = c))
    vault.audit.append(`${type}_ids`, more)
  }
}

export interface ExportOptions {
  readonly outPath: string
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: ExportProgress) => void
}

/**
 * Writes the bundle: plans (consent + redaction), signs with our identity, encrypts to the chosen contacts/recipients
 * or a passphrase, streams attachments straight from the vault (the vault's stored SHA-256 skips the hash pass).
 * Cancel (AbortSignal) → CANCELLED and no file; nothing is exported when the plan leaves no item (VALIDATION).
 * Logs `bundle.exported` with counts, item ids, excluded ids and recipient fingerprints.
 */
export async function exportBundle(
  vault: Vault,
  request: ExportRequest,
  opts: ExportOptions,
): Promise<ExportResult & { plan: ExportPlan }> {
  const plan = planExport(vault, request)
  if (plan.items.length === 0)
    throw new CustodiaError('VALIDATION', 'Nothing may be exported to these recipients: consent excludes every chosen record')
  const { recipients, fingerprints, protection } = resolveRecipients(vault, request)
  const { items, knownHashes } = buildItems(vault, plan, request)
  const own = loadOwnIdentity(vault)
  const started = Date.now()
  try {
    const manifest = await writeBundle({
      items,
      sender: {
        name: own.organisation ? `${own.name} (${own.organisation})`.slice(0, 200) : own.name,
        signingSecretKey: own.signingSecretKey,
        signingPublicKey: own.signingPublicKey,
      },
      recipients,
      outPath: opts.outPath,
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (done, total) => {
        const seconds = (Date.now() - started) / 1000
        const speed = seconds > 0 ? done / seconds : 0
        opts.onProgress?.({
          bytesDone: done,
          bytesTotal: total,
          bytesPerSecond: speed,
          secondsLeft: speed > 0 ? Math.max(0, (total - done) / speed) : null,
        })
      },
    })
    // Same bytes as manifest.json in the bundle, so both vaults' audit logs name the bundle alike.
    const bundleId = computeBundleId(Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'))
    const attachments = items.reduce((s, i) => s + i.files.length, 0)
    appendIdEntries(
      vault,
      'bundle.exported',
      {
        bundle: bundleId,
        items: items.length,
        attachments,
        excluded: plan.excluded.length,
        excludedIds: plan.excluded
          .map((e) => e.id)
          .slice(0, 7)
          .join(','),
        protection,
        recipients: fingerprints.length,
        recipientFingerprints: fingerprints.slice(0, 6).join(','),
        profile: plan.profile,
        history: request.includeHistory === true,
      },
      items.map((i) => i.id),
    )
    return {
      plan,
      items: items.length,
      attachments,
      excluded: plan.excluded,
      recipientFingerprints: fingerprints,
      protection,
      bytes: fs.statSync(opts.outPath).size,
      knownHashes,
    }
  } finally {
    disposeIdentity(own)
  }
}
