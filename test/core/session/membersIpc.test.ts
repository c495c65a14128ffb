// Core test (Node): members through the real services and dispatcher, as the app will use them — an admin adds a
// member of each role over IPC, each joins with their code, and as each of them every channel the table refuses is
// refused (FORBIDDEN, the role's sentence) with the vault's database unchanged; what they may do works and is signed
// with their name.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { requiredCapability } from '../../../electron/core/api/channelCapabilities'
import { CHANNEL_NAMES } from '../../../shared/ipc/contract'
import { describeRefusal, ROLE_CAPABILITIES, ROLES, type Role } from '../../../shared/members/roles'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'
import { SAMPLE_REQUESTS } from '../../helpers/sampleRequests'
import { createTempDir } from '../../helpers/vaultTestUtils'

const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

function dumpDb(dir: string): string {
  const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true })
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
      (r) => r.name,
    )
    return JSON.stringify(tables.map((name) => db.prepare(`SELECT * FROM ${name} ORDER BY rowid`).all()))
  } finally {
    db.close()
  }
}

const passphraseOf = (role: Role) => `the ${role} passphrase is long enough`

describe('members over IPC', () => {
  it('an admin invites one member per role; as each, the refused channels are refused and change nothing', async () => {
    const services = await startTestServices(root)
    const dir = path.join(root, 'vault')
    const codes = new Map<Role, string>()
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const added = await callChannel<{ invitationCode: string; member: { role: string } }>(services, 'members:add', {
        name: `Member ${role}`,
        role,
      })
      expect(added.member.role).toBe(role)
      codes.set(role, added.invitationCode)
    }
    const listed = await callChannel<{ members: { role: string }[] }>(services, 'members:list', {})
    expect(listed.members.map((m) => m.role)).toEqual(['admin', 'secretariat', 'legal-adviser', 'archivist', 'viewer'])
    await callChannel(services, 'vault:lock', {})

    for (const role of ROLES.filter((r) => r !== 'admin')) {
      const joined = await callChannel<{ recoveryKey: string; status: { member: { role: string; name: string } } }>(
        services,
        'members:join',
        {
          dir,
          code: codes.get(role)!,
          newPassphrase: passphraseOf(role),
        },
      )
      expect(joined.status.member).toMatchObject({ role, name: `Member ${role}` })
      await callChannel(services, 'vault:lock', {})
    }

    for (const role of ROLES.filter((r) => r !== 'admin')) {
      await callChannel(services, 'vault:unlock', { dir, passphrase: passphraseOf(role), member: `Member ${role}` })
      expect((await callChannel<{ member: { role: string } }>(services, 'vault:status', {})).member.role).toBe(role)
      const before = dumpDb(dir)
      let refused = 0
      for (const channel of CHANNEL_NAMES) {
        const needed = requiredCapability(channel, SAMPLE_REQUESTS[channel])
        if (needed === null || ROLE_CAPABILITIES[role].has(needed)) continue
        expect(await failChannel(services, channel, SAMPLE_REQUESTS[channel]), channel).toEqual({
          code: 'FORBIDDEN',
          message: describeRefusal(role, needed),
        })
        refused++
      }
      expect(refused).toBeGreaterThan(5)
      expect(dumpDb(dir), `${role}: a refused call changed the vault`).toBe(before)
      await callChannel(services, 'vault:lock', {})
    }
  })

  it('a legal adviser edits a dossier; an archivist cannot; the revision names the legal adviser', async () => {
    const services = await startTestServices(path.join(root, 'second'))
    const dir = path.join(root, 'second', 'vault')
    const created = await callChannel<{ id: string }>(services, 'dossiers:create', SAMPLE_REQUESTS['dossiers:create'])
    const legal = await callChannel<{ invitationCode: string }>(services, 'members:add', { name: 'Oksana Legal', role: 'legal-adviser' })
    const archivist = await callChannel<{ invitationCode: string }>(services, 'members:add', { name: 'Petro Archive', role: 'archivist' })
    await callChannel(services, 'vault:lock', {})
    await callChannel(services, 'members:join', { dir, code: archivist.invitationCode, newPassphrase: passphraseOf('archivist') })
    const stored = await callChannel<{ revision: number }>(services, 'dossiers:get', { id: created.id })
    const update = {
      id: created.id,
      expectedRevision: stored.revision,
      dossier: SAMPLE_REQUESTS['dossiers:create'].dossier,
      family: 'keep',
    }
    expect(await failChannel(services, 'dossiers:update', update)).toEqual({
      code: 'FORBIDDEN',
      message: 'Your role (Archivist) cannot edit dossiers. Ask an admin.',
    })
    expect(await failChannel(services, 'members:setRole', { id: created.id, role: 'admin' })).toEqual({
      code: 'FORBIDDEN',
      message: 'Your role (Archivist) cannot manage members. Ask an admin.',
    })
    await callChannel(services, 'members:join', { dir, code: legal.invitationCode, newPassphrase: passphraseOf('legal-adviser') })
    await callChannel(services, 'dossiers:update', update)
    const vault = services.session.requireVault()
    expect(vault.getRecord(created.id)).toMatchObject({ author: 'Oksana Legal', authorId: vault.member!.id })
    expect(vault.audit.list().at(-1)).toMatchObject({ by: vault.member!.id })
    services.session.lock('user')
  })
})
