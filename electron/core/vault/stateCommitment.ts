// Main process (Node only): the authenticated state of the whole vault. Records and attachments are sealed one by one,
// so a flipped byte is caught when it is read; this catches what per-item sealing cannot: a row deleted, rolled back
// to an older revision or swapped for another genuine row, an edited setting, a cut audit log.
//
// Construction (docs/CRYPTO.md section 10): every committed row (platform/db/committedRows.ts) has a canonical text,
// hashed without a key to 32 bytes (BLAKE2b-256), and each 16-byte half of that digest is encrypted with AES-256
// under a vault subkey: a keyed pseudo-random value per row. Each area's accumulator is the XOR of its rows' values —
// a keyed set hash, so a change costs O(rows changed): XOR out the old row, XOR in the new. The accumulators are
// stored in vault_meta with a keyed BLAKE2b MAC. Without the vault key nobody can compute a row's value or the MAC, so
// the only state that verifies is one Custodia wrote; the one exception no local design can catch is a complete older
// copy of the folder put back (CRYPTO.md says how sync peers and backups catch that).
//
// Why AES for the per-row PRF: a full check at unlock hashes every row (≈ 230,000 at 100k records). The unkeyed
// hashing needs no key, so it runs while Argon2id derives the key on another thread (a chunk of rows per hashing call:
// sodium.ts generichashLines); the keyed step is then AES-ECB over all digests under one cipher and an XOR fold
// (≈ 10–20 ms at 100k records) instead of a keyed BLAKE2b call per row after the derivation.

import { createCipheriv, timingSafeEqual } from 'node:crypto'
import type Database from 'better-sqlite3'
import { CustodiaError } from '../../../shared/errors'
import type { SodiumBackend } from '../platform/crypto/sodium'
import { buildAssociatedData } from '../platform/crypto/keys'
import {
  auditSeqsContiguous,
  COMMITTED_AREAS,
  hasCommittedTable,
  ITEM_KEYS_COMMITTED_AREA_COUNT,
  LEGACY_COMMITTED_AREA_COUNT,
  MEMBERS_COMMITTED_AREA_COUNT,
  readStoredStateDigest,
  scanCommittedRows,
  type CommittedArea,
  type StoredStateDigest,
} from '../platform/db/committedRows'
import type { CommittedRowObserver, VaultRepository } from '../platform/db/vaultRepo'
import type { FileDigest, StoredSeal } from './fileSeal'

/**
 * Bytes of one row's digest and of one area's accumulator: two AES blocks, folded lane by lane, so forging a row
 * that cancels out needs a full 256-bit BLAKE2b collision, not a 128-bit one.
 */
const BLOCK_BYTES = 32
const MAC_BYTES = 32
const DIGEST_BYTES = COMMITTED_AREAS.length * BLOCK_BYTES
/**
 * A commitment sealed before schema 4 (members) or 5 (item keys) holds fewer accumulators; the unlock that migrates
 * extends it.
 */
const LEGACY_DIGEST_SIZES = [
  LEGACY_COMMITTED_AREA_COUNT * BLOCK_BYTES,
  MEMBERS_COMMITTED_AREA_COUNT * BLOCK_BYTES,
  ITEM_KEYS_COMMITTED_AREA_COUNT * BLOCK_BYTES,
]
const AREA_INDEX = new Map<CommittedArea, number>(COMMITTED_AREAS.map((area, index) => [area, index]))

/**
 * Unkeyed digest of one committed row: BLAKE2b-256 over its canonical text. No area name in it: each area has its
 * own accumulator, and the areas' texts have different shapes anyway.
 */
function digestRow(sodium: SodiumBackend, encoded: Buffer): Buffer {
  return sodium.generichash(BLOCK_BYTES, encoded)
}

/**
 * The XOR of every 32-byte block of `values` (a whole number of blocks). Eight 32-bit lanes in local variables: at
 * 300,000 rows this runs after the key is derived, on the unlock's critical path.
 */
