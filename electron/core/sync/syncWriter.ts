// Main process / CLI (Node only): sync's writer — every committed local document revision not yet shared becomes a
// node of its document's graph and part of a sealed, signed change-set kept in the vault's outbox in the same
// transaction; the outbox is then written to this device's folder (temp name, fsync, rename). docs/SYNC.md.
import fs from 'node:fs'
import path from 'node:path'
import { syncDirectorySync, writeFileAtomicSync } from '../platform/fs/atomicWrite'
import {
  CHANGESET_NAME_PATTERN,
  changeSetFileName,
  deviceFolder,
  sealChangeSet,
  type ChangeSetPayload,
  type SyncChange,
} from './syncFormat'
import { bodyOfRecord, bodyToChange, travels } from './syncKinds'
import { collectActivity } from './syncActivity'
import { detachRemovedAttachments, removeChunkFiles, type PreparedAttachment } from './syncAttachments'
import {
  lastChangeSeq,
  readDoc,
  saveDoc,
  saveTeam,
  saveTombstone,
  SYNC_OUT_KIND,
  sealingKeyOf,
  type DocState,
  type SyncContext,
  type TeamState,
} from './syncState'

/** Activity entries looked at, none travelling, after which the writer's mark is saved on its own. */
const ACTIVITY_MARK_SAVE_EVERY = 500

/**
 * Appends one change-set to this device's log: sealed, signed, kept in the vault's outbox in the caller's transaction
 * (so it is written out later even if the process dies before the file is), sequence and chain advanced.
 */
export function appendChangeSet(ctx: SyncContext, ref: { id: string; team: TeamState }, changes: SyncChange[]): void {
  const { vault, sodium } = ctx
  const team = ref.team
  const { id: key, key: teamKey } = sealingKeyOf(team)
  const header = { team: team.teamId, device: team.deviceId, seq: team.nextSeq, prev: team.lastHash, ...(key === undefined ? {} : { key }) }
  const payload: ChangeSetPayload = { v: 1, createdAt: new Date().toISOString(), changes }
  const seed = Buffer.from(team.deviceSeed, 'hex')
  let sealed: { bytes: Buffer; hash: string }
  try {
    sealed = sealChangeSet(sodium, teamKey, seed, header, payload)
  } finally {
    sodium.memzero(seed)
    sodium.memzero(teamKey)
  }
  const name = changeSetFileName(header.seq, sealed.hash)
  vault.createRecord(SYNC_OUT_KIND, {
    summary: { seq: header.seq, file: name },
    body: { v: 1, file: name, bytes: sealed.bytes.toString('base64') },
  })
  team.nextSeq += 1
  team.lastHash = sealed.hash
}

/** Writes every outbox change-set whose file is missing from this device's folder (temp name, fsync, rename). */
export function flushOutbox(ctx: SyncContext, team: TeamState, folder: string): number {
  const dir = deviceFolder(folder, team.teamId, team.deviceId)
  fs.mkdirSync(dir, { recursive: true })
  const present = new Set(fs.readdirSync(dir))
  // The newest change-set is there under its own name and every earlier number has a file: nothing to look up in the
  // outbox (the common case). Otherwise every outbox entry is checked by its exact name.
  const seqs = new Set(
    [...present]
      .map((name) => CHANGESET_NAME_PATTERN.exec(name)?.[1])
      .filter((seq) => seq !== undefined)
      .map(Number),
  )
  let complete = team.nextSeq === 1 || present.has(changeSetFileName(team.nextSeq - 1, team.lastHash))
  for (let seq = 1; seq < team.nextSeq && complete; seq++) complete = seqs.has(seq)
  if (complete) return 0
  let written = 0
  for (const row of ctx.vault.listRecords({ kind: SYNC_OUT_KIND })) {
    const file = row.summary['file']
    if (typeof file !== 'string' || present.has(file)) continue
    const body = ctx.vault.getRecord<{ file: string; bytes: string }>(row.id).body
    writeFileAtomicSync(path.join(dir, file), Buffer.from(body.bytes, 'base64'), { exclusive: true })
    written += 1
  }
  if (written > 0) syncDirectorySync(dir)
  return written
}

/**
 * Every synced record's revisions made here since the last run (as nodes of its graph), every deletion (as a
 * tombstone), the attachments sealed for this run (`prepared`, after the revisions, so their records exist first) and
 * the attachments removed here (as `detach`), as one change-set in the outbox. `folder`: the run's sync folder (the
 * removed attachments' chunk files are deleted there once the change-set is committed).
 */
