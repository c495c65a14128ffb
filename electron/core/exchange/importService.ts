// Main process / CLI (Node only): bundle import — open with our identity (or a key file, or a passphrase) into a
// temp area inside the vault folder, check the signer against the contacts book, preview the items, then store the
// chosen ones as new records or as new revisions of records we hold, with their attachments, and annotations last,
// pointed at the records they annotate here. All or nothing: every item is checked first (importPlan.ts), the
// attachments are staged, and everything is written in one vault transaction together with the import ledger
// (importLedger.ts), which refuses the same bundle twice and keeps an older revision from a sender from overwriting a
// newer one: that older revision is kept in the record's history instead, with a notice. Audited throughout.
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { encodeX25519Identity, parseIdentityFile as parseAgeKeyFile } from '../platform/crypto/age/age'
import type { RecordContent, StagedAttachment, Vault } from '../vault/vault'
import { DOSSIER_RECORD_KIND, parseDossier, type Dossier } from '../../../shared/dossiers/dossier'
import { dossierRecordContent } from '../dossiers/dossierService'
import { openBundle, type OpenedBundle } from './bundle/bundleFormat'
import { findContactBySigningKey } from './contacts'
import { computeBundleId } from './exportService'
import { disposeIdentity, loadOwnIdentity } from './identity'
import { findBundleLedger, listImportedItems, noteBundleImport, readSenderRevisions, refuseReimport } from './importLedger'
import { ID_PATTERN, isImportableKind, planImport, remapDossier, type ImportPlan, type PlannedAttachment } from './importPlan'

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
  /** This item of this very bundle was imported here before: importing it again is refused. */
  readonly alreadyImported: boolean
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
  /** When items of this very bundle were first imported here (ISO 8601 UTC), or null if never. */
  readonly alreadyImportedAt: string | null
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
  /**
   * Older versions (than what the same sender already brought) kept in a record's history: `revision` is the number it
   * got here; the record's newer content stays current. `notice` says so in a sentence for the user.
   */
  readonly keptInHistory: readonly { readonly id: string; readonly revision: number; readonly notice: string }[]
  readonly attachments: number
  readonly skipped: readonly { readonly id: string; readonly reason: string }[]
}

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
    const bundleId = computeBundleId(bundle.manifestBytes)
    const ledger = findBundleLedger(vault, bundleId)
    const imported = listImportedItems(ledger)
    const preview: BundlePreview = {
      bundleId,
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
        importable: isImportableKind(item.kind) && ID_PATTERN.test(item.id),
        alreadyImported: imported.has(item.id),
      })),
      alreadyImportedAt: ledger?.imports[0]?.at ?? null,
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

/**
 * Imports the chosen items, all or nothing. First, without writing anything: an unknown signer needs
 * `trustUnknownSigner` (VALIDATION); items of this bundle already imported here are refused (CONFLICT, "This bundle
 * was already imported on 3 December 2026."); every chosen record is checked with our schemas and against every
 * write-time limit of the vault (VALIDATION for the first bad one: nothing is stored). Then the attachments are
 * encrypted into the vault's blob store (staged, not yet linked), and the records, their attachments, the ledger
 * entry and the `bundle.imported` audit entry are written in ONE vault transaction; if anything fails, none of it is
 * kept and the staged blobs are removed. Lists are stored after the records, holding only members that exist here;
 * annotations last, pointed at their record's copy here. Skipped, with a reason: kinds we cannot store, an annotation
 * whose record is neither imported nor held, a record held here under another kind, and — as revisions — an item
 * whose revision is the one last imported from the same signer for that record, or an older one already kept.
 * An older revision than the signer's last one must not overwrite the newer one, and must not be lost: it is stored
 * as a revision of the record and the current content is stored again after it, so it shows in the history and the
 * newer version stays current (`keptInHistory`, with a notice naming the item and the partner).
 */
export async function importBundleItems(vault: Vault, opened: OpenedImport, choice: ImportChoice = {}): Promise<ImportResult> {
  const { preview, bundle } = opened
  if (preview.signer.status === 'unknown' && choice.trustUnknownSigner !== true) {
    throw new CustodiaError('VALIDATION', 'The signer of this bundle is not in your contacts: confirm that you trust it to import')
  }
  const wanted = choice.ids ?? preview.items.filter((i) => i.importable).map((i) => i.id)
  if (wanted.length === 0) throw new CustodiaError('VALIDATION', 'Choose at least one item to import')
  const importable = new Set(preview.items.filter((i) => i.importable).map((i) => i.id))
  refuseReimport(
    findBundleLedger(vault, preview.bundleId),
    wanted.filter((id) => importable.has(id)),
  )
  const signer = preview.signer.fingerprint
  const plan = await planImport(vault, bundle, wanted, {
    asRevisions: choice.asRevisions === true,
    senderRevisions: () => readSenderRevisions(vault, signer),
  })
  const staged = new Map<PlannedAttachment, StagedAttachment>()
  try {
    for (const planned of plan.items) {
      for (const a of planned.attachments) {
        if (a.existingId !== null) continue
        staged.set(a, await vault.stageAttachment(bundle.openFile(a.bundlePath), { filename: a.filename, mediaType: a.mediaType }))
      }
    }
    return vault.transaction(() => writePlan(vault, preview, plan, staged))
  } catch (err) {
    // Nothing of the import was committed: the blobs staged for it are orphans (the next unlock would remove them too).
    for (const s of staged.values()) vault.discardStagedAttachment(s)
    throw err
  }
}

