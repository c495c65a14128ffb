// Main process / CLI (Node only): sync's applier — reads the other devices' change-sets in each device's order,
// checks each (name, header, signature, seal, chain, signer's role, content) and applies it once, in batches of
// transactions; revisions that crossed are all kept and the graph's heads say what is in conflict. docs/SYNC.md.
import fs from 'node:fs'
import path from 'node:path'
import { DOSSIER_LIST_RECORD_KIND } from '../../../shared/dossiers/dossierList'
import { DOSSIER_SCHEMA_RECORD_KIND, type DossierSchemaConfig } from '../../../shared/dossiers/dossierSchema'
import { roleCan } from '../../../shared/members/roles'
import {
  CHANGESET_NAME_PATTERN,
  ChangeSetRefusal,
  hashChangeSet,
  MAX_CHANGESET_BYTES,
  openChangeSet,
  readChangeSetHeader,
  readRosterEntry,
  SYNC_ID_PATTERN,
  SYNC_ROOT_DIR,
  deviceBoxKeys,
  type ChangeSetPayload,
  type RosterEntry,
  type TravellingActivity,
} from './syncFormat'
import { appendReceivedActivity, readActivityChange } from './syncActivity'
import { ANNOTATION_RECORD_KIND } from '../annotations/annotationService'
import type { Vault } from '../vault/vault'
import {
  anchorRecordOf,
  bodyFromChange,
  bodyOfRecord,
  contentOfBody,
  isSyncedKind,
  mergeHeads,
  readChangeBody,
  writeCapability,
  type SyncedDossier,
} from './syncKinds'
import { canonicalJson, orderHeads } from './syncMerge'
import { checkSchemaRevision, isTeamSchema } from './syncSchema'
import {
  forgetAttachment,
  readAttachChange,
  readDetachChange,
  type AttachChange,
  type DetachChange,
  type IncomingAttachments,
} from './syncAttachments'
import {
  lastChangeSeq,
  readDoc,
  readSeen,
  saveDoc,
  saveSeen,
  saveTeam,
  saveTombstone,
  seenId,
  teamKeyById,
  type DocState,
  type SyncContext,
  type TeamState,
} from './syncState'

/** One change-set this run did not apply, and why (also in the activity log as `sync.refused`). */
export interface SyncRefusal {
  readonly deviceId: string
  readonly member: string | null
  readonly seq: number
  readonly reason: string
}

interface CheckedRevise {
  recordId: string
  kind: string
  node: string
  parents: string[]
  savedAt: string
  author: string
  /** Checked for its kind (syncKinds.readChangeBody). */
  body: unknown
}

interface CheckedTombstone {
  tombstone: string
  kind: string
  shred: boolean
}

type CheckedChange =
  | CheckedRevise
  | CheckedTombstone
  | { roster: RosterEntry }
  | { remove: string; lastSeq: number }
  | { rekey: string; keys: readonly { deviceId: string; sealed: string }[] }
  | { attach: AttachChange }
  | { detach: DetachChange }
  | { activity: TravellingActivity[] }

/** Marks a device removed in the roster: the lowest cut-off wins, so the order removals arrive in does not matter. */
export function markRemoved(team: TeamState, deviceId: string, lastSeq: number): void {
  team.roster = team.roster.map((entry) =>
    entry.deviceId !== deviceId ? entry : { ...entry, removedAfter: Math.min(lastSeq, entry.removedAfter ?? lastSeq) },
  )
}

/**
 * Takes a new team key sealed to this device (when there is one for it: a removed device finds none) and seals with it
 * from now on. Keys already held are not taken again; of two rotations that crossed, the greater key id is sealed
 * with, the same choice on every device (each holds both).
 */
