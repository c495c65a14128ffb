// Core test (Node): Vault.deleteAttachment — the row and an `attachment.deleted` audit entry (ids only) go in one
// transaction, the encrypted blob after the commit; other attachments and the record stay; unknown, malformed and
// locked cases change nothing; inside vault.transaction() a rollback keeps the attachment whole and the blob waits for
// the outer commit; a crash between commit and unlink leaves an orphan blob that the next unlock removes.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { CustodiaError } from '../../../shared/errors'
import { createVault, MIN_KDF, openVault, type AttachmentInfo, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, hashTree, listFilesRecursive, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const root = createTempDir()
let vault: Vault
let dir: string
let count = 0

beforeEach(async () => {
  if (vault && !vault.locked) vault.lock()
  dir = path.join(root, `v${++count}`)
  ;({ vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF }))
})

afterAll(() => {
  if (vault && !vault.locked) vault.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

const blobOf = (id: string) => path.join(dir, 'blobs', id.slice(0, 2), id)
const listBlobNames = () =>
  listFilesRecursive(path.join(dir, 'blobs'))
    .map((f) => path.basename(f))
    .sort()

async function attach(recordId: string, text: string, filename: string): Promise<AttachmentInfo> {
  return vault.addAttachmentFromStream(recordId, Readable.from([Buffer.from(text)]), { filename, mediaType: 'text/plain' })
}

function catchCode(work: () => unknown): string {
  try {
    work()
  } catch (err) {
    expect(err).toBeInstanceOf(CustodiaError)
    return (err as CustodiaError).code
  }
  throw new Error('expected a CustodiaError')
}

/** A letter with two files and a second record with one: what each test starts from. */
async function seed() {
  const letter = vault.createRecord('letter', { summary: { title: 'To the ombudsman' }, body: { text: 'Dear ombudsman' } })
  const other = vault.createRecord('note', { summary: {}, body: 'other' })
  const scan = await attach(letter.id, 'scan of the signed letter', 'signed-scan.txt')
  const reply = await attach(letter.id, 'the reply', 'reply.txt')
  const foreign = await attach(other.id, 'unrelated file', 'unrelated.txt')
  return { letter, other, scan, reply, foreign }
}

describe('Vault.deleteAttachment', () => {
  it('removes the row and the blob, logs ids only, and leaves the record and every other attachment alone', async () => {
    const { letter, other, scan, reply, foreign } = await seed()
    expect(fs.existsSync(blobOf(scan.id))).toBe(true)
    const revisionBefore = vault.getRecord(letter.id).revision

    vault.deleteAttachment(scan.id)

    expect(fs.existsSync(blobOf(scan.id))).toBe(false)
    expect(vault.listAttachments(letter.id).map((a) => a.id)).toEqual([reply.id])
    expect(vault.listAttachments(other.id).map((a) => a.id)).toEqual([foreign.id])
    expect((await vault.readAttachment(reply.id)).toString()).toBe('the reply')
    expect((await vault.readAttachment(foreign.id)).toString()).toBe('unrelated file')
    await expect(vault.readAttachment(scan.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(listBlobNames()).toEqual([reply.id, foreign.id].sort())
    // The record itself is not rewritten: no new revision for a file removed.
    expect(vault.getRecord(letter.id)).toMatchObject({ revision: revisionBefore, body: { text: 'Dear ombudsman' } })

    const last = vault.audit.list().at(-1)!
    expect(last.type).toBe('attachment.deleted')
    expect(last.details).toEqual({ recordId: letter.id, attachmentId: scan.id })
    expect(JSON.stringify(last)).not.toContain('signed-scan')
    expect(vault.audit.verify()).toMatchObject({ ok: true })

    // Survives a lock and reopen: the deletion was committed.
    vault.lock()
    vault = await openVault(dir, TEST_PASSPHRASE)
    expect(vault.listAttachments(letter.id).map((a) => a.id)).toEqual([reply.id])
  })

  it('refuses an unknown, a deleted or a malformed id and changes nothing', async () => {
    const { scan } = await seed()
    vault.deleteAttachment(scan.id)
    const auditBefore = vault.audit.list().length
    const before = hashTree(dir)

    expect(catchCode(() => vault.deleteAttachment(scan.id))).toBe('NOT_FOUND')
    expect(catchCode(() => vault.deleteAttachment('f'.repeat(32)))).toBe('NOT_FOUND')
    expect(catchCode(() => vault.deleteAttachment('../../vault.sqlite'))).toBe('VALIDATION')
    expect(catchCode(() => vault.deleteAttachment(42 as unknown as string))).toBe('VALIDATION')

    expect(vault.audit.list()).toHaveLength(auditBefore)
    expect(hashTree(dir)).toEqual(before)
  })

  it('refuses with VAULT_LOCKED once the vault is locked, and the file is still there after unlocking', async () => {
    const { letter, scan } = await seed()
    vault.lock()
    expect(catchCode(() => vault.deleteAttachment(scan.id))).toBe('VAULT_LOCKED')
    expect(fs.existsSync(blobOf(scan.id))).toBe(true)
    vault = await openVault(dir, TEST_PASSPHRASE)
    expect(vault.listAttachments(letter.id).map((a) => a.filename)).toEqual(['signed-scan.txt', 'reply.txt'])
  })

  it('keeps the attachment whole when the surrounding vault transaction fails', async () => {
    const { letter, scan } = await seed()
    const auditBefore = vault.audit.list().length
    expect(() =>
      vault.transaction(() => {
        vault.deleteAttachment(scan.id)
        vault.updateRecord(letter.id, { summary: { title: 'changed' }, body: {} })
        throw new Error('a later step failed')
      }),
    ).toThrow('a later step failed')

    expect(vault.listAttachments(letter.id).map((a) => a.id)).toContain(scan.id)
    expect(fs.existsSync(blobOf(scan.id))).toBe(true)
    expect((await vault.readAttachment(scan.id)).toString()).toBe('scan of the signed letter')
    expect(vault.getRecord(letter.id).summary).toEqual({ title: 'To the ombudsman' })
    expect(vault.audit.list()).toHaveLength(auditBefore)
  })

  it('inside a vault transaction, removes the blob only once the outermost transaction has committed', async () => {
    const { letter, scan, reply } = await seed()
    let blobDuringWork: boolean | undefined
    vault.transaction(() => {
      vault.transaction(() => vault.deleteAttachment(scan.id))
      // Not committed yet: a rollback could still bring the row back, so its blob must still be on disk.
      blobDuringWork = fs.existsSync(blobOf(scan.id))
      vault.deleteAttachment(reply.id)
    })
    expect(blobDuringWork).toBe(true)
    expect(fs.existsSync(blobOf(scan.id))).toBe(false)
    expect(fs.existsSync(blobOf(reply.id))).toBe(false)
    expect(vault.listAttachments(letter.id)).toEqual([])
    expect(
      vault.audit
        .list()
        .filter((e) => e.type === 'attachment.deleted')
        .map((e) => e.details['attachmentId']),
    ).toEqual([scan.id, reply.id])
  })

  it('deleting a record still removes the blobs of its remaining attachments (the same after-commit rule)', async () => {
    const { letter, scan, reply, foreign } = await seed()
    vault.deleteAttachment(scan.id)
    vault.deleteRecord(letter.id)
    expect(fs.existsSync(blobOf(reply.id))).toBe(false)
    expect(listBlobNames()).toEqual([foreign.id])
  })

  it('a crash between the commit and the unlink leaves an orphan blob that the next unlock removes', async () => {
    const { letter, scan, reply, foreign } = await seed()
    vault.lock()
    const child = path.join(repoRoot, 'test/core/vault/deleteAttachmentCrashChild.ts')
    const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, scan.id], {
        cwd: repoRoot,
        env: { ...process.env, CUSTODIA_TEST_PASSPHRASE: TEST_PASSPHRASE.toString('utf8') },
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      proc.on('error', reject)
      proc.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve({ code, signal }) : reject(new Error(`child exited ${code}: ${stderr}`)),
      )
    })
    expect(outcome.signal).toBe('SIGKILL')
    // The crash left the blob behind…
    expect(fs.existsSync(blobOf(scan.id))).toBe(true)

    vault = await openVault(dir, TEST_PASSPHRASE)
    // …but the deletion had committed, and unlocking swept the orphan; the other blobs are untouched.
    expect(fs.existsSync(blobOf(scan.id))).toBe(false)
    expect(vault.listAttachments(letter.id).map((a) => a.id)).toEqual([reply.id])
    expect(listBlobNames()).toEqual([reply.id, foreign.id].sort())
    expect((await vault.readAttachment(reply.id)).toString()).toBe('the reply')
    expect(vault.audit.list().some((e) => e.type === 'attachment.deleted' && e.details['attachmentId'] === scan.id)).toBe(true)
    expect(vault.audit.verify()).toMatchObject({ ok: true })
  })
})
