// Main process (Node only): the vault's append-only, hash-chained, encrypted audit log.
// Entry n = (seq, nonce, ciphertext, mac, key_epoch):
//   ciphertext = XChaCha20-Poly1305(key of key_epoch, JSON {type, at, details, by?, via?}, AD = vault id + seq + format), the key
//                being the audit-encryption subkey in content epoch 0 and one derived from the content key after a
//                removal (epochKeys.ts), so entries written after it are not readable with the vault key
//   mac        = BLAKE2b-256(key = auditMacKey, prevMac || u64be(seq) || nonce || ciphertext), prevMac of entry 1 = 32 zero bytes
// vault_meta.audit_head = BLAKE2b-256(auditMacKey, "head" || u64be(lastSeq) || lastMac) so removing the newest
// entries is detected too (short of restoring an entire older copy of the vault, which no local chain can detect).

import { timingSafeEqual } from 'node:crypto'
import { CustodiaError } from '../../../shared/errors'
import type { SodiumBackend } from '../platform/crypto/sodium'
import { buildAssociatedData } from '../platform/crypto/keys'
import { openJson, sealJson } from '../platform/crypto/sealedJson'
import type { AuditRow, VaultRepository } from '../platform/db/vaultRepo'

/** Event types written by the vault itself; later features append their own (any matching AUDIT_TYPE_PATTERN). */
export const VAULT_AUDIT_TYPES = [
  'vault.created',
  'vault.unlocked',
  'vault.unlock_failed',
  'vault.locked',
  'vault.passphrase_changed',
  'record.created',
  'record.updated',
  'record.deleted',
  'attachment.added',
  'attachment.deleted',
  'setting.changed',
  'vault.integrity_accepted',
  'member.added',
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.suspended',
  'member.reinstated',
  'member.removed',
  'record.shredded',
  'attachment.shredded',
  'vault.item_keys_migrated',
  'area.created',
  'area.granted',
  'area.rotated',
  'content.granted',
  'content.rotated',
  'vault.parts_moved',
] as const

/** Lower-case dotted names, e.g. "bundle.exported". */
export const AUDIT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/

/** Details are ids, counts and flags only — never content. */
export type AuditDetails = Record<string, string | number | boolean>

export interface AuditEntry {
  seq: number
  type: string
  /** ISO 8601 UTC timestamp of the event. */
  at: string
  details: AuditDetails
  /** The member id of who did it (entries written since members exist). */
  by?: string
  /**
   * 'sync': written while this replica applied another office's change-set (the record it made, the file it linked…),
   * so sync never sends it back as this office's own activity (docs/SYNC.md "Activity").
   */
  via?: 'sync'
}

/**
 * Which key seals an entry. Epoch 0: the audit-encryption subkey; epoch n ≥ 1: a key of content epoch n (epochKeys.ts).
 * Keys are borrowed (zeroed by the vault at lock).
 */
export interface AuditEpochKeys {
  /** The epoch and key a new entry is sealed with. */
  sealing(): { epoch: number; key: Buffer }
  /** The key of an epoch, or null when the reader does not hold it (may throw TAMPERED for an epoch the vault lacks). */
  opening(epoch: number): Buffer | null
  /** The error for an entry under an epoch the reader does not hold yet. */
  missing(): CustodiaError
}

export type AuditVerifyResult = { ok: true; entries: number } | { ok: false; entries: number; firstBrokenSeq: number; reason: string }

const MAC_BYTES = 32
/** verify()'s reason when every entry checks out but the head does not: the newest entries were cut off. */
export const NEWEST_REMOVED = 'the newest entries were removed'
const ZERO_MAC = Buffer.alloc(MAC_BYTES)

function encodeSeq(seq: number): Buffer {
  const buf = Buffer.alloc(8)
  buf.writeBigUInt64BE(BigInt(seq))
  return buf
}

function validateDetails(details: AuditDetails): void {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    throw new CustodiaError('VALIDATION', 'Audit details must be an object')
  }
  const entries = Object.entries(details)
  if (entries.length > 32) throw new CustodiaError('VALIDATION', 'Audit details may hold at most 32 fields')
  for (const [key, value] of entries) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(key)) throw new CustodiaError('VALIDATION', 'An audit detail name is invalid')
    const okValue =
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= 256)
    if (!okValue) throw new CustodiaError('VALIDATION', 'An audit detail value must be a boolean, a finite number or a short string')
  }
}

/** The chain over one open vault. Keys are borrowed from the vault (which zeroes them on lock). */
export class AuditChain {
  /** The member working in the vault: every entry from now on names them (`by`, their member id). */
  actor: string | null = null
  /** True while another office's change-set is applied: entries then carry `via: 'sync'` (see AuditEntry.via). */
  applyingSync = false
  /** The keys by epoch; until the vault sets its own, epoch 0 only (the audit-encryption subkey). */
  epochKeys: AuditEpochKeys