export function receiveTeamKey(
  ctx: SyncContext,
  team: TeamState,
  keyId: string,
  keys: readonly { deviceId: string; sealed: string }[],
): void {
  const mine = keys.find((k) => k.deviceId === team.deviceId)
  if (!mine || team.rotatedKeys?.[keyId]) return
  const seed = Buffer.from(team.deviceSeed, 'hex')
  const box = deviceBoxKeys(ctx.sodium, seed)
  ctx.sodium.memzero(seed)
  let plain: Buffer | null
  try {
    plain = ctx.sodium.boxSealOpen(Buffer.from(mine.sealed, 'base64'), box.publicKey, box.secretKey)
  } finally {
    ctx.sodium.memzero(box.secretKey)
  }
  if (plain === null) throw new ChangeSetRefusal('carries a new team key that does not open with this device’s key')
  let received: { teamKey?: unknown; sensitiveKey?: unknown }
  try {
    received = JSON.parse(plain.toString('utf8')) as typeof received
  } catch {
    throw new ChangeSetRefusal('carries an unreadable new team key')
  } finally {
    ctx.sodium.memzero(plain)
  }
  const hex = /^[0-9a-f]{64}$/
  if (typeof received.teamKey !== 'string' || !hex.test(received.teamKey)) throw new ChangeSetRefusal('carries an unreadable new team key')
  const sensitiveKey = typeof received.sensitiveKey === 'string' && hex.test(received.sensitiveKey) ? received.sensitiveKey : undefined
  team.rotatedKeys = { ...team.rotatedKeys, [keyId]: { teamKey: received.teamKey, ...(sensitiveKey ? { sensitiveKey } : {}) } }
  if (team.currentKey === undefined || keyId > team.currentKey) team.currentKey = keyId
}

/** Words for what a change touches, for refusals. */
function whatKind(kind: string): string {
  if (kind === DOSSIER_SCHEMA_RECORD_KIND) return 'the dossier fields and lists of choices'
  if (kind === DOSSIER_LIST_RECORD_KIND) return 'a list of dossiers'
  return kind === 'dossier' ? 'a dossier' : kind === 'annotation' ? 'an annotation' : 'the library'
}

