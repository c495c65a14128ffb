// Core (Node): activity entries travel between offices (issue #18: audit entries are append-only across replicas) —
// replicas on real vault files, real libsodium and a plain shared folder. What Anna's office does to a letter shows in
// Bohdan's log as hers, once; what Bohdan's replica wrote while applying it never goes back; local-only entries stay;
// a device that claims another member's activity, or sends details that could carry content, is refused.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listActivity } from '../../../electron/core/activity/activityLog'
import { updateDocument } from '../../../electron/core/library/documentService'
import { readActivityChange, SYNC_ACTIVITY_TYPE } from '../../../electron/core/sync/syncActivity'
import { ChangeSetRefusal, type RosterEntry, type SyncChange, type TravellingActivity } from '../../../electron/core/sync/syncFormat'
import { computeSyncDigest, runSync, runSyncAndShred, type SyncContext } from '../../../electron/core/sync/syncEngine'
import { readTeam, saveTeam } from '../../../electron/core/sync/syncState'
import { appendChangeSet, flushOutbox, recordLocalChanges } from '../../../electron/core/sync/syncWriter'
import { openVault, type AuditEntry } from '../../../electron/core/vault/vault'
import { addLetter, letter, makeJoinedReplica, makeTwoOffices, SYNC_TEST_PASSPHRASE } from '../../helpers/syncReplicas'
import { createTempDir } from '../../helpers/vaultTestUtils'

let work: string
beforeAll(() => {
  work = createTempDir()
})
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true })
})

/** The entries another office's activity about records became in this vault's log (the team's own set-up left out). */
function received(ctx: SyncContext): AuditEntry[] {
  return receivedAll(ctx).filter((e) => e.details['fromType'] !== 'sync.device_invited')
}

function receivedAll(ctx: SyncContext): AuditEntry[] {
  return ctx.vault.audit.list().filter((e) => e.type === SYNC_ACTIVITY_TYPE)
}

function deviceOf(ctx: SyncContext): string {
  return readTeam(ctx.vault)!.team.deviceId
}

/** Writes a change-set as `ctx`'s device with exactly these changes (a device that writes what it likes). */
function writeForged(ctx: SyncContext, changes: SyncChange[]): void {
  const ref = readTeam(ctx.vault)!
  ctx.vault.transaction(() => {
    appendChangeSet(ctx, ref, changes)
    saveTeam(ctx.vault, ref.id, ref.team)
  })
  flushOutbox(ctx, ref.team, ref.team.folder)
}

