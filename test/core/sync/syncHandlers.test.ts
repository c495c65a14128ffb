// Core test (Node + real `syncthing serve`): the sync channels through the real dispatcher on real vault files — set
// up sync on a folder, invite a copy (the file saved owner-only, the code returned once), a second replica joins and
// writes, "sync now" applies its changes and the status names it; removing it; and the link to this computer's
// Syncthing: loopback addresses only, the key sealed in the vault and never sent back, and the state read from a real
// engine (running, devices connected, folder up to date), with plain words when the key is wrong, the engine is not
// running or the folder is not shared.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { joinSyncTeam, runSync, type SyncContext } from '../../../electron/core/sync/syncEngine'
import type { SyncRunView, SyncStatusView, SyncthingStateView } from '../../../shared/ipc/channels/syncChannels'
import { callChannel, failChannel, startTestServices, TEST_PASSPHRASE } from '../../helpers/appServices'
import { findFreePort, shareFolder, startSyncthing, stopSyncthing, waitFor, type SyncthingInstance } from '../../helpers/syncthing'
import { addLetter, makeVault, testSodium } from '../../helpers/syncReplicas'
import { createTempDir } from '../../helpers/vaultTestUtils'

const root = createTempDir()
const folderA = path.join(root, 'shared-a')
const folderB = path.join(root, 'shared-b')
let saveAs: string | null = null
let services: AppServices
let replica: SyncContext
let stA: SyncthingInstance | undefined
let stB: SyncthingInstance | undefined

beforeAll(async () => {
  fs.mkdirSync(folderA)
  fs.mkdirSync(folderB)
  services = await startTestServices(root, { chooseSaveLocation: async () => saveAs })
})
afterAll(async () => {
  services.session.lock('user')
  replica?.vault.lock()
  await Promise.all([stopSyncthing(stA), stopSyncthing(stB)])
  fs.rmSync(root, { recursive: true, force: true })
})