/** Checks a change-set's changes against the signer's role and the formats; throws ChangeSetRefusal on the first problem. */
function checkChanges(
  ctx: SyncContext,
  team: TeamState,
  payload: ChangeSetPayload,
  signer: RosterEntry,
  deviceId: string,
  seq: number,
): CheckedChange[] {
  if (signer.removedAfter !== undefined && seq > signer.removedAfter)
    throw new ChangeSetRefusal(`was written after ${signer.member}'s device was removed from the team`)
  const out: CheckedChange[] = []
  payload.changes.forEach((change, index) => {
    if (change?.op === 'roster.remove') {
      if (!roleCan(signer.role, 'members.manage'))
        throw new ChangeSetRefusal(`removes a device, which ${signer.member}'s role (${signer.role}) may not do`)
      if (
        typeof change.deviceId !== 'string' ||
        !SYNC_ID_PATTERN.test(change.deviceId) ||
        !Number.isSafeInteger(change.lastSeq) ||
        change.lastSeq < 0
      )
        throw new ChangeSetRefusal('removes a device described wrongly')
      out.push({ remove: change.deviceId, lastSeq: change.lastSeq })
      return
    }
    if (change?.op === 'roster.add') {
      if (!roleCan(signer.role, 'members.manage'))
        throw new ChangeSetRefusal(`adds a device, which ${signer.member}'s role (${signer.role}) may not do`)
      const entry = readRosterEntry(change.entry)
      if (!entry) throw new ChangeSetRefusal('adds a device described wrongly')
      out.push({ roster: entry })
      return
    }
    if (change?.op === 'team.rekey') {
      if (!roleCan(signer.role, 'members.manage'))
        throw new ChangeSetRefusal(`changes the team key, which ${signer.member}'s role (${signer.role}) may not do`)
      const keys: unknown = change.keys
      if (
        typeof change.keyId !== 'string' ||
        !SYNC_ID_PATTERN.test(change.keyId) ||
        !Array.isArray(keys) ||
        keys.some((k: { deviceId?: unknown; sealed?: unknown }) => typeof k?.deviceId !== 'string' || typeof k.sealed !== 'string')
      )
        throw new ChangeSetRefusal('changes the team key in a form this version cannot read')
      out.push({ rekey: change.keyId, keys: change.keys })
      return
    }
    if (change?.op === 'attach' || change?.op === 'detach') {
      const attach = change.op === 'attach' ? readAttachChange(change) : null
      const detach = change.op === 'detach' ? readDetachChange(change) : null
      const checked = attach ?? detach
      if (!checked || !isSyncedKind(checked.kind))
        throw new ChangeSetRefusal(`${change.op === 'attach' ? 'adds' : 'removes'} an attachment described wrongly`)
      if (!roleCan(signer.role, writeCapability(checked.kind)))
        throw new ChangeSetRefusal(
          `changes the files of ${whatKind(checked.kind)}, which ${signer.member}'s role (${signer.role}) may not do`,
        )
      if (detach?.shred && !roleCan(signer.role, 'items.shred'))
        throw new ChangeSetRefusal(`destroys a file for good, which ${signer.member}'s role (${signer.role}) may not do`)
      out.push(attach ? { attach } : { detach: detach! })
      return
    }
    if (change?.op === 'activity') {
      out.push({ activity: readActivityChange(change, signer) })
      return
    }
    if (change?.op === 'delete') {
      if (typeof change.recordId !== 'string' || !SYNC_ID_PATTERN.test(change.recordId) || typeof change.shred !== 'boolean')
        throw new ChangeSetRefusal('deletes something described wrongly')
      if (typeof change.kind !== 'string' || !isSyncedKind(change.kind)) throw new ChangeSetRefusal('deletes something sync does not carry')
      if (change.kind === DOSSIER_SCHEMA_RECORD_KIND)
        throw new ChangeSetRefusal('deletes the dossier fields and lists of choices, which no one may do')
      if (!roleCan(signer.role, writeCapability(change.kind)))
        throw new ChangeSetRefusal(`deletes from ${whatKind(change.kind)}, which ${signer.member}'s role (${signer.role}) may not do`)
      if (change.shred && !roleCan(signer.role, 'items.shred'))
        throw new ChangeSetRefusal(`destroys an item for good, which ${signer.member}'s role (${signer.role}) may not do`)
      out.push({ tombstone: change.recordId, kind: change.kind, shred: change.shred })
      return
    }
    if (change?.op !== 'revise') throw new ChangeSetRefusal('holds a kind of change this version does not know: update Custodia')
    if (typeof change.kind !== 'string' || !isSyncedKind(change.kind))
      throw new ChangeSetRefusal('changes something other than a document, a dossier or an annotation')
    if (!roleCan(signer.role, writeCapability(change.kind)))
      throw new ChangeSetRefusal(`edits ${whatKind(change.kind)}, which ${signer.member}'s role (${signer.role}) may not do`)
    if (typeof change.recordId !== 'string' || !SYNC_ID_PATTERN.test(change.recordId))
      throw new ChangeSetRefusal('names a document wrongly')
    if (change.node !== `${deviceId}-${seq}-${index}`) throw new ChangeSetRefusal('numbers its revisions wrongly')
    if (!Array.isArray(change.parents) || change.parents.some((p) => typeof p !== 'string'))
      throw new ChangeSetRefusal('names its earlier revisions wrongly')
    if (typeof change.savedAt !== 'string' || typeof change.author !== 'string' || change.author.length > 200)
      throw new ChangeSetRefusal('has a revision without its date or author')
    const body = readChangeBody(change.kind, bodyFromChange(ctx.sodium, team, change, change.body))
    if (body === null)
      throw new ChangeSetRefusal(
        `holds ${whatKind(change.kind) === 'the library' ? 'a document' : whatKind(change.kind)} this version cannot read`,
      )
    if (change.kind === DOSSIER_SCHEMA_RECORD_KIND) {
      if (!isTeamSchema(ctx, team, change.recordId)) throw new ChangeSetRefusal('names the dossier fields under another id than the team’s')
      checkSchemaRevision(ctx.vault, change.recordId, body as DossierSchemaConfig)
    }
    out.push({ ...change, parents: [...change.parents], body })
  })
  return out
}

/** The body a node of this record's graph holds here: the local revision that stores it. */
function nodeBody(vault: Vault, doc: DocState, node: string): unknown {
  const rev = Object.keys(doc.revs)
    .filter((r) => doc.revs[r] === node)
    .sort((a, b) => Number(b) - Number(a))[0]
  if (rev === undefined) throw new ChangeSetRefusal('builds on a revision this copy does not hold')
  return bodyOfRecord(vault.getRecord(doc.recordId, Number(rev)))
}

