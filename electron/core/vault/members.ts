// Main process (Node only): the vault's members — who they are (sealed), which keyslots are theirs, their role and
// status, invitations to join — and the rules for changing them: only a member whose role may manage members does,
// the last admin cannot remove, suspend or demote themselves, and every change is one transaction with its audit
// entry. Roles and capabilities are the shared table (shared/members/roles.ts). docs/MEMBERS.md, docs/CRYPTO.md §12.

import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { CustodiaError } from '../../../shared/errors'
import {
  checkMemberName,
  describeRefusal,
  isRole,
  MAX_MEMBER_EMAIL_CHARS,
  memberNameKey,
  roleCan,
  ROLE_LABELS,
  type MemberStatus,
  type Role,
} from '../../../shared/members/roles'
import { buildAssociatedData, encodeRecoveryKey, KEY_BYTES, wrapVaultKey } from '../platform/crypto/keys'
import { openJson, sealJson } from '../platform/crypto/sealedJson'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { InvitationRow, MemberRow } from '../platform/db/vaultRepo'
import {
  CONTENT_AREA,
  grantArea,
  missingContentKey,
  revokeSensitiveArea,
  roleReadsSensitive,
  rotateContentKey,
  sealInvitationAreaKeys,
  SENSITIVE_AREA,
} from './areaKeys'
import { epochKeyOf, raiseEpochFloors, sealingEpochKey } from './epochKeys'
import type { VaultInternals } from './internals'
import type { CurrentMember } from './types'
import { createRandomId, validateId } from './validation'

/** How long an invitation code can be used: 7 days (issue #17). */
export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000

/** What is sealed in members.meta_ct. */
interface MemberMeta {
  v: 1
  name: string
  email: string | null
  role: Role
  status: MemberStatus
  createdAt: string
  /** Raw Ed25519 public key, hex; null until the member has a passphrase (the seed is sealed under its KEK). */
  signingPublicKey: string | null
}

/** A member as lists show them. */
export interface MemberInfo {
  id: string
  name: string
  email: string | null
  role: Role
  status: MemberStatus
  /** False until the member set their passphrase with the invitation code. */
  joined: boolean
  createdAt: string
  signingPublicKey: string | null
  /** ISO 8601 when an unused invitation expires; null when there is none. */
  invitationExpiresAt: string | null
}

export type { CurrentMember } from './types'

function memberAd(vault: VaultInternals, memberId: string): Buffer {
  return buildAssociatedData('member.meta', vault.vaultId, memberId, vault.formatVersion)
}

/**
 * Seals a member's details under the newest content epoch (epochKeys.ts: the members subkey in epoch 0), so details
 * written after a removal are out of the removed member's reach. A member whose grant of that epoch is pending may not
 * write details (FORBIDDEN), except their own as they join or change their passphrase (`own`), under the newest epoch
 * they hold (what a pending member can do at all).
 */
function sealMeta(
  vault: VaultInternals,
  memberId: string,
  meta: MemberMeta,
  own = false,
): { meta_nonce: Buffer; meta_ct: Buffer; meta_epoch: number } {
  const { epoch, key } = sealingEpochKey(vault, 'member', !own)
  const sealed = sealJson(vault.sodium, key, memberAd(vault, memberId), meta, 256)
  return { meta_nonce: sealed.nonce, meta_ct: sealed.ciphertext, meta_epoch: epoch }
}

function openMeta(vault: VaultInternals, row: MemberRow): MemberMeta {
  const key = epochKeyOf(vault, 'member', row.meta_epoch ?? 0)
  if (!key) throw missingContentKey()
  const meta = openJson<MemberMeta>(vault.sodium, key, memberAd(vault, row.id), {
    nonce: row.meta_nonce,
    ciphertext: row.meta_ct,
  })
  if (meta?.v !== 1 || typeof meta.name !== 'string' || !isRole(meta.role) || typeof meta.status !== 'string') {
    throw new CustodiaError('CORRUPT', "A member's details are malformed")
  }
  return meta
}

