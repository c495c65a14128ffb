// Main process (Node only): SQL access to vault.sqlite. Stores and returns ciphertext rows only — it never sees a key
// or a plaintext; the vault service combines it with crypto. All ids are 32-hex-char strings, blobs are Buffers.

import type Database from 'better-sqlite3'
import { CustodiaError } from '../../../../shared/errors'
import { committedRowsSql, type CommittedArea } from './committedRows'

/** vault_meta: ids are 32 hex chars; format_version and last_change_seq are integers. */
export interface MetaRow {
  vault_id: string
  format_version: number
  last_change_seq: number
}
/** keyslots: salt 16 B (passphrase only), nonce 24 B, wrapped_key 48 B; memlimit in bytes. */
export interface KeyslotRow {
  id: string
  kind: 'passphrase' | 'recovery'
  salt: Buffer | null
  opslimit: number | null
  memlimit: number | null
  nonce: Buffer
  wrapped_key: Buffer
}
/** records: kind_tag 16 B keyed BLAKE2b of the kind name; no plaintext. */
export interface RecordRow {
  id: string
  kind_tag: Buffer
  current_revision: number
  change_seq: number
}
/** revisions: nonces 24 B; *_ct = padded JSON envelope + 16 B tag. */
export interface RevisionRow {
  record_id: string
  revision: number
  summary_nonce: Buffer
  summary_ct: Buffer
  body_nonce: Buffer
  body_ct: Buffer
}
/** attachments: blob_size in ciphertext bytes; meta_ct = sealed {filename, mediaType, size, addedAt}. */
export interface AttachmentRow {
  id: string
  record_id: string
  blob_version: number
  blob_size: number
  meta_nonce: Buffer
  meta_ct: Buffer
}
/** members (schema 4): slot ids NULL before joining and after removal; meta_ct sealed member details; signing_ct the seed. */
export interface MemberRow {
  id: string
  keyslot_id: string | null
  recovery_slot_id: string | null
  name_hint: number | null
  meta_nonce: Buffer
  meta_ct: Buffer
  signing_nonce: Buffer | null
  signing_ct: Buffer | null
  /** Schema 8: the content epoch whose key sealed meta_ct (0: the members subkey of the vault key). */
  meta_epoch?: number
}
/** invitations (schema 4): code_hash 32 B, expires_at ms since 1970, nonce 24 B, wrapped_key 48 B. */
export interface InvitationRow {
  id: string
  member_id: string
  code_hash: Buffer
  expires_at: number
  nonce: Buffer
  wrapped_key: Buffer
  /** Schema 6: the area keys this invitation carries, sealed under the code's KEK (NULL when none). */
  area_nonce?: Buffer | null
  area_sealed?: Buffer | null
}
/** member_keys (schema 6): a member's X25519 key pair, the secret key sealed under their passphrase / recovery KEK. */
export interface MemberKeyRow {
  member_id: string
  public_key: Buffer
  nonce: Buffer
  sealed_secret: Buffer
  recovery_nonce: Buffer | null
  recovery_sealed: Buffer | null
  /** Schema 8: the newest content and sensitive epochs the owner has seen, and their MAC (NULL until first set). */
  content_floor?: number
  sensitive_floor?: number
  floor_mac?: Buffer | null
}
/** area_keys (schema 6): an area key of one epoch sealed to one member (NULL while pending), and its intent MAC. */
export interface AreaKeyRow {
  area: string
  epoch: number
  member_id: string
  sealed: Buffer | null
  intent: Buffer
}
/** Which kind of item an item key belongs to. */
export type ItemKind = 'record' | 'attachment'
/**
 * item_keys (schema 5): one per record and per attachment; wrapped_by names the wrapping key ('vault', or
 * 'content:N' after a removal: docs/CRYPTO.md §17), nonce
 * 24 B, wrapped_key 48 B.
 */
export interface ItemKeyRow {
  item_kind: ItemKind
  id: string
  wrapped_by: string
  nonce: Buffer
  wrapped_key: Buffer
}
/** audit_log: nonce 24 B, mac 32 B, seq from 1 without gaps. */
export interface AuditRow {
  seq: number
  nonce: Buffer
  ciphertext: Buffer
  mac: Buffer
  /** Schema 8: the content epoch whose key sealed the entry (0: the audit-encryption subkey of the vault key). */
  key_epoch?: number
}

/** A record's current summary with its wrapped item key (key_* NULL for a record not yet migrated to item keys). */
export interface CurrentRecordRow extends RecordRow {
  summary_nonce: Buffer
  summary_ct: Buffer
  key_nonce: Buffer | null
  key_wrapped: Buffer | null
  key_wrapped_by: string | null
}
// The current-revision lists read each record's wrapped item key in the same query (one unwrap per row, no extra read).
const ITEM_KEY_COLUMNS = 'k.nonce AS key_nonce, k.wrapped_key AS key_wrapped, k.wrapped_by AS key_wrapped_by'
const ITEM_KEY_JOIN = "LEFT JOIN item_keys k ON k.item_kind = 'record' AND k.id = r.id"

