// Core test (Node): the vault service end to end on real files — records and revisions, attachments, keyslots,
// passphrase change, recovery key, KDF limits, error typing, lock/wipe, unlock-failure logging, migrations.

import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { migrateDatabase, readSchemaVersion, SCHEMA_VERSION } from '../../../electron/core/platform/db/migrations'
import {
  countUnlockFailures,
  createVault,
  DEFAULT_KDF,
  inspectVault,
  MIN_KDF,
  openVault,
  openVaultWithRecoveryKey,
  type Vault,
} from '../../../electron/core/vault/vault'
import { createTempDir, hashTree, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let counter = 0
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

function createVaultDir(): string {
  return path.join(root, `v${++counter}`)
}

async function createTestVault(): Promise<{ dir: string; vault: Vault; recoveryKey: string }> {
  const dir = createVaultDir()
  const { vault, recoveryKey } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
  return { dir, vault, recoveryKey }
}

function withRawDb<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dir, 'vault.sqlite'))
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

const code = (c: string) => expect.objectContaining({ code: c })

describe('records', () => {
  let vault: Vault
  beforeAll(async () => {
    ;({ vault } = await createTestVault())
  })
  afterAll(() => vault.lock())

  it('creates, reads, updates with kept revisions, lists by kind and deletes', () => {
    const letter = vault.createRecord('letter', { summary: { title: 'To the court' }, body: { paragraphs: ['a', 'b'] } }, { author: 'Ana' })
    expect(letter).toMatchObject({ kind: 'letter', revision: 1 })
    expect(letter.id).toMatch(/^[0-9a-f]{32}$/)
    const note = vault.createRecord('note', { summary: { title: 'Visit' }, body: 'plain text body' })
    const updated = vault.updateRecord(
      letter.id,
      { summary: { title: 'To the court (v2)' }, body: { paragraphs: ['c'] } },
      { expectedRevision: 1, author: 'Bo' },
    )
    expect(updated).toMatchObject({ id: letter.id, kind: 'letter', revision: 2 })
    expect(updated.changeSeq).toBeGreaterThan(note.changeSeq)

    const current = vault.getRecord<{ paragraphs: string[] }>(letter.id)
    expect(current).toMatchObject({ revision: 2, body: { paragraphs: ['c'] }, summary: { title: 'To the court (v2)' }, author: 'Bo' })
    const first = vault.getRecord(letter.id, 1)
    expect(first).toMatchObject({ revision: 1, author: 'Ana', summary: { title: 'To the court' } })
    expect(current.createdAt).toBe(first.createdAt)
    expect(Date.parse(current.savedAt)).toBeGreaterThanOrEqual(Date.parse(first.savedAt))
    expect(vault.listRevisions(letter.id).map((r) => [r.revision, r.author, r.summary.title])).toEqual([
      [1, 'Ana', 'To the court'],
      [2, 'Bo', 'To the court (v2)'],
    ])
    expect(vault.listRecords({ kind: 'letter' }).map((r) => r.id)).toEqual([letter.id])
    expect(vault.listRecords({ kind: 'note' }).map((r) => r.summary.title)).toEqual(['Visit'])
    expect(vault.listRecords({ kind: 'dossier' })).toEqual([])
    expect(vault.listRecords().length).toBe(2)

    const before = vault.listChangedSince(0)
    vault.deleteRecord(note.id)
    expect(vault.hasRecord(note.id)).toBe(false)
    expect(() => vault.getRecord(note.id)).toThrow(code('NOT_FOUND'))
    const changes = vault.listChangedSince(before[before.length - 1]!.changeSeq)
    expect(changes).toEqual([{ id: note.id, changeSeq: expect.any(Number), deleted: true }])
  })

  it('accepts a caller id, refuses a taken one, and reports stale revisions as CONFLICT', () => {
    const id = 'ab'.repeat(16)
    vault.createRecord('dossier', { summary: {}, body: {} }, { id })
    const seq = vault.listChangedSince(0).length
    expect(() => vault.createRecord('dossier', { summary: {}, body: {} }, { id })).toThrow(code('CONFLICT'))
    vault.updateRecord(id, { summary: { n: 2 }, body: {} })
    expect(() => vault.updateRecord(id, { summary: { n: 3 }, body: {} }, { expectedRevision: 1 })).toThrow(code('CONFLICT'))
    expect(vault.getRecord(id).revision).toBe(2)
    expect(vault.listChangedSince(0).length).toBe(seq)
  })

  it('rejects bad input with VALIDATION / NOT_FOUND and changes nothing', () => {
    const count = vault.listChangedSince(0).length
    const auditCount = vault.audit.list().length
    expect(() => vault.createRecord('Letter', { summary: {}, body: {} })).toThrow(code('VALIDATION'))
    expect(() => vault.createRecord('x', { summary: {}, body: {} })).toThrow(code('VALIDATION'))
    expect(() => vault.createRecord('note', { summary: [] as unknown as Record<string, unknown>, body: {} })).toThrow(code('VALIDATION'))
    expect(() => vault.createRecord('note', { summary: {}, body: undefined })).toThrow(code('VALIDATION'))
    expect(() => vault.createRecord('note', { summary: { big: 'x'.repeat(70_000) }, body: {} })).toThrow(code('VALIDATION'))
    expect(() => vault.createRecord('note', { summary: {}, body: {} }, { id: 'Jan Kowalski' })).toThrow(code('VALIDATION'))
    expect(() => vault.getRecord('not-an-id')).toThrow(code('VALIDATION'))
    expect(() => vault.getRecord('0'.repeat(32))).toThrow(code('NOT_FOUND'))
    expect(() => vault.updateRecord('0'.repeat(32), { summary: {}, body: {} })).toThrow(code('NOT_FOUND'))
    expect(() => vault.deleteRecord('0'.repeat(32))).toThrow(code('NOT_FOUND'))
    expect(() => vault.listChangedSince(-1)).toThrow(code('VALIDATION'))
    expect(vault.listChangedSince(0).length).toBe(count)
    expect(vault.audit.list().length).toBe(auditCount)
  })

  it('keeps plaintext-safe settings', () => {
    expect(vault.getSetting('autoLockMinutes')).toBeUndefined()
    vault.setSetting('autoLockMinutes', '15')
    vault.setSetting('autoLockMinutes', '10')
    expect(vault.getSetting('autoLockMinutes')).toBe('10')
    expect(() => vault.setSetting('bad name', 'x')).toThrow(code('VALIDATION'))
  })
})