/**
 * The 1-byte hint stored beside a member's keyslot: the first byte of BLAKE2b-256 keyed with the slot's salt over the
 * member's name as compared (memberNameKey). It tells the unlock which slot to derive for a typed name, so unlocking
 * as a member costs one Argon2id however many members there are. What it leaks is in docs/CRYPTO.md §12.
 */
export function computeNameHint(sodium: SodiumBackend, salt: Buffer, name: string): number {
  return sodium.generichash(32, Buffer.from(memberNameKey(name), 'utf8'), salt)[0]!
}

/** AD of the vault key wrapped for an invitation: binds the member and the expiry, so editing either breaks it. */
export function buildInvitationAd(
  vaultId: string,
  invitationId: string,
  memberId: string,
  expiresAt: number,
  formatVersion: number,
): Buffer {
  return buildAssociatedData('invitation', vaultId, invitationId, memberId, expiresAt, formatVersion)
}

/** code_hash: unkeyed BLAKE2b-256 over a label, the vault id and the 32 code bytes (256 random bits: no KDF needed). */
export function hashInvitationCode(sodium: SodiumBackend, vaultId: string, code: Uint8Array): Buffer {
  return sodium.generichash(32, Buffer.concat([buildAssociatedData('invitation-code', vaultId), code]))
}

/** The KEK of an invitation: BLAKE2b-256 keyed with the code bytes over a label and the ids (domain-separated from the hash). */
export function deriveInvitationKek(sodium: SodiumBackend, code: Uint8Array, vaultId: string, invitationId: string): Buffer {
  const kek = sodium.allocKey(KEY_BYTES)
  const hash = sodium.generichash(KEY_BYTES, buildAssociatedData('invitation-kek', vaultId, invitationId), code)
  kek.set(hash)
  sodium.memzero(hash)
  return kek
}

