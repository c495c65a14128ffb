// CLI (Node): `custodia sync init|invite|join|now|status` through a plain shared folder — an admin sets a vault up and
// invites a second copy, which joins with the file and the code and receives the documents; a wrong code creates no
// vault; a non-admin cannot set sync up; status names the peer and the conflict waiting.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { createVault, joinVault, MIN_KDF, openVault } from '../../electron/core/vault/vault'
import { runCustodia } from '../helpers/cli'
import { createTempDir } from '../helpers/vaultTestUtils'

const ADMIN = 'correct horse battery staple'
const BOHDAN = 'bohdan has a long passphrase too'
const SASHA = 'sasha from the secretariat, long'
let work: string
let oslo: string
let kyiv: string
let folder: string

beforeAll(async () => {
  work = createTempDir()
  oslo = path.join(work, 'oslo')
  kyiv = path.join(work, 'kyiv')
  folder = path.join(work, 'shared')
  fs.mkdirSync(folder)
  const { vault } = await createVault(oslo, new TextEncoder().encode(ADMIN), { kdf: MIN_KDF, adminName: 'Anna' })
  const sasha = vault.addMember({ name: 'Sasha', role: 'secretariat' })
  vault.lock()
  const joined = await joinVault(oslo, sasha.invitationCode, new TextEncoder().encode(SASHA), { kdf: MIN_KDF })
  joined.vault.lock()
})
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

const asAdmin = { CUSTODIA_PASSPHRASE: ADMIN }

describe('custodia sync', () => {
  it('sets up a team, invites a copy that joins and receives the documents, and shows the status', async () => {
    const notYet = await runCustodia(['sync', 'now', oslo], { env: asAdmin })
    expect(notYet.code).toBe(EXIT_CODES.NOT_FOUND)
    expect(notYet.stderr).toContain('not set up for sync yet')

    const init = await runCustodia(['sync', 'init', oslo, '--folder', folder], { env: asAdmin })
    expect(init.code).toBe(0)
    expect(init.stdout).toMatch(/^Sync set up: team [0-9a-f]{32}/)

    const added = await runCustodia(['add', oslo, '--kind', 'letter', '--title', 'Letter to the Ombudsman'], {
      env: asAdmin,
      stdin: 'Dear Ombudsman, …',
    })
    expect(added.code).toBe(0)
    expect((await runCustodia(['sync', 'now', oslo], { env: asAdmin })).stdout).toContain('Written: 1')

    const inviteFile = path.join(work, 'kyiv.invitation')
    const invite = await runCustodia(['sync', 'invite', oslo, 'Bohdan', '--role', 'secretariat', '--out', inviteFile], { env: asAdmin })
    expect(invite.code).toBe(0)
    const code = /Invitation code: (\S+)/.exec(invite.stdout)![1]!
    expect(fs.statSync(inviteFile).mode & 0o777).toBe(0o600)

    // A wrong code: refused before anything is created.
    const wrong = code.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))
    const refused = await runCustodia(['sync', 'join', kyiv, '--invite', inviteFile, '--folder', folder, '--code', wrong], {
      env: { CUSTODIA_NEW_PASSPHRASE: BOHDAN },
    })
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toMatch(/invitation code/i)
    expect(fs.existsSync(kyiv)).toBe(false)

    const join = await runCustodia(['sync', 'join', kyiv, '--invite', inviteFile, '--folder', folder], {
      env: { CUSTODIA_NEW_PASSPHRASE: BOHDAN, CUSTODIA_SYNC_CODE: code },
    })
    expect(join.code).toBe(0)
    expect(join.stdout).toContain('as Bohdan (Secretariat)')
    expect(join.stdout).toMatch(/Recovery key: /)
    const list = await runCustodia(['ls', kyiv], { env: { CUSTODIA_PASSPHRASE: BOHDAN } })
    expect(list.stdout).toContain('Letter to the Ombudsman')

    const status = await runCustodia(['sync', 'status', kyiv], { env: { CUSTODIA_PASSPHRASE: BOHDAN } })
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/peer\tAnna\tadmin\tlast change-set 2/)
    expect(status.stdout).not.toContain('conflict')
  })

  it('lists a conflict on both copies after edits that crossed', async () => {
    const vaultA = await openVault(oslo, new TextEncoder().encode(ADMIN))
    const vaultB = await openVault(kyiv, new TextEncoder().encode(BOHDAN))
    const id = vaultA.listRecords({ kind: 'letter' })[0]!.id
    for (const [vault, text] of [
      [vaultA, 'Oslo'],
      [vaultB, 'Kyiv'],
    ] as const) {
      const current = vault.getRecord<Record<string, unknown>>(id)
      vault.updateRecord(id, { summary: current.summary, body: { ...current.body, text } })
      vault.lock()
    }
    const runs: [string, string][] = [
      [oslo, ADMIN],
      [kyiv, BOHDAN],
      [oslo, ADMIN],
    ]
    for (const [dir, pass] of runs) expect((await runCustodia(['sync', 'now', dir], { env: { CUSTODIA_PASSPHRASE: pass } })).code).toBe(0)
    for (const [dir, pass] of runs.slice(0, 2)) {
      const status = await runCustodia(['sync', 'status', dir], { env: { CUSTODIA_PASSPHRASE: pass } })
      expect(status.stdout).toContain(`conflict\t${id}\tLetter to the Ombudsman`)
    }
  })

  it('lets only an admin invite a copy: a secretariat member is refused and no file is written', async () => {
    const out = path.join(work, 'x.invitation')
    const result = await runCustodia(['sync', 'invite', oslo, 'Someone', '--role', 'viewer', '--out', out, '--member', 'Sasha'], {
      env: { CUSTODIA_PASSPHRASE: SASHA },
    })
    expect(result.code).toBe(EXIT_CODES.FORBIDDEN)
    expect(result.stderr).toContain('manage members')
    expect(fs.existsSync(out)).toBe(false)
  })

  it('removes a copy from the team (admins only) and lists it as removed', async () => {
    const refused = await runCustodia(['sync', 'remove', oslo, 'Bohdan', '--member', 'Sasha'], { env: { CUSTODIA_PASSPHRASE: SASHA } })
    expect(refused.code).toBe(EXIT_CODES.FORBIDDEN)
    const removed = await runCustodia(['sync', 'remove', oslo, 'Bohdan'], { env: asAdmin })
    expect(removed.code).toBe(0)
    expect(removed.stdout).toContain('Removed 1 copy used by Bohdan.')
    const status = await runCustodia(['sync', 'status', oslo], { env: asAdmin })
    expect(status.stdout).toMatch(/removed\tBohdan\tsecretariat/)
    const again = await runCustodia(['sync', 'remove', oslo, 'Bohdan'], { env: asAdmin })
    expect(again.code).toBe(EXIT_CODES.NOT_FOUND)
  })
})
