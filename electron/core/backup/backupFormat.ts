// Main process / CLI (core, Node only): the backup folder's layout and its manifest — a strict schema, the canonical
// bytes the MAC covers, and the MAC itself (keyed BLAKE2b-256 under the vault's backup-manifest subkey, id 9).
// Format and threat model: docs/CRYPTO.md section 11.
import { timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import { CustodiaError } from '../../../shared/errors'
import { buildAssociatedData } from '../platform/crypto/keys'
import type { SodiumBackend } from '../platform/crypto/sodium'

export const BACKUP_FORMAT = 'custodia-backup'
export const BACKUP_VERSION = 1
/** The file at the top of a backup folder that says whose backups it holds: {format, version, vaultId}. */
export const OWNER_FILE = 'custodia-backup.json'
/** Content-addressed copies: objects/<first two hex chars>/<SHA-256 hex of the bytes>. */
export const OBJECTS_DIR = 'objects'
/** One signed manifest per backup run, named so that sorting by name sorts by time. */
export const MANIFESTS_DIR = 'manifests'
/** Files being written; emptied at the start of every backup run. */
export const BACKUP_TMP_DIR = 'tmp'
/** A manifest's file name: UTC time (ISO 8601 with - for :) and 8 random hex chars. */
export const MANIFEST_NAME = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[0-9a-f]{8}\.json$/
/** A manifest is a few hundred bytes per attachment; anything much larger is not one of ours. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024

const sha256 = z.string().regex(/^[0-9a-f]{64}$/)
const id = z.string().regex(/^[0-9a-f]{32}$/)
const size = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const ManifestSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  vaultId: id,
  createdAt: z.iso.datetime(),
  schemaVersion: z.number().int().min(1).max(1000),
  /** The activity log at the time: its length and head (a vault whose log is shorter later was rolled back). */
  audit: z.strictObject({ entries: size, head: sha256.nullable() }),
  database: z.strictObject({ sha256, size }),
  attachments: z.array(z.strictObject({ id, blobVersion: z.number().int().min(1).max(1000), size, sha256 })).max(10_000_000),
  /** BLAKE2b-256 keyed with subkey 9 over AD("backup.manifest", vaultId, version) ‖ canonicalManifestBytes: 64 hex. */
  mac: sha256,
})
export type BackupManifest = z.infer<typeof ManifestSchema>
export type UnsignedManifest = Omit<BackupManifest, 'mac'>

export const OwnerSchema = z.strictObject({ format: z.literal(BACKUP_FORMAT), version: z.literal(BACKUP_VERSION), vaultId: id })

/** objects/<xx>/<hash>, relative to the backup folder (also how a damaged item is named to the user). */
export function objectPath(hash: string): string {
  return `${OBJECTS_DIR}/${hash.slice(0, 2)}/${hash}`
}

/**
 * The exact bytes the MAC covers: the manifest's fields in one fixed order, rebuilt from the parsed values, so the
 * order or spacing of the file's JSON never matters (UTF-8 JSON of ASCII-only values).
 */
export function canonicalManifestBytes(m: UnsignedManifest): Buffer {
  const canonical = {
    format: m.format,
    version: m.version,
    vaultId: m.vaultId,
    createdAt: m.createdAt,
    schemaVersion: m.schemaVersion,
    audit: { entries: m.audit.entries, head: m.audit.head },
    database: { sha256: m.database.sha256, size: m.database.size },
    attachments: m.attachments.map((a) => ({ id: a.id, blobVersion: a.blobVersion, size: a.size, sha256: a.sha256 })),
  }
  return Buffer.from(JSON.stringify(canonical), 'utf8')
}

/** The manifest's MAC: 32 bytes. `key` is the 32-byte backup-manifest subkey of the manifest's vault. */
export function computeManifestMac(sodium: SodiumBackend, key: Uint8Array, m: UnsignedManifest): Buffer {
  const ad = buildAssociatedData('backup.manifest', m.vaultId, m.version)
  return sodium.generichash(32, Buffer.concat([ad, canonicalManifestBytes(m)]), key)
}

/** Adds the MAC; the result is what a manifest file holds (as indented JSON). */
export function signManifest(sodium: SodiumBackend, key: Uint8Array, m: UnsignedManifest): BackupManifest {
  return { ...m, mac: computeManifestMac(sodium, key, m).toString('hex') }
}

/** True when the manifest's MAC verifies under `key` (constant-time compare). */
export function manifestMacMatches(sodium: SodiumBackend, key: Uint8Array, m: BackupManifest): boolean {
  const expected = computeManifestMac(sodium, key, m)
  const given = Buffer.from(m.mac, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * Parses a manifest file's bytes. Not JSON, or not our schema (a cut-off copy, a stray file) → CORRUPT naming the
 * file; the MAC is checked later, once the passphrase has given the key.
 */
export function parseManifest(bytes: Buffer, name: string): BackupManifest {
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch {
    throw new CustodiaError('CORRUPT', `The backup's list of files (${MANIFESTS_DIR}/${name}) is damaged or incomplete.`)
  }
  const parsed = ManifestSchema.safeParse(json)
  if (!parsed.success)
    throw new CustodiaError('CORRUPT', `The backup's list of files (${MANIFESTS_DIR}/${name}) is not one Custodia wrote.`)
  return parsed.data
}

/** A manifest's file name for a backup made at `createdAt` (ISO 8601), with 8 random hex chars. */
export function manifestFileName(createdAt: string, random: string): string {
  return `${createdAt.replace(/:/g, '-').replace('.', '-')}-${random}.json`
}