/** A fresh Ed25519 key pair: the 32-byte seed (the caller zeroes it) and the raw 32-byte public key. */
function createSigningKey(): { seed: Buffer; publicKey: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url')
  return { seed, publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url') }
}

function signingAd(vault: VaultInternals, memberId: string): Buffer {
  return buildAssociatedData('member.signing', vault.vaultId, memberId, vault.formatVersion)
}

/** A new signing key for a member, its seed sealed under their passphrase KEK. */
function sealNewSigningKey(
  vault: VaultInternals,
  memberId: string,
  kek: Buffer,
): { signing_nonce: Buffer; signing_ct: Buffer; publicKey: string } {
  const { seed, publicKey } = createSigningKey()
  try {
    const nonce = vault.sodium.randomBytes(24)
    return {
      signing_nonce: nonce,
      signing_ct: vault.sodium.aeadEncrypt(seed, signingAd(vault, memberId), nonce, kek),
      publicKey: publicKey.toString('hex'),
    }
  } finally {
    vault.sodium.memzero(seed)
  }
}

/**
 * After a passphrase change (inside its transaction): the member's signing seed moves from the old passphrase KEK to
 * the new one, and the name hint follows the slot's new salt. A seed that does not open (none yet, e.g. a member made
 * by a recovery-key unlock) is replaced by a new key pair, whose public key goes into the member's details.
 */
export function resealSigningKey(vault: VaultInternals, memberId: string, oldKek: Buffer, newKek: Buffer, newSalt: Buffer): void {
  const row = vault.repo.getMember(memberId)
  if (!row) return
  const meta = openMeta(vault, row)
  const name_hint = computeNameHint(vault.sodium, newSalt, meta.name)
  let seed: Buffer | null = null
  if (row.signing_nonce && row.signing_ct) {
    try {
      seed = vault.sodium.aeadDecrypt(row.signing_ct, signingAd(vault, memberId), row.signing_nonce, oldKek)
    } catch {
      seed = null
    }
  }
  if (seed) {
    try {
      const nonce = vault.sodium.randomBytes(24)
      const signing_ct = vault.sodium.aeadEncrypt(seed, signingAd(vault, memberId), nonce, newKek)
      vault.repo.updateMember({ ...row, name_hint, signing_nonce: nonce, signing_ct })
    } finally {
      vault.sodium.memzero(seed)
    }
    return
  }
  const signing = sealNewSigningKey(vault, memberId, newKek)
  vault.repo.updateMember({
    ...row,
    ...sealMeta(vault, memberId, { ...meta, signingPublicKey: signing.publicKey }, true),
    name_hint,
    signing_nonce: signing.signing_nonce,
    signing_ct: signing.signing_ct,
  })
}

/** A member's Ed25519 private key, opened with their passphrase KEK; null when there is none or it does not open. */
export function openSigningKey(vault: VaultInternals, memberId: string, kek: Buffer): ReturnType<typeof createPrivateKey> | null {
  const row = vault.repo.getMember(memberId)
  if (!row?.signing_nonce || !row.signing_ct) return null
  try {
    const seed = vault.sodium.aeadDecrypt(row.signing_ct, signingAd(vault, memberId), row.signing_nonce, kek)
    const prefix = Buffer.from('302e020100300506032b657004220420', 'hex')
    const key = createPrivateKey({ key: Buffer.concat([prefix, seed]), format: 'der', type: 'pkcs8' })
    vault.sodium.memzero(seed)
    return key
  } catch {
    return null
  }
}

function toInfo(vault: VaultInternals, row: MemberRow, invitations: readonly InvitationRow[]): MemberInfo {
  const meta = openMeta(vault, row)
  const invitation = invitations.find((inv) => inv.member_id === row.id)
  return {
    id: row.id,
    name: meta.name,
    email: meta.email,
    role: meta.role,
    status: meta.status,
    joined: row.keyslot_id !== null,
    createdAt: meta.createdAt,
    signingPublicKey: meta.signingPublicKey,
    invitationExpiresAt: invitation ? new Date(invitation.expires_at).toISOString() : null,
  }
}

/** Every member, in the order they were added (removed members stay listed: their names still sign old work). */
export function listMembers(vault: VaultInternals): MemberInfo[] {
  vault.assertUnlocked()
  const invitations = vault.repo.listInvitations()
  return vault.repo.listMembers().map((row) => toInfo(vault, row, invitations))
}

/** FORBIDDEN with the role's own sentence unless the current member's role grants `members.manage`. */
function requireManager(vault: VaultInternals): CurrentMember {
  const member = vault.member
  if (!member) throw new CustodiaError('FORBIDDEN', "This vault's member list could not be read, so members cannot be changed.")
  if (!roleCan(member.role, 'members.manage')) throw new CustodiaError('FORBIDDEN', describeRefusal(member.role, 'members.manage'))
  return member
}

function cleanName(name: unknown): string {
  if (typeof name !== 'string') throw new CustodiaError('VALIDATION', 'A member needs a name.')
  const problem = checkMemberName(name)
  if (problem) throw new CustodiaError('VALIDATION', problem)
  return name.normalize('NFC').trim().replace(/\s+/g, ' ')
}

function cleanEmail(email: unknown): string | null {
  if (email === undefined || email === null || email === '') return null
  if (typeof email !== 'string' || email.length > MAX_MEMBER_EMAIL_CHARS || !/^[^\s@]+@[^\s@]+$/.test(email.trim()))
    throw new CustodiaError('VALIDATION', 'The e-mail address does not look right (name@example.org).')
  return email.trim()
}

function cleanRole(role: unknown): Role {
  if (!isRole(role)) throw new CustodiaError('VALIDATION', 'The role must be admin, secretariat, legal-adviser, archivist or viewer.')
  return role
}

/**
 * Inserts a member row (inside the caller's transaction). Used when a vault is created, when an older vault gets its
 * first member, and when an admin adds one. `slots` are the member's keyslots (none before joining); with `kek` (their
 * passphrase KEK) a signing key is made and sealed under it.
 */
export function insertMember(
  vault: VaultInternals,
  input: { name: string; email?: string | null; role: Role },
  slots: { keyslotId: string; recoveryId: string | null; salt: Buffer; kek: Buffer | null } | null,
): MemberRow {
  const name = cleanName(input.name)
  const id = createRandomId(vault.sodium)
  const signing = slots?.kek ? sealNewSigningKey(vault, id, slots.kek) : null
  const meta: MemberMeta = {
    v: 1,
    name,
    email: cleanEmail(input.email),
    role: input.role,
    status: 'active',
    createdAt: new Date(vault.now()).toISOString(),
    signingPublicKey: signing?.publicKey ?? null,
  }
  const row: MemberRow = {
    id,
    keyslot_id: slots?.keyslotId ?? null,
    recovery_slot_id: slots?.recoveryId ?? null,
    name_hint: slots ? computeNameHint(vault.sodium, slots.salt, name) : null,
    ...sealMeta(vault, id, meta),
    signing_nonce: signing?.signing_nonce ?? null,
    signing_ct: signing?.signing_ct ?? null,
  }
  vault.repo.insertMember(row)
  return row
}

function requireMemberRow(vault: VaultInternals, memberId: string): { row: MemberRow; meta: MemberMeta } {
  validateId(memberId, 'member')
  const row = vault.repo.getMember(memberId)
  if (!row) throw new CustodiaError('NOT_FOUND', 'There is no such member in this vault.')
  return { row, meta: openMeta(vault, row) }
}

function assertUniqueName(vault: VaultInternals, name: string, except?: string): void {
  const key = memberNameKey(name)
  for (const row of vault.repo.listMembers()) {
    if (row.id === except) continue
    const meta = openMeta(vault, row)
    if (meta.status !== 'removed' && memberNameKey(meta.name) === key)
      throw new CustodiaError('CONFLICT', `There is already a member called “${meta.name}”. Give the new member a different name.`)
  }
}

/** Creates an invitation for a member who has not joined (replacing an older one): returns the code, shown once. */
function createInvitation(vault: VaultInternals, memberId: string, role: Role): { code: string; expiresAt: string } {
  const codeBytes = vault.sodium.randomBytes(KEY_BYTES)
  const invitationId = createRandomId(vault.sodium)
  const expiresAt = vault.now() + INVITATION_LIFETIME_MS
  const kek = deriveInvitationKek(vault.sodium, codeBytes, vault.vaultId, invitationId)
  try {
    const wrapped = wrapVaultKey(
      vault.sodium,
      vault.vaultKey,
      kek,
      buildInvitationAd(vault.vaultId, invitationId, memberId, expiresAt, vault.formatVersion),
    )
    vault.repo.deleteInvitationsOf(memberId)
    vault.repo.insertInvitation({
      id: invitationId,
      member_id: memberId,
      code_hash: hashInvitationCode(vault.sodium, vault.vaultId, codeBytes),
      expires_at: expiresAt,
      nonce: wrapped.nonce,
      wrapped_key: wrapped.wrapped,
      // The content keys, and for a role that reads sensitive parts their keys, come with the code (areaKeys.ts), not
      // at a holder's later unlock.
      ...sealInvitationAreaKeys(
        vault,
        kek,
        { id: invitationId, memberId, expiresAt },
        roleReadsSensitive(role) ? [CONTENT_AREA, SENSITIVE_AREA] : [CONTENT_AREA],
      ),
    })
    return { code: encodeRecoveryKey(codeBytes), expiresAt: new Date(expiresAt).toISOString() }
  } finally {
    vault.sodium.memzero(kek)
    vault.sodium.memzero(codeBytes)
  }
}

/**
 * Adds a member who joins with the returned one-time invitation code (valid 7 days; only its hash and a copy of the
 * vault key wrapped under it are stored). Admins only. Duplicate name → CONFLICT. Logs `member.added`.
 */
export function addMember(
  vault: VaultInternals,
  input: { name: string; email?: string | null; role: Role },
): { member: MemberInfo; invitationCode: string; invitationExpiresAt: string } {
  vault.assertUnlocked()
  requireManager(vault)
  const role = cleanRole(input.role)
  const name = cleanName(input.name)
  return vault.repo.runInTransaction(() => {
    assertUniqueName(vault, name)
    const row = insertMember(vault, { name, email: input.email, role }, null)
    const invitation = createInvitation(vault, row.id, role)
    vault.chain.append('member.added', { memberId: row.id, role })
    // Pending until they have a key pair (they join); sealed to it at the next unlock of anyone holding the key.
    grantArea(vault, CONTENT_AREA, row.id)
    if (roleReadsSensitive(role)) grantArea(vault, SENSITIVE_AREA, row.id)
    const member = toInfo(vault, vault.repo.getMember(row.id)!, vault.repo.listInvitations())
    return { member, invitationCode: invitation.code, invitationExpiresAt: invitation.expiresAt }
  })
}

/** A new invitation code for a member who has not joined yet (the old code stops working). Logs `member.invited`. */
export function renewInvitation(vault: VaultInternals, memberId: string): { invitationCode: string; invitationExpiresAt: string } {
  vault.assertUnlocked()
  requireManager(vault)
  return vault.repo.runInTransaction(() => {
    const { row, meta } = requireMemberRow(vault, memberId)
    if (meta.status !== 'active')
      throw new CustodiaError('CONFLICT', `${meta.name} is ${meta.status}: reinstate them before inviting them again.`)
    if (row.keyslot_id !== null)
      throw new CustodiaError('CONFLICT', `${meta.name} has already joined; they unlock with their own passphrase.`)
    const invitation = createInvitation(vault, memberId, meta.role)
    vault.chain.append('member.invited', { memberId })
    return { invitationCode: invitation.code, invitationExpiresAt: invitation.expiresAt }
  })
}

/** Active admins other than `except`. */
function countOtherActiveAdmins(vault: VaultInternals, except: string): number {
  return vault.repo
    .listMembers()
    .filter((row) => row.id !== except)
    .map((row) => openMeta(vault, row))
    .filter((meta) => meta.role === 'admin' && meta.status === 'active').length
}

function writeMeta(vault: VaultInternals, row: MemberRow, meta: MemberMeta, extra: Partial<MemberRow> = {}, own = false): void {
  vault.repo.updateMember({ ...row, ...extra, ...sealMeta(vault, row.id, meta, own) })
}

/**
 * Changes a member's role. Admins only; the last active admin cannot give the role up. Logs `member.role_changed`.
 * Returns the member as it is now.
 */
export function setMemberRole(vault: VaultInternals, memberId: string, role: Role): MemberInfo {
  vault.assertUnlocked()
  const actor = requireManager(vault)
  const next = cleanRole(role)
  return vault.repo.runInTransaction(() => {
    const { row, meta } = requireMemberRow(vault, memberId)
    if (meta.status === 'removed') throw new CustodiaError('CONFLICT', `${meta.name} was removed from this vault.`)
    if (meta.role === next) return toInfo(vault, row, vault.repo.listInvitations())
    if (meta.role === 'admin' && meta.status === 'active' && countOtherActiveAdmins(vault, memberId) === 0) {
      throw new CustodiaError(
        'FORBIDDEN',
        memberId === actor.id
          ? 'You are the last admin of this vault, so you cannot give up the admin role. Make another member admin first.'
          : `${meta.name} is the last admin of this vault. Make another member admin first.`,
      )
    }
    writeMeta(vault, row, { ...meta, role: next })
    vault.chain.append('member.role_changed', { memberId, from: meta.role, to: next })
    // Keys follow the role: gaining the sensitive area grants it; losing it starts a new epoch without them.
    if (roleReadsSensitive(next) && !roleReadsSensitive(meta.role)) grantArea(vault, SENSITIVE_AREA, memberId)
    if (!roleReadsSensitive(next) && roleReadsSensitive(meta.role)) {
      revokeSensitiveArea(vault, memberId)
      raiseEpochFloors(vault)
    }
    if (memberId === actor.id) vault.member = { ...actor, role: next }
    return toInfo(vault, vault.repo.getMember(memberId)!, vault.repo.listInvitations())
  })
}

function refuseSelf(actor: CurrentMember, memberId: string, verb: 'suspend' | 'remove', lastAdmin: boolean): void {
  if (memberId !== actor.id) return
  throw new CustodiaError(
    'FORBIDDEN',
    lastAdmin
      ? `You are the last admin of this vault, so you cannot ${verb} yourself. Make another member admin first.`
      : `You cannot ${verb} yourself while you use the vault. Ask another admin.`,
  )
}

/**
 * Suspends a member: their passphrase stops unlocking (the app refuses it; their keyslot stays, so reinstating needs no
 * new code). Admins only; not yourself. Logs `member.suspended`.
 */
export function suspendMember(vault: VaultInternals, memberId: string): MemberInfo {
  vault.assertUnlocked()
  const actor = requireManager(vault)
  return vault.repo.runInTransaction(() => {
    const { row, meta } = requireMemberRow(vault, memberId)
    refuseSelf(actor, memberId, 'suspend', meta.role === 'admin' && countOtherActiveAdmins(vault, memberId) === 0)
    if (meta.status === 'removed') throw new CustodiaError('CONFLICT', `${meta.name} was removed from this vault.`)
    if (meta.status === 'suspended') throw new CustodiaError('CONFLICT', `${meta.name} is already suspended.`)
    writeMeta(vault, row, { ...meta, status: 'suspended' })
    vault.chain.append('member.suspended', { memberId })
    return toInfo(vault, vault.repo.getMember(memberId)!, vault.repo.listInvitations())
  })
}

/** Lifts a suspension. Admins only. Logs `member.reinstated`. */
export function reinstateMember(vault: VaultInternals, memberId: string): MemberInfo {
  vault.assertUnlocked()
  requireManager(vault)
  return vault.repo.runInTransaction(() => {
    const { row, meta } = requireMemberRow(vault, memberId)
    if (meta.status === 'removed')
      throw new CustodiaError('CONFLICT', `${meta.name} was removed from this vault: add them again as a new member.`)
    if (meta.status === 'active') throw new CustodiaError('CONFLICT', `${meta.name} is not suspended.`)
    writeMeta(vault, row, { ...meta, status: 'active' })
    vault.chain.append('member.reinstated', { memberId })
    return toInfo(vault, vault.repo.getMember(memberId)!, vault.repo.listInvitations())
  })
}

/**
 * Removes a member: deletes their keyslots (passphrase and recovery) and any unused invitation, and keeps their row as
 * "removed" so their name still stands on what they wrote. Admins only; not yourself. Logs `member.removed`. What a
 * removed member who kept a copy of the vault can still read: docs/MEMBERS.md.
 */
export function removeMember(vault: VaultInternals, memberId: string, afterKeyslotChange: () => void): MemberInfo {
  vault.assertUnlocked()
  const actor = requireManager(vault)
  const result = vault.repo.runInTransaction(() => {
    const { row, meta } = requireMemberRow(vault, memberId)
    refuseSelf(actor, memberId, 'remove', meta.role === 'admin' && countOtherActiveAdmins(vault, memberId) === 0)
    if (meta.status === 'removed') throw new CustodiaError('CONFLICT', `${meta.name} was already removed.`)
    if (meta.role === 'admin' && meta.status === 'active' && countOtherActiveAdmins(vault, memberId) === 0)
      throw new CustodiaError('FORBIDDEN', `${meta.name} is the last admin of this vault. Make another member admin first.`)
    for (const slotId of [row.keyslot_id, row.recovery_slot_id]) if (slotId) vault.repo.deleteKeyslot(slotId)
    vault.repo.deleteInvitationsOf(memberId)
    // The content key that wraps new item keys, member details and activity entries is replaced first (so what this
    // removal writes is already under it), sealed to every member not removed; then every area key they could open;
    // their grants and key pair go (CRYPTO.md §16, §17).
    const keepers = vault.repo
      .listMembers()
      .filter((other) => other.id !== memberId && openMeta(vault, other).status !== 'removed')
      .map((other) => other.id)
    rotateContentKey(vault, memberId, keepers)
    revokeSensitiveArea(vault, memberId)
    vault.repo.deleteAreaKeysOf(memberId)
    vault.repo.deleteMemberKey(memberId)
    // The remover's own floor moves to the new epochs now: deleting them from the folder afterwards is refused at
    // their next unlock (epochKeys.ts).
    raiseEpochFloors(vault)
    writeMeta(
      vault,
      row,
      { ...meta, status: 'removed' },
      { keyslot_id: null, recovery_slot_id: null, name_hint: null, signing_nonce: null, signing_ct: null },
    )
    vault.chain.append('member.removed', { memberId })
    afterKeyslotChange()
    return toInfo(vault, vault.repo.getMember(memberId)!, [])
  })
  // The deleted wrapped keys must not linger in the WAL (as after a passphrase change).
  vault.db.pragma('wal_checkpoint(TRUNCATE)')
  return result
}

/**
 * The member a keyslot belongs to, for the unlock: FORBIDDEN when suspended (their own sentence), null when no member
 * row names the slot (only in a vault found changed outside Custodia).
 */
export function resolveSlotMember(vault: VaultInternals, keyslotId: string): CurrentMember | null {
  const row = vault.repo.getMemberByKeyslot(keyslotId)
  if (!row) return null
  const meta = openMeta(vault, row)
  if (meta.status === 'suspended')
    throw new CustodiaError('FORBIDDEN', `${meta.name}, your access to this vault is suspended. Ask an admin to reinstate you.`)
  if (meta.status === 'removed') throw new CustodiaError('FORBIDDEN', `${meta.name} was removed from this vault.`)
  return { id: row.id, name: meta.name, role: meta.role }
}

/** The member an invitation is for, checked before they join: active and not joined yet. */
export function requireInvitedMember(vault: VaultInternals, memberId: string): { row: MemberRow; meta: MemberMeta } {
  validateId(memberId, 'member')
  const row = vault.repo.getMember(memberId)
  // Their details were sealed again after a removal, under a content key this (older) invitation does not carry.
  if (row && epochKeyOf(vault, 'member', row.meta_epoch ?? 0) === null)
    throw new CustodiaError(
      'FORBIDDEN',
      'Your details in this vault were changed after this invitation code was made. Ask an admin for a new invitation code.',
    )
  const found = requireMemberRow(vault, memberId)
  if (found.meta.status === 'suspended')
    throw new CustodiaError('FORBIDDEN', `${found.meta.name}, your access to this vault is suspended. Ask an admin to reinstate you.`)
  if (found.meta.status === 'removed') throw new CustodiaError('FORBIDDEN', `${found.meta.name} was removed from this vault.`)
  if (found.row.keyslot_id !== null) throw new CustodiaError('CONFLICT', `${found.meta.name} has already joined this vault.`)
  return found
}

/** Binds a member who joins to their new keyslots and signing key (inside the unlock's transaction). */
export function bindJoinedMember(
  vault: VaultInternals,
  memberId: string,
  slots: { keyslotId: string; recoveryId: string; salt: Buffer; kek: Buffer },
): CurrentMember {
  const { row, meta } = requireInvitedMember(vault, memberId)
  const signing = sealNewSigningKey(vault, memberId, slots.kek)
  writeMeta(
    vault,
    row,
    { ...meta, signingPublicKey: signing.publicKey },
    {
      keyslot_id: slots.keyslotId,
      recovery_slot_id: slots.recoveryId,
      name_hint: computeNameHint(vault.sodium, slots.salt, meta.name),
      signing_nonce: signing.signing_nonce,
      signing_ct: signing.signing_ct,
    },
    true,
  )
  vault.repo.deleteInvitationsOf(memberId)
  return { id: memberId, name: meta.name, role: meta.role }
}

/** The role of an active member (the one who may hold area keys), or null for a suspended, removed or unknown one. */
export function activeRoleOf(vault: VaultInternals, memberId: string): Role | null {
  const row = vault.repo.getMember(memberId)
  if (!row) return null
  const meta = openMeta(vault, row)
  return meta.status === 'active' ? meta.role : null
}

/** The role as people read it, for messages outside this file. */
export function describeRole(role: Role): string {
  return ROLE_LABELS[role]
}
