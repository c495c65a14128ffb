// Main process / CLI (Node only): sync between replicas of a team through a shared folder (docs/SYNC.md) — what the
// app and the CLI call: set a team up, invite, join, remove a member's copy, run a sync (syncWriter.ts, then
// syncApplier.ts), and read the status and the digest replicas compare. Everything here is synchronous, so one run
// is never interleaved with another write of this process.
import fs from 'node:fs'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { DOSSIER_SCHEMA_RECORD_KIND } from '../../../shared/dossiers/dossierSchema'
import { CustodiaError } from '../../../shared/errors'
import { sentence } from '../../../shared/i18n/sentence'
import { roleCan, type Capability, type Role } from '../../../shared/members/roles'
import { encodeRecoveryKey, parseRecoveryKey } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { Vault } from '../vault/vault'
import {
  createDeviceKey,
  deviceBoxKeys,
  deviceFolder,
  openInvitation,
  readRosterEntry,
  sealInvitation,
  type RosterEntry,
  type SyncChange,
} from './syncFormat'
import {
  currentSensitiveKeyOf,
  readSeen,
  readTeam,
  requireTeam,
  saveTeam,
  seenId,
  SYNC_TEAM_KIND,
  type DocState,
  type SyncContext,
  type TeamState,
} from './syncState'
import { appendChangeSet, flushOutbox, recordLocalChanges } from './syncWriter'
import { applyIncoming, markRemoved, type SyncRefusal } from './syncApplier'
import { IncomingAttachments, removeChunkFiles, sealNewAttachments, type PreparedAttachment } from './syncAttachments'
import { adoptTeamSchemaId } from './syncSchema'

export type { SyncContext } from './syncState'
export type { SyncRefusal } from './syncApplier'

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
  /** Attachment files (chunks) not here yet: the change-sets that add those attachments wait for them. */
  readonly waitingForFiles: number
}

function requireMemberCan(vault: Vault, capability: Capability, what: string): { name: string; role: Role } {
  const member = vault.member
  if (!member || !roleCan(member.role, capability)) throw new CustodiaError('FORBIDDEN', `Only an admin can ${what}.`)
  return member
}

function randomId(sodium: SodiumBackend): string {
  return sodium.randomBytes(16).toString('hex')
}

/** The sync folder, resolved: NOT_FOUND when it does not exist, VALIDATION when it is a file (in words for the user). */
export function checkFolder(folder: string): string {
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
    sensitiveKey: sodium.randomBytes(32).toString('hex'),
    deviceId: randomId(sodium),
    deviceSeed: key.seed.toString('hex'),
    folder: resolved,
    nextSeq: 1,
    lastHash: '',
    exportedChangeSeq: 0,
    activitySentSeq: vault.audit.lastSeq(),
    roster: [],
  }
  team.roster.push({
    deviceId: team.deviceId,
    publicKey: key.publicKey.toString('hex'),
    member: member.name,
    role: member.role,
    boxKey: boxPublicKey(sodium, key.seed),
  })
  sodium.memzero(key.seed)
  vault.transaction(() => {
    vault.createRecord(SYNC_TEAM_KIND, { summary: {}, body: team })
    vault.audit.append('sync.team_created', { teamId: team.teamId, deviceId: team.deviceId })
  })
  fs.mkdirSync(deviceFolder(resolved, team.teamId, team.deviceId), { recursive: true })
  return { teamId: team.teamId, deviceId: team.deviceId }
}

function countConflicts(ctx: SyncContext, team: TeamState): string[] {
  const ids: string[] = []
  for (const row of ctx.vault.listRecords({ kind: 'sync-doc' })) {
    // Graphs saved before field merge have no `conflict` in their summary: several heads were a conflict then.
    const conflict = row.summary['conflict'] ?? (typeof row.summary['heads'] === 'number' && row.summary['heads'] > 1)
    if (conflict === true) ids.push(ctx.vault.getRecord<DocState>(row.id).body.recordId)
  }
  void team
  return ids.sort()
}

/**
 * One sync run: local revisions into the outbox, the outbox into this device's folder, then every other device's
 * change-sets applied. Refusals are in the result and the activity log; they never stop the rest.
 */
