// Core test (Node): the encrypted index snapshot — round trip without a rebuild, catch-up of what changed while it
// was closed, discarding a tampered / foreign / other-format / too-new snapshot, and no plaintext in the file.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { foldForSearch } from '../../../shared/text/fold'
import { createDocument } from '../../../electron/core/library/documentService'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { createSearchExtractors, SearchService, type SearchResult } from '../../../electron/core/search/searchService'
import { getSnapshotPath } from '../../../electron/core/search/snapshot'
import { createVault, MIN_KDF, openVault, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, findMarkersInTree, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'
import { CORPUS, createCorpus } from './searchHelpers'

/** The library-document built-ins (these tests index documents and kinds without an extractor). */
const extractors = createSearchExtractors()

const root = createTempDir()
let sodium: SodiumBackend
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))
beforeAll(async () => {
  sodium = await loadSodium('native')
})

const QUERIES = ['Bialiatski', 'Stoere', 'prison', '"penal colony"', 'Lubin*', '', '-prison']
const CORPUS_SIZE = Object.keys(CORPUS).length

function runQueries(search: SearchService): SearchResult[] {
  return QUERIES.map((q) => ({ ...search.search(q), tookMs: 0 }))
}

async function createIndexedVault(name: string): Promise<{ dir: string; vault: Vault; ids: ReturnType<typeof createCorpus> }> {
  const dir = path.join(root, name)
  const { vault } = await createVault(dir, TEST_PASSPHRASE, { sodium, kdf: MIN_KDF })
  return { dir, vault, ids: createCorpus(vault) }
}

