// Main process / CLI (Node only): sync between replicas of a team through a shared folder (docs/SYNC.md). The writer
// turns every committed local document revision into a sealed, signed change-set in this device's own folder (via an
// outbox kept in the vault, so a crash loses nothing); the applier reads the other devices' change-sets in order,
// checks each (seal, signature, chain, signer's role), and applies it once, keeping every revision: edits that
// crossed are both kept and marked as a conflict. Everything here is synchronous, so one run is never interleaved
// with another write of this process.
import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { CustodiaError } from '../../../shared/errors'
import { DOCUMENT_KINDS, documentBodySchema, summarizeDocument, type LibraryDocument } from '../../../shared/library/document'
import { roleCan, type Capability, type Role } from '../../../shared/members/roles'
import { encodeRecoveryKey, parseRecoveryKey } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'
import { writeFileAtomicSync, syncDirectorySync } from '../platform/fs/atomicWrite'
import type { Vault } from '../vault/vault'
import {
  CHANGESET_NAME_PATTERN,
  ChangeSetRefusal,
  changeSetFileName,
  createDeviceKey,
  deviceFolder,
  hashChangeSet,
  MAX_CHANGESET_BYTES,
  openChangeSet,
  openInvitation,
  readChangeSetHeader,
  readRosterEntry,
  sealChangeSet,
  sealInvitation,
  SYNC_ID_PATTERN,
  SYNC_ROOT_DIR,
  type ChangeSetPayload,
  type RosterEntry,
  type SyncChange,
} from './syncFormat'
import {
  readDoc,
  readSeen,
  readTeam,
  requireTeam,
  saveDoc,
  saveSeen,
  saveTeam,
  seenId,
  SYNC_OUT_KIND,
  SYNC_TEAM_KIND,
  type DocState,
  type TeamState,
} from './syncState'

export interface SyncContext {
  readonly vault: Vault
  readonly sodium: SodiumBackend
}

/** One change-set this run did not apply, and why (also in the activity log as `sync.refused`). */
export interface SyncRefusal {
  readonly deviceId: string
  readonly member: string | null
  readonly seq: number
  readonly reason: string
}

export interface SyncRunResult {
  /** Change-sets this device wrote out in this run. */
  readonly written: number
  /** Change-sets of other devices applied in this run. */
  readonly applied: number
  readonly refused: readonly SyncRefusal[]
  /** Change-sets found that cannot be applied yet (an earlier one or a device still missing, or still arriving). */
  readonly waiting: number
  /** Documents with edits that crossed, waiting for someone to choose. */
  readonly conflicts: number
}

function isDocumentKind(kind: string): boolean {
  return (DOCUMENT_KINDS as readonly string[]).includes(kind)
}

function requireMemberCan(vault: Vault, capability: Capability, what: string): { name: string; role: Role } {
  const member = vault.member
  if (!member || !roleCan(member.role, capability)) throw new CustodiaError('FORBIDDEN', `Only an admin can ${what}.`)
  return member
}

function teamKeyOf(team: TeamState): Buffer {
  return Buffer.from(team.teamKey, 'hex')
}

function randomId(sodium: SodiumBackend): string {
  return sodium.randomBytes(16).toString('hex')
}

function checkFolder(folder: string): string {
  if (typeof folder !== 'string' || folder.trim() === '')
    throw new CustodiaError('VALIDATION', 'Name the sync folder (the folder your sync engine shares).')
  const resolved = path.resolve(folder)
  let stat: fs.Stats
  try {
    stat = fs.statSync(resolved)
  } catch {
    throw new CustodiaError('NOT_FOUND', 'The sync folder does not exist: create it (or let your sync engine create it) first.')
  }
  if (!stat.isDirectory()) throw new CustodiaError('VALIDATION', 'The sync folder must be a folder, not a file.')
  return resolved
}

