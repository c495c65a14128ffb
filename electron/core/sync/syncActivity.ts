// Main process / CLI (Node only): activity entries that travel between offices (issue #18: audit entries are
// append-only across replicas). The writer picks this office's own new entries about records that travel and sends
// them once, in an `activity` change; the applier checks every field (untrusted input) and appends each to this
// vault's chain as a `sync.activity` entry naming the office's device and member. Entries a replica wrote while
// applying others' change-sets (`via: 'sync'`) never go back out, so nothing echoes. docs/SYNC.md "Activity".
import type { AuditDetails, AuditEntry } from '../vault/auditChain'
import { ChangeSetRefusal, SYNC_ID_PATTERN, type ActivityChange, type RosterEntry, type TravellingActivity } from './syncFormat'
import { travels } from './syncKinds'
import { readDoc, type SyncContext, type TeamState } from './syncState'

/** The entry type another office's activity is kept under here: unambiguous, and no local check mistakes it for its own. */
export const SYNC_ACTIVITY_TYPE = 'sync.activity'

/** At most this many entries in one change-set; the rest go with the next one (the writer's mark moves only past what went). */
export const MAX_ACTIVITY_ENTRIES = 5000

/**
 * What a detail may hold. Ids are 32 hex (a record, attachment or device), counts are whole numbers, `format` a short
 * word: nothing that could carry a title or a text.
 */
const DETAIL_SHAPES = {
  id: (v: unknown) => typeof v === 'string' && SYNC_ID_PATTERN.test(v),
  count: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 1_000_000_000,
  word: (v: unknown) => typeof v === 'string' && /^[a-z0-9-]{1,16}$/.test(v),
} as const

const DETAIL_KEYS: Readonly<Record<string, keyof typeof DETAIL_SHAPES>> = {
  recordId: 'id',
  attachmentId: 'id',
  annotationId: 'id',
  dossierId: 'id',
  listId: 'id',
  keepId: 'id',
  dropId: 'id',
  deviceId: 'id',
  revision: 'count',
  fromRevision: 'count',
  attachments: 'count',
  format: 'word',
}

/** Each known detail at most once: what the writer's own entries can hold, so it never sends what a reader refuses. */
const MAX_DETAILS = Object.keys(DETAIL_KEYS).length

/**
 * The entry types that travel, each with the detail naming the record it is about (null: the team itself). Only
 * changes to what the other offices hold too; what happens on this computer alone (unlocking, passphrases, settings,
 * this vault's members, exports, reading a dossier's family contacts) stays here.
 */
const TRAVELLING_TYPES: Readonly<Record<string, string | null>> = {
  'record.created': 'recordId',
  'record.updated': 'recordId',
  'record.deleted': 'recordId',
  'record.shredded': 'recordId',
  'attachment.added': 'recordId',
  'attachment.deleted': 'recordId',
  'attachment.shredded': 'recordId',
  'annotation.created': 'annotationId',
  'annotation.edited': 'annotationId',
  'annotation.replied': 'annotationId',
  'annotation.resolved': 'annotationId',
  'annotation.reopened': 'annotationId',
  'annotation.deleted': 'annotationId',
  'document.imported': 'recordId',
  'document.restored': 'recordId',
  'dossier.created': 'dossierId',
  'dossier.updated': 'dossierId',
  'dossier.deleted': 'dossierId',
  'dossier.merged': 'keepId',
  'dossier.attachment_added': 'dossierId',
  'dossier.attachment_deleted': 'dossierId',
  'dossier_list.created': 'listId',
  'dossier_list.updated': 'listId',
  'dossier_list.deleted': 'listId',
  'dossier_schema.saved': 'recordId',
  'sync.device_invited': null,
  'sync.device_removed': null,
}

export function isTravellingActivityType(type: string): boolean {
  return Object.hasOwn(TRAVELLING_TYPES, type)
}

/** Origin details added on the receiving side; an entry naming one of them itself is refused. */
const ORIGIN_KEYS = ['fromDevice', 'fromMember', 'fromType', 'fromAt', 'fromSeq'] as const

/** True when the record an entry is about travels: it is here and sync carries it, or sync knows it (its tombstone). */
function subjectTravels(ctx: SyncContext, team: TeamState, entry: AuditEntry): boolean {
  const key = TRAVELLING_TYPES[entry.type]
  if (key === null) return true
  const id = key === undefined ? undefined : entry.details[key]
  if (typeof id !== 'string' || !SYNC_ID_PATTERN.test(id)) return false
  if (ctx.vault.hasRecord(id)) return travels(ctx.vault, ctx.vault.getRecord(id))
  return readDoc(ctx.vault, ctx.sodium, team, id).doc !== null
}

/** Keeps only the details a travelling entry may carry (the writer's own entries may hold others: they stay here). */
function travellingDetails(details: AuditDetails): AuditDetails {
  return Object.fromEntries(
    Object.entries(details).filter(([key, value]) => {
      const shape = Object.hasOwn(DETAIL_KEYS, key) ? DETAIL_KEYS[key] : undefined
      return shape !== undefined && DETAIL_SHAPES[shape](value)
    }),
  )
}

