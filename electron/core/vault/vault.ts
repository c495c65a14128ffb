// Main process (Node only): the encrypted vault service — create/open/unlock, records with revisions, attachments,
// keyslots, settings and the audit chain. It combines db/ (ciphertext rows) with crypto/ (keys, envelopes, streams).
// See docs/CRYPTO.md for the formats and the threat model.

import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'
import { createHash, timingSafeEqual } from 'node:crypto'
import type Database from 'better-sqlite3'
import { CustodiaError } from '../../../shared/errors'
import { loadSodium, PWHASH_SALT_BYTES, type SodiumBackend } from '../platform/crypto/sodium'
import {
  buildAssociatedData,
  buildKeyslotAd,
  derivePassphraseKek,
  deriveRecoveryKek,
  deriveSubkeys,
  encodeRecoveryKey,
  KEY_BYTES,
  normalizePassphrase,
  parseRecoveryKey,
  unwrapVaultKey,
  wrapVaultKey,
  type KdfParams,
  type Subkeys,
} from '../platform/crypto/keys'
import { buildAttachmentMetaAd, buildRecordAd, computeKindTag, openJson, sealJson, type RecordPart } from '../platform/crypto/records'
import {
  ATTACHMENT_CHUNK_BYTES,
  BLOB_FORMAT_VERSION,
  createFileFiller,
  createIterableFiller,
  decryptBlob,
  encryptToBlob,
  openDetachedBlob,
  type DecryptBlobOptions,
  type DetachedBlobChunk,
  type FillFunction,
} from '../platform/crypto/streams'
import { openDatabase, openSnapshot } from '../platform/db/connection'
import { migrateDatabase, readSchemaVersion, SCHEMA_VERSION } from '../platform/db/migrations'
import { readKeyslots, readMeta, VaultRepository, type KeyslotRow, type RecordRow, type RevisionRow } from '../platform/db/vaultRepo'
import { AuditChain, type AuditDetails, type AuditEntry, type AuditVerifyResult } from './auditChain'
import { noteUnlockFailure, restoreUnlockFailures, takeUnlockFailures } from './unlockFailures'

export type { KdfParams } from '../platform/crypto/keys'
export type { AuditEntry, AuditVerifyResult, AuditDetails } from './auditChain'
export { noteUnlockFailure, countUnlockFailures } from './unlockFailures'

/** Envelope/AD format version written by this build; a vault with a higher one → UNSUPPORTED. */
export const FORMAT_VERSION = 1

const MiB = 1024 * 1024
/** Argon2id defaults for new passphrase keyslots: 256 MiB, 3 passes. */
export const DEFAULT_KDF: KdfParams = Object.freeze({ opslimit: 3, memlimit: 256 * MiB })
/** The weakest parameters accepted when creating a keyslot (VALIDATION below). */
export const MIN_KDF: KdfParams = Object.freeze({ opslimit: 3, memlimit: 64 * MiB })
/** The strongest parameters a stored keyslot may ask for; above → UNSUPPORTED before any derivation (anti-DoS). */
export const MAX_KDF: KdfParams = Object.freeze({ opslimit: 20, memlimit: 4096 * MiB })

/** Lower-case name of a record kind, /^[a-z][a-z0-9-]{1,31}$/ (e.g. 'note', 'letter', 'dossier'). */
export type RecordKind = string
export const RECORD_KIND_PATTERN = /^[a-z][a-z0-9-]{1,31}$/
/** Record, attachment, keyslot and vault ids: 32 lower-case hex characters (128 random bits). */
export const ID_PATTERN = /^[0-9a-f]{32}$/
/** readAttachment refuses attachments larger than this (use exportAttachment). */
export const MAX_READ_ATTACHMENT_BYTES = 64 * MiB
/** Serialised size limits (UTF-8 JSON bytes). */
export const MAX_SUMMARY_BYTES = 64 * 1024
export const MAX_BODY_BYTES = 64 * MiB

export interface VaultOptions {
  /** Crypto backend; default: loadSodium('native'). */
  sodium?: SodiumBackend
  /** KDF for the passphrase keyslot (createVault only); default DEFAULT_KDF. */
  kdf?: KdfParams
}

export interface RecordRef {
  id: string
  kind: RecordKind
  revision: number
  changeSeq: number
}
export interface StoredRecord<B = unknown, S = Record<string, unknown>> extends RecordRef {
  summary: S
  body: B
  /** ISO 8601 UTC: when revision 1 was saved. */
  createdAt: string
  /** ISO 8601 UTC: when this revision was saved. */
  savedAt: string
  author: string
}
export interface RevisionInfo {
  revision: number
  savedAt: string
  author: string
  summary: Record<string, unknown>
}
export interface AttachmentInfo {
  id: string
  recordId: string
  filename: string
  mediaType: string
  /** Plaintext size in bytes. */
  size: number
  addedAt: string
}
export interface RecordContent {
  summary: Record<string, unknown>
  body: unknown
}
export interface AttachmentMeta {
  filename: string
  mediaType: string
}
export interface VaultInspection {
  vaultId: string
  formatVersion: number
  schemaVersion: number
  keyslots: { id: string; kind: 'passphrase' | 'recovery'; kdf?: KdfParams }[]
}

const DB_FILE = 'vault.sqlite'
const BLOBS_DIR = 'blobs'
const TMP_DIR = 'tmp'
const DIR_MODE = 0o700
const FILE_MODE = 0o600

// What lives inside the encrypted summary envelope of every revision (the kind and times never appear in clear).
interface SummaryEnvelope {
  v: 1
  kind: string
  summary: Record<string, unknown>
  createdAt: string
  savedAt: string
  author: string
}
interface BodyEnvelope {
  v: 1
  body: unknown
}
interface AttachmentEnvelope {
  v: 1
  filename: string
  mediaType: string
  size: number
  addedAt: string
  /** SHA-256 (64 lower-case hex) of the plaintext, computed while encrypting; absent in attachments added before it existed. */
  sha256?: string
}

// --- validation helpers ------------------------------------------------------------------------------------------

function createRandomId(sodium: SodiumBackend): string {
  return sodium.randomBytes(16).toString('hex')
}

function validateId(id: unknown, what: string): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) throw new CustodiaError('VALIDATION', `The ${what} id must be 32 lower-case hex characters`)
}

function validateKind(kind: unknown): asserts kind is string {
  if (typeof kind !== 'string' || !RECORD_KIND_PATTERN.test(kind)) {
    throw new CustodiaError('VALIDATION', 'The record kind must be 2-32 lower-case letters, digits or hyphens, starting with a letter')
  }
}

