// Main process (Node only): item keys — every record and every attachment is encrypted under its own random 32-byte
// key, stored in item_keys wrapped (XChaCha20-Poly1305) by the key its `wrapped_by` names. Today that is always
// 'vault': subkey 11 of the vault key. (Dossiers' sensitive parts have their own part keys under an area key, kept in
// the record's body: sensitiveParts.ts.) Destroying an item's wrapped key (shred.ts) leaves its ciphertext unreadable for anyone, passphrase or not.
//
// A record or attachment without a row here predates schema 5 and is still under the shared records/attachments
// subkey; the unlock that migrates re-encrypts it (itemKeyMigration.ts). Every revision of a record uses the same key.

import { CustodiaError } from '../../../shared/errors'
import { buildItemKeyAd, KEY_BYTES, WRAPPED_KEY_BYTES, wrapVaultKey } from '../platform/crypto/keys'
import { AEAD_NONCE_BYTES } from '../platform/crypto/sodium'
import type { ItemKeyRow, ItemKind } from '../platform/db/vaultRepo'
import type { VaultInternals } from './internals'

/** `wrapped_by` of an item key wrapped by the vault's item-key subkey (the only wrapping key so far). */
export const WRAPPED_BY_VAULT = 'vault'

/** The wrapped form of a key, as a row of item_keys stores it. */
export type WrappedItemKey = Pick<ItemKeyRow, 'wrapped_by' | 'nonce' | 'wrapped_key'>

/**
 * Makes a new random item key for `kind`/`id`, wraps it and inserts its row (call inside the transaction that writes
 * the item). Returns the 32-byte key in a buffer the caller zeroes (sodium.memzero) once the item is sealed.
 */
export function createItemKey(vault: VaultInternals, kind: ItemKind, id: string): Buffer {
  const { key, wrapped } = makeItemKey(vault, kind, id)
  try {
    vault.repo.insertItemKey({ item_kind: kind, id, ...wrapped })
  } catch (err) {
    vault.sodium.memzero(key)
    throw err
  }
  return key
}

/**
 * A new random item key and its wrapped form, not yet stored (an attachment's blob is written under it before its row
 * exists). The caller zeroes `key`.
 */
export function makeItemKey(vault: VaultInternals, kind: ItemKind, id: string): { key: Buffer; wrapped: WrappedItemKey } {
  // A plain buffer, not sodium's guarded allocKey: an item key lives for one call and is zeroed at once, and a guarded
  // allocation (mmap, mlock, guard pages) per save or per listed record cost 0.25 ms each (measured under load; about 25 s for a
  // 100k-record list). The vault key and subkeys, which live for the whole unlock, stay in guarded memory.
  const key = vault.sodium.randomBytes(KEY_BYTES)
  const { nonce, wrapped } = wrapVaultKey(vault.sodium, key, vault.subkeys.itemKeyWrap, itemKeyAd(vault, kind, id, WRAPPED_BY_VAULT))
  return { key, wrapped: { wrapped_by: WRAPPED_BY_VAULT, nonce, wrapped_key: wrapped } }
}

/**
 * Unwraps a stored item key. A key wrapped by anything but the vault → UNSUPPORTED (a newer Custodia's area key);
 * one that does not authenticate (edited, moved to another item) → TAMPERED. Returns a buffer the caller zeroes.
 */
export function unwrapItemKey(vault: VaultInternals, kind: ItemKind, id: string, wrapped: WrappedItemKey): Buffer {
  if (wrapped.wrapped_by !== WRAPPED_BY_VAULT)
    throw new CustodiaError('UNSUPPORTED', 'This item is locked with a key this version of Custodia does not know')
  const tampered = () => new CustodiaError('TAMPERED', "An item's key does not match it: it was changed outside Custodia")
  if (wrapped.wrapped_key.length !== WRAPPED_KEY_BYTES || wrapped.nonce.length !== AEAD_NONCE_BYTES) throw tampered()
  // Decrypted straight into a plain buffer the caller zeroes (see makeItemKey for why not allocKey).
  try {
    return vault.sodium.aeadDecrypt(
      wrapped.wrapped_key,
      itemKeyAd(vault, kind, id, wrapped.wrapped_by),
      wrapped.nonce,
      vault.subkeys.itemKeyWrap,
    )
  } catch {
    throw tampered()
  }
}

/** The item's own key (caller zeroes it), or null for an item from before item keys (under the shared subkey). */
export function openItemKey(vault: VaultInternals, kind: ItemKind, id: string): Buffer | null {
  const row = vault.repo.getItemKey(kind, id)
  return row ? unwrapItemKey(vault, kind, id, row) : null
}

/**
 * Runs `work` with the key an item is sealed under: its own item key when it has one (zeroed afterwards), else the
 * shared legacy subkey it was written with (borrowed, never zeroed here).
 */
export function withItemKey<T>(vault: VaultInternals, kind: ItemKind, id: string, work: (key: Buffer) => T): T {
  const own = openItemKey(vault, kind, id)
  try {
    return work(own ?? legacyKey(vault, kind))
  } finally {
    if (own) vault.sodium.memzero(own)
  }
}

/** The same for an async `work` (attachment streams). */
export async function withItemKeyAsync<T>(
  vault: VaultInternals,
  kind: ItemKind,
  id: string,
  work: (key: Buffer) => Promise<T>,
): Promise<T> {
  const own = openItemKey(vault, kind, id)
  try {
    return await work(own ?? legacyKey(vault, kind))
  } finally {
    if (own) vault.sodium.memzero(own)
  }
}

/** The shared subkey items of this kind were sealed under before schema 5. */
export function legacyKey(vault: VaultInternals, kind: ItemKind): Buffer {
  return kind === 'record' ? vault.subkeys.records : vault.subkeys.attachments
}

function itemKeyAd(vault: VaultInternals, kind: ItemKind, id: string, wrappedBy: string): Buffer {
  return buildItemKeyAd(vault.vaultId, kind, id, wrappedBy, vault.formatVersion)
}
