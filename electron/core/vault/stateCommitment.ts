// Main process (Node only): the authenticated state of the whole vault. Records and attachments are sealed one by one,
// so a flipped byte is caught when it is read; this catches what per-item sealing cannot: a row deleted, rolled back
// to an older revision or swapped for another genuine row, an edited setting, a cut audit log.
//
// Construction (docs/CRYPTO.md, "State commitment"): every committed row (platform/db/committedRows.ts) is encoded,
// hashed without a key to 16 bytes (BLAKE2b-128 over area name + encoding), and that digest is encrypted with
// AES-256 under a vault subkey: a keyed pseudo-random value per row. Each area's accumulator is the XOR of its rows'
// values — a keyed set hash, so a change costs O(1): XOR out the old row, XOR in the new. The accumulators are stored
// in vault_meta with a keyed BLAKE2b MAC. Without the vault key nobody can compute a row's value or the MAC, so the
// only state that verifies is one Custodia wrote; the one exception no local design can catch is a complete older
// copy of the folder put back (CRYPTO.md says how sync peers and backups catch that).
//
// Why AES for the per-row PRF: a full check at unlock hashes every row (≈ 300,000 at 100k records). The unkeyed
// hashing needs no key, so it runs while Argon2id derives the key on another thread; the keyed step is then one
// AES-ECB call over all digests (AES-NI, milliseconds) instead of 300,000 keyed BLAKE2b calls (≈ 200 ms).

import { createCipheriv, timingSafeEqual } from 'node:crypto'
import type Database from 'better-sqlite3'
import { CustodiaError } from '../../../shared/errors'
import type { SodiumBackend } from '../platform/crypto/sodium'
import { buildAssociatedData } from '../platform/crypto/keys'
import {
  COMMITTED_AREAS,
  readStoredStateDigest,
  scanCommittedRows,
  type CommittedArea,
  type StoredStateDigest,
} from '../platform/db/committedRows'
import type { CommittedRowObserver, VaultRepository } from '../platform/db/vaultRepo'

/** Bytes of one row's digest and of one area's accumulator (one AES block). */
const BLOCK_BYTES = 16
const MAC_BYTES = 32
const DIGEST_BYTES = COMMITTED_AREAS.length * BLOCK_BYTES
const AREA_INDEX = new Map<CommittedArea, number>(COMMITTED_AREAS.map((area, index) => [area, index]))
const AREA_PREFIX = new Map<CommittedArea, Buffer>(COMMITTED_AREAS.map((area) => [area, Buffer.from(`${area}\0`)]))

/** Unkeyed digest of one committed row: BLAKE2b-128 over the area name and the row's encoding. */
function digestRow(sodium: SodiumBackend, area: CommittedArea, encoded: Buffer): Buffer {
  return sodium.generichash(BLOCK_BYTES, Buffer.concat([AREA_PREFIX.get(area)!, encoded]))
}

/** The unkeyed digests of every committed row, per area, concatenated: what a full check needs before the key. */
export type RowDigests = ReadonlyMap<CommittedArea, Buffer>

/** A full scan of `db`'s committed rows with the stored commitment read in the same snapshot. */
export interface StateScan {
  readonly digests: RowDigests
  readonly stored: StoredStateDigest
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
        const parts: Buffer[] = []
        scanCommittedRows(db, area, (encoded) => parts.push(digestRow(sodium, area, encoded)))
        digests.set(area, Buffer.concat(parts))
      }
      return { digests, stored: readStoredStateDigest(db) }
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

  /** XOR of AES-256(elementKey, digest) over every 16-byte digest in `digests`. */
  fold(digests: Buffer): Buffer {
    const result = Buffer.alloc(BLOCK_BYTES)
    if (digests.length === 0) return result
    // ECB is right here: each block is an independent digest, and we want AES as a PRF on each one.
    const cipher = createCipheriv('aes-256-ecb', this.elementKey, null).setAutoPadding(false)
    const values = cipher.update(digests)
    cipher.final()
    const words = new Uint32Array(values.buffer, values.byteOffset, values.length >>> 2)
    const acc = new Uint32Array(4)
    for (let i = 0; i < words.length; i += 4) {
      acc[0]! ^= words[i]!
      acc[1]! ^= words[i + 1]!
      acc[2]! ^= words[i + 2]!
      acc[3]! ^= words[i + 3]!
    }
    values.fill(0)
    Buffer.from(acc.buffer).copy(result)
    return result
  }

  /** The accumulators of every area from a full scan's digests. */
  accumulate(digests: RowDigests): Buffer {
    return Buffer.concat(COMMITTED_AREAS.map((area) => this.fold(digests.get(area) ?? Buffer.alloc(0))))
  }

  mac(digest: Buffer): Buffer {
    return this.sodium.generichash(MAC_BYTES, Buffer.concat([buildAssociatedData('state', this.vaultId), digest]), this.macKey)
  }

  /** True when `stored` holds accumulators of the right size under a MAC this vault's key made. */
  authentic(stored: StoredStateDigest): stored is { digest: Buffer; mac: Buffer } {
    if (!stored.digest || !stored.mac || stored.digest.length !== DIGEST_BYTES || stored.mac.length !== MAC_BYTES) return false
    return timingSafeEqual(this.mac(stored.digest), stored.mac)
  }

  /**
   * Compares a full scan with the commitment stored beside it. Not authentic (missing, or a MAC this vault's key did
   * not make): nothing stored can be trusted, so every area is listed.
   */
  check(scan: StateScan): StateCheck {
    if (!this.authentic(scan.stored)) return { authentic: false, areas: [...COMMITTED_AREAS] }
    const computed = this.accumulate(scan.digests)
    const stored = scan.stored.digest
    const areas = COMMITTED_AREAS.filter((_, index) => {
      const start = index * BLOCK_BYTES
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

  /** Refuses every write with TAMPERED(`message`) until seal() (the user accepted what is there). */
  refuseWrites(message: string): void {
    this.active = true
    this.refusal = message
  }

  rowsChanged(area: CommittedArea, removed: readonly Buffer[], added: readonly Buffer[]): void {
    if (!this.active) return
    if (this.refusal !== null) throw new CustodiaError('TAMPERED', this.refusal)
    const stored = readStoredStateDigest(this.repo.db)
    // Never re-MAC accumulators this vault did not write: that would launder an edit made outside Custodia.
    if (!this.keys.authentic(stored)) throw new CustodiaError('TAMPERED', 'The vault was changed outside Custodia while it was open')
    const digests = Buffer.concat([...removed, ...added].map((encoded) => digestRow(this.sodium, area, encoded)))
    const delta = this.keys.fold(digests)
    const digest = Buffer.from(stored.digest)
    const start = AREA_INDEX.get(area)! * BLOCK_BYTES
    for (let i = 0; i < BLOCK_BYTES; i++) digest[start + i]! ^= delta[i]!
    this.repo.writeStateDigest(digest, this.keys.mac(digest))
  }

  /** Computes the commitment from the rows as they are and stores it (creation, migration, the user's acceptance). */
  seal(): void {
    const digest = this.keys.accumulate(scanState(this.sodium, this.repo.db).digests)
    this.repo.writeStateDigest(digest, this.keys.mac(digest))
    this.activate()
  }
}