export function runSync(ctx: SyncContext, opts: { folder?: string } = {}): SyncRunResult {
  // The shreds' last step (clearing the write-ahead log) is not waited for here: runSyncAndShred waits for it; when it
  // cannot run now the log is cleared at the vault's next checkpoint. Attachments need the async run: here new ones
  // are not sent yet and incoming ones wait.
  const incoming = new IncomingAttachments()
  const result = runSyncSteps(ctx, opts, (tail) => void tail.catch(() => undefined), [], incoming)
  incoming.discardUnlinked(ctx.vault)
  return result
}

/**
 * The whole sync run, what the CLI and the app call: runSync with attachments — new local ones sealed into chunk files
 * first, incoming ones whose chunks are all here encrypted into the vault between passes — then waits until the
 * records and files other devices destroyed for good are shredded here to the end (blobs overwritten, write-ahead log
 * cleared).
 */
export async function runSyncAndShred(ctx: SyncContext, opts: { folder?: string } = {}): Promise<SyncRunResult> {
  const ref = requireTeam(ctx.vault)
  const prepared = await withFolderErrorsAsync(() => sealNewAttachments(ctx, ref.team, checkFolder(opts.folder ?? ref.team.folder)))
  const tails: Promise<unknown>[] = []
  const onShred = (shredding: Promise<unknown>): void => void tails.push(shredding)
  const incoming = new IncomingAttachments()
  try {
    let result = runSyncSteps(ctx, opts, onShred, prepared, incoming)
    // Each pass may apply change-sets that let later ones name new attachments: until no attachment is staged.
    while ((await incoming.stageReady(ctx, requireTeam(ctx.vault).team, checkFolder(opts.folder ?? ref.team.folder))) > 0) {
      const next = runSyncSteps(ctx, opts, onShred, [], incoming)
      result = {
        written: result.written + next.written,
        applied: result.applied + next.applied,
        refused: [...result.refused, ...next.refused],
        waiting: next.waiting,
        conflicts: next.conflicts,
        waitingForFiles: next.waitingForFiles,
      }
    }
    // A run that staged attachments whose change-sets were then refused (a bad chunk) looks once more to record it.
    if (incoming.refusals.size > 0) {
      const last = runSyncSteps(ctx, opts, onShred, [], incoming)
      result = { ...result, refused: [...result.refused, ...last.refused], waiting: last.waiting, waitingForFiles: last.waitingForFiles }
    }
    await Promise.all(tails)
    return result
  } finally {
    incoming.discardUnlinked(ctx.vault)
  }
}

/**
 * Destroys the records tombstones asked this replica to shred, through the vault's own shred path. Its transaction
 * (item keys and every revision gone, `record.shredded` logged) commits before vault.shred first waits, so the records
 * are gone when this returns; the promise is the rest (blobs, write-ahead log).
 */
function shredPending(ctx: SyncContext, ref: { id: string; team: TeamState }): Promise<unknown> | null {
  const pending = ref.team.pendingShreds ?? []
  if (pending.length === 0) return null
  const present = pending.filter((id) => ctx.vault.hasRecord(id) || ctx.vault.findAttachmentRecord(id) !== null)
  const tail = present.length > 0 ? ctx.vault.shred(present) : null
  ref.team.pendingShreds = []
  saveTeam(ctx.vault, ref.id, ref.team)
  return tail
}

/**
 * Words for the sync folder's filesystem failures. Nothing is lost by them: what could not be written stays in the
 * vault's outbox (written in the same transaction as the change) and goes out with the next run.
 */
function withFolderErrors<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    throw inWords(error)
  }
}

/** withFolderErrors for work that writes asynchronously (attachments' chunk files). */
async function withFolderErrorsAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw inWords(error)
  }
}

function inWords(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new CustodiaError(
      'INTERNAL',
      'The sync folder is full: free some space on its disk, then sync again. Nothing was lost: your changes are kept in the vault and sent then.',
    )
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new CustodiaError(
      'INTERNAL',
      'Custodia may not write into the sync folder: check that it is yours and not read-only, then sync again. Nothing was lost: your changes are kept in the vault and sent then.',
    )
  return error
}