/** Creates a team with this vault as its first replica; the working member (an admin) is its first device's member. */
export function initSyncTeam(ctx: SyncContext, folder: string): { teamId: string; deviceId: string } {
  const { vault, sodium } = ctx
  const member = requireMemberCan(vault, 'members.manage', 'set up sync')
  const resolved = checkFolder(folder)
  if (readTeam(vault)) throw new CustodiaError('CONFLICT', 'This vault is already set up for sync.')
  const key = createDeviceKey()
  const team: TeamState = {
    v: 1,
    teamId: randomId(sodium),
    teamKey: sodium.randomBytes(32).toString('hex'),
    deviceId: randomId(sodium),
    deviceSeed: key.seed.toString('hex'),
    folder: resolved,
    nextSeq: 1,
    lastHash: '',
    exportedChangeSeq: 0,
    roster: [],
  }
  team.roster.push({ deviceId: team.deviceId, publicKey: key.publicKey.toString('hex'), member: member.name, role: member.role })
  sodium.memzero(key.seed)
  vault.transaction(() => {
    vault.createRecord(SYNC_TEAM_KIND, { summary: {}, body: team })
    vault.audit.append('sync.team_created', { teamId: team.teamId, deviceId: team.deviceId })
  })
  fs.mkdirSync(deviceFolder(resolved, team.teamId, team.deviceId), { recursive: true })
  return { teamId: team.teamId, deviceId: team.deviceId }
}

/**
 * Appends one change-set to this device's log: sealed, signed, kept in the vault's outbox in the caller's transaction
 * (so it is written out later even if the process dies before the file is), sequence and chain advanced.
 */
function appendChangeSet(ctx: SyncContext, ref: { id: string; team: TeamState }, changes: SyncChange[]): void {
  const { vault, sodium } = ctx
  const team = ref.team
  const header = { team: team.teamId, device: team.deviceId, seq: team.nextSeq, prev: team.lastHash }
  const payload: ChangeSetPayload = { v: 1, createdAt: new Date().toISOString(), changes }
  const seed = Buffer.from(team.deviceSeed, 'hex')
  const teamKey = teamKeyOf(team)
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
function flushOutbox(ctx: SyncContext, team: TeamState, folder: string): number {
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

/** The node ids of documents' revisions made here since the last run, as change-sets in the outbox. */
function recordLocalChanges(ctx: SyncContext, ref: { id: string; team: TeamState }): number {
  const { vault, sodium } = ctx
  const team = ref.team
  // Only what changed since the last run is looked at (the team record's own saves do not count, or every run would
  // find one); sync's own records among them are recognised by their kind and skipped.
  const changed = vault.listChangedSince(team.exportedChangeSeq).filter((c) => c.id !== ref.id)
  if (changed.length === 0) return 0
  return vault.transaction(() => {
    const changes: SyncChange[] = []
    const seq = team.nextSeq
    for (const { id, deleted } of changed) {
      if (deleted || !vault.hasRecord(id)) continue
      const current = vault.getRecord(id)
      if (!isDocumentKind(current.kind)) continue
      const found = readDoc(vault, sodium, team, id)
      const doc: DocState = found.doc ?? { v: 1, recordId: id, nodes: {}, heads: [], revs: {}, accounted: 0 }
      if (doc.accounted >= current.revision) continue
      for (let rev = doc.accounted + 1; rev <= current.revision; rev++) {
        const record = vault.getRecord<LibraryDocument>(id, rev)
        const node = `${team.deviceId}-${seq}-${changes.length}`
        changes.push({
          op: 'revise',
          recordId: id,
          kind: current.kind,
          node,
          parents: [...doc.heads].sort(),
          savedAt: record.savedAt,
          author: record.author,
          body: record.body,
        })
        doc.nodes[node] = { parents: [...doc.heads].sort(), savedAt: record.savedAt, author: record.author }
        doc.heads = [node]
        doc.revs[String(rev)] = node
      }
      doc.accounted = current.revision
      saveDoc(vault, found.id, doc)
    }
    if (changes.length > 0) appendChangeSet(ctx, ref, changes)
    team.exportedChangeSeq = lastChangeSeq(vault, team.exportedChangeSeq)
    saveTeam(vault, ref.id, team)
    return changes.length > 0 ? 1 : 0
  })
}

/** The head whose content a replica shows: the latest save, ties broken by node id (the same choice everywhere). */
function pickWinner(doc: DocState): string {
  return [...doc.heads].sort((a, b) => {
    const sa = doc.nodes[a]!.savedAt
    const sb = doc.nodes[b]!.savedAt
    return sa === sb ? (a < b ? -1 : 1) : sa < sb ? -1 : 1
  })[doc.heads.length - 1]!
}

function contentOf(doc: LibraryDocument): { summary: Record<string, unknown>; body: LibraryDocument } {
  return { summary: { ...summarizeDocument(doc) }, body: doc }
}

interface CheckedRevise {
  recordId: string
  kind: string
  node: string
  parents: string[]
  savedAt: string
  author: string
  body: LibraryDocument
}

type CheckedChange = CheckedRevise | { roster: RosterEntry } | { remove: string; lastSeq: number }

/** Marks a device removed in the roster: the lowest cut-off wins, so the order removals arrive in does not matter. */
function markRemoved(team: TeamState, deviceId: string, lastSeq: number): void {
  team.roster = team.roster.map((entry) =>
    entry.deviceId !== deviceId ? entry : { ...entry, removedAfter: Math.min(lastSeq, entry.removedAfter ?? lastSeq) },
  )
}

/** Checks a change-set's changes against the signer's role and the formats; throws ChangeSetRefusal on the first problem. */
function checkChanges(payload: ChangeSetPayload, signer: RosterEntry, deviceId: string, seq: number): CheckedChange[] {
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
    if (change?.op !== 'revise') throw new ChangeSetRefusal('holds a kind of change this version does not know: update Custodia')
    if (!roleCan(signer.role, 'library.write'))
      throw new ChangeSetRefusal(`edits the library, which ${signer.member}'s role (${signer.role}) may not do`)
    if (typeof change.recordId !== 'string' || !SYNC_ID_PATTERN.test(change.recordId))
      throw new ChangeSetRefusal('names a document wrongly')
    if (!isDocumentKind(change.kind)) throw new ChangeSetRefusal('changes something other than a library document')
    if (change.node !== `${deviceId}-${seq}-${index}`) throw new ChangeSetRefusal('numbers its revisions wrongly')
    if (!Array.isArray(change.parents) || change.parents.some((p) => typeof p !== 'string'))
      throw new ChangeSetRefusal('names its earlier revisions wrongly')
    if (typeof change.savedAt !== 'string' || typeof change.author !== 'string' || change.author.length > 200)
      throw new ChangeSetRefusal('has a revision without its date or author')
    const parsed = documentBodySchema.safeParse(change.body)
    if (!parsed.success || parsed.data.kind !== change.kind) throw new ChangeSetRefusal('holds a document this version cannot read')
    out.push({ ...change, parents: [...change.parents], body: parsed.data })
  })
  return out
}

