// Main process / CLI (Node only): where a record here came from — each import that stored it (from the import ledger)
// with the partner whose key signed the bundle, named from the contacts book.
import { listContacts } from './contacts'
import { listRecordImports, type RecordImport } from './importLedger'
import type { Vault } from '../vault/vault'

export interface RecordOrigin extends RecordImport {
  /** The contact whose signing key signed the bundle; null when it is not (or no longer) among the contacts. */
  readonly partner: { readonly name: string; readonly organisation: string; readonly verified: boolean } | null
}

/** Every import that stored `recordId` here, newest first, with its partner; empty for a record made here. */
export function listRecordOrigins(vault: Vault, recordId: string): RecordOrigin[] {
  const imports = listRecordImports(vault, recordId)
  if (imports.length === 0) return []
  const contacts = listContacts(vault)
  return imports.map((origin) => {
    const contact = contacts.find((c) => c.fingerprint === origin.signer)
    return {
      ...origin,
      partner: contact ? { name: contact.name, organisation: contact.organisation, verified: contact.verified } : null,
    }
  })
}
