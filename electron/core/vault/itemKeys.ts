// Main process (Node only): item keys — every record and every attachment is encrypted under its own random 32-byte
// key, stored in item_keys wrapped (XChaCha20-Poly1305) by the key its `wrapped_by` names: 'vault' (subkey 11 of the
// vault key: content epoch 0, before any member was removed) or 'content:N' (the content key of epoch N, areaKeys.ts;
// docs/CRYPTO.md §17). New item keys go under the newest epoch; a record saved again after a removal moves to it with
// all its revisions. (Dossiers' sensitive parts have their own part keys under an area key, kept in the record's body:
// sensitiveParts.ts.) Destroying an item's wrapped key (shred.ts) leaves its ciphertext unreadable for anyone,
// passphrase or not.
//
// A record or attachment without a row here predates schema 5 and is still under the shared records/attachments
// subkey; the unlock that migrates re-encrypts it (itemKeyMigration.ts). Every revision of a record uses the same key.

import { CustodiaError } from '../../../shared/errors'
import { buildItemKeyAd, KEY_BYTES, WRAPPED_KEY_BYTES, wrapVaultKey } from '../platform/crypto/keys'
import { buildRecordAd } from '../platform/crypto/sealedJson'
import { AEAD_NONCE_BYTES } from '../platform/crypto/sodium'
import type { ItemKeyRow, ItemKind, RecordRow, RevisionRow } from '../platform/db/vaultRepo'
import { contentKeyOf, currentContentKey } from './areaKeys'
import type { VaultInternals } from './internals'

/** `wrapped_by` of an item key wrapped by the vault's item-key subkey (content epoch 0). */
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
  const wrapping = currentWrapping(vault)
  const key = vault.sodium.randomBytes(KEY_BYTES)
  const { nonce, wrapped } = wrapVaultKey(vault.sodium, key, wrapping.key, itemKeyAd(vault, kind, id, wrapping.label))
  return { key, wrapped: { wrapped_by: wrapping.label, nonce, wrapped_key: wrapped } }
}

/** The key new item keys are wrapped under and its `wrapped_by` label: the newest content epoch's (areaKeys.ts). */
function currentWrapping(vault: VaultInternals): { label: string; key: Buffer } {
  return currentContentKey(vault) ?? { label: WRAPPED_BY_VAULT, key: vault.subkeys.itemKeyWrap }
}

/** Whether a stored item key is wrapped under an older content epoch than new ones would be. */
export function isWrappedBeforeCurrentEpoch(vault: VaultInternals, wrapped: WrappedItemKey): boolean {
  return wrapped.wrapped_by !== currentWrapping(vault).label
}

/**
 * Unwraps a stored item key. A key wrapped by neither the vault nor a content epoch → UNSUPPORTED (a newer Custodia's
 * key); a content epoch whose key the working member does not hold (yet) → FORBIDDEN; one that does not authenticate
 * (edited, moved to another item) → TAMPERED. Returns a buffer the caller zeroes.
 */
export function unwrapItemKey(vault: VaultInternals, kind: ItemKind, id: string, wrapped: WrappedItemKey): Buffer {
  const wrappingKey = wrapped.wrapped_by === WRAPPED_BY_VAULT ? vault.subkeys.itemKeyWrap : contentKeyOf(vault, wrapped.wrapped_by)
  if (!wrappingKey) throw new CustodiaError('UNSUPPORTED', 'This item is locked with a key this version of Custodia does not know')
  const tampered = () => new CustodiaError('TAMPERED', "An item's key does not match it: it was changed outside Custodia")
  if (wrapped.wrapped_key.length !== WRAPPED_KEY_BYTES || wrapped.nonce.length !== AEAD_NONCE_BYTES) throw tampered()
  // Decrypted straight into a plain buffer the caller zeroes (see makeItemKey for why not allocKey).
  try {
    return vault.sodium.aeadDecrypt(wrapped.wrapped_key, itemKeyAd(vault, kind, id, wrapped.wrapped_by), wrapped.nonce, wrappingKey)
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

/**
 * Inside the caller's transaction: every revision of a record decrypted under `fromKey` and sealed again, same bytes
 * (padding included), same AD, fresh nonce, under `toKey`. A revision that does not open → TAMPERED (nothing is kept).
 */
export function resealRevisions(vault: VaultInternals, record: RecordRow, fromKey: Buffer, toKey: Buffer): void {
  for (const revision of vault.repo.listRevisions(record.id)) {
    const rewritten: RevisionRow = { ...revision }
    for (const part of ['summary', 'body'] as const) {
      const ad = buildRecordAd(vault.vaultId, record.id, record.kind_tag, revision.revision, part, vault.formatVersion)
      const oldNonce = part === 'summary' ? revision.summary_nonce : revision.body_nonce
      const oldCiphertext = part === 'summary' ? revision.summary_ct : revision.body_ct
      const plain = vault.sodium.aeadDecrypt(oldCiphertext, ad, oldNonce, fromKey)
      try {
        const nonce = vault.sodium.randomBytes(AEAD_NONCE_BYTES)
        const ciphertext = vault.sodium.aeadEncrypt(plain, ad, nonce, toKey)
        if (part === 'summary') Object.assign(rewritten, { summary_nonce: nonce, summary_ct: ciphertext })
        else Object.assign(rewritten, { body_nonce: nonce, body_ct: ciphertext })
      } finally {
        vault.sodium.memzero(plain)
      }
    }
    vault.repo.rewriteRevision(rewritten)
  }
}

/**
 * Inside the caller's transaction, before a record written before the last removal gets a new revision: a new item key
 * under the current content epoch replaces its old one, and every revision moves to it (resealRevisions), so what is
 * saved now opens with no key a removed member held, and shredding the record still destroys every revision at once.
 * Cost: one re-encryption of the record's revisions, once per record and removal.
 */
export function moveRecordToCurrentEpoch(vault: VaultInternals, record: RecordRow, stored: WrappedItemKey): void {
  const oldKey = unwrapItemKey(vault, 'record', record.id, stored)
  const { key, wrapped } = makeItemKey(vault, 'record', record.id)
  try {
    resealRevisions(vault, record, oldKey, key)
    vault.repo.replaceItemKey({ item_kind: 'record', id: record.id, ...wrapped })
  } finally {
    vault.sodium.memzero(oldKey)
    vault.sodium.memzero(key)
  }
}

function itemKeyAd(vault: VaultInternals, kind: ItemKind, id: string, wrappedBy: string): Buffer {
  return buildItemKeyAd(vault.vaultId, kind, id, wrappedBy, vault.formatVersion)
}