const REQUIRED_TABLES = ['vault_meta', 'keyslots', 'records', 'revisions', 'tombstones', 'attachments', 'audit_log']

/** Checks the v1 tables exist and reads the identity row; anything missing or malformed → CORRUPT. */
export function readMeta(db: Database.Database): MetaRow {
  let names: Set<string>
  let row: MetaRow | undefined
  try {
    names = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name))
    if (names.size === 0) throw new CustodiaError('CORRUPT', 'The vault database is empty')
    for (const name of REQUIRED_TABLES) {
      if (!names.has(name)) throw new CustodiaError('CORRUPT', 'The vault database is missing a table')
    }
    row = db.prepare('SELECT vault_id, format_version, last_change_seq FROM vault_meta WHERE singleton = 1').get() as MetaRow | undefined
  } catch (err) {
    if (err instanceof CustodiaError) throw err
    throw new CustodiaError('CORRUPT', 'The vault database is unreadable')
  }
  if (!row || typeof row.vault_id !== 'string' || !/^[0-9a-f]{32}$/.test(row.vault_id) || !Number.isInteger(row.format_version)) {
    throw new CustodiaError('CORRUPT', 'The vault identity row is missing or malformed')
  }
  return row
}

/** Reads every keyslot (stable order: passphrase slots first, then by id). */
export function readKeyslots(db: Database.Database): KeyslotRow[] {
  try {
    return db.prepare(`SELECT * FROM keyslots ORDER BY kind = 'recovery', id`).all() as KeyslotRow[]
  } catch {
    throw new CustodiaError('CORRUPT', 'The vault keyslots are unreadable')
  }
}

/**
 * Told of every change to a committed row (committedRows.ts) with the encodings before and after, inside the
 * transaction that makes it, so the vault's state commitment follows each write at O(1) cost. May throw to refuse it.
 */
export interface CommittedRowObserver {
  rowsChanged(area: CommittedArea, removed: readonly Buffer[], added: readonly Buffer[]): void
  /** A runInTransaction level began (levels nest as savepoints). */
  transactionStarted(): void
  /**
   * That level ends: `committed` false when it rolls back. Called before SQLite commits, so what the observer writes
   * for the outermost level commits (or rolls back) with the changes it describes.
   */
  transactionEnded(committed: boolean): void
}

