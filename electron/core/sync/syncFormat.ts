// Main process / CLI (Node only): the on-disk format of sync (docs/SYNC.md) — change-set files sealed under the team
// key (XChaCha20-Poly1305) and signed by the writing device (Ed25519), their names in the shared folder, and the
// invitation file that carries the team key to a new replica under a one-time code. No vault, no tables: bytes in,
// bytes out; sync/syncEngine.ts combines this with the vault.
import crypto from 'node:crypto'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { isRole, type Role } from '../../../shared/members/roles'
import { buildAssociatedData } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'

/** Version of the change-set and invitation formats this build writes and reads. */
export const SYNC_FORMAT = 1
/** Team, device and record ids: 32 lower-case hex characters (128 random bits). */
export const SYNC_ID_PATTERN = /^[0-9a-f]{32}$/
/** Final change-set names: 12-digit sequence number, '-', BLAKE2b-256 of the file bytes (64 hex), '.cset'. */
export const CHANGESET_NAME_PATTERN = /^(\d{12})-([0-9a-f]{64})\.cset$/
/** A change-set file is small (a few documents); anything larger is refused before it is read whole. */
export const MAX_CHANGESET_BYTES = 80 * 1024 * 1024
/** The folder inside the user's sync folder that Custodia owns. */
export const SYNC_ROOT_DIR = 'custodia-sync'

const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')

/** A device of the team as every replica knows it: its signing key and the member and role it acts for. */
export interface RosterEntry {
  readonly deviceId: string
  /** Raw 32-byte Ed25519 public key, lower-case hex. */
  readonly publicKey: string
  readonly member: string
  readonly role: Role
  /**
   * Raw 32-byte X25519 public key, lower-case hex, derived from the device's seed (deviceBoxKeys): new team keys are
   * sealed to it when a device is removed. Absent for devices invited before keys were rotated.
   */
  readonly boxKey?: string
  /**
   * Set once an admin removed the device: the last of its change-sets the team still accepts (those written before
   * the removal was made); every later one is refused.
   */
  readonly removedAfter?: number
}

/** An attachment added to a record: metadata, the key its chunks are sealed under and their hashes, in order. */
export interface AttachChange {
  readonly op: 'attach'
  readonly recordId: string
  /** The record's kind (the writer's role needs that kind's write capability). */
  readonly kind: string
  /** Kept on every replica: dossiers point at their files by id. */
  readonly attachmentId: string
  readonly filename: string
  readonly mediaType: string
  /** Plaintext size in bytes. */
  readonly size: number
  /** SHA-256 of the plaintext, 64 hex: checked once the chunks are joined again. */
  readonly sha256: string
  /** The attachment's transfer key: 32 random bytes, 64 hex, made for this attachment alone. */
  readonly key: string
  /** SHA-256 (64 hex) of each chunk file, in order: the files `chunks/<hash>.chunk` in the writer's folder. */
  readonly chunks: readonly string[]
}

/** An attachment removed (or, `shred`, destroyed for good) on the writing device while its record stays. */
export interface DetachChange {
  readonly op: 'detach'
  readonly recordId: string
  readonly kind: string
  readonly attachmentId: string
  readonly shred: boolean
}

/** One entry of the writing office's own activity log, as it travels (ids, counts and short words only). */
export interface TravellingActivity {
  /** Its number in the writer's own log (increasing inside a change). */
  readonly seq: number
  /** The writer's entry type, one of those that travel (sync/syncActivity.ts), e.g. `record.shredded`. */
  readonly type: string
  /** ISO 8601 UTC, by the writer's clock. */
  readonly at: string
  /** The member the roster names for the writing device: the reader refuses any other name. */
  readonly by: string
  readonly details: Readonly<Record<string, string | number | boolean>>
}

/** The writer's new activity entries about things that travel; each is sent once. */
export interface ActivityChange {
  readonly op: 'activity'
  readonly entries: readonly TravellingActivity[]
}

