// Core test (Node): nothing written to the vault folder contains plaintext — record summaries, bodies, authors,
// kinds, attachment contents and filenames are scanned for as UTF-8, UTF-16LE and base64 in every file (db, WAL, SHM,
// blobs, tmp), once while the vault is open (WAL present) and once after lock.

import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, describe, expect, it } from 'vitest'
import { createVault, MIN_KDF, openVault } from '../../../electron/core/vault/vault'
import { createTempDir, encodeMarkerVariants, findMarkersInTree, listFilesRecursive, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

describe('no plaintext on disk', () => {
  const root = createTempDir()
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

  it('finds no marker in any vault file before or after lock', async () => {
    const unique = () => randomBytes(6).toString('hex')
    const markers = {
      title: `MARKER-Łódź-Бяляцкі-title-${unique()}`,
      body: `MARKER-Łódź-Бяляцкі-body-${unique()}`,
      revision: `MARKER-Вясна-revision-${unique()}`,
      author: `MARKER-Алесь-author-${unique()}`,
      attachment: `MARKER-Łódź-Бяляцкі-attachment-${unique()}`,
      filename: `MARKER-scan-${unique()}`,
      deleted: `MARKER-deleted-${unique()}`,
    }
    const kind = 'zqxw-correspondence'
    const all = [...Object.values(markers), kind]

    const dir = path.join(root, 'vault')
    const { vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
    const ref = vault.createRecord(
      kind,
      { summary: { title: markers.title, date: '2024-01-01' }, body: { text: `${markers.body} `.repeat(50) } },
      { author: markers.author },
    )
    vault.updateRecord(ref.id, { summary: { title: markers.title }, body: { text: markers.revision } }, { author: markers.author })
    const doomed = vault.createRecord('note', { summary: { title: markers.deleted }, body: markers.deleted })
    vault.deleteRecord(doomed.id)
    const content = Buffer.from(`${markers.attachment}\n`.repeat(40_000))
    const src = path.join(root, 'source.txt')
    fs.writeFileSync(src, content)
    await vault.addAttachment(ref.id, src, { filename: `${markers.filename}.txt`, mediaType: 'text/plain' })
    await vault.addAttachmentFromStream(ref.id, Readable.from([content]), {
      filename: `${markers.filename}-2.txt`,
      mediaType: 'text/plain',
    })
    // Plaintext in a file we know the scanner can see proves the scanner works (a scan that finds nothing is no proof).
    expect(findMarkersInTree(root, [markers.attachment]).some((hit) => hit.startsWith('source.txt'))).toBe(true)
    fs.rmSync(src)

    const namesWhileOpen = listFilesRecursive(dir).map((f) => path.relative(dir, f))
    expect(namesWhileOpen).toContain('vault.sqlite-wal')
    expect(findMarkersInTree(dir, all)).toEqual([])

    vault.lock()
    expect(findMarkersInTree(dir, all)).toEqual([])
    const reopened = await openVault(dir, TEST_PASSPHRASE)
    expect(reopened.getRecord(ref.id).summary.title).toBe(markers.title)
    reopened.lock()
    expect(findMarkersInTree(dir, all)).toEqual([])
    // File names themselves are opaque ids only (and the lock's seal: a size and a MAC, vault/fileSeal.ts).
    for (const name of listFilesRecursive(dir).map((f) => path.relative(dir, f))) {
      expect(name).toMatch(/^(vault\.sqlite(-wal|-shm|\.seal)?|blobs\/[0-9a-f]{2}\/[0-9a-f]{32})$/)
    }
  })

  it('builds the base64 variants the scan looks for', () => {
    const variants = encodeMarkerVariants('MARKER-Łódź')
    expect(variants.map((v) => v.label)).toEqual(['utf8', 'utf16le', 'base64', 'base64+1', 'base64+2'])
    const text = Buffer.from(`xx${Buffer.from('zMARKER-Łódźq').toString('base64')}yy`)
    expect(variants.filter((v) => v.label.startsWith('base64')).some((v) => text.includes(v.bytes))).toBe(true)
  })
})