describe('activity entries travel between offices', () => {
  it("shows Anna's create, edit and shred of a letter in Bohdan's log as hers, once each, and the chains verify", async () => {
    const { a, b } = await makeTwoOffices(path.join(work, 'three-steps'))
    const id = addLetter(a, 'Letter to the ombudsman', 'first text')
    runSync(a)
    updateDocument(a.vault, id, letter('Letter to the ombudsman', 'second text'))
    await a.vault.shred([id])
    for (let run = 0; run < 3; run++) {
      await runSyncAndShred(a)
      await runSyncAndShred(b)
    }
    expect(b.vault.hasRecord(id)).toBe(false)

    // Anna invited Bohdan's office before any of this: the team sees that too.
    expect(receivedAll(b)[0]!.details).toMatchObject({ fromType: 'sync.device_invited', fromMember: 'Anna', deviceId: deviceOf(b) })
    const entries = received(b)
    expect(entries.map((e) => e.details['fromType'])).toEqual(['record.created', 'record.updated', 'record.shredded'])
    for (const e of entries) {
      expect(e.details).toMatchObject({ fromDevice: deviceOf(a), fromMember: 'Anna', recordId: id })
      expect(typeof e.details['fromAt']).toBe('string')
    }

    // In words: Anna, in another office; the letter is shredded here too, so no title is shown.
    const listing = listActivity(b.vault, 'admin', { memberName: 'anna', record: id })
    expect(listing.entries.map((e) => [e.action, e.memberName, e.memberId, e.origin?.member])).toEqual([
      ['record.shredded', 'Anna (another office)', null, 'Anna'],
      ['record.updated', 'Anna (another office)', null, 'Anna'],
      ['record.created', 'Anna (another office)', null, 'Anna'],
    ])
    expect(listing.entries.every((e) => e.recordTitle === null)).toBe(true)
    // The record writes sync made here for them are told by Anna's entries, not as Bohdan's own.
    const appliedHere = b.vault.audit
      .list()
      .filter((e) => e.via === 'sync' && e.type !== SYNC_ACTIVITY_TYPE && e.details['recordId'] === id)
    // (The edit itself never reached Bohdan: it was shredded before Anna's next run. Her entry says she made it.)
    expect(appliedHere.map((e) => e.type)).toEqual(['record.created', 'record.shredded'])
    expect(listActivity(b.vault, 'admin', { memberName: 'Bohdan', record: id }).entries).toEqual([])
    expect(listActivity(b.vault, 'admin', { memberId: deviceOf(a) }).matched).toBe(4)

    expect(a.vault.audit.verify()).toMatchObject({ ok: true })
    expect(b.vault.audit.verify()).toMatchObject({ ok: true })
    // Activity is per replica: the digest leaves it out, and the replicas still agree.
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))
  })

  it("names the letter by its title where it still exists, and never sends Bohdan's imported entries back", async () => {
    const { a, b } = await makeTwoOffices(path.join(work, 'no-echo'))
    const id = addLetter(a, 'Request for a visit', 'text')
    for (let run = 0; run < 3; run++) {
      runSync(a)
      runSync(b)
    }
    const created = listActivity(b.vault, 'admin', { memberName: 'Anna', record: id }).entries
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({ action: 'record.created', recordKind: 'Letter', recordTitle: 'Request for a visit' })
    // Nothing of Anna's came back to her as someone else's.
    expect(receivedAll(a)).toEqual([])

    // Bohdan edits: Anna gets exactly that, from his device; he gets nothing of his own back.
    updateDocument(b.vault, id, letter('Request for a visit', 'edited in the other office'))
    for (let run = 0; run < 3; run++) {
      runSync(b)
      runSync(a)
    }
    expect(receivedAll(a).map((e) => [e.details['fromType'], e.details['fromMember'], e.details['fromDevice']])).toEqual([
      ['record.updated', 'Bohdan', deviceOf(b)],
    ])
    expect(received(b).map((e) => e.details['fromType'])).toEqual(['record.created'])
  })

  it('reaches a third office once, from the office that did it, however often everyone syncs', async () => {
    const { dir, folder, a, b } = await makeTwoOffices(path.join(work, 'three-offices'))
    const c = await makeJoinedReplica(dir, a, 'Chen', folder, 'secretariat')
    const id = addLetter(a, 'Seen by three offices', 'text')
    for (let run = 0; run < 4; run++) for (const side of [a, b, c]) runSync(side)
    for (const side of [b, c])
      expect(received(side).map((e) => [e.details['fromType'], e.details['fromDevice'], e.details['recordId']])).toEqual([
        ['record.created', deviceOf(a), id],
      ])
    expect(receivedAll(a)).toEqual([])
    expect(new Set([a, b, c].map(computeSyncDigest)).size).toBe(1)
  })

  it('sends an entry kept in the outbox before a crash once, when the file is written at the next run', async () => {
    const { dir, a, b } = await makeTwoOffices(path.join(work, 'crash'))
    runSync(a)
    const id = addLetter(a, 'Written before the crash', 'text')
    // The writer keeps the change-set (and the moved mark) in the outbox; the process dies before the file is written.
    expect(recordLocalChanges(a, readTeam(a.vault)!)).toBe(1)
    a.vault.lock()
    const restarted: SyncContext = {
      vault: await openVault(path.join(dir, 'Anna'), Buffer.from(SYNC_TEST_PASSPHRASE, 'utf8'), { sodium: a.sodium, member: 'Anna' }),
      sodium: a.sodium,
    }
    for (let run = 0; run < 3; run++) {
      runSync(restarted)
      runSync(b)
    }
    expect(received(b).map((e) => [e.details['fromType'], e.details['recordId']])).toEqual([['record.created', id]])
    restarted.vault.lock()
  })

  it('keeps local-only entries (an unlock, a setting) at home', async () => {
    const { dir, a, b } = await makeTwoOffices(path.join(work, 'local-only'))
    const aDir = path.join(dir, 'Anna')
    a.vault.lock()
    const reopened: SyncContext = {
      vault: await openVault(aDir, Buffer.from(SYNC_TEST_PASSPHRASE, 'utf8'), { sodium: a.sodium, member: 'Anna' }),
      sodium: a.sodium,
    }
    expect(reopened.vault.audit.list().some((e) => e.type === 'vault.unlocked')).toBe(true)
    const id = addLetter(reopened, 'After the unlock', 'text')
    runSync(reopened)
    runSync(b)
    expect(received(b).map((e) => [e.details['fromType'], e.details['recordId']])).toEqual([['record.created', id]])
    reopened.vault.lock()
  })

  it('refuses a change-set whose activity claims another member, and still applies the other devices’ work', async () => {
    const { dir, folder, a, b } = await makeTwoOffices(path.join(work, 'forged'))
    const c = await makeJoinedReplica(dir, a, 'Chen', folder, 'secretariat')
    runSync(a)
    runSync(c)
    const forged: TravellingActivity = {
      seq: 1,
      type: 'record.shredded',
      at: '2026-12-04T10:00:00.000Z',
      by: 'Anna',
      details: { recordId: 'f'.repeat(32), attachments: 0 },
    }
    writeForged(c, [{ op: 'activity', entries: [forged] }])
    const id = addLetter(a, 'Still arrives', 'text')
    runSync(a)
    const result = runSync(b)
    expect(result.refused).toEqual([
      expect.objectContaining({ deviceId: deviceOf(c), member: 'Chen', reason: expect.stringContaining('another member than Chen') }),
    ])
    expect(b.vault.hasRecord(id)).toBe(true)
    expect(received(b).map((e) => [e.details['fromType'], e.details['fromMember']])).toEqual([['record.created', 'Anna']])
    expect(b.vault.audit.list().filter((e) => e.type === 'sync.refused')).toHaveLength(1)
    // Refused once, not again at the next run.
    expect(runSync(b).refused).toEqual([])
    expect(b.vault.audit.verify()).toMatchObject({ ok: true })
  })
})