function validateContent(content: unknown): asserts content is RecordContent {
  if (typeof content !== 'object' || content === null) throw new CustodiaError('VALIDATION', 'The record content must be an object')
  const { summary, body } = content as Partial<RecordContent>
  if (typeof summary !== 'object' || summary === null || Array.isArray(summary)) {
    throw new CustodiaError('VALIDATION', 'The record summary must be a plain object')
  }
  let summaryJson: string | undefined
  let bodyJson: string | undefined
  try {
    summaryJson = JSON.stringify(summary)
    bodyJson = JSON.stringify(body)
  } catch {
    throw new CustodiaError('VALIDATION', 'The record content cannot be represented as JSON')
  }
  if (bodyJson === undefined) throw new CustodiaError('VALIDATION', 'The record body is missing or not representable as JSON')
  if (Buffer.byteLength(summaryJson, 'utf8') > MAX_SUMMARY_BYTES) throw new CustodiaError('VALIDATION', 'The record summary is larger than 64 KiB')
  if (Buffer.byteLength(bodyJson, 'utf8') > MAX_BODY_BYTES) throw new CustodiaError('VALIDATION', 'The record body is larger than 64 MiB')
}

function validateAuthor(author: unknown): string {
  if (author === undefined) return ''
  if (typeof author !== 'string' || author.length > 200) throw new CustodiaError('VALIDATION', 'The author must be text of at most 200 characters')
  return author
}

function validateRevision(revision: unknown): asserts revision is number {
  if (!Number.isSafeInteger(revision) || (revision as number) < 1) throw new CustodiaError('VALIDATION', 'The revision must be a positive integer')
}

function validateAttachmentMeta(meta: unknown): asserts meta is AttachmentMeta {
  const m = meta as Partial<AttachmentMeta> | null
  if (typeof m?.filename !== 'string' || m.filename.length === 0 || m.filename.length > 255 || /[\u0000-\u001f/\\]/.test(m.filename)) {
    throw new CustodiaError('VALIDATION', 'The attachment filename must be 1-255 characters without slashes or control characters')
  }
  if (typeof m.mediaType !== 'string' || m.mediaType.length > 127 || !/^[A-Za-z0-9][\w.+-]*\/[A-Za-z0-9][\w.+-]*$/.test(m.mediaType)) {
    throw new CustodiaError('VALIDATION', 'The attachment media type must look like "type/subtype"')
  }
}

export function validateKdfForCreate(kdf: unknown): KdfParams {
  const k = kdf as Partial<KdfParams> | null
  if (!Number.isSafeInteger(k?.opslimit) || !Number.isSafeInteger(k?.memlimit)) {
    throw new CustodiaError('VALIDATION', 'KDF parameters must be integers')
  }
  const { opslimit, memlimit } = k as KdfParams
  if (opslimit < MIN_KDF.opslimit || memlimit < MIN_KDF.memlimit) {
    throw new CustodiaError('VALIDATION', 'KDF parameters are too weak: at least 64 MiB and 3 passes are required')
  }
  if (opslimit > MAX_KDF.opslimit || memlimit > MAX_KDF.memlimit) {
    throw new CustodiaError('VALIDATION', 'KDF parameters are too large: at most 4 GiB and 20 passes')
  }
  return { opslimit, memlimit }
}

/** Checks a stored passphrase keyslot before deriving anything: over the caps → UNSUPPORTED; malformed → CORRUPT. */
function checkStoredKeyslot(slot: KeyslotRow): KdfParams {
  const { opslimit, memlimit, salt } = slot
  if (!Number.isSafeInteger(opslimit) || !Number.isSafeInteger(memlimit) || !Buffer.isBuffer(salt) || salt.length !== PWHASH_SALT_BYTES) {
    throw new CustodiaError('CORRUPT', 'A passphrase keyslot is malformed')
  }
  if ((opslimit as number) > MAX_KDF.opslimit || (memlimit as number) > MAX_KDF.memlimit) {
    throw new CustodiaError('UNSUPPORTED', 'A keyslot asks for key-derivation work beyond the accepted limits')
  }
  // Below libsodium's own minimums the derivation cannot run at all: the slot cannot be genuine.
  if ((opslimit as number) < 1 || (memlimit as number) < 8192) throw new CustodiaError('CORRUPT', 'A passphrase keyslot is malformed')
  return { opslimit: opslimit as number, memlimit: memlimit as number }
}

function isErrno(err: unknown, ...codes: string[]): boolean {
  return typeof (err as NodeJS.ErrnoException)?.code === 'string' && codes.includes((err as NodeJS.ErrnoException).code!)
}

/** fsyncs a directory so a rename or create in it is durable (not supported on Windows: skipped there). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await fsp.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

// --- opening -------------------------------------------------------------------------------------------------------

interface VaultSnapshot {
  vaultId: string
  formatVersion: number
  schemaVersion: number
  keyslots: KeyslotRow[]
}

/** Reads identity and keyslots without writing anything. NOT_A_VAULT | CORRUPT | UNSUPPORTED. */
function readVaultSnapshot(dir: string): VaultSnapshot {
  let stat: fs.Stats
  try {
    stat = fs.statSync(dir)
  } catch {
    throw new CustodiaError('NOT_A_VAULT', 'The folder does not exist')
  }
  if (!stat.isDirectory()) throw new CustodiaError('NOT_A_VAULT', 'The path is not a folder')
  const dbFile = path.join(dir, DB_FILE)
  if (!fs.existsSync(dbFile)) throw new CustodiaError('NOT_A_VAULT', 'The folder holds no Custodia vault')
  const snapshot = openSnapshot(dbFile)
  try {
    const schemaVersion = readSchemaVersion(snapshot.db)
    if (schemaVersion > SCHEMA_VERSION) throw new CustodiaError('UNSUPPORTED', 'This vault was written by a newer version of Custodia')
    const meta = readMeta(snapshot.db)
    if (meta.format_version > FORMAT_VERSION) throw new CustodiaError('UNSUPPORTED', 'This vault uses a newer format version')
    if (meta.format_version < 1) throw new CustodiaError('CORRUPT', 'The vault format version is invalid')
    const keyslots = readKeyslots(snapshot.db)
    if (keyslots.length === 0) throw new CustodiaError('CORRUPT', 'The vault has no keyslots')
    return { vaultId: meta.vault_id, formatVersion: meta.format_version, schemaVersion, keyslots }
  } finally {
    snapshot.close()
  }
}

/**
 * Describes a vault without unlocking it and without writing anything: what is visible in clear on disk.
 * NOT_A_VAULT | CORRUPT | UNSUPPORTED.
 */
export function inspectVault(dir: string): VaultInspection {
  const snap = readVaultSnapshot(dir)
  return {
    vaultId: snap.vaultId,
    formatVersion: snap.formatVersion,
    schemaVersion: snap.schemaVersion,
    keyslots: snap.keyslots.map((slot) =>
      slot.kind === 'passphrase'
        ? { id: slot.id, kind: slot.kind, kdf: { opslimit: slot.opslimit ?? 0, memlimit: slot.memlimit ?? 0 } }
        : { id: slot.id, kind: slot.kind },
    ),
  }
}

/**
 * Creates a vault in `dir` (must not exist, or be an empty folder; else CONFLICT) with one passphrase keyslot and one
 * recovery keyslot. Returns the unlocked vault and the recovery key (14 groups of 4 Crockford base32 characters) to
 * show the user once; it is not stored anywhere. Weak/huge KDF → VALIDATION; empty passphrase → VALIDATION.
 */