  constructor(
    private readonly repo: VaultRepository,
    private readonly sodium: SodiumBackend,
    private readonly vaultId: string,
    private readonly formatVersion: number,
    private readonly macKey: Buffer,
    encryptionKey: Buffer,
  ) {
    this.epochKeys = {
      sealing: () => ({ epoch: 0, key: encryptionKey }),
      opening: (epoch) => (epoch === 0 ? encryptionKey : null),
      missing: () => new CustodiaError('FORBIDDEN', 'This activity entry is locked with a key you do not hold.'),
    }
  }

  private computeMac(prevMac: Uint8Array, seq: number, nonce: Uint8Array, ciphertext: Uint8Array): Buffer {
    return this.sodium.generichash(MAC_BYTES, Buffer.concat([prevMac, encodeSeq(seq), nonce, ciphertext]), this.macKey)
  }

  private computeHead(seq: number, mac: Uint8Array): Buffer {
    return this.sodium.generichash(MAC_BYTES, Buffer.concat([Buffer.from('head'), encodeSeq(seq), mac]), this.macKey)
  }

  private buildAd(seq: number): Buffer {
    return buildAssociatedData('audit', this.vaultId, seq, this.formatVersion)
  }

  /**
   * Appends one entry. Runs inside the caller's transaction when there is one (so the entry commits or rolls back
   * with the change it records), else in its own. `at` defaults to now. Bad type/details → VALIDATION.
   */
  append(type: string, details: AuditDetails = {}, at: string = new Date().toISOString()): void {
    if (typeof type !== 'string' || type.length > 64 || !AUDIT_TYPE_PATTERN.test(type)) {
      throw new CustodiaError('VALIDATION', 'The audit event type must be a lower-case dotted name')
    }
    validateDetails(details)
    this.repo.runInTransaction(() => {
      const last = this.repo.lastAuditEntry()
      // Appending after a cut tail would make the cut look like history: the stored head must match the newest entry.
      if (!this.headMatches(last)) throw new CustodiaError('TAMPERED', 'The activity log was cut or changed outside Custodia')
      const seq = (last?.seq ?? 0) + 1
      const event = {
        type,
        at,
        details,
        ...(this.actor === null ? {} : { by: this.actor }),
        ...(this.applyingSync ? { via: 'sync' as const } : {}),
      }
      const { epoch, key } = this.epochKeys.sealing()
      const sealed = sealJson(this.sodium, key, this.buildAd(seq), event, 32)
      const mac = this.computeMac(last?.mac ?? ZERO_MAC, seq, sealed.nonce, sealed.ciphertext)
      this.repo.insertAuditEntry({ seq, nonce: sealed.nonce, ciphertext: sealed.ciphertext, mac, key_epoch: epoch })
      this.repo.setAuditHead(this.computeHead(seq, mac))
    })
  }

  /** True when the stored head is the MAC of the newest entry (one hash: the unlock checks it every time). */
  headIsCurrent(): boolean {
    return this.headMatches(this.repo.lastAuditEntry())
  }

  private headMatches(last: AuditRow | undefined): boolean {
    const head = this.repo.getAuditHead()
    if (!last) return head === null
    return (
      head !== null && head.length === MAC_BYTES && Buffer.isBuffer(last.mac) && timingSafeEqual(head, this.computeHead(last.seq, last.mac))
    )
  }

  /**
   * Points the head at the newest entry as it is now: only when the user accepted a vault found changed outside
   * Custodia (the entry appended next records that); entries before a broken one stay broken for verify().
   */
  reHead(): void {
    const last = this.repo.lastAuditEntry()
    if (last && !this.headMatches(last)) this.repo.setAuditHead(this.computeHead(last.seq, last.mac))
  }

  /**
   * Checks the whole chain: contiguous seqs from 1, every MAC, every ciphertext, and the head. An empty log is broken
   * too: every vault starts with `vault.created`. Never throws on tampering. The ciphertext of an entry under a content
   * epoch the reader does not hold yet (their grant is pending) is checked by its MAC only.
   */
  verify(): AuditVerifyResult {
    const rows = this.repo.listAuditEntries()
    if (rows.length === 0) return { ok: false, entries: 0, firstBrokenSeq: 1, reason: 'the activity log is empty' }
    let prevMac: Uint8Array = ZERO_MAC
    let verified = 0
    for (const [index, row] of rows.entries()) {
      const expectedSeq = index + 1
      const broken = (reason: string): AuditVerifyResult => ({ ok: false, entries: verified, firstBrokenSeq: expectedSeq, reason })
      if (row.seq !== expectedSeq) return broken(row.seq > expectedSeq ? 'an entry is missing' : 'entries are out of order')
      if (!this.checkEntry(row, prevMac)) return broken('an entry was changed, removed or reordered')
      prevMac = row.mac
      verified++
    }
    const head = this.repo.getAuditHead()
    const expectedHead = rows.length === 0 ? null : this.computeHead(rows.length, prevMac)
    const headOk =
      head === null || expectedHead === null ? head === expectedHead : head.length === MAC_BYTES && timingSafeEqual(head, expectedHead)
    if (!headOk) return { ok: false, entries: verified, firstBrokenSeq: rows.length + 1, reason: NEWEST_REMOVED }
    return { ok: true, entries: verified }
  }

