// Core (Node): sync when things go wrong around it, on real vault files, real libsodium and a real filesystem — a sync
// folder on a full disk (a 2 MiB tmpfs filled to the last byte) refuses the run in plain words, loses nothing and
// sends everything once there is room; a copy that was away for a month while the other office made 500 changes (and
// it made its own) catches up in one run, and both end equal; a computer whose clock runs ten years ahead has its
// changes applied (sync orders by the revision graph, not by clocks), crossed edits kept both, and is named in the
// status so its people set the date.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { updateDocument } from '../../../electron/core/library/documentService'
import { computeSyncDigest, readSyncStatus, runSync, runSyncAndShred } from '../../../electron/core/sync/syncEngine'
import { addLetter, attachBytes, attachmentBytes, documentsOf, letter, makeTwoOffices } from '../../helpers/syncReplicas'
import { createTempDir } from '../../helpers/vaultTestUtils'

let work: string
beforeAll(() => {
  work = createTempDir()
})
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true })
})

/** Writes into `dir` until the filesystem has no byte left; returns the filler's path. */
function fillUp(dir: string): string {
  const filler = path.join(dir, 'filler')
  const fd = fs.openSync(filler, 'w')
  const chunk = Buffer.alloc(4096, 1)
  try {
    for (;;) fs.writeSync(fd, chunk)
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC')
  } finally {
    fs.closeSync(fd)
  }
  // Whatever a 4 KiB write could not take: the last bytes, one at a time.
  const last = fs.openSync(filler, 'a')
  try {
    for (;;) fs.writeSync(last, Buffer.alloc(1, 1))
  } catch {
    // full to the byte
  } finally {
    fs.closeSync(last)
  }
  return filler
}

describe('sync faults', () => {
  it('a full sync folder refuses the run in plain words, keeps every change, and sends it all once there is room', async () => {
    const folder = path.join(work, 'full-disk', 'shared')
    fs.mkdirSync(folder, { recursive: true })
    // A small disk of its own for the sync folder (the tests run as root, as .ci/run does).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', folder])
    try {
      const { a, b } = await makeTwoOffices(path.join(work, 'full-disk'))
      runSync(a)
      runSync(b)
      const filler = fillUp(folder)
      const ids = [1, 2, 3].map((n) => addLetter(a, `Letter ${n} to the ombudsman`, `Case ${n}. `.repeat(400)))
      let refusal: unknown
      try {
        runSync(a)
      } catch (error) {
        refusal = error
      }
      expect(refusal).toMatchObject({ message: expect.stringMatching(/sync folder is full/i) })
      expect((refusal as Error).message).not.toMatch(/ENOSPC|errno|syscall/)
      // An attachment's chunk files, written before the change-sets, are refused the same way.
      const scan = Buffer.alloc(96 * 1024, 7)
      const attachmentId = await attachBytes(a, ids[0]!, scan)
      await expect(runSyncAndShred(a)).rejects.toMatchObject({ message: expect.stringMatching(/sync folder is full/i) })
      // Nothing lost here, nothing half-written there.
      for (const id of ids) expect(a.vault.hasRecord(id)).toBe(true)
      expect(fs.readdirSync(folder, { recursive: true }).filter((name) => String(name).includes('.tmp'))).toEqual([])
      fs.rmSync(filler)
      expect((await runSyncAndShred(a)).written).toBeGreaterThan(0)
      expect((await runSyncAndShred(b)).applied).toBeGreaterThan(0)
      expect((await attachmentBytes(b, attachmentId)).equals(scan)).toBe(true)
      expect(Object.keys(documentsOf(b)).sort()).toEqual([...ids].sort())
      expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
      a.vault.lock()
      b.vault.lock()
    } finally {
      execFileSync('umount', [folder])
    }
  })

  it('a copy away for a month catches up with 500 changes in one run, and its own changes reach the other office', async () => {
    const { a, b } = await makeTwoOffices(path.join(work, 'month-away'))
    const shared = addLetter(a, 'Joint statement on prisoners of war', 'Draft one.')
    runSync(a)
    runSync(b)
    // Bohdan's laptop is away: a month of work in Oslo, synced every ten changes (as Syncthing and "Sync now" would),
    // 250 new letters and 250 edits of them. Sync orders by the revision graph, never by the calendar: how long the copy
    // was away does not matter, only what was written meanwhile.
    const created: string[] = []
    for (let n = 0; n < 250; n++) {
      created.push(addLetter(a, `Letter no. ${n}`, `Text ${n}.`))
      updateDocument(a.vault, created[n]!, letter(`Letter no. ${n} (revised)`, `Text ${n}, revised.`), { expectedRevision: 1 })
      if (n % 5 === 4) runSync(a)
    }
    runSync(a)
    // Meanwhile Bohdan edits the shared statement and writes a letter of his own, offline.
    updateDocument(b.vault, shared, letter('Joint statement on prisoners of war', 'Kyiv draft.'), { expectedRevision: 1 })
    const own = addLetter(b, 'Note from Kyiv', 'Written offline.')

    const caughtUp = runSync(b)
    expect(caughtUp.refused).toEqual([])
    expect(caughtUp.waiting).toBe(0)
    expect(caughtUp.applied).toBeGreaterThanOrEqual(50)
    runSync(a)
    const onA = documentsOf(a)
    expect(Object.keys(onA)).toHaveLength(252)
    expect(onA[own]).toMatchObject({ title: 'Note from Kyiv' })
    expect(documentsOf(b)[created[249]!]).toMatchObject({ title: 'Letter no. 249 (revised)' })
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
    a.vault.lock()
    b.vault.lock()
  })

  it('a computer whose clock runs ten years ahead: its changes are applied, crossed edits keep both, and the status names it', async () => {
    const { a, b } = await makeTwoOffices(path.join(work, 'clock-ahead'))
    const shared = addLetter(a, 'Appeal to the Ministry of Justice', 'First draft.')
    runSync(a)
    runSync(b)
    expect(readSyncStatus(b).peers.find((p) => p.member === 'Anna')).toMatchObject({ clockAheadDays: null })
    // Both edit the appeal while apart; Anna's laptop thinks it is ten years later (only Date is moved).
    updateDocument(b.vault, shared, letter('Appeal to the Ministry of Justice', 'Kyiv wording.'), { expectedRevision: 1 })
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      vi.setSystemTime(Date.now() + 3653 * 24 * 60 * 60 * 1000)
      updateDocument(a.vault, shared, letter('Appeal to the Ministry of Justice', 'Oslo wording.'), { expectedRevision: 1 })
      runSync(a)
    } finally {
      vi.useRealTimers()
    }
    const run = runSync(b)
    expect(run.refused).toEqual([])
    expect(run.applied).toBe(1)
    expect(run.conflicts).toBe(1)
    const anna = readSyncStatus(b).peers.find((p) => p.member === 'Anna')!
    expect(anna.clockAheadDays).toBeGreaterThanOrEqual(3652)
    expect(anna.clockAheadDays).toBeLessThanOrEqual(3653)
    // Nothing lost: both wordings are in the appeal's history on Bohdan's copy.
    const texts = b.vault.listRevisions(shared).map((r) => String(b.vault.getRecord<{ text: string }>(shared, r.revision).body.text))
    expect(texts).toEqual(expect.arrayContaining(['Kyiv wording.', 'Oslo wording.']))
    runSync(a)
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
    a.vault.lock()
    b.vault.lock()
  })
})
