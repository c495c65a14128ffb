// Main process (Node only): getting into a vault — inspect it without a key, create it, unlock it with the passphrase
// or the recovery key, change the passphrase — and the keyslot checks on the way (KDF caps before any derivation).
// A wrong passphrase or recovery key is counted here, once, with its method (unlockFailures.ts); the next successful
// unlock writes those failures to the audit log. Returns VaultInternals: the Vault facade (vault.ts) wraps them.

import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { CustodiaError } from '../../../shared/errors'
import {
  buildKeyslotAd,
  derivePassphraseKek,
  deriveRecoveryKek,
  encodeRecoveryKey,
  KEY_BYTES,
  normalizePassphrase,
  parseRecoveryKey,
  unwrapVaultKey,
  wrapVaultKey,
  type KdfParams,
} from '../platform/crypto/keys'
import { loadSodium, PWHASH_SALT_BYTES, type SodiumBackend } from '../platform/crypto/sodium'
import { scanCommittedRows } from '../platform/db/committedRows'
import { closedCleanly, openDatabase, openSnapshot } from '../platform/db/connection'
import { migrateDatabase, readSchemaVersion, SCHEMA_VERSION } from '../platform/db/migrations'
import {
  readKeyslotGuard,
  readKeyslots,
  readMemberSlots,
  readMeta,
  readPlainSettings,
  VaultRepository,
  type InvitationRow,
  type KeyslotRow,
  type MemberRow,
} from '../platform/db/vaultRepo'
import { removeLeftovers } from './attachments'
import { migrateToItemKeys } from './itemKeyMigration'
import { BLOBS_DIR, DB_FILE, DIR_MODE, isErrno, syncDirectory, TMP_DIR } from './files'
import { describeIntegrityProblems } from './integrity'
import { constantTimeEqual, VaultInternals } from './internals'
import {
  companionName,
  ensureCompanions,
  openCompanion,
  resetCompanionAfterPassphraseChange,
  takeDecoyKey,
  type DuressNote,
} from './duress'
import { activeRoleOf, computeNameHint, insertMember, resealSigningKey, resolveSlotMember, type CurrentMember } from './members'
import { moveSensitiveParts } from './partMigration'
import { createMemberKeyPair, loadAreaKeys, openMemberSecret, resealMemberSecret, settleAreaKeys } from './areaKeys'
import { auditEpochKeys, checkEpochFloors, raiseEpochFloors } from './epochKeys'
import { scanState, type StateScan } from './stateCommitment'
import { hashDatabaseFile, readSeal, removeSeal, type FileDigest, type StoredSeal } from './fileSeal'
import {
  DEFAULT_KDF,
  formatIntegrityReport,
  FORMAT_VERSION,
  MAX_KDF,
  MIN_KDF,
  type IntegrityReport,
  type VaultInspection,
  type VaultOptions,
} from './types'
import { noteUnlockFailure, restoreUnlockFailures, takeUnlockFailures } from './unlockFailures'
import { describeErased, destroyKeyslots, readAttempts, readWipePolicy, recordFailedUnlock, resetFailedUnlocks } from './unlockGuard'
import { createRandomId, validateKdfForCreate } from './validation'

/**
 * Checks a stored passphrase keyslot before deriving anything: over the caps → UNSUPPORTED; malformed → CORRUPT; more
 * work than the vault was created with → UNSUPPORTED unless the user confirmed it (a forged memory cost would
 * otherwise make every unlock run a multi-GiB Argon2id).
 */