describe('encrypted snapshot', () => {
  it('round-trips: close, reopen, same results, nothing re-indexed; then only the changes are', async () => {
    const { dir, vault } = await createIndexedVault('roundtrip')
    const first = await SearchService.open(vault, { extractors, sodium })
    expect(first.openReport).toEqual({ snapshot: 'missing', reindexed: CORPUS_SIZE })
    const before = runQueries(first)
    first.close()
    expect(fs.statSync(getSnapshotPath(dir)).mode & 0o777).toBe(0o600)
    vault.lock()

    const reopenedVault = await openVault(dir, TEST_PASSPHRASE, { sodium })
    const second = await SearchService.open(reopenedVault, { extractors, sodium })
    expect(second.openReport).toEqual({ snapshot: 'loaded', reindexed: 0 })
    expect(runQueries(second)).toEqual(before)
    const snapBytes = fs.readFileSync(getSnapshotPath(dir))
    second.close()
    // Nothing changed: close() does not rewrite the snapshot.
    expect(fs.readFileSync(getSnapshotPath(dir)).equals(snapBytes)).toBe(true)

    // Changes made while the index was closed are caught up at the next open, and only they are decrypted.
    const added = createDocument(reopenedVault, { kind: 'note', title: 'Notat om Ihar Losik', date: '2025-02-02', text: 'Losik' })
    const gone = reopenedVault.listRecords({ kind: 'statement' })[0]!.id
    reopenedVault.deleteRecord(gone)
    const third = await SearchService.open(reopenedVault, { extractors, sodium })
    expect(third.openReport).toEqual({ snapshot: 'loaded', reindexed: 2 })
    expect(third.search('Losik').hits.map((h) => h.id)).toEqual([added.id])
    expect(third.search('').total).toBe(CORPUS_SIZE)
    expect(third.count()).toBe(CORPUS_SIZE)
    third.close()
    reopenedVault.lock()
  })

  it('persist() writes only when dirty and close() after lock drops the index without throwing', async () => {
    const { dir, vault } = await createIndexedVault('persist')
    const search = await SearchService.open(vault, { extractors, sodium })
    expect(fs.existsSync(getSnapshotPath(dir))).toBe(false)
    search.persist()
    const written = fs.statSync(getSnapshotPath(dir)).mtimeMs
    const bytes = fs.readFileSync(getSnapshotPath(dir))
    search.persist()
    expect(fs.readFileSync(getSnapshotPath(dir)).equals(bytes)).toBe(true)
    expect(fs.statSync(getSnapshotPath(dir)).mtimeMs).toBe(written)
    createDocument(vault, { kind: 'note', title: 'later', date: null, text: 'later' })
    search.search('later')
    vault.lock()
    expect(() => search.close()).not.toThrow()
    expect(fs.readFileSync(getSnapshotPath(dir)).equals(bytes)).toBe(true)
    expect(fs.readdirSync(path.dirname(getSnapshotPath(dir)))).toEqual(['search.snap'])
  })

  describe('a snapshot that cannot be trusted is discarded and the index rebuilt', () => {
    let dir: string
    let vault: Vault
    let expected: SearchResult[]
    let good: Buffer

    beforeAll(async () => {
      ;({ dir, vault } = await createIndexedVault('tamper'))
      const search = await SearchService.open(vault, { extractors, sodium })
      expected = runQueries(search)
      search.close()
      good = fs.readFileSync(getSnapshotPath(dir))
    })
    afterAll(() => vault.lock())

    async function expectRebuilt(bytes: Buffer, reason: string): Promise<void> {
      fs.writeFileSync(getSnapshotPath(dir), bytes)
      const search = await SearchService.open(vault, { extractors, sodium })
      expect(search.openReport).toEqual({ snapshot: 'discarded', reason, reindexed: CORPUS_SIZE })
      expect(runQueries(search)).toEqual(expected)
      search.close()
      // The rebuilt index was written back and opens cleanly.
      const again = await SearchService.open(vault, { extractors, sodium })
      expect(again.openReport).toEqual({ snapshot: 'loaded', reindexed: 0 })
      again.close()
    }

    it.each([0.1, 0.5, 0.99])('a flipped byte at %s of the ciphertext', async (at) => {
      const bytes = Buffer.from(good)
      const index = 36 + Math.floor((bytes.length - 36) * at)
      bytes[index] = bytes[index]! ^ 0x01
      await expectRebuilt(bytes, 'authentication')
    })

    it('a flipped nonce byte, a truncated file, an empty file', async () => {
      const nonce = Buffer.from(good)
      nonce[12] = nonce[12]! ^ 0x80
      await expectRebuilt(nonce, 'authentication')
      await expectRebuilt(good.subarray(0, good.length - 1), 'authentication')
      await expectRebuilt(Buffer.alloc(0), 'format')
    })

    it('another format version or magic', async () => {
      const version = Buffer.from(good)
      version.writeUInt32BE(2, 8)
      await expectRebuilt(version, 'format')
      const magic = Buffer.from(good)
      magic[0] = 0x41
      await expectRebuilt(magic, 'format')
    })

    it("another vault's snapshot", async () => {
      const other = await createIndexedVault('other')
      const s = await SearchService.open(other.vault, { extractors, sodium })
      s.close()
      other.vault.lock()
      await expectRebuilt(fs.readFileSync(getSnapshotPath(other.dir)), 'authentication')
    })
  })

  it('discards a snapshot newer than the vault (vault restored from an older copy)', async () => {
    const { dir, vault } = await createIndexedVault('restored')
    vault.lock()
    const backup = path.join(root, 'restored-backup')
    fs.cpSync(dir, backup, { recursive: true })
    const live = await openVault(dir, TEST_PASSPHRASE, { sodium })
    createDocument(live, { kind: 'note', title: 'Only in the newer vault', date: null, text: 'Kalesnikava' })
    const search = await SearchService.open(live, { extractors, sodium })
    search.close()
    live.lock()
    fs.mkdirSync(path.join(backup, 'index'), { mode: 0o700 })
    fs.copyFileSync(getSnapshotPath(dir), getSnapshotPath(backup))

    const old = await openVault(backup, TEST_PASSPHRASE, { sodium })
    const restored = await SearchService.open(old, { extractors, sodium })
    expect(restored.openReport).toEqual({ snapshot: 'discarded', reason: 'vault-behind', reindexed: CORPUS_SIZE })
    expect(restored.search('Kalesnikava').total).toBe(0)
    restored.close()
    old.lock()
  })

  it('the snapshot holds no plaintext: no marker as UTF-8, UTF-16 or base64, nor its folded form', async () => {
    const { dir, vault } = await createIndexedVault('plaintext')
    const marker = 'Quokkazhmarker'
    const cyrillic = 'Квокказмаркер'
    const folded = foldForSearch(marker)
    expect(folded).not.toBe(marker.toLowerCase())
    createDocument(vault, {
      kind: 'letter',
      title: `Title ${marker}`,
      date: '2025-01-01',
      tags: [`tag${marker}`],
      text: `${marker} ${cyrillic} `.repeat(200),
    })
    const search = await SearchService.open(vault, { extractors, sodium })
    expect(search.search(marker).total).toBe(1)
    search.close()
    vault.lock()
    const indexDir = path.dirname(getSnapshotPath(dir))
    // The scanner does find a folded marker in a plain file (a scan that finds nothing proves nothing otherwise).
    fs.writeFileSync(path.join(root, 'folded.txt'), foldForSearch(`${marker} ${cyrillic}`))
    expect(findMarkersInTree(root, [folded]).some((hit) => hit.startsWith('folded.txt'))).toBe(true)
    fs.rmSync(path.join(root, 'folded.txt'))

    const markers = [marker, marker.toLowerCase(), cyrillic, folded, foldForSearch(cyrillic), `tag${marker}`]
    expect(fs.readdirSync(indexDir)).toEqual(['search.snap'])
    expect(findMarkersInTree(indexDir, markers)).toEqual([])
    expect(findMarkersInTree(dir, markers)).toEqual([])
  })
})