/** What applying needs beyond the change-set: the run's sync folder and its incoming attachments. */
interface ApplyRun {
  readonly folder: string
  readonly incoming: IncomingAttachments
}

/**
 * Links an attachment whose chunks were read and encrypted into this vault (inside the caller's transaction). Nothing
 * when its record was deleted meanwhile or the attachment is already here.
 */
function applyAttach(ctx: SyncContext, team: TeamState, change: AttachChange, device: string, run: ApplyRun): void {
  const { vault } = ctx
  const known = { recordId: change.recordId, device, chunks: [...change.chunks] }
  if (!vault.hasRecord(change.recordId)) {
    team.attachments = { ...team.attachments, [change.attachmentId]: known }
    run.incoming.removeChunks.push(...forgetAttachment(team, run.folder, change.attachmentId))
    return
  }
  if (vault.getRecord(change.recordId).kind !== change.kind)
    throw new ChangeSetRefusal('adds a file to a record of another kind than it names')
  if (vault.findAttachmentRecord(change.attachmentId) === null) {
    const staged = run.incoming.staged.get(change.attachmentId)
    if (!staged) throw new ChangeSetRefusal('adds a file this copy could not read')
    vault.linkStagedAttachment(change.recordId, staged)
  }
  team.attachments = { ...team.attachments, [change.attachmentId]: known }
}

/** Removes (or, shred, leaves for this replica's shred path) an attachment another device removed. */
function applyDetach(ctx: SyncContext, team: TeamState, change: DetachChange, run: ApplyRun): void {
  const { vault } = ctx
  const owner = vault.findAttachmentRecord(change.attachmentId)
  if (owner !== null && owner !== change.recordId) throw new ChangeSetRefusal("removes a file of another record than the file's own")
  if (owner !== null) {
    if (change.shred) team.pendingShreds = [...new Set([...(team.pendingShreds ?? []), change.attachmentId])]
    else vault.deleteAttachment(change.attachmentId)
  }
  run.incoming.removeChunks.push(...forgetAttachment(team, run.folder, change.attachmentId))
}

/** Applies one checked revision to the local vault (inside the caller's transaction). */
function applyRevise(ctx: SyncContext, team: TeamState, change: CheckedRevise): void {
  const { vault, sodium } = ctx
  const found = readDoc(vault, sodium, team, change.recordId)
  const doc: DocState = found.doc ?? { v: 1, recordId: change.recordId, nodes: {}, heads: [], revs: {}, accounted: 0, kind: change.kind }
  // Deleted or destroyed somewhere: no later revision brings it back.
  if (doc.tombstone || doc.nodes[change.node]) return
  // An annotation whose record was deleted goes the same way.
  const anchor = anchorRecordOf(change.kind, change.body)
  const anchorTombstone = anchor === null ? undefined : readDoc(vault, sodium, team, anchor).doc?.tombstone
  if (anchorTombstone) {
    saveTombstone(vault, found.id, change.recordId, change.kind, anchorTombstone, found.doc)
    return
  }
  const exists = vault.hasRecord(change.recordId)
  if (exists && vault.getRecord(change.recordId).kind !== change.kind) throw new ChangeSetRefusal('changes the kind of a document')
  doc.kind = change.kind
  doc.nodes[change.node] = { parents: [...change.parents].sort(), savedAt: change.savedAt, author: change.author }
  doc.heads = [...doc.heads.filter((h) => !change.parents.includes(h)), change.node].sort()
  if (!exists && found.doc === null) {
    vault.createRecord(change.kind, contentOfBody(vault, change.recordId, change.kind, change.body), {
      id: change.recordId,
      author: change.author,
    })
    doc.revs['1'] = change.node
    doc.accounted = 1
    doc.conflicts = []
  } else if (exists) {
    // The incoming revision is kept in the history; then what the heads combine into is shown, the same everywhere.
    let ref = vault.updateRecord(change.recordId, contentOfBody(vault, change.recordId, change.kind, change.body), {
      author: change.author,
    })
    doc.revs[String(ref.revision)] = change.node
    // The common case, a revision on top of the only head, needs no merge (nor a read of what was just written).
    const shown =
      doc.heads.length === 1
        ? { body: change.body, conflicts: [] }
        : mergeHeads(change.kind, doc.nodes, doc.heads, (node) => nodeBody(vault, doc, node))
    if (canonicalJson(shown.body) !== canonicalJson(change.body)) {
      const heads = orderHeads(doc.nodes, doc.heads)
      const winner = heads[heads.length - 1]!
      // A whole-record kind shows one head: that revision holds that node again; a merge is no node of its own.
      const single = heads.length === 1 || canonicalJson(shown.body) === canonicalJson(nodeBody(vault, doc, winner))
      ref = vault.updateRecord(change.recordId, contentOfBody(vault, change.recordId, change.kind, shown.body), {
        author: single ? doc.nodes[winner]!.author : change.author,
      })
      doc.revs[String(ref.revision)] = single ? winner : `merge:${doc.heads.join(',')}`
    }
    doc.conflicts = [...shown.conflicts]
    doc.accounted = ref.revision
  }
  saveDoc(vault, found.id, doc)
}