/** One change inside a change-set. */
export type SyncChange =
  | {
      readonly op: 'revise'
      readonly recordId: string
      /** The record kind: a library document kind, 'dossier' or 'annotation' (sync/syncKinds.ts). */
      readonly kind: string
      /** `<deviceId>-<seq>-<index>`: unique in the team, never reused. */
      readonly node: string
      /** The nodes this revision was made on top of (empty for a new record). */
      readonly parents: readonly string[]
      readonly savedAt: string
      readonly author: string
      readonly body: unknown
    }
  | { readonly op: 'roster.add'; readonly entry: RosterEntry }
  /**
   * A new team key (`keyId`, 32 hex), sealed to each remaining device's box key (crypto_box_seal of
   * `{"teamKey": hex, "sensitiveKey"?: hex}`; the sensitive key only to roles that may read sensitive parts).
   */
  | { readonly op: 'team.rekey'; readonly keyId: string; readonly keys: readonly { deviceId: string; sealed: string }[] }
  /**
   * A tombstone: the record was deleted (or, `shred`, destroyed for good) on the writing device. Every replica removes
   * it the same way (a shred through its own shred path) and never brings it back.
   */
  | { readonly op: 'delete'; readonly recordId: string; readonly kind: string; readonly shred: boolean }
  /** Removes a device: its change-sets after `lastSeq` are refused. */
  | { readonly op: 'roster.remove'; readonly deviceId: string; readonly lastSeq: number }
  /** An attachment added to a record; its bytes travel as chunk files (sync/syncAttachments.ts). */
  | AttachChange
  /** An attachment removed or shredded while its record stays. */
  | DetachChange
  /** The writer's own activity about records that travel (sync/syncActivity.ts). */
  | ActivityChange

export interface ChangeSetPayload {
  readonly v: 1
  readonly createdAt: string
  readonly changes: readonly SyncChange[]
}

/** The clear header of a change-set file; everything else is in `ciphertext`. */
export interface ChangeSetHeader {
  readonly team: string
  readonly device: string
  readonly seq: number
  /** Hash (64 hex) of this device's previous change-set file, '' for seq 1: each device's log is a chain. */
  readonly prev: string
  /** Which team key sealed it (32 hex, from a `team.rekey`); absent: the team's first key. */
  readonly key?: string
}

interface ChangeSetFile extends ChangeSetHeader {
  custodiaSync: number
  nonce: string
  ciphertext: string
  signature: string
}

/** 32-byte Ed25519 seed → Node KeyObject (private). */
function privateKeyOf(seed: Uint8Array): crypto.KeyObject {
  return crypto.createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' })
}

// Parsing a key costs about as much as a verification: a run checks hundreds of files from the same few devices.
const publicKeys = new Map<string, crypto.KeyObject>()

function publicKeyOf(raw: Uint8Array): crypto.KeyObject {
  const hex = Buffer.from(raw).toString('hex')
  let key = publicKeys.get(hex)
  if (!key) {
    key = crypto.createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
    if (publicKeys.size >= 1000) publicKeys.clear()
    publicKeys.set(hex, key)
  }
  return key
}

/** A fresh device signing key: 32-byte seed (caller zeroes it) and raw 32-byte public key. */
export function createDeviceKey(): { seed: Buffer; publicKey: Buffer } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519')
  return {
    seed: Buffer.from(privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(ED25519_PKCS8_PREFIX.length)),
    publicKey: Buffer.from(publicKey.export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length)),
  }
}

/** AD of the seal: binds the header, so a ciphertext moved under another header does not open. */
function sealAd(header: ChangeSetHeader): Buffer {
  return buildAssociatedData('sync.changeset', SYNC_FORMAT, header.team, header.device, header.seq, header.prev, ...keyField(header))
}

/** What the device signs: the header, the nonce and the ciphertext (length-prefixed, so unambiguous). */
function signedBytes(header: ChangeSetHeader, nonce: Uint8Array, ciphertext: Uint8Array): Buffer {
  return buildAssociatedData(
    'sync.changeset.signature',
    SYNC_FORMAT,
    header.team,
    header.device,
    header.seq,
    header.prev,
    ...keyField(header),
    nonce,
    ciphertext,
  )
}

