// Main process / CLI (Node only): what a replica remembers about sync, kept as encrypted vault records so it is
// sealed under the replica's own vault key, covered by its state commitment and written in the same transactions as
// the documents it concerns: the team (key, device, roster, outgoing sequence), one graph per synced document, the
// outbox of sealed change-sets, and a marker per change-set applied or refused. docs/SYNC.md describes each.
import { CustodiaError } from '../../../shared/errors'
import { buildAssociatedData } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'
import type { Vault } from '../vault/vault'
import type { RosterEntry } from './syncFormat'

export const SYNC_TEAM_KIND = 'sync-team'
export const SYNC_DOC_KIND = 'sync-doc'
export const SYNC_OUT_KIND = 'sync-out'
export const SYNC_SEEN_KIND = 'sync-seen'

/** The team as this replica knows it (the body of its one `sync-team` record). */
export interface TeamState {
  v: 1
  teamId: string
  /** 32-byte team key, hex: only ever inside this sealed record and inside a sealed invitation. */
  teamKey: string
  deviceId: string
  /** This device's 32-byte Ed25519 seed, hex. */
  deviceSeed: string
  /** The sync folder (e.g. the folder Syncthing shares). */
  folder: string
  /**
   * The team's sensitive key (32 bytes, hex), held only by devices whose role may read dossiers' sensitive parts: the
   * parts travel sealed under it inside the change-set. Absent: this device neither sends nor receives them.
   */
  sensitiveKey?: string
  /**
   * Team keys made when devices were removed (by key id), each with its sensitive key when this device may hold it.
   * `teamKey` stays the first key: it opens the change-sets written before and derives the ids of sync records.
   */
  rotatedKeys?: Record<string, { teamKey: string; sensitiveKey?: string }>
  /** The key id this device seals its change-sets with (absent: the first key). */
  currentKey?: string
  /** Sequence number of the next change-set this device writes. */
  nextSeq: number
  /** Hash of the last change-set this device wrote ('' before the first). */
  lastHash: string
  /** Every local change up to this vault change number has been written out or came from sync. */
  exportedChangeSeq: number
  /**
   * Every entry of this vault's activity log up to this seq was looked at by the writer (sent when it travels), saved
   * in the transaction that keeps the change-set in the outbox. Absent in teams set up before activity travelled: the
   * next run starts at the newest entry.
   */
  activitySentSeq?: number
  roster: RosterEntry[]
  /**
   * Records a tombstone from another device told this replica to destroy for good, saved with the tombstone and
   * destroyed through the vault's own shred path right after the batch commits (again at the next run after a crash).
   */
  pendingShreds?: string[]
  /** Attachments sync carried (sent from here or received), by attachment id: where their chunk files are. */
  attachments?: Record<string, KnownAttachment>
  /** Chunk files the last run found missing (the change-sets naming them wait): what `sync status` shows. */
  waitingForFiles?: number
}

/** What a replica remembers of an attachment sync carried, by attachment id (in the team record). */
export interface KnownAttachment {
  recordId: string
  /** The device whose folder holds the chunks. */
  device: string
  chunks: string[]
}

/** One node of a document's revision graph. */
export interface DocNode {
  parents: string[]
  savedAt: string
  author: string
}

/** The revision graph of one synced document (body of a `sync-doc` record). */
export interface DocState {
  v: 1
  recordId: string
  nodes: Record<string, DocNode>
  /** Nodes nobody built on yet: one when in agreement, several when edits crossed (a conflict). */
  heads: string[]
  /** Local revision number → the node whose content it holds. */
  revs: Record<string, string>
  /** Every local revision up to this one is in the graph. */
  accounted: number
  /** The record's kind (absent in graphs stored before dossiers synced: a library document). */
  kind?: string
  /** Fields both sides changed differently, as the merge of the heads found them (empty or absent: no conflict). */
  conflicts?: string[]
  /**
   * Set once the record was deleted or destroyed on some replica: the graph is emptied, and no later revision brings
   * the record back (docs/SYNC.md "Deletions and shredding").
   */
  tombstone?: 'deleted' | 'shredded'
}

/** True when the record's heads are in conflict (graphs stored before field merge: several heads). */
export function isInConflict(doc: DocState): boolean {
  return doc.conflicts === undefined ? doc.heads.length > 1 : doc.conflicts.length > 0
}

/** A change-set this replica applied or refused (body of a `sync-seen` record). */
export interface SeenMarker {
  v: 1
  outcome: 'applied' | 'refused'
  deviceId: string
  seq: number
  hash: string
  at: string
  /** For refusals: why, in words. */
  reason?: string
  /** For applied change-sets created (by the sender's clock) more than a day in this computer's future: by how many days. */
  clockAheadDays?: number
}

/** A deterministic record id for sync bookkeeping: BLAKE2b-128 keyed with the team key, so ids reveal nothing. */
export function deriveSyncId(sodium: SodiumBackend, teamKey: Uint8Array, ...fields: (string | number)[]): string {
  return sodium.generichash(16, buildAssociatedData('sync.record-id', ...fields), teamKey).toString('hex')
}

