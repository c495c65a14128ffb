// Main process (Node only): keys where roles matter (issue #17, item 3; docs/CRYPTO.md §16). Each member has an X25519
// key pair; an *area key* (32 random bytes per area and epoch — today one area, the sensitive parts of dossiers) is
// sealed to the public key of every member whose role may read that area. A member whose role may not read it never
// gets it, so the vault key they hold does not open those parts. Removing a member, or a role change that loses the
// access, starts a new epoch: a fresh key sealed to the members who keep access, used by every write after it; older
// epochs stay readable by those members through their own older grants.
//
// Who should get a key is written only by someone who holds it: each grant row carries an `intent`, a MAC under the
// area key itself over the member's id, so a grant that is still pending (the member has no key pair yet) cannot be
// invented by a member who only holds the vault key. Pending grants are sealed at the next unlock of anyone holding
// that epoch's key.
//
// A second area, `content`, holds the *content keys* (CRYPTO.md §17): every member may read it, and its epochs exist
// only because of removals. Epoch 0 of content is no area key at all but the vault key's item-key subkey (what every
// vault wrote before); removing a member starts content epoch n+1, sealed to every other member, and new item keys are
// wrapped under it (itemKeys.ts), so what is written after the removal opens with no key the removed member held.

import { CustodiaError } from '../../../shared/errors'
import { roleCan, type Role } from '../../../shared/members/roles'
import { buildAssociatedData, KEY_BYTES } from '../platform/crypto/keys'
import { openJson, sealJson } from '../platform/crypto/sealedJson'
import { AEAD_NONCE_BYTES, BOX_KEY_BYTES, type SodiumBackend } from '../platform/crypto/sodium'
import type { AreaKeyRow, InvitationRow } from '../platform/db/vaultRepo'
import type { VaultInternals } from './internals'

/** The area of dossiers' sensitive parts (family contacts, medical notes, sources). */
export const SENSITIVE_AREA = 'sensitive'

/** The area of the content keys that wrap item keys after the first removal (every member holds them). */
export const CONTENT_AREA = 'content'

/** Every area whose grants a member's key pair opens. */
const AREAS = [SENSITIVE_AREA, CONTENT_AREA] as const

/** The audit entry of a grant: content keys and sensitive keys read differently in the activity log. */
function grantedEvent(area: string): 'area.granted' | 'content.granted' {
  return area === CONTENT_AREA ? 'content.granted' : 'area.granted'
}

/** Whether a role may hold the key of the sensitive area: the roles table decides (shared/members/roles.ts). */
export function roleReadsSensitive(role: Role): boolean {
  return roleCan(role, 'dossiers.readSensitive')
}

/** The `wrapped_by` label of an area key: "sensitive:3". */
export function areaKeyLabel(area: string, epoch: number): string {
  return `${area}:${epoch}`
}

function boxSecretAd(vault: VaultInternals, memberId: string, kind: 'passphrase' | 'recovery'): Buffer {
  return buildAssociatedData(kind === 'passphrase' ? 'member.box' : 'member.box.recovery', vault.vaultId, memberId, vault.formatVersion)
}

/** intent = BLAKE2b-256(key = area key, AD("area.grant", vaultId, area, epoch, memberId)). */
function grantIntent(vault: VaultInternals, areaKey: Buffer, area: string, epoch: number, memberId: string): Buffer {
  return vault.sodium.generichash(32, buildAssociatedData('area.grant', vault.vaultId, area, epoch, memberId), areaKey)
}

/**
 * Makes a member's X25519 key pair and stores it (inside the caller's transaction): the secret key sealed under their
 * passphrase KEK and, when given, under their recovery KEK. Replaces an older pair (its grants can no longer be opened:
 * the caller re-grants). The secret key stays in `vault.memberSecret` when `forCurrent`.
 */
