// Main process (Node only): the vault's records — create, update (a new revision each time), delete, read one
// revision, list current revisions, revisions and changes. Summaries and bodies are sealed separately under the
// record's own item key (itemKeys.ts; the records subkey for a record from before schema 5), bound by their AD to the
// record id, kind tag, revision and part.

import { CustodiaError } from '../../../shared/errors'
import { buildRecordAd, computeKindTag, openJson, sealJson, type RecordPart } from '../platform/crypto/sealedJson'
import type { RecordRow, RevisionRow } from '../platform/db/vaultRepo'
import { constantTimeEqual, type VaultInternals } from './internals'
import { createItemKey, isWrappedBeforeCurrentEpoch, legacyKey, moveRecordToCurrentEpoch, unwrapItemKey, withItemKey } from './itemKeys'
import {
  ID_PATTERN,
  type SealedPart,
  type RecordContent,
  type RecordKind,
  type RecordRef,
  type RevisionInfo,
  type StoredRecord,
} from './types'
import { openPart, resolvePartInput } from './sensitiveParts'
import { createRandomId, validateAuthor, validateContent, validateId, validateKind, validateRevision } from './validation'

// What lives inside the encrypted summary envelope of every revision (the kind and times never appear in clear).
interface SummaryEnvelope {
  v: 1
  kind: string
  summary: Record<string, unknown>
  createdAt: string
  savedAt: string
  author: string
  /** The member who saved it (since schema 4); `author` is their name at the time. */
  authorId?: string
}
interface BodyEnvelope {
  v: 1
  body: unknown
  /** The record's sensitive part, sealed apart under the sensitive area key (sensitiveParts.ts). */
  part?: SealedPart
}

/** The body envelope of a write: the body and, when given, its sensitive part (sealed now or kept as stored). */
function bodyEnvelope(vault: VaultInternals, id: string, content: RecordContent): BodyEnvelope {
  return content.part === undefined
    ? { v: 1, body: content.body }
    : { v: 1, body: content.body, part: resolvePartInput(vault, id, content.part) }
}

/** Who saved a revision: the given name, else the member working in the vault; their member id whenever there is one. */
function authorOf(vault: VaultInternals, given: unknown): { author: string; authorId?: string } {
  const member = vault.member
  const author = validateAuthor(given ?? member?.name)
  return member ? { author, authorId: member.id } : { author }
}

function kindTagOf(vault: VaultInternals, kind: string): Buffer {
  return computeKindTag(vault.sodium, vault.subkeys.kindTag, kind)
}

function recordAd(vault: VaultInternals, id: string, kindTag: Buffer, revision: number, part: RecordPart): Buffer {
  return buildRecordAd(vault.vaultId, id, kindTag, revision, part, vault.formatVersion)
}

export function sealRevision(
  vault: VaultInternals,
  key: Buffer,
  id: string,
  kindTag: Buffer,
  revision: number,
  summary: SummaryEnvelope,
  body: BodyEnvelope,
): RevisionRow {
  const s = sealJson(vault.sodium, key, recordAd(vault, id, kindTag, revision, 'summary'), summary, 64)
  const b = sealJson(vault.sodium, key, recordAd(vault, id, kindTag, revision, 'body'), body, 256)
  return { record_id: id, revision, summary_nonce: s.nonce, summary_ct: s.ciphertext, body_nonce: b.nonce, body_ct: b.ciphertext }
}

export function openSummary(
  vault: VaultInternals,
  key: Buffer,
  record: RecordRow,
  revision: number,
  nonce: Buffer,
  ciphertext: Buffer,
): SummaryEnvelope {
  const env = openJson<SummaryEnvelope>(vault.sodium, key, recordAd(vault, record.id, record.kind_tag, revision, 'summary'), {
    nonce,
    ciphertext,
  })
  if (env?.v !== 1 || typeof env.kind !== 'string' || typeof env.summary !== 'object' || typeof env.savedAt !== 'string') {
    throw new CustodiaError('CORRUPT', 'A record summary is malformed')
  }
  // The AD binds the kind tag; the kind name inside must produce that same tag.
  if (!constantTimeEqual(kindTagOf(vault, env.kind), record.kind_tag))
    throw new CustodiaError('TAMPERED', 'A record kind does not match its tag')
  return env
}