export async function createVault(dir: string, passphrase: Uint8Array, opts: VaultOptions = {}): Promise<{ vault: Vault; recoveryKey: string }> {
  const kdf = validateKdfForCreate(opts.kdf ?? DEFAULT_KDF)
  const normalized = normalizePassphrase(passphrase)
  const sodium = opts.sodium ?? (await loadSodium())
  const root = path.resolve(dir)
  let createdRoot = false
  try {
    const entries = fs.readdirSync(root)
    if (entries.length > 0) throw new CustodiaError('CONFLICT', 'The folder for a new vault must be empty')
  } catch (err) {
    if (err instanceof CustodiaError) throw err
    if (isErrno(err, 'ENOTDIR')) throw new CustodiaError('CONFLICT', 'A file exists where the vault folder should be')
    if (!isErrno(err, 'ENOENT')) throw err
    createdRoot = true
  }

  const vaultId = createRandomId(sodium)
  const passphraseSlotId = createRandomId(sodium)
  const recoverySlotId = createRandomId(sodium)
  const vaultKey = sodium.allocKey(KEY_BYTES)
  vaultKey.set(sodium.randomBytes(KEY_BYTES))
  const recoveryBytes = sodium.randomBytes(KEY_BYTES)
  const salt = sodium.randomBytes(PWHASH_SALT_BYTES)
  let passphraseKek: Buffer | undefined
  let recoveryKek: Buffer | undefined
  let db: Database.Database | undefined
  let vault: Vault | undefined
  try {
    // Derive before touching the disk so a failure leaves nothing behind.
    passphraseKek = await derivePassphraseKek(sodium, normalized, salt, kdf)
    recoveryKek = deriveRecoveryKek(sodium, recoveryBytes, vaultId, recoverySlotId)
    const pass = wrapVaultKey(sodium, vaultKey, passphraseKek, buildKeyslotAd(vaultId, passphraseSlotId, 'passphrase', FORMAT_VERSION, kdf))
    const recov = wrapVaultKey(sodium, vaultKey, recoveryKek, buildKeyslotAd(vaultId, recoverySlotId, 'recovery', FORMAT_VERSION))

    fs.mkdirSync(root, { recursive: true, mode: DIR_MODE })
    fs.chmodSync(root, DIR_MODE)
    fs.mkdirSync(path.join(root, BLOBS_DIR), { mode: DIR_MODE })
    fs.mkdirSync(path.join(root, TMP_DIR), { mode: DIR_MODE })
    db = openDatabase(path.join(root, DB_FILE), { create: true })
    migrateDatabase(db)
    const repo = new VaultRepository(db)
    vault = new Vault(root, db, repo, sodium, vaultId, FORMAT_VERSION, vaultKey)
    const created = vault
    repo.runInTransaction(() => {
      repo.insertMeta(vaultId, FORMAT_VERSION)
      repo.insertKeyslot({ id: passphraseSlotId, kind: 'passphrase', salt, opslimit: kdf.opslimit, memlimit: kdf.memlimit, nonce: pass.nonce, wrapped_key: pass.wrapped })
      repo.insertKeyslot({ id: recoverySlotId, kind: 'recovery', salt: null, opslimit: null, memlimit: null, nonce: recov.nonce, wrapped_key: recov.wrapped })
      created.audit.append('vault.created', { keyslots: 2 })
    })
    await syncDirectory(root)
    return { vault: created, recoveryKey: encodeRecoveryKey(recoveryBytes) }
  } catch (err) {
    db?.close()
    for (const key of vault?.__keyBuffersForTest() ?? [vaultKey]) sodium.memzero(key)
    // Remove only what this call created.
    if (createdRoot) fs.rmSync(root, { recursive: true, force: true })
    else for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) fs.rmSync(path.join(root, name), { recursive: true, force: true })
    throw err
  } finally {
    sodium.memzero(normalized)
    sodium.memzero(recoveryBytes)
    if (passphraseKek) sodium.memzero(passphraseKek)
    if (recoveryKek) sodium.memzero(recoveryKek)
  }
}

/**
 * Unlocks a vault with its passphrase. Checks, in order and before any derivation: folder/file present
 * (NOT_A_VAULT), readable structure (CORRUPT), schema/format/KDF caps (UNSUPPORTED). Then tries each passphrase
 * keyslot; none opening → WRONG_PASSPHRASE (counted in memory by noteUnlockFailure; no file is touched).
 * On success: migrates the schema forward, removes orphan blobs and temp files, writes pending unlock failures and
 * `vault.unlocked` to the audit log.
 */
export async function openVault(dir: string, passphrase: Uint8Array, opts: VaultOptions = {}): Promise<Vault> {
  const normalized = normalizePassphrase(passphrase)
  try {
    const root = path.resolve(dir)
    const snap = readVaultSnapshot(root)
    const slots = snap.keyslots.filter((slot) => slot.kind === 'passphrase')
    const params = slots.map(checkStoredKeyslot)
    const sodium = opts.sodium ?? (await loadSodium())
    for (const [index, slot] of slots.entries()) {
      const kdf = params[index]!
      const kek = await derivePassphraseKek(sodium, normalized, slot.salt!, kdf)
      try {
        const key = unwrapVaultKey(sodium, slot.wrapped_key, slot.nonce, kek, buildKeyslotAd(snap.vaultId, slot.id, 'passphrase', snap.formatVersion, kdf))
        if (key) return await finishUnlock(root, snap, sodium, key, slot.id, 'passphrase')
      } finally {
        sodium.memzero(kek)
      }
    }
    noteUnlockFailure(root, 'passphrase')
    throw new CustodiaError('WRONG_PASSPHRASE', 'The passphrase is wrong')
  } finally {
    normalized.fill(0)
  }
}

/**
 * Unlocks a vault with its recovery key (format errors and typos → VALIDATION before anything is read). No slow KDF:
 * the recovery key holds 256 random bits. Wrong key → WRONG_PASSPHRASE (counted like a wrong passphrase).
 */
export async function openVaultWithRecoveryKey(dir: string, recoveryKey: string, opts: VaultOptions = {}): Promise<Vault> {
  const recoveryBytes = parseRecoveryKey(recoveryKey)
  try {
    const root = path.resolve(dir)
    const snap = readVaultSnapshot(root)
    const sodium = opts.sodium ?? (await loadSodium())
    for (const slot of snap.keyslots.filter((s) => s.kind === 'recovery')) {
      const kek = deriveRecoveryKek(sodium, recoveryBytes, snap.vaultId, slot.id)
      try {
        const key = unwrapVaultKey(sodium, slot.wrapped_key, slot.nonce, kek, buildKeyslotAd(snap.vaultId, slot.id, 'recovery', snap.formatVersion))
        if (key) return await finishUnlock(root, snap, sodium, key, slot.id, 'recovery')
      } finally {
        sodium.memzero(kek)
      }
    }
    noteUnlockFailure(root, 'recovery')
    throw new CustodiaError('WRONG_PASSPHRASE', 'The recovery key does not open this vault')
  } finally {
    recoveryBytes.fill(0)
  }
}

