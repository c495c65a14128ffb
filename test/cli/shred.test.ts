// CLI (Node): `custodia shred <dir> <id>` destroys a document (with its revisions, attachment and annotation thread) or
// one attachment for good: afterwards no marker and no 32-byte run of its old ciphertext is in any file of the vault
// folder, `custodia cat` answers NOT_FOUND, and the vault still unlocks (no TAMPERED) with an activity log that verifies.
import { randomBytes, randomUUID } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { createAnnotation, fromAnnotationRecordId, toAnnotationRecordId } from '../../electron/core/annotations/annotationService'
import { attachFilesToDossier } from '../../electron/core/dossiers/dossierAttachments'
import { createDossier, getDossier, updateDossier as updateDossierRecord } from '../../electron/core/dossiers/dossierService'
import { createDocument, updateDocument } from '../../electron/core/library/documentService'
import { openVault } from '../../electron/core/vault/vault'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { runCustodia } from '../helpers/cli'
import { collectCiphertexts, findCiphertextRuns } from '../helpers/shredScan'
import { findMarkersInTree } from '../helpers/vaultTestUtils'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
const marker = `MARKER-cli-shred-${randomBytes(6).toString('hex')}`
let work: string
let vaultDir: string
let documentId: string
let keptId: string
let annotationRecordId: string
let attachmentId: string
let keptAttachmentId: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-shred-'))
  vaultDir = join(work, 'vault')
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  const text = `Dear Minister, ${marker} was moved without notice.`
  const doc = createDocument(vault, { kind: 'letter', title: marker, date: '2025-06-04', text })
  updateDocument(
    vault,
    doc.id,
    { kind: 'letter', title: marker, date: '2025-06-04', text: `${text} Second version.` },
    { expectedRevision: 1 },
  )
  documentId = doc.id
  keptId = vault.createRecord('letter', { summary: { title: 'kept' }, body: { text: 'kept text' } }).id
  const file = join(work, 'scan.txt')
  writeFileSync(file, `${marker}\n`.repeat(2000))
  attachmentId = (await vault.addAttachment(doc.id, file, { filename: `${marker}.txt`, mediaType: 'text/plain' })).id
  keptAttachmentId = (await vault.addAttachment(keptId, file, { filename: 'kept.txt', mediaType: 'text/plain' })).id
  const start = text.indexOf(marker)
  const annotation = createAnnotation(
    vault,
    { recordId: doc.id, selection: { start, end: start + marker.length }, body: `note on ${marker}` },
    { id: 'tester', name: 'Tester' },
  )
  annotationRecordId = toAnnotationRecordId(annotation.id)
  vault.lock()
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('custodia shred', () => {
  it('destroys a document with its versions, attachment and annotation thread; cat then answers NOT_FOUND', async () => {
    expect((await runCustodia(['cat', vaultDir, documentId], { env })).code).toBe(0)
    const old = collectCiphertexts(vaultDir, [documentId, annotationRecordId], [attachmentId])
    expect(findCiphertextRuns(vaultDir, old).length).toBeGreaterThan(0)

    const result = await runCustodia(['shred', vaultDir, documentId], { env })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`destroyed document ${documentId}, 1 annotation thread on it, 1 attachment\n`)

    expect(findCiphertextRuns(vaultDir, old)).toEqual([])
    expect(findMarkersInTree(vaultDir, [marker])).toEqual([])
    expect((await runCustodia(['cat', vaultDir, documentId], { env })).code).toBe(EXIT_CODES.NOT_FOUND)
    expect((await runCustodia(['cat', vaultDir, annotationRecordId], { env })).code).toBe(EXIT_CODES.NOT_FOUND)
    expect((await runCustodia(['cat', vaultDir, keptId], { env })).stdout).toBe('kept text\n')
    expect((await runCustodia(['unlock-check', vaultDir], { env })).code).toBe(0)
    const verify = await runCustodia(['audit', 'verify', vaultDir], { env })
    expect(verify.code).toBe(0)
  })

  it('destroys one attachment (its blob file goes) and keeps its document', async () => {
    const blob = join(vaultDir, 'blobs', keptAttachmentId.slice(0, 2), keptAttachmentId)
    const old = collectCiphertexts(vaultDir, [], [keptAttachmentId])
    const result = await runCustodia(['shred', vaultDir, keptAttachmentId], { env })
    expect(result.code).toBe(0)
    expect(result.stdout).toBe(`destroyed attachment ${keptAttachmentId}\n`)
    expect(existsSync(blob)).toBe(false)
    expect(findCiphertextRuns(vaultDir, old)).toEqual([])
    expect((await runCustodia(['files', vaultDir, keptId], { env })).stdout).toBe('')
    expect((await runCustodia(['unlock-check', vaultDir], { env })).code).toBe(0)
    expect((await runCustodia(['audit', 'verify', vaultDir], { env })).code).toBe(0)
  })

  it('refuses a malformed id (VALIDATION) and an unknown one (NOT_FOUND) without changing anything', async () => {
    expect((await runCustodia(['shred', vaultDir, 'not-an-id'], { env })).code).toBe(EXIT_CODES.VALIDATION)
    const unknown = await runCustodia(['shred', vaultDir, 'f'.repeat(32)], { env })
    expect(unknown.code).toBe(EXIT_CODES.NOT_FOUND)
    expect(unknown.stderr).toMatch(/no document, dossier, annotation or attachment/i)
    const annotation = await runCustodia(['shred', vaultDir, fromAnnotationRecordId(randomUUID().replace(/-/g, ''))], { env })
    expect(annotation.code).toBe(EXIT_CODES.NOT_FOUND)
    expect((await runCustodia(['cat', vaultDir, keptId], { env })).code).toBe(0)
  })
})