export function createMemberKeyPair(
  vault: VaultInternals,
  memberId: string,
  keks: { passphrase: Buffer; recovery: Buffer | null },
  forCurrent: boolean,
): Buffer {
  const { publicKey, secretKey } = vault.sodium.boxKeypair()
  try {
    const nonce = vault.sodium.randomBytes(AEAD_NONCE_BYTES)
    const recoveryNonce = keks.recovery ? vault.sodium.randomBytes(AEAD_NONCE_BYTES) : null
    vault.repo.putMemberKey({
      member_id: memberId,
      public_key: publicKey,
      nonce,
      sealed_secret: vault.sodium.aeadEncrypt(secretKey, boxSecretAd(vault, memberId, 'passphrase'), nonce, keks.passphrase),
      recovery_nonce: recoveryNonce,
      recovery_sealed:
        keks.recovery && recoveryNonce
          ? vault.sodium.aeadEncrypt(secretKey, boxSecretAd(vault, memberId, 'recovery'), recoveryNonce, keks.recovery)
          : null,
    })
    if (forCurrent) vault.setMemberSecret(secretKey)
    return publicKey
  } finally {
    vault.sodium.memzero(secretKey)
  }
}

/** A member's secret key opened with their passphrase or recovery KEK (caller zeroes it); null when none opens. */
export function openMemberSecret(vault: VaultInternals, memberId: string, kek: Buffer, kind: 'passphrase' | 'recovery'): Buffer | null {
  const row = vault.repo.getMemberKey(memberId)
  if (!row) return null
  const nonce = kind === 'passphrase' ? row.nonce : row.recovery_nonce
  const sealed = kind === 'passphrase' ? row.sealed_secret : row.recovery_sealed
  if (!nonce || !sealed || nonce.length !== AEAD_NONCE_BYTES) return null
  try {
    const secret = vault.sodium.aeadDecrypt(sealed, boxSecretAd(vault, memberId, kind), nonce, kek)
    if (secret.length === BOX_KEY_BYTES) return secret
    vault.sodium.memzero(secret)
    return null
  } catch {
    return null
  }
}

/**
 * After a passphrase change (inside its transaction): the member's secret key moves to the new passphrase KEK (taken
 * from this unlock, or opened with the old KEK). A member with no key pair yet gets one now.
 */
export function resealMemberSecret(vault: VaultInternals, memberId: string, oldKek: Buffer, newKek: Buffer): void {
  const row = vault.repo.getMemberKey(memberId)
  if (!row) {
    createMemberKeyPair(vault, memberId, { passphrase: newKek, recovery: null }, vault.member?.id === memberId)
    return
  }
  const opened = vault.memberSecret ? null : openMemberSecret(vault, memberId, oldKek, 'passphrase')
  const secret = vault.memberSecret ?? opened
  if (!secret) return
  try {
    const nonce = vault.sodium.randomBytes(AEAD_NONCE_BYTES)
    vault.repo.putMemberKey({
      ...row,
      nonce,
      sealed_secret: vault.sodium.aeadEncrypt(secret, boxSecretAd(vault, memberId, 'passphrase'), nonce, newKek),
    })
  } finally {
    if (opened) vault.sodium.memzero(opened)
  }
}

/** The newest epoch of an area in this vault (0: the area has no key yet). */
export function latestEpoch(vault: VaultInternals, area: string): number {
  return vault.repo.latestAreaEpoch(area)
}

/**
 * Opens every grant of the working member (or, at an unlock before their details are read, of `memberId`) with their
 * secret key and keeps the area keys in `vault.areaKeys` (zeroed at lock). A grant whose intent does not match the key
 * it holds is ignored (it was not written by a holder).
 */
export function loadAreaKeys(vault: VaultInternals, memberId: string | undefined = vault.member?.id): void {
  const secret = vault.memberSecret
  if (!memberId || !secret) return
  const own = vault.repo.getMemberKey(memberId)
  if (!own) return
  for (const row of AREAS.flatMap((area) => vault.repo.listAreaKeys(area))) {
    if (row.member_id !== memberId || !row.sealed) continue
    const label = areaKeyLabel(row.area, row.epoch)
    if (vault.areaKeys.has(label)) continue
    const opened = vault.sodium.boxSealOpen(row.sealed, own.public_key, secret)
    if (!opened || opened.length !== KEY_BYTES) continue
    const intent = grantIntent(vault, opened, row.area, row.epoch, row.member_id)
    if (!intent.equals(row.intent)) {
      vault.sodium.memzero(opened)
      continue
    }
    vault.keepAreaKey(label, opened)
  }
}