/**
 * Applies a tombstone (inside the caller's transaction): a deletion deletes the record and its annotations here now; a
 * shred leaves them for this replica's own shred path, run right after the batch commits (`team.pendingShreds`).
 */
function applyTombstone(ctx: SyncContext, team: TeamState, change: CheckedTombstone, run: ApplyRun): void {
  const { vault, sodium } = ctx
  // The record's attachments go with it (its deletion or shred takes them); their chunk files are not needed any more.
  for (const [attachmentId, known] of Object.entries(team.attachments ?? {}))
    if (known.recordId === change.tombstone) run.incoming.removeChunks.push(...forgetAttachment(team, run.folder, attachmentId))
  const found = readDoc(vault, sodium, team, change.tombstone)
  if (vault.hasRecord(change.tombstone) && vault.getRecord(change.tombstone).kind !== change.kind)
    throw new ChangeSetRefusal('deletes a record of another kind than it names')
  const how = change.shred ? 'shredded' : 'deleted'
  const annotations = vault
    .listRecords({ kind: ANNOTATION_RECORD_KIND })
    .filter((row) => row.summary['recordId'] === change.tombstone)
    .map((row) => row.id)
  for (const [recordId, kind] of [[change.tombstone, change.kind], ...annotations.map((id) => [id, ANNOTATION_RECORD_KIND])] as const) {
    const doc = recordId === change.tombstone ? found : readDoc(vault, sodium, team, recordId)
    saveTombstone(vault, doc.id, recordId, kind, how, doc.doc)
    if (!vault.hasRecord(recordId)) continue
    if (change.shred) team.pendingShreds = [...new Set([...(team.pendingShreds ?? []), recordId])]
    else vault.deleteRecord(recordId)
  }
}

interface DeviceFiles {
  deviceId: string
  bySeq: Map<number, string[]>
}

function listIncoming(team: TeamState, folder: string): DeviceFiles[] {
  const devicesDir = path.join(folder, SYNC_ROOT_DIR, team.teamId, 'devices')
  let names: string[]
  try {
    names = fs.readdirSync(devicesDir)
  } catch {
    return []
  }
  const out: DeviceFiles[] = []
  for (const deviceId of names.sort()) {
    if (!SYNC_ID_PATTERN.test(deviceId) || deviceId === team.deviceId) continue
    const bySeq = new Map<number, string[]>()
    let files: string[]
    try {
      files = fs.readdirSync(path.join(devicesDir, deviceId))
    } catch {
      continue
    }
    // Only final names: temp files of our writer and of the sync engine (.syncthing.*.tmp, ~partial) are never read.
    for (const file of files.sort()) {
      const match = CHANGESET_NAME_PATTERN.exec(file)
      if (!match) continue
      const seq = Number(match[1])
      bySeq.set(seq, [...(bySeq.get(seq) ?? []), file])
    }
    out.push({ deviceId, bySeq })
  }
  return out
}

