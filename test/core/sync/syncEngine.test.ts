// Core (Node): sync through a plain shared folder — replicas on real vault files and real libsodium, change-sets
// written and read as files. Round trip, crossed edits kept as a conflict, every kind of bad change-set refused with
// its own message and nothing changed, half-written files never read, and any delivery order giving the same state.
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateDocument } from '../../../electron/core/library/documentService'
import {
  changeSetFileName,
  createDeviceKey,
  deviceFolder,
  sealChangeSet,
  SYNC_ROOT_DIR,
  type ChangeSetPayload,
} from '../../../electron/core/sync/syncFormat'
import {
  computeSyncDigest,
  createSyncInvitation,
  joinSyncTeam,
  readSyncStatus,
  removeSyncMember,
  runSync,
  type SyncContext,
} from '../../../electron/core/sync/syncEngine'
import { readTeam } from '../../../electron/core/sync/syncState'
import { addLetter, documentsOf, letter, makeJoinedReplica, makeTwoOffices, makeVault, testSodium } from '../../helpers/syncReplicas'
import { createTempDir, listFilesRecursive } from '../../helpers/vaultTestUtils'

let work: string
beforeAll(() => {
  work = createTempDir()
})
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true })
})

/** A fresh team: a shared folder, Anna's first replica and Bohdan's joined one. */
function makeTeam(name: string): Promise<{ folder: string; a: SyncContext; b: SyncContext; dir: string }> {
  return makeTwoOffices(path.join(work, name))
}

function teamOf(ctx: SyncContext) {
  return readTeam(ctx.vault)!.team
}

/** A change-set signed by `seed` as device `device` of `team`, written into that device's folder under its final name. */
function plant(
  folder: string,
  team: { teamId: string; teamKey: string },
  device: string,
  seed: Uint8Array,
  seq: number,
  prev: string,
  payload: ChangeSetPayload,
  sodiumBackend: Awaited<ReturnType<typeof testSodium>>,
  opts: { headerTeam?: string; teamKey?: Buffer } = {},
): string {
  const sealed = sealChangeSet(
    sodiumBackend,
    opts.teamKey ?? Buffer.from(team.teamKey, 'hex'),
    seed,
    { team: opts.headerTeam ?? team.teamId, device, seq, prev },
    payload,
  )
  const dir = deviceFolder(folder, team.teamId, device)
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, changeSetFileName(seq, sealed.hash))
  fs.writeFileSync(file, sealed.bytes)
  return file
}

function revisePayload(device: string, seq: number, recordId: string, title: string): ChangeSetPayload {
  return {
    v: 1,
    createdAt: new Date().toISOString(),
    changes: [
      {
        op: 'revise',
        recordId,
        kind: 'letter',
        node: `${device}-${seq}-0`,
        parents: [],
        savedAt: new Date().toISOString(),
        author: 'Mallory',
        body: { ...letter(title, 'planted'), authorOrganisation: '', recipients: [], cc: [], tags: [], richText: null, links: [] },
      },
    ],
  }
}

function auditTypes(ctx: SyncContext): string[] {
  return ctx.vault.audit.list().map((entry) => entry.type)
}