/** The row granting `areaKey` of `epoch` to a member: sealed when they have a key pair, else pending. */
function grantRow(vault: VaultInternals, areaKey: Buffer, area: string, epoch: number, memberId: string): AreaKeyRow {
  const pair = vault.repo.getMemberKey(memberId)
  return {
    area,
    epoch,
    member_id: memberId,
    sealed: pair ? vault.sodium.boxSeal(areaKey, pair.public_key) : null,
    intent: grantIntent(vault, areaKey, area, epoch, memberId),
  }
}

/**
 * At an unlock (inside its transaction), after the member's own key pair exists:
 * - the sensitive area gets its first key when it has none and the working member's role may read it, granted to every
 *   active member whose role may (sealed, or pending until they have a key pair);
 * - pending grants of every epoch the working member holds are sealed for members who now have a key pair.
 */
export function settleAreaKeys(vault: VaultInternals, roleOf: (memberId: string) => Role | null): void {
  const member = vault.member
  if (!member || !vault.memberSecret || !vault.repo.getMemberKey(member.id)) return
  if (latestEpoch(vault, SENSITIVE_AREA) === 0 && roleReadsSensitive(member.role)) {
    const key = vault.sodium.randomBytes(KEY_BYTES)
    try {
      for (const row of vault.repo.listMembers()) {
        const role = roleOf(row.id)
        if (role && roleReadsSensitive(role)) vault.repo.putAreaKey(grantRow(vault, key, SENSITIVE_AREA, 1, row.id))
      }
    } finally {
      vault.sodium.memzero(key)
    }
    vault.chain.append('area.created', { area: SENSITIVE_AREA, epoch: 1 })
    loadAreaKeys(vault)
  }
  for (const row of AREAS.flatMap((area) => vault.repo.listAreaKeys(area))) {
    if (row.sealed) continue
    const key = vault.areaKeys.get(areaKeyLabel(row.area, row.epoch))
    if (!key || !vault.repo.getMemberKey(row.member_id)) continue
    if (!grantIntent(vault, key, row.area, row.epoch, row.member_id).equals(row.intent)) continue
    vault.repo.putAreaKey(grantRow(vault, key, row.area, row.epoch, row.member_id))
    vault.chain.append(grantedEvent(row.area), { area: row.area, epoch: row.epoch, memberId: row.member_id })
  }
}

/**
 * Gives a member every epoch of an area that the working admin holds (a new member; a role change that gains access to
 * the sensitive area). Returns false when the admin holds no key of the area to give (the vault has none yet — for
 * content: no removal yet, the vault key is enough — or theirs is pending).
 */
export function grantArea(vault: VaultInternals, area: (typeof AREAS)[number], memberId: string): boolean {
  let granted = false
  for (const [label, key] of vault.areaKeys) {
    const [keyArea, epochText] = label.split(':')
    if (keyArea !== area) continue
    vault.repo.putAreaKey(grantRow(vault, key, area, Number(epochText), memberId))
    granted = true
  }
  if (granted) vault.chain.append(grantedEvent(area), { area, memberId })
  return granted
}

/**
 * Takes the sensitive area away from a member and starts a new epoch (removal, or a role change that loses access):
 * their grants of every epoch are deleted, and a fresh key is sealed to every other member who held a grant of the
 * newest epoch (pending ones stay pending, under the new key). Every write after this uses the new epoch. Nothing
 * happens when the member held no grant.
 */
