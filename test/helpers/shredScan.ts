// Test helper (Node): what the shredding tests look for on disk — every ciphertext a vault holds for some records and
// attachments, and whether any 32-byte run of them is still in any file of the vault folder.

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { listFilesRecursive } from './vaultTestUtils'

const RUN = 32

/** Every ciphertext the vault holds for a record (all revisions, its item key) or an attachment (key, metadata, blob). */
export function collectCiphertexts(dir: string, recordIds: string[], attachmentIds: string[]): Buffer[] {
  const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true, fileMustExist: true })
  const out: Buffer[] = []
  try {
    for (const id of recordIds) {
      const revisions = db.prepare('SELECT summary_ct, body_ct FROM revisions WHERE record_id = ?').all(id) as {
        summary_ct: Buffer
        body_ct: Buffer
      }[]
      if (revisions.length === 0) throw new Error(`record ${id} has no revisions`)
      for (const r of revisions) out.push(r.summary_ct, r.body_ct)
      out.push(
        (db.prepare(`SELECT wrapped_key FROM item_keys WHERE item_kind = 'record' AND id = ?`).get(id) as { wrapped_key: Buffer })
          .wrapped_key,
      )
    }
    for (const id of attachmentIds) {
      out.push((db.prepare('SELECT meta_ct FROM attachments WHERE id = ?').get(id) as { meta_ct: Buffer }).meta_ct)
      out.push(
        (db.prepare(`SELECT wrapped_key FROM item_keys WHERE item_kind = 'attachment' AND id = ?`).get(id) as { wrapped_key: Buffer })
          .wrapped_key,
      )
      out.push(fs.readFileSync(path.join(dir, 'blobs', id.slice(0, 2), id)))
    }
  } finally {
    db.close()
  }
  return out
}

/** Files of the vault folder holding any 32-byte run of any of `ciphertexts` (every offset of every file is tried). */
export function findCiphertextRuns(dir: string, ciphertexts: Buffer[]): string[] {
  const runs = new Set<string>()
  for (const ct of ciphertexts) for (let i = 0; i + RUN <= ct.length; i++) runs.add(ct.toString('latin1', i, i + RUN))
  const hits: string[] = []
  for (const file of listFilesRecursive(dir)) {
    const data = fs.readFileSync(file)
    for (let i = 0; i + RUN <= data.length; i++) {
      if (runs.has(data.toString('latin1', i, i + RUN))) {
        hits.push(path.relative(dir, file))
        break
      }
    }
  }
  return hits
}