function foldBlocks(values: Buffer): Buffer {
  // A Uint32Array view needs 4-byte alignment; Node's buffers have it, a copy covers any that would not.
  const aligned = values.byteOffset % 4 === 0 ? values : Buffer.from(values)
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2)
  let a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0
  for (let w = 0; w < words.length; w += 8) {
    a0 ^= words[w]!
    a1 ^= words[w + 1]!
    a2 ^= words[w + 2]!
    a3 ^= words[w + 3]!
    a4 ^= words[w + 4]!
    a5 ^= words[w + 5]!
    a6 ^= words[w + 6]!
    a7 ^= words[w + 7]!
  }
  if (aligned !== values) aligned.fill(0)
  return Buffer.from(new Uint32Array([a0, a1, a2, a3, a4, a5, a6, a7]).buffer)
}

/** The unkeyed digests of every committed row, per area, concatenated: what a full check needs before the key. */
export type RowDigests = ReadonlyMap<CommittedArea, Buffer>

/** A full scan of `db`'s committed rows with the stored commitment read in the same snapshot. */
export interface StateScan {
  readonly digests: RowDigests
  readonly stored: StoredStateDigest
  /** False when the audit log's seqs have a gap: its committed length then says nothing, so that area fails. */
  readonly auditContiguous: boolean
}

/**
 * Reads every committed row and the stored commitment in one read transaction (a consistent snapshot even while
 * another process writes). Needs no key: the unlock runs it while Argon2id derives one.
 */