export function revokeSensitiveArea(vault: VaultInternals, memberId: string): void {
  const rows = vault.repo.listAreaKeys(SENSITIVE_AREA)
  if (!rows.some((row) => row.member_id === memberId)) return
  const epoch = latestEpoch(vault, SENSITIVE_AREA)
  const keepers = [...new Set(rows.filter((row) => row.epoch === epoch && row.member_id !== memberId).map((row) => row.member_id))]
  vault.repo.deleteAreaKeysOf(memberId)
  const key = vault.sodium.randomBytes(KEY_BYTES)
  try {
    for (const keeper of keepers) vault.repo.putAreaKey(grantRow(vault, key, SENSITIVE_AREA, epoch + 1, keeper))
    if (keepers.length === 0)
      throw new CustodiaError(
        'FORBIDDEN',
        'Nobody else could read the sensitive parts of dossiers afterwards. Give another member the admin or legal adviser role first.',
      )
  } catch (err) {
    vault.sodium.memzero(key)
    throw err
  }
  vault.chain.append('area.rotated', { area: SENSITIVE_AREA, epoch: epoch + 1, memberId })
  // The working member keeps the new key only when they were among those it was sealed to.
  if (vault.member && keepers.includes(vault.member.id)) vault.keepAreaKey(areaKeyLabel(SENSITIVE_AREA, epoch + 1), key)
  else vault.sodium.memzero(key)
}

/**
 * At a removal (inside its transaction, first, so that every audit entry and member row the removal writes is under the
 * new epoch): starts a new content epoch, its fresh key sealed to each of `keepers` (pending for one without a key pair
 * yet). Every item key made after this is wrapped under it (itemKeys.ts). Runs whether or not the member held a content
 * key: epoch 0 is the vault key, which every member holds. The caller deletes the member's grants.
 */
export function rotateContentKey(vault: VaultInternals, memberId: string, keepers: readonly string[]): void {
  const epoch = latestEpoch(vault, CONTENT_AREA) + 1
  const key = vault.sodium.randomBytes(KEY_BYTES)
  try {
    for (const keeper of keepers) if (keeper !== memberId) vault.repo.putAreaKey(grantRow(vault, key, CONTENT_AREA, epoch, keeper))
  } catch (err) {
    vault.sodium.memzero(key)
    throw err
  }
  // Kept before the entry is written, so the entry itself is sealed under the new epoch (epochKeys.ts).
  if (vault.member && keepers.includes(vault.member.id) && vault.member.id !== memberId)
    vault.keepAreaKey(areaKeyLabel(CONTENT_AREA, epoch), key)
  else vault.sodium.memzero(key)
  vault.chain.append('content.rotated', { area: CONTENT_AREA, epoch, memberId })
}

/**
 * The key new item keys are wrapped under: null in content epoch 0 (no removal yet: the vault's item-key subkey), else
 * the newest content epoch's key. A member whose grant of it is still pending may not write: what they saved would have
 * to go under a key a removed member holds.
 */
export function currentContentKey(vault: VaultInternals): { label: string; key: Buffer } | null {
  const epoch = latestEpoch(vault, CONTENT_AREA)
  if (epoch === 0) return null
  const label = areaKeyLabel(CONTENT_AREA, epoch)
  const key = vault.areaKeys.get(label)
  if (!key) throw missingContentKey()
  return { label, key }
}

/**
 * The key of the search-index snapshot (search/snapshot.ts): subkey 5 in content epoch 0; after a removal,
 * BLAKE2b-256(key = the newest content key, AD("search.key", vaultId, "content:N")), so a snapshot written after the
 * removal — the words of every record — opens with no key the removed member held. The old snapshot then fails to
 * open and the index is rebuilt from the records.
 */
export function currentSearchIndexKey(vault: VaultInternals): Buffer {
  const content = currentContentKey(vault)
  if (!content) return vault.subkeys.searchIndex
  return vault.derivedKey(`search.key:${content.label}`, () =>
    vault.sodium.generichash(KEY_BYTES, buildAssociatedData('search.key', vault.vaultId, content.label), content.key),
  )
}

/** The key of a content epoch, for unwrapping an item key; null when `label` names no content epoch. */
export function contentKeyOf(vault: VaultInternals, label: string): Buffer | null {
  if (!/^content:[1-9][0-9]*$/.test(label)) return null
  const key = vault.areaKeys.get(label)
  if (key) return key
  // An item key under an epoch the vault no longer has: its grants were deleted (a rollback), not merely pending.
  if (Number(label.slice(CONTENT_AREA.length + 1)) > latestEpoch(vault, CONTENT_AREA))
    throw new CustodiaError(
      'TAMPERED',
      'This document is locked with a key the vault no longer has: its keys were deleted or set back outside Custodia.',
    )
  throw missingContentKey()
}