function runSyncSteps(
  ctx: SyncContext,
  opts: { folder?: string },
  onShred: (tail: Promise<unknown>) => void,
  prepared: readonly PreparedAttachment[],
  attachments: IncomingAttachments,
): SyncRunResult {
  const ref = requireTeam(ctx.vault)
  // A folder given for this run (the sync folder moved, or a copy on a USB stick) is used without being stored.
  const folder = checkFolder(opts.folder ?? ref.team.folder)
  // Left by a run that stopped between a batch's commit and its shreds.
  // What applying others' change-sets writes in the activity log (the records it makes, the shreds they ask for) is
  // marked as such, so it is never sent back as this office's own activity.
  const applying = <T>(work: () => T): T => ctx.vault.audit.whileApplyingSync(work)
  const before = applying(() => shredPending(ctx, ref))
  if (before) onShred(before)
  // The schema this vault made before it joined (or before schemas travelled) becomes the team's one record.
  adoptTeamSchemaId(ctx, ref.team)
  recordLocalChanges(ctx, ref, { prepared, folder })
  const written = withFolderErrors(() => flushOutbox(ctx, ref.team, folder))
  const incoming = applying(() => applyIncoming(ctx, ref, folder, attachments))
  const after = applying(() => shredPending(ctx, ref))
  if (after) onShred(before ? Promise.all([before, after]) : after)
  removeChunkFiles(attachments.removeChunks.splice(0))
  const waitingForFiles = attachments.missingFiles
  if ((ref.team.waitingForFiles ?? 0) !== waitingForFiles) {
    ref.team.waitingForFiles = waitingForFiles
    ctx.vault.transaction(() => saveTeam(ctx.vault, ref.id, ref.team))
  }
  return {
    written,
    applied: incoming.applied,
    refused: incoming.refused,
    waiting: incoming.waiting,
    conflicts: countConflicts(ctx, ref.team).length,
    waitingForFiles,
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
  const entry: RosterEntry = {
    deviceId: randomId(sodium),
    publicKey: key.publicKey.toString('hex'),
    member: memberName,
    role: input.role,
    boxKey: boxPublicKey(sodium, key.seed),
  }
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
      ...(ref.team.sensitiveKey !== undefined && roleCan(input.role, 'dossiers.readSensitive')
        ? { sensitiveKey: ref.team.sensitiveKey }
        : {}),
      ...(ref.team.rotatedKeys === undefined
        ? {}
        : {
            rotatedKeys: Object.fromEntries(
              Object.entries(ref.team.rotatedKeys).map(([id, k]) => [
                id,
                roleCan(input.role, 'dossiers.readSensitive') ? k : { teamKey: k.teamKey },
              ]),
            ),
            ...(ref.team.currentKey === undefined ? {} : { currentKey: ref.team.currentKey }),
          }),
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
 * this device cannot remove itself (FORBIDDEN). The team key is rotated in the same change-set: the removed device
 * cannot read what is written after, but keeps what it had (docs/SYNC.md).
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
      return { op: 'roster.remove', deviceId: e.deviceId, lastSeq } as SyncChange
    })
    // A new team key for every device that stays, so the removed one cannot read what is written from now on. The
    // change-set that carries it is still sealed under the key the others hold; this device seals with the new one after.
    const rotation = rotateTeamKey(ctx, ref.team)
    appendChangeSet(ctx, ref, [...changes, rotation.change])
    ref.team.rotatedKeys = { ...ref.team.rotatedKeys, [rotation.keyId]: rotation.keys }
    ref.team.currentKey = rotation.keyId
    saveTeam(vault, ref.id, ref.team)
    for (const e of targets) vault.audit.append('sync.device_removed', { deviceId: e.deviceId })
  })
  flushOutbox(ctx, ref.team, ref.team.folder)
  return { removed: targets.map((e) => e.deviceId) }
}

/** The X25519 public key (hex) a device with this seed receives new team keys on. */
function boxPublicKey(sodium: SodiumBackend, seed: Uint8Array): string {
  const box = deviceBoxKeys(sodium, seed)
  sodium.memzero(box.secretKey)
  return box.publicKey.toString('hex')
}