describe('an activity change is checked field by field', () => {
  const anna: RosterEntry = { deviceId: 'a'.repeat(32), publicKey: 'b'.repeat(64), member: 'Anna', role: 'admin' }
  const good: TravellingActivity = {
    seq: 7,
    type: 'record.updated',
    at: '2026-12-04T10:00:00.000Z',
    by: 'Anna',
    details: { recordId: 'c'.repeat(32), revision: 2 },
  }
  const refusal = (entries: unknown[]): string => {
    try {
      readActivityChange({ op: 'activity', entries }, anna)
    } catch (error) {
      expect(error).toBeInstanceOf(ChangeSetRefusal)
      return (error as Error).message
    }
    throw new Error('not refused')
  }

  it('accepts a well-formed entry as it is', () => {
    expect(readActivityChange({ op: 'activity', entries: [good] }, anna)).toEqual([good])
  })

  it('refuses unknown or local-only types, content-looking or oversize details, bad numbers and times, no entries', () => {
    expect(refusal([{ ...good, type: 'vault.unlocked' }])).toContain('does not travel')
    expect(refusal([{ ...good, type: 'sync.activity' }])).toContain('does not travel')
    expect(refusal([{ ...good, details: { recordId: 'Letter to Ivan Petrov about his health' } }])).toContain('not ids')
    expect(refusal([{ ...good, details: { title: 'c'.repeat(32) } }])).toContain('does not know')
    expect(refusal([{ ...good, details: { recordId: 'c'.repeat(32), fromMember: 'Bohdan' } }])).toContain('does not know')
    expect(refusal([{ ...good, details: { recordId: { nested: true } } }])).toContain('not ids')
    expect(refusal([{ ...good, details: { format: 'a'.repeat(300) } }])).toContain('not ids')
    expect(refusal([{ ...good, details: [] }])).toContain('details')
    const tooMany = Object.fromEntries(Array.from({ length: 20 }, (_, n) => [`recordId${n}`, 'c'.repeat(32)]))
    expect(refusal([{ ...good, details: tooMany }])).toContain('details described wrongly')
    expect(refusal([good, { ...good, seq: 7 }])).toContain('numbers')
    expect(refusal([{ ...good, seq: 1.5 }])).toContain('numbers')
    expect(refusal([{ ...good, at: 'yesterday' }])).toContain('time')
    expect(refusal([{ ...good, by: 'Bohdan' }])).toContain('another member than Anna')
    expect(refusal([{ ...good, by: undefined }])).toContain('another member than Anna')
    expect(refusal([])).toContain('described wrongly')
    expect(refusal(['record.created'])).toContain('described wrongly')
  })
})