/** The key id joins the sealed and signed fields only when there is one, so files of the first key keep their bytes. */
function keyField(header: ChangeSetHeader): string[] {
  return header.key === undefined ? [] : [header.key]
}

const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')

/**
 * A device's X25519 key pair for receiving new team keys, derived from its Ed25519 seed (BLAKE2b-256 keyed with the
 * seed over AD("sync.device-box-key", 1)), so nothing more has to be stored or carried. Caller zeroes secretKey.
 */
export function deviceBoxKeys(sodium: SodiumBackend, seed: Uint8Array): { publicKey: Buffer; secretKey: Buffer } {
  const secretKey = sodium.allocKey(32)
  secretKey.set(sodium.generichash(32, buildAssociatedData('sync.device-box-key', SYNC_FORMAT), seed))
  const privateKey = crypto.createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, secretKey]), format: 'der', type: 'pkcs8' })
  const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
  return { publicKey: Buffer.from(spki.subarray(spki.length - 32)), secretKey }
}

/** BLAKE2b-256 of a change-set file's bytes, 64 hex: its name and the `prev` of the device's next one. */
export function hashChangeSet(sodium: SodiumBackend, bytes: Uint8Array): string {
  return sodium.generichash(32, bytes).toString('hex')
}

/** `<seq padded to 12>-<hash>.cset` */
export function changeSetFileName(seq: number, hash: string): string {
  return `${String(seq).padStart(12, '0')}-${hash}.cset`
}

/** `<syncFolder>/custodia-sync/<teamId>/devices/<deviceId>`: only that device ever writes there. */
export function deviceFolder(syncFolder: string, teamId: string, deviceId: string): string {
  return path.join(syncFolder, SYNC_ROOT_DIR, teamId, 'devices', deviceId)
}

/**
 * Seals and signs a change-set. `teamKey`: 32 bytes; `seed`: the device's 32-byte Ed25519 seed. Returns the file bytes
 * (UTF-8 JSON) and their hash. The payload is padded to a multiple of 256 bytes so sizes say little.
 */
export function sealChangeSet(
  sodium: SodiumBackend,
  teamKey: Uint8Array,
  seed: Uint8Array,
  header: ChangeSetHeader,
  payload: ChangeSetPayload,
): { bytes: Buffer; hash: string } {
  const json = Buffer.from(JSON.stringify(payload), 'utf8')
  const padded = Buffer.alloc(Math.ceil((json.length + 1) / 256) * 256, 0x20)
  json.copy(padded)
  const nonce = sodium.randomBytes(24)
  const ciphertext = sodium.aeadEncrypt(padded, sealAd(header), nonce, teamKey)
  const signature = crypto.sign(null, signedBytes(header, nonce, ciphertext), privateKeyOf(seed))
  const file: ChangeSetFile = {
    custodiaSync: SYNC_FORMAT,
    team: header.team,
    device: header.device,
    seq: header.seq,
    prev: header.prev,
    ...(header.key === undefined ? {} : { key: header.key }),
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    signature: signature.toString('base64'),
  }
  const bytes = Buffer.from(JSON.stringify(file), 'utf8')
  return { bytes, hash: hashChangeSet(sodium, bytes) }
}

/** A dossier's sensitive part inside a change-set, sealed once more under the team's sensitive key (base64). */
export interface SealedSensitivePart {
  readonly n: string
  readonly c: string
}

/** Binds a sealed sensitive part to its team, record and revision node: it cannot be moved into another one. */
function sensitiveAd(teamId: string, recordId: string, node: string): Buffer {
  return buildAssociatedData('sync.sensitive-part', SYNC_FORMAT, teamId, recordId, node)
}

