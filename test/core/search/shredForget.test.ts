// Core test (Node): shredding through the session makes the search index forget the record at once (no search finds
// it, before any catch-up), and the encrypted snapshot on disk is written again without it: decrypted, it holds none of
// the record's words and not its id. A session without an index removes the snapshot file instead.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createDocument } from '../../../electron/core/library/documentService'
import { shredItem } from '../../../electron/core/library/shredItem'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { getSnapshotPath, readSnapshot } from '../../../electron/core/search/snapshot'
import { createSearchExtractors, SearchService } from '../../../electron/core/search/searchService'
import { VaultSession } from '../../../electron/core/session/vaultSession'
import { MIN_KDF } from '../../../electron/core/vault/vault'
import { createTempDir } from '../../helpers/vaultTestUtils'

const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
const PASSPHRASE = 'correct horse battery staple'

let sodium: Awaited<ReturnType<typeof loadSodium>>

async function makeSession(withSearch: boolean): Promise<VaultSession> {
  sodium = await loadSodium('native')
  return new VaultSession({
    sodium,
    kdf: MIN_KDF,
    openSearch: withSearch ? (vault) => SearchService.open(vault, { sodium, extractors: createSearchExtractors() }) : undefined,
  })
}

function snapshotPlaintext(session: VaultSession, dir: string): string {
  const vault = session.requireVault()
  const read = readSnapshot(dir, sodium, vault.getSearchIndexKey(), vault.vaultId)
  if (read.status !== 'loaded') throw new Error(`snapshot ${read.status}`)
  return read.plain.toString('latin1')
}

describe('shredding and the search index', () => {
  it('forgets the record at once and rewrites the snapshot without it', async () => {
    const word = `zorvex${randomBytes(4).toString('hex')}`
    const dir = path.join(root, 'with-search')
    const session = await makeSession(true)
    await session.create(dir, PASSPHRASE)
    const vault = session.requireVault()
    const doomed = createDocument(vault, { kind: 'letter', title: `About ${word}`, date: '2025-01-02', text: `${word} was detained.` })
    const kept = createDocument(vault, { kind: 'letter', title: 'Kept letter', date: '2025-01-03', text: `Nothing about it.` })
    const engine = await session.requireSearch()
    expect(engine.search(word).hits.map((h) => h.id)).toEqual([doomed.id])
    engine.close()
    session.lock('user')
    await session.unlock(dir, PASSPHRASE)
    // The index's own table holds each record's id in clear (terms are prefix-compressed, so the id is the marker).
    expect(snapshotPlaintext(session, dir)).toContain(doomed.id)

    await shredItem(session, doomed.id)
    const after = await session.requireSearch()
    expect(after.search(word).hits).toEqual([])
    expect(after.search('Kept').hits.map((h) => h.id)).toEqual([kept.id])
    const plain = snapshotPlaintext(session, dir)
    expect(plain).not.toContain(word)
    expect(plain).not.toContain(doomed.id)
    session.lock('user')
  })

  it('removes the snapshot file when the session has no index open', async () => {
    const dir = path.join(root, 'no-search')
    const indexed = await makeSession(true)
    await indexed.create(dir, PASSPHRASE)
    const id = createDocument(indexed.requireVault(), { kind: 'letter', title: 'Gone', date: '2025-01-02', text: 'gone' }).id
    await indexed.requireSearch()
    indexed.lock('user')
    expect(fs.existsSync(getSnapshotPath(dir))).toBe(true)
    const plain = await makeSession(false)
    await plain.unlock(dir, PASSPHRASE)
    await shredItem(plain, id)
    expect(fs.existsSync(getSnapshotPath(dir))).toBe(false)
    plain.lock('user')
  })
})