describe('sync through a shared folder', () => {
  it('carries a document from A to B and an edit back, sealed: no title or text in the shared folder', async () => {
    const { folder, a, b } = await makeTeam('roundtrip')
    const id = addLetter(a, 'Letter to the Minister MARKER-TITLE', 'Body text MARKER-BODY')
    expect(runSync(a).written).toBe(1)
    const atB = runSync(b)
    expect(atB).toMatchObject({ applied: 2, refused: [], waiting: 0, conflicts: 0 })
    expect(documentsOf(b)).toEqual(documentsOf(a))
    expect(b.vault.getRecord(id).author).toBe('Anna')

    const current = b.vault.getRecord<ReturnType<typeof letter>>(id)
    updateDocument(b.vault, id, { ...current.body, text: 'Edited in Kyiv' })
    runSync(b)
    expect(runSync(a).applied).toBe(1)
    expect(a.vault.getRecord<{ text: string }>(id).body.text).toBe('Edited in Kyiv')
    expect(a.vault.listRevisions(id)).toHaveLength(2)
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))
    // Applying again changes nothing: each change-set is applied once.
    expect(runSync(a)).toMatchObject({ written: 0, applied: 0, refused: [] })
    // A change-set file lost from the folder (a crash before it was written, a cleaned folder) is written again from
    // the outbox kept in the vault, byte for byte.
    const own = deviceFolder(folder, teamOf(a).teamId, teamOf(a).deviceId)
    const lost = fs.readdirSync(own).sort()[0]!
    const bytes = fs.readFileSync(path.join(own, lost))
    fs.rmSync(path.join(own, lost))
    expect(runSync(a).written).toBe(1)
    expect(fs.readFileSync(path.join(own, lost)).equals(bytes)).toBe(true)
    expect(a.vault.listRevisions(id)).toHaveLength(2)

    for (const file of listFilesRecursive(path.join(folder, SYNC_ROOT_DIR))) {
      const bytes = fs.readFileSync(file)
      for (const marker of ['MARKER-TITLE', 'MARKER-BODY', 'Edited in Kyiv', 'Anna', 'Bohdan'])
        expect(bytes.includes(Buffer.from(marker)), `${marker} in ${file}`).toBe(false)
    }
  })

  it('keeps both revisions of edits that crossed and shows one conflict on both sides, until someone edits again', async () => {
    const { a, b } = await makeTeam('conflict')
    const id = addLetter(a, 'Joint statement', 'first draft')
    runSync(a)
    runSync(b)
    const base = a.vault.getRecord<ReturnType<typeof letter>>(id).body
    updateDocument(a.vault, id, { ...base, text: 'Oslo version' })
    updateDocument(b.vault, id, { ...base, text: 'Kyiv version' })
    runSync(a)
    runSync(b)
    runSync(a)
    for (const side of [a, b]) {
      const texts = side.vault.listRevisions(id).map((r) => side.vault.getRecord<{ text: string }>(id, r.revision).body.text)
      expect(texts).toContain('Oslo version')
      expect(texts).toContain('Kyiv version')
      expect(readSyncStatus(side).conflicts).toEqual([id])
    }
    expect(documentsOf(a)).toEqual(documentsOf(b))
    expect(computeSyncDigest(a)).toBe(computeSyncDigest(b))

    const shown = a.vault.getRecord<ReturnType<typeof letter>>(id).body
    updateDocument(a.vault, id, { ...shown, text: 'Agreed version' })
    runSync(a)
    expect(runSync(b).conflicts).toBe(0)
    expect(readSyncStatus(a).conflicts).toEqual([])
    expect(b.vault.getRecord<{ text: string }>(id).body.text).toBe('Agreed version')
  })

  it('refuses a forged signature, a tampered ciphertext, another team key and another team, each in its own words, and still applies the genuine one', async () => {
    const sodium = await testSodium()
    const { folder, a, b } = await makeTeam('forged')
    runSync(a)
    runSync(b)
    const team = teamOf(a)
    const before = documentsOf(b)
    const digest = computeSyncDigest(b)
    const seq = team.nextSeq
    const intruder = createDeviceKey()
    const seed = Buffer.from(team.deviceSeed, 'hex')
    plant(
      folder,
      team,
      team.deviceId,
      intruder.seed,
      seq,
      team.lastHash,
      revisePayload(team.deviceId, seq, 'a'.repeat(32), 'Forged'),
      sodium,
    )
    plant(folder, team, team.deviceId, seed, seq, team.lastHash, revisePayload(team.deviceId, seq, 'b'.repeat(32), 'Other key'), sodium, {
      teamKey: sodium.randomBytes(32),
    })
    plant(folder, team, team.deviceId, seed, seq, team.lastHash, revisePayload(team.deviceId, seq, 'c'.repeat(32), 'Other team'), sodium, {
      headerTeam: 'd'.repeat(32),
    })
    // A genuine change-set with one ciphertext byte flipped, under the name its new bytes hash to.
    const dir = deviceFolder(folder, team.teamId, team.deviceId)
    const planted = new Set(fs.readdirSync(dir))
    addLetter(a, 'Genuine', 'from Anna')
    runSync(a)
    const genuineName = fs.readdirSync(dir).find((f) => !planted.has(f))!
    expect(genuineName.startsWith(String(seq).padStart(12, '0'))).toBe(true)
    const original = fs.readFileSync(path.join(dir, genuineName))
    const parsed = JSON.parse(original.toString('utf8')) as { ciphertext: string }
    const ct = Buffer.from(parsed.ciphertext, 'base64')
    ct[5] = ct[5]! ^ 1
    const tampered = Buffer.from(JSON.stringify({ ...parsed, ciphertext: ct.toString('base64') }))
    fs.renameSync(path.join(dir, genuineName), path.join(work, 'held-back.cset'))
    fs.writeFileSync(path.join(dir, changeSetFileName(seq, sodium.generichash(32, tampered).toString('hex'))), tampered)

    const result = runSync(b)
    expect(result.applied).toBe(0)
    const reasons = result.refused.map((r) => r.reason).sort()
    expect(reasons).toHaveLength(4)
    expect(reasons.filter((r) => r.includes('signature that does not match'))).toHaveLength(2)
    expect(reasons.some((r) => r.includes('could not be opened with the team key'))).toBe(true)
    expect(reasons.some((r) => r.includes('belongs to another team'))).toBe(true)
    expect(result.refused.every((r) => r.member === 'Anna' && r.seq === seq)).toBe(true)
    expect(documentsOf(b)).toEqual(before)
    expect(computeSyncDigest(b)).toBe(digest)
    expect(auditTypes(b).filter((t) => t === 'sync.refused')).toHaveLength(4)
    // Refusals are recorded once, not at every run.
    expect(runSync(b).refused).toEqual([])
    expect(readSyncStatus(b).refused).toHaveLength(4)

    // The genuine change-set arrives after all: applied, the forgeries still never are.
    fs.renameSync(path.join(work, 'held-back.cset'), path.join(dir, genuineName))
    expect(runSync(b)).toMatchObject({ applied: 1, refused: [] })
    expect(documentsOf(b)).toEqual(documentsOf(a))
  })

  it('refuses a change-set that repeats an applied number with other content (replay or fork), and one out of its chain', async () => {
    const sodium = await testSodium()
    const { folder, a, b } = await makeTeam('replay')
    addLetter(a, 'First', 'one')
    runSync(a)
    runSync(b)
    const team = teamOf(a)
    const seed = Buffer.from(team.deviceSeed, 'hex')
    const before = documentsOf(b)
    // Signed by Anna's real device key: only the chain and the number give it away.
    plant(
      folder,
      team,
      team.deviceId,
      seed,
      team.nextSeq - 1,
      '',
      revisePayload(team.deviceId, team.nextSeq - 1, 'e'.repeat(32), 'Fork'),
      sodium,
    )
    plant(
      folder,
      team,
      team.deviceId,
      seed,
      team.nextSeq,
      'f'.repeat(64),
      revisePayload(team.deviceId, team.nextSeq, 'e'.repeat(32), 'Out of chain'),
      sodium,
    )
    const result = runSync(b)
    expect(result.applied).toBe(0)
    const reasons = result.refused.map((r) => r.reason)
    expect(reasons.some((r) => r.includes('replayed or forked'))).toBe(true)
    expect(reasons.some((r) => r.includes('does not follow'))).toBe(true)
    expect(documentsOf(b)).toEqual(before)
  })

  it('never reads a half-written change-set: temp names are ignored, a final name with the wrong content waits', async () => {
    const { folder, a, b } = await makeTeam('halfwritten')
    runSync(a)
    runSync(b)
    addLetter(a, 'Arriving', 'slowly')
    runSync(a)
    const team = teamOf(a)
    const dir = deviceFolder(folder, team.teamId, team.deviceId)
    const name = fs.readdirSync(dir).find((f) => f.startsWith(String(team.nextSeq - 1).padStart(12, '0')))!
    const whole = fs.readFileSync(path.join(dir, name))
    fs.rmSync(path.join(dir, name))
    fs.writeFileSync(path.join(dir, `.syncthing.${name}.tmp`), whole.subarray(0, 100))
    fs.writeFileSync(path.join(dir, `.${name}.0123456789ab.tmp`), whole.subarray(0, 200))
    fs.writeFileSync(path.join(dir, name), whole.subarray(0, whole.length - 10))
    const before = documentsOf(b)
    expect(runSync(b)).toMatchObject({ applied: 0, refused: [], waiting: 1 })
    expect(documentsOf(b)).toEqual(before)
    fs.writeFileSync(path.join(dir, name), whole)
    expect(runSync(b)).toMatchObject({ applied: 1, refused: [], waiting: 0 })
    expect(documentsOf(b)).toEqual(documentsOf(a))
  })

  it("refuses a member's change their role does not allow", async () => {
    const { dir, folder, a } = await makeTeam('roles')
    const viewer = await makeJoinedReplica(dir, a, 'Vera', folder, 'viewer')
    runSync(a)
    runSync(viewer)
    addLetter(viewer, 'Not allowed', 'viewer wrote this')
    runSync(viewer)
    const result = runSync(a)
    expect(result.refused).toHaveLength(1)
    expect(result.refused[0]!.reason).toContain("edits the library, which Vera's role (viewer) may not do")
    expect(Object.values(documentsOf(a))).toEqual([])
  })

  it("refuses a removed member's later change-sets on every replica, keeping what they wrote before", async () => {
    const { dir, folder, a, b } = await makeTeam('removed')
    const c = await makeJoinedReplica(dir, a, 'Chen', folder, 'secretariat')
    runSync(a)
    runSync(b)
    runSync(c)
    const before = addLetter(b, 'Written before the removal', 'kept')
    runSync(b)
    runSync(a)
    expect(removeSyncMember(a, 'bohdan').removed).toHaveLength(1)
    expect(() => removeSyncMember(a, 'Nobody')).toThrow('No copy used by')
    expect(() => removeSyncMember(a, 'Anna')).toThrow('cannot remove itself')
    const after = addLetter(b, 'Written after the removal', 'refused')
    runSync(b)
    const atA = runSync(a)
    expect(atA.refused.map((r) => r.reason)).toEqual([expect.stringContaining("after Bohdan's device was removed from the team")])
    // Chen gets everything at once: the removal is applied first, the earlier letter is kept, the later one refused.
    const atC = runSync(c)
    expect(atC.refused).toHaveLength(1)
    for (const side of [a, c]) {
      expect(side.vault.hasRecord(before)).toBe(true)
      expect(side.vault.hasRecord(after)).toBe(false)
      expect(readSyncStatus(side).peers.find((p) => p.member === 'Bohdan')?.removed).toBe(true)
    }
    expect(computeSyncDigest(c)).toBe(computeSyncDigest(a))
  })

  it('refuses an invitation opened with the wrong code, changing nothing', async () => {
    const { dir, folder, a } = await makeTeam('badcode')
    const invitation = createSyncInvitation(a, { member: 'Ivan', role: 'secretariat' })
    const ctx = { vault: await makeVault(path.join(dir, 'ivan'), 'Ivan'), sodium: await testSodium() }
    const wrong = invitation.code.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
    expect(() => joinSyncTeam(ctx, invitation.file, wrong, folder)).toThrow(/invitation code/)
    expect(readTeam(ctx.vault)).toBeNull()
    expect(() => joinSyncTeam(ctx, Buffer.from('{"hello":1}'), invitation.code, folder)).toThrow('not a Custodia sync invitation')
  })

  it('reaches the same state whatever order the same change-sets arrive in (property test)', async () => {
    const sodium = await testSodium()
    const { dir, folder, a, b } = await makeTeam('order')
    const c = await makeJoinedReplica(dir, a, 'Chen', folder, 'admin')
    const invitation = createSyncInvitation(a, { member: 'Dana', role: 'viewer' })
    runSync(a)
    runSync(b)
    runSync(c)
    const l1 = addLetter(a, 'Letter one', 'v1')
    runSync(a)
    runSync(b)
    runSync(c)
    const base = b.vault.getRecord<ReturnType<typeof letter>>(l1).body
    updateDocument(a.vault, l1, { ...base, text: 'A edit' })
    updateDocument(b.vault, l1, { ...base, text: 'B edit' })
    updateDocument(c.vault, l1, { ...base, text: 'C edit' })
    addLetter(c, 'Letter two', 'from C')
    runSync(a)
    runSync(b)
    runSync(c)
    for (let round = 0; round < 2; round++) for (const side of [a, b, c]) runSync(side)
    expect(computeSyncDigest(b)).toBe(computeSyncDigest(a))
    expect(computeSyncDigest(c)).toBe(computeSyncDigest(a))

    const all = listFilesRecursive(path.join(folder, SYNC_ROOT_DIR)).map((file) => ({
      rel: path.relative(folder, file),
      bytes: fs.readFileSync(file),
    }))
    const target = computeSyncDigest(a)
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
        fc.integer({ min: 1, max: 3 }),
        async (order, step) => {
          run += 1
          const runFolder = path.join(dir, `run-${run}`)
          fs.mkdirSync(runFolder)
          const d = { vault: await makeVault(path.join(dir, `dana-${run}`), 'Dana'), sodium }
          joinSyncTeam(d, invitation.file, invitation.code, runFolder)
          for (let i = 0; i < order.length; i += step) {
            for (const item of order.slice(i, i + step)) {
              fs.mkdirSync(path.dirname(path.join(runFolder, item.rel)), { recursive: true })
              fs.writeFileSync(path.join(runFolder, item.rel), item.bytes)
            }
            runSync(d)
          }
          const digest = computeSyncDigest(d)
          d.vault.lock()
          expect(digest).toBe(target)
        },
      ),
      { numRuns: 6, seed: 1812 },
    )
  })
})