/** How far ahead of this computer's clock another device may be before its clock is called wrong: a day. */
const CLOCK_AHEAD_TOLERANCE_MS = 24 * 60 * 60 * 1000

/**
 * Whole days by which a change-set's creation time is ahead of this computer's clock, or null when it is not (more than
 * a day) ahead. Sync never orders by clocks (the revision graph does), so such a change-set is applied like any other;
 * but where edits cross, the latest-saved version is the one shown first, and a device whose clock runs years ahead
 * would always seem latest — so its people are told to set the date (readSyncStatus, `custodia sync status`).
 */
export function daysAhead(createdAt: string, now = Date.now()): number | null {
  const ahead = Date.parse(createdAt) - now
  return Number.isFinite(ahead) && ahead > CLOCK_AHEAD_TOLERANCE_MS ? Math.floor(ahead / (24 * 60 * 60 * 1000)) : null
}

/** Change-sets applied per vault transaction. */
const APPLY_BATCH = 200

type Outcome = { kind: 'applied' } | { kind: 'wait' } | { kind: 'refused'; reason: string }

/** Tries one change-set file: wait (not yet possible), applied (in one transaction with its marker) or refused. */
function tryApply(
  ctx: SyncContext,
  ref: { id: string; team: TeamState },
  run: ApplyRun,
  deviceId: string,
  seq: number,
  file: string,
): Outcome {
  const folder = run.folder
  const { vault, sodium } = ctx
  const team = ref.team
  const full = path.join(folder, SYNC_ROOT_DIR, team.teamId, 'devices', deviceId, file)
  let bytes: Buffer
  try {
    if (fs.statSync(full).size > MAX_CHANGESET_BYTES) return { kind: 'refused', reason: 'is too large to be a change-set' }
    bytes = fs.readFileSync(full)
  } catch {
    return { kind: 'wait' }
  }
  const hash = hashChangeSet(sodium, bytes)
  // A name whose hash does not match is damaged or still being replaced: never read, looked at again next time.
  if (hash !== CHANGESET_NAME_PATTERN.exec(file)![2]) return { kind: 'wait' }
  try {
    const header = readChangeSetHeader(bytes)
    if (header.team !== team.teamId) throw new ChangeSetRefusal('belongs to another team, not to this one')
    if (header.device !== deviceId) throw new ChangeSetRefusal("was found in another device's folder")
    if (header.seq !== seq) throw new ChangeSetRefusal('carries another number than its name')
    const signer = team.roster.find((entry) => entry.deviceId === deviceId)
    if (!signer) return { kind: 'wait' }
    // Sealed under a newer team key than this device holds: the rotation that carries it may still be on its way.
    const teamKey = teamKeyById(team, header.key)
    if (teamKey === null) return { kind: 'wait' }
    let payload: ChangeSetPayload
    try {
      payload = openChangeSet(sodium, teamKey, Buffer.from(signer.publicKey, 'hex'), header)
    } finally {
      sodium.memzero(teamKey)
    }
    const previous = seq === 1 ? null : readSeen(vault, seenId(sodium, team, 'applied', deviceId, seq - 1))
    if (seq > 1 && !previous) return { kind: 'wait' }
    if (header.prev !== (previous?.hash ?? ''))
      throw new ChangeSetRefusal("does not follow this device's previous change-set (reordered, cut short or forked)")
    const changes = checkChanges(ctx, team, payload, signer, deviceId, seq)
    // Every earlier revision a change builds on must be here first (another device's change-set may still be on its way).
    const known = new Set<string>()
    const knownRecords = new Set<string>()
    let canSeal: boolean | undefined
    const sealable = (): boolean => (canSeal ??= vault.canSealSensitive())
    // An attachment waits for its record, then for every chunk file; one whose chunks are all here is encrypted into
    // the vault between passes of the run (it is async), then linked when this change-set is applied.
    let attachmentsReady = true
    for (const change of changes) {
      if (!('attach' in change)) continue
      const { recordId, attachmentId } = change.attach
      if (!knownOrTombstoned(ctx, team, recordId, changes)) return { kind: 'wait' }
      if (vault.findAttachmentRecord(attachmentId) !== null || readDoc(vault, sodium, team, recordId).doc?.tombstone) continue
      if (run.incoming.check(team, folder, deviceId, change.attach) === 'wait') attachmentsReady = false
    }
    if (!attachmentsReady) return { kind: 'wait' }
    for (const change of changes) {
      if (!('node' in change)) continue
      const doc = readDoc(vault, sodium, team, change.recordId).doc
      if (change.parents.some((p) => !known.has(p) && !doc?.nodes[p])) return { kind: 'wait' }
      known.add(change.node)
      // An annotation travels with its anchor: it waits for the record it is attached to (unless that was deleted).
      const anchor = anchorRecordOf(change.kind, change.body)
      if (anchor !== null && !knownRecords.has(anchor) && !vault.hasRecord(anchor) && !readDoc(vault, sodium, team, anchor).doc)
        return { kind: 'wait' }
      knownRecords.add(change.recordId)
      // A sensitive part is stored sealed under this vault's sensitive key: it waits for a member who holds that key to
      // run sync (stored without it, a later local edit would send the old part back as a change).
      if ((change.body as Partial<SyncedDossier>).sensitive && !sealable()) return { kind: 'wait' }
    }
    const before = JSON.stringify(team)
    const chunksBefore = run.incoming.removeChunks.length
    try {
      vault.transaction(() => {
        for (const change of changes) {
          if ('roster' in change) {
            if (!team.roster.some((e) => e.deviceId === change.roster.deviceId)) team.roster.push(change.roster)
          } else if ('remove' in change) markRemoved(team, change.remove, change.lastSeq)
          else if ('rekey' in change) receiveTeamKey(ctx, team, change.rekey, change.keys)
          else if ('tombstone' in change) applyTombstone(ctx, team, change, run)
          else if ('attach' in change) applyAttach(ctx, team, change.attach, deviceId, run)
          else if ('detach' in change) applyDetach(ctx, team, change.detach, run)
          else if ('activity' in change) appendReceivedActivity(ctx, deviceId, change.activity)
          else applyRevise(ctx, team, change)
        }
        const clockAheadDays = daysAhead(payload.createdAt)
        saveSeen(vault, seenId(sodium, team, 'applied', deviceId, seq), {
          v: 1,
          outcome: 'applied',
          deviceId,
          seq,
          hash,
          at: new Date().toISOString(),
          ...(clockAheadDays !== null ? { clockAheadDays } : {}),
        })
        // A second marker that names the content, so a replay of this number is found without decrypting anything.
        saveSeen(vault, seenId(sodium, team, 'applied-content', deviceId, seq, hash), {
          v: 1,
          outcome: 'applied',
          deviceId,
          seq,
          hash,
          at: new Date().toISOString(),
        })
        vault.audit.append('sync.applied', { deviceId, seq, changes: changes.length })
      })
    } catch (error) {
      // Nothing of it was kept: the team as this replica knows it goes back to what is stored.
      for (const key of Object.keys(team)) delete (team as unknown as Record<string, unknown>)[key]
      Object.assign(team, JSON.parse(before) as TeamState)
      run.incoming.removeChunks.length = chunksBefore
      throw error
    }
    return { kind: 'applied' }
  } catch (error) {
    if (error instanceof ChangeSetRefusal) return { kind: 'refused', reason: error.message }
    throw error
  }
}

