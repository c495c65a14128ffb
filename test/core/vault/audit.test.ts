// Core test (Node): the audit chain logs every vault change with ids only, and verify() reports the first broken
// entry after an edit, a deletion, a reordering or a cut tail.

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { createVault, MIN_KDF, openVault, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let vault: Vault
let raw: Database.Database
let count = 0
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

type Row = { seq: number; nonce: Buffer; ciphertext: Buffer; mac: Buffer }

beforeEach(async () => {
  if (raw) raw.close()
  if (vault && !vault.locked) vault.lock()
  const dir = path.join(root, `v${++count}`)
  ;({ vault } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF }))
  const a = vault.createRecord('letter', { summary: { title: 'secret title' }, body: 'secret body' })
  vault.updateRecord(a.id, { summary: { title: 'secret 2' }, body: 'b2' })
  const b = vault.createRecord('note', { summary: {}, body: {} })
  vault.deleteRecord(b.id)
  vault.audit.append('bundle.exported', { bundleId: 'f'.repeat(32), records: 1 })
  raw = new Database(path.join(dir, 'vault.sqlite'))
})

afterAll(() => {
  raw?.close()
  if (vault && !vault.locked) vault.lock()
})

function readRow(seq: number): Row {
  return raw.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as Row
}

describe('audit chain', () => {
  it('logs each change with ids only, in order, and verifies', () => {
    const entries = vault.audit.list()
    expect(entries.map((e) => e.type)).toEqual([
      'vault.created',
      // Creation also makes the first key for dossiers' sensitive parts (docs/CRYPTO.md section 16).
      'area.created',
      'record.created',
      'record.updated',
      'record.created',
      'record.deleted',
      'bundle.exported',
    ])
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7])
    for (const entry of entries) {
      expect(Date.parse(entry.at)).not.toBeNaN()
      expect(JSON.stringify(entry.details)).not.toMatch(/secret/)
    }
    expect(entries[2]!.details).toEqual({ recordId: expect.stringMatching(/^[0-9a-f]{32}$/), revision: 1 })
    expect(vault.audit.verify()).toEqual({ ok: true, entries: 7 })
  })

  it('rejects malformed event types and details with VALIDATION, appending nothing', () => {
    expect(() => vault.audit.append('NoDots')).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(() => vault.audit.append('a.b', { nested: {} as unknown as string })).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
    expect(vault.audit.verify()).toEqual({ ok: true, entries: 7 })
  })

  it('detects an edited ciphertext, nonce or MAC at that entry', () => {
    for (const column of ['ciphertext', 'nonce', 'mac'] as const) {
      const row = readRow(3)
      const changed = Buffer.from(row[column])
      changed[changed.length - 1]! ^= 0x01
      raw.prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = 3`).run(changed)
      expect(vault.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 3, entries: 2 })
      expect(() => vault.audit.list()).toThrow(expect.objectContaining({ code: 'TAMPERED' }))
      raw.prepare(`UPDATE audit_log SET ${column} = ? WHERE seq = 3`).run(row[column])
    }
    expect(vault.audit.verify()).toEqual({ ok: true, entries: 7 })
  })

  it('reads the entries after a mark, checked from there to the head (what sync sends of this office)', () => {
    expect(vault.audit.lastSeq()).toBe(7)
    expect(vault.audit.listAfter(4).map((e) => [e.seq, e.type])).toEqual([
      [5, 'record.created'],
      [6, 'record.deleted'],
      [7, 'bundle.exported'],
    ])
    expect(vault.audit.listAfter(0)).toEqual(vault.audit.list())
    expect(vault.audit.listAfter(7)).toEqual([])
    // An edited entry after the mark, and a cut tail, are found; an entry before the mark is not read at all.
    const six = readRow(6)
    const changed = Buffer.from(six.ciphertext)
    changed[0]! ^= 0x01
    raw.prepare('UPDATE audit_log SET ciphertext = ? WHERE seq = 6').run(changed)
    expect(() => vault.audit.listAfter(4)).toThrow(expect.objectContaining({ code: 'TAMPERED' }))
    expect(() => vault.audit.listAfter(6)).not.toThrow()
    raw.prepare('UPDATE audit_log SET ciphertext = ? WHERE seq = 6').run(six.ciphertext)
    raw.prepare('DELETE FROM audit_log WHERE seq = 7').run()
    expect(() => vault.audit.listAfter(4)).toThrow(expect.objectContaining({ code: 'TAMPERED' }))
    expect(() => vault.audit.listAfter(7)).toThrow(expect.objectContaining({ code: 'TAMPERED' }))
  })

  it("marks what is written while another office's change-set is applied, and only that", () => {
    vault.audit.whileApplyingSync(() => vault.createRecord('note', { summary: {}, body: {} }))
    expect(() =>
      vault.audit.whileApplyingSync(() => {
        throw new Error('applying failed')
      }),
    ).toThrow('applying failed')
    vault.audit.append('bundle.exported', { records: 2 })
    const [applied, after] = vault.audit.listAfter(7)
    expect(applied).toMatchObject({ type: 'record.created', via: 'sync' })
    expect(after!.type).toBe('bundle.exported')
    expect(after!.via).toBeUndefined()
    expect(vault.audit.verify()).toEqual({ ok: true, entries: 9 })
  })

  it('detects a deleted entry', () => {
    raw.prepare('DELETE FROM audit_log WHERE seq = 4').run()
    expect(vault.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 4, entries: 3 })
  })

  it('detects reordered entries', () => {
    const three = readRow(3)
    const four = readRow(4)
    const put = (seq: number, r: Row) =>
      raw.prepare('UPDATE audit_log SET nonce = ?, ciphertext = ?, mac = ? WHERE seq = ?').run(r.nonce, r.ciphertext, r.mac, seq)
    put(3, four)
    put(4, three)
    expect(vault.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 3 })
  })

  it('detects removal of the newest entries through the chain head', () => {
    raw.prepare('DELETE FROM audit_log WHERE seq >= 5').run()
    expect(vault.audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 5, entries: 4 })
  })

  it('refuses to append after a cut tail (the stored head is checked first), writing nothing', () => {
    raw.prepare('DELETE FROM audit_log WHERE seq >= 5').run()
    const rows = () => (raw.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n
    const before = rows()
    expect(() => vault.createRecord('note', { summary: { title: 'after the cut' }, body: 'x' })).toThrow(
      expect.objectContaining({ code: 'TAMPERED', message: 'The activity log was cut or changed outside Custodia' }),
    )
    expect(rows()).toBe(before)
    expect(vault.listRecords().map((r) => r.summary['title'])).not.toContain('after the cut')
  })

  it('keeps working after a lock and reopen', async () => {
    const dir = vault.dir
    raw.close()
    vault.lock()
    vault = await openVault(dir, TEST_PASSPHRASE)
    raw = new Database(path.join(dir, 'vault.sqlite'))
    expect(
      vault.audit
        .list()
        .map((e) => e.type)
        .slice(-2),
    ).toEqual(['vault.locked', 'vault.unlocked'])
    expect(vault.audit.verify()).toEqual({ ok: true, entries: 9 })
  })
})
