// Test helper (Node): two real vaults in a temp folder, sample documents and dossiers, and identity exchange.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createDocument } from '../../../electron/core/library/documentService'
import { createDossier } from '../../../electron/core/dossiers/dossierService'
import { formatFingerprint } from '../../../electron/core/exchange/bundle/manifest'
import { addContact } from '../../../electron/core/exchange/contacts'
import { exportOwnIdentityFile, loadOwnIdentity, disposeIdentity, parseIdentityFile } from '../../../electron/core/exchange/identity'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import type { DossierInput } from '../../../shared/dossiers/dossier'
import { buildTar, encryptToFile, signBytes } from './bundle/helpers'

export const PASSPHRASE = 'correct horse battery staple'

export function makeTempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
}

export async function makeVault(root: string, name: string, organisation: string): Promise<Vault> {
  const { vault } = await createVault(path.join(root, name), Buffer.from(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  disposeIdentity(loadOwnIdentity(vault, { name, organisation }))
  return vault
}

/** Each vault adds the other from its public identity file (as sent by mail), verified or not. */
export function exchangeIdentities(a: Vault, b: Vault, verified = true): { bInA: string; aInB: string } {
  const bInA = addContact(a, parseIdentityFile(exportOwnIdentityFile(b)), { verified }).id
  const aInB = addContact(b, parseIdentityFile(exportOwnIdentityFile(a)), { verified }).id
  return { bInA, aInB }
}

export function addDocument(vault: Vault, title: string, text: string, kind: 'letter' | 'note' = 'letter'): string {
  return createDocument(vault, {
    kind,
    title,
    date: '2026-05-12',
    text,
    recipients: [{ name: 'Minister of Justice', organisation: 'Ministry' }],
    tags: ['appeal'],
  }).id
}

export function addDossier(
  vault: Vault,
  name: string,
  consent: 'internal' | 'partners' | 'public',
  extra: Partial<DossierInput> = {},
): string {
  return createDossier(vault, {
    names: { original: name },
    category: 'political-prisoner',
    consent,
    sharePartners: consent === 'partners' ? ['Partner Org'] : [],
    statusHistory: [{ date: '2023-03-03', status: 'detained' }],
    family: { contacts: [{ name: `${name} Sister`, relation: 'sister', phone: '+375 29 000 0000' }] },
    vulnerability: { ill: true, medicalNote: `${name} needs insulin` },
    sources: [{ id: 'src1', type: 'person', name: `${name} Source` }],
    ...extra,
  }).id
}

export function writeRandomFile(dir: string, name: string, size: number): { file: string; bytes: Buffer } {
  const bytes = crypto.randomBytes(size)
  const file = path.join(dir, name)
  fs.writeFileSync(file, bytes)
  return { file, bytes }
}

export function sha256(data: Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex')
}

/** One item of a bundle made by hand: a record as Custodia writes it (or `record` as given), with attachments. */
export interface CraftedItem {
  kind: string
  id: string
  body: unknown
  revision?: number
  /** Replaces the whole record JSON (for records that are not even shaped like ours). */
  record?: unknown
  attachments?: { attachmentId: string; filename: string; bytes: Uint8Array }[]
}

/**
 * Writes a signed bundle from `sender` (its own identity: a contact of the recipient after exchangeIdentities) to
 * `recipient` holding exactly these items — what a partner's modified or buggy program could send. Built by hand
 * (tar, manifest, signature, age) rather than with writeBundle, because records nested deeper than JSON.stringify
 * can write are part of what is sent; the reader's JSON.parse takes them. `createdAt` differs per call unless given,
 * so every bundle has its own id.
 */
export async function writeCraftedBundle(
  sender: Vault,
  recipient: Vault,
  items: readonly CraftedItem[],
  outPath: string,
  createdAt?: Date,
): Promise<string> {
  const own = loadOwnIdentity(sender)
  const to = loadOwnIdentity(recipient)
  disposeIdentity(to)
  try {
    const files: { name: string; data: Buffer }[] = []
    const manifestItems = items.map((item) => {
      const revision = item.revision ?? 1
      const at = '2026-05-12T10:00:00.000Z'
      const record = item.record ?? {
        format: 'custodia-record',
        version: 1,
        kind: item.kind,
        id: item.id,
        revision,
        createdAt: at,
        savedAt: at,
        summary: {},
        body: item.body,
      }
      const recordFile = { name: `records/${item.id}.json`, data: Buffer.from(stringifyDeep(record), 'utf8') }
      const attachmentFiles = (item.attachments ?? []).map((a) => ({ name: `files/${a.attachmentId}`, data: Buffer.from(a.bytes), a }))
      files.push(recordFile, ...attachmentFiles)
      return {
        kind: item.kind,
        id: item.id,
        revision,
        consent: 'partners',
        files: [
          { path: recordFile.name, sha256: sha256(recordFile.data), size: recordFile.data.length, role: 'record' },
          ...attachmentFiles.map((f) => ({
            path: f.name,
            sha256: sha256(f.data),
            size: f.data.length,
            role: 'attachment',
            filename: f.a.filename,
            mediaType: 'application/octet-stream',
          })),
        ],
      }
    })
    const signingPublicKey = Buffer.from(own.signingPublicKey)
    const manifest = Buffer.from(
      JSON.stringify({
        format: 'custodia-bundle',
        version: 1,
        createdAt: (createdAt ?? new Date(Date.now() + craftedCount++ * 1000)).toISOString(),
        sender: {
          name: 'Crafted Sender',
          signingKey: signingPublicKey.toString('base64'),
          fingerprint: formatFingerprint(signingPublicKey),
        },
        recipients: [],
        items: manifestItems,
      }),
      'utf8',
    )
    const signature = signBytes(manifest, Buffer.from(own.signingSecretKey).subarray(0, 32))
    const tar = buildTar([{ name: 'manifest.json', data: manifest }, { name: 'manifest.sig', data: signature }, ...files])
    await encryptToFile(tar, to.recipient, outPath)
  } finally {
    disposeIdentity(own)
  }
  return outPath
}
let craftedCount = 0

/** JSON.stringify without recursion, for trees nested deeper than V8's own serialiser can go (same output otherwise). */
export function stringifyDeep(root: unknown): string {
  const out: string[] = []
  const literal = (text: string) => ({ [LITERAL]: text })
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if (value !== null && typeof value === 'object' && LITERAL in value) {
      out.push((value as Record<typeof LITERAL, string>)[LITERAL])
      continue
    }
    let parts: unknown[]
    if (Array.isArray(value)) {
      parts = [literal('[')]
      value.forEach((v, i) => parts.push(...(i > 0 ? [literal(',')] : []), v === undefined ? null : v))
      parts.push(literal(']'))
    } else if (value !== null && typeof value === 'object') {
      parts = [literal('{')]
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .forEach(([k, v], i) => parts.push(literal(`${i > 0 ? ',' : ''}${JSON.stringify(k)}:`), v))
      parts.push(literal('}'))
    } else {
      out.push(JSON.stringify(value) ?? 'null')
      continue
    }
    for (let i = parts.length - 1; i >= 0; i--) stack.push(parts[i])
  }
  return out.join('')
}
const LITERAL = Symbol('literal JSON text')

/** Every file under the vault's blob store (relative paths, sorted). */
export function listBlobFiles(vault: Vault): string[] {
  const dir = path.join(vault.dir, 'blobs')
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => fs.statSync(path.join(dir, p)).isFile())
    .sort()
}
