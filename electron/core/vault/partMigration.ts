// Main process (Node only): the one-time move of sensitive sections out of records written before schema 6 (today:
// dossiers' family contacts, medical notes and sources), at the first unlock by a member who holds the newest key of
// the sensitive area (an admin or a legal adviser). Every revision of every record of the splitter's kind is opened,
// split by the area that owns the kind (the vault knows nothing of dossiers), and sealed again in place: the open body
// under the record's own item key as before, the sensitive part apart under a fresh part key wrapped by the area key
// (sensitiveParts.ts). Resumable: a revision whose body already carries a part is skipped, one transaction per batch,
// and the plain setting `partsMoved.<kind>` marks the end so later unlocks do nothing. docs/CRYPTO.md §16.

import { buildRecordAd, computeKindTag, openJson, sealJson } from '../platform/crypto/sealedJson'
import { currentSensitiveKey } from './areaKeys'
import type { VaultInternals } from './internals'
import { withItemKey } from './itemKeys'
import { sealPart } from './sensitiveParts'
import type { PartSplitter, SealedPart } from './types'

/** Revisions re-sealed per transaction. */
const REVISIONS_PER_COMMIT = 200

/** The setting that marks the move done for a kind (plain, committed like every setting). */
export function partsMovedSetting(kind: string): string {
  return `partsMoved.${kind}`
}

/**
 * Moves the sensitive sections of every revision of `splitter.kind` apart. Does nothing when it was done, or when the
 * working member does not hold the newest sensitive key (a later unlock by one who does will). Logs
 * `vault.parts_moved` (counts only). Returns how many revisions were re-sealed.
 */
export function moveSensitiveParts(vault: VaultInternals, splitter: PartSplitter, onProgress?: (done: number) => void): number {
  if (vault.repo.getSetting(partsMovedSetting(splitter.kind)) === '1') return 0
  if (!currentSensitiveKey(vault)) return 0
  const kindTag = computeKindTag(vault.sodium, vault.subkeys.kindTag, splitter.kind)
  const pending: { id: string; revision: number }[] = []
  for (const row of vault.repo.listCurrent(kindTag)) {
    for (const rev of vault.repo.listRevisions(row.id)) pending.push({ id: row.id, revision: rev.revision })
  }
  let moved = 0
  let skipped = 0
  for (let start = 0; start < pending.length; start += REVISIONS_PER_COMMIT) {
    vault.repo.runInTransaction(() => {
      for (const { id, revision } of pending.slice(start, start + REVISIONS_PER_COMMIT)) {
        const outcome = resealRevision(vault, splitter, id, revision)
        if (outcome === 'moved') moved += 1
        else if (outcome === 'skipped') skipped += 1
      }
    })
    onProgress?.(Math.min(start + REVISIONS_PER_COMMIT, pending.length))
  }
  vault.repo.runInTransaction(() => {
    vault.repo.setSetting(partsMovedSetting(splitter.kind), '1')
    vault.chain.append('vault.parts_moved', { kind: splitter.kind, revisions: moved, skipped })
  })
  // The bodies written before held the sensitive sections: their old pages must not linger in the WAL.
  vault.db.pragma('wal_checkpoint(TRUNCATE)')
  return moved
}

function resealRevision(vault: VaultInternals, splitter: PartSplitter, id: string, revision: number): 'moved' | 'done' | 'skipped' {
  const record = vault.repo.getRecord(id)
  const row = vault.repo.getRevision(id, revision)
  if (!record || !row) return 'skipped'
  return withItemKey(vault, 'record', id, (key) => {
    const ad = buildRecordAd(vault.vaultId, id, record.kind_tag, revision, 'body', vault.formatVersion)
    let envelope: { v: 1; body: unknown; part?: SealedPart }
    try {
      envelope = openJson(vault.sodium, key, ad, { nonce: row.body_nonce, ciphertext: row.body_ct })
    } catch {
      // Left as it is: reading it keeps answering TAMPERED, and `custodia check` names it.
      return 'skipped'
    }
    if (envelope?.v !== 1) return 'skipped'
    if (envelope.part !== undefined) return 'done'
    const split = splitter.split(envelope.body)
    if (!split) return 'skipped'
    const body = sealJson(vault.sodium, key, ad, { v: 1, body: split.body, part: sealPart(vault, id, split.part) }, 256)
    vault.repo.rewriteRevision({ ...row, body_nonce: body.nonce, body_ct: body.ciphertext })
    return 'moved'
  })
}
