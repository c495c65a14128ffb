// Main process (Node only): content epochs beyond item keys (issue #17, item 3; docs/CRYPTO.md §17). Member details and
// activity-log entries written after a removal are sealed under a key derived from the newest content key, which the
// removed member never held; each row records its epoch, and a reader picks the key by it (epoch 0: the vault key's
// subkey, what every row written before used). And each member's key pair carries an *epoch floor* — the newest content
// and sensitive epochs its owner has seen, MACed with their own X25519 secret key — so a vault whose newer epochs were
// deleted or set back (to make later writes fall back to a key a removed member kept) is refused at that member's
// unlock instead of being written to.

import { CustodiaError } from '../../../shared/errors'
import { buildAssociatedData, KEY_BYTES } from '../platform/crypto/keys'
import { areaKeyLabel, CONTENT_AREA, latestEpoch, missingContentKey, SENSITIVE_AREA } from './areaKeys'
import type { AuditEpochKeys } from './auditChain'
import type { VaultInternals } from './internals'

/** What a content epoch's derived key seals; each has its own key, and the vault-key subkey of epoch 0. */
export type EpochKeyPurpose = 'audit' | 'member'

const DERIVATION_LABELS: Record<EpochKeyPurpose, string> = { audit: 'audit.key', member: 'member.key' }

const ROLLED_BACK =
  "This vault's keys were set back: your own copy of the vault's key history is newer than what the vault holds now. " +
  'Someone with access to the vault folder deleted or replaced keys (possibly a member who was removed), so saving ' +
  'anything now could let them read it. Nothing was written. Restore the newest backup, and make sure removed members ' +
  'can no longer reach the folder.'

function subkeyOf(vault: VaultInternals, purpose: EpochKeyPurpose): Buffer {
  return purpose === 'audit' ? vault.subkeys.auditEncryption : vault.subkeys.members
}

/**
 * The newest epoch of `area` whose key the working member holds and the vault has (0 when none). Bounded by the vault:
 * a key made in a transaction that rolled back stays in memory, but nothing may be sealed under it.
 */
export function newestHeldEpoch(vault: VaultInternals, area: string): number {
  const latest = latestEpoch(vault, area)
  let newest = 0
  for (const label of vault.areaKeys.keys()) {
    const [keyArea, epochText] = label.split(':')
    const epoch = Number(epochText)
    if (keyArea === area && epoch <= latest) newest = Math.max(newest, epoch)
  }
  return newest
}

/**
 * The 32-byte key of `purpose` in content epoch `epoch`: the vault-key subkey (members, or audit encryption) in epoch 0;
 * else BLAKE2b-256(key = content key of that epoch, AD(label, vaultId, "content:N")), kept until lock. Null when the
 * working member does not hold that epoch's key; TAMPERED when the vault has no such epoch (a row naming a key that
 * was deleted). Borrowed: the caller does not zero it.
 */
export function epochKeyOf(vault: VaultInternals, purpose: EpochKeyPurpose, epoch: number): Buffer | null {
  if (epoch === 0) return subkeyOf(vault, purpose)
  const label = areaKeyLabel(CONTENT_AREA, epoch)
  const contentKey = vault.areaKeys.get(label)
  if (!contentKey) {
    if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > latestEpoch(vault, CONTENT_AREA))
      throw new CustodiaError('TAMPERED', ROLLED_BACK)
    return null
  }
  return vault.derivedKey(`${DERIVATION_LABELS[purpose]}:${label}`, () =>
    vault.sodium.generichash(KEY_BYTES, buildAssociatedData(DERIVATION_LABELS[purpose], vault.vaultId, label), contentKey),
  )
}

/**
 * The epoch and key a new row of `purpose` is sealed with: the newest content epoch the working member holds. With
 * `requireNewest`, a member whose grant of the newest epoch is still pending is refused (FORBIDDEN, as for documents)
 * rather than writing under an older key a removed member may hold; without it (activity entries, which every unlock
 * writes, and a member's own details at their join), their newest held epoch is used.
 */
export function sealingEpochKey(vault: VaultInternals, purpose: EpochKeyPurpose, requireNewest: boolean): { epoch: number; key: Buffer } {
  const epoch = newestHeldEpoch(vault, CONTENT_AREA)
  if (requireNewest && epoch < latestEpoch(vault, CONTENT_AREA)) throw missingContentKey()
  return { epoch, key: epochKeyOf(vault, purpose, epoch)! }
}

/** The audit chain's keys, chosen by epoch as above. */
export function auditEpochKeys(vault: VaultInternals): AuditEpochKeys {
  return {
    sealing: () => sealingEpochKey(vault, 'audit', false),
    opening: (epoch) => epochKeyOf(vault, 'audit', epoch),
    missing: missingContentKey,
  }
}

/** floor_mac = BLAKE2b-256(key = the member's X25519 secret key, AD("epoch.floor", vaultId, memberId, content, sensitive)). */
function floorMac(vault: VaultInternals, secret: Buffer, memberId: string, content: number, sensitive: number): Buffer {
  return vault.sodium.generichash(32, buildAssociatedData('epoch.floor', vault.vaultId, memberId, content, sensitive), secret)
}

/**
 * At an unlock, once the working member's secret key and area keys are open and before anything is written: TAMPERED
 * when their floor's MAC does not verify, or names a content or sensitive epoch newer than the vault now has (its
 * newer grants were deleted or older ones put back). A floor never set (NULL MAC: a key pair from before schema 8 not
 * unlocked since) checks nothing. One BLAKE2b and two indexed look-ups.
 */
export function checkEpochFloors(vault: VaultInternals, memberId: string): void {
  const secret = vault.memberSecret
  const row = vault.repo.getMemberKey(memberId)
  if (!secret || !row?.floor_mac) return
  const content = row.content_floor ?? 0
  const sensitive = row.sensitive_floor ?? 0
  const expected = floorMac(vault, secret, memberId, content, sensitive)
  if (!expected.equals(row.floor_mac)) throw new CustodiaError('TAMPERED', ROLLED_BACK)
  if (content > latestEpoch(vault, CONTENT_AREA) || sensitive > latestEpoch(vault, SENSITIVE_AREA))
    throw new CustodiaError('TAMPERED', ROLLED_BACK)
}

/**
 * Inside a write transaction (an unlock, a removal, a role change that rotates): moves the working member's floor up to
 * the newest content and sensitive epochs they hold, MACed with their secret key. Never moves it down. Writes nothing
 * when it is already there.
 */
export function raiseEpochFloors(vault: VaultInternals): void {
  const member = vault.member
  const secret = vault.memberSecret
  if (!member || !secret) return
  const row = vault.repo.getMemberKey(member.id)
  if (!row) return
  const content = Math.max(row.content_floor ?? 0, newestHeldEpoch(vault, CONTENT_AREA))
  const sensitive = Math.max(row.sensitive_floor ?? 0, newestHeldEpoch(vault, SENSITIVE_AREA))
  if (row.floor_mac && content === row.content_floor && sensitive === row.sensitive_floor) return
  vault.repo.putMemberKey({
    ...row,
    content_floor: content,
    sensitive_floor: sensitive,
    floor_mac: floorMac(vault, secret, member.id, content, sensitive),
  })
}