/** Seals a dossier's sensitive part under the team's sensitive key (XChaCha20-Poly1305, padded to 256 bytes). */
export function sealSensitivePart(
  sodium: SodiumBackend,
  key: Uint8Array,
  where: { teamId: string; recordId: string; node: string },
  value: unknown,
): SealedSensitivePart {
  const json = Buffer.from(JSON.stringify(value), 'utf8')
  const padded = Buffer.alloc(Math.ceil((json.length + 1) / 256) * 256, 0x20)
  json.copy(padded)
  const nonce = sodium.randomBytes(24)
  const sealed = sodium.aeadEncrypt(padded, sensitiveAd(where.teamId, where.recordId, where.node), nonce, key)
  sodium.memzero(padded)
  return { n: nonce.toString('base64'), c: sealed.toString('base64') }
}

/** Opens a sealed sensitive part; ChangeSetRefusal when it is malformed or does not open (altered or moved). */
export function openSensitivePart(
  sodium: SodiumBackend,
  key: Uint8Array,
  where: { teamId: string; recordId: string; node: string },
  sealed: unknown,
): unknown {
  const s = sealed as Partial<SealedSensitivePart> | null
  if (typeof s !== 'object' || s === null || typeof s.n !== 'string' || typeof s.c !== 'string')
    throw new ChangeSetRefusal('holds a sensitive part described wrongly')
  let plain: Buffer
  try {
    plain = sodium.aeadDecrypt(
      Buffer.from(s.c, 'base64'),
      sensitiveAd(where.teamId, where.recordId, where.node),
      Buffer.from(s.n, 'base64'),
      key,
    )
  } catch {
    throw new ChangeSetRefusal("holds a sensitive part that does not open with the team's sensitive key (altered or moved)")
  }
  try {
    return JSON.parse(plain.toString('utf8')) as unknown
  } catch {
    throw new ChangeSetRefusal('holds an unreadable sensitive part')
  } finally {
    sodium.memzero(plain)
  }
}

/** Why a change-set file was refused, in words for the activity log and `custodia sync status`. */
export class ChangeSetRefusal extends Error {
  constructor(message: string) {
    super(message)
  }
}

/** The header of a change-set file, read without any key (format and field checks only). ChangeSetRefusal if malformed. */
export function readChangeSetHeader(bytes: Uint8Array): ChangeSetHeader & { nonce: Buffer; ciphertext: Buffer; signature: Buffer } {
  let file: Partial<ChangeSetFile>
  try {
    file = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<ChangeSetFile>
  } catch {
    throw new ChangeSetRefusal('is not a Custodia change-set (unreadable)')
  }
  if (typeof file !== 'object' || file === null || file.custodiaSync === undefined)
    throw new ChangeSetRefusal('is not a Custodia change-set')
  if (file.custodiaSync !== SYNC_FORMAT) throw new ChangeSetRefusal('was written by a newer Custodia: update this copy of Custodia')
  const ok =
    typeof file.team === 'string' &&
    SYNC_ID_PATTERN.test(file.team) &&
    typeof file.device === 'string' &&
    SYNC_ID_PATTERN.test(file.device) &&
    Number.isSafeInteger(file.seq) &&
    (file.seq as number) >= 1 &&
    typeof file.prev === 'string' &&
    /^([0-9a-f]{64})?$/.test(file.prev) &&
    (file.key === undefined || (typeof file.key === 'string' && SYNC_ID_PATTERN.test(file.key))) &&
    typeof file.nonce === 'string' &&
    typeof file.ciphertext === 'string' &&
    typeof file.signature === 'string'
  if (!ok) throw new ChangeSetRefusal('is not a Custodia change-set (fields missing)')
  const nonce = Buffer.from(file.nonce!, 'base64')
  const signature = Buffer.from(file.signature!, 'base64')
  if (nonce.length !== 24 || signature.length !== 64) throw new ChangeSetRefusal('is not a Custodia change-set (bad sizes)')
  return {
    team: file.team!,
    device: file.device!,
    seq: file.seq!,
    prev: file.prev!,
    ...(file.key === undefined ? {} : { key: file.key }),
    nonce,
    ciphertext: Buffer.from(file.ciphertext!, 'base64'),
    signature,
  }
}

