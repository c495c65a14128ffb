// Main process (Node only): the move of a vault from before schema 5 to item keys, at the unlock after the schema
// migration. Records: every revision of a record is decrypted under the shared records subkey and sealed again, same
// bytes, under the record's new item key — one record per step, all of its revisions and its item key in one
// transaction, a batch of records per commit. Attachments are re-encrypted too (docs/CRYPTO.md section 13 says why a
// re-wrap would not do): the new blob is written beside the old one as `<id>.rekey` and fsynced; one transaction
// stores the item key, the re-sealed metadata and blob_version 2; after the commit the old blob is overwritten with
// zeros and the new one renamed over it. A kill at any moment leaves every item readable: a record is migrated whole
// or not at all, and removeLeftovers finishes (committed) or drops (not committed) a `.rekey` file at the next unlock,
// where this migration then resumes with what is left.

import fsp from 'node:fs/promises'
import { buildAttachmentMetaAd } from '../platform/crypto/sealedJson'
import { AEAD_NONCE_BYTES } from '../platform/crypto/sodium'
import { createIterableFiller, encryptToBlob } from '../platform/crypto/streams'
import type { RecordRow } from '../platform/db/vaultRepo'
import { openAttachmentStream } from './attachmentReads'
import { ITEM_KEY_BLOB_VERSION } from './attachments'
import { finishRekeyedBlob, REKEY_SUFFIX } from './blobFiles'
import { FILE_MODE } from './files'
import type { VaultInternals } from './internals'
import { createItemKey, legacyKey, makeItemKey, resealRevisions } from './itemKeys'

/** Items re-encrypted so far out of those that had no item key when the migration (or its resumption) began. */
export interface ItemKeyMigrationProgress {
  done: number
  total: number
}

/** What one run migrated (0 and 0 for a vault that needed nothing); `skipped`: items whose old ciphertext did not open. */
export interface ItemKeyMigrationResult {
  records: number
  attachments: number
  skipped: number
}

/** Records re-encrypted per transaction: big enough that commits (fsync) do not dominate, small enough to resume often. */
const RECORDS_PER_COMMIT = 200

/**
 * Gives every record and attachment without an item key one, re-encrypting it. Needs an unlocked vault whose state
 * commitment follows writes (each step updates it). An item whose old ciphertext fails authentication is left as it
 * is (reading it keeps failing with TAMPERED, `custodia check` names it) and counted in `skipped`.
 */
export async function migrateToItemKeys(
  vault: VaultInternals,
  onProgress?: (progress: ItemKeyMigrationProgress) => void,
): Promise<ItemKeyMigrationResult> {
  // Cheap check first (every unlock runs it): with as many item keys as items, every item has one.
  if (vault.repo.itemKeysCoverAll()) return { records: 0, attachments: 0, skipped: 0 }
  const pending = vault.repo.countWithoutItemKey()
  const total = pending.records + pending.attachments
  const result: ItemKeyMigrationResult = { records: 0, attachments: 0, skipped: 0 }
  if (total === 0) return result
  let done = 0
  onProgress?.({ done, total })
  for (let after = 0; ;) {
    const batch = vault.repo.listRecordsWithoutItemKey(after, RECORDS_PER_COMMIT)
    if (batch.length === 0) break
    after = batch[batch.length - 1]!.row_id
    vault.repo.runInTransaction(() => {
      for (const record of batch) {
        if (rekeyRecord(vault, record)) result.records++
        else result.skipped++
      }
    })
    done += batch.length
    onProgress?.({ done, total })
    // Let the event loop breathe between commits (progress events, the lock button).
    await new Promise((resolve) => setImmediate(resolve))
    vault.assertUnlocked()
  }
  for (let after = 0; ;) {
    const [attachment] = vault.repo.listAttachmentsWithoutItemKey(after, 1)
    if (!attachment) break
    after = attachment.row_id
    if (await rekeyAttachment(vault, attachment.id, attachment.record_id)) result.attachments++
    else result.skipped++
    done++
    onProgress?.({ done, total })
    vault.assertUnlocked()
  }
  if (result.records + result.attachments > 0 && vault.chain.headIsCurrent()) {
    vault.repo.runInTransaction(() => {
      vault.chain.append('vault.item_keys_migrated', { records: result.records, attachments: result.attachments, skipped: result.skipped })
    })
  }
  return result
}

// Inside the caller's transaction: the record's item key and all of its revisions, or (a savepoint rolls back) none.
function rekeyRecord(vault: VaultInternals, record: RecordRow): boolean {
  try {
    return vault.repo.runInTransaction(() => {
      const key = createItemKey(vault, 'record', record.id)
      try {
        resealRevisions(vault, record, legacyKey(vault, 'record'), key)
      } finally {
        vault.sodium.memzero(key)
      }
      return true
    })
  } catch (err) {
    if ((err as { code?: unknown })?.code === 'TAMPERED') return false
    throw err
  }
}

// Re-encrypts one attachment (see the file comment for the order of steps). False when its old blob does not open.
async function rekeyAttachment(vault: VaultInternals, attachmentId: string, recordId: string): Promise<boolean> {
  const finalPath = vault.blobPath(attachmentId)
  const rekeyPath = `${finalPath}${REKEY_SUFFIX}`
  const row = vault.repo.getAttachment(attachmentId)
  if (!row) return false
  const { key, wrapped } = makeItemKey(vault, 'attachment', attachmentId)
  let blobSize: number
  let meta: { nonce: Buffer; ciphertext: Buffer }
  try {
    const out = await fsp.open(rekeyPath, 'w', FILE_MODE)
    try {
      // The plaintext comes out of the old blob authenticated chunk by chunk (a changed byte stops it with TAMPERED).
      const sizes = await encryptToBlob(
        vault.sodium,
        key,
        vault.streamAd(attachmentId),
        createIterableFiller(openAttachmentStream(vault, attachmentId, {})),
        out,
      )
      blobSize = sizes.blobSize
      await out.sync()
    } finally {
      await out.close()
    }
    const ad = buildAttachmentMetaAd(vault.vaultId, attachmentId, recordId, vault.formatVersion)
    const plain = vault.sodium.aeadDecrypt(row.meta_ct, ad, row.meta_nonce, legacyKey(vault, 'attachment'))
    try {
      const nonce = vault.sodium.randomBytes(AEAD_NONCE_BYTES)
      meta = { nonce, ciphertext: vault.sodium.aeadEncrypt(plain, ad, nonce, key) }
    } finally {
      vault.sodium.memzero(plain)
    }
  } catch (err) {
    await fsp.rm(rekeyPath, { force: true }).catch(() => undefined)
    if ((err as { code?: unknown })?.code === 'TAMPERED') return false
    throw err
  } finally {
    vault.sodium.memzero(key)
  }
  vault.repo.runInTransaction(() => {
    vault.repo.insertItemKey({ item_kind: 'attachment', id: attachmentId, ...wrapped })
    vault.repo.rewriteAttachment({
      id: attachmentId,
      blob_version: ITEM_KEY_BLOB_VERSION,
      blob_size: blobSize,
      meta_nonce: meta.nonce,
      meta_ct: meta.ciphertext,
    })
  })
  await finishRekeyedBlob(finalPath, rekeyPath)
  return true
}
