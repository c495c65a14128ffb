// Main process (Node only): crypto-shredding ("Destroy for good", issue #16). One transaction deletes the items' wrapped
// item keys with every revision's ciphertext (a record's attachments go with it) and logs that they were shredded — ids
// only, never a title. Then the blob files are overwritten with zeros and removed, and the write-ahead log is
// checkpointed and truncated, so with SQLite's secure_delete (set on every connection: platform/db/connection.ts) no
// page of the items is left in vault.sqlite, its -wal or its -shm. What this cannot reach (SSD wear levelling, older
// backups, bundles already sent, swap): docs/CRYPTO.md section 13.

import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../shared/errors'
import { overwriteWithZeros } from './blobFiles'
import { syncDirectory } from './files'
import type { VaultInternals } from './internals'
import { validateId } from './validation'

/** What one shred destroyed: the records and attachments (a record's own attachments included) by id. */
export interface ShredResult {
  records: string[]
  attachments: string[]
  /**
   * False when another connection (a backup in progress, another Custodia process) kept the write-ahead log in use,
   * so old pages may stay in vault.sqlite-wal until that connection ends and the next checkpoint runs.
   */
  logCleared: boolean
}

/** Checkpoint attempts when another connection holds the log, CHECKPOINT_PAUSE_MS apart. */
const CHECKPOINT_ATTEMPTS = 5
const CHECKPOINT_PAUSE_MS = 100

/**
 * Shreds records and attachments by id (each id is a record's or an attachment's; a record's attachments go with it).
 * Unknown id → NOT_FOUND and nothing changes; an id twice is shredded once. Not inside vault.transaction(): the
 * checkpoint must run after the commit.
 */
export async function shredItems(vault: VaultInternals, ids: readonly string[]): Promise<ShredResult> {
  vault.assertUnlocked()
  vault.assertOutsideTransaction()
  if (!Array.isArray(ids) || ids.length === 0) throw new CustodiaError('VALIDATION', 'Choose at least one item to destroy')
  for (const id of ids) validateId(id, 'item')
  const result: ShredResult = { records: [], attachments: [], logCleared: false }
  const blobs = vault.repo.runInTransaction(() => {
    const removedBlobs: string[] = []
    for (const id of new Set(ids)) {
      if (vault.repo.getRecord(id)) {
        const attachmentIds = vault.repo.deleteRecord(id, vault.repo.takeChangeSeq())
        vault.chain.append('record.shredded', { recordId: id, attachments: attachmentIds.length })
        result.records.push(id)
        result.attachments.push(...attachmentIds)
        removedBlobs.push(...attachmentIds)
        continue
      }
      const attachment = vault.repo.getAttachment(id)
      if (!attachment) {
        // A record shredded earlier in this call may have taken this attachment with it.
        if (removedBlobs.includes(id)) continue
        throw new CustodiaError('NOT_FOUND', 'There is no document, dossier, annotation or attachment with this id')
      }
      vault.repo.deleteAttachment(id)
      vault.chain.append('attachment.shredded', { recordId: attachment.record_id, attachmentId: id })
      result.attachments.push(id)
      removedBlobs.push(id)
    }
    return removedBlobs
  })
  for (const attachmentId of blobs) await destroyBlob(vault.blobPath(attachmentId))
  result.logCleared = await clearWriteAheadLog(vault)
  return result
}

/** Overwrites a blob with zeros, removes it and makes the removal durable. A crash before leaves an orphan removeLeftovers deletes. */
async function destroyBlob(file: string): Promise<void> {
  await overwriteWithZeros(file)
  try {
    fs.unlinkSync(file)
    await syncDirectory(path.dirname(file))
  } catch {
    // Already gone, or removed at the next unlock as an orphan (its bytes are zeros by now).
  }
}

// Every committed page goes from the log into the database (where secure_delete zeroed the freed ones) and the log
// is cut to zero bytes: the deleted rows' earlier versions lived only in old log frames.
async function clearWriteAheadLog(vault: VaultInternals): Promise<boolean> {
  for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_PAUSE_MS))
    vault.assertUnlocked()
    if (vault.repo.checkpointTruncate()) return true
  }
  return false
}