/**
 * Verifies the signature with the device's public key (32 bytes), then opens the seal with the team key. ChangeSetRefusal
 * naming which check failed: a forged or altered file fails the signature; a file sealed under another key fails the
 * seal. Returns the payload (shape-checked: changes are checked one by one by the applier).
 */
export function openChangeSet(
  sodium: SodiumBackend,
  teamKey: Uint8Array,
  publicKey: Uint8Array,
  file: ReturnType<typeof readChangeSetHeader>,
): ChangeSetPayload {
  const valid = crypto.verify(null, signedBytes(file, file.nonce, file.ciphertext), publicKeyOf(publicKey), file.signature)
  if (!valid) throw new ChangeSetRefusal("has a signature that does not match its device's key (forged or altered)")
  let plain: Buffer
  try {
    plain = sodium.aeadDecrypt(file.ciphertext, sealAd(file), file.nonce, teamKey)
  } catch {
    throw new ChangeSetRefusal('could not be opened with the team key (altered, or sealed for another team)')
  }
  let payload: Partial<ChangeSetPayload>
  try {
    payload = JSON.parse(plain.toString('utf8')) as Partial<ChangeSetPayload>
  } catch {
    throw new ChangeSetRefusal('holds unreadable content')
  }
  if (payload?.v !== 1 || !Array.isArray(payload.changes) || typeof payload.createdAt !== 'string')
    throw new ChangeSetRefusal('holds content of an unknown shape')
  return payload as ChangeSetPayload
}

/** Checks a roster entry read from a file (invitation or change-set). null when it is not one. */
export function readRosterEntry(value: unknown): RosterEntry | null {
  const e = value as Partial<RosterEntry> | null
  if (typeof e !== 'object' || e === null) return null
  if (typeof e.deviceId !== 'string' || !SYNC_ID_PATTERN.test(e.deviceId)) return null
  if (typeof e.publicKey !== 'string' || !/^[0-9a-f]{64}$/.test(e.publicKey)) return null
  if (typeof e.member !== 'string' || e.member.trim() === '' || e.member.length > 200) return null
  if (!isRole(e.role)) return null
  if (e.removedAfter !== undefined && !(Number.isSafeInteger(e.removedAfter) && e.removedAfter >= 0)) return null
  if (e.boxKey !== undefined && (typeof e.boxKey !== 'string' || !/^[0-9a-f]{64}$/.test(e.boxKey))) return null
  const entry = {
    deviceId: e.deviceId,
    publicKey: e.publicKey,
    member: e.member,
    role: e.role,
    ...(e.boxKey === undefined ? {} : { boxKey: e.boxKey }),
  }
  return e.removedAfter === undefined ? entry : { ...entry, removedAfter: e.removedAfter }
}

// --- invitations -------------------------------------------------------------------------------------------------

/** What an invitation carries to the new replica: the team, its key, the new device's own signing key and the roster. */
export interface SyncInvitation {
  readonly v: 1
  readonly teamId: string
  /** 32-byte team key, hex (only inside the sealed invitation). */
  readonly teamKey: string
  readonly deviceId: string
  /** The new device's 32-byte Ed25519 seed, hex. */
  readonly deviceSeed: string
  readonly member: string
  readonly role: Role
  readonly roster: readonly RosterEntry[]
  /**
   * The team's 32-byte sensitive key, hex: only for a role that may read dossiers' sensitive parts
   * (`dossiers.readSensitive`); without it the new replica never receives them.
   */
  readonly sensitiveKey?: string
  /** Team keys made by rotations so far (sensitive keys only for such a role), and the one to seal with. */
  readonly rotatedKeys?: Readonly<Record<string, { teamKey: string; sensitiveKey?: string }>>
  readonly currentKey?: string
}

export const INVITATION_FILE_MARK = 'custodia-sync-invitation'
const MAX_INVITATION_BYTES = 256 * 1024

/** The key an invitation code opens: BLAKE2b-256 keyed with the 32 code bytes over a label. Caller zeroes it. */
function invitationKey(sodium: SodiumBackend, code: Uint8Array): Buffer {
  const key = sodium.allocKey(32)
  key.set(sodium.generichash(32, buildAssociatedData('sync.invitation-key', SYNC_FORMAT), code))
  return key
}

