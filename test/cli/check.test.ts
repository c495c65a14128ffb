// CLI (Node): `custodia check` and what every command says about a vault changed outside Custodia — the findings of
// issue #19 reproduced through the CLI as the audit did (sqlite3-style edits), with their exit codes.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { runCustodia } from '../helpers/cli'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
const work = mkdtempSync(join(tmpdir(), 'custodia-check-'))
let counter = 0
afterAll(() => rmSync(work, { recursive: true, force: true }))

async function createSample(): Promise<{ dir: string; ids: string[] }> {
  const dir = join(work, `v${++counter}`)
  const { vault } = await createVault(dir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  const ids = ['first', 'second', 'third'].map((title) => vault.createRecord('note', { summary: { title }, body: { title } }).id)
  vault.updateRecord(ids[0]!, { summary: { title: 'first, revised' }, body: {} })
  vault.lock()
  return { dir, ids }
}

function sql(dir: string, statement: string, ...params: unknown[]): void {
  const db = new Database(join(dir, 'vault.sqlite'))
  db.prepare(statement).run(...params)
  db.close()
}

describe('custodia check', () => {
  it('says OK with counts on an untouched vault, exit 0, and changes nothing it reports on', async () => {
    const { dir } = await createSample()
    const result = await runCustodia(['check', dir], { env })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Checked 3 records (4 saved versions), 0 attachments')
    expect(result.stdout).toContain('OK: everything verifies')
  })

  it('the audit log cut: audit verify and ls fail with TAMPERED (6) naming it; check --accept lets work go on', async () => {
    const { dir } = await createSample()
    sql(dir, 'DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 4 FROM audit_log)')
    const verify = await runCustodia(['audit', 'verify', dir], { env })
    expect(verify.code).toBe(EXIT_CODES.TAMPERED)
    expect(verify.stderr).toContain('activity log')
    expect((await runCustodia(['ls', dir], { env })).code).toBe(EXIT_CODES.TAMPERED)

    const check = await runCustodia(['check', dir], { env })
    expect(check.code).toBe(EXIT_CODES.TAMPERED)
    expect(check.stdout).toContain('activity log')
    const accepted = await runCustodia(['check', dir, '--accept'], { env })
    expect(accepted.stdout).toContain('Accepted')
    const ls = await runCustodia(['ls', dir], { env })
    expect(ls.code).toBe(0)
    expect(ls.stdout.trim().split('\n')).toHaveLength(3)
  })

  it('the whole audit log deleted and its head set to NULL: audit verify fails with TAMPERED (6), not "OK 1 entries"', async () => {
    const { dir } = await createSample()
    sql(dir, 'DELETE FROM audit_log')
    sql(dir, 'UPDATE vault_meta SET audit_head = NULL')
    const verify = await runCustodia(['audit', 'verify', dir], { env })
    expect(verify.code).toBe(EXIT_CODES.TAMPERED)
    expect(verify.stdout).not.toMatch(/^OK/m)
    expect(verify.stderr).toContain('activity log')
    // check reports it too (the emptied chain counts as damage there: exit 5).
    const check = await runCustodia(['check', dir], { env })
    expect([EXIT_CODES.CORRUPT, EXIT_CODES.TAMPERED]).toContain(check.code)
    expect(check.stdout).toContain('The activity log was cut, emptied or replaced')
  })

  it('a record deleted or rolled back: ls and cat refuse with TAMPERED and the id, instead of showing less', async () => {
    const removed = await createSample()
    sql(removed.dir, 'DELETE FROM revisions WHERE record_id = ?', removed.ids[1])
    sql(removed.dir, 'DELETE FROM records WHERE id = ?', removed.ids[1])
    const ls = await runCustodia(['ls', removed.dir], { env })
    expect(ls.code).toBe(EXIT_CODES.TAMPERED)
    expect(ls.stdout).toBe('')
    expect(ls.stderr).toContain(`1 record was removed. (${removed.ids[1]})`)
    expect(ls.stderr).toContain('custodia check <folder> --accept')

    const rolled = await createSample()
    sql(rolled.dir, 'UPDATE records SET current_revision = 1 WHERE id = ?', rolled.ids[0])
    const cat = await runCustodia(['cat', rolled.dir, rolled.ids[0]!], { env })
    expect(cat.code).toBe(EXIT_CODES.TAMPERED)
    expect(cat.stderr).toContain('set back to an older version')
  })

  it('a setting edited to switch auto-lock off is reported, not obeyed', async () => {
    const { dir } = await createSample()
    const db = new Database(join(dir, 'vault.sqlite'))
    db.prepare(`INSERT INTO settings (name, value) VALUES ('autoLockMinutes', '0') ON CONFLICT (name) DO UPDATE SET value = '0'`).run()
    db.close()
    const result = await runCustodia(['ls', dir], { env })
    expect(result.code).toBe(EXIT_CODES.TAMPERED)
    expect(result.stderr).toMatch(/setting/i)
  })

  it('a damaged saved version is CORRUPT (5) in check, with the version named', async () => {
    const { dir, ids } = await createSample()
    const db = new Database(join(dir, 'vault.sqlite'))
    const row = db.prepare('SELECT body_ct FROM revisions WHERE record_id = ? AND revision = 1').get(ids[0]) as { body_ct: Buffer }
    row.body_ct[3]! ^= 0x40
    // Same length and same last 16 bytes (the tag): the commitment cannot see it; reading it does.
    db.prepare('UPDATE revisions SET body_ct = ? WHERE record_id = ? AND revision = 1').run(row.body_ct, ids[0])
    db.close()
    const result = await runCustodia(['check', dir], { env })
    expect(result.code).toBe(EXIT_CODES.CORRUPT)
    expect(result.stdout).toContain(`${ids[0]}@1`)
  })

  it('SQLite damage surfaces as CORRUPT (5) with a plain message, never as an unexpected error', async () => {
    const { dir } = await createSample()
    // A table the vault reads, replaced by one of the wrong shape: SQLite itself fails while the command runs.
    sql(dir, 'DROP TABLE tombstones')
    const result = await runCustodia(['ls', dir], { env })
    expect(result.stderr).not.toContain('unexpected error')
    expect([EXIT_CODES.CORRUPT, EXIT_CODES.TAMPERED]).toContain(result.code)
  })

  it('a forged memory cost is not derived without --allow-stronger-kdf; with it, the forged slot is damage (5)', async () => {
    const { dir } = await createSample()
    sql(dir, `UPDATE keyslots SET memlimit = memlimit * 2 WHERE kind = 'passphrase'`)
    const refused = await runCustodia(['ls', dir], { env })
    expect(refused.code).toBe(EXIT_CODES.UNSUPPORTED)
    expect(refused.stderr).toContain('--allow-stronger-kdf')
    const confirmed = await runCustodia(['check', dir, '--allow-stronger-kdf'], { env })
    expect(confirmed.code).toBe(EXIT_CODES.CORRUPT)
    expect(confirmed.stderr).toContain('key slots are damaged')
  })
})