describe('attachments', () => {
  let vault: Vault
  let dir: string
  const work = path.join(root, 'attachments-work')
  beforeAll(async () => {
    ;({ vault, dir } = await createTestVault())
    fs.mkdirSync(work)
  })
  afterAll(() => {
    if (!vault.locked) vault.lock()
  })

  it('round-trip files of 0 bytes, exactly one chunk, and several chunks, from paths and streams', async () => {
    const record = vault.createRecord('statement', { summary: {}, body: {} })
    for (const size of [0, 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 7]) {
      const data = Buffer.alloc(size)
      for (let i = 0; i < size; i += 4096) data[i] = (i / 4096) & 0xff
      const src = path.join(work, `in-${size}`)
      fs.writeFileSync(src, data)
      const fromPath = await vault.addAttachment(record.id, src, { filename: `f${size}.bin`, mediaType: 'application/octet-stream' })
      expect(fromPath.size).toBe(size)
      const fromStream = await vault.addAttachmentFromStream(
        record.id,
        Readable.from([data.subarray(0, size >> 1), data.subarray(size >> 1)]),
        {
          filename: 'ß.pdf',
          mediaType: 'application/pdf',
        },
      )
      const dest = path.join(work, `out-${size}`)
      await vault.exportAttachment(fromPath.id, dest)
      expect(fs.readFileSync(dest).equals(data)).toBe(true)
      expect((await vault.readAttachment(fromStream.id)).equals(data)).toBe(true)
      expect(fs.readdirSync(work).filter((f) => f.endsWith('.part'))).toEqual([])
    }
    const list = vault.listAttachments(record.id)
    expect(list.length).toBe(10)
    expect(list[1]).toMatchObject({ filename: 'ß.pdf', mediaType: 'application/pdf', recordId: record.id })
  })

  it('refuses bad input clearly: missing source, unknown record, bad metadata, missing destination folder', async () => {
    const record = vault.createRecord('statement', { summary: {}, body: {} })
    const src = path.join(work, 'small')
    fs.writeFileSync(src, 'x')
    const meta = { filename: 'a.txt', mediaType: 'text/plain' }
    await expect(vault.addAttachment(record.id, path.join(work, 'missing'), meta)).rejects.toThrow(code('NOT_FOUND'))
    await expect(vault.addAttachment('0'.repeat(32), src, meta)).rejects.toThrow(code('NOT_FOUND'))
    await expect(vault.addAttachment(record.id, src, { filename: '../x', mediaType: 'text/plain' })).rejects.toThrow(code('VALIDATION'))
    await expect(vault.addAttachment(record.id, src, { filename: 'a', mediaType: 'nonsense' })).rejects.toThrow(code('VALIDATION'))
    const added = await vault.addAttachment(record.id, src, meta)
    await expect(vault.exportAttachment(added.id, path.join(work, 'no-such-dir', 'x'))).rejects.toThrow(code('NOT_FOUND'))
    await expect(vault.exportAttachment('f'.repeat(32), path.join(work, 'x'))).rejects.toThrow(code('NOT_FOUND'))
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([])
  })

  it('refuses to read attachments over 64 MiB into memory but exports them', async () => {
    const record = vault.createRecord('statement', { summary: {}, body: {} })
    const big = Buffer.alloc(64 * 1024 * 1024 + 1, 1)
    const added = await vault.addAttachmentFromStream(record.id, Readable.from([big]), {
      filename: 'big',
      mediaType: 'application/octet-stream',
    })
    await expect(vault.readAttachment(added.id)).rejects.toThrow(code('VALIDATION'))
    const dest = path.join(work, 'big-out')
    await vault.exportAttachment(added.id, dest)
    expect(fs.statSync(dest).size).toBe(big.length)
    fs.rmSync(dest)
  })

  it('deletes blobs with their record, and removes orphan blobs and temp files at the next unlock', async () => {
    const record = vault.createRecord('statement', { summary: {}, body: {} })
    const src = path.join(work, 'orphan-src')
    fs.writeFileSync(src, 'attachment')
    const added = await vault.addAttachment(record.id, src, { filename: 'a', mediaType: 'text/plain' })
    const blob = path.join(dir, 'blobs', added.id.slice(0, 2), added.id)
    expect(fs.existsSync(blob)).toBe(true)
    vault.deleteRecord(record.id)
    expect(fs.existsSync(blob)).toBe(false)

    const orphan = path.join(dir, 'blobs', 'ab', 'ab'.repeat(16))
    fs.mkdirSync(path.dirname(orphan), { recursive: true })
    fs.writeFileSync(orphan, 'left by a crash')
    fs.writeFileSync(path.join(dir, 'tmp', 'x.part'), 'partial')
    vault.lock()
    vault = await openVault(dir, TEST_PASSPHRASE)
    expect(fs.existsSync(orphan)).toBe(false)
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([])
    expect(vault.audit.verify()).toMatchObject({ ok: true })
  })
})

