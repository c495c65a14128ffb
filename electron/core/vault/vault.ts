// Main process (Node only): the encrypted vault service — create/open/unlock, records with revisions, attachments,
// keyslots, settings and the audit chain. It combines db/ (ciphertext rows) with crypto/ (keys, envelopes, streams).
// This file is the facade the rest of the app uses: the Vault class (life cycle, lock, settings, audit) delegating to
// unlock.ts, records.ts, attachments.ts and attachmentReads.ts, which share one VaultInternals and never import it.
// See docs/CRYPTO.md for the formats and the threat model.

import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import * as attachmentReads from './attachmentReads'
import * as attachments from './attachments'
import type { AuditDetails, AuditEntry, AuditVerifyResult } from './auditChain'
import { DB_FILE, FILE_MODE, TMP_DIR } from './files'
import { removeSeal, sealDatabaseFile, sealIsCheaper } from './fileSeal'
import { runFullCheck, type FullCheckProgress, type FullCheckResult } from './fullCheck'
import type { VaultInternals } from './internals'
import * as members from './members'
import type { CurrentMember, MemberInfo } from './members'
import { readDuressStatus, type DuressAction } from './duress'
import { clearDuressPassphrase, setDuressPassphrase } from './duressSetup'
import { unlockWithInvitation } from './memberJoin'
import * as records from './records'
import { shredItems, type ShredResult } from './shred'
import { scanState } from './stateCommitment'
import {
  INTACT,
  type AttachmentInfo,
  type AttachmentMeta,
  type RecordContent,
  type RecordKind,
  type RecordRef,
  type RevisionInfo,
  type StagedAttachment,
  type IntegrityReport,
  type StoredRecord,
  type VaultOptions,
} from './types'
import * as unlock from './unlock'
import { describeUnlockGuard, readAttempts, readWipePolicy, setWipePolicy, type UnlockGuardStatus } from './unlockGuard'
import { validateId, validateSettingName } from './validation'
import type { Role } from '../../../shared/members/roles'
import { currentSearchIndexKey, currentSensitiveKey } from './areaKeys'

export type { KdfParams } from '../platform/crypto/keys'
export type { AuditEntry, AuditVerifyResult, AuditDetails } from './auditChain'
// Failures are noted only inside unlock.ts, where the method is known; callers can read the count, not add to it.
export { countUnlockFailures } from './unlockFailures'
export {
  DEFAULT_KDF,
  FORMAT_VERSION,
  ID_PATTERN,
  MAX_BODY_BYTES,
  MAX_KDF,
  MAX_READ_ATTACHMENT_BYTES,
  MAX_SUMMARY_BYTES,
  MIN_KDF,
  RECORD_KIND_PATTERN,
  formatIntegrityReport,
  type AttachmentInfo,
  type AttachmentMeta,
  type IntegrityProblem,
  type IntegrityReport,
  type RecordContent,
  type RecordKind,
  type PartSplitter,
  type RecordPartView,
  type RecordRef,
  type RevisionInfo,
  type StagedAttachment,
  type StoredRecord,
  type VaultInspection,
  type VaultOptions,
} from './types'
export type { AttachmentRun } from './attachmentReads'
export type { ShredResult } from './shred'
export type { CurrentMember, MemberInfo } from './members'
export { INVITATION_LIFETIME_MS } from './members'
export { DEFAULT_ADMIN_NAME } from './unlock'
export type { FullCheckProblem, FullCheckResult } from './fullCheck'
export { inspectVault, INTEGRITY_WAY_OUT } from './unlock'
export { checkRecordContent, validateKdfForCreate } from './validation'
export { MAX_WIPE_AFTER, MIN_WIPE_AFTER, validateWipeAfter, type UnlockGuardStatus } from './unlockGuard'
export type { DuressAction } from './duress'

/** The vault's protections as its admin sees them (Security page, `custodia protect`). */
export interface VaultProtection {
  /** Consecutive wrong tries that erase the keys (3..20), or null when off. */
  wipeAfter: number | null
  /** Whether that erase also destroys the recovery keys. */
  wipeIncludesRecovery: boolean
  /** The working member's duress passphrase: whether one is set and what it does. */
  duress: { on: boolean; action: DuressAction | null; keepRecovery: boolean }
}

