// Core tests (Node, real files in a temp folder): platform/fs/atomicWrite replaces a whole file or leaves it as it
// was, never leaves its temp file behind after a failure, and cleans up what a crash left.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { removeAtomicWriteLeftovers, writeFileAtomicSync } from '../../../electron/core/platform/fs/atomicWrite'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-atomic-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('writeFileAtomicSync', () => {
  it('creates and then replaces a file with text, bytes or pieces in order, leaving nothing else in the folder', () => {
    const file = path.join(dir, 'settings.json')
    writeFileAtomicSync(file, '{"a":1}')
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}')
    writeFileAtomicSync(file, Buffer.from('Лубінець'))
    expect(fs.readFileSync(file, 'utf8')).toBe('Лубінець')
    const big = Buffer.alloc(3 * 1024 * 1024, 7)
    writeFileAtomicSync(file, [Buffer.from('HEAD'), big, new Uint8Array([1, 2])])
    const back = fs.readFileSync(file)
    expect(back.length).toBe(4 + big.length + 2)
    expect(back.subarray(0, 4).toString()).toBe('HEAD')
    expect([...back.subarray(-2)]).toEqual([1, 2])
    expect(fs.readdirSync(dir)).toEqual(['settings.json'])
  })

  it('creates the file 0600 unless told otherwise (POSIX permissions)', () => {
    const secret = path.join(dir, 'secret.bin')
    writeFileAtomicSync(secret, 'x')
    expect(fs.statSync(secret).mode & 0o777).toBe(0o600)
    const shared = path.join(dir, 'shared.txt')
    const umask = process.umask()
    writeFileAtomicSync(shared, 'x', { mode: 0o644 })
    expect(fs.statSync(shared).mode & 0o777).toBe(0o644 & ~umask)
  })

  it('leaves the old content and no temp file when the rename fails', () => {
    // A folder with content in the target's place: the data is written and synced, then the rename is refused.
    const target = path.join(dir, 'target')
    fs.mkdirSync(target)
    fs.writeFileSync(path.join(target, 'inside.txt'), 'old')
    expect(() => writeFileAtomicSync(target, 'new')).toThrow()
    expect(fs.readFileSync(path.join(target, 'inside.txt'), 'utf8')).toBe('old')
    expect(fs.readdirSync(dir)).toEqual(['target'])
  })

  it('fails without touching anything when the folder does not exist', () => {
    expect(() => writeFileAtomicSync(path.join(dir, 'missing', 'file.txt'), 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }))
    expect(fs.readdirSync(dir)).toEqual([])
  })
})

describe('removeAtomicWriteLeftovers', () => {
  it("removes only the given file's temp files", () => {
    const file = path.join(dir, 'search.snap')
    writeFileAtomicSync(file, 'current')
    for (const name of [
      '.search.snap.0a1b2c3d4e5f.tmp',
      '.search.snap.ffffffffffff.tmp',
      '.other.snap.0a1b2c3d4e5f.tmp',
      'search.snap.tmp',
    ]) {
      fs.writeFileSync(path.join(dir, name), 'torn')
    }
    removeAtomicWriteLeftovers(file)
    expect(fs.readdirSync(dir).sort()).toEqual(['.other.snap.0a1b2c3d4e5f.tmp', 'search.snap', 'search.snap.tmp'])
    expect(fs.readFileSync(file, 'utf8')).toBe('current')
    expect(() => removeAtomicWriteLeftovers(path.join(dir, 'no-such-folder', 'x'))).not.toThrow()
  })
})
