// Core test (Node): joining a team from the welcome screen through the real dispatcher, on real vault files — the
// invitation file chosen in main's dialog and opened with its code (whom it is for, before any passphrase), then the
// new member's own vault created, joined and synced in one step. Every refusal (wrong code, not an invitation, a
// folder that is not empty, a copy inside the sync folder, a file not chosen) says why and leaves no vault behind.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import type { SyncRunView } from '../../../shared/ipc/channels/syncChannels'
import type { VaultState } from '../../../shared/ipc/contract'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'
import { createTempDir } from '../../helpers/vaultTestUtils'

const root = createTempDir()
const folder = path.join(root, 'shared')
const invitationFile = path.join(root, 'olena.invitation')
const NEW_PASSPHRASE = 'Olena chooses her own long passphrase'
let office: AppServices
let newcomer: AppServices
let chosen: string[] = []
let code = ''

beforeAll(async () => {
  fs.mkdirSync(folder)
  office = await startTestServices(path.join(root, 'oslo'), { chooseSaveLocation: async () => invitationFile })
  await callChannel(office, 'library:create', {
    document: { kind: 'letter', title: 'Letter to the Prime Minister', date: '2026-12-01', text: 'Dear Prime Minister,' },
  })
  await callChannel(office, 'sync:createTeam', { folder })
  code = (await callChannel<{ code: string }>(office, 'sync:createInvitation', { member: 'Olena Kyiv', role: 'legal-adviser' })).code
  await callChannel<SyncRunView>(office, 'sync:run', {})
  // The newcomer's Custodia has no vault open: the welcome screen.
  newcomer = await startTestServices(path.join(root, 'kyiv'), { chooseFiles: async () => chosen })
  newcomer.session.lock('user')
})

afterAll(() => {
  office?.session.lock('user')
  newcomer?.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

describe('joining a team from the welcome screen', () => {
  it('says whom the invitation is for once the file and its code are right, and nothing before', async () => {
    chosen = []
    expect(await callChannel(newcomer, 'sync:openInvitation', { code })).toEqual({ opened: false })
    chosen = [invitationFile]
    expect(await failChannel(newcomer, 'sync:openInvitation', { code: 'not a code' })).toMatchObject({ code: 'VALIDATION' })
    const notInvitation = path.join(root, 'notes.txt')
    fs.writeFileSync(notInvitation, 'shopping list')
    chosen = [notInvitation]
    expect(await failChannel(newcomer, 'sync:openInvitation', { code })).toMatchObject({
      code: 'VALIDATION',
      message: 'This file is not a Custodia sync invitation.',
    })
    chosen = [invitationFile]
    const opened = await callChannel(newcomer, 'sync:openInvitation', { code })
    expect(opened).toMatchObject({ opened: true, member: 'Olena Kyiv', role: 'legal-adviser', token: expect.any(String) })
    expect(newcomer.session.status()).toMatchObject({ state: 'locked' })
  })

  it('refuses a folder that is not empty, a copy inside the sync folder and a file not chosen, creating nothing', async () => {
    const { token } = await callChannel<{ token: string }>(newcomer, 'sync:openInvitation', { code })
    const busy = path.join(root, 'busy')
    fs.mkdirSync(busy)
    fs.writeFileSync(path.join(busy, 'thesis.odt'), 'mine')
    expect(await failChannel(newcomer, 'sync:join', { token, code, dir: busy, folder, passphrase: NEW_PASSPHRASE })).toMatchObject({
      code: 'CONFLICT',
      message: 'Choose an empty folder for your copy of the vault.',
    })
    expect(fs.readdirSync(busy)).toEqual(['thesis.odt'])
    const inside = path.join(folder, 'my-copy')
    expect(await failChannel(newcomer, 'sync:join', { token, code, dir: inside, folder, passphrase: NEW_PASSPHRASE })).toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining('outside the sync folder'),
    })
    expect(fs.existsSync(inside)).toBe(false)
    const dir = path.join(root, 'kyiv-copy')
    expect(
      await failChannel(newcomer, 'sync:join', { token: 'someone-elses', code, dir, folder, passphrase: NEW_PASSPHRASE }),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: 'Choose the invitation file again.',
    })
    expect(await failChannel(newcomer, 'sync:join', { token, code: 'AAAA-BBBB', dir, folder, passphrase: NEW_PASSPHRASE })).toMatchObject({
      code: 'VALIDATION',
    })
    expect(
      await failChannel(newcomer, 'sync:join', { token, code, dir, folder: path.join(root, 'missing'), passphrase: NEW_PASSPHRASE }),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('sync folder does not exist'),
    })
    expect(fs.existsSync(dir)).toBe(false)
    expect(newcomer.session.status()).toMatchObject({ state: 'locked' })
  })

  it("creates the newcomer's own vault, joined and synced: the office's letter is there and their passphrase opens it", async () => {
    const { token } = await callChannel<{ token: string }>(newcomer, 'sync:openInvitation', { code })
    const dir = path.join(root, 'kyiv-copy')
    const joined = await callChannel<{ recoveryKey: string; status: VaultState; applied: number }>(newcomer, 'sync:join', {
      token,
      code,
      dir,
      folder,
      passphrase: NEW_PASSPHRASE,
    })
    expect(joined.status).toMatchObject({ state: 'unlocked' })
    expect(joined.recoveryKey).toMatch(/^[A-Z0-9-]{20,}$/)
    expect(joined.applied).toBeGreaterThan(0)
    const titles = newcomer.session
      .requireVault()
      .listRecords({ kind: 'letter' })
      .map((row) => newcomer.session.requireVault().getRecord<{ title: string }>(row.id).body.title)
    expect(titles).toEqual(['Letter to the Prime Minister'])
    expect(await callChannel(newcomer, 'sync:getStatus', {})).toMatchObject({
      setUp: true,
      thisDevice: { member: 'Olena Kyiv', role: 'legal-adviser' },
    })
    // The token is used up: the same file must be chosen again for another copy.
    expect(
      await failChannel(newcomer, 'sync:join', { token, code, dir: path.join(root, 'again'), folder, passphrase: NEW_PASSPHRASE }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    })
    newcomer.session.lock('user')
    await newcomer.session.unlock(dir, NEW_PASSPHRASE)
    expect(newcomer.session.status()).toMatchObject({ state: 'unlocked' })
  })
})