/**
 * What the lock screen may show before an unlock, read without the key: the wipe policy, wrong tries so far and tries
 * left, and whether the keys were erased. Never says anything about a duress passphrase (the files do not know).
 */
export function readUnlockGuard(dir: string): UnlockGuardStatus {
  const root = path.resolve(dir)
  try {
    return unlock.withVaultSnapshot(root, (snap) => describeUnlockGuard(root, snap.settings))
  } catch (error) {
    const erased = readAttempts(root).erased
    if (erased) return { wipeAfter: null, includesRecovery: erased === 'all', failed: 0, triesLeft: null, erased }
    throw error
  }
}

/**
 * Creates a vault in `dir` (must not exist, or be an empty folder; else CONFLICT) with one passphrase keyslot and one
 * recovery keyslot. Returns the unlocked vault and the recovery key (14 groups of 4 Crockford base32 characters) to
 * show the user once; it is not stored anywhere. Weak/huge KDF → VALIDATION; empty passphrase → VALIDATION.
 */
export async function createVault(
  dir: string,
  passphrase: Uint8Array,
  opts: VaultOptions = {},
): Promise<{ vault: Vault; recoveryKey: string }> {
  const { internals, recoveryKey } = await unlock.createVaultFolder(dir, passphrase, opts)
  return { vault: new Vault(internals), recoveryKey }
}

/**
 * Unlocks a vault with its passphrase. Checks, in order and before any derivation: folder/file present
 * (NOT_A_VAULT), readable structure (CORRUPT), schema/format/KDF caps (UNSUPPORTED). Then tries each passphrase
 * keyslot; none opening → WRONG_PASSPHRASE (counted once, in memory, as a `passphrase` failure; no file is touched).
 * On success: migrates the schema forward, removes orphan blobs and temp files, writes pending unlock failures and
 * `vault.unlocked` to the audit log.
 */
export async function openVault(dir: string, passphrase: Uint8Array, opts: VaultOptions = {}): Promise<Vault> {
  return new Vault(await unlock.unlockWithPassphrase(dir, passphrase, opts))
}

/**
 * Unlocks a vault with its recovery key (format errors and typos → VALIDATION before anything is read). No slow KDF:
 * the recovery key holds 256 random bits. Wrong key → WRONG_PASSPHRASE (counted once, as a `recovery` failure).
 */
export async function openVaultWithRecoveryKey(dir: string, recoveryKey: string, opts: VaultOptions = {}): Promise<Vault> {
  return new Vault(await unlock.unlockWithRecoveryKey(dir, recoveryKey, opts))
}

/**
 * Joins a vault as the member an invitation code was made for, setting their own passphrase; returns the vault
 * unlocked for them and their recovery key (shown once). Refusals, nothing written: mistyped code → VALIDATION; code
 * unknown to this vault → WRONG_PASSPHRASE; expired (7 days) or the member suspended/removed → FORBIDDEN.
 */
export async function joinVault(
  dir: string,
  invitationCode: string,
  newPassphrase: Uint8Array,
  opts: VaultOptions = {},
): Promise<{ vault: Vault; recoveryKey: string }> {
  const { internals, recoveryKey } = await unlockWithInvitation(dir, invitationCode, newPassphrase, opts)
  return { vault: new Vault(internals), recoveryKey }
}

/**
 * An unlocked vault. Obtain one from createVault/openVault/openVaultWithRecoveryKey (the constructor is internal).
 * After lock() every method throws CustodiaError('VAULT_LOCKED').
 */
export class Vault {
  readonly dir: string
  readonly vaultId: string