export function readTeam(vault: Vault): { id: string; team: TeamState } | null {
  const rows = vault.listRecords({ kind: SYNC_TEAM_KIND })
  if (rows.length === 0) return null
  const record = vault.getRecord<TeamState>(rows[0]!.id)
  if (record.body?.v !== 1) throw new CustodiaError('CORRUPT', "This vault's sync settings are unreadable.")
  return { id: record.id, team: record.body }
}

export function requireTeam(vault: Vault): { id: string; team: TeamState } {
  const found = readTeam(vault)
  if (!found)
    throw new CustodiaError(
      'NOT_FOUND',
      'This vault is not set up for sync yet: run `custodia sync init` here, or `custodia sync join` for a new copy.',
    )
  return found
}

export function saveTeam(vault: Vault, id: string, team: TeamState): void {
  vault.updateRecord(id, { summary: {}, body: team })
}

export function readDoc(vault: Vault, sodium: SodiumBackend, team: TeamState, recordId: string): { id: string; doc: DocState | null } {
  const id = deriveSyncId(sodium, Buffer.from(team.teamKey, 'hex'), 'doc', team.teamId, recordId)
  if (!vault.hasRecord(id)) return { id, doc: null }
  return { id, doc: vault.getRecord<DocState>(id).body }
}

export function saveDoc(vault: Vault, id: string, doc: DocState): void {
  const content = { summary: { heads: doc.heads.length, conflict: isInConflict(doc) }, body: doc }
  if (vault.hasRecord(id)) vault.updateRecord(id, content)
  else vault.createRecord(SYNC_DOC_KIND, content, { id })
}

/**
 * Replaces a record's graph by its tombstone (in the caller's transaction). The earlier graph, in this sync-doc
 * record's old revisions, names who edited the record and when: the record is deleted and made anew, so nothing of it
 * is left once the record itself is gone. A shred is never weakened into a deletion.
 */
export function saveTombstone(
  vault: Vault,
  id: string,
  recordId: string,
  kind: string,
  tombstone: 'deleted' | 'shredded',
  previous: DocState | null,
): DocState {
  const doc: DocState = {
    v: 1,
    recordId,
    nodes: {},
    heads: [],
    revs: {},
    accounted: 0,
    kind,
    tombstone: previous?.tombstone === 'shredded' ? 'shredded' : tombstone,
  }
  if (vault.hasRecord(id)) vault.deleteRecord(id)
  saveDoc(vault, id, doc)
  return doc
}

export function seenId(
  sodium: SodiumBackend,
  team: TeamState,
  outcome: 'applied' | 'applied-content' | 'refused',
  deviceId: string,
  seq: number,
  hash = '',
): string {
  return deriveSyncId(sodium, Buffer.from(team.teamKey, 'hex'), outcome, team.teamId, deviceId, seq, hash)
}

export function readSeen(vault: Vault, id: string): SeenMarker | null {
  return vault.hasRecord(id) ? vault.getRecord<SeenMarker>(id).body : null
}

export function saveSeen(vault: Vault, id: string, marker: SeenMarker): void {
  vault.createRecord(SYNC_SEEN_KIND, { summary: { outcome: marker.outcome }, body: marker }, { id })
}

/** What every sync step works with: the replica's unlocked vault and the crypto backend. */
export interface SyncContext {
  readonly vault: Vault
  readonly sodium: SodiumBackend
}

/** The team key as bytes (the caller zeroes them). */
export function teamKeyOf(team: TeamState): Buffer {
  return Buffer.from(team.teamKey, 'hex')
}

/** The key this device seals new change-sets with, and its id (absent: the first key). The caller zeroes `key`. */
export function sealingKeyOf(team: TeamState): { id?: string; key: Buffer } {
  const rotated = team.currentKey === undefined ? undefined : team.rotatedKeys?.[team.currentKey]
  return rotated ? { id: team.currentKey, key: Buffer.from(rotated.teamKey, 'hex') } : { key: teamKeyOf(team) }
}

/** The team key a change-set names (absent: the first), or null when this device does not hold it (yet). Caller zeroes. */
export function teamKeyById(team: TeamState, id: string | undefined): Buffer | null {
  if (id === undefined) return teamKeyOf(team)
  const rotated = team.rotatedKeys?.[id]
  return rotated ? Buffer.from(rotated.teamKey, 'hex') : null
}

/** The sensitive key this device seals with now, hex (undefined: its role may not read sensitive parts). */
export function currentSensitiveKeyOf(team: TeamState): string | undefined {
  return team.currentKey === undefined ? team.sensitiveKey : team.rotatedKeys?.[team.currentKey]?.sensitiveKey
}

/** Every sensitive key this device holds, hex, the current one first. */
export function sensitiveKeysOf(team: TeamState): string[] {
  const all = [currentSensitiveKeyOf(team), team.sensitiveKey, ...Object.values(team.rotatedKeys ?? {}).map((k) => k.sensitiveKey)]
  return [...new Set(all.filter((k): k is string => k !== undefined))]
}

/** The newest vault change number after `since` (or `since`). */
export function lastChangeSeq(vault: Vault, since: number): number {
  const changes = vault.listChangedSince(since)
  return changes.length === 0 ? since : changes[changes.length - 1]!.changeSeq
}