/** Prepared statements over the read-write connection. */
export class VaultRepository {
  private readonly s
  private readonly committed
  private observer: CommittedRowObserver | null = null
  constructor(readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql)
    const c = (area: CommittedArea, where = '') => db.prepare(committedRowsSql(area, where)).pluck()
    this.committed = {
      audit: c('audit'),
      keyslot: c('keyslots', 'id = ?'),
      setting: c('settings', 'name = ?'),
      record: c('records', 'id = ?'),
      revisionsOf: c('revisions', 'record_id = ?'),
      revision: c('revisions', 'record_id = ? AND revision = ?'),
      attachment: c('attachments', 'id = ?'),
      attachmentsOf: c('attachments', 'record_id = ?'),
      tombstone: c('tombstones', 'id = ?'),
      member: c('members', 'id = ?'),
      invitation: c('invitations', 'id = ?'),
      invitationsOf: c('invitations', 'member_id = ?'),
      itemKey: c('itemKeys', 'item_kind = ? AND id = ?'),
      memberKey: c('memberKeys', 'member_id = ?'),
      areaKey: c('areaKeys', 'area = ? AND epoch = ? AND member_id = ?'),
      areaKeysOf: c('areaKeys', 'member_id = ?'),
    }
    this.s = {
      insertMeta: p(
        'INSERT INTO vault_meta (singleton, vault_id, format_version, last_change_seq, created_opslimit, created_memlimit) VALUES (1, ?, ?, 0, ?, ?)',
      ),
      nextChangeSeq: p('UPDATE vault_meta SET last_change_seq = last_change_seq + 1 WHERE singleton = 1 RETURNING last_change_seq'),
      insertKeyslot: p(
        'INSERT INTO keyslots (id, kind, salt, opslimit, memlimit, nonce, wrapped_key) VALUES (@id, @kind, @salt, @opslimit, @memlimit, @nonce, @wrapped_key)',
      ),
      updateKeyslot: p(
        'UPDATE keyslots SET salt = @salt, opslimit = @opslimit, memlimit = @memlimit, nonce = @nonce, wrapped_key = @wrapped_key WHERE id = @id',
      ),
      getRecord: p('SELECT * FROM records WHERE id = ?'),
      insertRecord: p('INSERT INTO records (id, kind_tag, current_revision, change_seq) VALUES (?, ?, ?, ?)'),
      updateRecord: p('UPDATE records SET current_revision = ?, change_seq = ? WHERE id = ?'),
      deleteRecord: p('DELETE FROM records WHERE id = ?'),
      insertRevision: p(
        'INSERT INTO revisions (record_id, revision, summary_nonce, summary_ct, body_nonce, body_ct) VALUES (@record_id, @revision, @summary_nonce, @summary_ct, @body_nonce, @body_ct)',
      ),
      getRevision: p('SELECT * FROM revisions WHERE record_id = ? AND revision = ?'),
      listRevisions: p('SELECT * FROM revisions WHERE record_id = ? ORDER BY revision'),
      deleteRevisions: p('DELETE FROM revisions WHERE record_id = ?'),
      listCurrent: p(
        `SELECT r.*, v.summary_nonce, v.summary_ct, ${ITEM_KEY_COLUMNS} FROM records r JOIN revisions v ON v.record_id = r.id AND v.revision = r.current_revision ${ITEM_KEY_JOIN} ORDER BY r.change_seq`,
      ),
      listCurrentByKind: p(
        `SELECT r.*, v.summary_nonce, v.summary_ct, ${ITEM_KEY_COLUMNS} FROM records r JOIN revisions v ON v.record_id = r.id AND v.revision = r.current_revision ${ITEM_KEY_JOIN} WHERE r.kind_tag = ? ORDER BY r.change_seq`,
      ),
      insertTombstone: p('INSERT OR REPLACE INTO tombstones (id, change_seq) VALUES (?, ?)'),
      deleteTombstone: p('DELETE FROM tombstones WHERE id = ?'),
      changedSince: p(`SELECT id, change_seq, 0 AS deleted FROM records WHERE change_seq > ?
                       UNION ALL SELECT id, change_seq, 1 AS deleted FROM tombstones WHERE change_seq > ? ORDER BY change_seq`),
      insertAttachment: p(
        'INSERT INTO attachments (id, record_id, blob_version, blob_size, meta_nonce, meta_ct) VALUES (@id, @record_id, @blob_version, @blob_size, @meta_nonce, @meta_ct)',
      ),
      getAttachment: p('SELECT * FROM attachments WHERE id = ?'),
      listAttachments: p('SELECT * FROM attachments WHERE record_id = ? ORDER BY rowid'),
      allAttachmentIds: p('SELECT id FROM attachments'),
      deleteAttachments: p('DELETE FROM attachments WHERE record_id = ?'),
      deleteAttachment: p('DELETE FROM attachments WHERE id = ?'),
      getSetting: p('SELECT value FROM settings WHERE name = ?'),
      getItemKey: p('SELECT * FROM item_keys WHERE item_kind = ? AND id = ?'),
      insertItemKey: p(
        'INSERT INTO item_keys (item_kind, id, wrapped_by, nonce, wrapped_key) VALUES (@item_kind, @id, @wrapped_by, @nonce, @wrapped_key)',
      ),
      deleteItemKey: p('DELETE FROM item_keys WHERE item_kind = ? AND id = ?'),
      // Prepared once: every save asks for the newest content epoch (vault/areaKeys.ts).
      latestAreaEpoch: p('SELECT coalesce(max(epoch), 0) AS epoch FROM area_keys WHERE area = ?'),
      replaceItemKey: p(
        'UPDATE item_keys SET wrapped_by = @wrapped_by, nonce = @nonce, wrapped_key = @wrapped_key WHERE item_kind = @item_kind AND id = @id',
      ),
      rewriteRevision: p(
        'UPDATE revisions SET summary_nonce = @summary_nonce, summary_ct = @summary_ct, body_nonce = @body_nonce, body_ct = @body_ct WHERE record_id = @record_id AND revision = @revision',
      ),
      rewriteAttachment: p(
        'UPDATE attachments SET blob_version = @blob_version, blob_size = @blob_size, meta_nonce = @meta_nonce, meta_ct = @meta_ct WHERE id = @id',
      ),
      readStateDigest: p('SELECT state_digest, state_mac FROM vault_meta WHERE singleton = 1'),
      writeStateDigest: p('UPDATE vault_meta SET state_digest = ?, state_mac = ? WHERE singleton = 1'),
      // Prepared once: every save reads and moves the audit head (a prepare per call cost as much as the commitment).
      getAuditHead: p('SELECT audit_head FROM vault_meta WHERE singleton = 1'),
      setAuditHead: p('UPDATE vault_meta SET audit_head = ? WHERE singleton = 1'),
      lastAuditEntry: p('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1'),
      insertAuditEntry: p(
        'INSERT INTO audit_log (seq, nonce, ciphertext, mac, key_epoch) VALUES (@seq, @nonce, @ciphertext, @mac, @key_epoch)',
      ),
      setSetting: p('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    }
  }

  // --- members (schema 4) ---
  listMembers(): MemberRow[] {
    return this.db.prepare('SELECT * FROM members ORDER BY rowid').all() as MemberRow[]
  }
  getMember(id: string): MemberRow | undefined {
    return this.db.prepare('SELECT * FROM members WHERE id = ?').get(id) as MemberRow | undefined
  }
  /** The member holding a keyslot (passphrase or recovery). */
  getMemberByKeyslot(keyslotId: string): MemberRow | undefined {
    return this.db.prepare('SELECT * FROM members WHERE keyslot_id = @id OR recovery_slot_id = @id').get({ id: keyslotId }) as
      MemberRow | undefined
  }
  insertMember(row: MemberRow): void {
    this.tracked([['members', this.committed.member, [row.id], 'inserted']], () =>
      this.db
        .prepare(
          'INSERT INTO members (id, keyslot_id, recovery_slot_id, name_hint, meta_nonce, meta_ct, signing_nonce, signing_ct, meta_epoch) VALUES (@id, @keyslot_id, @recovery_slot_id, @name_hint, @meta_nonce, @meta_ct, @signing_nonce, @signing_ct, @meta_epoch)',
        )
        .run({ meta_epoch: 0, ...row }),
    )
  }
  updateMember(row: MemberRow): void {
    const changes = this.tracked(
      [['members', this.committed.member, [row.id]]],
      () =>
        this.db
          .prepare(
            'UPDATE members SET keyslot_id = @keyslot_id, recovery_slot_id = @recovery_slot_id, name_hint = @name_hint, meta_nonce = @meta_nonce, meta_ct = @meta_ct, signing_nonce = @signing_nonce, signing_ct = @signing_ct, meta_epoch = @meta_epoch WHERE id = @id',
          )
          .run({ meta_epoch: 0, ...row }).changes,
    )
    if (changes !== 1) throw new CustodiaError('CORRUPT', 'A member disappeared')
  }
  /** Deletes a keyslot (a removed member's); false when there was none. */
  deleteKeyslot(id: string): boolean {
    return this.tracked(
      [['keyslots', this.committed.keyslot, [id]]],
      () => this.db.prepare('DELETE FROM keyslots WHERE id = ?').run(id).changes === 1,
    )
  }
  listInvitations(): InvitationRow[] {
    return this.db.prepare('SELECT * FROM invitations ORDER BY rowid').all() as InvitationRow[]
  }
  insertInvitation(row: InvitationRow): void {
    this.tracked([['invitations', this.committed.invitation, [row.id], 'inserted']], () =>
      this.db
        .prepare(
          'INSERT INTO invitations (id, member_id, code_hash, expires_at, nonce, wrapped_key, area_nonce, area_sealed) VALUES (@id, @member_id, @code_hash, @expires_at, @nonce, @wrapped_key, @area_nonce, @area_sealed)',
        )
        .run({ area_nonce: null, area_sealed: null, ...row }),
    )
  }
  /** Deletes every invitation of a member (joined, removed, or a new code replaces the old). */
  deleteInvitationsOf(memberId: string): void {
    this.tracked([['invitations', this.committed.invitationsOf, [memberId]]], () =>
      this.db.prepare('DELETE FROM invitations WHERE member_id = ?').run(memberId),
    )
  }

  // --- member key pairs and area keys (schema 6) ---
  getMemberKey(memberId: string): MemberKeyRow | undefined {
    return this.db.prepare('SELECT * FROM member_keys WHERE member_id = ?').get(memberId) as MemberKeyRow | undefined
  }
  listMemberKeys(): MemberKeyRow[] {
    return this.db.prepare('SELECT * FROM member_keys ORDER BY rowid').all() as MemberKeyRow[]
  }
  /** Inserts or replaces a member's key pair. */
  putMemberKey(row: MemberKeyRow): void {
    this.tracked([['memberKeys', this.committed.memberKey, [row.member_id]]], () =>
      this.db
        .prepare(
          'INSERT OR REPLACE INTO member_keys (member_id, public_key, nonce, sealed_secret, recovery_nonce, recovery_sealed, content_floor, sensitive_floor, floor_mac) VALUES (@member_id, @public_key, @nonce, @sealed_secret, @recovery_nonce, @recovery_sealed, @content_floor, @sensitive_floor, @floor_mac)',
        )
        .run({ content_floor: 0, sensitive_floor: 0, floor_mac: null, ...row }),
    )
  }
  deleteMemberKey(memberId: string): void {
    this.tracked([['memberKeys', this.committed.memberKey, [memberId]]], () =>
      this.db.prepare('DELETE FROM member_keys WHERE member_id = ?').run(memberId),
    )
  }
  /** The newest epoch of an area (0 when it has no grant). */
  latestAreaEpoch(area: string): number {
    return (this.s.latestAreaEpoch.get(area) as { epoch: number }).epoch
  }
  /** Every grant of an area (all epochs), oldest epoch first. */
  listAreaKeys(area: string): AreaKeyRow[] {
    return this.db.prepare('SELECT * FROM area_keys WHERE area = ? ORDER BY epoch, rowid').all(area) as AreaKeyRow[]
  }
  /** Inserts or replaces one grant (a pending one is replaced by its sealed form). */
  putAreaKey(row: AreaKeyRow): void {
    this.tracked([['areaKeys', this.committed.areaKey, [row.area, row.epoch, row.member_id]]], () =>
      this.db
        .prepare(
          'INSERT OR REPLACE INTO area_keys (area, epoch, member_id, sealed, intent) VALUES (@area, @epoch, @member_id, @sealed, @intent)',
        )
        .run(row),
    )
  }
  /** Deletes every grant a member has, of every area and epoch. */
  deleteAreaKeysOf(memberId: string): void {
    this.tracked([['areaKeys', this.committed.areaKeysOf, [memberId]]], () =>
      this.db.prepare('DELETE FROM area_keys WHERE member_id = ?').run(memberId),
    )
  }

  /** From now on every change to a committed row is reported to `observer` (null: no longer). */
  setCommittedRowObserver(observer: CommittedRowObserver | null): void {
    this.observer = observer
  }

  // The one way committed rows change: read them before and after `change`, and report the difference.
  // `inserted`: the change is a plain INSERT of that key, so nothing was there before (or the INSERT would have failed).
  private tracked<T>(
    changes: readonly (readonly [CommittedArea, Database.Statement, readonly unknown[], inserted?: 'inserted'])[],
    change: () => T,
  ): T {
    const observer = this.observer
    if (!observer) return change()
    const read = (skipInserted: boolean) =>
      changes.map(([, statement, key, inserted]) =>
        skipInserted && inserted ? [] : (statement.all(...key) as string[]).map((text) => Buffer.from(text)),
      )
    const before = read(true)
    const result = change()
    const after = read(false)
    changes.forEach(([area], index) => observer.rowsChanged(area, before[index]!, after[index]!))
    return result
  }

  /** Runs `fn` in one IMMEDIATE transaction (commit on return, rollback on throw); nested calls are savepoints. */
  runInTransaction<T>(fn: () => T): T {
    const observer = this.observer
    if (!observer) return this.db.transaction(fn).immediate()
    return this.db
      .transaction(() => {
        observer.transactionStarted()
        let result: T
        try {
          result = fn()
        } catch (error) {
          observer.transactionEnded(false)
          throw error
        }
        observer.transactionEnded(true)
        return result
      })
      .immediate()
  }
  insertMeta(vaultId: string, formatVersion: number, createdKdf: { opslimit: number; memlimit: number }): void {
    this.s.insertMeta.run(vaultId, formatVersion, createdKdf.opslimit, createdKdf.memlimit)
  }
  /** Increments and returns the vault-wide change counter (call inside a transaction). */
  takeChangeSeq(): number {
    const row = this.s.nextChangeSeq.get() as { last_change_seq: number } | undefined
    if (!row) throw new CustodiaError('CORRUPT', 'The vault identity row is missing')
    return row.last_change_seq
  }
  insertKeyslot(row: KeyslotRow): void {
    this.tracked([['keyslots', this.committed.keyslot, [row.id], 'inserted']], () => this.s.insertKeyslot.run(row))
  }
  updateKeyslot(row: KeyslotRow): void {
    const changes = this.tracked([['keyslots', this.committed.keyslot, [row.id]]], () => this.s.updateKeyslot.run(row).changes)
    if (changes !== 1) throw new CustodiaError('CORRUPT', 'A keyslot disappeared')
  }
  getRecord(id: string): RecordRow | undefined {
    return this.s.getRecord.get(id) as RecordRow | undefined
  }
  insertRecord(row: RecordRow): void {
    const c = this.committed
    this.tracked(
      [
        ['records', c.record, [row.id], 'inserted'],
        ['tombstones', c.tombstone, [row.id]],
      ],
      () => {
        this.s.insertRecord.run(row.id, row.kind_tag, row.current_revision, row.change_seq)
        this.s.deleteTombstone.run(row.id)
      },
    )
  }
  updateRecord(id: string, revision: number, changeSeq: number): void {
    this.tracked([['records', this.committed.record, [id]]], () => this.s.updateRecord.run(revision, changeSeq, id))
  }
  /**
   * Deletes a record with its revisions, attachment rows and the item keys of all of them, and leaves a tombstone;
   * returns its attachment ids.
   */
  deleteRecord(id: string, changeSeq: number): string[] {
    const attachmentIds = (this.s.listAttachments.all(id) as AttachmentRow[]).map((a) => a.id)
    const c = this.committed
    this.tracked(
      [
        ['attachments', c.attachmentsOf, [id]],
        ['revisions', c.revisionsOf, [id]],
        ['records', c.record, [id]],
        ['tombstones', c.tombstone, [id]],
        ['itemKeys', c.itemKey, ['record', id]],
        ...attachmentIds.map((a) => ['itemKeys', c.itemKey, ['attachment', a]] as const),
      ],
      () => {
        this.s.deleteAttachments.run(id)
        this.s.deleteRevisions.run(id)
        this.s.deleteRecord.run(id)
        this.s.insertTombstone.run(id, changeSeq)
        this.s.deleteItemKey.run('record', id)
        for (const a of attachmentIds) this.s.deleteItemKey.run('attachment', a)
      },
    )
    return attachmentIds
  }
  insertRevision(row: RevisionRow): void {
    this.tracked([['revisions', this.committed.revision, [row.record_id, row.revision], 'inserted']], () => this.s.insertRevision.run(row))
  }
  getRevision(recordId: string, revision: number): RevisionRow | undefined {
    return this.s.getRevision.get(recordId, revision) as RevisionRow | undefined
  }
  listRevisions(recordId: string): RevisionRow[] {
    return this.s.listRevisions.all(recordId) as RevisionRow[]
  }
  /** Current revision of every record (or of one kind tag) with its summary ciphertext, in change order. */
  listCurrent(kindTag?: Buffer): CurrentRecordRow[] {
    return (kindTag ? this.s.listCurrentByKind.all(kindTag) : this.s.listCurrent.all()) as CurrentRecordRow[]
  }
  listChangedSince(changeSeq: number): { id: string; change_seq: number; deleted: number }[] {
    return this.s.changedSince.all(changeSeq, changeSeq) as { id: string; change_seq: number; deleted: number }[]
  }
  insertAttachment(row: AttachmentRow): void {
    this.tracked([['attachments', this.committed.attachment, [row.id], 'inserted']], () => this.s.insertAttachment.run(row))
  }
  getAttachment(id: string): AttachmentRow | undefined {
    return this.s.getAttachment.get(id) as AttachmentRow | undefined
  }
  listAttachments(recordId: string): AttachmentRow[] {
    return this.s.listAttachments.all(recordId) as AttachmentRow[]
  }
  /** Deletes one attachment row and its item key; returns false when there was no row. */
  deleteAttachment(id: string): boolean {
    const c = this.committed
    return this.tracked(
      [
        ['attachments', c.attachment, [id]],
        ['itemKeys', c.itemKey, ['attachment', id]],
      ],
      () => {
        this.s.deleteItemKey.run('attachment', id)
        return this.s.deleteAttachment.run(id).changes === 1
      },
    )
  }

  // --- item keys (schema 5) ---
  getItemKey(kind: ItemKind, id: string): ItemKeyRow | undefined {
    return this.s.getItemKey.get(kind, id) as ItemKeyRow | undefined
  }
  insertItemKey(row: ItemKeyRow): void {
    this.tracked([['itemKeys', this.committed.itemKey, [row.item_kind, row.id], 'inserted']], () => this.s.insertItemKey.run(row))
  }
  /** Replaces an item's wrapped key (the item moved to a newer content epoch); false when it had none. */
  replaceItemKey(row: ItemKeyRow): boolean {
    return this.tracked([['itemKeys', this.committed.itemKey, [row.item_kind, row.id]]], () => this.s.replaceItemKey.run(row).changes === 1)
  }
  /** Replaces the ciphertexts of one revision (re-encryption under the record's item key); false when there was none. */
  rewriteRevision(row: RevisionRow): boolean {
    return this.tracked(
      [['revisions', this.committed.revision, [row.record_id, row.revision]]],
      () => this.s.rewriteRevision.run(row).changes === 1,
    )
  }
  /** Replaces an attachment's blob version and sealed metadata (re-encryption under its item key). */
  rewriteAttachment(row: Pick<AttachmentRow, 'id' | 'blob_version' | 'blob_size' | 'meta_nonce' | 'meta_ct'>): boolean {
    return this.tracked([['attachments', this.committed.attachment, [row.id]]], () => this.s.rewriteAttachment.run(row).changes === 1)
  }
  /** Up to `limit` records after rowid `after` that have no item key yet (a vault being migrated), in rowid order. */
  listRecordsWithoutItemKey(after: number, limit: number): (RecordRow & { row_id: number })[] {
    return this.db
      .prepare(
        `SELECT r.rowid AS row_id, r.* FROM records r WHERE r.rowid > ? AND NOT EXISTS (SELECT 1 FROM item_keys k WHERE k.item_kind = 'record' AND k.id = r.id) ORDER BY r.rowid LIMIT ?`,
      )
      .all(after, limit) as (RecordRow & { row_id: number })[]
  }
  /** The same for attachments. */
  listAttachmentsWithoutItemKey(after: number, limit: number): (AttachmentRow & { row_id: number })[] {
    return this.db
      .prepare(
        `SELECT a.rowid AS row_id, a.* FROM attachments a WHERE a.rowid > ? AND NOT EXISTS (SELECT 1 FROM item_keys k WHERE k.item_kind = 'attachment' AND k.id = a.id) ORDER BY a.rowid LIMIT ?`,
      )
      .all(after, limit) as (AttachmentRow & { row_id: number })[]
  }
  /**
   * True when there are as many record and attachment item keys as records and attachments. Keys are deleted with
   * their items, so equal counts mean every item has its key: a cheap check for every unlock.
   */
  itemKeysCoverAll(): boolean {
    const row = this.db
      .prepare(
        `SELECT (SELECT count(*) FROM records) = (SELECT count(*) FROM item_keys WHERE item_kind = 'record')
            AND (SELECT count(*) FROM attachments) = (SELECT count(*) FROM item_keys WHERE item_kind = 'attachment') AS covered`,
      )
      .get() as { covered: number }
    return row.covered === 1
  }
  /** How many records and attachments still have no item key. */
  countWithoutItemKey(): { records: number; attachments: number } {
    return this.db
      .prepare(
        `SELECT (SELECT count(*) FROM records r WHERE NOT EXISTS (SELECT 1 FROM item_keys k WHERE k.item_kind = 'record' AND k.id = r.id)) AS records,
                (SELECT count(*) FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM item_keys k WHERE k.item_kind = 'attachment' AND k.id = a.id)) AS attachments`,
      )
      .get() as { records: number; attachments: number }
  }
  /**
   * Moves every page of the write-ahead log into the database and truncates the log to zero bytes. Returns false
   * when another connection's read kept part of the log in use (SQLite's busy flag).
   */
  checkpointTruncate(): boolean {
    const [row] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
    return row !== undefined && row.busy === 0
  }
  /** Every record's current revision and how many revision rows it has (the integrity report compares the two). */
  listRecordRevisionCounts(): { id: string; current_revision: number; revisions: number }[] {
    return this.db
      .prepare(
        'SELECT r.id, r.current_revision, count(v.revision) AS revisions FROM records r LEFT JOIN revisions v ON v.record_id = r.id GROUP BY r.id',
      )
      .all() as { id: string; current_revision: number; revisions: number }[]
  }
  listAllAttachmentIds(): Set<string> {
    return new Set((this.s.allAttachmentIds.all() as { id: string }[]).map((r) => r.id))
  }
  getAuditHead(): Buffer | null {
    return (this.s.getAuditHead.get() as { audit_head: Buffer | null } | undefined)?.audit_head ?? null
  }
  setAuditHead(head: Buffer): void {
    this.tracked([['audit', this.committed.audit, []]], () => this.s.setAuditHead.run(head))
  }
  lastAuditEntry(): AuditRow | undefined {
    return this.s.lastAuditEntry.get() as AuditRow | undefined
  }
  insertAuditEntry(row: AuditRow): void {
    this.s.insertAuditEntry.run(row)
  }
  listAuditEntries(): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[]
  }
  /** The entries from `fromSeq` on, in order (sync reads only what it has not looked at yet). */
  listAuditEntriesFrom(fromSeq: number): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(fromSeq) as AuditRow[]
  }
  getSetting(name: string): string | undefined {
    return (this.s.getSetting.get(name) as { value: string } | undefined)?.value
  }
  setSetting(name: string, value: string): void {
    this.tracked([['settings', this.committed.setting, [name]]], () => this.s.setSetting.run(name, value))
  }
  /** The stored accumulators and their MAC (this connection's schema has the columns: it was migrated). */
  readStateDigest(): { digest: Buffer | null; mac: Buffer | null } {
    const row = this.s.readStateDigest.get() as { state_digest: unknown; state_mac: unknown } | undefined
    return {
      digest: Buffer.isBuffer(row?.state_digest) ? row.state_digest : null,
      mac: Buffer.isBuffer(row?.state_mac) ? row.state_mac : null,
    }
  }
  /** Stores the commitment's accumulators and their MAC (vault/stateCommitment.ts; not itself a committed row). */
  writeStateDigest(digest: Buffer, mac: Buffer): void {
    this.s.writeStateDigest.run(digest, mac)
  }
  /** The unkeyed keyslot check and the KDF parameters the vault was created with (null where not recorded). */
  readKeyslotGuard(): { check: Buffer | null; createdKdf: { opslimit: number; memlimit: number } | null } {
    return readKeyslotGuard(this.db)
  }
  writeKeyslotCheck(check: Buffer): void {
    this.db.prepare('UPDATE vault_meta SET keyslot_check = ? WHERE singleton = 1').run(check)
  }
}