  /**
   * The audit chain. append(type, details): type is a lower-case dotted name (e.g. 'bundle.exported'), details hold
   * ids/counts/flags only; it joins the caller's transaction when called inside one. verify() never throws on
   * tampering; list() throws TAMPERED if the chain is broken; listIntact() returns what still verifies.
   */
  readonly audit: {
    append(type: string, details?: AuditDetails): void
    verify(): AuditVerifyResult
    list(): AuditEntry[]
    /** The entries that verify, in order, up to the first broken one; never throws on tampering. */
    listIntact(): AuditEntry[]
    /** The seq of the newest entry (0 for none), without decrypting anything. */
    lastSeq(): number
    /** The entries after `afterSeq`, checked from there to the head; TAMPERED if that stretch is broken. */
    listAfter(afterSeq: number): AuditEntry[]
    /**
     * Runs `work` (synchronous) as the application of other offices' change-sets: every entry it appends, the vault's
     * own included (record.created…), is marked `via: 'sync'`, so sync never sends it back as this office's activity.
     */
    whileApplyingSync<T>(work: () => T): T
  }

  /** @internal */
  constructor(private readonly internals: VaultInternals) {
    this.dir = internals.dir
    this.vaultId = internals.vaultId
    this.audit = {
      append: (type, details) => {
        internals.assertUnlocked()
        internals.chain.append(type, details)
      },
      verify: () => {
        internals.assertUnlocked()
        return internals.chain.verify()
      },
      list: () => {
        internals.assertUnlocked()
        return internals.chain.list()
      },
      listIntact: () => {
        internals.assertUnlocked()
        return internals.chain.readIntactEntries()
      },
      lastSeq: () => {
        internals.assertUnlocked()
        return internals.chain.lastSeq()
      },
      listAfter: (afterSeq) => {
        internals.assertUnlocked()
        return internals.chain.listAfter(afterSeq)
      },
      whileApplyingSync: (work) => {
        internals.assertUnlocked()
        const outer = internals.chain.applyingSync
        internals.chain.applyingSync = true
        try {
          return work()
        } finally {
          internals.chain.applyingSync = outer
        }
      },
    }
  }

  get locked(): boolean {
    return this.internals.locked
  }

  /**
   * Logs `vault.locked`, zeroes the vault key and every subkey (sodium_memzero), closes the database. Idempotent.
   * Plaintext already handed to callers, and copies the JS engine made, are outside its reach (docs/CRYPTO.md).
   * Then, unless `seal` is false (the panic lock, which must not spend the time), seals the closed database file so the
   * next unlock can skip the row-by-row state check (fileSeal.ts): only when this unlock's state was checked and every
   * write followed it.
   */
  lock(opts: { seal?: boolean } = {}): void {
    if (this.internals.locked) return
    try {
      this.internals.chain.append('vault.locked', {})
    } catch {
      // Locking must succeed even if the log cannot be written (e.g. disk full): wiping keys matters more.
    }
    const state = this.internals.state
    const sealing = opts.seal !== false && state.mayBeSealed && this.sealPays() ? state.keys.copyForSeal() : null
    this.internals.wipe()
    if (!sealing) {
      // A seal left from before would describe another state: it would only cost the next unlock a hash for nothing.
      try {
        removeSeal(this.dir)
      } catch {
        // A read-only folder: the mismatch is found at the next unlock, which then checks every row.
      }
      return
    }
    try {
      sealDatabaseFile(this.dir, path.join(this.dir, DB_FILE), sealing)
    } catch {
      // No seal costs the next unlock the full check, nothing more; the lock itself has happened.
    } finally {
      sealing.dispose()
    }
  }