/**
 * This office's activity not sent yet (inside the writer's transaction, after its revisions and tombstones are
 * recorded, so a record made or deleted in this run is known): the change to send (null: nothing) and the new mark.
 * A team from before activity travelled starts at the newest entry (its history is not sent).
 */
export function collectActivity(ctx: SyncContext, team: TeamState): { change: ActivityChange | null; sentSeq: number } {
  const { vault } = ctx
  const last = vault.audit.lastSeq()
  if (team.activitySentSeq === undefined) return { change: null, sentSeq: last }
  if (last <= team.activitySentSeq) return { change: null, sentSeq: team.activitySentSeq }
  const by = team.roster.find((e) => e.deviceId === team.deviceId)?.member
  const entries: TravellingActivity[] = []
  let sentSeq = team.activitySentSeq
  for (const entry of vault.audit.listAfter(team.activitySentSeq)) {
    if (entries.length >= MAX_ACTIVITY_ENTRIES) break
    sentSeq = entry.seq
    if (entry.via === 'sync' || !isTravellingActivityType(entry.type) || by === undefined) continue
    if (!subjectTravels(ctx, team, entry)) continue
    entries.push({ seq: entry.seq, type: entry.type, at: entry.at, by, details: travellingDetails(entry.details) })
  }
  return { change: entries.length === 0 ? null : { op: 'activity', entries }, sentSeq }
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/

/**
 * An `activity` change from another device, checked field by field: known types, ids/counts/words only, each known
 * detail at most once, increasing numbers, and `by` the member the roster names for the signing device (a device cannot write
 * another member's activity). ChangeSetRefusal naming what is wrong.
 */
export function readActivityChange(change: unknown, signer: RosterEntry): TravellingActivity[] {
  const entries = (change as { entries?: unknown } | null)?.entries
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ACTIVITY_ENTRIES)
    throw new ChangeSetRefusal('holds activity described wrongly')
  let previous = 0
  return entries.map((raw: unknown): TravellingActivity => {
    const e = raw as Partial<TravellingActivity> | null
    if (typeof e !== 'object' || e === null) throw new ChangeSetRefusal('holds activity described wrongly')
    if (typeof e.type !== 'string' || !isTravellingActivityType(e.type))
      throw new ChangeSetRefusal('holds activity of a kind that does not travel or this version does not know')
    if (!Number.isSafeInteger(e.seq) || (e.seq as number) <= previous) throw new ChangeSetRefusal('numbers its activity wrongly')
    previous = e.seq as number
    if (typeof e.at !== 'string' || !ISO_UTC.test(e.at) || !Number.isFinite(Date.parse(e.at)))
      throw new ChangeSetRefusal('holds activity without a valid time')
    if (e.by !== signer.member) throw new ChangeSetRefusal(`holds activity it says another member than ${signer.member} did`)
    const details = e.details as unknown
    if (typeof details !== 'object' || details === null || Array.isArray(details) || Object.keys(details).length > MAX_DETAILS)
      throw new ChangeSetRefusal('holds activity with details described wrongly')
    for (const [key, value] of Object.entries(details)) {
      const shape = Object.hasOwn(DETAIL_KEYS, key) ? DETAIL_KEYS[key] : undefined
      if (shape === undefined || (ORIGIN_KEYS as readonly string[]).includes(key))
        throw new ChangeSetRefusal('holds activity with details this version does not know')
      if (!DETAIL_SHAPES[shape](value)) throw new ChangeSetRefusal('holds activity whose details are not ids, counts or short words')
    }
    return { seq: e.seq as number, type: e.type, at: e.at, by: e.by, details: { ...(details as AuditDetails) } }
  })
}

/** Appends another device's checked activity to this vault's chain (inside the change-set's transaction). */
export function appendReceivedActivity(ctx: SyncContext, deviceId: string, entries: readonly TravellingActivity[]): void {
  for (const entry of entries)
    ctx.vault.audit.append(SYNC_ACTIVITY_TYPE, {
      ...entry.details,
      fromDevice: deviceId,
      fromMember: entry.by,
      fromType: entry.type,
      fromAt: entry.at,
      fromSeq: entry.seq,
    })
}

/** Another office's entry as kept here, read back for the activity log; null for any other entry. */
export interface ReceivedActivity {
  readonly deviceId: string
  readonly member: string
  readonly type: string
  readonly at: string
  readonly details: AuditDetails
}

export function readReceivedActivity(entry: AuditEntry): ReceivedActivity | null {
  if (entry.type !== SYNC_ACTIVITY_TYPE) return null
  const { fromDevice, fromMember, fromType, fromAt, fromSeq: _fromSeq, ...details } = entry.details
  if (typeof fromDevice !== 'string' || typeof fromMember !== 'string' || typeof fromType !== 'string' || typeof fromAt !== 'string')
    return null
  return { deviceId: fromDevice, member: fromMember, type: fromType, at: fromAt, details }
}
