// Main process / CLI (Node only): the key that checks a backup's manifest, from the passphrase and the keyslots inside
// the backup's own copy of the database — so a backup can be verified without the vault folder, and nothing in the
// backup is written. The vault key itself is zeroed before this returns; only subkey 9 leaves.
import { CustodiaError } from '../../../shared/errors'
import {
  buildKeyslotAd,
  derivePassphraseKek,
  KEY_BYTES,
  normalizePassphrase,
  SUBKEY_CONTEXT,
  SUBKEY_IDS,
  unwrapVaultKey,
} from '../platform/crypto/keys'
import { loadSodium, type SodiumBackend } from '../platform/crypto/sodium'
import { openSnapshot } from '../platform/db/connection'
import { readKeyslotGuard, readKeyslots, readMeta } from '../platform/db/vaultRepo'
import { checkStoredKeyslot } from './unlock'

/**
 * Opens `dbFile` (a copy of vault.sqlite) read-only in memory, tries `passphrase` (UTF-8) on its passphrase keyslots
 * and returns its vault id and the 32-byte backup-manifest subkey (the caller zeroes it). The passphrase is the one the
 * vault had when the copy was made. Wrong passphrase → WRONG_PASSPHRASE; unreadable copy → CORRUPT; keyslot beyond
 * the limits → UNSUPPORTED (checked before any derivation, as at unlock). Failures are not counted as unlock failures:
 * the vault folder is not involved.
 */
export async function deriveBackupKeyFromDatabase(
  dbFile: string,
  passphrase: Uint8Array,
  opts: { sodium?: SodiumBackend; allowStrongerKdf?: boolean } = {},
): Promise<{ vaultId: string; key: Buffer }> {
  const normalized = normalizePassphrase(passphrase)
  try {
    const sodium = opts.sodium ?? (await loadSodium())
    const snapshot = openSnapshot(dbFile)
    let slots: ReturnType<typeof readKeyslots>
    let meta: ReturnType<typeof readMeta>
    let createdKdf: ReturnType<typeof readKeyslotGuard>['createdKdf']
    try {
      meta = readMeta(snapshot.db)
      slots = readKeyslots(snapshot.db).filter((slot) => slot.kind === 'passphrase')
      createdKdf = readKeyslotGuard(snapshot.db).createdKdf
    } finally {
      snapshot.close()
    }
    for (const slot of slots) {
      const kdf = checkStoredKeyslot(slot, createdKdf, opts)
      const kek = await derivePassphraseKek(sodium, normalized, slot.salt!, kdf)
      let vaultKey: Buffer | null
      try {
        vaultKey = unwrapVaultKey(
          sodium,
          slot.wrapped_key,
          slot.nonce,
          kek,
          buildKeyslotAd(meta.vault_id, slot.id, 'passphrase', meta.format_version, kdf),
        )
      } finally {
        sodium.memzero(kek)
      }
      if (!vaultKey) continue
      try {
        return { vaultId: meta.vault_id, key: sodium.kdfDerive(KEY_BYTES, SUBKEY_IDS.backupManifest, SUBKEY_CONTEXT, vaultKey) }
      } finally {
        sodium.memzero(vaultKey)
      }
    }
    throw new CustodiaError(
      'WRONG_PASSPHRASE',
      'The passphrase does not open this backup. It needs the passphrase the vault had when the backup was made.',
    )
  } finally {
    normalized.fill(0)
  }
}
