// Main process (Node only): a new member's first unlock — with the one-time invitation code an admin handed over, they
// set their own passphrase and get their own recovery key. Like any unlock, a refused code writes nothing: the vault is
// read from a snapshot until the code has opened the vault key. CRYPTO.md §12 has the formats.

import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { encodeRecoveryKey, KEY_BYTES, normalizePassphrase, parseRecoveryKey, unwrapVaultKey } from '../platform/crypto/keys'
import { loadSodium, type SodiumBackend } from '../platform/crypto/sodium'
import type { VaultInternals } from './internals'
import { constantTimeEqual } from './internals'
import { createMemberKeyPair, loadAreaKeys, openInvitationAreaKeys, sealCarriedAreaKeys } from './areaKeys'
import { bindJoinedMember, buildInvitationAd, deriveInvitationKek, hashInvitationCode } from './members'
import { DEFAULT_KDF, MIN_KDF, type VaultOptions } from './types'
import { finishUnlock, readVaultSnapshot, refreshKeyslotCheck, sealKeyslotPair, type SealedKeyslots, type VaultSnapshot } from './unlock'

const WRONG_CODE = 'This invitation code does not open this vault. Check that you typed it as given, or ask an admin for a new one.'

/** The code as typed, or VALIDATION in the words of an invitation (the format is a recovery key's: 14 groups of 4). */
function parseInvitationCode(text: string): Buffer {
  try {
    return parseRecoveryKey(text)
  } catch {
    throw new CustodiaError(
      'VALIDATION',
      'The invitation code is mistyped: it is 14 groups of 4 letters and digits, as the admin gave it to you. Check it, or ask for a new one.',
    )
  }
}

/**
 * Joins the vault in `dir` as the member an invitation code was made for, with a new passphrase (the caller checked it
 * against the passphrase policy). Refusals, each with its own message and nothing written: a mistyped code
 * (VALIDATION), a code this vault does not know or that does not open (WRONG_PASSPHRASE), an expired one (FORBIDDEN),
 * a member suspended or removed since (FORBIDDEN), a vault changed outside Custodia (TAMPERED). Returns the unlocked
 * vault, now working for the new member, and their recovery key to show once.
 */
export async function unlockWithInvitation(
  dir: string,
  codeText: string,
  newPassphrase: Uint8Array,
  opts: VaultOptions,
): Promise<{ internals: VaultInternals; recoveryKey: string }> {
  const code = parseInvitationCode(codeText)
  const normalized = normalizePassphrase(newPassphrase)
  const recoveryBytes = Buffer.alloc(KEY_BYTES)
  try {
    const root = path.resolve(dir)
    const snap = readVaultSnapshot(root)
    const sodium = opts.sodium ?? (await loadSodium())
    const hash = hashInvitationCode(sodium, snap.vaultId, code)
    const invitation = snap.invitations.find((row) => Buffer.isBuffer(row.code_hash) && constantTimeEqual(row.code_hash, hash))
    if (!invitation) throw new CustodiaError('WRONG_PASSPHRASE', WRONG_CODE)
    const now = (opts.now ?? Date.now)()
    if (!Number.isSafeInteger(invitation.expires_at) || now > invitation.expires_at) {
      const day = Number.isSafeInteger(invitation.expires_at)
        ? new Date(invitation.expires_at).toISOString().slice(0, 10)
        : 'an unknown date'
      throw new CustodiaError('FORBIDDEN', `This invitation code expired on ${day} (codes last 7 days). Ask an admin for a new one.`)
    }
    const codeKek = deriveInvitationKek(sodium, code, snap.vaultId, invitation.id)
    let vaultKey: Buffer | null
    // The keys of dossiers' sensitive parts an admin sent along (for a role that may read them); zeroed below.
    let carried = new Map<string, Buffer>()
    try {
      const ad = buildInvitationAd(snap.vaultId, invitation.id, invitation.member_id, invitation.expires_at, snap.formatVersion)
      vaultKey = unwrapVaultKey(sodium, invitation.wrapped_key, invitation.nonce, codeKek, ad)
      if (vaultKey) carried = openInvitationAreaKeys(sodium, codeKek, invitation, snap)
    } finally {
      sodium.memzero(codeKek)
    }
    if (!vaultKey) throw new CustodiaError('WRONG_PASSPHRASE', WRONG_CODE)
    try {
      return await joinWithKeys(root, snap, sodium, vaultKey, invitation.member_id, carried, normalized, recoveryBytes, opts)
    } finally {
      for (const key of carried.values()) sodium.memzero(key)
    }
  } finally {
    code.fill(0)
    normalized.fill(0)
    recoveryBytes.fill(0)
  }
}

/** The second half of a join, once the code opened the vault key: the member's keyslots, key pair and carried keys. */
async function joinWithKeys(
  root: string,
  snap: VaultSnapshot,
  sodium: SodiumBackend,
  vaultKey: Buffer,
  memberId: string,
  carried: ReadonlyMap<string, Buffer>,
  normalized: Buffer,
  recoveryBytes: Buffer,
  opts: VaultOptions,
): Promise<{ internals: VaultInternals; recoveryKey: string }> {
  // The member's own keyslots, made before anything is written (the slow derivation first).
  const kdf = snap.createdKdf ?? DEFAULT_KDF
  const passKdf = { opslimit: Math.max(kdf.opslimit, MIN_KDF.opslimit), memlimit: Math.max(kdf.memlimit, MIN_KDF.memlimit) }
  recoveryBytes.set(sodium.randomBytes(KEY_BYTES))
  let slots: SealedKeyslots
  try {
    slots = await sealKeyslotPair(sodium, vaultKey, normalized, recoveryBytes, passKdf, snap)
  } catch (error) {
    sodium.memzero(vaultKey)
    throw error
  }
  const { passphrase, recovery, kek: passKek, recoveryKek } = slots
  const keyslotId = passphrase.id
  try {
    const internals = await finishUnlock(
      root,
      snap,
      sodium,
      vaultKey,
      {
        keyslotId,
        method: 'invitation',
        kek: passKek,
        join: (vault) => {
          vault.repo.insertKeyslot(passphrase)
          vault.repo.insertKeyslot(recovery)
          // Their X25519 key pair, and the keys the invitation carried sealed to it (else at a holder's next unlock),
          // opened before their details are read: an invitation made after a removal sealed those under content keys.
          createMemberKeyPair(vault, memberId, { passphrase: passKek, recovery: recoveryKek }, true)
          sealCarriedAreaKeys(vault, memberId, carried)
          loadAreaKeys(vault, memberId)
          const member = bindJoinedMember(vault, memberId, {
            keyslotId,
            recoveryId: recovery.id,
            salt: passphrase.salt!,
            kek: passKek,
          })
          refreshKeyslotCheck(vault)
          return member
        },
      },
      opts,
      null,
    )
    // The wrapped key of the used invitation must not linger in the WAL.
    internals.db.pragma('wal_checkpoint(TRUNCATE)')
    return { internals, recoveryKey: encodeRecoveryKey(recoveryBytes) }
  } finally {
    sodium.memzero(passKek)
    sodium.memzero(recoveryKek)
  }
}