/** Seals an invitation under a 32-byte one-time code (256 random bits: no slow key derivation needed). */
export function sealInvitation(sodium: SodiumBackend, code: Uint8Array, invitation: SyncInvitation): Buffer {
  const key = invitationKey(sodium, code)
  try {
    const nonce = sodium.randomBytes(24)
    const ciphertext = sodium.aeadEncrypt(
      Buffer.from(JSON.stringify(invitation), 'utf8'),
      buildAssociatedData(INVITATION_FILE_MARK),
      nonce,
      key,
    )
    return Buffer.from(
      JSON.stringify({ [INVITATION_FILE_MARK]: SYNC_FORMAT, nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64') }),
    )
  } finally {
    sodium.memzero(key)
  }
}

function rotatedKeysValid(inv: SyncInvitation): boolean {
  if (inv.rotatedKeys === undefined) return inv.currentKey === undefined
  if (typeof inv.rotatedKeys !== 'object' || inv.rotatedKeys === null) return false
  const hex = /^[0-9a-f]{64}$/
  const entries = Object.entries(inv.rotatedKeys)
  return (
    entries.every(
      ([id, k]) => SYNC_ID_PATTERN.test(id) && hex.test(k?.teamKey) && (k.sensitiveKey === undefined || hex.test(k.sensitiveKey)),
    ) &&
    (inv.currentKey === undefined || (typeof inv.currentKey === 'string' && inv.rotatedKeys[inv.currentKey] !== undefined))
  )
}

/** Opens an invitation file. Not one → VALIDATION; wrong code or altered file → WRONG_PASSPHRASE (one message for both). */
export function openInvitation(sodium: SodiumBackend, code: Uint8Array, bytes: Uint8Array): SyncInvitation {
  if (bytes.length > MAX_INVITATION_BYTES) throw new CustodiaError('VALIDATION', 'This file is not a Custodia sync invitation (too large).')
  let file: Record<string, unknown>
  try {
    file = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>
  } catch {
    throw new CustodiaError('VALIDATION', 'This file is not a Custodia sync invitation.')
  }
  if (file?.[INVITATION_FILE_MARK] !== SYNC_FORMAT || typeof file['nonce'] !== 'string' || typeof file['ciphertext'] !== 'string')
    throw new CustodiaError('VALIDATION', 'This file is not a Custodia sync invitation.')
  const key = invitationKey(sodium, code)
  let plain: Buffer
  try {
    plain = sodium.aeadDecrypt(
      Buffer.from(file['ciphertext'], 'base64'),
      buildAssociatedData(INVITATION_FILE_MARK),
      Buffer.from(file['nonce'], 'base64'),
      key,
    )
  } catch {
    throw new CustodiaError(
      'WRONG_PASSPHRASE',
      'The invitation code does not open this invitation: check the code, or ask for a new invitation.',
    )
  } finally {
    sodium.memzero(key)
  }
  const inv = JSON.parse(plain.toString('utf8')) as SyncInvitation
  sodium.memzero(plain)
  const roster = Array.isArray(inv.roster) ? inv.roster.map(readRosterEntry) : []
  if (
    inv.v !== 1 ||
    !SYNC_ID_PATTERN.test(inv.teamId) ||
    !/^[0-9a-f]{64}$/.test(inv.teamKey) ||
    (inv.sensitiveKey !== undefined && !/^[0-9a-f]{64}$/.test(inv.sensitiveKey)) ||
    !SYNC_ID_PATTERN.test(inv.deviceId) ||
    !/^[0-9a-f]{64}$/.test(inv.deviceSeed) ||
    roster.length === 0 ||
    roster.some((e) => e === null) ||
    !isRole(inv.role) ||
    !rotatedKeysValid(inv)
  )
    throw new CustodiaError('VALIDATION', 'This sync invitation is incomplete: ask for a new one.')
  return { ...inv, roster: roster as RosterEntry[] }
}