async function finishUnlock(root: string, snap: VaultSnapshot, sodium: SodiumBackend, vaultKey: Buffer, keyslotId: string, method: 'passphrase' | 'recovery'): Promise<Vault> {
  let db: Database.Database | undefined
  let vault: Vault | undefined
  try {
    db = openDatabase(path.join(root, DB_FILE))
    migrateDatabase(db)
    const meta = readMeta(db)
    if (meta.vault_id !== snap.vaultId) throw new CustodiaError('CORRUPT', 'The vault changed while it was being opened')
    const repo = new VaultRepository(db)
    const opened = new Vault(root, db, repo, sodium, meta.vault_id, meta.format_version, vaultKey)
    vault = opened
    await opened.removeLeftovers()
    const pending = takeUnlockFailures(root)
    try {
      repo.runInTransaction(() => {
        for (const failure of pending.failures) opened.appendAuditAt('vault.unlock_failed', { method: failure.method }, failure.at)
        if (pending.omitted > 0) opened.audit.append('vault.unlock_failed', { method: 'unknown', count: pending.omitted })
        opened.audit.append('vault.unlocked', { keyslotId, method })
      })
    } catch (err) {
      restoreUnlockFailures(root, pending)
      throw err
    }
    return opened
  } catch (err) {
    db?.close()
    for (const key of vault?.__keyBuffersForTest() ?? [vaultKey]) sodium.memzero(key)
    throw err
  }
}

// --- the vault -------------------------------------------------------------------------------------------------------

/**
 * An unlocked vault. Obtain one from createVault/openVault/openVaultWithRecoveryKey (the constructor is internal).
 * After lock() every method throws CustodiaError('VAULT_LOCKED').
 */
export class Vault {
  private isLocked = false
  /** Depth of vault.transaction() calls in progress (0 = none). */
  private transactionDepth = 0
  /** Set when an attachment was attempted inside vault.transaction(): the transaction then fails with VALIDATION. */
  private attachmentInTransaction = false
  /** Blob files of records deleted inside vault.transaction(), removed once the outermost one commits. */
  private pendingBlobRemovals: string[] = []
  private readonly subkeys: Subkeys
  private readonly chain: AuditChain

  /**
   * The audit chain. append(type, details): type is a lower-case dotted name (e.g. 'bundle.exported'), details hold
   * ids/counts/flags only; it joins the caller's transaction when called inside one. verify() never throws on
   * tampering; list() throws TAMPERED if the chain is broken.
   */
  readonly audit: {
    append(type: string, details?: AuditDetails): void
    verify(): AuditVerifyResult
    list(): AuditEntry[]
  }

  /** @internal */
  constructor(
    readonly dir: string,
    private readonly db: Database.Database,
    private readonly repo: VaultRepository,
    private readonly sodium: SodiumBackend,
    readonly vaultId: string,
    private readonly formatVersion: number,
    private readonly vaultKey: Buffer,
  ) {
    this.subkeys = deriveSubkeys(sodium, vaultKey)
    this.chain = new AuditChain(repo, sodium, vaultId, formatVersion, this.subkeys.auditMac, this.subkeys.auditEncryption)
    this.audit = {
      append: (type, details) => {
        this.assertUnlocked()
        this.chain.append(type, details)
      },
      verify: () => {
        this.assertUnlocked()
        return this.chain.verify()
      },
      list: () => {
        this.assertUnlocked()
        return this.chain.list()
      },
    }
  }

  /** @internal Appends an audit entry with an explicit event time (unlock failures are logged after the fact). */
  appendAuditAt(type: string, details: AuditDetails, at: string): void {
    this.assertUnlocked()
    this.chain.append(type, details, at)
  }

  get locked(): boolean {
    return this.isLocked
  }

  private assertUnlocked(): void {
    if (this.isLocked) throw new CustodiaError('VAULT_LOCKED', 'The vault is locked')
  }

  /**
   * Logs `vault.locked`, zeroes the vault key and every subkey (sodium_memzero), closes the database. Idempotent.
   * Plaintext already handed to callers, and copies the JS engine made, are outside its reach (docs/CRYPTO.md).
   */
  lock(): void {
    if (this.isLocked) return
    try {
      this.chain.append('vault.locked', {})
    } catch {
      // Locking must succeed even if the log cannot be written (e.g. disk full): wiping keys matters more.
    }
    this.isLocked = true
    for (const key of this.__keyBuffersForTest()) this.sodium.memzero(key)
    try {
      this.db.close()
    } catch {
      // Already closed or busy: the keys are gone either way.
    }
  }

  /** Test hook: the actual key Buffers this vault owns (vault key, then each subkey), to check they are zeroed. */
  __keyBuffersForTest(): Buffer[] {
    return [this.vaultKey, ...Object.values(this.subkeys)]
  }

  /** Subkey for a later search-index feature (32 bytes; zeroed on lock; do not keep a copy). */
  getSearchIndexKey(): Buffer {
    this.assertUnlocked()
    return this.subkeys.searchIndex
  }

  // --- records ---

  private kindTagOf(kind: string): Buffer {
    return computeKindTag(this.sodium, this.subkeys.kindTag, kind)
  }

  private recordAd(id: string, kindTag: Buffer, revision: number, part: RecordPart): Buffer {
    return buildRecordAd(this.vaultId, id, kindTag, revision, part, this.formatVersion)
  }

  private sealRevision(id: string, kindTag: Buffer, revision: number, summary: SummaryEnvelope, body: BodyEnvelope): RevisionRow {
    const s = sealJson(this.sodium, this.subkeys.records, this.recordAd(id, kindTag, revision, 'summary'), summary, 64)
    const b = sealJson(this.sodium, this.subkeys.records, this.recordAd(id, kindTag, revision, 'body'), body, 256)
    return { record_id: id, revision, summary_nonce: s.nonce, summary_ct: s.ciphertext, body_nonce: b.nonce, body_ct: b.ciphertext }
  }

  private openSummary(record: RecordRow, revision: number, nonce: Buffer, ciphertext: Buffer): SummaryEnvelope {
    const env = openJson<SummaryEnvelope>(this.sodium, this.subkeys.records, this.recordAd(record.id, record.kind_tag, revision, 'summary'), { nonce, ciphertext })
    if (env?.v !== 1 || typeof env.kind !== 'string' || typeof env.summary !== 'object' || typeof env.savedAt !== 'string') {
      throw new CustodiaError('CORRUPT', 'A record summary is malformed')
    }
    // The AD binds the kind tag; the kind name inside must produce that same tag.
    if (!constantTimeEqual(this.kindTagOf(env.kind), record.kind_tag)) throw new CustodiaError('TAMPERED', 'A record kind does not match its tag')
    return env
  }

  private requireRecord(id: string): RecordRow {
    validateId(id, 'record')
    const row = this.repo.getRecord(id)
    if (!row) throw new CustodiaError('NOT_FOUND', 'No record with this id')
    return row
  }