export function scanState(sodium: SodiumBackend, db: Database.Database): StateScan {
  return db
    .transaction(() => {
      const digests = new Map<CommittedArea, Buffer>()
      for (const area of COMMITTED_AREAS) {
        // A snapshot of an older schema has no table for the newer areas: they are empty.
        if (area === 'members' || area === 'invitations' || area === 'itemKeys' || area === 'memberKeys' || area === 'areaKeys') {
          if (!hasCommittedTable(db, area)) {
            digests.set(area, Buffer.alloc(0))
            continue
          }
        }
        // Small areas row by row, into one growing buffer; big ones a chunk of rows per call (generichashLines).
        let out = Buffer.alloc(64 * BLOCK_BYTES)
        let count = 0
        const chunks: Buffer[] = []
        scanCommittedRows(
          db,
          area,
          (encoded) => {
            if ((count + 1) * BLOCK_BYTES > out.length) out = Buffer.concat([out, Buffer.alloc(out.length)])
            sodium.generichashInto(out.subarray(count * BLOCK_BYTES, (count + 1) * BLOCK_BYTES), encoded)
            count++
          },
          (lines) => chunks.push(sodium.generichashLines(lines)),
        )
        chunks.push(out.subarray(0, count * BLOCK_BYTES))
        digests.set(area, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
      }
      return { digests, stored: readStoredStateDigest(db), auditContiguous: auditSeqsContiguous(db) }
    })
    .deferred()
}

/** The keyed half of the commitment, with the two subkeys it needs (borrowed from the vault; zeroed at lock). */
export class StateKeys {
  constructor(
    private readonly sodium: SodiumBackend,
    private readonly elementKey: Buffer,
    private readonly macKey: Buffer,
    private readonly vaultId: string,
  ) {}

  /**
   * For each list of 32-byte digests, the XOR of AES-256(elementKey, digest) over it (each half one AES block). One
   * cipher for all of them: setting it up costs more than encrypting a save's few rows. ECB encrypts each block on its
   * own, so feeding the lists one after another gives each the values it would get alone.
   */
  foldEach(lists: readonly Buffer[]): Buffer[] {
    // ECB is right here: each block is an independent digest, and we want AES as a PRF on each one.
    const cipher = createCipheriv('aes-256-ecb', this.elementKey, null).setAutoPadding(false)
    return lists.map((list) => {
      if (list.length === 0) return Buffer.alloc(BLOCK_BYTES)
      const values = cipher.update(list)
      const folded = foldBlocks(values)
      values.fill(0)
      return folded
    })
  }

  /** The accumulators of every area from a full scan's digests. */
  accumulate(digests: RowDigests): Buffer {
    return Buffer.concat(this.foldEach(COMMITTED_AREAS.map((area) => digests.get(area) ?? Buffer.alloc(0))))
  }

  mac(digest: Buffer): Buffer {
    return this.sodium.generichash(MAC_BYTES, Buffer.concat([buildAssociatedData('state', this.vaultId), digest]), this.macKey)
  }

  /** The MAC a clean lock stores over the database file's size and hash (fileSeal.ts); its own purpose in the AD. */
  fileMac(file: FileDigest): Buffer {
    return this.sodium.generichash(
      MAC_BYTES,
      Buffer.concat([buildAssociatedData('state.file', this.vaultId, file.size), file.digest]),
      this.macKey,
    )
  }

  /** True when `seal` was made by this vault's key over exactly this file (size and hash). */
  sealMatches(seal: StoredSeal, file: FileDigest): boolean {
    return seal.size === file.size && seal.mac.length === MAC_BYTES && timingSafeEqual(this.fileMac(file), seal.mac)
  }

  /**
   * A copy of what sealing needs, to use after the database is closed and the vault's keys are zeroed (the file is
   * final only then). The caller disposes it.
   */
  copyForSeal(): { fileMac(file: FileDigest): Buffer; dispose(): void } {
    const macKey = this.sodium.allocKey(this.macKey.length)
    macKey.set(this.macKey)
    const copy = new StateKeys(this.sodium, Buffer.alloc(0), macKey, this.vaultId)
    return { fileMac: (file) => copy.fileMac(file), dispose: () => this.sodium.memzero(macKey) }
  }

  /**
   * True when `stored` holds accumulators of the right size (this schema's, or, with `legacy`, those of a vault sealed
   * before schema 4 or 5) under a MAC this vault's key made.
   */
  authentic(stored: StoredStateDigest, legacy: 'legacy' | 'current' = 'current'): stored is { digest: Buffer; mac: Buffer } {
    const sizes = legacy === 'legacy' ? [DIGEST_BYTES, ...LEGACY_DIGEST_SIZES] : [DIGEST_BYTES]
    if (!stored.digest || !stored.mac || !sizes.includes(stored.digest.length) || stored.mac.length !== MAC_BYTES) return false
    return timingSafeEqual(this.mac(stored.digest), stored.mac)
  }

  /**
   * Compares a full scan with the commitment stored beside it. Not authentic (missing, or a MAC this vault's key did
   * not make): nothing stored can be trusted, so every area is listed.
   */
  check(scan: StateScan): StateCheck {
    if (!this.authentic(scan.stored, 'legacy')) return { authentic: false, areas: [...COMMITTED_AREAS] }
    const computed = this.accumulate(scan.digests)
    const stored = scan.stored.digest
    const areas = COMMITTED_AREAS.filter((area, index) => {
      if (area === 'audit' && !scan.auditContiguous) return true
      const start = index * BLOCK_BYTES
      // Sealed before these areas existed: they must still be empty.
      if (start >= stored.length) return (scan.digests.get(area)?.length ?? 0) > 0
      return !timingSafeEqual(computed.subarray(start, start + BLOCK_BYTES), stored.subarray(start, start + BLOCK_BYTES))
    })
    return { authentic: true, areas }
  }
}

/** Result of StateKeys.check: whether the stored commitment is this vault's own, and which areas differ from it. */
export interface StateCheck {
  readonly authentic: boolean
  readonly areas: readonly CommittedArea[]
}

/**
 * Keeps the stored commitment in step with every write (the repository reports each changed committed row inside the
 * write's transaction). Inactive until the vault's state was checked or sealed; refuses every write while a
 * reported problem waits for the user's decision, so a tampered state is never silently made the new normal.
 */
export class StateCommitment implements CommittedRowObserver {
  private active = false
  private refusal: string | null = null
  /**
   * Digests of rows changed but not yet written into the stored commitment, one frame per open transaction level:
   * a level that rolls back drops its frame, one that commits hands it to its parent, and the outermost writes it
   * once — one read, one AES call per area and one MAC per transaction, however many rows it changed.
   */
  private readonly frames: Map<CommittedArea, Buffer[]>[] = []

  constructor(
    private readonly repo: VaultRepository,
    private readonly sodium: SodiumBackend,
    readonly keys: StateKeys,
  ) {
    repo.setCommittedRowObserver(this)
  }

  /** Follows every write from now on. */
  activate(): void {
    this.active = true
    this.refusal = null
  }

  /**
   * True when a lock may seal the database file (fileSeal.ts): the state was checked or sealed at this unlock and
   * every write since followed it. Never while a reported problem waits for the user: sealing then would let the next
   * unlock skip the check of a vault changed outside Custodia.
   */
  get mayBeSealed(): boolean {
    return this.active && this.refusal === null
  }

  /** Refuses every write with TAMPERED(`message`) until seal() (the user accepted what is there). */
  refuseWrites(message: string): void {
    this.active = true
    this.refusal = message
  }

  rowsChanged(area: CommittedArea, removed: readonly Buffer[], added: readonly Buffer[]): void {
    if (!this.active) return
    if (this.refusal !== null) throw new CustodiaError('TAMPERED', this.refusal)
    // XOR is its own inverse: a removed row and an added row are folded alike, and a row left unchanged cancels out.
    const digests = [...removed, ...added].map((encoded) => digestRow(this.sodium, encoded))
    const frame = this.frames.at(-1)
    if (!frame) {
      this.write(new Map([[area, digests]]))
      return
    }
    const pending = frame.get(area)
    if (pending) pending.push(...digests)
    else frame.set(area, digests)
  }

  transactionStarted(): void {
    this.frames.push(new Map())
  }

  transactionEnded(committed: boolean): void {
    const frame = this.frames.pop()
    if (!frame || !committed || frame.size === 0) return
    const parent = this.frames.at(-1)
    if (!parent) {
      if (this.active) this.write(frame)
      return
    }
    for (const [area, digests] of frame) {
      const pending = parent.get(area)
      if (pending) pending.push(...digests)
      else parent.set(area, digests)
    }
  }

  private write(changes: ReadonlyMap<CommittedArea, Buffer[]>): void {
    const stored = this.repo.readStateDigest()
    // Never re-MAC accumulators this vault did not write: that would launder an edit made outside Custodia.
    if (!this.keys.authentic(stored)) throw new CustodiaError('TAMPERED', 'The vault was changed outside Custodia while it was open')
    const digest = Buffer.from(stored.digest)
    const areas = [...changes.keys()]
    const deltas = this.keys.foldEach(areas.map((area) => Buffer.concat(changes.get(area)!)))
    areas.forEach((area, index) => {
      const start = AREA_INDEX.get(area)! * BLOCK_BYTES
      for (let i = 0; i < BLOCK_BYTES; i++) digest[start + i]! ^= deltas[index]![i]!
    })
    this.repo.writeStateDigest(digest, this.keys.mac(digest))
  }

  /**
   * The unlock that migrates a vault sealed before schema 4 or 5 appends the new areas' accumulators (empty areas:
   * zeros) and re-MACs, inside the migration's transaction. Only an authentic commitment is extended: anything else is
   * left for the check to report, never laundered.
   */
  extendLegacy(): void {
    const stored = this.repo.readStateDigest()
    if (!stored.digest || !LEGACY_DIGEST_SIZES.includes(stored.digest.length) || !this.keys.authentic(stored, 'legacy')) return
    const digest = Buffer.concat([stored.digest, Buffer.alloc(DIGEST_BYTES - stored.digest.length)])
    this.repo.writeStateDigest(digest, this.keys.mac(digest))
  }

  /** Computes the commitment from the rows as they are and stores it (creation, migration, the user's acceptance). */
  seal(): void {
    // Changes already made in the open transaction are in the rows the scan reads: their pending digests must go.
    for (const frame of this.frames) frame.clear()
    const digest = this.keys.accumulate(scanState(this.sodium, this.repo.db).digests)
    this.repo.writeStateDigest(digest, this.keys.mac(digest))
    this.activate()
  }
}