describe('sync channels', () => {
  it('sets up sync, invites a copy, applies its changes on "sync now" and lists it; then removes it', async () => {
    const before = await callChannel<SyncStatusView>(services, 'sync:getStatus', {})
    expect(before).toMatchObject({ setUp: false, folder: null, devices: [] })
    expect(await failChannel(services, 'sync:createTeam', { folder: path.join(root, 'missing') })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('does not exist'),
    })

    const setUp = await callChannel<SyncStatusView>(services, 'sync:createTeam', { folder: folderA })
    expect(setUp).toMatchObject({ setUp: true, folder: folderA, devices: [], thisDevice: { role: 'admin' } })
    expect(await failChannel(services, 'sync:createTeam', { folder: folderA })).toMatchObject({ code: 'CONFLICT' })

    // A cancelled save dialog changes nothing.
    saveAs = null
    expect(await callChannel(services, 'sync:createInvitation', { member: 'Amina Office B', role: 'secretariat' })).toEqual({
      saved: false,
    })
    expect((await callChannel<SyncStatusView>(services, 'sync:getStatus', {})).devices).toEqual([])

    // A folder that cannot take the file is refused before the team changes.
    saveAs = path.join(root, 'no-such-folder', 'amina.invitation')
    expect(await failChannel(services, 'sync:createInvitation', { member: 'Amina Office B', role: 'secretariat' })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('cannot be saved in that folder'),
    })
    expect((await callChannel<SyncStatusView>(services, 'sync:getStatus', {})).devices).toEqual([])

    saveAs = path.join(root, 'amina.invitation')
    const invited = await callChannel<{ saved: true; path: string; code: string; status: SyncStatusView }>(
      services,
      'sync:createInvitation',
      {
        member: 'Amina Office B',
        role: 'secretariat',
      },
    )
    expect(invited.path).toBe(saveAs)
    expect(fs.statSync(saveAs).mode & 0o777).toBe(0o600)
    expect(invited.status.devices).toMatchObject([
      { member: 'Amina Office B', role: 'secretariat', changesApplied: 0, lastAppliedAt: null },
    ])

    // The second office joins with the file and the code (as `custodia sync join` does), writes a letter and syncs.
    replica = { vault: await makeVault(path.join(root, 'office-b'), 'Amina Office B'), sodium: await testSodium() }
    joinSyncTeam(replica, fs.readFileSync(saveAs), invited.code, folderA)
    addLetter(replica, 'Letter from office B', 'Sent to the ministry.')
    expect(runSync(replica).written).toBeGreaterThan(0)

    const run = await callChannel<SyncRunView>(services, 'sync:run', {})
    expect(run).toMatchObject({ applied: 1, refused: [], conflicts: 0 })
    expect(run.status.devices[0]).toMatchObject({ member: 'Amina Office B', changesApplied: 1, removed: false })
    expect(run.status.devices[0]!.lastAppliedAt).not.toBeNull()
    const titles = services.session
      .requireVault()
      .listRecords({ kind: 'letter' })
      .map((row) => services.session.requireVault().getRecord<{ title: string }>(row.id).body.title)
    expect(titles).toContain('Letter from office B')

    expect(await failChannel(services, 'sync:removeDevice', { member: 'Nobody' })).toMatchObject({ code: 'NOT_FOUND' })
    const removed = await callChannel<SyncStatusView>(services, 'sync:removeDevice', { member: 'amina office b' })
    expect(removed.devices[0]).toMatchObject({ member: 'Amina Office B', removed: true })

    // What the removed copy writes from now on is refused, and the page words it without "change-set".
    addLetter(replica, 'After removal', 'Should not arrive.')
    runSync(replica)
    const refusedRun = await callChannel<SyncRunView>(services, 'sync:run', {})
    expect(refusedRun.applied).toBe(0)
    expect(refusedRun.refused).toMatchObject([{ from: 'Amina Office B', reason: expect.stringContaining('removed from the team') }])
    expect(refusedRun.refused[0]!.reason).not.toMatch(/change-set/i)
    expect(refusedRun.status.refused).toHaveLength(1)
  })

  it('accepts only a Syncthing on this computer, seals its key in the vault and never sends it back', async () => {
    for (const address of ['http://192.168.1.20:8384', 'https://syncthing.example.org', 'http://127.0.0.2:8384', 'ftp://127.0.0.1'])
      expect(await failChannel(services, 'sync:setSyncthing', { address, apiKey: 'k' }), address).toMatchObject({ code: 'VALIDATION' })
    expect((await failChannel(services, 'sync:setSyncthing', { address: '10.0.0.1:8384', apiKey: 'k' })).message).toContain(
      'must not travel over a network',
    )
    for (const [address, origin] of [
      ['http://[::1]:8384', 'http://[::1]:8384'],
      ['127.0.0.1:8384', 'http://127.0.0.1:8384'],
      ['https://LOCALHOST:8384/', 'https://localhost:8384'],
    ])
      expect((await callChannel<SyncStatusView>(services, 'sync:setSyncthing', { address, apiKey: 'k' })).syncthingAddress).toBe(origin)
    const apiKey = 'custodia-test-api-key-b7d1e9f2'
    const saved = await callChannel<SyncStatusView>(services, 'sync:setSyncthing', { address: 'localhost:8384', apiKey })
    expect(saved.syncthingAddress).toBe('http://localhost:8384')
    expect(JSON.stringify(saved)).not.toContain(apiKey)
    const vault = services.session.requireVault()
    // Sealed: the key is nowhere in the vault's files in plaintext (database, journal, activity log).
    services.session.lock('user')
    for (const name of fs.readdirSync(vault.dir)) {
      const file = path.join(vault.dir, name)
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).includes(apiKey), name).toBe(false)
    }
    await services.session.unlock(vault.dir, TEST_PASSPHRASE)
    expect((await callChannel<SyncStatusView>(services, 'sync:getStatus', {})).syncthingAddress).toBe('http://localhost:8384')
  })

  it("reads a real Syncthing's state, and says when it is not running, the key is wrong or the folder is not shared", async () => {
    const closedPort = await findFreePort()
    await callChannel(services, 'sync:setSyncthing', { address: `127.0.0.1:${closedPort}`, apiKey: 'whatever-key' })
    const down = await callChannel<SyncthingStateView>(services, 'sync:getSyncthingState', {})
    expect(down).toMatchObject({ running: false, problem: expect.stringContaining('does not answer') })

    ;[stA, stB] = await Promise.all([startSyncthing(path.join(root, 'st-a')), startSyncthing(path.join(root, 'st-b'))])
    await callChannel(services, 'sync:setSyncthing', { address: `http://127.0.0.1:${stA.apiPort}`, apiKey: 'not-the-key' })
    expect(await callChannel<SyncthingStateView>(services, 'sync:getSyncthingState', {})).toMatchObject({
      running: true,
      problem: expect.stringContaining('refused the API key'),
    })

    await callChannel(services, 'sync:setSyncthing', { address: `http://127.0.0.1:${stA.apiPort}`, apiKey: stA.apiKey })
    const unshared = await callChannel<SyncthingStateView>(services, 'sync:getSyncthingState', {})
    expect(unshared).toMatchObject({ running: true, folder: null, problem: expect.stringContaining('does not share the sync folder') })

    // The Syncthing folder is found by its path: the vault's sync folder.
    await shareFolder(stA, folderA, stB, folderB, 'custodia-team')
    await stA.rest('POST', '/rest/db/scan?folder=custodia-team')
    const state = await waitFor(
      'Syncthing to connect and be up to date',
      async () => {
        const s = await callChannel<SyncthingStateView>(services, 'sync:getSyncthingState', {})
        return s.devicesConnected === 1 && s.folder?.filesToGo === 0 ? s : undefined
      },
      90_000,
    )
    expect(state).toMatchObject({ problem: null, running: true, devicesConnected: 1, devicesKnown: 1, folder: { label: 'custodia-team' } })

    const forgotten = await callChannel<SyncStatusView>(services, 'sync:deleteSyncthing', {})
    expect(forgotten.syncthingAddress).toBeNull()
    expect(await failChannel(services, 'sync:getSyncthingState', {})).toMatchObject({ code: 'NOT_FOUND' })
  }, 150_000)
})