export function recordLocalChanges(
  ctx: SyncContext,
  ref: { id: string; team: TeamState },
  opts: { prepared?: readonly PreparedAttachment[]; folder?: string } = {},
): number {
  const { vault, sodium } = ctx
  const team = ref.team
  const prepared = opts.prepared ?? []
  // Only what changed since the last run is looked at (the team record's own saves do not count, or every run would
  // find one); sync's own records among them are recognised by their kind and skipped. Attachments change no record:
  // they are compared with what the team record remembers (one query of ids).
  const changed = vault.listChangedSince(team.exportedChangeSeq).filter((c) => c.id !== ref.id)
  const newActivity = team.activitySentSeq === undefined || vault.audit.lastSeq() > team.activitySentSeq
  if (changed.length === 0 && prepared.length === 0 && Object.keys(team.attachments ?? {}).length === 0 && !newActivity) return 0
  let removeChunks: string[] = []
  const written = vault.transaction(() => {
    const changes: SyncChange[] = []
    const seq = team.nextSeq
    let shredded: Set<string> | null = null
    for (const { id, deleted } of changed) {
      if (deleted || !vault.hasRecord(id)) {
        // A synced record deleted here travels as a tombstone; whether it was destroyed for good is in the activity
        // log (read once, and only when something was deleted).
        const found = readDoc(vault, sodium, team, id)
        if (!found.doc || found.doc.tombstone || vault.hasRecord(id)) continue
        shredded ??= new Set(
          vault.audit
            .list()
            .filter((e) => e.type === 'record.shredded')
            .map((e) => String(e.details['recordId'])),
        )
        const shred = shredded.has(id)
        const kind = found.doc.kind ?? 'note'
        changes.push({ op: 'delete', recordId: id, kind, shred })
        saveTombstone(vault, found.id, id, kind, shred ? 'shredded' : 'deleted', found.doc)
        continue
      }
      const current = vault.getRecord(id)
      if (!travels(vault, current)) continue
      const found = readDoc(vault, sodium, team, id)
      const doc: DocState = found.doc ?? { v: 1, recordId: id, nodes: {}, heads: [], revs: {}, accounted: 0, kind: current.kind }
      if (doc.tombstone || doc.accounted >= current.revision) continue
      for (let rev = doc.accounted + 1; rev <= current.revision; rev++) {
        const record = vault.getRecord(id, rev)
        const node = `${team.deviceId}-${seq}-${changes.length}`
        changes.push({
          op: 'revise',
          recordId: id,
          kind: current.kind,
          node,
          parents: [...doc.heads].sort(),
          savedAt: record.savedAt,
          author: record.author,
          body: bodyToChange(sodium, team, { kind: current.kind, recordId: id, node }, bodyOfRecord(record)),
        })
        doc.nodes[node] = { parents: [...doc.heads].sort(), savedAt: record.savedAt, author: record.author }
        doc.heads = [node]
        doc.revs[String(rev)] = node
      }
      // A local edit names every head as its parent: it resolves whatever was in conflict.
      doc.conflicts = []
      doc.accounted = current.revision
      saveDoc(vault, found.id, doc)
    }
    for (const { change, known } of prepared) {
      changes.push(change)
      team.attachments = { ...team.attachments, [change.attachmentId]: known }
    }
    const removed = detachRemovedAttachments(ctx, team, opts.folder ?? team.folder)
    changes.push(...removed.changes)
    removeChunks = removed.removeChunks
    // Last, so the records its entries are about are already in the graph (or tombstoned) here and first on the others.
    const activity = collectActivity(ctx, team)
    if (activity.change) changes.push(activity.change)
    // Entries looked at that do not travel (this run's own bookkeeping, what applying others' work wrote) move the mark
    // without a save of their own until there are many: saving the team record writes an entry too. (Unsaved, the
    // mark is saved with the next batch applied in this run, or looked at again next run.)
    const markToSave = team.activitySentSeq === undefined || activity.sentSeq - team.activitySentSeq >= ACTIVITY_MARK_SAVE_EVERY
    team.activitySentSeq = activity.sentSeq
    if (changes.length === 0 && changed.length === 0 && removeChunks.length === 0 && !markToSave) return 0
    if (changes.length > 0) appendChangeSet(ctx, ref, changes)
    team.exportedChangeSeq = lastChangeSeq(vault, team.exportedChangeSeq)
    saveTeam(vault, ref.id, team)
    return changes.length > 0 ? 1 : 0
  })
  removeChunkFiles(removeChunks)
  return written
}
