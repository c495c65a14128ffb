// Core test (Node): vault.transaction() — several record writes (with their audit entries) in one SQLite transaction:
// all of them or none on a throw and on SIGKILL, nested calls join the outer one, the audit chain still verifies,
// attachments are refused inside, and blobs of records deleted inside go only after the commit.

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { CustodiaError } from '../../../shared/errors'
import { createVault, MIN_KDF, openVault, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, listFilesRecursive, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

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

function expectCode(work: () => unknown, code: string): void {
  try {
    work()
  } catch (err) {
    expect(err).toBeInstanceOf(CustodiaError)
    expect((err as CustodiaError).code).toBe(code)
    return
  }
  throw new Error(`expected ${code}`)
}

function listBlobs(vaultDir: string): string[] {
  return listFilesRecursive(path.join(vaultDir, 'blobs'))
}

describe('vault.transaction', () => {
  it('commits every write of the work at once and returns its value', () => {
    const kept = vault.createRecord('note', { summary: { n: 0 }, body: 'old' })
    const auditBefore = vault.audit.list().length
    const ids = vault.transaction(() => {
      const created = [1, 2, 3].map((n) => vault.createRecord('note', { summary: { n }, body: `body ${n}` }).id)
      vault.updateRecord(kept.id, { summary: { n: 0 }, body: 'new' })
      vault.deleteRecord(created[2]!)
      return created
    })
    expect(ids).toHaveLength(3)
    expect(vault.getRecord(ids[0]!).body).toBe('body 1')
    expect(vault.hasRecord(ids[2]!)).toBe(false)
    expect(vault.getRecord(kept.id)).toMatchObject({ revision: 2, body: 'new' })
    const types = vault.audit
      .list()
      .slice(auditBefore)
      .map((e) => e.type)
    expect(types).toEqual(['record.created', 'record.created', 'record.created', 'record.updated', 'record.deleted'])
    expect(vault.audit.verify().ok).toBe(true)
    // Change numbers still increase one per write, so the search index catches up with all of them.
    const seqs = vault.listChangedSince(0).map((c) => c.changeSeq)
    expect(new Set(seqs).size).toBe(seqs.length)
  })

  it('keeps nothing when the work throws, and rethrows the error', () => {
    const kept = vault.createRecord('note', { summary: {}, body: 'before' })
    const auditBefore = vault.audit.list().length
    const changesBefore = vault.listChangedSince(0)
    const failure = new Error('stop half-way')
    expect(() =>
      vault.transaction(() => {
        for (let i = 0; i < 5; i++) vault.createRecord('note', { summary: { i }, body: i })
        vault.updateRecord(kept.id, { summary: {}, body: 'after' })
        throw failure
      }),
    ).toThrow(failure)
    expect(vault.listRecords({ kind: 'note' }).map((r) => r.id)).toEqual([kept.id])
    expect(vault.getRecord(kept.id)).toMatchObject({ revision: 1, body: 'before' })
    expect(vault.listChangedSince(0)).toEqual(changesBefore)
    expect(vault.audit.list()).toHaveLength(auditBefore)
    expect(vault.audit.verify().ok).toBe(true)
    // The vault stays usable and the chain goes on from where it was.
    vault.createRecord('note', { summary: {}, body: 'later' })
    expect(vault.audit.verify()).toMatchObject({ ok: true, entries: auditBefore + 1 })
  })

  it('rolls back the whole transaction when a write inside fails (CONFLICT)', () => {
    const taken = vault.createRecord('note', { summary: {}, body: 1 }).id
    expectCode(
      () =>
        vault.transaction(() => {
          vault.createRecord('note', { summary: {}, body: 2 })
          vault.createRecord('note', { summary: {}, body: 3 }, { id: taken })
        }),
      'CONFLICT',
    )
    expect(vault.listRecords().map((r) => r.id)).toEqual([taken])
  })

  it('nested calls join the outer transaction: an inner failure caught outside undoes only the inner part', () => {
    const outer = vault.transaction(() => {
      const a = vault.createRecord('note', { summary: {}, body: 'a' }).id
      const b = vault.transaction(() => vault.createRecord('note', { summary: {}, body: 'b' }).id)
      try {
        vault.transaction(() => {
          vault.createRecord('note', { summary: {}, body: 'c' })
          throw new Error('inner')
        })
      } catch {
        // Caught on purpose: the outer work goes on.
      }
      return [a, b]
    })
    expect(
      vault
        .listRecords()
        .map((r) => r.id)
        .sort(),
    ).toEqual([...outer].sort())
    expect(vault.audit.verify().ok).toBe(true)

    // A nested call that succeeded is still undone when the outer one throws.
    expect(() =>
      vault.transaction(() => {
        vault.transaction(() => vault.createRecord('note', { summary: {}, body: 'd' }))
        throw new Error('outer')
      }),
    ).toThrow('outer')
    expect(vault.listRecords()).toHaveLength(2)
  })

  it('refuses attachments inside (VALIDATION), async work, non-functions, and a locked vault', async () => {
    const id = vault.createRecord('note', { summary: {}, body: 'x' }).id
    let attachment: Promise<unknown> | undefined
    expectCode(
      () =>
        vault.transaction(() => {
          vault.createRecord('note', { summary: {}, body: 'y' })
          attachment = vault.addAttachmentFromStream(id, Readable.from([Buffer.from('scan')]), {
            filename: 'a.bin',
            mediaType: 'application/octet-stream',
          })
        }),
      'VALIDATION',
    )
    await expect(attachment).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(vault.listRecords()).toHaveLength(1)
    expect(vault.listAttachments(id)).toEqual([])
    // Outside a transaction attachments work again.
    await vault.addAttachmentFromStream(id, Readable.from([Buffer.from('scan')]), {
      filename: 'a.bin',
      mediaType: 'application/octet-stream',
    })
    expect(vault.listAttachments(id)).toHaveLength(1)

    expectCode(() => vault.transaction((async () => vault.createRecord('note', { summary: {}, body: 'z' })) as () => unknown), 'VALIDATION')
    expect(vault.listRecords()).toHaveLength(1)
    expectCode(() => vault.transaction('nope' as unknown as () => void), 'VALIDATION')
    vault.lock()
    expectCode(() => vault.transaction(() => 1), 'VAULT_LOCKED')
  })

  it('removes the blobs of records deleted inside only after the commit, and keeps them on a rollback', async () => {
    const a = vault.createRecord('note', { summary: {}, body: 'a' }).id
    const b = vault.createRecord('note', { summary: {}, body: 'b' }).id
    for (const id of [a, b])
      await vault.addAttachmentFromStream(id, Readable.from([Buffer.from(`scan ${id}`)]), {
        filename: 's.bin',
        mediaType: 'application/octet-stream',
      })
    expect(listBlobs(dir)).toHaveLength(2)

    expect(() =>
      vault.transaction(() => {
        vault.deleteRecord(a)
        expect(listBlobs(dir)).toHaveLength(2)
        throw new Error('undo')
      }),
    ).toThrow('undo')
    expect(listBlobs(dir)).toHaveLength(2)
    expect(await vault.readAttachment(vault.listAttachments(a)[0]!.id)).toEqual(Buffer.from(`scan ${a}`))

    vault.transaction(() => {
      vault.deleteRecord(a)
      vault.deleteRecord(b)
      expect(listBlobs(dir)).toHaveLength(2)
    })
    expect(listBlobs(dir)).toEqual([])
  })

  it('is all-or-nothing across SIGKILL: killed inside → none of it; killed right after it returned → all of it', async () => {
    vault.createRecord('note', { summary: {}, body: 'first' })
    vault.lock()
    const child = path.join(dir, 'child.mts')
    // Creates 50 records in one transaction; kills itself either half-way through the work or just after it returned.
    fs.writeFileSync(
      child,
      `import { openVault } from ${JSON.stringify(path.join(repoRoot, 'electron/core/vault/vault.ts'))}
const [dir, when] = process.argv.slice(2)
const vault = await openVault(dir, Buffer.from(process.env.CUSTODIA_TEST_PASSPHRASE, 'utf8'))
vault.transaction(() => {
  for (let i = 0; i < 50; i++) {
    vault.createRecord('note', { summary: { i }, body: 'batch ' + i })
    if (when === 'inside' && i === 25) process.kill(process.pid, 'SIGKILL')
  }
})
process.kill(process.pid, 'SIGKILL')
`,
    )
    const runChild = (when: string) =>
      new Promise<NodeJS.Signals | null>((resolve, reject) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, when], {
          cwd: repoRoot,
          env: { ...process.env, CUSTODIA_TEST_PASSPHRASE: TEST_PASSPHRASE.toString('utf8') },
          stdio: 'ignore',
        })
        proc.on('error', reject)
        proc.on('exit', (_code, signal) => resolve(signal))
      })

    expect(await runChild('inside')).toBe('SIGKILL')
    vault = await openVault(dir, TEST_PASSPHRASE)
    expect(vault.listRecords()).toHaveLength(1)
    expect(vault.audit.verify().ok).toBe(true)
    vault.lock()

    expect(await runChild('after')).toBe('SIGKILL')
    vault = await openVault(dir, TEST_PASSPHRASE)
    expect(vault.listRecords()).toHaveLength(51)
    expect(vault.audit.verify().ok).toBe(true)
  }, 60_000)
})
