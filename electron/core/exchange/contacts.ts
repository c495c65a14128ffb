// Main process / CLI (Node only): the contacts book — partners' public identities (age recipient, Ed25519 signing
// key), each a vault record of kind 'contact', with a `verified` flag the user sets after comparing fingerprints.
import { CustodiaError } from '../../../shared/errors'
import type { Vault } from '../vault/vault'
import { buildPublicIdentity, describeOwnIdentity, type PublicIdentity } from './identity'

export const CONTACT_RECORD_KIND = 'contact'
const ID_PATTERN = /^[0-9a-f]{32}$/

export interface Contact extends PublicIdentity {
  readonly id: string
  readonly verified: boolean
  readonly addedAt: string
}

interface ContactBody {
  v: 1
  name: string
  organisation: string
  recipient: string
  signingKey: string
  verified: boolean
  addedAt: string
}

function readContact(vault: Vault, id: string): Contact {
  const record = vault.getRecord<ContactBody>(id)
  if (record.kind !== CONTACT_RECORD_KIND) throw new CustodiaError('NOT_FOUND', 'No contact with this id')
  const b = record.body
  let identity: PublicIdentity
  try {
    identity = buildPublicIdentity({ name: b.name, organisation: b.organisation, recipient: b.recipient, signingKey: b.signingKey })
  } catch {
    throw new CustodiaError('CORRUPT', 'A stored contact is malformed')
  }
  return { ...identity, id, verified: b.verified === true, addedAt: typeof b.addedAt === 'string' ? b.addedAt : record.createdAt }
}

function requireContactId(vault: Vault, id: string): void {
  if (typeof id !== 'string' || !ID_PATTERN.test(id) || !vault.hasRecord(id))
    throw new CustodiaError('NOT_FOUND', 'No contact with this id')
}

/** Every contact, by name. */
export function listContacts(vault: Vault): Contact[] {
  return vault
    .listRecords({ kind: CONTACT_RECORD_KIND })
    .map((r) => readContact(vault, r.id))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

export function getContact(vault: Vault, id: string): Contact {
  requireContactId(vault, id)
  return readContact(vault, id)
}

/**
 * Adds a contact from a public identity (parsed with parseIdentityFile or typed in). New contacts are NOT verified
 * unless `verified` is given (the user compared the fingerprint). CONFLICT when the signing key or recipient is
 * already a contact, or is our own. Logs `contact.added` (id and fingerprint).
 */
export function addContact(
  vault: Vault,
  input: { name: string; organisation?: string; recipient: string; signingKey: string; fingerprint?: string },
  opts: { verified?: boolean } = {},
): Contact {
  const identity = buildPublicIdentity(input)
  const own = describeOwnIdentity(vault)
  if (own.signingKey === identity.signingKey || own.recipient === identity.recipient) {
    throw new CustodiaError('CONFLICT', 'This is the identity of this vault itself')
  }
  for (const c of listContacts(vault)) {
    if (c.signingKey === identity.signingKey || c.recipient === identity.recipient) {
      throw new CustodiaError('CONFLICT', 'This identity is already in your contacts')
    }
    if (c.name.toLowerCase() === identity.name.toLowerCase()) {
      throw new CustodiaError('CONFLICT', 'A contact with this name already exists: names must tell contacts apart')
    }
  }
  const body: ContactBody = {
    v: 1,
    name: identity.name,
    organisation: identity.organisation,
    recipient: identity.recipient,
    signingKey: identity.signingKey,
    verified: opts.verified === true,
    addedAt: new Date().toISOString(),
  }
  const ref = vault.createRecord(CONTACT_RECORD_KIND, { summary: { v: 1, name: identity.name }, body })
  vault.audit.append('contact.added', { contactId: ref.id, fingerprint: identity.fingerprint, verified: body.verified })
  return readContact(vault, ref.id)
}

/** Sets or clears `verified` (after comparing fingerprints by phone). Logs `contact.verified`. NOT_FOUND. */
export function setContactVerified(vault: Vault, id: string, verified: boolean): Contact {
  requireContactId(vault, id)
  const record = vault.getRecord<ContactBody>(id)
  if (record.kind !== CONTACT_RECORD_KIND) throw new CustodiaError('NOT_FOUND', 'No contact with this id')
  vault.updateRecord(id, { summary: record.summary, body: { ...record.body, verified } })
  vault.audit.append('contact.verified', { contactId: id, verified })
  return readContact(vault, id)
}

/** Removes a contact. Logs `contact.removed`. NOT_FOUND. */
export function removeContact(vault: Vault, id: string): void {
  getContact(vault, id)
  vault.deleteRecord(id)
  vault.audit.append('contact.removed', { contactId: id })
}

/** The contact holding this raw Ed25519 public key, if any. */
export function findContactBySigningKey(vault: Vault, publicKey: Uint8Array): Contact | null {
  const b64 = Buffer.from(publicKey).toString('base64')
  return listContacts(vault).find((c) => c.signingKey === b64) ?? null
}

/** A contact by exact id, or by name (case-insensitive). NOT_FOUND naming nothing from the input. */
export function findContact(vault: Vault, nameOrId: string): Contact {
  const wanted = nameOrId.trim().toLowerCase()
  const found = listContacts(vault).find((c) => c.id === nameOrId || c.name.toLowerCase() === wanted)
  if (!found) throw new CustodiaError('NOT_FOUND', 'No contact with this name')
  return found
}
