// Tests (core, Node): an import records where each record came from — real vaults, a real signed bundle — and that
// origin is retrievable per record: the bundle, the partner who signed it (from the contacts book), when, which
// revision; every later import of the same record is listed too, newest first; a record made here has none.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateDocument } from '../../../electron/core/library/documentService'
import { removeContact } from '../../../electron/core/exchange/contacts'
import { exportBundle } from '../../../electron/core/exchange/exportService'
import { describeOwnIdentity } from '../../../electron/core/exchange/identity'
import { importBundleItems, openBundleForImport } from '../../../electron/core/exchange/importService'
import { IMPORT_LEDGER_RECORD_KIND } from '../../../electron/core/exchange/importLedger'
import { listRecordOrigins } from '../../../electron/core/exchange/recordOrigins'
import type { Vault } from '../../../electron/core/vault/vault'
import { addDocument, addDossier, exchangeIdentities, makeTempDir, makeVault } from './helpers'

let root: string
let a: Vault
let b: Vault
let bInA: string
let aInB: string

beforeAll(async () => {
  root = makeTempDir()
  a = await makeVault(root, 'Viasna', 'Human Rights Centre Viasna')
  b = await makeVault(root, 'Partner', 'Partner Org')
  ;({ bInA, aInB } = exchangeIdentities(a, b))
})
afterAll(() => {
  a.lock()
  b.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

async function sendToB(recordIds: string[], name: string, asRevisions = false) {
  const file = path.join(root, `${name}.custodia`)
  await exportBundle(a, { selection: { recordIds }, contactIds: [bInA], profile: 'full' }, { outPath: file })
  const opened = await openBundleForImport(b, file)
  try {
    await importBundleItems(b, opened, { asRevisions })
    return opened.preview.bundleId
  } finally {
    await opened.dispose()
  }
}

describe('where an imported record came from', () => {
  it('names the bundle, the partner who signed it, when, and the revision, for each imported record', async () => {
    const letter = addDocument(a, 'Appeal for Ales', 'We urge the release of Ales.')
    const dossier = addDossier(a, 'Partner Person', 'partners')
    const before = new Date().toISOString()
    const bundleId = await sendToB([letter, dossier], 'first')
    const after = new Date().toISOString()

    const origins = listRecordOrigins(b, letter)
    expect(origins).toEqual([
      {
        bundleId,
        signer: describeOwnIdentity(a).fingerprint,
        senderName: 'Viasna (Human Rights Centre Viasna)',
        importedAt: expect.any(String),
        itemId: letter,
        revision: 1,
        itemsInImport: 2,
        partner: { name: 'Viasna', organisation: 'Human Rights Centre Viasna', verified: true },
      },
    ])
    expect(origins[0]!.importedAt >= before && origins[0]!.importedAt <= after).toBe(true)
    expect(listRecordOrigins(b, dossier)).toEqual([expect.objectContaining({ bundleId, itemId: dossier, itemsInImport: 2 })])

    // A record made here has no origin.
    expect(listRecordOrigins(b, addDocument(b, 'Our own note', 'Written here.', 'note'))).toEqual([])
  })

  it('lists a later import of the same record first, and a signer no longer among the contacts without a name', async () => {
    const letter = addDocument(a, 'Second appeal', 'First version.')
    const firstBundle = await sendToB([letter], 'second-1')
    updateDocument(a, letter, { kind: 'letter', title: 'Second appeal', date: '2026-05-12', text: 'Second version.' })
    const secondBundle = await sendToB([letter], 'second-2', true)

    expect(listRecordOrigins(b, letter).map((o) => [o.bundleId, o.revision])).toEqual([
      [secondBundle, 2],
      [firstBundle, 1],
    ])
    removeContact(b, aInB)
    expect(listRecordOrigins(b, letter).map((o) => o.partner)).toEqual([null, null])
    // The name the bundles gave their sender is kept in the ledger, so the origin can still say who it was.
    expect(listRecordOrigins(b, letter).map((o) => o.senderName)).toEqual([
      'Viasna (Human Rights Centre Viasna)',
      'Viasna (Human Rights Centre Viasna)',
    ])
  })

  it('reads a ledger entry written before the sender name was kept, naming no sender', () => {
    const record = addDocument(b, 'Imported long ago', 'From an older version.')
    const at = '2026-11-01T08:00:00.000Z'
    const entry = { v: 1, bundleId: 'f'.repeat(64), signer: describeOwnIdentity(a).fingerprint }
    b.createRecord(IMPORT_LEDGER_RECORD_KIND, {
      summary: { ...entry, firstImportedAt: at },
      body: { ...entry, imports: [{ at, items: [{ item: 'e'.repeat(32), record, revision: 1 }] }] },
    })
    expect(listRecordOrigins(b, record)).toEqual([expect.objectContaining({ bundleId: entry.bundleId, senderName: null, importedAt: at })])
  })
})