function refuse(
  ctx: SyncContext,
  team: TeamState,
  deviceId: string,
  seq: number,
  file: string,
  reason: string,
  refused: SyncRefusal[],
): void {
  const { vault, sodium } = ctx
  const hash = CHANGESET_NAME_PATTERN.exec(file)![2]!
  const id = seenId(sodium, team, 'refused', deviceId, seq, hash)
  if (vault.hasRecord(id)) return
  vault.transaction(() => {
    saveSeen(vault, id, { v: 1, outcome: 'refused', deviceId, seq, hash, at: new Date().toISOString(), reason })
    vault.audit.append('sync.refused', { deviceId, seq })
  })
  refused.push({
    deviceId,
    member: team.roster.find((e) => e.deviceId === deviceId)?.member ?? null,
    seq,
    reason: `Change-set ${seq} ${reason}.`,
  })
}

/** Reads every other device's change-sets and applies what can be applied, in each device's order, until nothing moves. */
export function applyIncoming(
  ctx: SyncContext,
  ref: { id: string; team: TeamState },
  folder: string,
  incoming: IncomingAttachments,
): { applied: number; refused: SyncRefusal[]; waiting: number } {
  const run: ApplyRun = { folder, incoming }
  const { vault, sodium } = ctx
  const team = ref.team
  const refused: SyncRefusal[] = []
  let applied = 0
  // Devices that may change the roster go first, so a removal found in the same run is known before the removed
  // device's later change-sets are looked at.
  const devices = listIncoming(team, folder).sort((x, y) => Number(isManager(team, y.deviceId)) - Number(isManager(team, x.deviceId)))
  const nextSeq = new Map<string, number>()
  const nextOf = (deviceId: string): number => {
    let seq = nextSeq.get(deviceId) ?? 1
    while (vault.hasRecord(seenId(sodium, team, 'applied', deviceId, seq))) seq += 1
    nextSeq.set(deviceId, seq)
    return seq
  }
  // Applied in batches of up to APPLY_BATCH change-sets per vault transaction: one commit (one fsync) per batch, each
  // change-set still all or nothing inside it (a savepoint), and a crash loses at most a batch, applied again next time.
  for (let more = true; more;) {
    more = vault.transaction(() => {
      let inBatch = 0
      let full = false
      for (let progress = true; progress && !full;) {
        progress = false
        for (const device of devices) {
          for (;;) {
            if (inBatch >= APPLY_BATCH) {
              full = true
              break
            }
            const seq = nextOf(device.deviceId)
            const files = device.bySeq.get(seq)
            if (!files) break
            let done = false
            for (const file of files) {
              if (vault.hasRecord(seenId(sodium, team, 'refused', device.deviceId, seq, CHANGESET_NAME_PATTERN.exec(file)![2]!))) continue
              const outcome = tryApply(ctx, ref, run, device.deviceId, seq, file)
              if (outcome.kind === 'applied') {
                applied += 1
                inBatch += 1
                done = true
                break
              }
              if (outcome.kind === 'refused') refuse(ctx, team, device.deviceId, seq, file, outcome.reason, refused)
            }
            if (!done) break
            progress = true
          }
        }
      }
      // The roster as changed by the batch, and the mark that what was applied need not be looked at by the writer
      // again, are saved with the batch.
      if (inBatch > 0) {
        team.exportedChangeSeq = lastChangeSeq(vault, team.exportedChangeSeq)
        saveTeam(vault, ref.id, team)
      }
      return full
    })
  }
  // A second file for a number already applied is a replay or a fork: refused (once), never applied.
  let waiting = 0
  for (const device of devices) {
    const next = nextOf(device.deviceId)
    for (const [seq, files] of device.bySeq) {
      if (seq >= next) {
        waiting += files.filter(
          (f) => !vault.hasRecord(seenId(sodium, team, 'refused', device.deviceId, seq, CHANGESET_NAME_PATTERN.exec(f)![2]!)),
        ).length
        continue
      }
      for (const file of files) {
        if (!vault.hasRecord(seenId(sodium, team, 'applied-content', device.deviceId, seq, CHANGESET_NAME_PATTERN.exec(file)![2]!)))
          refuse(
            ctx,
            team,
            device.deviceId,
            seq,
            file,
            'repeats the number of one already applied with other content (replayed or forked)',
            refused,
          )
      }
    }
  }
  return { applied, refused, waiting }
}

/** True when a record is here, is made earlier in the same change-set, or was deleted (then the file is not linked). */
function knownOrTombstoned(ctx: SyncContext, team: TeamState, recordId: string, changes: readonly CheckedChange[]): boolean {
  return (
    ctx.vault.hasRecord(recordId) ||
    changes.some((c) => 'node' in c && c.recordId === recordId) ||
    readDoc(ctx.vault, ctx.sodium, team, recordId).doc !== null
  )
}

function isManager(team: TeamState, deviceId: string): boolean {
  const entry = team.roster.find((e) => e.deviceId === deviceId)
  return entry !== undefined && roleCan(entry.role, 'members.manage')
}