export function createRecord(
  vault: VaultInternals,
  kind: RecordKind,
  content: RecordContent,
  opts: { id?: string; author?: string },
): RecordRef {
  vault.assertUnlocked()
  validateKind(kind)
  validateContent(content)
  const author = authorOf(vault, opts.author)
  const id = opts.id ?? createRandomId(vault.sodium)
  validateId(id, 'record')
  const kindTag = kindTagOf(vault, kind)
  return vault.repo.runInTransaction(() => {
    if (vault.repo.getRecord(id)) throw new CustodiaError('CONFLICT', 'A record with this id already exists')
    const changeSeq = vault.repo.takeChangeSeq()
    const now = new Date().toISOString()
    vault.repo.insertRecord({ id, kind_tag: kindTag, current_revision: 1, change_seq: changeSeq })
    const key = createItemKey(vault, 'record', id)
    try {
      const row = sealRevision(
        vault,
        key,
        id,
        kindTag,
        1,
        { v: 1, kind, summary: content.summary, createdAt: now, savedAt: now, ...author },
        bodyEnvelope(vault, id, content),
      )
      vault.repo.insertRevision(row)
    } finally {
      vault.sodium.memzero(key)
    }
    vault.chain.append('record.created', { recordId: id, revision: 1 })
    return { id, kind, revision: 1, changeSeq }
  })
}

export function updateRecord(
  vault: VaultInternals,
  id: string,
  content: RecordContent,
  opts: { expectedRevision?: number; author?: string },
): RecordRef {
  vault.assertUnlocked()
  validateId(id, 'record')
  validateContent(content)
  const author = authorOf(vault, opts.author)
  if (opts.expectedRevision !== undefined) validateRevision(opts.expectedRevision)
  return vault.repo.runInTransaction(() => {
    const record = vault.requireRecord(id)
    if (opts.expectedRevision !== undefined && opts.expectedRevision !== record.current_revision) {
      throw new CustodiaError('CONFLICT', 'The record was changed since it was read')
    }
    // Every revision of a record is sealed under the same key: shredding it destroys them all at once. A record last
    // keyed before a member's removal moves to the current content epoch first (itemKeys.ts).
    const stored = vault.repo.getItemKey('record', id)
    if (stored && isWrappedBeforeCurrentEpoch(vault, stored)) moveRecordToCurrentEpoch(vault, record, stored)
    const current = vault.repo.getRevision(id, record.current_revision)
    if (!current) throw new CustodiaError('CORRUPT', 'The current revision of a record is missing')
    const revision = record.current_revision + 1
    const previous = withItemKey(vault, 'record', id, (key) => {
      const prior = openSummary(vault, key, record, record.current_revision, current.summary_nonce, current.summary_ct)
      const envelope: SummaryEnvelope = {
        v: 1,
        kind: prior.kind,
        summary: content.summary,
        createdAt: prior.createdAt,
        savedAt: new Date().toISOString(),
        ...author,
      }
      vault.repo.insertRevision(sealRevision(vault, key, id, record.kind_tag, revision, envelope, bodyEnvelope(vault, id, content)))
      return prior
    })
    const changeSeq = vault.repo.takeChangeSeq()
    vault.repo.updateRecord(id, revision, changeSeq)
    vault.chain.append('record.updated', { recordId: id, revision })
    return { id, kind: previous.kind, revision, changeSeq }
  })
}

export function deleteRecord(vault: VaultInternals, id: string): void {
  vault.assertUnlocked()
  const attachmentIds = vault.repo.runInTransaction(() => {
    vault.requireRecord(id)
    const ids = vault.repo.deleteRecord(id, vault.repo.takeChangeSeq())
    vault.chain.append('record.deleted', { recordId: id, attachments: ids.length })
    return ids
  })
  vault.removeBlobsAfterCommit(attachmentIds)
}

