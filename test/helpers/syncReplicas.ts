// Test helper (Node): replicas of one sync team on real vault files and a plain shared folder — no sync engine needed
// for the format and merge tests; the Syncthing test uses the same helpers beside real `syncthing serve` instances.
import fs from 'node:fs'
import path from 'node:path'
import { createDocument } from '../../electron/core/library/documentService'
import { loadSodium, type SodiumBackend } from '../../electron/core/platform/crypto/sodium'
import { createSyncInvitation, initSyncTeam, joinSyncTeam, type SyncContext } from '../../electron/core/sync/syncEngine'
import { createVault, MIN_KDF, type Vault } from '../../electron/core/vault/vault'
import type { LibraryDocumentInput } from '../../shared/library/document'
import type { Role } from '../../shared/members/roles'

export const SYNC_TEST_PASSPHRASE = 'sync test passphrase, long enough'

let sodiumPromise: Promise<SodiumBackend> | null = null
export function testSodium(): Promise<SodiumBackend> {
  sodiumPromise ??= loadSodium('native')
  return sodiumPromise
}

export async function makeVault(dir: string, adminName: string): Promise<Vault> {
  const { vault } = await createVault(dir, Buffer.from(SYNC_TEST_PASSPHRASE, 'utf8'), { kdf: MIN_KDF, adminName })
  return vault
}

export function letter(title: string, text: string): LibraryDocumentInput {
  return { kind: 'letter', title, date: '2026-11-30', text, language: 'en', status: 'draft' }
}

/** Creates a team on a new vault in `<work>/<name>` sharing `folder`. */
export async function makeFirstReplica(work: string, name: string, folder: string): Promise<SyncContext> {
  const ctx: SyncContext = { vault: await makeVault(path.join(work, name), name), sodium: await testSodium() }
  initSyncTeam(ctx, folder)
  return ctx
}

/** Invites and joins a new replica in `<work>/<name>` through an invitation file, as the CLI does. */
export async function makeJoinedReplica(
  work: string,
  inviter: SyncContext,
  name: string,
  folder: string,
  role: Role = 'secretariat',
): Promise<SyncContext> {
  const invitation = createSyncInvitation(inviter, { member: name, role })
  const file = path.join(work, `${name}.invitation`)
  fs.writeFileSync(file, invitation.file)
  const ctx: SyncContext = { vault: await makeVault(path.join(work, name), name), sodium: await testSodium() }
  joinSyncTeam(ctx, fs.readFileSync(file), invitation.code, folder)
  return ctx
}

/**
 * Two offices sharing `<dir>/shared` (made if missing): Anna's first replica and Bohdan's, joined with `role`.
 */
export async function makeTwoOffices(
  dir: string,
  role: Role = 'secretariat',
): Promise<{ dir: string; folder: string; a: SyncContext; b: SyncContext }> {
  const folder = path.join(dir, 'shared')
  fs.mkdirSync(folder, { recursive: true })
  const a = await makeFirstReplica(dir, 'Anna', folder)
  const b = await makeJoinedReplica(dir, a, 'Bohdan', folder, role)
  return { dir, folder, a, b }
}

/** The library documents of a replica: id → current body, for comparing replicas. */
export function documentsOf(ctx: SyncContext): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const kind of ['letter', 'correspondence', 'statement', 'note'])
    for (const row of ctx.vault.listRecords({ kind })) out[row.id] = ctx.vault.getRecord(row.id).body
  return out
}

export function addLetter(ctx: SyncContext, title: string, text: string): string {
  return createDocument(ctx.vault, letter(title, text)).id
}

/** Encrypts `bytes` into the vault as an attachment of `recordId`; returns its id. */
export async function attachBytes(ctx: SyncContext, recordId: string, bytes: Buffer, filename = 'scan.pdf'): Promise<string> {
  const source = (async function* () {
    for (let offset = 0; offset < bytes.length; offset += 1 << 20) yield bytes.subarray(offset, offset + (1 << 20))
  })()
  return (await ctx.vault.addAttachmentFromStream(recordId, source, { filename, mediaType: 'application/pdf' })).id
}

/** An attachment's plaintext, read back through the vault (any size). */
export async function attachmentBytes(ctx: SyncContext, attachmentId: string): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const chunk of ctx.vault.openAttachmentStream(attachmentId)) parts.push(Buffer.from(chunk))
  return Buffer.concat(parts)
}