/** Members and invitations from any connection (the unlock reads them from a snapshot); [] before schema 4. */
export function readMemberSlots(db: Database.Database): { members: MemberRow[]; invitations: InvitationRow[] } {
  const has = (name: string) =>
    (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) as { n: number }).n > 0
  if (!has('members') || !has('invitations')) return { members: [], invitations: [] }
  try {
    return {
      members: db.prepare('SELECT * FROM members ORDER BY rowid').all() as MemberRow[],
      invitations: db.prepare('SELECT * FROM invitations ORDER BY rowid').all() as InvitationRow[],
    }
  } catch {
    throw new CustodiaError('CORRUPT', "The vault's member list is unreadable")
  }
}

/** As VaultRepository.readKeyslotGuard, for any connection (the unlock reads it from a snapshot before any key). */
export function readKeyslotGuard(db: Database.Database): {
  check: Buffer | null
  createdKdf: { opslimit: number; memlimit: number } | null
} {
  const columns = new Set((db.prepare(`SELECT name FROM pragma_table_info('vault_meta')`).all() as { name: string }[]).map((r) => r.name))
  if (!columns.has('keyslot_check')) return { check: null, createdKdf: null }
  const row = db.prepare('SELECT keyslot_check, created_opslimit, created_memlimit FROM vault_meta WHERE singleton = 1').get() as
    { keyslot_check: unknown; created_opslimit: unknown; created_memlimit: unknown } | undefined
  const ops = row?.created_opslimit
  const mem = row?.created_memlimit
  return {
    check: Buffer.isBuffer(row?.keyslot_check) ? row.keyslot_check : null,
    createdKdf: Number.isSafeInteger(ops) && Number.isSafeInteger(mem) ? { opslimit: ops as number, memlimit: mem as number } : null,
  }
}

