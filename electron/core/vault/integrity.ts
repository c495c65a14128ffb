// Main process (Node only): turns "these areas of the vault do not match its commitment" into what a person can act
// on — which records were removed or set back, which attachments vanished, which setting was edited. The commitment
// (stateCommitment.ts) says THAT something changed; the audit log, which it covers, says what should be there: replay
// its record and attachment events and compare with the rows. Runs only when a check failed, so its cost (decrypting
// the whole log) is never paid on a healthy vault.

import type { CommittedArea } from '../platform/db/committedRows'
import type { AuditEntry } from './auditChain'
import type { VaultInternals } from './internals'
import type { StateCheck } from './stateCommitment'
import { INTACT, type IntegrityProblem, type IntegrityReport } from './types'

const AREA_MESSAGES: Record<CommittedArea, string> = {
  meta: "The vault's change counter was set back.",
  audit: 'The activity log was cut, emptied or replaced, or entries were taken out of it.',
  keyslots: "The vault's keys (passphrase or recovery key) were changed outside Custodia.",
  settings: 'A setting was changed outside Custodia.',
  records: 'Records were removed, set back or added outside Custodia.',
  revisions: 'Saved versions of records were removed or replaced outside Custodia.',
  attachments: 'Attachments were removed or replaced outside Custodia.',
  tombstones: 'The list of deleted items was changed (search may show deleted items).',
  members: "The vault's members (who they are, their roles, suspensions or keys) were changed outside Custodia.",
  invitations: 'Invitations to join the vault were changed outside Custodia.',
  itemKeys: 'The keys of records or attachments were removed or replaced outside Custodia (those items can no longer be read).',
  memberKeys: "Members' own keys were removed or replaced outside Custodia.",
  areaKeys: 'Who may read the sensitive parts of dossiers was changed outside Custodia (keys given to members were removed or added).',
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

interface Expected {
  records: Map<string, number>
  attachments: Map<string, string>
  settings: Map<string, string>
}

/** What the audit log says should be there, from its record, attachment and setting events. */
function replay(entries: readonly AuditEntry[]): Expected {
  const expected: Expected = { records: new Map(), attachments: new Map(), settings: new Map() }
  for (const { type, details } of entries) {
    const recordId = typeof details['recordId'] === 'string' ? details['recordId'] : null
    const attachmentId = typeof details['attachmentId'] === 'string' ? details['attachmentId'] : null
    if ((type === 'record.created' || type === 'record.updated') && recordId && typeof details['revision'] === 'number') {
      expected.records.set(recordId, details['revision'])
    } else if ((type === 'record.deleted' || type === 'record.shredded') && recordId) {
      expected.records.delete(recordId)
      for (const [id, owner] of expected.attachments) if (owner === recordId) expected.attachments.delete(id)
    } else if (type === 'attachment.added' && attachmentId && recordId) {
      expected.attachments.set(attachmentId, recordId)
    } else if ((type === 'attachment.deleted' || type === 'attachment.shredded') && attachmentId) {
      expected.attachments.delete(attachmentId)
    } else if (type === 'setting.changed' && typeof details['name'] === 'string' && typeof details['value'] === 'string') {
      expected.settings.set(details['name'], details['value'])
    }
  }
  return expected
}

function recordProblems(vault: VaultInternals, expected: Expected): IntegrityProblem[] {
  const rows = new Map(vault.repo.listRecordRevisionCounts().map((row) => [row.id, row]))
  const removed = [...expected.records.keys()].filter((id) => !rows.has(id))
  const setBack: string[] = []
  const unknown: string[] = []
  const missingRevisions: string[] = []
  for (const [id, row] of rows) {
    const revision = expected.records.get(id)
    if (revision === undefined) unknown.push(id)
    else if (row.current_revision < revision) setBack.push(id)
    if (row.revisions !== row.current_revision) missingRevisions.push(id)
  }
  const problems: IntegrityProblem[] = []
  if (removed.length > 0)
    problems.push({ area: 'records', message: `${plural(removed.length, 'record was', 'records were')} removed.`, ids: removed })
  if (setBack.length > 0)
    problems.push({
      area: 'records',
      message: `${plural(setBack.length, 'record was', 'records were')} set back to an older version.`,
      ids: setBack,
    })
  if (unknown.length > 0)
    problems.push({
      area: 'records',
      message: `${plural(unknown.length, 'record is', 'records are')} not in the activity log (added outside Custodia).`,
      ids: unknown,
    })
  if (missingRevisions.length > 0)
    problems.push({
      area: 'revisions',
      message: `Earlier versions of ${plural(missingRevisions.length, 'record were', 'records were')} removed.`,
      ids: missingRevisions,
    })
  return problems
}

function attachmentProblems(vault: VaultInternals, expected: Expected): IntegrityProblem[] {
  const present = vault.repo.listAllAttachmentIds()
  const removed = [...expected.attachments.keys()].filter((id) => !present.has(id))
  const unknown = [...present].filter((id) => !expected.attachments.has(id))
  const problems: IntegrityProblem[] = []
  if (removed.length > 0)
    problems.push({
      area: 'attachments',
      message: `${plural(removed.length, 'attachment was', 'attachments were')} removed.`,
      ids: removed,
    })
  if (unknown.length > 0)
    problems.push({
      area: 'attachments',
      message: `${plural(unknown.length, 'attachment is', 'attachments are')} not in the activity log (added outside Custodia).`,
      ids: unknown,
    })
  return problems
}

function settingProblems(vault: VaultInternals, expected: Expected): IntegrityProblem[] {
  const changed = [...expected.settings].filter(([name, value]) => vault.repo.getSetting(name) !== value).map(([name]) => name)
  return changed.map((name) => ({ area: 'settings' as const, message: `The setting “${name}” was changed outside Custodia.`, ids: [] }))
}

/**
 * Names what a failed check found. Specific findings come from replaying the audit log; an area with none (the log
 * itself was cut, or the change leaves no trace in it) gets its general sentence.
 */
export function describeIntegrityProblems(vault: VaultInternals, check: StateCheck): IntegrityReport {
  const { areas } = check
  if (areas.length === 0) return INTACT
  const expected = replay(vault.chain.readIntactEntries())
  const specific: IntegrityProblem[] = []
  if (areas.includes('records') || areas.includes('revisions')) specific.push(...recordProblems(vault, expected))
  if (areas.includes('attachments')) specific.push(...attachmentProblems(vault, expected))
  if (areas.includes('settings')) specific.push(...settingProblems(vault, expected))
  if (!check.authentic) {
    const record = { area: 'meta' as const, message: "The vault's integrity record is missing or was changed outside Custodia.", ids: [] }
    return { intact: false, problems: [record, ...specific] }
  }
  const covered = new Set<CommittedArea>(specific.map((problem) => problem.area))
  // A record removed or set back takes its saved versions with it: one event, told once.
  if (covered.has('records')) covered.add('revisions')
  const general = areas.filter((area) => !covered.has(area)).map((area) => ({ area, message: AREA_MESSAGES[area], ids: [] }))
  return { intact: false, problems: [...specific, ...general] }
}
