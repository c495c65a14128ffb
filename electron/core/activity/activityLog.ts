// Main process / CLI (Node only): the activity log people can read (Security → Activity, `custodia audit ls`) — the
// vault's audit chain turned into rows of when, who (by name), what (in words) and which record (by title, where the
// reader's role may see that record), filtered by member, action, record and dates. Reading changes nothing.
import { CustodiaError } from '../../../shared/errors'
import { describeAction, describeRecordKind, type ActivityVerification } from '../../../shared/activity/activityLabels'
import { DOCUMENT_KINDS } from '../../../shared/library/document'
import { memberNameKey, roleCan, type Capability, type Role } from '../../../shared/members/roles'
import { sentence } from '../../../shared/i18n/sentence'
import type { AuditEntry, Vault } from '../vault/vault'
import { readReceivedActivity } from '../sync/syncActivity'

/** One row of the activity log. */
export interface ActivityEntry {
  readonly seq: number
  /** ISO 8601 UTC. */
  readonly at: string
  /** The audit entry type, e.g. "dossier.updated" (what the action filter matches). */
  readonly action: string
  /** What was done, in words: "Edited a dossier". */
  readonly actionLabel: string
  /** Who did it; null for entries written before the vault had members. */
  readonly memberId: string | null
  /** Their name as it stands now (removed members keep theirs); null as memberId. */
  readonly memberName: string | null
  /** The record concerned, if any. */
  readonly recordId: string | null
  /** "Dossier", "Letter"…; null when the record is gone or there is none. */
  readonly recordKind: string | null
  /** Its title, only where the reader's role may see that record; else null. */
  readonly recordTitle: string | null
  /**
   * Set when another office did it (its entry came with sync): that office's device and the member the team's roster
   * names for it, and when it happened there (by its clock). `at` is when it arrived here; `memberName` says who and
   * that it was elsewhere.
   */
  readonly origin: { readonly deviceId: string; readonly member: string; readonly at: string } | null
}

export interface ActivityFilter {
  /** A member of this vault by id, or another office's device by id (what it did there). */
  readonly memberId?: string
  /**
   * A name (case and spacing do not matter) or member id: what this vault's member of that name did, and what another
   * office's member of that name did there. NOT_FOUND when nobody of that name is in the vault or the log.
   */
  readonly memberName?: string
  readonly action?: string
  /** A record id, or words of its title (case does not matter). */
  readonly record?: string
  /** Dates as YYYY-MM-DD (whole days, UTC) or full ISO times; both ends included. */
  readonly since?: string
  readonly until?: string
}

export interface ActivityListing {
  /** Newest first, at most `limit`. */
  readonly entries: ActivityEntry[]
  /** How many entries matched the filter (before the limit). */
  readonly matched: number
  readonly verification: ActivityVerification
  /** Everyone named in the log, for the member filter. */
  readonly members: { id: string; name: string }[]
  /** Every action the log holds, for the action filter. */
  readonly actions: { action: string; label: string }[]
}

/** Rows listed at once; the filters narrow a longer log down. */
export const DEFAULT_ACTIVITY_LIMIT = 500

/** Detail fields that name the record an entry is about, in the order they are looked at. */
const RECORD_DETAILS = ['dossierId', 'recordId', 'listId', 'contactId', 'keepId'] as const

/** What a role needs to see a record's title, by kind; kinds not listed never show a title. */
const TITLE_CAPABILITY: Readonly<Record<string, Capability>> = {
  ...Object.fromEntries(DOCUMENT_KINDS.map((kind) => [kind, 'library.read' as Capability])),
  dossier: 'dossiers.list',
  'dossier-list': 'dossiers.list',
  template: 'letters.read',
  contact: 'library.read',
}

/** The vault's own record writes that an area's entry right beside them already tells better ("Edited a dossier"). */
const RECORD_LEVEL = new Set(['record.created', 'record.updated', 'record.deleted'])
/** Area entries that name no record id but are about the one record of a kind. */
const ENTRY_RECORD_KIND: Readonly<Record<string, string>> = { 'legal_basis.seeded': 'legal-basis-vocabulary' }

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

