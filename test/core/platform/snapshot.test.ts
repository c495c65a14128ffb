// Node: the pre-unlock snapshot of vault.sqlite (platform/db/connection.ts openSnapshot) on real SQLite files. A clean
// vault is read in place (no copy of the whole file at every unlock), changes no byte of the folder, and keeps one
// instant while another connection writes; a vault with a WAL waiting is read from a private copy with the WAL
// replayed; damage and absence have their own errors.

import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, openSnapshot } from '../../../electron/core/platform/db/connection'
import { createTempDir, hashTree } from '../../helpers/vaultTestUtils'

let dir: string
let file: string

beforeEach(() => {
  dir = createTempDir()
  file = path.join(dir, 'vault.sqlite')
  const db = openDatabase(file, { create: true })
  db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)')
  db.prepare('INSERT INTO notes (text) VALUES (?)').run('first')
  db.close()
})

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const countNotes = (db: { prepare(sql: string): { pluck(): { get(): unknown } } }) => db.prepare('SELECT count(*) FROM notes').pluck().get()

describe('openSnapshot', () => {
  it('reads a cleanly closed vault in place and leaves every byte of the folder as it was', () => {
    const before = hashTree(dir)
    const snapshot = openSnapshot(file)
    // In place: the connection is on the vault file itself, not on a copy in memory or in a temp folder.
    expect(snapshot.db.name).toBe(file)
    expect(countNotes(snapshot.db)).toBe(1)
    snapshot.close()
    expect(hashTree(dir)).toEqual(before)
    expect(fs.readdirSync(dir)).toEqual(['vault.sqlite'])
  })

  it('writes nothing, even when asked to', () => {
    const snapshot = openSnapshot(file)
    expect(() => snapshot.db.prepare('INSERT INTO notes (text) VALUES (?)').run('sneaked in')).toThrow(/readonly|query_only|read-only/i)
    snapshot.close()
    const reader = openSnapshot(file)
    expect(countNotes(reader.db)).toBe(1)
    reader.close()
  })

  it('keeps the instant it was opened while another connection writes', () => {
    const snapshot = openSnapshot(file)
    const writer = openDatabase(file)
    writer.prepare('INSERT INTO notes (text) VALUES (?)').run('second')
    expect(countNotes(writer)).toBe(2)
    expect(countNotes(snapshot.db)).toBe(1)
    snapshot.close()
    // The writer was open when the snapshot closed: its -wal and -shm stay, and its row is intact.
    expect(countNotes(writer)).toBe(2)
    writer.close()
    expect(fs.readdirSync(dir)).toEqual(['vault.sqlite'])
  })

  it('reads a vault a crash left with a WAL from a private copy, with the WAL replayed, and changes none of its files', () => {
    const writer = openDatabase(file)
    writer.prepare('INSERT INTO notes (text) VALUES (?)').run('only in the WAL')
    // The state a SIGKILL leaves: copied while the writer is still open (its WAL not yet checkpointed).
    const crashed = path.join(dir, 'crashed')
    fs.mkdirSync(crashed)
    for (const name of fs.readdirSync(dir).filter((entry) => entry.startsWith('vault.sqlite'))) {
      fs.copyFileSync(path.join(dir, name), path.join(crashed, name))
    }
    writer.close()
    const crashedFile = path.join(crashed, 'vault.sqlite')
    expect(fs.statSync(`${crashedFile}-wal`).size).toBeGreaterThan(0)
    const before = hashTree(crashed)
    const snapshot = openSnapshot(crashedFile)
    expect(snapshot.db.name).not.toBe(crashedFile)
    expect(countNotes(snapshot.db)).toBe(2)
    snapshot.close()
    expect(hashTree(crashed)).toEqual(before)
  })

  it('says NOT_A_VAULT for a missing file and CORRUPT for a damaged one, leaving the damaged one as it was', () => {
    expect(() => openSnapshot(path.join(dir, 'missing.sqlite'))).toThrow(expect.objectContaining({ code: 'NOT_A_VAULT' }))
    const damaged = path.join(dir, 'damaged.sqlite')
    fs.writeFileSync(damaged, Buffer.alloc(8192, 0x41))
    const before = hashTree(dir)
    expect(() => openSnapshot(damaged)).toThrow(expect.objectContaining({ code: 'CORRUPT' }))
    expect(hashTree(dir)).toEqual(before)
    expect(fs.readdirSync(dir).sort()).toEqual(['damaged.sqlite', 'vault.sqlite'])
  })
})