describe('keyslots and unlocking', () => {
  it('creates folders 0700 and files 0600 and refuses a non-empty folder or a file path', async () => {
    const { dir, vault } = await createTestVault()
    vault.createRecord('note', { summary: {}, body: {} })
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    for (const sub of ['blobs', 'tmp']) expect(fs.statSync(path.join(dir, sub)).mode & 0o777).toBe(0o700)
    for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('vault.sqlite'))) {
      expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600)
    }
    vault.lock()
    await expect(createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })).rejects.toThrow(code('CONFLICT'))
    const file = path.join(root, `plain-file-${++counter}`)
    fs.writeFileSync(file, 'x')
    await expect(createVault(file, TEST_PASSPHRASE, { kdf: MIN_KDF })).rejects.toThrow(code('CONFLICT'))
    const empty = createVaultDir()
    fs.mkdirSync(empty)
    const made = await createVault(empty, TEST_PASSPHRASE, { kdf: MIN_KDF })
    made.vault.lock()
  })

  it('refuses KDF parameters below 64 MiB / 3 passes and leaves nothing on disk', async () => {
    for (const kdf of [
      { opslimit: 2, memlimit: MIN_KDF.memlimit },
      { opslimit: 3, memlimit: 32 * 1024 * 1024 },
      { opslimit: 3.5, memlimit: MIN_KDF.memlimit },
    ]) {
      const dir = createVaultDir()
      await expect(createVault(dir, TEST_PASSPHRASE, { kdf })).rejects.toThrow(code('VALIDATION'))
      expect(fs.existsSync(dir)).toBe(false)
    }
    await expect(createVault(createVaultDir(), new Uint8Array(0), { kdf: MIN_KDF })).rejects.toThrow(code('VALIDATION'))
  })

  it('works with the default 256 MiB / 3-pass KDF', async () => {
    const dir = createVaultDir()
    const { vault } = await createVault(dir, TEST_PASSPHRASE)
    const ref = vault.createRecord('note', { summary: { t: 1 }, body: 1 })
    vault.lock()
    expect(inspectVault(dir).keyslots.find((k) => k.kind === 'passphrase')?.kdf).toEqual(DEFAULT_KDF)
    const reopened = await openVault(dir, TEST_PASSPHRASE)
    expect(reopened.getRecord(ref.id).body).toBe(1)
    reopened.lock()
  })

  it('fails a wrong passphrase with WRONG_PASSPHRASE, leaving every file byte-identical', async () => {
    const { dir, vault } = await createTestVault()
    vault.createRecord('note', { summary: { t: 'x' }, body: {} })
    vault.lock()
    const before = hashTree(dir)
    const mtimes = fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).mtimeMs)
    await expect(openVault(dir, Buffer.from('wrong passphrase'))).rejects.toThrow(code('WRONG_PASSPHRASE'))
    await expect(openVaultWithRecoveryKey(dir, await createTestVault().then((o) => (o.vault.lock(), o.recoveryKey)))).rejects.toThrow(
      code('WRONG_PASSPHRASE'),
    )
    expect(hashTree(dir)).toEqual(before)
    expect(fs.readdirSync(dir).map((f) => fs.statSync(path.join(dir, f)).mtimeMs)).toEqual(mtimes)
  })

  it('after a crash (WAL still holding commits) a failed unlock changes no file and a good one sees every commit', async () => {
    const { dir, vault } = await createTestVault()
    const ref = vault.createRecord('note', { summary: {}, body: 'in the WAL only' })
    // Copying the folder while the vault is open is what SIGKILL leaves behind: db + non-empty -wal (+ -shm).
    const crashed = createVaultDir()
    fs.cpSync(dir, crashed, { recursive: true })
    vault.lock()
    expect(fs.statSync(path.join(crashed, 'vault.sqlite-wal')).size).toBeGreaterThan(0)
    const before = hashTree(crashed)
    await expect(openVault(crashed, Buffer.from('wrong'))).rejects.toThrow(code('WRONG_PASSPHRASE'))
    expect(hashTree(crashed)).toEqual(before)
    const reopened = await openVault(crashed, TEST_PASSPHRASE)
    expect(reopened.getRecord(ref.id).body).toBe('in the WAL only')
    reopened.lock()
  })

  it('uses a different salt and wrapped key for two vaults with the same passphrase', async () => {
    const a = await createTestVault()
    const b = await createTestVault()
    a.vault.lock()
    b.vault.lock()
    const read = (dir: string) =>
      withRawDb(
        dir,
        (db) => db.prepare(`SELECT salt, nonce, wrapped_key FROM keyslots WHERE kind = 'passphrase'`).get() as Record<string, Buffer>,
      )
    const [ra, rb] = [read(a.dir), read(b.dir)]
    expect(ra.salt!.length).toBe(16)
    expect(ra.salt!.equals(rb.salt!)).toBe(false)
    expect(ra.wrapped_key!.equals(rb.wrapped_key!)).toBe(false)
  })

  it('changes the passphrase by re-wrapping only: record ciphertext unchanged, old passphrase fails', async () => {
    const { dir, vault, recoveryKey } = await createTestVault()
    const ref = vault.createRecord('letter', { summary: { t: 'keep' }, body: { b: 'same bytes' } })
    const readRows = () => withRawDb(dir, (db) => db.prepare('SELECT * FROM revisions ORDER BY record_id, revision').all())
    vault.lock()
    const rowsBefore = readRows()
    const opened = await openVault(dir, TEST_PASSPHRASE)
    await expect(opened.changePassphrase(Buffer.from('not it'), Buffer.from('new one'))).rejects.toThrow(code('WRONG_PASSPHRASE'))
    await opened.changePassphrase(TEST_PASSPHRASE, Buffer.from('a brand new passphrase'))
    expect(opened.audit.list().map((e) => e.type)).toContain('vault.passphrase_changed')
    opened.lock()
    expect(readRows()).toEqual(rowsBefore)
    await expect(openVault(dir, TEST_PASSPHRASE)).rejects.toThrow(code('WRONG_PASSPHRASE'))
    const withNew = await openVault(dir, Buffer.from('a brand new passphrase'))
    expect(withNew.getRecord(ref.id).body).toEqual({ b: 'same bytes' })
    withNew.lock()
    const withRecovery = await openVaultWithRecoveryKey(dir, recoveryKey)
    expect(withRecovery.getRecord(ref.id).summary).toEqual({ t: 'keep' })
    withRecovery.lock()
  })

  it('opens with the recovery key; a typo is VALIDATION with a clear message', async () => {
    const { dir, vault, recoveryKey } = await createTestVault()
    const ref = vault.createRecord('note', { summary: {}, body: 'recovered' })
    vault.lock()
    expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/)
    const recovered = await openVaultWithRecoveryKey(dir, recoveryKey)
    expect(recovered.getRecord(ref.id).body).toBe('recovered')
    expect(recovered.audit.list().at(-1)).toMatchObject({ type: 'vault.unlocked', details: { method: 'recovery' } })
    recovered.lock()
    const last = recoveryKey.at(-1) === 'A' ? 'B' : 'A'
    await expect(openVaultWithRecoveryKey(dir, recoveryKey.slice(0, -1) + last)).rejects.toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('mistyped') }),
    )
  })

  it('refuses stored KDF parameters beyond the caps with UNSUPPORTED before deriving anything', async () => {
    const native = await loadSodium()
    let derivations = 0
    const counting: SodiumBackend = {
      ...native,
      pwhash: (...args) => {
        derivations++
        return native.pwhash(...args)
      },
    }
    for (const update of ['memlimit = 5 * 1024 * 1024 * 1024', 'opslimit = 21']) {
      const { dir, vault } = await createTestVault()
      vault.lock()
      withRawDb(dir, (db) => db.exec(`UPDATE keyslots SET ${update} WHERE kind = 'passphrase'`))
      await expect(openVault(dir, TEST_PASSPHRASE, { sodium: counting })).rejects.toThrow(code('UNSUPPORTED'))
    }
    expect(derivations).toBe(0)
    // Raised within the caps, above what the vault was created with: not derived until the user confirms.
    const { dir, vault } = await createTestVault()
    vault.lock()
    withRawDb(dir, (db) => db.exec(`UPDATE keyslots SET opslimit = 4 WHERE kind = 'passphrase'`))
    await expect(openVault(dir, TEST_PASSPHRASE, { sodium: counting })).rejects.toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringContaining('than when it was created') }),
    )
    expect(derivations).toBe(0)
    // Confirmed, it is derived once; the AD binds the parameters so the slot does not open, and the keyslot check
    // says the slot was changed: damage, not a wrong passphrase.
    await expect(openVault(dir, TEST_PASSPHRASE, { sodium: counting, allowStrongerKdf: true })).rejects.toThrow(
      expect.objectContaining({ code: 'CORRUPT', message: expect.stringContaining('key slots are damaged') }),
    )
    expect(derivations).toBe(1)
    // Lowered: derived without asking, and reported as damage the same way.
    withRawDb(dir, (db) => db.exec(`UPDATE keyslots SET opslimit = 2 WHERE kind = 'passphrase'`))
    await expect(openVault(dir, TEST_PASSPHRASE, { sodium: counting })).rejects.toThrow(code('CORRUPT'))
    expect(derivations).toBe(2)
  })

  it('distinguishes NOT_A_VAULT, CORRUPT and UNSUPPORTED', async () => {
    const missing = createVaultDir()
    await expect(openVault(missing, TEST_PASSPHRASE)).rejects.toThrow(code('NOT_A_VAULT'))
    fs.mkdirSync(missing)
    await expect(openVault(missing, TEST_PASSPHRASE)).rejects.toThrow(code('NOT_A_VAULT'))
    fs.writeFileSync(path.join(missing, 'notes.txt'), 'hello')
    await expect(openVault(missing, TEST_PASSPHRASE)).rejects.toThrow(code('NOT_A_VAULT'))
    expect(() => inspectVault(path.join(missing, 'notes.txt'))).toThrow(code('NOT_A_VAULT'))

    const garbage = createVaultDir()
    fs.mkdirSync(garbage)
    fs.writeFileSync(path.join(garbage, 'vault.sqlite'), Buffer.alloc(8192, 0x41))
    await expect(openVault(garbage, TEST_PASSPHRASE)).rejects.toThrow(code('CORRUPT'))
    fs.writeFileSync(path.join(garbage, 'vault.sqlite'), '')
    await expect(openVault(garbage, TEST_PASSPHRASE)).rejects.toThrow(code('CORRUPT'))
    fs.rmSync(path.join(garbage, 'vault.sqlite'))
    withRawDb(garbage, (db) => db.exec('CREATE TABLE other (x)'))
    await expect(openVault(garbage, TEST_PASSPHRASE)).rejects.toThrow(code('CORRUPT'))

    const newer = await createTestVault()
    newer.vault.lock()
    withRawDb(newer.dir, (db) => db.pragma(`user_version = ${SCHEMA_VERSION + 1}`))
    await expect(openVault(newer.dir, TEST_PASSPHRASE)).rejects.toThrow(code('UNSUPPORTED'))
    const newerFormat = await createTestVault()
    newerFormat.vault.lock()
    withRawDb(newerFormat.dir, (db) => db.exec('UPDATE vault_meta SET format_version = 2'))
    await expect(openVault(newerFormat.dir, TEST_PASSPHRASE)).rejects.toThrow(code('UNSUPPORTED'))
  })

  it('counts unlock failures in memory and logs them at the next successful unlock', async () => {
    const { dir, vault } = await createTestVault()
    vault.lock()
    const before = hashTree(dir)
    for (let i = 0; i < 2; i++) await expect(openVault(dir, Buffer.from(`guess ${i}`))).rejects.toThrow(code('WRONG_PASSPHRASE'))
    expect(countUnlockFailures(dir)).toBe(2)
    expect(hashTree(dir)).toEqual(before)
    const opened = await openVault(dir, TEST_PASSPHRASE)
    expect(countUnlockFailures(dir)).toBe(0)
    const types = opened.audit.list().map((e) => e.type)
    expect(types.slice(-3)).toEqual(['vault.unlock_failed', 'vault.unlock_failed', 'vault.unlocked'])
    expect(opened.audit.verify()).toMatchObject({ ok: true })
    opened.lock()
  })
})