function parseBound(value: string | undefined, end: boolean, what: string): number | null {
  if (value === undefined || value.trim() === '') return null
  const text = value.trim()
  const iso = DATE_ONLY.test(text) ? `${text}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : text
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms) || (DATE_ONLY.test(text) && new Date(ms).toISOString().slice(0, 10) !== text))
    throw new CustodiaError('VALIDATION', `The ${what} date "${text.slice(0, 40)}" is not a date. Write it as 2026-12-31.`)
  return ms
}

function recordIdOf(entry: AuditEntry): string | null {
  for (const key of RECORD_DETAILS) {
    const value = entry.details[key]
    if (typeof value === 'string' && /^[0-9a-f]{32}$/.test(value)) return value
  }
  return null
}

function titleOf(summary: Record<string, unknown>): string | null {
  const raw = summary['title'] ?? summary['name']
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null
}

/**
 * An entry as the log tells it: another office's (`sync.activity`) as what was done there, with who by the device
 * (`by` is `device:<id>`, so it never folds with a local member's entries).
 */
interface ToldEntry extends AuditEntry {
  readonly origin: ActivityEntry['origin']
}

function tell(entry: AuditEntry): ToldEntry {
  const received = readReceivedActivity(entry)
  if (received === null) return { ...entry, origin: null }
  return {
    seq: entry.seq,
    at: entry.at,
    type: received.type,
    details: received.details,
    by: `device:${received.deviceId}`,
    origin: { deviceId: received.deviceId, member: received.member, at: received.at },
  }
}

/** Types of the vault's own writes that applying another office's change-set makes here, told by that office's entry. */
const APPLIED_WRITES = new Set([...RECORD_LEVEL, 'record.shredded', 'attachment.added', 'attachment.deleted', 'attachment.shredded'])

/**
 * The record writes sync made here while applying another office's change-set (`via: 'sync'`) that the entry from that
 * office about the same record and action tells better ("Anna (another office) created…", not the member who ran sync).
 */
function foldedAppliedWrites(entries: readonly ToldEntry[]): Set<number> {
  const told = new Map<string, number>()
  for (const entry of entries) {
    const id = entry.origin === null ? null : recordIdOf(entry)
    if (id !== null) told.set(`${entry.type} ${id}`, (told.get(`${entry.type} ${id}`) ?? 0) + 1)
  }
  const folded = new Set<number>()
  for (const entry of entries) {
    if (entry.via !== 'sync' || !APPLIED_WRITES.has(entry.type)) continue
    const key = `${entry.type} ${recordIdOf(entry)}`
    const left = told.get(key) ?? 0
    if (left === 0) continue
    told.set(key, left - 1)
    folded.add(entry.seq)
  }
  return folded
}

/** Entries of the vault's own record writes that sit beside an area's entry about the same record by the same member. */
function foldedRecordWrites(entries: readonly ToldEntry[], kindOf: (id: string) => string | undefined): Set<number> {
  const folded = new Set<number>()
  entries.forEach((entry, index) => {
    if (!RECORD_LEVEL.has(entry.type)) return
    const id = recordIdOf(entry)
    const neighbours = [entries[index - 2], entries[index - 1], entries[index + 1], entries[index + 2]]
    const kind = id === null ? undefined : kindOf(id)
    const told = neighbours.some(
      (other) =>
        other !== undefined &&
        // Another office's entries come in runs: there a shred or a file beside an edit does not tell the edit.
        !(other.origin === null ? RECORD_LEVEL : APPLIED_WRITES).has(other.type) &&
        other.by === entry.by &&
        id !== null &&
        (recordIdOf(other) === id || (kind !== undefined && ENTRY_RECORD_KIND[other.type] === kind)),
    )
    if (told) folded.add(entry.seq)
  })
  return folded
}

/**
 * The activity log as `role` may read it. Verifies the chain first: when it is broken only the entries before the
 * break are listed, and `verification` says where. Bad dates, or a start after the end → VALIDATION.
 */
export function listActivity(
  vault: Vault,
  role: Role | null,
  filter: ActivityFilter = {},
  limit = DEFAULT_ACTIVITY_LIMIT,
): ActivityListing {
  const since = parseBound(filter.since, false, 'start')
  const until = parseBound(filter.until, true, 'end')
  if (since !== null && until !== null && since > until)
    throw new CustodiaError('VALIDATION', 'The start date is after the end date. Swap them, or clear one.')

  const result = vault.audit.verify()
  const verification: ActivityVerification = {
    ok: result.ok,
    entries: result.entries,
    firstBrokenSeq: result.ok ? null : result.firstBrokenSeq,
  }
  const raw = (result.ok ? vault.audit.list() : vault.audit.listIntact()).map(tell)
  const vaultMembers = vault.listMembers()
  const names = new Map(vaultMembers.map((m) => [m.id, m.name]))
  const records = new Map(vault.listRecords().map((r) => [r.id, r]))
  const folded = new Set([...foldedRecordWrites(raw, (id) => records.get(id)?.kind), ...foldedAppliedWrites(raw)])

  const all: ActivityEntry[] = raw
    .filter((entry) => !folded.has(entry.seq))
    .map((entry): ActivityEntry => {
      const recordId = recordIdOf(entry)
      const record = recordId === null ? undefined : records.get(recordId)
      const needed = record ? TITLE_CAPABILITY[record.kind] : undefined
      const mayRead = role !== null && needed !== undefined && roleCan(role, needed)
      return {
        seq: entry.seq,
        at: entry.at,
        action: entry.type,
        actionLabel: describeAction(entry.type),
        memberId: entry.origin === null ? (entry.by ?? null) : null,
        memberName:
          entry.origin !== null
            ? describeOfficeMember(entry.origin.member)
            : entry.by === undefined
              ? null
              : (names.get(entry.by) ?? 'A member no longer listed'),
        recordId,
        recordKind: record ? describeRecordKind(record.kind) : null,
        recordTitle: record && mayRead ? titleOf(record.summary) : null,
        origin: entry.origin,
      }
    })

  const byName = filter.memberName === undefined || filter.memberName.trim() === '' ? null : filter.memberName.trim()
  const nameKey = byName === null ? null : memberNameKey(byName)
  const namedMember = (entry: ActivityEntry): boolean =>
    entry.origin !== null
      ? memberNameKey(entry.origin.member) === nameKey
      : entry.memberId !== null && (entry.memberId === byName || memberNameKey(names.get(entry.memberId) ?? '') === nameKey)
  if (byName !== null && !vaultMembers.some((m) => m.id === byName || memberNameKey(m.name) === nameKey) && !all.some(namedMember))
    throw new CustodiaError('NOT_FOUND', `No member of this vault is called "${byName.slice(0, 100)}".`)

  const recordText = filter.record?.trim().toLocaleLowerCase('und') ?? ''
  const matches = all.filter((entry) => {
    if (filter.memberId && entry.memberId !== filter.memberId && entry.origin?.deviceId !== filter.memberId) return false
    if (byName !== null && !namedMember(entry)) return false
    if (filter.action && entry.action !== filter.action) return false
    if (recordText) {
      const byId = entry.recordId === recordText
      const byTitle = entry.recordTitle !== null && entry.recordTitle.toLocaleLowerCase('und').includes(recordText)
      if (!byId && !byTitle) return false
    }
    const at = Date.parse(entry.at)
    if (since !== null && at < since) return false
    if (until !== null && at > until) return false
    return true
  })

  const memberIds = [...new Set(all.map((e) => e.memberId).filter((id): id is string => id !== null))]
  // Other offices' devices, for the member filter (their id is the device's: one member per device).
  const offices = new Map(all.filter((e) => e.origin !== null).map((e) => [e.origin!.deviceId, e.memberName!]))
  const actions = [...new Set(all.map((e) => e.action))].map((action) => ({ action, label: describeAction(action) }))
  return {
    entries: matches.reverse().slice(0, limit),
    matched: matches.length,
    verification,
    members: [
      ...memberIds.map((id) => ({ id, name: names.get(id) ?? 'A member no longer listed' })),
      ...[...offices].map(([id, name]) => ({ id, name })),
    ],
    actions: actions.sort((a, b) => a.label.localeCompare(b.label)),
  }
}

/** Who did what another office's entry tells: "Anna (another office)". */
function describeOfficeMember(member: string): string {
  return sentence('activity.memberInAnotherOffice', { member })
}

/** A member named by the person using the CLI: id, or name (case and spacing do not matter). NOT_FOUND in words. */
export function findMemberId(vault: Vault, nameOrId: string): string {
  const key = memberNameKey(nameOrId)
  const found = vault.listMembers().find((m) => m.id === nameOrId || memberNameKey(m.name) === key)
  if (!found) throw new CustodiaError('NOT_FOUND', `No member of this vault is called "${nameOrId.slice(0, 100)}".`)
  return found.id
}