/**
 * A new team key (and sensitive key) sealed to each device still in the team that has a box key; the sensitive key
 * only to roles that may read sensitive parts. Devices invited before keys were rotated have no box key and get none.
 */
function rotateTeamKey(
  ctx: SyncContext,
  team: TeamState,
): { keyId: string; keys: { teamKey: string; sensitiveKey?: string }; change: SyncChange } {
  const { sodium } = ctx
  const keyId = randomId(sodium)
  const keys = {
    teamKey: sodium.randomBytes(32).toString('hex'),
    ...(currentSensitiveKeyOf(team) !== undefined ? { sensitiveKey: sodium.randomBytes(32).toString('hex') } : {}),
  }
  const sealed = team.roster
    .filter((e) => e.removedAfter === undefined && e.boxKey !== undefined && e.deviceId !== team.deviceId)
    .map((e) => {
      const forDevice = roleCan(e.role, 'dossiers.readSensitive') ? keys : { teamKey: keys.teamKey }
      const plain = Buffer.from(JSON.stringify(forDevice), 'utf8')
      const box = sodium.boxSeal(plain, Buffer.from(e.boxKey!, 'hex'))
      sodium.memzero(plain)
      return { deviceId: e.deviceId, sealed: box.toString('base64') }
    })
  return { keyId, keys, change: { op: 'team.rekey', keyId, keys: sealed } }
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
    ...(invitation.sensitiveKey !== undefined ? { sensitiveKey: invitation.sensitiveKey } : {}),
    ...(invitation.rotatedKeys !== undefined ? { rotatedKeys: { ...invitation.rotatedKeys } } : {}),
    ...(invitation.currentKey !== undefined ? { currentKey: invitation.currentKey } : {}),
    deviceId: invitation.deviceId,
    deviceSeed: invitation.deviceSeed,
    folder: resolved,
    nextSeq: 1,
    lastHash: '',
    exportedChangeSeq: 0,
    activitySentSeq: vault.audit.lastSeq(),
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
    /** The last change-set applied from it was created this many days in this computer's future (its clock is wrong). */
    clockAheadDays: number | null
    removed: boolean
  }[]
  /** Record ids of documents whose edits crossed. */
  readonly conflicts: readonly string[]
  readonly refused: readonly SyncRefusal[]
  /** Attachment files the last run was still waiting for (0: none). */
  readonly waitingForFiles: number
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
        clockAheadDays: last?.clockAheadDays ?? null,
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
  return {
    teamId: team.teamId,
    deviceId: team.deviceId,
    folder: team.folder,
    peers,
    conflicts: countConflicts(ctx, team),
    refused,
    waitingForFiles: team.waitingForFiles ?? 0,
  }
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
    if (doc.tombstone) {
      hash.update(JSON.stringify([doc.recordId, doc.tombstone]))
      continue
    }
    const nodes = Object.keys(doc.nodes)
      .sort()
      .map((id) => [id, [...doc.nodes[id]!.parents].sort()])
    const shown = vault.hasRecord(doc.recordId) ? vault.getRecord(doc.recordId).body : null
    hash.update(JSON.stringify([doc.recordId, nodes, [...doc.heads].sort(), shown]))
  }
  return hash.digest('hex')
}

/** Who this copy belongs to in its team, or null when the vault is not set up for sync (the app's Sync page asks first). */
export function readThisDevice(ctx: SyncContext): { member: string; role: Role } | null {
  const found = readTeam(ctx.vault)
  if (!found) return null
  const entry = found.team.roster.find((e) => e.deviceId === found.team.deviceId)
  return entry ? { member: entry.member, role: entry.role } : null
}

/**
 * How a record in conflict is named to people (the Sync page and `sync status`): a document's title, a list's name,
 * a dossier's name as written, the dossier schema in words; empty when the record is gone.
 */
export function conflictTitle(vault: Vault, recordId: string): string {
  if (!vault.hasRecord(recordId)) return ''
  const record = vault.getRecord<{ title?: unknown; name?: unknown; names?: { original?: unknown } }>(recordId)
  if (record.kind === DOSSIER_SCHEMA_RECORD_KIND) return sentence('sync.conflictTitle.schema')
  return String(record.body.title ?? record.body.name ?? record.body.names?.original ?? '')
}
