// Core test (Node): the protection channels through the real dispatcher (issue #16) — a wrong N is refused in plain
// words and changes nothing, the lock screen's channel answers while locked, and a member who is not an admin is refused.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { callChannel, failChannel, startTestServices, TEST_PASSPHRASE } from '../../helpers/appServices'
import { createTempDir } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let services: AppServices
let dir = ''

beforeAll(async () => {
  services = await startTestServices(root)
  dir = services.session.requireVault().dir
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

describe('protection channels', () => {
  it('refuses N outside 3..20 in plain words and changes nothing', async () => {
    for (const after of [2, 21, 0]) {
      const failure = await failChannel(services, 'vault:setWipeAfter', { after, includesRecovery: false })
      expect(failure).toMatchObject({ code: 'VALIDATION' })
      expect(failure.message).toContain('from 3 to 20')
    }
    expect(await callChannel(services, 'vault:getProtection', {})).toMatchObject({ wipeAfter: null })
  })

  it('sets the erase, and the lock screen reads what is left while locked', async () => {
    expect(await callChannel(services, 'vault:setWipeAfter', { after: 4, includesRecovery: false })).toMatchObject({
      wipeAfter: 4,
      wipeIncludesRecovery: false,
      duress: { on: false },
    })
    services.session.lock('user')
    await expect(services.session.unlock(dir, 'not it at all')).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    expect(await callChannel(services, 'vault:getUnlockGuard', { dir })).toEqual({
      wipeAfter: 4,
      includesRecovery: false,
      failed: 1,
      triesLeft: 3,
      erased: null,
    })
    // Needs the vault (and an admin): refused while locked.
    expect(await failChannel(services, 'vault:getProtection', {})).toMatchObject({ code: 'VAULT_LOCKED' })
    await services.session.unlock(dir, TEST_PASSPHRASE)
  })

  it('refuses a member who is not an admin', async () => {
    const { invitationCode } = await callChannel<{ invitationCode: string }>(services, 'members:add', { name: 'Vera', role: 'viewer' })
    const joiner = await startTestServices(createTempDir())
    try {
      joiner.session.lock('user')
      await joiner.session.join(dir, invitationCode, 'vera has her own long passphrase')
      // Her passphrase keyslot got its companion at the join, of the same size as the first member's (duress.ts).
      const db = new Database(path.join(dir, 'vault.sqlite'), { readonly: true })
      try {
        const companions = db.prepare(`SELECT length(value) AS n FROM settings WHERE name LIKE 'slotCompanion.%'`).all() as { n: number }[]
        expect(companions.map((row) => row.n)).toEqual([736, 736])
      } finally {
        db.close()
      }
      const failure = await failChannel(joiner, 'vault:setWipeAfter', { after: 5, includesRecovery: false })
      expect(failure).toMatchObject({ code: 'FORBIDDEN' })
      expect(failure.message).toContain('cannot change how the vault protects itself')
    } finally {
      joiner.session.lock('user')
    }
  })
})
