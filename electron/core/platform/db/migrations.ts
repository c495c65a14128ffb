// Main process (Node only): the vault schema as forward-only migrations, tracked in PRAGMA user_version.
// A shipped migration is never edited; a change is a new migration appended to the list.
// Every column holds either an opaque random id, a count/size/sequence number, a format version, KDF parameters,
// or ciphertext: no name, title, tag or word of content is ever stored in the clear.

import type Database from 'better-sqlite3'
import { CustodiaError } from '../../../../shared/errors'

export interface Migration {
  /** The user_version after this migration ran. */
  version: number
  /** What it changes (shown in docs/CRYPTO.md). */
  description: string
  up(db: Database.Database): void
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    // Creates the whole v1 layout: vault identity, keyslots, records with all revisions, deletion tombstones,
    // attachment rows and the audit chain.
    description: 'vault_meta, keyslots, records, revisions, tombstones, attachments, audit_log',
    up(db) {
      db.exec(`
        CREATE TABLE vault_meta (
          singleton       INTEGER PRIMARY KEY CHECK (singleton = 1),
          vault_id        TEXT NOT NULL,             -- 32 hex chars, random
          format_version  INTEGER NOT NULL,          -- envelope/AD format version
          last_change_seq INTEGER NOT NULL DEFAULT 0, -- vault-wide counter behind records.change_seq
          audit_head      BLOB                       -- 32-byte MAC over the newest audit entry (detects a cut tail)
        ) STRICT;
        CREATE TABLE keyslots (
          id          TEXT PRIMARY KEY,              -- 32 hex chars, random
          kind        TEXT NOT NULL CHECK (kind IN ('passphrase', 'recovery')),
          salt        BLOB,                          -- 16 bytes, passphrase slots only
          opslimit    INTEGER,                       -- Argon2id passes, passphrase slots only
          memlimit    INTEGER,                       -- Argon2id memory in bytes, passphrase slots only
          nonce       BLOB NOT NULL,                 -- 24 bytes
          wrapped_key BLOB NOT NULL                  -- 48 bytes: vault key + Poly1305 tag
        ) STRICT;
        CREATE TABLE records (
          id               TEXT PRIMARY KEY,         -- 32 hex chars (random unless the caller chose one)
          kind_tag         BLOB NOT NULL,            -- 16 bytes keyed BLAKE2b of the kind name
          current_revision INTEGER NOT NULL,
          change_seq       INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX records_by_kind ON records (kind_tag);
        CREATE INDEX records_by_change ON records (change_seq);
        CREATE TABLE revisions (
          record_id     TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
          revision      INTEGER NOT NULL,
          summary_nonce BLOB NOT NULL,
          summary_ct    BLOB NOT NULL,
          body_nonce    BLOB NOT NULL,
          body_ct       BLOB NOT NULL,
          PRIMARY KEY (record_id, revision)
        ) STRICT;
        CREATE TABLE tombstones (
          id         TEXT PRIMARY KEY,               -- id of a deleted record, for index catch-up
          change_seq INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX tombstones_by_change ON tombstones (change_seq);
        CREATE TABLE attachments (
          id           TEXT PRIMARY KEY,             -- 32 hex chars, random; blob file is blobs/<id[0..2]>/<id>
          record_id    TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
          blob_version INTEGER NOT NULL,             -- blob format version
          blob_size    INTEGER NOT NULL,             -- ciphertext bytes on disk
          meta_nonce   BLOB NOT NULL,
          meta_ct      BLOB NOT NULL                 -- {filename, mediaType, size, addedAt} encrypted
        ) STRICT;
        CREATE TABLE audit_log (
          seq        INTEGER PRIMARY KEY,            -- 1, 2, 3 ... without gaps
          nonce      BLOB NOT NULL,
          ciphertext BLOB NOT NULL,                  -- {type, at, details} encrypted
          mac        BLOB NOT NULL                   -- 32 bytes, chains to the previous entry
        ) STRICT;
      `)
    },
  },
  {
    version: 2,
    // Adds plaintext settings (only values that reveal no content, e.g. autoLockMinutes) and an index so the
    // attachments of a record are an index lookup rather than a table scan.
    description: 'settings table; attachments_by_record index',
    up(db) {
      db.exec(`
        CREATE TABLE settings (
          name  TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
        CREATE INDEX attachments_by_record ON attachments (record_id);
      `)
    },
  },
  {
    version: 3,
    // Adds the whole-vault state commitment (keyed accumulators over every committed row and their MAC, written by
    // vault/stateCommitment.ts), an unkeyed check over the keyslots (damage is reported as such, not as a wrong
    // passphrase) and the KDF parameters the vault was created with (higher ones need the user's confirmation).
    // For a vault that predates it, the commitment is sealed at the same unlock that migrates, in one transaction.
    description: 'vault_meta: state_digest, state_mac, keyslot_check, created_opslimit, created_memlimit',
    up(db) {
      db.exec(`
        ALTER TABLE vault_meta ADD COLUMN state_digest BLOB;      -- 32-byte accumulator per committed area
        ALTER TABLE vault_meta ADD COLUMN state_mac BLOB;         -- 32-byte keyed MAC over vault id + state_digest
        ALTER TABLE vault_meta ADD COLUMN keyslot_check BLOB;     -- 32-byte BLAKE2b over the keyslots (unkeyed)
        ALTER TABLE vault_meta ADD COLUMN created_opslimit INTEGER;
        ALTER TABLE vault_meta ADD COLUMN created_memlimit INTEGER;
        UPDATE vault_meta SET
          created_opslimit = (SELECT max(opslimit) FROM keyslots WHERE kind = 'passphrase'),
          created_memlimit = (SELECT max(memlimit) FROM keyslots WHERE kind = 'passphrase');
      `)
    },
  },
  {
    version: 4,
    // Adds members (issue #17): each person has their own keyslots, found through `members`, and an admin invites a new
    // member with a one-time code whose wrapped vault key waits in `invitations` until the member joins. Everything
    // about a member (name, e-mail, role, status, public signing key) is sealed in meta_ct; the columns hold random
    // ids, a 1-byte name hint (which keyslot to try for a typed member name: docs/CRYPTO.md), nonces and ciphertext.
    // An existing single-user vault gets one admin member at the same unlock, in one transaction (vault/unlock.ts).
    description: 'members, invitations',
    up(db) {
      db.exec(`
        CREATE TABLE members (
          id               TEXT PRIMARY KEY,         -- 32 hex chars, random
          keyslot_id       TEXT,                     -- the member's passphrase keyslot (NULL before joining and once removed)
          recovery_slot_id TEXT,                     -- the member's recovery keyslot (same)
          name_hint        INTEGER,                  -- 0..255: first byte of BLAKE2b(key = keyslot salt, name)
          meta_nonce       BLOB NOT NULL,
          meta_ct          BLOB NOT NULL,            -- {name, email, role, status, createdAt, signingPublicKey} encrypted
          signing_nonce    BLOB,
          signing_ct       BLOB                      -- Ed25519 seed sealed under the member's passphrase KEK
        ) STRICT;
        CREATE TABLE invitations (
          id          TEXT PRIMARY KEY,              -- 32 hex chars, random
          member_id   TEXT NOT NULL,
          code_hash   BLOB NOT NULL UNIQUE,          -- 32 bytes: BLAKE2b of the code (the code itself is never stored)
          expires_at  INTEGER NOT NULL,              -- ms since 1970 UTC; bound into the wrapped key's AD
          nonce       BLOB NOT NULL,
          wrapped_key BLOB NOT NULL                  -- the vault key wrapped under a key derived from the code
        ) STRICT;
      `)
    },
  },
  {
    version: 5,
    // Adds item keys (issue #16, crypto-shredding): every record and attachment is encrypted under its own random
    // 32-byte key, stored here wrapped (XChaCha20-Poly1305) by the key named in wrapped_by ('vault': the vault's
    // item-key subkey; later an area key for role-restricted data, issue #17). Destroying a row destroys the only way
    // to read that item's ciphertext. Existing records and attachments are re-encrypted under new item keys at the
    // unlock that migrates, in resumable batches (vault/itemKeyMigration.ts); this migration only adds the table.
    description: 'item_keys',
    up(db) {
      db.exec(`
        CREATE TABLE item_keys (
          item_kind   TEXT NOT NULL CHECK (item_kind IN ('record', 'attachment')),
          id          TEXT NOT NULL,                 -- the record's or attachment's id
          wrapped_by  TEXT NOT NULL,                 -- which key wraps it: 'vault' (subkey 11), later an area key id
          nonce       BLOB NOT NULL,                 -- 24 bytes
          wrapped_key BLOB NOT NULL,                 -- 48 bytes: item key + Poly1305 tag
          PRIMARY KEY (item_kind, id)
        ) STRICT;
      `)
    },
  },
  {
    version: 6,
    // Adds keys where roles matter (issue #17, item 3): each member gets an X25519 key pair (public key in clear, secret
    // key sealed under their passphrase KEK and, when it was at hand, their recovery KEK), and area keys — 32 random
    // bytes per area and epoch, e.g. the key of dossiers' sensitive parts — are sealed to the public key of every member
    // whose role may read that area (crypto_box_seal). `sealed` is NULL while the member has no key pair yet; `intent`
    // is a MAC under the area key itself, so only someone who holds the area key can name who should get it.
    // docs/CRYPTO.md §16. Nothing existing is changed here; dossiers move their sensitive parts at an admin's unlock.
    description: 'member_keys, area_keys',
    up(db) {
      db.exec(`
        CREATE TABLE member_keys (
          member_id       TEXT PRIMARY KEY,          -- the member's id
          public_key      BLOB NOT NULL,             -- 32 bytes, X25519
          nonce           BLOB NOT NULL,             -- 24 bytes
          sealed_secret   BLOB NOT NULL,             -- the 32-byte secret key under the passphrase KEK (+ 16-byte tag)
          recovery_nonce  BLOB,
          recovery_sealed BLOB                       -- the same under the recovery KEK (NULL when made without it)
        ) STRICT;
        CREATE TABLE area_keys (
          area      TEXT NOT NULL,                   -- e.g. 'sensitive'
          epoch     INTEGER NOT NULL,                -- 1, 2, …: a new epoch at every removal or loss of access
          member_id TEXT NOT NULL,
          sealed    BLOB,                            -- crypto_box_seal(area key, member's public key): 80 bytes; NULL = pending
          intent    BLOB NOT NULL,                   -- 32 bytes: BLAKE2b-256(key = area key, AD(area, epoch, member))
          PRIMARY KEY (area, epoch, member_id)
        ) STRICT;
        -- The area keys an invitation carries to its member (sealed under the code's KEK), so a legal adviser reads
        -- sensitive parts from their first unlock.
        ALTER TABLE invitations ADD COLUMN area_nonce BLOB;
        ALTER TABLE invitations ADD COLUMN area_sealed BLOB;
      `)
    },
  },
  {
    version: 7,
    // Content epochs (issue #17, item 3; docs/CRYPTO.md §17): removing a member starts a new content key, a row of
    // area_keys with area 'content', and item keys written after it are wrapped under it (item_keys.wrapped_by =
    // 'content:N'). Both tables exist since schema 5 and 6, so nothing is created and nothing re-encrypted: what a vault
    // holds today is content epoch 0 ('vault', the item-key subkey) and stays as it is. The version still moves, so that
    // a Custodia from before does not open the vault and wrap new item keys under the vault key again — keys a removed
    // member kept.
    description: 'content epochs (no table change)',
    up() {},
  },
  {
    version: 8,
    // Content epochs reach member details and the activity log (issue #17, item 3; docs/CRYPTO.md §17): a member row
    // and an audit entry written after a removal are sealed under a key derived from the newest content key, and say
    // which epoch (0: the vault-key subkey, as every row written before). Each member's key pair also records the
    // newest content and sensitive epochs its owner has seen, MACed with their own X25519 secret key, so a vault whose
    // epochs were deleted or rolled back is refused at their unlock instead of writing under a key a removed member
    // kept. Nothing existing is re-encrypted: every existing row is epoch 0, floors start at 0 without a MAC.
    description: 'epochs of member details and audit entries, epoch floors',
    up(db) {
      const columns: [table: string, column: string, definition: string][] = [
        ['members', 'meta_epoch', 'INTEGER NOT NULL DEFAULT 0'], // content epoch of meta_ct's key
        ['audit_log', 'key_epoch', 'INTEGER NOT NULL DEFAULT 0'], // content epoch of the entry's key
        ['member_keys', 'content_floor', 'INTEGER NOT NULL DEFAULT 0'], // newest content epoch its owner has seen
        ['member_keys', 'sensitive_floor', 'INTEGER NOT NULL DEFAULT 0'], // newest sensitive epoch its owner held
        ['member_keys', 'floor_mac', 'BLOB'], // 32 bytes; NULL until first set
      ]
      // Added only where missing: a vault whose user_version was set back by hand (as the migration tests do) keeps its
      // columns and its data.
      for (const [table, column, definition] of columns) {
        const existing = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]
        if (!existing.some((row) => row.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`)
      }
    },
  },
]

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

/** Reads PRAGMA user_version. */
export function readSchemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Runs every migration above the database's user_version up to `target` (default: latest), each in its own
 * transaction together with its user_version bump, so a crash leaves the schema at a whole version.
 * A database newer than this build → UNSUPPORTED (nothing changed).
 */
export function migrateDatabase(db: Database.Database, target = SCHEMA_VERSION): number {
  const current = readSchemaVersion(db)
  if (current > SCHEMA_VERSION) {
    throw new CustodiaError('UNSUPPORTED', 'This vault was written by a newer version of Custodia')
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue
    db.transaction(() => {
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
  return readSchemaVersion(db)
}