  /** True when the next unlock checks this vault faster by its sealed file than row by row (fileSeal.ts). */
  private sealPays(): boolean {
    try {
      const db = this.internals.db
      const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number)
      const rows = db
        .prepare('SELECT (SELECT count(*) FROM records) + (SELECT count(*) FROM revisions) + (SELECT count(*) FROM item_keys)')
        .pluck()
        .get() as number
      return sealIsCheaper(bytes, rows)
    } catch {
      return false
    }
  }

  /**
   * Deletes everything in tmp/ now: an opened bundle's decrypted files, attachments being written. Synchronous because
   * the session calls it while locking, which cannot wait; a writer still holding a file open loses only its name.
   */
  emptyTempFolder(): void {
    const tmpDir = path.join(this.dir, TMP_DIR)
    let names: string[]
    try {
      names = fs.readdirSync(tmpDir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    for (const name of names) fs.rmSync(path.join(tmpDir, name), { recursive: true, force: true })
  }

  /** Test hook: the actual key Buffers this vault owns (vault key, then each subkey), to check they are zeroed. */
  __keyBuffersForTest(): Buffer[] {
    return this.internals.keyBuffers()
  }

  /**
   * Bench hook: stops (false) or resumes (true) following writes in the state commitment, to measure what following
   * them costs a save. The stored commitment then no longer matches the rows: the vault must not be reopened.
   */
  __followWritesForBench(follow: boolean): void {
    this.internals.repo.setCommittedRowObserver(follow ? this.internals.state : null)
  }

  /**
   * Copies the database as it is at one instant into `destFile` (created here, 0600; EEXIST if it exists) with SQLite's
   * online backup API, in one step: one read transaction, so other connections and processes keep writing meanwhile
   * and the copy holds exactly the commits made before it started. Ciphertext only, like vault.sqlite itself.
   */
  async snapshotDatabase(destFile: string): Promise<void> {
    this.internals.assertUnlocked()
    fs.closeSync(fs.openSync(destFile, 'wx', FILE_MODE))
    // 0x7fffffff pages per step = all of them at once (better-sqlite3 would copy 100 per step, and SQLite restarts a
    // stepped backup whenever another connection writes, which during a write storm could be forever).
    await this.internals.db.backup(destFile, { progress: () => 0x7fffffff })
  }

  /** The key that MACs this vault's backup manifests (subkey 9; 32 bytes; zeroed on lock; do not keep a copy). */
  getBackupManifestKey(): Buffer {
    this.internals.assertUnlocked()
    return this.internals.subkeys.backupManifest
  }

  /**
   * The key of the encrypted search-index snapshot (32 bytes; zeroed on lock; do not keep a copy): subkey 5, or after a
   * member's removal one derived from the newest content key (areaKeys.ts). FORBIDDEN while this member's content key is
   * pending.
   */
  getSearchIndexKey(): Buffer {
    this.internals.assertUnlocked()
    return currentSearchIndexKey(this.internals)
  }

  // --- records ---

  /**
   * Creates a record at revision 1. `id`: 32 lower-case hex chars (random if omitted; CONFLICT if taken). Summary: a
   * plain object ≤ 64 KiB JSON (decrypted for lists); body: any JSON ≤ 64 MiB. Logs `record.created`.
   */
  createRecord(kind: RecordKind, content: RecordContent, opts: { id?: string; author?: string } = {}): RecordRef {
    return records.createRecord(this.internals, kind, content, opts)
  }

  /**
   * Saves a new revision (earlier ones are kept). NOT_FOUND; CONFLICT when `expectedRevision` is given and is not
   * the current revision. Logs `record.updated`.
   */
  updateRecord(id: string, content: RecordContent, opts: { expectedRevision?: number; author?: string } = {}): RecordRef {
    return records.updateRecord(this.internals, id, content, opts)
  }

  /** Deletes a record, all its revisions and attachments (blob files removed after commit). NOT_FOUND. Logs `record.deleted`. */
  deleteRecord(id: string): void {
    records.deleteRecord(this.internals, id)
  }

  /**
   * Runs `work` — any number of createRecord / updateRecord / deleteRecord / deleteAttachment calls, with their audit
   * entries — as ONE SQLite transaction: one commit and one fsync for all of them (synchronous=FULL, so everything is
   * durable once this returns, and a crash before that leaves none of it). If `work` throws, nothing it wrote is kept and the error is
   * rethrown. A call inside another joins the outer one as a savepoint (a throw the outer work catches undoes only the
   * inner part). `work` must be synchronous (VALIDATION if it returns a promise). addAttachment cannot run inside:
   * its blob is written and fsynced outside any transaction, so trying makes the transaction fail with VALIDATION
   * (and the attachment call rejects); stage the blob first (stageAttachment) and link it inside
   * (linkStagedAttachment). Blob files of records and attachments deleted inside are removed after the outermost
   * commit.
   */
  transaction<T>(work: () => T): T {
    return this.internals.runTransaction(work)
  }

  /** Decrypts one revision (default: current). NOT_FOUND; TAMPERED if any byte or row binding was changed. */
  getRecord<B = unknown, S = Record<string, unknown>>(id: string, revision?: number): StoredRecord<B, S> {
    return records.getRecord<B, S>(this.internals, id, revision)
  }

  /**
   * True when the working member holds the newest key of the sensitive area, so the sensitive parts they write can be
   * sealed (docs/CRYPTO.md §16). False for a role that may not read them, and while a grant is pending.
   */
  canSealSensitive(): boolean {
    this.internals.assertUnlocked()
    return currentSensitiveKey(this.internals) !== null
  }

  /** True when a record with this id exists (false for malformed ids). */
  hasRecord(id: string): boolean {
    return records.hasRecord(this.internals, id)
  }

  /** Current revision of every record (optionally of one kind, via the kind-tag index), decrypting summaries only. */
  listRecords(filter: { kind?: RecordKind } = {}): (RecordRef & { summary: Record<string, unknown>; savedAt: string })[] {
    return records.listRecords(this.internals, filter)
  }

  /** Every revision of a record, oldest first (summaries only). NOT_FOUND. */
  listRevisions(id: string): RevisionInfo[] {
    return records.listRevisions(this.internals, id)
  }

  /** Records created/updated/deleted after `changeSeq` (0 = all), in change order; for search-index catch-up. */
  listChangedSince(changeSeq: number): { id: string; changeSeq: number; deleted: boolean }[] {
    return records.listChangedSince(this.internals, changeSeq)
  }

  // --- attachments ---

  /**
   * Encrypts a file into the blob store and links it to a record. The source is read with large sequential reads
   * (flat memory at any size). Missing source → NOT_FOUND; missing record → NOT_FOUND. Logs `attachment.added`.
   */
  addAttachment(recordId: string, sourcePath: string, meta: AttachmentMeta): Promise<AttachmentInfo> {
    return attachments.addAttachment(this.internals, recordId, sourcePath, meta)
  }

  /** As addAttachment, from any async iterable of byte chunks (e.g. a Node Readable). */
  addAttachmentFromStream(recordId: string, source: AsyncIterable<Uint8Array>, meta: AttachmentMeta): Promise<AttachmentInfo> {
    return attachments.addAttachmentFromStream(this.internals, recordId, source, meta)
  }

  /**
   * First step of adding an attachment whose row must join a vault.transaction(): encrypts the source into the blob
   * store exactly as addAttachmentFromStream does (its id is chosen here, the blob is fsynced and renamed into place)
   * but inserts no row and writes no audit entry, so nothing lists it yet. Link it with linkStagedAttachment, or drop
   * it with discardStagedAttachment; a blob never linked is an orphan that the next unlock removes. Bad meta or source
   * → VALIDATION; locked (before or while writing) → VAULT_LOCKED, and the partial blob is removed. `options.id`:
   * the id to give it instead of a new one (sync keeps an attachment's id across replicas, as dossiers point at it);
   * CONFLICT when this vault already has an attachment or a blob with that id.
   */
  stageAttachment(source: AsyncIterable<Uint8Array>, meta: AttachmentMeta, options: { id?: string } = {}): Promise<StagedAttachment> {
    return attachments.stageAttachment(this.internals, source, meta, options)
  }

  /**
   * Second step: links a staged attachment to a record — its row, with metadata sealed to this record, and an
   * `attachment.added` audit entry, in one transaction that joins vault.transaction() when called inside one (then
   * the row goes with the outer transaction or not at all). Synchronous. Unknown record → NOT_FOUND; not staged by
   * this vault → VALIDATION; its blob gone → NOT_FOUND; already linked → CONFLICT.
   */
  linkStagedAttachment(recordId: string, staged: StagedAttachment): AttachmentInfo {
    return attachments.linkStagedAttachment(this.internals, recordId, staged)
  }

  /**
   * Removes the blob of a staged attachment that no row refers to (e.g. after the transaction that was to link it
   * failed). Best effort and never throws: a linked attachment is left alone, and while the vault is locked nothing is
   * removed (the next unlock deletes orphan blobs anyway). Call it outside vault.transaction().
   */
  discardStagedAttachment(staged: StagedAttachment): void {
    attachments.discardStagedAttachment(this.internals, staged)
  }

  /** Every attachment's id (ids only, no decryption): sync compares them with the attachments it already carried. */
  listAttachmentIds(): string[] {
    this.internals.assertUnlocked()
    return [...this.internals.repo.listAllAttachmentIds()].sort()
  }

  /** The id of the record an attachment belongs to, or null when there is no such attachment (ids only, no decryption). */
  findAttachmentRecord(attachmentId: string): string | null {
    this.internals.assertUnlocked()
    validateId(attachmentId, 'attachment')
    return this.internals.repo.getAttachment(attachmentId)?.record_id ?? null
  }

  /**
   * SHA-256 (64 lower-case hex) of an attachment's plaintext as stored when it was added, or null for attachments
   * added before the vault recorded it. NOT_FOUND for an unknown attachment. Kept out of AttachmentInfo lists so
   * existing IPC responses (strict schemas) stay as they are.
   */
  getAttachmentSha256(attachmentId: string): string | null {
    return attachments.getAttachmentSha256(this.internals, attachmentId)
  }

  /**
   * An attachment's blob file as the vault recorded it when writing it (version, size, SHA-256 hex of its bytes), for
   * backups; null for an unknown attachment or one added before the vault recorded blob hashes.
   */
  findAttachmentBlobHash(attachmentId: string): { blobVersion: number; blobSize: number; blobSha256: string } | null {
    return attachments.findAttachmentBlobHash(this.internals, attachmentId)
  }

  /**
   * Decrypts an attachment as a stream of plaintext chunks (≤ 1 MiB each, buffers the caller owns), pulling one chunk
   * at a time from the blob: memory stays flat at any size. Each chunk is authenticated before it is yielded;
   * truncation or a flipped byte makes the iteration throw TAMPERED (so a consumer must not trust what it got before
   * the end). Stopping early closes the blob. `options.buffers` supplies the buffers chunks are decrypted into (at
   * least 1 MiB each; e.g. from a pool the consumer recycles); by default each chunk is a fresh allocation.
   */
  openAttachmentStream(attachmentId: string, options: { buffers?: () => Buffer } = {}): AsyncGenerator<Buffer, void, undefined> {
    return attachmentReads.openAttachmentStream(this.internals, attachmentId, options)
  }

  /**
   * An attachment as chunks that other threads read and open on their own (openDetachedBlob: each chunk's place in
   * the blob with the secretstream state that opens it), for the bundle writer's payload workers: `fd` is the open
   * blob for their positional reads. Nothing is decrypted here; the opener checks every MAC and tag. The caller must
   * call close() once no thread reads `fd` any more (not before: the number could be reused by another file).
   * Locking the vault stops the chunks (VAULT_LOCKED). null where the sodium backend cannot hand out stream states
   * (wasm): use openAttachmentStream then. Errors as decryptAttachment's checks (version, size).
   */
  openAttachmentRun(attachmentId: string): Promise<attachmentReads.AttachmentRun | null> {
    return attachmentReads.openAttachmentRun(this.internals, attachmentId)
  }

  /** Attachments of a record, oldest first (metadata decrypted). NOT_FOUND for an unknown record. */
  listAttachments(recordId: string): AttachmentInfo[] {
    return attachments.listAttachments(this.internals, recordId)
  }

  /**
   * Decrypts an attachment to `destPath`: writes a 0600 temp file beside it and renames it over `destPath` only after
   * every chunk authenticated and the FINAL chunk was seen; on any failure no destination file is created or changed.
   * Destination folder missing → NOT_FOUND; TAMPERED / CORRUPT / UNSUPPORTED as found.
   */
  exportAttachment(attachmentId: string, destPath: string): Promise<void> {
    return attachmentReads.exportAttachment(this.internals, attachmentId, destPath)
  }

  /**
   * Deletes one attachment: its row and an `attachment.deleted` audit entry (record id + attachment id, never the
   * name) in one transaction, then the encrypted blob file once that is committed (see VaultInternals.removeBlobsAfterCommit; inside
   * vault.transaction() the row goes with the outer transaction or not at all). The record and its other attachments
   * are untouched; references to the attachment inside record bodies (a dossier's photo…) are the caller's to update.
   * Malformed id → VALIDATION; unknown id → NOT_FOUND; locked → VAULT_LOCKED.
   */
  deleteAttachment(attachmentId: string): void {
    attachments.deleteAttachment(this.internals, attachmentId)
  }

  /**
   * Destroys records and attachments for good (crypto-shredding, docs/CRYPTO.md section 13): their item keys and every
   * revision's ciphertext in one transaction with `record.shredded` / `attachment.shredded` (ids only), then the blob
   * files overwritten and removed and the write-ahead log checkpointed and truncated. A record's attachments go with
   * it. Unknown id → NOT_FOUND (nothing changes); inside vault.transaction() → VALIDATION. The search index is the
   * caller's to update (the session's shredItems does).
   */
  shred(ids: readonly string[]): Promise<ShredResult> {
    return shredItems(this.internals, ids)
  }

  /** Decrypts a small attachment into memory (> 64 MiB → VALIDATION: use exportAttachment). */
  readAttachment(attachmentId: string): Promise<Buffer> {
    return attachmentReads.readAttachment(this.internals, attachmentId)
  }

  // --- keyslots ---

  /**
   * Re-wraps the vault key under a new passphrase (fresh salt, same KDF parameters as the slot, at least MIN_KDF).
   * Record and attachment ciphertext is untouched; the old passphrase stops working. Wrong old passphrase →
   * WRONG_PASSPHRASE; empty new one → VALIDATION. Logs `vault.passphrase_changed`; checkpoints the WAL so the old
   * wrapped key does not linger in it.
   */
  changePassphrase(oldPassphrase: Uint8Array, newPassphrase: Uint8Array): Promise<void> {
    return unlock.changePassphrase(this.internals, oldPassphrase, newPassphrase)
  }

  // --- members (docs/MEMBERS.md) ---

  /** The member this unlock works for: named on every revision and audit entry. null only in a vault found changed. */
  get member(): CurrentMember | null {
    this.internals.assertUnlocked()
    return this.internals.member
  }

  /** Every member (removed ones too: their names still stand on their work), in the order they were added. */
  listMembers(): MemberInfo[] {
    return members.listMembers(this.internals)
  }

  /**
   * Adds a member and returns their one-time invitation code (valid 7 days; shown once, stored only as a hash and a
   * copy of the vault key wrapped under it). Needs a role that manages members (FORBIDDEN otherwise).
   */
  addMember(input: { name: string; email?: string | null; role: Role }): ReturnType<typeof members.addMember> {
    return members.addMember(this.internals, input)
  }

  /** A new invitation code for a member who has not joined (the old one stops working). */
  renewInvitation(memberId: string): ReturnType<typeof members.renewInvitation> {
    return members.renewInvitation(this.internals, memberId)
  }

  /** Changes a member's role; the last admin cannot give it up (FORBIDDEN). */
  setMemberRole(memberId: string, role: Role): MemberInfo {
    return members.setMemberRole(this.internals, memberId, role)
  }

  /** Suspends a member: their passphrase is refused until they are reinstated. Not yourself (FORBIDDEN). */
  suspendMember(memberId: string): MemberInfo {
    return members.suspendMember(this.internals, memberId)
  }

  reinstateMember(memberId: string): MemberInfo {
    return members.reinstateMember(this.internals, memberId)
  }

  /** Removes a member: their keyslots are deleted; their row stays so their name still stands on their work. */
  removeMember(memberId: string): MemberInfo {
    return members.removeMember(this.internals, memberId, () => unlock.refreshKeyslotCheck(this.internals))
  }

  // --- integrity ---

  /**
   * What the unlock found changed outside Custodia (only with `onTampered: 'review'`; otherwise such an unlock fails
   * with TAMPERED). While it is not intact every write is refused with TAMPERED: read, then acceptIntegrityReport().
   */
  get integrity(): IntegrityReport {
    return this.internals.integrity
  }

  /**
   * Checks the whole vault now against its commitment (a full scan of every committed row, and the audit chain) and
   * says what changed outside Custodia. Changes nothing.
   */
  checkIntegrity(): IntegrityReport {
    this.internals.assertUnlocked()
    return unlock.checkState(this.internals, scanState(this.internals.sodium, this.internals.db))
  }

  /**
   * The user saw what changed outside Custodia and keeps working with what is there: the commitment is sealed over
   * the rows as they are, the audit head is moved to the newest entry, and `vault.integrity_accepted` records how many
   * problems in which areas were accepted (entries already broken stay broken for audit.verify()). Then the unlock is
   * logged as usual. No-op when nothing was found.
   */
  acceptIntegrityReport(): void {
    this.internals.assertUnlocked()
    const report = this.internals.integrity.intact ? this.checkIntegrity() : this.internals.integrity
    if (report.intact) return
    const internals = this.internals
    internals.repo.runInTransaction(() => {
      internals.state.seal()
      internals.chain.reHead()
      internals.chain.append('vault.integrity_accepted', {
        problems: report.problems.length,
        areas: [...new Set(report.problems.map((problem) => problem.area))].join(','),
      })
      unlock.refreshKeyslotCheck(internals)
    })
    internals.integrity = INTACT
  }

  /**
   * `custodia check`: SQLite's full integrity check, the commitment, the audit chain, every revision decrypted and
   * every attachment read to its final tag. Slow on a large vault (progress through `onProgress`); changes nothing.
   */
  runFullCheck(onProgress?: FullCheckProgress): Promise<FullCheckResult> {
    return runFullCheck(this.internals, this.internals.integrity.intact ? this.checkIntegrity() : this.internals.integrity, onProgress)
  }

  // --- protections (issue #16) ---

  /** The wipe policy and the working member's duress passphrase status. */
  getProtection(): VaultProtection {
    this.internals.assertUnlocked()
    const settings = new Map<string, string>()
    for (const name of ['wipeAfterFailures', 'wipeIncludesRecovery']) {
      const value = this.internals.repo.getSetting(name)
      if (value !== undefined) settings.set(name, value)
    }
    const policy = readWipePolicy(settings)
    return {
      wipeAfter: policy?.after ?? null,
      wipeIncludesRecovery: policy?.includesRecovery ?? false,
      duress: readDuressStatus(this.internals),
    }
  }

  /** Erase the keys after `after` (3..20) consecutive wrong tries, or never (null). N out of range → VALIDATION, nothing changed. */
  setWipeAfterFailures(after: number | null, includesRecovery: boolean): void {
    setWipePolicy(this.internals, after, includesRecovery)
  }

  /** Sets the working member's duress passphrase (duressSetup.ts says what is checked first). */
  setDuressPassphrase(passphrase: Uint8Array, opts: { decoyDir: string; action: DuressAction; keepRecovery: boolean }): Promise<void> {
    return setDuressPassphrase(this.internals, passphrase, opts)
  }

  /** Turns the working member's duress passphrase off. */
  clearDuressPassphrase(): void {
    clearDuressPassphrase(this.internals)
  }

  // --- settings ---

  /** Reads a plaintext setting (only for values that reveal no content, e.g. autoLockMinutes). */
  getSetting(name: string): string | undefined {
    this.internals.assertUnlocked()
    validateSettingName(name)
    return this.internals.repo.getSetting(name)
  }

  /** Writes a plaintext setting. Name /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, value ≤ 1024 chars. Visible on disk. */
  setSetting(name: string, value: string): void {
    this.internals.assertUnlocked()
    validateSettingName(name)
    if (typeof value !== 'string' || value.length > 1024)
      throw new CustodiaError('VALIDATION', 'A setting value must be text of at most 1024 characters')
    const { repo, chain } = this.internals
    if (repo.getSetting(name) === value) return
    // Logged with its value (settings are plain values that reveal no content) so an integrity report can name an
    // edited setting; a value too long for an audit detail is logged by length only.
    const logged: AuditDetails = value.length <= 256 ? { name, value } : { name, valueLength: value.length }
    repo.runInTransaction(() => {
      repo.setSetting(name, value)
      chain.append('setting.changed', logged)
    })
  }
}