describe('lock', () => {
  it('zeroes every key buffer, closes the database and makes every method throw VAULT_LOCKED', async () => {
    const { vault } = await createTestVault()
    const ref = vault.createRecord('note', { summary: {}, body: {} })
    const keys = vault.__keyBuffersForTest()
    expect(keys.length).toBeGreaterThanOrEqual(6)
    for (const key of keys) expect(key.equals(Buffer.alloc(key.length))).toBe(false)
    vault.lock()
    expect(vault.locked).toBe(true)
    for (const key of keys) expect(key.equals(Buffer.alloc(key.length))).toBe(true)
    const calls: (() => unknown)[] = [
      () => vault.createRecord('note', { summary: {}, body: {} }),
      () => vault.updateRecord(ref.id, { summary: {}, body: {} }),
      () => vault.deleteRecord(ref.id),
      () => vault.getRecord(ref.id),
      () => vault.hasRecord(ref.id),
      () => vault.listRecords(),
      () => vault.listRevisions(ref.id),
      () => vault.listChangedSince(0),
      () => vault.listAttachments(ref.id),
      () => vault.getSetting('a'),
      () => vault.setSetting('a', 'b'),
      () => vault.audit.append('x.y'),
      () => vault.audit.verify(),
      () => vault.audit.list(),
    ]
    for (const call of calls) expect(call).toThrow(code('VAULT_LOCKED'))
    await expect(vault.addAttachment(ref.id, '/dev/null', { filename: 'a', mediaType: 'text/plain' })).rejects.toThrow(code('VAULT_LOCKED'))
    await expect(vault.addAttachmentFromStream(ref.id, Readable.from([]), { filename: 'a', mediaType: 'text/plain' })).rejects.toThrow(
      code('VAULT_LOCKED'),
    )
    await expect(vault.exportAttachment('a'.repeat(32), path.join(root, 'x'))).rejects.toThrow(code('VAULT_LOCKED'))
    await expect(vault.readAttachment('a'.repeat(32))).rejects.toThrow(code('VAULT_LOCKED'))
    await expect(vault.changePassphrase(TEST_PASSPHRASE, Buffer.from('n'))).rejects.toThrow(code('VAULT_LOCKED'))
    expect(() => vault.lock()).not.toThrow()
  })
})