export function getRecord<B, S>(vault: VaultInternals, id: string, revision?: number): StoredRecord<B, S> {
  vault.assertUnlocked()
  const record = vault.requireRecord(id)
  if (revision !== undefined) validateRevision(revision)
  const rev = revision ?? record.current_revision
  const row = vault.repo.getRevision(id, rev)
  if (!row) throw new CustodiaError('NOT_FOUND', 'No such revision of this record')
  const { summary, body } = withItemKey(vault, 'record', id, (key) => ({
    summary: openSummary(vault, key, record, rev, row.summary_nonce, row.summary_ct),
    body: openJson<BodyEnvelope>(vault.sodium, key, recordAd(vault, id, record.kind_tag, rev, 'body'), {
      nonce: row.body_nonce,
      ciphertext: row.body_ct,
    }),
  }))
  if (body?.v !== 1) throw new CustodiaError('CORRUPT', 'A record body is malformed')
  return {
    id,
    kind: summary.kind,
    revision: rev,
    changeSeq: record.change_seq,
    summary: summary.summary as S,
    body: body.body as B,
    createdAt: summary.createdAt,
    savedAt: summary.savedAt,
    author: summary.author,
    ...(typeof summary.authorId === 'string' ? { authorId: summary.authorId } : {}),
    ...(body.part !== undefined ? { part: openPart(vault, id, body.part) } : {}),
  }
}

export function hasRecord(vault: VaultInternals, id: string): boolean {
  vault.assertUnlocked()
  return typeof id === 'string' && ID_PATTERN.test(id) && vault.repo.getRecord(id) !== undefined
}

export function listRecords(
  vault: VaultInternals,
  filter: { kind?: RecordKind },
): (RecordRef & { summary: Record<string, unknown>; savedAt: string })[] {
  vault.assertUnlocked()
  if (filter.kind !== undefined) validateKind(filter.kind)
  const rows = vault.repo.listCurrent(filter.kind === undefined ? undefined : kindTagOf(vault, filter.kind))
  return rows.map((row) => {
    const own =
      row.key_nonce && row.key_wrapped && row.key_wrapped_by !== null
        ? unwrapItemKey(vault, 'record', row.id, { wrapped_by: row.key_wrapped_by, nonce: row.key_nonce, wrapped_key: row.key_wrapped })
        : null
    let env: SummaryEnvelope
    try {
      env = openSummary(vault, own ?? legacyKey(vault, 'record'), row, row.current_revision, row.summary_nonce, row.summary_ct)
    } finally {
      if (own) vault.sodium.memzero(own)
    }
    return {
      id: row.id,
      kind: env.kind,
      revision: row.current_revision,
      changeSeq: row.change_seq,
      summary: env.summary,
      savedAt: env.savedAt,
    }
  })
}

export function listRevisions(vault: VaultInternals, id: string): RevisionInfo[] {
  vault.assertUnlocked()
  const record = vault.requireRecord(id)
  return withItemKey(vault, 'record', id, (key) =>
    vault.repo.listRevisions(id).map((row) => {
      const env = openSummary(vault, key, record, row.revision, row.summary_nonce, row.summary_ct)
      return { revision: row.revision, savedAt: env.savedAt, author: env.author, summary: env.summary }
    }),
  )
}

export function listChangedSince(vault: VaultInternals, changeSeq: number): { id: string; changeSeq: number; deleted: boolean }[] {
  vault.assertUnlocked()
  if (!Number.isSafeInteger(changeSeq) || changeSeq < 0) throw new CustodiaError('VALIDATION', 'changeSeq must be a non-negative integer')
  return vault.repo.listChangedSince(changeSeq).map((row) => ({ id: row.id, changeSeq: row.change_seq, deleted: row.deleted === 1 }))
}