  /**
   * Creates a record at revision 1. `id`: 32 lower-case hex chars (random if omitted; CONFLICT if taken). Summary: a
   * plain object ≤ 64 KiB JSON (decrypted for lists); body: any JSON ≤ 64 MiB. Logs `record.created`.
   */
  createRecord(kind: RecordKind, content: RecordContent, opts: { id?: string; author?: string } = {}): RecordRef {
    this.assertUnlocked()
    validateKind(kind)
    validateContent(content)
    const author = validateAuthor(opts.author)
    const id = opts.id ?? createRandomId(this.sodium)
    validateId(id, 'record')
    const kindTag = this.kindTagOf(kind)
    return this.repo.runInTransaction(() => {
      if (this.repo.getRecord(id)) throw new CustodiaError('CONFLICT', 'A record with this id already exists')
      const changeSeq = this.repo.takeChangeSeq()
      const now = new Date().toISOString()
      const row = this.sealRevision(id, kindTag, 1, { v: 1, kind, summary: content.summary, createdAt: now, savedAt: now, author }, { v: 1, body: content.body })
      this.repo.insertRecord({ id, kind_tag: kindTag, current_revision: 1, change_seq: changeSeq })
      this.repo.insertRevision(row)
      this.chain.append('record.created', { recordId: id, revision: 1 })
      return { id, kind, revision: 1, changeSeq }
    })
  }

  /**
   * Saves a new revision (earlier ones are kept). NOT_FOUND; CONFLICT when `expectedRevision` is given and is not
   * the current revision. Logs `record.updated`.
   */
  updateRecord(id: string, content: RecordContent, opts: { expectedRevision?: number; author?: string } = {}): RecordRef {
    this.assertUnlocked()
    validateId(id, 'record')
    validateContent(content)
    const author = validateAuthor(opts.author)
    if (opts.expectedRevision !== undefined) validateRevision(opts.expectedRevision)
    return this.repo.runInTransaction(() => {
      const record = this.requireRecord(id)
      if (opts.expectedRevision !== undefined && opts.expectedRevision !== record.current_revision) {
        throw new CustodiaError('CONFLICT', 'The record was changed since it was read')
      }
      const current = this.repo.getRevision(id, record.current_revision)
      if (!current) throw new CustodiaError('CORRUPT', 'The current revision of a record is missing')
      const previous = this.openSummary(record, record.current_revision, current.summary_nonce, current.summary_ct)
      const revision = record.current_revision + 1
      const changeSeq = this.repo.takeChangeSeq()
      const envelope: SummaryEnvelope = { v: 1, kind: previous.kind, summary: content.summary, createdAt: previous.createdAt, savedAt: new Date().toISOString(), author }
      this.repo.insertRevision(this.sealRevision(id, record.kind_tag, revision, envelope, { v: 1, body: content.body }))
      this.repo.updateRecord(id, revision, changeSeq)
      this.chain.append('record.updated', { recordId: id, revision })
      return { id, kind: previous.kind, revision, changeSeq }
    })
  }

  /** Deletes a record, all its revisions and attachments (blob files removed after commit). NOT_FOUND. Logs `record.deleted`. */
  deleteRecord(id: string): void {
    this.assertUnlocked()
    const attachmentIds = this.repo.runInTransaction(() => {
      this.requireRecord(id)
      const ids = this.repo.deleteRecord(id, this.repo.takeChangeSeq())
      this.chain.append('record.deleted', { recordId: id, attachments: ids.length })
      return ids
    })
    this.removeBlobsAfterCommit(attachmentIds)
  }