export function checkStoredKeyslot(
  slot: KeyslotRow,
  createdKdf: { opslimit: number; memlimit: number } | null = null,
  opts: VaultOptions = {},
): KdfParams {
  const { opslimit, memlimit, salt } = slot
  if (!Number.isSafeInteger(opslimit) || !Number.isSafeInteger(memlimit) || !Buffer.isBuffer(salt) || salt.length !== PWHASH_SALT_BYTES) {
    throw new CustodiaError('CORRUPT', 'A passphrase keyslot is malformed')
  }
  if ((opslimit as number) > MAX_KDF.opslimit || (memlimit as number) > MAX_KDF.memlimit) {
    throw new CustodiaError('UNSUPPORTED', 'A keyslot asks for key-derivation work beyond the accepted limits')
  }
  // Below libsodium's own minimums the derivation cannot run at all: the slot cannot be genuine.
  if ((opslimit as number) < 1 || (memlimit as number) < 8192) throw new CustodiaError('CORRUPT', 'A passphrase keyslot is malformed')
  const stronger = createdKdf !== null && ((opslimit as number) > createdKdf.opslimit || (memlimit as number) > createdKdf.memlimit)
  if (stronger && opts.allowStrongerKdf !== true) {
    const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`
    throw new CustodiaError(
      'UNSUPPORTED',
      `This vault now asks for more work to check the passphrase (${mib(memlimit as number)} of memory) than when it was created (${mib(createdKdf.memlimit)}). If you did not change this, the vault was edited outside Custodia. To unlock it anyway: custodia check <folder> --allow-stronger-kdf.`,
    )
  }
  return { opslimit: opslimit as number, memlimit: memlimit as number }
}

/** First schema version with the whole-vault state commitment (platform/db/migrations.ts). */
const STATE_SCHEMA_VERSION = 3
/** First schema version with members. */
const MEMBERS_SCHEMA_VERSION = 4
/** Member key pairs and area keys (sensitive parts of dossiers): a commitment sealed before gains the two areas. */
const AREA_KEYS_SCHEMA_VERSION = 6
/** The admin's name when nobody gave one (a vault from before members, opened without --member). */
export const DEFAULT_ADMIN_NAME = 'Admin'

/** How a person gets past a vault found changed outside Custodia: said the same way in every TAMPERED message. */
export const INTEGRITY_WAY_OUT =
  'Unlock it in the Custodia app to review these changes, or run “custodia check <folder> --accept” to keep working with what is there.'

/**
 * The unkeyed check over the keyslots and the KDF parameters the vault was created with. Anyone can recompute it, so
 * it guards against damage and careless edits, not a determined attacker (the keyed state commitment catches those
 * once the vault is open); what it buys is that a damaged keyslot is reported as damage, not as a wrong passphrase.
 */
// SHA-256 from Node rather than BLAKE2b from libsodium: the check runs before libsodium is loaded, and needs no key.
export function computeKeyslotCheck(
  db: Database.Database,
  vaultId: string,
  createdKdf: { opslimit: number; memlimit: number } | null,
): Buffer {
  const slots: Buffer[] = []
  scanCommittedRows(db, 'keyslots', (encoded) => slots.push(encoded))
  slots.sort(Buffer.compare)
  const hash = createHash('sha256').update(buildKeyslotAd(vaultId, 'keyslot-check', 'all', 0, createdKdf ?? { opslimit: 0, memlimit: 0 }))
  for (const slot of slots) hash.update(slot)
  return hash.digest()
}

function keyslotCheckMatches(
  stored: Buffer,
  db: Database.Database,
  vaultId: string,
  createdKdf: { opslimit: number; memlimit: number } | null,
): boolean {
  return constantTimeEqual(stored, computeKeyslotCheck(db, vaultId, createdKdf))
}

export interface VaultSnapshot {
  vaultId: string
  formatVersion: number
  schemaVersion: number
  keyslots: KeyslotRow[]
  /** False when the stored keyslot check does not match the keyslots: a failed unwrap then means damage. */
  keyslotsIntact: boolean
  createdKdf: { opslimit: number; memlimit: number } | null
  /** Members and invitations (none before schema 4). */
  members: MemberRow[]
  invitations: InvitationRow[]
  /** The plain settings (the wipe policy and the keyslots' companions are read from them before any key exists). */
  settings: Map<string, string>
}

/** Reads identity and keyslots without writing anything. NOT_A_VAULT | CORRUPT | UNSUPPORTED. */
export function readVaultSnapshot(dir: string): VaultSnapshot {
  return withVaultSnapshot(dir, (snap) => snap)
}

/**
 * Opens a read-only snapshot of the vault, reads identity and keyslots, and runs `use` on them while the snapshot is
 * open (closed afterwards, also on failure). NOT_A_VAULT | CORRUPT | UNSUPPORTED.
 */
export function withVaultSnapshot<T>(dir: string, use: (snap: VaultSnapshot, db: Database.Database) => T): T {
  const opened = openVaultSnapshot(dir)
  try {
    return use(opened.snap, opened.db)
  } finally {
    opened.close()
  }
}

/** withVaultSnapshot for a caller that awaits while the snapshot is open: it must call close() (also on failure). */
function openVaultSnapshot(dir: string): { snap: VaultSnapshot; db: Database.Database; close(): void } {
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
    if (keyslots.length === 0) {
      const erased = readAttempts(dir).erased
      throw erased ? new CustodiaError('FORBIDDEN', describeErased('all')) : new CustodiaError('CORRUPT', 'The vault has no keyslots')
    }
    const guard = readKeyslotGuard(snapshot.db)
    const keyslotsIntact = guard.check === null || keyslotCheckMatches(guard.check, snapshot.db, meta.vault_id, guard.createdKdf)
    const snap: VaultSnapshot = {
      vaultId: meta.vault_id,
      formatVersion: meta.format_version,
      schemaVersion,
      keyslots,
      keyslotsIntact,
      createdKdf: guard.createdKdf,
      ...readMemberSlots(snapshot.db),
      settings: readPlainSettings(snapshot.db),
    }
    return { snap, db: snapshot.db, close: () => snapshot.close() }
  } catch (error) {
    snapshot.close()
    throw error
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
 * recovery keyslot. Returns the unlocked vault's internals and the recovery key (14 groups of 4 Crockford base32 characters) to
 * show the user once; it is not stored anywhere. Weak/huge KDF → VALIDATION; empty passphrase → VALIDATION.
 */
export async function createVaultFolder(
  dir: string,
  passphrase: Uint8Array,
  opts: VaultOptions,
): Promise<{ internals: VaultInternals; recoveryKey: string }> {
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
  const vaultKey = sodium.allocKey(KEY_BYTES)
  vaultKey.set(sodium.randomBytes(KEY_BYTES))
  const recoveryBytes = sodium.randomBytes(KEY_BYTES)
  let slots: SealedKeyslots | undefined
  let db: Database.Database | undefined
  let internals: VaultInternals | undefined
  try {
    // Derive before touching the disk so a failure leaves nothing behind.
    slots = await sealKeyslotPair(sodium, vaultKey, normalized, recoveryBytes, kdf, { vaultId, formatVersion: FORMAT_VERSION })
    const { passphrase, recovery, kek, recoveryKek } = slots

    fs.mkdirSync(root, { recursive: true, mode: DIR_MODE })
    fs.chmodSync(root, DIR_MODE)
    fs.mkdirSync(path.join(root, BLOBS_DIR), { mode: DIR_MODE })
    fs.mkdirSync(path.join(root, TMP_DIR), { mode: DIR_MODE })
    db = openDatabase(path.join(root, DB_FILE), { create: true })
    migrateDatabase(db)
    const repo = new VaultRepository(db)
    internals = new VaultInternals(root, db, repo, sodium, vaultId, FORMAT_VERSION, vaultKey)
    const created = internals
    created.chain.epochKeys = auditEpochKeys(created)
    repo.runInTransaction(() => {
      repo.insertMeta(vaultId, FORMAT_VERSION, kdf)
      repo.insertKeyslot(passphrase)
      repo.insertKeyslot(recovery)
      const admin = insertMember(
        created,
        { name: opts.adminName ?? opts.member ?? DEFAULT_ADMIN_NAME, role: 'admin' },
        { keyslotId: passphrase.id, recoveryId: recovery.id, salt: passphrase.salt!, kek },
      )
      // The first entry names the admin who created the vault (`by`); no separate entry for the first member.
      created.member = resolveSlotMember(created, passphrase.id)
      if (created.member?.id !== admin.id) throw new CustodiaError('INTERNAL', 'The first member was not recorded')
      created.chain.append('vault.created', { keyslots: 2 })
      // The admin's key pair, and the first key of the sensitive area sealed to it (areaKeys.ts).
      createMemberKeyPair(created, admin.id, { passphrase: kek, recovery: recoveryKek }, true)
      settleAreaKeys(created, (memberId) => activeRoleOf(created, memberId))
      raiseEpochFloors(created)
      ensureCompanions(created, [passphrase])
      repo.writeKeyslotCheck(computeKeyslotCheck(db!, vaultId, kdf))
      created.state.seal()
    })
    await syncDirectory(root)
    return { internals: created, recoveryKey: encodeRecoveryKey(recoveryBytes) }
  } catch (err) {
    db?.close()
    for (const key of internals?.keyBuffers() ?? [vaultKey]) sodium.memzero(key)
    // Remove only what this call created.
    if (createdRoot) fs.rmSync(root, { recursive: true, force: true })
    else
      for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) fs.rmSync(path.join(root, name), { recursive: true, force: true })
    throw err
  } finally {
    sodium.memzero(normalized)
    sodium.memzero(recoveryBytes)
    if (slots) {
      sodium.memzero(slots.kek)
      sodium.memzero(slots.recoveryKek)
    }
  }
}

/** A member's two keyslots, sealed around the vault key before anything is written. */
export interface SealedKeyslots {
  readonly passphrase: KeyslotRow
  readonly recovery: KeyslotRow
  /** The passphrase KEK: the member's signing key is sealed under it too. The caller zeroes it. */
  readonly kek: Buffer
  /** The recovery KEK: the member's X25519 secret key is sealed under it too (areaKeys.ts). The caller zeroes it. */
  readonly recoveryKek: Buffer
}

/**
 * Seals a passphrase keyslot (fresh salt, Argon2id with `kdf`) and a recovery keyslot (from `recoveryBytes`) around
 * `vaultKey`, under fresh slot ids: the first member's at creation, and each joining member's. Writes nothing.
 */
export async function sealKeyslotPair(
  sodium: SodiumBackend,
  vaultKey: Buffer,
  normalized: Uint8Array,
  recoveryBytes: Uint8Array,
  kdf: KdfParams,
  vault: { vaultId: string; formatVersion: number },
): Promise<SealedKeyslots> {
  const salt = sodium.randomBytes(PWHASH_SALT_BYTES)
  const passphraseId = createRandomId(sodium)
  const recoveryId = createRandomId(sodium)
  const kek = await derivePassphraseKek(sodium, normalized, salt, kdf)
  const recoveryKek = deriveRecoveryKek(sodium, recoveryBytes, vault.vaultId, recoveryId)
  try {
    const pass = wrapVaultKey(sodium, vaultKey, kek, buildKeyslotAd(vault.vaultId, passphraseId, 'passphrase', vault.formatVersion, kdf))
    const recov = wrapVaultKey(sodium, vaultKey, recoveryKek, buildKeyslotAd(vault.vaultId, recoveryId, 'recovery', vault.formatVersion))
    return {
      passphrase: {
        id: passphraseId,
        kind: 'passphrase',
        salt,
        opslimit: kdf.opslimit,
        memlimit: kdf.memlimit,
        nonce: pass.nonce,
        wrapped_key: pass.wrapped,
      },
      recovery: {
        id: recoveryId,
        kind: 'recovery',
        salt: null,
        opslimit: null,
        memlimit: null,
        nonce: recov.nonce,
        wrapped_key: recov.wrapped,
      },
      kek,
      recoveryKek,
    }
  } catch (error) {
    sodium.memzero(kek)
    sodium.memzero(recoveryKek)
    throw error
  }
}

/** What the fast path of the state check needs before the key: the stored seal and the database file's hash. */
export interface FileSealCheck {
  readonly seal: StoredSeal
  readonly file: FileDigest
}

/**
 * The seal a clean lock left and the hash of the database file as it is now, or null when there is no seal: then every
 * committed row is checked instead. Only for a vault that was closed cleanly (no write-ahead log waiting), whose file
 * alone is its state.
 */
function readFileSealCheck(root: string): FileSealCheck | null {
  const seal = readSeal(root)
  if (!seal) return null
  const file = hashDatabaseFile(path.join(root, DB_FILE))
  return file ? { seal, file } : null
}

/**
 * Unlocks a vault with its passphrase. Checks, in order and before any derivation: folder/file present
 * (NOT_A_VAULT), readable structure (CORRUPT), schema/format/KDF caps (UNSUPPORTED). Then tries each passphrase
 * keyslot; none opening → WRONG_PASSPHRASE (counted in memory by noteUnlockFailure; no file is touched).
 * On success: migrates the schema forward, removes orphan blobs and temp files, writes pending unlock failures and
 * `vault.unlocked` to the audit log.
 */
export async function unlockWithPassphrase(dir: string, passphrase: Uint8Array, opts: VaultOptions): Promise<VaultInternals> {
  const normalized = normalizePassphrase(passphrase)
  try {
    const root = path.resolve(dir)
    const sodium = opts.sodium ?? (await loadSodium())
    // Argon2id runs on the libuv thread pool; meanwhile this thread reads and hashes every committed row (no key
    // needed), so on a machine with a free core the full integrity check hides behind the derivation. The wait for
    // the one-call row hashing (sodium.ts, generichashLines) is inside the derivation too.
    // Looked at before the snapshot opens: its own connection makes a -wal and -shm while it is open.
    const wasClosedCleanly = closedCleanly(path.join(root, DB_FILE))
    const { snap, slots, params, firstKek, scan, fileSeal } = await (async () => {
      const { snap, db, close } = openVaultSnapshot(root)
      try {
        const slots = choosePassphraseSlots(snap, sodium, opts.member)
        const params = slots.map((slot) => checkStoredKeyslot(slot, snap.createdKdf, opts))
        const firstKek = slots.length > 0 ? derivePassphraseKek(sodium, normalized, slots[0]!.salt!, params[0]!) : null
        firstKek?.catch(() => undefined)
        const checked = snap.schemaVersion >= STATE_SCHEMA_VERSION && !opts.__benchSkipStateCheck
        // A clean lock sealed the file: hashing it is all the check needs before the key (fileSeal.ts).
        const fileSeal = checked && wasClosedCleanly ? readFileSealCheck(root) : null
        if (checked && !fileSeal) await sodium.whenLinesFast()
        const scan = checked && !fileSeal ? scanState(sodium, db) : null
        return { snap, slots, params, firstKek, scan, fileSeal }
      } finally {
        close()
      }
    })()
    opts.__benchPhase?.('scanned')
    const erased = readAttempts(root).erased
    if (erased && !snap.keyslots.some((slot) => slot.kind === 'passphrase')) throw new CustodiaError('FORBIDDEN', describeErased(erased))
    for (const [index, slot] of slots.entries()) {
      const kdf = params[index]!
      const kek = index === 0 ? await firstKek! : await derivePassphraseKek(sodium, normalized, slot.salt!, kdf)
      if (index === 0) opts.__benchPhase?.('keyDerived')
      let duress: DuressNote | null = null
      try {
        const key = unwrapVaultKey(
          sodium,
          slot.wrapped_key,
          slot.nonce,
          kek,
          buildKeyslotAd(snap.vaultId, slot.id, 'passphrase', snap.formatVersion, kdf),
        )
        // Opened whether or not the keyslot did, so a real unlock and a duress one do the same work (duress.ts).
        duress = openCompanion(sodium, snap.settings.get(companionName(slot.id)), kek, snap, slot.id)
        if (key) return await finishUnlock(root, snap, sodium, key, { keyslotId: slot.id, method: 'passphrase', kek }, opts, scan, fileSeal)
      } finally {
        sodium.memzero(kek)
      }
      if (duress) return await openThroughDuress(root, sodium, duress, opts)
    }
    noteUnlockFailure(root, 'passphrase')
    throw countFailure(
      root,
      snap,
      sodium,
      refusedKeyslot(snap, opts.member === undefined ? 'The passphrase is wrong' : 'The member name or the passphrase is wrong'),
    )
  } finally {
    normalized.fill(0)
  }
}

/**
 * The passphrase keyslots to try: with a member name, only those whose stored hint matches it (one in practice: a
 * 1-in-256 false match costs one more derivation); without, every one, as in a vault of one person. A vault from before
 * members has no hints: every slot.
 */
function choosePassphraseSlots(snap: VaultSnapshot, sodium: SodiumBackend, member: string | undefined): KeyslotRow[] {
  const slots = snap.keyslots.filter((slot) => slot.kind === 'passphrase')
  if (member === undefined || snap.members.length === 0) return slots
  const hints = new Map(snap.members.filter((m) => m.keyslot_id !== null).map((m) => [m.keyslot_id!, m.name_hint]))
  return slots.filter((slot) => Buffer.isBuffer(slot.salt) && hints.get(slot.id) === computeNameHint(sodium, slot.salt, member))
}

/**
 * The duress passphrase opened a companion: as the user chose, destroy this vault's keyslots first or not, then open the
 * decoy vault with the key the note holds, as an ordinary unlock of it. A decoy that is gone or was replaced answers as a
 * wrong passphrase would (the wipe, if chosen, has happened).
 */
async function openThroughDuress(root: string, sodium: SodiumBackend, note: DuressNote, opts: VaultOptions): Promise<VaultInternals> {
  if (note.action === 'wipe') destroyKeyslots(root, note.keepRecovery ? 'passphrase' : 'all', sodium)
  // An ordinary unlock of this vault forgets its failed tries: so does this one (an erase's mark stays).
  resetFailedUnlocks(root, false)
  const wrong = () =>
    new CustodiaError(
      'WRONG_PASSPHRASE',
      opts.member === undefined ? 'The passphrase is wrong' : 'The member name or the passphrase is wrong',
    )
  let decoy: VaultSnapshot
  // The decoy is checked the way an ordinary unlock checks its vault (by its seal when it has one), so the two take
  // the same time after the derivation.
  const decoyClosedCleanly = closedCleanly(path.join(path.resolve(note.decoyDir), DB_FILE))
  try {
    decoy = readVaultSnapshot(note.decoyDir)
  } catch {
    throw wrong()
  }
  const decoySeal = decoyClosedCleanly ? readFileSealCheck(path.resolve(note.decoyDir)) : null
  const key = takeDecoyKey(sodium, note)
  if (!key || decoy.vaultId !== note.decoyVaultId) {
    if (key) sodium.memzero(key)
    throw wrong()
  }
  return finishUnlock(
    path.resolve(note.decoyDir),
    decoy,
    sodium,
    key,
    { keyslotId: note.decoySlotId, method: 'passphrase', kek: null },
    opts,
    null,
    decoySeal,
  )
}

/** Counts a failed unlock against the wipe policy (unlockGuard.ts): the message then says how many tries are left. */
function countFailure(root: string, snap: VaultSnapshot, sodium: SodiumBackend, refusal: CustodiaError): CustodiaError {
  const message = recordFailedUnlock(root, readWipePolicy(snap.settings), sodium, refusal.message)
  return new CustodiaError(refusal.code, message)
}

/** A keyslot that did not open: a wrong passphrase, unless the keyslots fail their check (then it is damage). */
function refusedKeyslot(snap: VaultSnapshot, wrongMessage: string): CustodiaError {
  if (snap.keyslotsIntact) return new CustodiaError('WRONG_PASSPHRASE', wrongMessage)
  return new CustodiaError(
    'CORRUPT',
    "The vault's key slots are damaged or were changed outside Custodia, so the passphrase could not be checked. Try the recovery key, or restore the vault from a backup.",
  )
}

/**
 * Unlocks a vault with its recovery key (format errors and typos → VALIDATION before anything is read). No slow KDF:
 * the recovery key holds 256 random bits. Wrong key → WRONG_PASSPHRASE (counted like a wrong passphrase).
 */
export async function unlockWithRecoveryKey(dir: string, recoveryKey: string, opts: VaultOptions): Promise<VaultInternals> {
  const recoveryBytes = parseRecoveryKey(recoveryKey)
  try {
    const root = path.resolve(dir)
    const snap = readVaultSnapshot(root)
    const sodium = opts.sodium ?? (await loadSodium())
    for (const slot of snap.keyslots.filter((s) => s.kind === 'recovery')) {
      const kek = deriveRecoveryKek(sodium, recoveryBytes, snap.vaultId, slot.id)
      try {
        const key = unwrapVaultKey(
          sodium,
          slot.wrapped_key,
          slot.nonce,
          kek,
          buildKeyslotAd(snap.vaultId, slot.id, 'recovery', snap.formatVersion),
        )
        if (key)
          return await finishUnlock(
            root,
            snap,
            sodium,
            key,
            { keyslotId: slot.id, method: 'recovery', kek: null, recoveryKek: kek },
            opts,
            null,
          )
      } finally {
        sodium.memzero(kek)
      }
    }
    noteUnlockFailure(root, 'recovery')
    throw countFailure(root, snap, sodium, refusedKeyslot(snap, 'The recovery key does not open this vault'))
  } finally {
    recoveryBytes.fill(0)
  }
}

/** How the vault key was reached: the keyslot, and for a passphrase its KEK (a member's signing key is sealed under it). */
export interface UnlockPath {
  keyslotId: string
  method: 'passphrase' | 'recovery' | 'invitation'
  kek: Buffer | null
  /** For a recovery unlock, its KEK: the member's X25519 secret key may be sealed under it (areaKeys.ts). */
  recoveryKek?: Buffer | null
  /**
   * A member joining with an invitation: runs inside the unlock's last transaction (their keyslots, their member row,
   * the invitation gone) and returns them as the member working.
   */
  join?: (vault: VaultInternals) => CurrentMember
}

export async function finishUnlock(
  root: string,
  snap: VaultSnapshot,
  sodium: SodiumBackend,
  vaultKey: Buffer,
  how: UnlockPath,
  opts: VaultOptions,
  scan: StateScan | null,
  fileSeal: FileSealCheck | null = null,
): Promise<VaultInternals> {
  const { keyslotId, method } = how
  let db: Database.Database | undefined
  let internals: VaultInternals | undefined
  try {
    const connection = openDatabase(path.join(root, DB_FILE))
    db = connection
    const schemaBefore = readSchemaVersion(connection)
    // Migration, and for a vault that predates the state commitment its first seal, in one transaction: a crash can
    // leave neither a migrated vault without a commitment nor a commitment over half-migrated rows.
    const opened = connection
      .transaction(() => {
        migrateDatabase(connection)
        const meta = readMeta(connection)
        if (meta.vault_id !== snap.vaultId) throw new CustodiaError('CORRUPT', 'The vault changed while it was being opened')
        const repo = new VaultRepository(connection)
        const created = new VaultInternals(root, connection, repo, sodium, meta.vault_id, meta.format_version, vaultKey)
        // Activity entries written after a removal go under the newest content epoch the working member holds.
        created.chain.epochKeys = auditEpochKeys(created)
        if (opts.now) created.now = opts.now
        internals = created
        const guard = repo.readKeyslotGuard()
        if (guard.check === null) repo.writeKeyslotCheck(computeKeyslotCheck(connection, meta.vault_id, guard.createdKdf))
        // A commitment sealed before item keys gains the (still empty) item-key area, in this same transaction.
        if (schemaBefore >= STATE_SCHEMA_VERSION && schemaBefore < AREA_KEYS_SCHEMA_VERSION) created.state.extendLegacy()
        if (schemaBefore < MEMBERS_SCHEMA_VERSION) addFirstMember(created, snap, how, opts, schemaBefore)
        if (schemaBefore < STATE_SCHEMA_VERSION) created.state.seal()
        return created
      })
      .immediate()
    await removeLeftovers(opened)
    if (!how.join) {
      // Their own keys first: their details may be sealed under a content epoch (written after a removal), and a vault
      // whose epochs were set back is refused before anything is read or written (epochKeys.ts).
      const slotOwner = opened.repo.getMemberByKeyslot(keyslotId)
      if (slotOwner) openOwnKeys(opened, slotOwner.id, how)
      // Who is working: a suspended member is refused here, before anything is written.
      opened.member = resolveSlotMember(opened, keyslotId)
    }
    if (schemaBefore >= STATE_SCHEMA_VERSION && opts.__benchSkipStateCheck) opened.state.activate()
    else if (schemaBefore >= STATE_SCHEMA_VERSION && fileSeal && opened.state.keys.sealMatches(fileSeal.seal, fileSeal.file)) {
      // Byte for byte the file a clean lock sealed: the rows are those the last check passed, plus Custodia's writes.
      opts.__statePath?.('seal')
      opened.state.activate()
    } else if (schemaBefore >= STATE_SCHEMA_VERSION) {
      opts.__statePath?.('scan')
      let report = checkState(opened, scan ?? scanState(sodium, connection))
      if (!report.intact && acceptErasedPassphrases(opened, root, report)) report = checkState(opened, scanState(sodium, connection))
      if (!report.intact) {
        if (opts.onTampered !== 'review' || how.join)
          throw new CustodiaError('TAMPERED', formatIntegrityReport(report, how.join ? JOIN_WAY_OUT : INTEGRITY_WAY_OUT))
        // Opened for review: nothing is written (not even the unlock) until the user accepts what is there.
        opened.integrity = report
        opened.state.refuseWrites('This vault was changed outside Custodia: review the changes before you work in it.')
        return opened
      }
      opened.state.activate()
    }
    // A vault of schema 4 whose slot no member holds: only when its member list was edited, which the check reports.
    if (!how.join && opened.member === null && snap.schemaVersion >= MEMBERS_SCHEMA_VERSION)
      throw new CustodiaError('TAMPERED', "This vault's member list was changed outside Custodia: no member holds this key.")
    const repo = opened.repo
    const pending = takeUnlockFailures(root)
    try {
      repo.runInTransaction(() => {
        if (how.join) {
          opened.member = how.join(opened)
          opened.chain.append('member.joined', { memberId: opened.member.id })
        }
        for (const failure of pending.failures) opened.chain.append('vault.unlock_failed', { method: failure.method }, failure.at)
        if (pending.omitted > 0) opened.chain.append('vault.unlock_failed', { method: 'unknown', count: pending.omitted })
        opened.chain.append('vault.unlocked', { keyslotId, method })
        ensureCompanions(opened, readKeyslots(connection))
        settleMemberKeys(opened, how)
      })
    } catch (err) {
      restoreUnlockFailures(root, pending)
      throw err
    }
    resetFailedUnlocks(root, method === 'passphrase')
    // From now on the file changes: a crash before the next clean lock must meet the full check, not an old seal.
    removeSeal(root)
    // Records and attachments from before item keys are re-encrypted now, in resumable steps (itemKeyMigration.ts).
    await migrateToItemKeys(opened, opts.onItemKeyMigration)
    // Sensitive sections of older records go apart under the sensitive key, once, at a holder's unlock (partMigration.ts).
    for (const splitter of opts.partSplitters ?? []) moveSensitiveParts(opened, splitter)
    return opened
  } catch (err) {
    if (internals) internals.member = null
    db?.close()
    for (const key of internals?.keyBuffers() ?? [vaultKey]) sodium.memzero(key)
    throw err
  }
}

/**
 * After a wipe that kept the recovery keys, the first recovery unlock finds the passphrase keyslots gone: that change
 * was made by Custodia without the key (unlockGuard.ts), so when it is the only one found, the commitment is sealed
 * over the keyslots as they are and the log says why. Any other change is still reported. True when it accepted.
 */
function acceptErasedPassphrases(vault: VaultInternals, root: string, report: IntegrityReport): boolean {
  if (readAttempts(root).erased !== 'passphrase') return false
  if (!report.problems.every((problem) => problem.area === 'keyslots' || problem.area === 'invitations')) return false
  if (readKeyslots(vault.db).some((slot) => slot.kind === 'passphrase')) return false
  vault.repo.runInTransaction(() => {
    vault.state.seal()
    vault.chain.append('vault.passphrases_erased', { problems: report.problems.length })
    refreshKeyslotCheck(vault)
  })
  return true
}

/** Why a join into a vault found changed is refused: the newcomer cannot judge what changed. */
const JOIN_WAY_OUT = 'Ask an admin to open the vault in the Custodia app and review these changes before you join.'

/**
 * Migration to members, inside the migration's transaction: the one person of an older vault becomes its admin,
 * holding every keyslot it had (nothing is re-encrypted). For a vault already sealed (schema 3), the commitment is
 * extended to the new areas and follows the member row; an older one is sealed whole right after.
 */
function addFirstMember(vault: VaultInternals, snap: VaultSnapshot, how: UnlockPath, opts: VaultOptions, schemaBefore: number): void {
  if (vault.repo.listMembers().length > 0) return
  const passphraseSlots = snap.keyslots.filter((slot) => slot.kind === 'passphrase')
  const passphraseSlot = passphraseSlots.find((slot) => slot.id === how.keyslotId) ?? passphraseSlots[0]
  const recoverySlot = snap.keyslots.find((slot) => slot.kind === 'recovery' && (how.method !== 'recovery' || slot.id === how.keyslotId))
  if (!passphraseSlot?.salt) throw new CustodiaError('CORRUPT', 'The vault has no passphrase keyslot')
  if (schemaBefore >= STATE_SCHEMA_VERSION) {
    vault.state.extendLegacy()
    // Follow the new row only when the stored commitment is this vault's own; otherwise the check reports it.
    if (vault.state.keys.authentic(vault.repo.readStateDigest())) vault.state.activate()
  }
  vault.repo.runInTransaction(() => {
    const row = insertMember(
      vault,
      { name: opts.member ?? opts.adminName ?? DEFAULT_ADMIN_NAME, role: 'admin' },
      {
        keyslotId: passphraseSlot.id,
        recoveryId: recoverySlot?.id ?? null,
        salt: passphraseSlot.salt!,
        kek: how.method === 'passphrase' ? how.kek : null,
      },
    )
    // A cut log is for the check to report, not for this entry to fail on.
    if (vault.chain.headIsCurrent()) vault.chain.append('member.added', { memberId: row.id, role: 'admin', migrated: true })
  })
}

/**
 * At an unlock, before anything is written: opens the slot owner's X25519 secret key (with the passphrase KEK, or the
 * recovery KEK) and the area keys granted to them (areaKeys.ts), then checks their epoch floor (TAMPERED when the
 * vault's epochs were deleted or set back: epochKeys.ts).
 */
function openOwnKeys(vault: VaultInternals, memberId: string, how: UnlockPath): void {
  const kek = how.kek ?? how.recoveryKek ?? null
  const secret = kek ? openMemberSecret(vault, memberId, kek, how.kek ? 'passphrase' : 'recovery') : null
  if (secret) {
    vault.setMemberSecret(secret)
    vault.sodium.memzero(secret)
  }
  loadAreaKeys(vault, memberId)
  checkEpochFloors(vault, memberId)
}

/**
 * At an unlock, inside its last transaction: makes the working member's key pair when they have none yet (a member
 * from before schema 6, at their first passphrase unlock), seals pending grants they can, opens any area key that
 * arrived with them (a join), and moves their epoch floor up to what they now hold.
 */
function settleMemberKeys(vault: VaultInternals, how: UnlockPath): void {
  const member = vault.member
  if (!member) return
  if (!vault.memberSecret && how.kek && !vault.repo.getMemberKey(member.id))
    createMemberKeyPair(vault, member.id, { passphrase: how.kek, recovery: null }, true)
  loadAreaKeys(vault)
  settleAreaKeys(vault, (memberId) => activeRoleOf(vault, memberId))
  raiseEpochFloors(vault)
}

/** Recomputes and stores the keyslot check (after the user accepted the keyslots as they are). */
export function refreshKeyslotCheck(vault: VaultInternals): void {
  vault.repo.writeKeyslotCheck(computeKeyslotCheck(vault.db, vault.vaultId, vault.repo.readKeyslotGuard().createdKdf))
}

/** Checks a full scan against the stored commitment; when they differ, says what changed. */
export function checkState(vault: VaultInternals, scan: StateScan): IntegrityReport {
  const result = vault.state.keys.check(scan)
  // The newest entries cut with the head left as it was: the commitment still matches the head, the head not the log.
  const headCurrent = vault.chain.headIsCurrent()
  const areas = headCurrent || result.areas.includes('audit') ? result.areas : [...result.areas, 'audit' as const]
  return describeIntegrityProblems(vault, { ...result, areas })
}

/**
 * Re-wraps the vault key under a new passphrase (fresh salt, same KDF parameters as the slot, at least MIN_KDF).
 * Record and attachment ciphertext is untouched; the old passphrase stops working. Wrong old passphrase →
 * WRONG_PASSPHRASE; empty new one → VALIDATION. Logs `vault.passphrase_changed`; checkpoints the WAL so the old
 * wrapped key does not linger in it.
 */
export async function changePassphrase(vault: VaultInternals, oldPassphrase: Uint8Array, newPassphrase: Uint8Array): Promise<void> {
  vault.assertUnlocked()
  const oldNorm = normalizePassphrase(oldPassphrase)
  const newNorm = normalizePassphrase(newPassphrase)
  try {
    // A member changes their own passphrase: only their keyslot is tried (two members may share a passphrase).
    const memberRow = vault.member ? vault.repo.getMember(vault.member.id) : undefined
    const slots = readKeyslots(vault.db).filter((slot) => slot.kind === 'passphrase' && (!memberRow || slot.id === memberRow.keyslot_id))
    for (const slot of slots) {
      const kdf = checkStoredKeyslot(slot)
      const oldKek = await derivePassphraseKek(vault.sodium, oldNorm, slot.salt!, kdf)
      let key: Buffer | null
      try {
        vault.assertUnlocked()
        key = unwrapVaultKey(
          vault.sodium,
          slot.wrapped_key,
          slot.nonce,
          oldKek,
          buildKeyslotAd(vault.vaultId, slot.id, 'passphrase', vault.formatVersion, kdf),
        )
      } catch (error) {
        vault.sodium.memzero(oldKek)
        throw error
      }
      const matches = key !== null && constantTimeEqual(key, vault.vaultKey)
      if (key) vault.sodium.memzero(key)
      if (!matches) {
        vault.sodium.memzero(oldKek)
        continue
      }
      try {
        await rewrapPassphraseSlot(vault, slot, kdf, newNorm, oldKek, memberRow?.id ?? null)
      } finally {
        vault.sodium.memzero(oldKek)
      }
      vault.db.pragma('wal_checkpoint(TRUNCATE)')
      return
    }
    throw new CustodiaError('WRONG_PASSPHRASE', 'The current passphrase is wrong')
  } finally {
    oldNorm.fill(0)
    newNorm.fill(0)
  }
}

/** The second half of a passphrase change: the slot under a new KEK; the member's signing key and name hint follow. */
async function rewrapPassphraseSlot(
  vault: VaultInternals,
  slot: KeyslotRow,
  kdf: KdfParams,
  newNorm: Buffer,
  oldKek: Buffer,
  memberId: string | null,
): Promise<void> {
  const newKdf = { opslimit: Math.max(kdf.opslimit, MIN_KDF.opslimit), memlimit: Math.max(kdf.memlimit, MIN_KDF.memlimit) }
  const salt = vault.sodium.randomBytes(PWHASH_SALT_BYTES)
  const newKek = await derivePassphraseKek(vault.sodium, newNorm, salt, newKdf)
  try {
    vault.assertUnlocked()
    const wrapped = wrapVaultKey(
      vault.sodium,
      vault.vaultKey,
      newKek,
      buildKeyslotAd(vault.vaultId, slot.id, 'passphrase', vault.formatVersion, newKdf),
    )
    vault.repo.runInTransaction(() => {
      vault.repo.updateKeyslot({
        ...slot,
        salt,
        opslimit: newKdf.opslimit,
        memlimit: newKdf.memlimit,
        nonce: wrapped.nonce,
        wrapped_key: wrapped.wrapped,
      })
      if (memberId) resealSigningKey(vault, memberId, oldKek, newKek, salt)
      // The member's X25519 secret key follows (a member who has none yet gets their key pair now).
      if (memberId) resealMemberSecret(vault, memberId, oldKek, newKek)
      // The new salt makes the old companion unopenable: a duress passphrase must be set again (duress.ts).
      resetCompanionAfterPassphraseChange(vault, slot.id)
      vault.chain.append('vault.passphrase_changed', { keyslotId: slot.id })
      refreshKeyslotCheck(vault)
    })
  } finally {
    vault.sodium.memzero(newKek)
  }
}