/** FORBIDDEN: the working member's grant of the newest content epoch is still pending. */
export function missingContentKey(): CustodiaError {
  return new CustodiaError(
    'FORBIDDEN',
    'Since a member was removed, new documents are locked with a new key, and yours has not arrived yet. Ask an admin to open the vault once, then open it again.',
  )
}

/** The key to seal new sensitive parts with: the newest epoch, when the working member holds it; else null. */
export function currentSensitiveKey(vault: VaultInternals): { label: string; key: Buffer } | null {
  const epoch = latestEpoch(vault, SENSITIVE_AREA)
  if (epoch === 0) return null
  const label = areaKeyLabel(SENSITIVE_AREA, epoch)
  const key = vault.areaKeys.get(label)
  return key ? { label, key } : null
}

function invitationAreasAd(vaultId: string, invitationId: string, memberId: string, expiresAt: number, formatVersion: number): Buffer {
  return buildAssociatedData('invitation.areas', vaultId, invitationId, memberId, expiresAt, formatVersion)
}

/**
 * The keys of `areas` the inviting admin holds, sealed under the invitation code's KEK (content keys for every invitee,
 * sensitive keys for one whose role may read them), so the invitee reads from their first unlock, without waiting for a
 * holder to seal their grant. Nulls when there is nothing to carry.
 */
export function sealInvitationAreaKeys(
  vault: VaultInternals,
  kek: Buffer,
  invitation: { id: string; memberId: string; expiresAt: number },
  areas: readonly string[],
): { area_nonce: Buffer | null; area_sealed: Buffer | null } {
  const carried = [...vault.areaKeys].filter(([label]) => areas.includes(label.split(':')[0]!))
  if (carried.length === 0) return { area_nonce: null, area_sealed: null }
  const sealed = sealJson(
    vault.sodium,
    kek,
    invitationAreasAd(vault.vaultId, invitation.id, invitation.memberId, invitation.expiresAt, vault.formatVersion),
    { v: 1, keys: Object.fromEntries(carried.map(([label, key]) => [label, key.toString('base64')])) },
    256,
  )
  return { area_nonce: sealed.nonce, area_sealed: sealed.ciphertext }
}

/** Opens what an invitation carries with the code's KEK: area keys by label (caller zeroes them); empty when none opens. */
export function openInvitationAreaKeys(
  sodium: SodiumBackend,
  kek: Buffer,
  invitation: InvitationRow,
  vault: { vaultId: string; formatVersion: number },
): Map<string, Buffer> {
  const keys = new Map<string, Buffer>()
  if (!invitation.area_nonce || !invitation.area_sealed) return keys
  try {
    const opened = openJson<{ v: number; keys: Record<string, string> }>(
      sodium,
      kek,
      invitationAreasAd(vault.vaultId, invitation.id, invitation.member_id, invitation.expires_at, vault.formatVersion),
      { nonce: invitation.area_nonce, ciphertext: invitation.area_sealed },
    )
    for (const [label, text] of Object.entries(opened?.keys ?? {})) {
      const key = Buffer.from(text, 'base64')
      if (key.length === KEY_BYTES) keys.set(label, key)
    }
  } catch {
    // Nothing carried that opens: the grant waits for a holder's unlock.
  }
  return keys
}

/**
 * At a join (inside its transaction, after the member's key pair exists): every carried key whose pending grant for this
 * member carries a valid intent is sealed to their new public key. A carried key without such a grant is ignored.
 */
export function sealCarriedAreaKeys(vault: VaultInternals, memberId: string, carried: ReadonlyMap<string, Buffer>): void {
  for (const row of AREAS.flatMap((area) => vault.repo.listAreaKeys(area))) {
    if (row.member_id !== memberId || row.sealed) continue
    const key = carried.get(areaKeyLabel(row.area, row.epoch))
    if (!key || !grantIntent(vault, key, row.area, row.epoch, memberId).equals(row.intent)) continue
    vault.repo.putAreaKey(grantRow(vault, key, row.area, row.epoch, memberId))
  }
}
