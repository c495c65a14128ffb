// Main process (Node only): the state one unlocked vault's parts share — database, keys, audit chain, the locked
// flag, transaction depth — and the rules they all follow (the locked check, blob paths, blob removal after commit).
// The Vault facade (vault.ts) owns one; records.ts, attachments.ts and unlock.ts take it as their first argument,
// so none of them needs the facade back (no import circle).

import fs from 'node:fs'
import path from 'node:path'
import { timingSafeEqual } from 'node:crypto'
import type Database from 'better-sqlite3'
import { CustodiaError } from '../../../shared/errors'
import { buildAssociatedData, deriveSubkeys, type Subkeys } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { RecordRow, VaultRepository } from '../platform/db/vaultRepo'
import { AuditChain } from './auditChain'
import { BLOBS_DIR } from './files'
import { StateCommitment, StateKeys } from './stateCommitment'
import { INTACT, type CurrentMember, type IntegrityReport } from './types'
import { validateId } from './validation'

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

export class VaultInternals {
  private isLocked = false
  /** Depth of vault.transaction() calls in progress (0 = none). */
  private transactionDepth = 0
  /** Set when an attachment was attempted inside vault.transaction(): the transaction then fails with VALIDATION. */
  private attachmentInTransaction = false
  /** Blob files of records deleted inside vault.transaction(), removed once the outermost one commits. */
  private pendingBlobRemovals: string[] = []
  readonly subkeys: Subkeys
  readonly chain: AuditChain
  readonly state: StateCommitment
  /** What the unlock found changed outside Custodia; writes are refused until the user accepts it (Vault.acceptIntegrityReport). */
  integrity: IntegrityReport = INTACT
  /** The clock (ms since 1970): tests inject one to expire invitations. */
  now: () => number = Date.now
  private currentMember: CurrentMember | null = null
  private ownSecret: Buffer | null = null
  /** Area keys the working member holds, by label ("sensitive:2"): opened at unlock, zeroed at lock (areaKeys.ts). */
  readonly areaKeys = new Map<string, Buffer>()
  /** Keys derived from those above, by label: made on first use, zeroed at lock (derivedKey). */
  private readonly derivedKeys = new Map<string, Buffer>()

  constructor(
    readonly dir: string,
    readonly db: Database.Database,
    readonly repo: VaultRepository,
    readonly sodium: SodiumBackend,
    readonly vaultId: string,
    readonly formatVersion: number,
    readonly vaultKey: Buffer,
  ) {
    this.subkeys = deriveSubkeys(sodium, vaultKey)
    this.chain = new AuditChain(repo, sodium, vaultId, formatVersion, this.subkeys.auditMac, this.subkeys.auditEncryption)
    this.state = new StateCommitment(repo, sodium, new StateKeys(sodium, this.subkeys.stateElements, this.subkeys.stateMac, vaultId))
  }

  get locked(): boolean {
    return this.isLocked
  }

  /** The member this unlock works for (null only in a vault whose member list was changed outside Custodia). */
  get member(): CurrentMember | null {
    return this.currentMember
  }

  /** Sets who works: every audit entry from now on names them (`by`). */
  set member(member: CurrentMember | null) {
    this.currentMember = member
    this.chain.actor = member?.id ?? null
  }

  /** The working member's X25519 secret key (areaKeys.ts), null when they have none or it did not open. */
  get memberSecret(): Buffer | null {
    return this.ownSecret
  }

  /** Keeps a copy of the working member's secret key (in guarded memory) until lock. */
  setMemberSecret(secret: Buffer): void {
    if (this.ownSecret) this.sodium.memzero(this.ownSecret)
    this.ownSecret = this.sodium.allocKey(secret.length)
    this.ownSecret.set(secret)
  }

  /** Keeps an area key until lock (the buffer becomes the vault's: zeroed at lock). */
  keepAreaKey(label: string, key: Buffer): void {
    const before = this.areaKeys.get(label)
    if (before && before !== key) this.sodium.memzero(before)
    this.areaKeys.set(label, key)
  }