  /**
   * The one rule for blob files of deleted attachment rows: they go only once the rows' deletion is committed. Inside
   * vault.transaction() that is when the outermost transaction commits (it could still roll the rows back);
   * otherwise the rows were committed just now. A crash before the unlink leaves an orphan blob, which removeLeftovers
   * deletes at the next unlock.
   */
  private removeBlobsAfterCommit(attachmentIds: readonly string[]): void {
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

  /**
   * Runs `work` — any number of createRecord / updateRecord / deleteRecord / deleteAttachment calls, with their audit
   * entries — as ONE SQLite transaction: one commit and one fsync for all of them (synchronous=FULL, so everything is
   * durable once this returns, and a crash before that leaves none of it). If `work` throws, nothing it wrote is kept and the error is
   * rethrown. A call inside another joins the outer one as a savepoint (a throw the outer work catches undoes only the
   * inner part). `work` must be synchronous (VALIDATION if it returns a promise). Attachments cannot be added inside:
   * their blob is written and fsynced outside any transaction, so trying makes the transaction fail with VALIDATION
   * (and the attachment call rejects). Blob files of records and attachments deleted inside are removed after the
   * outermost commit.
   */
  transaction<T>(work: () => T): T {
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

  private assertOutsideTransaction(): void {
    if (this.transactionDepth === 0) return
    this.attachmentInTransaction = true
    throw new CustodiaError('VALIDATION', 'Attachments cannot be added inside a vault transaction')
  }

  /** Decrypts one revision (default: current). NOT_FOUND; TAMPERED if any byte or row binding was changed. */
  getRecord<B = unknown, S = Record<string, unknown>>(id: string, revision?: number): StoredRecord<B, S> {
    this.assertUnlocked()
    const record = this.requireRecord(id)
    if (revision !== undefined) validateRevision(revision)
    const rev = revision ?? record.current_revision
    const row = this.repo.getRevision(id, rev)
    if (!row) throw new CustodiaError('NOT_FOUND', 'No such revision of this record')
    const summary = this.openSummary(record, rev, row.summary_nonce, row.summary_ct)
    const body = openJson<BodyEnvelope>(this.sodium, this.subkeys.records, this.recordAd(id, record.kind_tag, rev, 'body'), {
      nonce: row.body_nonce,
      ciphertext: row.body_ct,
    })
    if (body?.v !== 1) throw new CustodiaError('CORRUPT', 'A record body is malformed')
    return {
      id,
      kind: summary.kind,
      revision: rev,
      changeSeq: record.change_seq,
      summary: summary.summary as S,
      body: body.body as B,
      createdAt: summary.createdAt,
      savedAt: summary.savedAt,
      author: summary.author,
    }
  }

  /** True when a record with this id exists (false for malformed ids). */
  hasRecord(id: string): boolean {
    this.assertUnlocked()
    return typeof id === 'string' && ID_PATTERN.test(id) && this.repo.getRecord(id) !== undefined
  }

  /** Current revision of every record (optionally of one kind, via the kind-tag index), decrypting summaries only. */
  listRecords(filter: { kind?: RecordKind } = {}): (RecordRef & { summary: Record<string, unknown>; savedAt: string })[] {
    this.assertUnlocked()
    if (filter.kind !== undefined) validateKind(filter.kind)
    const rows = this.repo.listCurrent(filter.kind === undefined ? undefined : this.kindTagOf(filter.kind))
    return rows.map((row) => {
      const env = this.openSummary(row, row.current_revision, row.summary_nonce, row.summary_ct)
      return { id: row.id, kind: env.kind, revision: row.current_revision, changeSeq: row.change_seq, summary: env.summary, savedAt: env.savedAt }
    })
  }

  /** Every revision of a record, oldest first (summaries only). NOT_FOUND. */
  listRevisions(id: string): RevisionInfo[] {
    this.assertUnlocked()
    const record = this.requireRecord(id)
    return this.repo.listRevisions(id).map((row) => {
      const env = this.openSummary(record, row.revision, row.summary_nonce, row.summary_ct)
      return { revision: row.revision, savedAt: env.savedAt, author: env.author, summary: env.summary }
    })
  }

  /** Records created/updated/deleted after `changeSeq` (0 = all), in change order; for search-index catch-up. */
  listChangedSince(changeSeq: number): { id: string; changeSeq: number; deleted: boolean }[] {
    this.assertUnlocked()
    if (!Number.isSafeInteger(changeSeq) || changeSeq < 0) throw new CustodiaError('VALIDATION', 'changeSeq must be a non-negative integer')
    return this.repo.listChangedSince(changeSeq).map((row) => ({ id: row.id, changeSeq: row.change_seq, deleted: row.deleted === 1 }))
  }

  // --- attachments ---

  private blobPath(attachmentId: string): string {
    return path.join(this.dir, BLOBS_DIR, attachmentId.slice(0, 2), attachmentId)
  }

  private streamAd(attachmentId: string): Buffer {
    return buildAssociatedData('attachment.stream', this.vaultId, attachmentId, this.formatVersion)
  }

  /**
   * Encrypts a file into the blob store and links it to a record. The source is read with large sequential reads
   * (flat memory at any size). Missing source → NOT_FOUND; missing record → NOT_FOUND. Logs `attachment.added`.
   */
  async addAttachment(recordId: string, sourcePath: string, meta: AttachmentMeta): Promise<AttachmentInfo> {
    this.assertUnlocked()
    this.assertOutsideTransaction()
    validateId(recordId, 'record')
    validateAttachmentMeta(meta)
    let source: fsp.FileHandle
    try {
      source = await fsp.open(sourcePath, 'r')
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new CustodiaError('NOT_FOUND', 'The file to attach does not exist')
      if (isErrno(err, 'EACCES', 'EPERM')) throw new CustodiaError('VALIDATION', 'The file to attach cannot be read')
      throw err
    }
    try {
      if (!(await source.stat()).isFile()) throw new CustodiaError('VALIDATION', 'Only regular files can be attached')
      return await this.storeAttachment(recordId, createFileFiller(source), meta)
    } finally {
      await source.close()
    }
  }

  /** As addAttachment, from any async iterable of byte chunks (e.g. a Node Readable). */
  async addAttachmentFromStream(recordId: string, source: AsyncIterable<Uint8Array>, meta: AttachmentMeta): Promise<AttachmentInfo> {
    this.assertUnlocked()
    this.assertOutsideTransaction()
    validateId(recordId, 'record')
    validateAttachmentMeta(meta)
    if (typeof (source as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] !== 'function') {
      throw new CustodiaError('VALIDATION', 'The attachment source must be an async iterable of bytes')
    }
    return this.storeAttachment(recordId, createIterableFiller(source), meta)
  }

  // tmp/ → fsync → rename into blobs/xx/<id> → fsync dir → insert row (+ audit) in one transaction.
  private async storeAttachment(recordId: string, fill: FillFunction, meta: AttachmentMeta): Promise<AttachmentInfo> {
    this.requireRecord(recordId)
    const attachmentId = createRandomId(this.sodium)
    const tmpPath = path.join(this.dir, TMP_DIR, `${createRandomId(this.sodium)}.part`)
    const finalPath = this.blobPath(attachmentId)
    let renamed = false
    try {
      const out = await fsp.open(tmpPath, 'wx', FILE_MODE)
      let sizes: { plainSize: number; blobSize: number }
      // Hash the plaintext on its way into the cipher (fills are sequential), so bundle export can skip a read pass.
      const hash = createHash('sha256')
      const hashingFill: FillFunction = async (buf) => {
        const n = await fill(buf)
        hash.update(buf.subarray(0, n))
        return n
      }
      let sha256: string
      try {
        sizes = await encryptToBlob(this.sodium, this.subkeys.attachments, this.streamAd(attachmentId), hashingFill, out)
        sha256 = hash.digest('hex')
        await out.sync()
      } finally {
        await out.close()
      }
      this.assertUnlocked()
      const shard = path.dirname(finalPath)
      if (!fs.existsSync(shard)) {
        await fsp.mkdir(shard, { mode: DIR_MODE })
        await syncDirectory(path.dirname(shard))
      }
      await fsp.rename(tmpPath, finalPath)
      renamed = true
      await syncDirectory(shard)
      this.assertUnlocked()
      const addedAt = new Date().toISOString()
      const envelope: AttachmentEnvelope = { v: 1, filename: meta.filename, mediaType: meta.mediaType, size: sizes.plainSize, addedAt, sha256 }
      const sealed = sealJson(this.sodium, this.subkeys.attachments, buildAttachmentMetaAd(this.vaultId, attachmentId, recordId, this.formatVersion), envelope, 64)
      this.repo.runInTransaction(() => {
        this.requireRecord(recordId)
        this.repo.insertAttachment({
          id: attachmentId,
          record_id: recordId,
          blob_version: BLOB_FORMAT_VERSION,
          blob_size: sizes.blobSize,
          meta_nonce: sealed.nonce,
          meta_ct: sealed.ciphertext,
        })
        this.chain.append('attachment.added', { attachmentId, recordId })
      })
      return { id: attachmentId, recordId, filename: meta.filename, mediaType: meta.mediaType, size: sizes.plainSize, addedAt }
    } catch (err) {
      await fsp.rm(renamed ? finalPath : tmpPath, { force: true }).catch(() => undefined)
      throw err
    }
  }

  private openAttachmentRow(attachmentId: string): { info: AttachmentInfo; blobVersion: number; blobSize: number; sha256: string | null } {
    validateId(attachmentId, 'attachment')
    const row = this.repo.getAttachment(attachmentId)
    if (!row) throw new CustodiaError('NOT_FOUND', 'No attachment with this id')
    const env = openJson<AttachmentEnvelope>(
      this.sodium,
      this.subkeys.attachments,
      buildAttachmentMetaAd(this.vaultId, row.id, row.record_id, this.formatVersion),
      { nonce: row.meta_nonce, ciphertext: row.meta_ct },
    )
    if (env?.v !== 1 || typeof env.filename !== 'string' || !Number.isSafeInteger(env.size)) throw new CustodiaError('CORRUPT', 'Attachment metadata is malformed')
    return {
      info: { id: row.id, recordId: row.record_id, filename: env.filename, mediaType: env.mediaType, size: env.size, addedAt: env.addedAt },
      blobVersion: row.blob_version,
      blobSize: row.blob_size,
      sha256: typeof env.sha256 === 'string' && /^[0-9a-f]{64}$/.test(env.sha256) ? env.sha256 : null,
    }
  }

  /**
   * SHA-256 (64 lower-case hex) of an attachment's plaintext as stored when it was added, or null for attachments
   * added before the vault recorded it. NOT_FOUND for an unknown attachment. Kept out of AttachmentInfo lists so
   * existing IPC responses (strict schemas) stay as they are.
   */
  getAttachmentSha256(attachmentId: string): string | null {
    this.assertUnlocked()
    return this.openAttachmentRow(attachmentId).sha256
  }

  /**
   * Decrypts an attachment as a stream of plaintext chunks (≤ 1 MiB each, buffers the caller owns), pulling one chunk
   * at a time from the blob: memory stays flat at any size. Each chunk is authenticated before it is yielded;
   * truncation or a flipped byte makes the iteration throw TAMPERED (so a consumer must not trust what it got before
   * the end). Stopping early closes the blob. `options.buffers` supplies the buffers chunks are decrypted into (at
   * least 1 MiB each; e.g. from a pool the consumer recycles); by default each chunk is a fresh allocation.
   */
  async *openAttachmentStream(attachmentId: string, options: { buffers?: () => Buffer } = {}): AsyncGenerator<Buffer, void, undefined> {
    this.assertUnlocked()
    // Bridges decryptAttachment's push sink to a pull iterator: the sink waits until the consumer asks again.
    let wake: (() => void) | null = null
    let pending: Buffer | null = null
    let finished = false
    let failure: unknown = null
    let stopped = false
    let consumerReady: (() => void) | null = null
    const waitForConsumer = (): Promise<void> => new Promise((r) => (consumerReady = r))
    const signal = (): void => {
      const w = wake
      wake = null
      w?.()
    }
    const producer = this.decryptAttachment(
      attachmentId,
      async (chunk) => {
        if (stopped) throw new CustodiaError('CANCELLED', 'Reading the attachment was stopped')
        pending = chunk
        signal()
        await waitForConsumer()
      },
      { outputBuffer: options.buffers ?? (() => Buffer.alloc(ATTACHMENT_CHUNK_BYTES)) },
    ).then(
      () => {
        finished = true
        signal()
      },
      (err: unknown) => {
        failure = err
        finished = true
        signal()
      },
    )
    try {
      for (;;) {
        if (pending === null && !finished) await new Promise<void>((r) => (wake = r))
        if (pending !== null) {
          const chunk: Buffer = pending
          pending = null
          yield chunk
          const ready = consumerReady as (() => void) | null
          consumerReady = null
          ready?.()
          continue
        }
        if (failure !== null) throw failure
        return
      }
    } finally {
      stopped = true
      const ready = consumerReady as (() => void) | null
      consumerReady = null
      ready?.()
      await producer
    }
  }

  /**
   * An attachment as chunks that other threads read and open on their own (openDetachedBlob: each chunk's place in
   * the blob with the secretstream state that opens it), for the bundle writer's payload workers: `fd` is the open
   * blob for their positional reads. Nothing is decrypted here; the opener checks every MAC and tag. The caller must
   * call close() once no thread reads `fd` any more (not before: the number could be reused by another file).
   * Locking the vault stops the chunks (VAULT_LOCKED). null where the sodium backend cannot hand out stream states
   * (wasm): use openAttachmentStream then. Errors as decryptAttachment's checks (version, size).
   */
  async openAttachmentRun(
    attachmentId: string,
  ): Promise<{ chunkAd: Buffer; plainSize: number; fd: number; chunks: AsyncGenerator<DetachedBlobChunk, void, undefined>; close(): Promise<void> } | null> {
    this.assertUnlocked()
    const { info, blobSize, blob } = await this.openBlob(attachmentId)
    let handedOver = false
    try {
      const detached = await openDetachedBlob(this.sodium, this.subkeys.attachments, this.streamAd(attachmentId), blob, blobSize)
      if (!detached) return null
      if (detached.plainSize !== info.size) {
        detached.discard()
        throw new CustodiaError('TAMPERED', 'The attachment size does not match its metadata')
      }
      const vault = this
      const source = detached.chunks
      async function* chunks(): AsyncGenerator<DetachedBlobChunk, void, undefined> {
        for await (const chunk of source) {
          if (vault.isLocked) {
            chunk.state.fill(0)
            throw new CustodiaError('VAULT_LOCKED', 'The vault was locked')
          }
          yield chunk
        }
      }
      const file = blob
      let closed = false
      handedOver = true
      return {
        chunkAd: detached.chunkAd,
        plainSize: detached.plainSize,
        fd: blob.fd,
        chunks: chunks(),
        close: async () => {
          if (closed) return
          closed = true
          detached.discard()
          await source.return()
          await file.close()
        },
      }
    } finally {
      if (!handedOver) await blob.close()
    }
  }

  /** Attachments of a record, oldest first (metadata decrypted). NOT_FOUND for an unknown record. */
  listAttachments(recordId: string): AttachmentInfo[] {
    this.assertUnlocked()
    this.requireRecord(recordId)
    return this.repo.listAttachments(recordId).map((row) => this.openAttachmentRow(row.id).info)
  }

  /** Opens an attachment's blob after checking its version and its size against the row (the caller closes it). */
  private async openBlob(attachmentId: string): Promise<{ info: AttachmentInfo; blobSize: number; blob: fsp.FileHandle }> {
    const { info, blobVersion, blobSize } = this.openAttachmentRow(attachmentId)
    if (blobVersion !== BLOB_FORMAT_VERSION) throw new CustodiaError('UNSUPPORTED', 'This attachment uses a newer blob format')
    let blob: fsp.FileHandle
    try {
      blob = await fsp.open(this.blobPath(attachmentId), 'r')
    } catch {
      throw new CustodiaError('CORRUPT', 'The encrypted attachment file is missing')
    }
    try {
      if ((await blob.stat()).size !== blobSize) throw new CustodiaError('TAMPERED', 'The encrypted attachment file has the wrong size')
    } catch (err) {
      await blob.close()
      throw err
    }
    return { info, blobSize, blob }
  }

  // Hands the blob's authenticated chunks to sink.
  private async decryptAttachment(attachmentId: string, sink: (chunk: Buffer) => Promise<void> | void, options: DecryptBlobOptions = {}): Promise<AttachmentInfo> {
    const { info, blob } = await this.openBlob(attachmentId)
    try {
      const plainSize = await decryptBlob(this.sodium, this.subkeys.attachments, this.streamAd(attachmentId), blob, sink, options)
      if (plainSize !== info.size) throw new CustodiaError('TAMPERED', 'The attachment size does not match its metadata')
      return info
    } finally {
      await blob.close()
    }
  }

  /**
   * Decrypts an attachment to `destPath`: writes a 0600 temp file beside it and renames it over `destPath` only after
   * every chunk authenticated and the FINAL chunk was seen; on any failure no destination file is created or changed.
   * Destination folder missing → NOT_FOUND; TAMPERED / CORRUPT / UNSUPPORTED as found.
   */
  async exportAttachment(attachmentId: string, destPath: string): Promise<void> {
    this.assertUnlocked()
    validateId(attachmentId, 'attachment')
    const dest = path.resolve(destPath)
    const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${createRandomId(this.sodium).slice(0, 12)}.part`)
    let out: fsp.FileHandle
    try {
      out = await fsp.open(tmp, 'wx', FILE_MODE)
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new CustodiaError('NOT_FOUND', 'The destination folder does not exist')
      throw err
    }
    let closed = false
    try {
      await this.decryptAttachment(attachmentId, async (chunk) => {
        let written = 0
        while (written < chunk.length) written += (await out.write(chunk, written, chunk.length - written)).bytesWritten
      })
      await out.sync()
      await out.close()
      closed = true
      this.assertUnlocked()
      await fsp.rename(tmp, dest)
      await syncDirectory(path.dirname(dest))
    } catch (err) {
      if (!closed) await out.close().catch(() => undefined)
      await fsp.rm(tmp, { force: true }).catch(() => undefined)
      throw err
    }
  }

  /**
   * Deletes one attachment: its row and an `attachment.deleted` audit entry (record id + attachment id, never the
   * name) in one transaction, then the encrypted blob file once that is committed (see removeBlobsAfterCommit; inside
   * vault.transaction() the row goes with the outer transaction or not at all). The record and its other attachments
   * are untouched; references to the attachment inside record bodies (a dossier's photo…) are the caller's to update.
   * Malformed id → VALIDATION; unknown id → NOT_FOUND; locked → VAULT_LOCKED.
   */
  deleteAttachment(attachmentId: string): void {
    this.assertUnlocked()
    validateId(attachmentId, 'attachment')
    this.repo.runInTransaction(() => {
      const row = this.repo.getAttachment(attachmentId)
      if (!row) throw new CustodiaError('NOT_FOUND', 'No attachment with this id')
      this.repo.deleteAttachment(attachmentId)
      this.chain.append('attachment.deleted', { recordId: row.record_id, attachmentId })
    })
    this.removeBlobsAfterCommit([attachmentId])
  }

  /** Decrypts a small attachment into memory (> 64 MiB → VALIDATION: use exportAttachment). */
  async readAttachment(attachmentId: string): Promise<Buffer> {
    this.assertUnlocked()
    const { info } = this.openAttachmentRow(attachmentId)
    if (info.size > MAX_READ_ATTACHMENT_BYTES) throw new CustodiaError('VALIDATION', 'The attachment is larger than 64 MiB: export it to a file instead')
    const chunks: Buffer[] = []
    try {
      await this.decryptAttachment(attachmentId, (chunk) => {
        chunks.push(Buffer.from(chunk))
      })
    } catch (err) {
      for (const chunk of chunks) chunk.fill(0)
      throw err
    }
    this.assertUnlocked()
    return Buffer.concat(chunks)
  }

  /** @internal Deletes everything in tmp/ and every blob no attachment row refers to (left by a crash before the insert). */
  async removeLeftovers(): Promise<void> {
    const tmpDir = path.join(this.dir, TMP_DIR)
    await fsp.mkdir(tmpDir, { recursive: true, mode: DIR_MODE })
    for (const name of await fsp.readdir(tmpDir)) await fsp.rm(path.join(tmpDir, name), { recursive: true, force: true })
    const blobsDir = path.join(this.dir, BLOBS_DIR)
    await fsp.mkdir(blobsDir, { recursive: true, mode: DIR_MODE })
    const known = this.repo.listAllAttachmentIds()
    for (const shard of await fsp.readdir(blobsDir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue
      for (const name of await fsp.readdir(path.join(blobsDir, shard))) {
        if (!known.has(name)) await fsp.rm(path.join(blobsDir, shard, name), { force: true })
      }
    }
  }

  // --- keyslots ---

  /**
   * Re-wraps the vault key under a new passphrase (fresh salt, same KDF parameters as the slot, at least MIN_KDF).
   * Record and attachment ciphertext is untouched; the old passphrase stops working. Wrong old passphrase →
   * WRONG_PASSPHRASE; empty new one → VALIDATION. Logs `vault.passphrase_changed`; checkpoints the WAL so the old
   * wrapped key does not linger in it.
   */
  async changePassphrase(oldPassphrase: Uint8Array, newPassphrase: Uint8Array): Promise<void> {
    this.assertUnlocked()
    const oldNorm = normalizePassphrase(oldPassphrase)
    const newNorm = normalizePassphrase(newPassphrase)
    try {
      const slots = readKeyslots(this.db).filter((slot) => slot.kind === 'passphrase')
      for (const slot of slots) {
        const kdf = checkStoredKeyslot(slot)
        const oldKek = await derivePassphraseKek(this.sodium, oldNorm, slot.salt!, kdf)
        let key: Buffer | null
        try {
          this.assertUnlocked()
          key = unwrapVaultKey(this.sodium, slot.wrapped_key, slot.nonce, oldKek, buildKeyslotAd(this.vaultId, slot.id, 'passphrase', this.formatVersion, kdf))
        } finally {
          this.sodium.memzero(oldKek)
        }
        if (!key) continue
        const matches = constantTimeEqual(key, this.vaultKey)
        this.sodium.memzero(key)
        if (!matches) continue
        const newKdf = { opslimit: Math.max(kdf.opslimit, MIN_KDF.opslimit), memlimit: Math.max(kdf.memlimit, MIN_KDF.memlimit) }
        const salt = this.sodium.randomBytes(PWHASH_SALT_BYTES)
        const newKek = await derivePassphraseKek(this.sodium, newNorm, salt, newKdf)
        try {
          this.assertUnlocked()
          const wrapped = wrapVaultKey(this.sodium, this.vaultKey, newKek, buildKeyslotAd(this.vaultId, slot.id, 'passphrase', this.formatVersion, newKdf))
          this.repo.runInTransaction(() => {
            this.repo.updateKeyslot({ ...slot, salt, opslimit: newKdf.opslimit, memlimit: newKdf.memlimit, nonce: wrapped.nonce, wrapped_key: wrapped.wrapped })
            this.chain.append('vault.passphrase_changed', { keyslotId: slot.id })
          })
        } finally {
          this.sodium.memzero(newKek)
        }
        this.db.pragma('wal_checkpoint(TRUNCATE)')
        return
      }
      throw new CustodiaError('WRONG_PASSPHRASE', 'The current passphrase is wrong')
    } finally {
      oldNorm.fill(0)
      newNorm.fill(0)
    }
  }

  // --- settings ---

  /** Reads a plaintext setting (only for values that reveal no content, e.g. autoLockMinutes). */
  getSetting(name: string): string | undefined {
    this.assertUnlocked()
    validateSettingName(name)
    return this.repo.getSetting(name)
  }

  /** Writes a plaintext setting. Name /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, value ≤ 1024 chars. Visible on disk. */
  setSetting(name: string, value: string): void {
    this.assertUnlocked()
    validateSettingName(name)
    if (typeof value !== 'string' || value.length > 1024) throw new CustodiaError('VALIDATION', 'A setting value must be text of at most 1024 characters')
    this.repo.runInTransaction(() => this.repo.setSetting(name, value))
  }
}

function validateSettingName(name: unknown): void {
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(name)) throw new CustodiaError('VALIDATION', 'The setting name is invalid')
}