/** Every plain setting from any connection (a failed unlock reads the wipe policy from a snapshot); empty before schema 2. */
export function readPlainSettings(db: Database.Database): Map<string, string> {
  const has = (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'settings'`).get() as { n: number }).n
  if (has === 0) return new Map()
  try {
    const rows = db.prepare('SELECT name, value FROM settings').all() as { name: string; value: string }[]
    return new Map(rows.map((row) => [row.name, row.value]))
  } catch {
    throw new CustodiaError('CORRUPT', "The vault's settings are unreadable")
  }
}

/**
 * Destroys keyslots without the vault key (wipe after failed unlocks, or the duress passphrase): in one transaction the
 * wrapped keys of the chosen kinds are overwritten with `randomBytes` of the same length, then their rows and every
 * invitation (each wraps the vault key too) are deleted. The connection must have secure_delete on (openDatabase), so
 * the freed cells are zeroed; the WAL is then checkpointed and truncated, so no copy of a wrapped key stays in the
 * -wal file. Returns how many keyslots were destroyed and whether the checkpoint completed (false when another
 * connection still reads an older snapshot: its frames stay in the WAL until that reader ends).
 */
export function destroyKeyslotRows(
  db: Database.Database,
  kinds: readonly ('passphrase' | 'recovery')[],
  randomBytes: (length: number) => Buffer,
): { destroyed: number; checkpointed: boolean } {
  const marks = kinds.map(() => '?').join(', ')
  const destroyed = db
    .transaction(() => {
      const slots = db.prepare(`SELECT id, nonce, wrapped_key FROM keyslots WHERE kind IN (${marks})`).all(...kinds) as {
        id: string
        nonce: Buffer
        wrapped_key: Buffer
      }[]
      const overwrite = db.prepare('UPDATE keyslots SET nonce = ?, wrapped_key = ? WHERE id = ?')
      for (const slot of slots) overwrite.run(randomBytes(slot.nonce.length), randomBytes(slot.wrapped_key.length), slot.id)
      db.prepare(`DELETE FROM keyslots WHERE kind IN (${marks})`).run(...kinds)
      const hasInvitations = (
        db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'invitations'`).get() as {
          n: number
        }
      ).n
      if (hasInvitations > 0) {
        db.prepare('UPDATE invitations SET nonce = randomblob(length(nonce)), wrapped_key = randomblob(length(wrapped_key))').run()
        db.prepare('DELETE FROM invitations').run()
      }
      return slots.length
    })
    .immediate()
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
  return { destroyed, checkpointed: result !== undefined && result.busy === 0 }
}
