// Test helper (Node): what a member can reach with a copy of the vault files and their own secrets, by SQL on
// vault.sqlite and libsodium alone (libsodium-wrappers-sumo, not the app's code), following docs/CRYPTO.md. Callers
// await `rawSodiumReady()` first. Used by the tests that show what a member's kept keys do and do not open.

import path from 'node:path'
import Database from 'better-sqlite3'
import _sodium from 'libsodium-wrappers-sumo'

/** Resolves once libsodium-wrappers-sumo can be used. */
export async function rawSodiumReady(): Promise<typeof _sodium> {
  await _sodium.ready
  return _sodium
}

/** AD as CRYPTO.md §3 defines it: for "custodia", purpose and each field, u32 big-endian length ‖ bytes. */
export function ad(purpose: string, ...fields: (string | number | Uint8Array)[]): Uint8Array {
  const parts: Buffer[] = []
  for (const field of ['custodia', purpose, ...fields]) {
    const bytes = field instanceof Uint8Array ? Buffer.from(field) : Buffer.from(String(field), 'utf8')
    const len = Buffer.alloc(4)
    len.writeUInt32BE(bytes.length)
    parts.push(len, bytes)
  }
  return Buffer.concat(parts)
}

/** XChaCha20-Poly1305 decryption, null when it does not authenticate. */
export function xOpen(ct: Uint8Array, data: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null {
  try {
    return _sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, data, nonce, key)
  } catch {
    return null
  }
}

export interface RawKeys {
  /** The passphrase KEK (Argon2id of the passphrase with their keyslot's salt and limits). */
  kek: Uint8Array
  vaultKey: Uint8Array
  /** Subkeys 1..11 of the vault key (crypto_kdf, context "custodia"). */
  subkeys: Uint8Array[]
  boxPublic: Uint8Array
  boxSecret: Uint8Array
  /** Area keys their key pair opens, by label ("sensitive:1", "content:1"). */
  areaKeys: Map<string, Uint8Array>
}

export type Row = Record<string, unknown>

export function readDb<T>(dir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

export function readVaultMeta(db: Database.Database): { vault_id: string; format_version: number } {
  return db.prepare('SELECT vault_id, format_version FROM vault_meta').get() as { vault_id: string; format_version: number }
}

/** Every key a member can reach with the vault files and their passphrase, by SQL and libsodium alone. */
export function deriveRawKeys(dir: string, memberId: string, passphrase: Buffer): RawKeys {
  return readDb(dir, (db) => {
    const meta = readVaultMeta(db)
    const member = db.prepare('SELECT keyslot_id FROM members WHERE id = ?').get(memberId) as { keyslot_id: string }
    const slot = db.prepare('SELECT * FROM keyslots WHERE id = ?').get(member.keyslot_id) as Row
    const kek = _sodium.crypto_pwhash(
      32,
      passphrase,
      slot['salt'] as Buffer,
      slot['opslimit'] as number,
      slot['memlimit'] as number,
      _sodium.crypto_pwhash_ALG_ARGON2ID13,
    )
    const slotAd = ad(
      'keyslot',
      meta.vault_id,
      slot['id'] as string,
      'passphrase',
      meta.format_version,
      slot['opslimit'] as number,
      slot['memlimit'] as number,
    )
    const vaultKey = xOpen(slot['wrapped_key'] as Buffer, slotAd, slot['nonce'] as Buffer, kek)
    if (!vaultKey) throw new Error('the passphrase does not open the slot')
    const subkeys = Array.from({ length: 11 }, (_, i) => _sodium.crypto_kdf_derive_from_key(32, i + 1, 'custodia', vaultKey))
    const pair = db.prepare('SELECT * FROM member_keys WHERE member_id = ?').get(memberId) as Row
    const boxSecret = xOpen(
      pair['sealed_secret'] as Buffer,
      ad('member.box', meta.vault_id, memberId, meta.format_version),
      pair['nonce'] as Buffer,
      kek,
    )
    if (!boxSecret) throw new Error('the passphrase does not open the member key pair')
    const boxPublic = pair['public_key'] as Buffer
    const areaKeys = new Map<string, Uint8Array>()
    for (const grant of db.prepare('SELECT * FROM area_keys').all() as Row[]) {
      if (!grant['sealed']) continue
      try {
        areaKeys.set(
          `${String(grant['area'])}:${String(grant['epoch'])}`,
          _sodium.crypto_box_seal_open(grant['sealed'] as Buffer, boxPublic, boxSecret),
        )
      } catch {
        // Not sealed to this member.
      }
    }
    return { kek, vaultKey, subkeys, boxPublic, boxSecret, areaKeys }
  })
}

/**
 * An item's key from its item_keys row, unwrapped with whichever of `candidates` opens it under the AD its
 * `wrapped_by` names (CRYPTO.md §15, §17); null when none does.
 */
export function openRawItemKey(
  db: Database.Database,
  kind: 'record' | 'attachment',
  id: string,
  candidates: readonly Uint8Array[],
): Uint8Array | null {
  const meta = readVaultMeta(db)
  const row = db.prepare('SELECT * FROM item_keys WHERE item_kind = ? AND id = ?').get(kind, id) as Row | undefined
  if (!row) throw new Error(`no item key for ${kind} ${id}`)
  const itemAd = ad('item.key', meta.vault_id, kind, id, row['wrapped_by'] as string, meta.format_version)
  for (const candidate of candidates) {
    const opened = xOpen(row['wrapped_key'] as Buffer, itemAd, row['nonce'] as Buffer, candidate)
    if (opened) return opened
  }
  return null
}

/** The 32-byte keys of a RawKeys, in one list (everything symmetric a member could try). */
export function symmetricKeys(keys: RawKeys): Uint8Array[] {
  return [keys.kek, keys.vaultKey, ...keys.subkeys, keys.boxSecret, ...keys.areaKeys.values()]
}