// Synchronous, inside the import's one vault transaction: a throw anywhere undoes every write before it.
function writePlan(
  vault: Vault,
  preview: BundlePreview,
  plan: ImportPlan,
  staged: ReadonlyMap<PlannedAttachment, StagedAttachment>,
): ImportResult {
  // Read again inside the transaction: another import of this bundle may have finished while the blobs were staged.
  const ledger = findBundleLedger(vault, preview.bundleId)
  refuseReimport(
    ledger,
    plan.items.map((p) => p.item.id),
  )
  const created: { bundleId: string; id: string }[] = []
  const revised: { id: string; revision: number }[] = []
  const keptInHistory: { id: string; revision: number; notice: string }[] = []
  let attachments = 0
  for (const p of plan.items) {
    const attachmentIds = new Map<string, string>()
    const linkAttachments = (): void => {
      for (const a of p.attachments) {
        const linked = a.existingId ?? vault.linkStagedAttachment(p.targetId, staged.get(a)!).id
        if (a.existingId === null) attachments += 1
        attachmentIds.set(a.bundleAttachmentId, linked)
      }
    }
    const pointed = (c: RecordContent, ids: ReadonlyMap<string, string>): RecordContent => {
      const remapped = p.remapsAttachments ? { summary: c.summary, body: remapDossier(c.body as Dossier, ids) } : c
      // A dossier's sensitive sections are sealed apart here too (refused for a role that may not read them).
      if (p.item.kind !== DOSSIER_RECORD_KIND) return remapped
      return { ...dossierRecordContent(vault, parseDossier(remapped.body)), summary: remapped.summary }
    }
    let pending: readonly RecordContent[]
    if (p.mode === 'create') {
      const [first, ...rest] = p.contents as [RecordContent, ...RecordContent[]]
      // A dossier's first revision cannot point at attachments that do not exist yet: they are linked afterwards.
      vault.createRecord(p.item.kind, pointed(first, new Map()), { id: p.targetId })
      created.push({ bundleId: p.item.id, id: p.targetId })
      linkAttachments()
      pending = p.remapsAttachments && rest.length === 0 ? [first] : rest
    } else {
      linkAttachments()
      pending = p.contents
    }
    if (p.mode === 'history') {
      const current = vault.getRecord(p.targetId)
      const kept = vault.updateRecord(p.targetId, pointed(p.contents[0]!, attachmentIds)).revision
      vault.updateRecord(p.targetId, {
        summary: current.summary,
        body: current.body,
        ...(current.part ? { part: { sealed: current.part.sealed } } : {}),
      })
      keptInHistory.push({ id: p.targetId, revision: kept, notice: keptNotice(preview, p.item.title) })
      continue
    }
    let revision = 1
    for (const content of pending) revision = vault.updateRecord(p.targetId, pointed(content, attachmentIds)).revision
    if (p.mode === 'revise') revised.push({ id: p.targetId, revision })
  }
  if (plan.items.length > 0) {
    noteBundleImport(vault, ledger, {
      bundleId: preview.bundleId,
      signer: preview.signer.fingerprint,
      senderName: preview.signer.name,
      at: new Date().toISOString(),
      items: plan.items.map((p) => ({ item: p.item.id, record: p.targetId, revision: p.item.revision })),
    })
  }
  const details: Record<string, string | number | boolean> = {
    bundle: preview.bundleId,
    signerFingerprint: preview.signer.fingerprint,
    signerStatus: preview.signer.status,
    created: created.length,
    revised: revised.length,
    keptInHistory: keptInHistory.length,
    attachments,
    skipped: plan.skipped.length,
  }
  const ids = [...created.map((c) => c.id), ...revised.map((r) => r.id), ...keptInHistory.map((k) => k.id)]
  for (let i = 0, f = 0; i < ids.length && f < 20; i += 7, f++) details[`ids${f}`] = ids.slice(i, i + 7).join(',')
  vault.audit.append('bundle.imported', details)
  return { created, revised, keptInHistory, attachments, skipped: [...plan.skipped] }
}

/** The notice for a kept older version: An older version of “Appeal” from Amnesty Oslo was kept in its history; … */
function keptNotice(preview: BundlePreview, title: string | undefined): string {
  const partner = preview.signer.contactName ?? preview.signer.name
  const what = title ? `“${title}”` : 'an untitled item'
  return `An older version of ${what} from ${partner} was kept in its history; the newer version stays current.`
}