describe('migrations', () => {
  it('run forward from version 1, keeping rows, in a fresh database', () => {
    const file = path.join(root, `migrate-${++counter}.sqlite`)
    const db = new Database(file)
    try {
      expect(migrateDatabase(db, 1)).toBe(1)
      db.prepare('INSERT INTO vault_meta (singleton, vault_id, format_version) VALUES (1, ?, 1)').run('c'.repeat(32))
      db.prepare('INSERT INTO records (id, kind_tag, current_revision, change_seq) VALUES (?, ?, 1, 1)').run(
        'd'.repeat(32),
        Buffer.alloc(16, 7),
      )
      const before = db.prepare('SELECT * FROM records').all()
      expect(() => db.prepare('SELECT * FROM settings').all()).toThrow()
      expect(migrateDatabase(db)).toBe(SCHEMA_VERSION)
      expect(readSchemaVersion(db)).toBe(8)
      expect(db.prepare('SELECT * FROM records').all()).toEqual(before)
      expect(db.prepare('SELECT * FROM settings').all()).toEqual([])
      expect(db.prepare('SELECT * FROM members').all()).toEqual([])
      // Item keys are made by the unlock that follows (it needs the vault key), not by the schema migration.
      expect(db.prepare('SELECT * FROM item_keys').all()).toEqual([])
      // Member key pairs and area keys likewise (vault/areaKeys.ts).
      expect(db.prepare('SELECT * FROM member_keys').all()).toEqual([])
      expect(db.prepare('SELECT * FROM area_keys').all()).toEqual([])
      const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]).map((r) => r.name)
      expect(indexes).toContain('attachments_by_record')
    } finally {
      db.close()
    }
  })

  it('upgrade a schema-1 vault at its first successful unlock (not at a failed one)', async () => {
    // An empty vault: records written before item keys are the golden fixture's (fixture.test.ts migrates them).
    const { dir, vault } = await createTestVault()
    vault.lock()
    // Turn it back into what schema 1 wrote.
    withRawDb(dir, (db) => {
      db.exec(
        'DROP INDEX attachments_by_record; DROP TABLE settings; DROP TABLE members; DROP TABLE invitations; DROP TABLE item_keys; DROP TABLE member_keys; DROP TABLE area_keys',
      )
      for (const column of ['state_digest', 'state_mac', 'keyslot_check', 'created_opslimit', 'created_memlimit'])
        db.exec(`ALTER TABLE vault_meta DROP COLUMN ${column}`)
      db.pragma('user_version = 1')
    })
    expect(inspectVault(dir).schemaVersion).toBe(1)
    await expect(openVault(dir, Buffer.from('wrong'))).rejects.toThrow(code('WRONG_PASSPHRASE'))
    expect(inspectVault(dir).schemaVersion).toBe(1)
    const opened = await openVault(dir, TEST_PASSPHRASE)
    const ref = opened.createRecord('note', { summary: { t: 'new' }, body: 'v1' })
    expect(opened.getRecord(ref.id).body).toBe('v1')
    opened.setSetting('autoLockMinutes', '5')
    opened.lock()
    expect(inspectVault(dir).schemaVersion).toBe(SCHEMA_VERSION)
  })
})