/** Applies one checked revision to the local vault (inside the caller's transaction). */
function applyRevise(ctx: SyncContext, team: TeamState, change: CheckedRevise): void {
  const { vault, sodium } = ctx
  const found = readDoc(vault, sodium, team, change.recordId)
  const doc: DocState = found.doc ?? { v: 1, recordId: change.recordId, nodes: {}, heads: [], revs: {}, accounted: 0 }
  if (doc.nodes[change.node]) return
  const exists = vault.hasRecord(change.recordId)
  if (exists && vault.getRecord(change.recordId).kind !== change.kind) throw new ChangeSetRefusal('changes the kind of a document')
  doc.nodes[change.node] = { parents: [...change.parents].sort(), savedAt: change.savedAt, author: change.author }
  doc.heads = [...doc.heads.filter((h) => !change.parents.includes(h)), change.node].sort()
  const winner = pickWinner(doc)
  if (!exists && found.doc === null) {
    vault.createRecord(change.kind, contentOf(change.body), { id: change.recordId, author: change.author })
    doc.revs['1'] = change.node
    doc.accounted = 1
  } else if (exists) {
    let ref = vault.updateRecord(change.recordId, contentOf(change.body), { author: change.author })
    doc.revs[String(ref.revision)] = change.node
    if (winner !== change.node) {
      // The incoming revision is kept in the history; the one every replica shows stays current.
      const shownRev = Number(
        Object.keys(doc.revs)
          .filter((rev) => doc.revs[rev] === winner)
          .sort((a, b) => Number(b) - Number(a))[0],
      )
      const shown = vault.getRecord<LibraryDocument>(change.recordId, shownRev)
      ref = vault.updateRecord(change.recordId, contentOf(shown.body), { author: shown.author })
      doc.revs[String(ref.revision)] = winner
    }
    doc.accounted = ref.revision
  }
  saveDoc(vault, found.id, doc)
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

/** Change-sets applied per vault transaction. */
const APPLY_BATCH = 200

type Outcome = { kind: 'applied' } | { kind: 'wait' } | { kind: 'refused'; reason: string }

/** Tries one change-set file: wait (not yet possible), applied (in one transaction with its marker) or refused. */
function tryApply(
  ctx: SyncContext,
  ref: { id: string; team: TeamState },
  folder: string,
  deviceId: string,
  seq: number,
  file: string,
): Outcome {
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
    const teamKey = teamKeyOf(team)
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
    const changes = checkChanges(payload, signer, deviceId, seq)
    // Every earlier revision a change builds on must be here first (another device's change-set may still be on its way).
    const known = new Set<string>()
    for (const change of changes) {
      if (!('node' in change)) continue
      const doc = readDoc(vault, sodium, team, change.recordId).doc
      if (change.parents.some((p) => !known.has(p) && !doc?.nodes[p])) return { kind: 'wait' }
      known.add(change.node)
    }
    const before = JSON.stringify(team)
    try {
      vault.transaction(() => {
        for (const change of changes) {
          if ('roster' in change) {
            if (!team.roster.some((e) => e.deviceId === change.roster.deviceId)) team.roster.push(change.roster)
          } else if ('remove' in change) markRemoved(team, change.remove, change.lastSeq)
          else applyRevise(ctx, team, change)
        }
        saveSeen(vault, seenId(sodium, team, 'applied', deviceId, seq), {
          v: 1,
          outcome: 'applied',
          deviceId,
          seq,
          hash,
          at: new Date().toISOString(),
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
      Object.assign(team, JSON.parse(before) as TeamState)
      throw error
    }
    return { kind: 'applied' }
  } catch (error) {
    if (error instanceof ChangeSetRefusal) return { kind: 'refused', reason: error.message }
    throw error
  }
}

/** The newest vault change number after `since` (or `since`). */
function lastChangeSeq(vault: Vault, since: number): number {
  const changes = vault.listChangedSince(since)
  return changes.length === 0 ? since : changes[changes.length - 1]!.changeSeq
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
function applyIncoming(
  ctx: SyncContext,
  ref: { id: string; team: TeamState },
  folder: string,
): { applied: number; refused: SyncRefusal[]; waiting: number } {
  const { vault, sodium } = ctx
  const team = ref.team
  const refused: SyncRefusal[] = []
  let applied = 0
  // Devices that may change the roster go first, so a removal found in the same run is known before the removed
  // device's later change-sets are looked at.
  const incoming = listIncoming(team, folder).sort((x, y) => Number(isManager(team, y.deviceId)) - Number(isManager(team, x.deviceId)))
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
        for (const device of incoming) {
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
              const outcome = tryApply(ctx, ref, folder, device.deviceId, seq, file)
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
  for (const device of incoming) {
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

function isManager(team: TeamState, deviceId: string): boolean {
  const entry = team.roster.find((e) => e.deviceId === deviceId)
  return entry !== undefined && roleCan(entry.role, 'members.manage')
}

function countConflicts(ctx: SyncContext, team: TeamState): string[] {
  const ids: string[] = []
  for (const row of ctx.vault.listRecords({ kind: 'sync-doc' })) {
    if (typeof row.summary['heads'] === 'number' && row.summary['heads'] > 1) ids.push(ctx.vault.getRecord<DocState>(row.id).body.recordId)
  }
  void team
  return ids.sort()
}

/**
 * One sync run: local revisions into the outbox, the outbox into this device's folder, then every other device's
 * change-sets applied. Refusals are in the result and the activity log; they never stop the rest.
 */
export function runSync(ctx: SyncContext, opts: { folder?: string } = {}): SyncRunResult {
  const ref = requireTeam(ctx.vault)
  // A folder given for this run (the sync folder moved, or a copy on a USB stick) is used without being stored.
  const folder = checkFolder(opts.folder ?? ref.team.folder)
  recordLocalChanges(ctx, ref)
  const written = flushOutbox(ctx, ref.team, folder)
  const incoming = applyIncoming(ctx, ref, folder)
  return {
    written,
    applied: incoming.applied,
    refused: incoming.refused,
    waiting: incoming.waiting,
    conflicts: countConflicts(ctx, ref.team).length,
  }
}

/**
 * Makes an invitation for a new replica (admins only): a device key of its own, added to the roster by a change-set
 * this device signs, and the team key — sealed under a one-time code (32 random bytes shown as 14 groups of 4).
 * Returns the file bytes and the code; the code is shown once and never stored.
 */
export function createSyncInvitation(
  ctx: SyncContext,
  input: { member: string; role: Role },
): { file: Buffer; code: string; deviceId: string } {
  const { vault, sodium } = ctx
  requireMemberCan(vault, 'members.manage', 'invite a new copy of the vault')
  const ref = requireTeam(vault)
  const memberName = typeof input.member === 'string' ? input.member.trim() : ''
  if (memberName === '' || memberName.length > 200)
    throw new CustodiaError('VALIDATION', 'Give the name of the person who will use the new copy (1 to 200 characters).')
  const key = createDeviceKey()
  const entry: RosterEntry = { deviceId: randomId(sodium), publicKey: key.publicKey.toString('hex'), member: memberName, role: input.role }
  if (!readRosterEntry(entry))
    throw new CustodiaError('VALIDATION', 'The role must be admin, secretariat, legal-adviser, archivist or viewer.')
  const code = sodium.randomBytes(32)
  try {
    vault.transaction(() => {
      ref.team.roster.push(entry)
      appendChangeSet(ctx, ref, [{ op: 'roster.add', entry }])
      saveTeam(vault, ref.id, ref.team)
      vault.audit.append('sync.device_invited', { deviceId: entry.deviceId })
    })
    const file = sealInvitation(sodium, code, {
      v: 1,
      teamId: ref.team.teamId,
      teamKey: ref.team.teamKey,
      deviceId: entry.deviceId,
      deviceSeed: key.seed.toString('hex'),
      member: memberName,
      role: input.role,
      roster: ref.team.roster,
    })
    flushOutbox(ctx, ref.team, ref.team.folder)
    return { file, code: encodeRecoveryKey(code), deviceId: entry.deviceId }
  } finally {
    sodium.memzero(key.seed)
    sodium.memzero(code)
  }
}

/**
 * Removes the devices of a member from the team (admins only): their change-sets written after the last one this
 * replica applied are refused by every replica once the removal reaches it. NOT_FOUND when the member has no device;
 * this device cannot remove itself (FORBIDDEN). The removed device still holds the team key: it can read what the team
 * writes until a new team is made (docs/SYNC.md).
 */
export function removeSyncMember(ctx: SyncContext, memberName: string): { removed: string[] } {
  const { vault, sodium } = ctx
  requireMemberCan(vault, 'members.manage', 'remove a copy of the vault from the team')
  const ref = requireTeam(vault)
  const key = memberName.trim().toLowerCase()
  const targets = ref.team.roster.filter((e) => e.member.trim().toLowerCase() === key && e.removedAfter === undefined)
  if (targets.some((e) => e.deviceId === ref.team.deviceId))
    throw new CustodiaError('FORBIDDEN', 'This copy cannot remove itself from the team.')
  if (targets.length === 0)
    throw new CustodiaError('NOT_FOUND', `No copy used by “${memberName}” is in the team: \`custodia sync status\` lists them.`)
  vault.transaction(() => {
    const changes: SyncChange[] = targets.map((e) => {
      let lastSeq = 0
      while (vault.hasRecord(seenId(sodium, ref.team, 'applied', e.deviceId, lastSeq + 1))) lastSeq += 1
      markRemoved(ref.team, e.deviceId, lastSeq)
      return { op: 'roster.remove', deviceId: e.deviceId, lastSeq }
    })
    appendChangeSet(ctx, ref, changes)
    saveTeam(vault, ref.id, ref.team)
    for (const e of targets) vault.audit.append('sync.device_removed', { deviceId: e.deviceId })
  })
  flushOutbox(ctx, ref.team, ref.team.folder)
  return { removed: targets.map((e) => e.deviceId) }
}

/** Joins a team with an invitation file and its code: this (new) vault becomes a replica of the team. */
export function joinSyncTeam(
  ctx: SyncContext,
  invitationFile: Uint8Array,
  codeText: string,
  folder: string,
): { teamId: string; deviceId: string } {
  const { vault, sodium } = ctx
  const resolved = checkFolder(folder)
  if (readTeam(vault)) throw new CustodiaError('CONFLICT', 'This vault is already set up for sync.')
  let code: Buffer
  try {
    code = parseRecoveryKey(codeText)
  } catch (error) {
    throw new CustodiaError('VALIDATION', (error as Error).message.replace('recovery key', 'invitation code'))
  }
  const invitation = (() => {
    try {
      return openInvitation(sodium, code, invitationFile)
    } finally {
      sodium.memzero(code)
    }
  })()
  const team: TeamState = {
    v: 1,
    teamId: invitation.teamId,
    teamKey: invitation.teamKey,
    deviceId: invitation.deviceId,
    deviceSeed: invitation.deviceSeed,
    folder: resolved,
    nextSeq: 1,
    lastHash: '',
    exportedChangeSeq: 0,
    roster: [...invitation.roster],
  }
  vault.transaction(() => {
    vault.createRecord(SYNC_TEAM_KIND, { summary: {}, body: team })
    vault.audit.append('sync.team_joined', { teamId: team.teamId, deviceId: team.deviceId })
  })
  fs.mkdirSync(deviceFolder(resolved, team.teamId, team.deviceId), { recursive: true })
  return { teamId: team.teamId, deviceId: team.deviceId }
}

export interface SyncStatus {
  readonly teamId: string
  readonly deviceId: string
  readonly folder: string
  readonly peers: readonly {
    deviceId: string
    member: string
    role: Role
    lastSeq: number
    lastAppliedAt: string | null
    removed: boolean
  }[]
  /** Record ids of documents whose edits crossed. */
  readonly conflicts: readonly string[]
  readonly refused: readonly SyncRefusal[]
}

/** What `custodia sync status` shows: the team, each other device and its last change-set applied here, conflicts, refusals. */
export function readSyncStatus(ctx: SyncContext): SyncStatus {
  const { vault, sodium } = ctx
  const { team } = requireTeam(vault)
  const peers = team.roster
    .filter((e) => e.deviceId !== team.deviceId)
    .map((e) => {
      let seq = 0
      while (vault.hasRecord(seenId(sodium, team, 'applied', e.deviceId, seq + 1))) seq += 1
      const last = seq === 0 ? null : readSeen(vault, seenId(sodium, team, 'applied', e.deviceId, seq))
      return {
        deviceId: e.deviceId,
        member: e.member,
        role: e.role,
        lastSeq: seq,
        lastAppliedAt: last?.at ?? null,
        removed: e.removedAfter !== undefined,
      }
    })
  const refused: SyncRefusal[] = []
  for (const row of vault.listRecords({ kind: 'sync-seen' })) {
    if (row.summary['outcome'] !== 'refused') continue
    const m = vault.getRecord<{ deviceId: string; seq: number; reason?: string }>(row.id).body
    refused.push({
      deviceId: m.deviceId,
      member: team.roster.find((e) => e.deviceId === m.deviceId)?.member ?? null,
      seq: m.seq,
      reason: `Change-set ${m.seq} ${m.reason ?? ''}.`,
    })
  }
  return { teamId: team.teamId, deviceId: team.deviceId, folder: team.folder, peers, conflicts: countConflicts(ctx, team), refused }
}

/**
 * A digest of what sync agreed on: every synced document's revision graph, its heads and the content shown, plus the
 * roster. Replicas that applied the same change-sets, in any order, have the same digest.
 */
export function computeSyncDigest(ctx: SyncContext): string {
  const { vault } = ctx
  const { team } = requireTeam(vault)
  const hash = createHash('sha256')
  const roster = [...team.roster].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1))
  hash.update(JSON.stringify(roster))
  const docs = vault
    .listRecords({ kind: 'sync-doc' })
    .map((row) => vault.getRecord<DocState>(row.id).body)
    .sort((a, b) => (a.recordId < b.recordId ? -1 : 1))
  for (const doc of docs) {
    const nodes = Object.keys(doc.nodes)
      .sort()
      .map((id) => [id, [...doc.nodes[id]!.parents].sort()])
    const shown = vault.hasRecord(doc.recordId) ? vault.getRecord(doc.recordId).body : null
    hash.update(JSON.stringify([doc.recordId, nodes, [...doc.heads].sort(), shown]))
  }
  return hash.digest('hex')
}
