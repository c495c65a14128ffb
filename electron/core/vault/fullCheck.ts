// Main process (Node only): `custodia check` — everything that can be verified about an open vault, read to the last
// byte: SQLite's own integrity check, the state commitment, the audit chain, every revision of every record, every
// attachment's metadata and blob. The unlock checks only what is cheap enough to do every time (the commitment and a
// bounded quick check); this is the slow, complete one. It changes nothing.

import fs from 'node:fs'
import { CustodiaError } from '../../../shared/errors'
import { openAttachmentStream } from './attachmentReads'
import type { VaultInternals } from './internals'
import { getRecord } from './records'
import { NEWEST_REMOVED } from './auditChain'
import type { IntegrityReport } from './types'

export interface FullCheckProblem {
  /**
   * What was being checked: 'database', 'auditChain', 'savedVersions', 'attachmentFiles' (damage: cannot be accepted)
   * or a commitment area (IntegrityProblem.area: changes made outside Custodia, which the user can accept).
   */
  readonly area: string
  readonly message: string
  readonly ids: readonly string[]
}

export interface FullCheckResult {
  readonly ok: boolean
  readonly problems: readonly FullCheckProblem[]
  readonly counts: { readonly records: number; readonly revisions: number; readonly attachments: number; readonly auditEntries: number }
}

export type FullCheckProgress = (done: number, total: number) => void

function failureCode(error: unknown): string {
  return error instanceof CustodiaError ? error.code : 'INTERNAL'
}

/** Runs every check; `integrity` is the commitment's report (from Vault.checkIntegrity, computed by the caller). */
export async function runFullCheck(
  vault: VaultInternals,
  integrity: IntegrityReport,
  onProgress?: FullCheckProgress,
): Promise<FullCheckResult> {
  vault.assertUnlocked()
  const problems: FullCheckProblem[] = []
  const sqlite = vault.db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]
  if (sqlite.length !== 1 || sqlite[0]!.integrity_check !== 'ok') {
    problems.push({ area: 'database', message: `The database file is damaged (${sqlite.length} problems found by SQLite).`, ids: [] })
  }
  problems.push(...integrity.problems)
  const audit = vault.chain.verify()
  if (!audit.ok) {
    // A cut tail (every entry verifies, the head does not) is a change the user can accept: acceptance re-heads the
    // log. An entry that fails its MAC stays broken whatever the user decides.
    const cutTail = audit.entries === audit.firstBrokenSeq - 1 && audit.firstBrokenSeq > 1 && audit.reason === NEWEST_REMOVED
    problems.push({
      area: cutTail ? 'audit' : 'auditChain',
      message: `The activity log is broken at entry ${audit.firstBrokenSeq}: ${audit.reason}.`,
      ids: [],
    })
  }

  const records = vault.repo.listRecordRevisionCounts()
  const attachmentIds = [...vault.repo.listAllAttachmentIds()]
  const total = records.length + attachmentIds.length
  let done = 0
  const unreadable: string[] = []
  let revisions = 0
  for (const record of records) {
    for (const row of vault.repo.listRevisions(record.id)) {
      revisions++
      try {
        getRecord(vault, record.id, row.revision)
      } catch (error) {
        if (failureCode(error) === 'VAULT_LOCKED') throw error
        unreadable.push(`${record.id}@${row.revision}`)
      }
    }
    onProgress?.(++done, total)
  }
  if (unreadable.length > 0)
    problems.push({
      area: 'savedVersions',
      message: `${unreadable.length} saved versions cannot be decrypted (damaged or changed).`,
      ids: unreadable,
    })

  const badAttachments: string[] = []
  for (const attachmentId of attachmentIds) {
    try {
      const row = vault.repo.getAttachment(attachmentId)
      const stat = fs.statSync(vault.blobPath(attachmentId))
      if (!row || stat.size !== row.blob_size) throw new CustodiaError('CORRUPT', 'size')
      // Read to the end: each chunk is authenticated, and the final tag proves nothing was cut off.
      for await (const chunk of openAttachmentStream(vault, attachmentId, {})) chunk.fill(0)
    } catch (error) {
      if (failureCode(error) === 'VAULT_LOCKED') throw error
      badAttachments.push(attachmentId)
    }
    onProgress?.(++done, total)
  }
  if (badAttachments.length > 0)
    problems.push({
      area: 'attachmentFiles',
      message: `${badAttachments.length} attachment files are missing, cut short or damaged.`,
      ids: badAttachments,
    })
  return {
    ok: problems.length === 0,
    problems,
    counts: { records: records.length, revisions, attachments: attachmentIds.length, auditEntries: audit.entries },
  }
}