  private checkEntry(row: AuditRow, prevMac: Uint8Array): boolean {
    if (!Buffer.isBuffer(row.mac) || row.mac.length !== MAC_BYTES || !Buffer.isBuffer(row.nonce) || !Buffer.isBuffer(row.ciphertext))
      return false
    if (!timingSafeEqual(this.computeMac(prevMac, row.seq, row.nonce, row.ciphertext), row.mac)) return false
    try {
      if (this.keyOf(row) === null) return true
      this.decryptEntry(row)
      return true
    } catch {
      return false
    }
  }

  /** The key of the entry's epoch; null when the reader does not hold it. */
  private keyOf(row: AuditRow): Buffer | null {
    return this.epochKeys.opening(row.key_epoch ?? 0)
  }

  private decryptEntry(row: AuditRow): AuditEntry {
    const key = this.keyOf(row)
    if (!key) throw this.epochKeys.missing()
    const event = openJson<{ type: string; at: string; details: AuditDetails; by?: unknown; via?: unknown }>(
      this.sodium,
      key,
      this.buildAd(row.seq),
      {
        nonce: row.nonce,
        ciphertext: row.ciphertext,
      },
    )
    if (typeof event?.type !== 'string' || typeof event.at !== 'string' || typeof event.details !== 'object') {
      throw new CustodiaError('CORRUPT', 'An audit entry is malformed')
    }
    const entry: AuditEntry = { seq: row.seq, type: event.type, at: event.at, details: event.details }
    if (typeof event.by === 'string') entry.by = event.by
    if (event.via === 'sync') entry.via = 'sync'
    return entry
  }

  /** The seq of the newest entry (0 for none): one row read, nothing decrypted. */
  lastSeq(): number {
    return this.repo.lastAuditEntry()?.seq ?? 0
  }

  /**
   * The entries after `afterSeq`, in order, checked from there to the head (each MAC chains onto the stored one before
   * it, each seal opens, the head names the newest): what sync sends of this office's activity, without decrypting the
   * whole log at every run. A break in that stretch → TAMPERED.
   */
  listAfter(afterSeq: number): AuditEntry[] {
    const rows = this.repo.listAuditEntriesFrom(Math.max(1, afterSeq))
    // The entry at afterSeq is read for its MAC only: the anchor the next one chains onto (absent: the log was cut).
    const anchor = afterSeq >= 1 ? rows.shift() : undefined
    if (afterSeq >= 1 && anchor?.seq !== afterSeq) throw new CustodiaError('TAMPERED', `The audit log is broken at entry ${afterSeq}`)
    let prevMac: Uint8Array = anchor?.mac ?? ZERO_MAC
    const entries: AuditEntry[] = []
    for (const [index, row] of rows.entries()) {
      const expectedSeq = afterSeq + index + 1
      if (row.seq !== expectedSeq || !this.checkEntry(row, prevMac))
        throw new CustodiaError('TAMPERED', `The audit log is broken at entry ${expectedSeq}`)
      entries.push(this.decryptEntry(row))
      prevMac = row.mac
    }
    if (!this.headMatches(rows[rows.length - 1] ?? anchor))
      throw new CustodiaError('TAMPERED', `The audit log is broken at entry ${afterSeq + rows.length + 1}`)
    return entries
  }

  /**
   * The entries that verify, in order, up to the first broken one (what an integrity report can still rely on), or the
   * first one under a content epoch the reader does not hold.
   */
  readIntactEntries(): AuditEntry[] {
    const entries: AuditEntry[] = []
    let prevMac: Uint8Array = ZERO_MAC
    for (const [index, row] of this.repo.listAuditEntries().entries()) {
      if (row.seq !== index + 1 || !this.checkEntry(row, prevMac) || this.keyOf(row) === null) break
      entries.push(this.decryptEntry(row))
      prevMac = row.mac
    }
    return entries
  }

  /**
   * Decrypts every entry in order. A broken chain → TAMPERED (run verify() for where); an entry under a content epoch the
   * reader does not hold yet → FORBIDDEN, in the words of a pending grant.
   */
  list(): AuditEntry[] {
    const result = this.verify()
    if (!result.ok) throw new CustodiaError('TAMPERED', `The audit log is broken at entry ${result.firstBrokenSeq}`)
    return this.repo.listAuditEntries().map((row) => this.decryptEntry(row))
  }
}
