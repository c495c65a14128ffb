// Test helper (Node): two real vaults in a temp folder, sample documents and dossiers, and identity exchange.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createDocument } from '../../../electron/core/library/documentService'
import { createDossier } from '../../../electron/core/dossiers/dossierService'
import { addContact } from '../../../electron/core/exchange/contacts'
import { exportOwnIdentityFile, loadOwnIdentity, disposeIdentity, parseIdentityFile } from '../../../electron/core/exchange/identity'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import type { DossierInput } from '../../../shared/dossiers/dossier'

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
