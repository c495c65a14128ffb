// Core tests (Node, real files in a temp folder): platform/fs/atomicWrite replaces a whole file or leaves it as it
// was, never leaves its temp file behind after a failure, and cleans up what a crash left; `exclusive` never replaces
// a file; writeUserFileSync writes files for the user 0600 whatever the umask, with safe errors.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { removeAtomicWriteLeftovers, writeFileAtomicSync, writeUserFileSync } from '../../../electron/core/platform/fs/atomicWrite'

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

describe('writeFileAtomicSync with exclusive', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('creates a new file, and refuses (EEXIST) to replace one, leaving it and the folder as they were', () => {
    const file = path.join(dir, 'letter.txt')
    writeFileAtomicSync(file, 'first', { exclusive: true })
    expect(fs.readFileSync(file, 'utf8')).toBe('first')
    expect(() => writeFileAtomicSync(file, 'second', { exclusive: true })).toThrow(expect.objectContaining({ code: 'EEXIST' }))
    expect(fs.readFileSync(file, 'utf8')).toBe('first')
    expect(fs.readdirSync(dir)).toEqual(['letter.txt'])
  })

  it('does not replace a file that appears while it writes (the link into place is what refuses)', () => {
    const file = path.join(dir, 'race.txt')
    const link = fs.linkSync.bind(fs)
    vi.spyOn(fs, 'linkSync').mockImplementation((from, to) => {
      fs.writeFileSync(to, 'the other writer')
      link(from, to)
    })
    expect(() => writeFileAtomicSync(file, 'ours', { exclusive: true })).toThrow(expect.objectContaining({ code: 'EEXIST' }))
    expect(fs.readFileSync(file, 'utf8')).toBe('the other writer')
    expect(fs.readdirSync(dir)).toEqual(['race.txt'])
  })

  it('on a filesystem without hard links (EPERM, as FAT) creates the file in place, still never over another', () => {
    vi.spyOn(fs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' })
    })
    const file = path.join(dir, 'stick.txt')
    writeFileAtomicSync(file, 'on a USB stick', { exclusive: true })
    expect(fs.readFileSync(file, 'utf8')).toBe('on a USB stick')
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir)).toEqual(['stick.txt'])
    expect(() => writeFileAtomicSync(file, 'again', { exclusive: true })).toThrow(expect.objectContaining({ code: 'EEXIST' }))
    expect(fs.readFileSync(file, 'utf8')).toBe('on a USB stick')
  })
})

describe('writeUserFileSync', () => {
  let umask: number
  beforeEach(() => {
    umask = process.umask(0)
  })
  afterEach(() => {
    process.umask(umask)
  })

  it('writes 0600 with umask 0, also in place of an existing 0644 file, leaving nothing else', () => {
    const fresh = path.join(dir, 'report.pdf')
    writeUserFileSync(fresh, Buffer.from('%PDF-'))
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o600)
    const older = path.join(dir, 'letter.txt')
    fs.writeFileSync(older, 'old', { mode: 0o644 })
    writeUserFileSync(older, 'new')
    expect(fs.readFileSync(older, 'utf8')).toBe('new')
    expect(fs.statSync(older).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(dir).sort()).toEqual(['letter.txt', 'report.pdf'])
  })

  it('answers CONFLICT for an existing file when exclusive, INTERNAL otherwise, naming no path', () => {
    const file = path.join(dir, 'taken.txt')
    fs.writeFileSync(file, 'keep me')
    expect(() => writeUserFileSync(file, 'x', { exclusive: true })).toThrow(expect.objectContaining({ code: 'CONFLICT' }))
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me')
    let error: unknown
    try {
      writeUserFileSync(path.join(dir, 'no-such-folder', 'secret-name.txt'), 'x')
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'INTERNAL' })
    expect((error as Error).message).not.toMatch(/secret-name|no-such-folder/)
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