describe('custodia on a vault from before item keys', () => {
  it('says once, on stderr, that it moves the vault to per-item keys, with progress', async () => {
    const fixture = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/vault-v1')
    const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as { passphrase: string; records: unknown[] }
    const dir = join(work, 'golden')
    cpSync(join(fixture, 'vault'), dir, { recursive: true })
    const fixtureEnv = { CUSTODIA_PASSPHRASE: expected.passphrase }
    const total = expected.records.length + 1
    const first = await runCustodia(['ls', dir], { env: fixtureEnv })
    expect(first.code).toBe(0)
    expect(first.stderr).toBe(
      `Moving this vault to per-item keys (once): 0 of ${total} items\nMoving this vault to per-item keys (once): ${total} of ${total} items\n`,
    )
    const second = await runCustodia(['ls', dir], { env: fixtureEnv })
    expect(second.stderr).toBe('')
    expect(second.stdout).toBe(first.stdout)
  })
})

describe('custodia shred on a dossier file', () => {
  it("drops the dossier's pointers to the file first, so the dossier stays whole and can still be saved", async () => {
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
    const dir = join(work, 'dossier-vault')
    const { vault } = await createVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
    const pngPath = join(work, 'photo.png')
    writeFileSync(pngPath, PNG)
    const { id } = createDossier(vault, {
      names: { original: 'Олена Вигадана', transliteration: 'Olena Vyhadana' },
      category: 'civilian-detainee',
      timeline: [{ id: 't1', date: '2024-02-11', description: 'Letter sent to the ombudsman.' }],
    })
    const [png] = await attachFilesToDossier(vault, id, [pngPath])
    const stored = getDossier(vault, id)
    updateDossierRecord(
      vault,
      id,
      { ...stored.dossier, photoAttachmentId: png!.id, timeline: [{ ...stored.dossier.timeline[0]!, attachmentIds: [png!.id] }] },
      { expectedRevision: stored.revision },
    )
    vault.lock()

    const result = await runCustodia(['shred', dir, png!.id], { env })
    expect(result.code).toBe(0)
    const reopened = await openVault(dir, new TextEncoder().encode(PASSPHRASE))
    try {
      const after = getDossier(reopened, id)
      expect(after.dossier.photoAttachmentId).toBeUndefined()
      expect(after.dossier.timeline[0]!.attachmentIds ?? []).toEqual([])
      expect(reopened.listAttachments(id)).toEqual([])
      // The dossier still saves: nothing points at a file that is gone.
      expect(() => updateDossierRecord(reopened, id, after.dossier, { expectedRevision: after.revision })).not.toThrow()
    } finally {
      reopened.lock()
    }
  })
})