  /**
   * A key derived from another the vault holds (e.g. the search-index key of a content epoch), made once by `make` and
   * kept until lock (zeroed with the others).
   */
  derivedKey(label: string, make: () => Buffer): Buffer {
    let key = this.derivedKeys.get(label)
    if (!key) {
      key = make()
      this.derivedKeys.set(label, key)
    }
    return key
  }

  assertUnlocked(): void {
    if (this.isLocked) throw new CustodiaError('VAULT_LOCKED', 'The vault is locked')
  }

  /** The actual key Buffers this vault owns (vault key, then each subkey): what wipe() zeroes. */
  keyBuffers(): Buffer[] {
    return [
      this.vaultKey,
      ...Object.values(this.subkeys),
      ...(this.ownSecret ? [this.ownSecret] : []),
      ...this.areaKeys.values(),
      ...this.derivedKeys.values(),
    ]
  }

  /** Marks the vault locked, zeroes every key (sodium_memzero) and closes the database. */
  wipe(): void {
    this.isLocked = true
    for (const key of this.keyBuffers()) this.sodium.memzero(key)
    try {
      this.db.close()
    } catch {
      // Already closed or busy: the keys are gone either way.
    }
  }

  blobPath(attachmentId: string): string {
    return path.join(this.dir, BLOBS_DIR, attachmentId.slice(0, 2), attachmentId)
  }

  streamAd(attachmentId: string): Buffer {
    return buildAssociatedData('attachment.stream', this.vaultId, attachmentId, this.formatVersion)
  }

  requireRecord(id: string): RecordRow {
    validateId(id, 'record')
    const row = this.repo.getRecord(id)
    if (!row) throw new CustodiaError('NOT_FOUND', 'No record with this id')
    return row
  }

  /**
   * The one rule for blob files of deleted attachment rows: they go only once the rows' deletion is committed. Inside
   * vault.transaction() that is when the outermost transaction commits (it could still roll the rows back);
   * otherwise the rows were committed just now. A crash before the unlink leaves an orphan blob, which removeLeftovers
   * deletes at the next unlock.
   */
  removeBlobsAfterCommit(attachmentIds: readonly string[]): void {
    if (this.transactionDepth > 0) {
      this.pendingBlobRemovals.push(...attachmentIds)
      return
    }
    this.unlinkBlobs(attachmentIds)
  }

  private unlinkBlobs(attachmentIds: readonly string[]): void {
    for (const attachmentId of attachmentIds) {
      try {
        fs.unlinkSync(this.blobPath(attachmentId))
      } catch {
        // Left behind: removed as an orphan at the next unlock.
      }
    }
  }

  /** vault.transaction(): see its description on the Vault class. */
  runTransaction<T>(work: () => T): T {
    this.assertUnlocked()
    if (typeof work !== 'function') throw new CustodiaError('VALIDATION', 'A vault transaction needs a function to run')
    const outermost = this.transactionDepth === 0
    const pendingBefore = this.pendingBlobRemovals.length
    this.transactionDepth += 1
    let result: T
    try {
      result = this.repo.runInTransaction(() => {
        const value = work()
        if (typeof (value as { then?: unknown } | null)?.then === 'function') {
          throw new CustodiaError('VALIDATION', 'A vault transaction must be synchronous')
        }
        if (this.attachmentInTransaction) throw new CustodiaError('VALIDATION', 'Attachments cannot be added inside a vault transaction')
        this.assertUnlocked()
        return value
      })
    } catch (err) {
      this.pendingBlobRemovals.length = pendingBefore
      throw err
    } finally {
      this.transactionDepth -= 1
      if (outermost) this.attachmentInTransaction = false
    }
    if (outermost) this.unlinkBlobs(this.pendingBlobRemovals.splice(0))
    return result
  }

  // An attachment's blob is written and fsynced outside any transaction, so one cannot join vault.transaction().
  assertOutsideTransaction(): void {
    if (this.transactionDepth === 0) return
    this.attachmentInTransaction = true
    throw new CustodiaError('VALIDATION', 'Attachments cannot be added inside a vault transaction')
  }
}
