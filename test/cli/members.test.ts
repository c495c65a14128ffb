// CLI (Node): `custodia members …` and `--member NAME` — an admin adds a member, who joins with the code and their
// own passphrase (CUSTODIA_NEW_PASSPHRASE), then unlocks any command as themselves; refusals have their own exit code
// (13, FORBIDDEN) and message, and a wrong code changes no file.
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COMMAND_CAPABILITIES } from '../../electron/cli/commandCapabilities'
import { COMMANDS } from '../../electron/cli/commands'
import { EXIT_CODES } from '../../electron/cli/io'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { runCustodia } from '../helpers/cli'

const ADMIN = 'correct horse battery staple'
const ANNA = 'anna has her own long passphrase'
const DOSSIER = JSON.stringify({ names: { original: 'Ales Bialiatski' }, category: 'political-prisoner' })
let work: string
let dir: string

function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const full = join(folder, name)
    if (statSync(full).isFile()) out[name] = createHash('sha256').update(readFileSync(full)).digest('hex')
  }
  return out
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-members-'))
  dir = join(work, 'vault')
  const { vault } = await createVault(dir, new TextEncoder().encode(ADMIN), {
    sodium: await loadSodium('native'),
    kdf: MIN_KDF,
    adminName: 'Olena Admin',
  })
  vault.lock()
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('custodia members', () => {
  it('add, join, unlock as the member, and the refusals', async () => {
    const added = await runCustodia(['members', 'add', dir, 'Anna Kovalenko', '--role', 'legal-adviser', '--email', 'anna@example.org'], {
      env: { CUSTODIA_PASSPHRASE: ADMIN },
    })
    expect(added.code, added.stderr).toBe(0)
    const code = /Invitation code: (\S+)/.exec(added.stdout)![1]!
    expect(added.stderr).toContain('shown only once')

    const before = snapshot(dir)
    const wrong = await runCustodia(['members', 'join', dir, '--code', `${code.slice(0, -4)}0000`], {
      env: { CUSTODIA_NEW_PASSPHRASE: ANNA },
    })
    expect(wrong.code).toBe(EXIT_CODES.VALIDATION)
    expect(wrong.stderr).toContain('The invitation code is mistyped')
    const weak = await runCustodia(['members', 'join', dir, '--code', code], { env: { CUSTODIA_NEW_PASSPHRASE: 'short' } })
    expect(weak.code).toBe(EXIT_CODES.VALIDATION)
    expect(snapshot(dir)).toEqual(before)

    const joined = await runCustodia(['members', 'join', dir, '--code', code], { env: { CUSTODIA_NEW_PASSPHRASE: ANNA } })
    expect(joined.code, joined.stderr).toBe(0)
    expect(joined.stdout).toMatch(/^Joined as Anna Kovalenko \(Legal adviser\)\.\nRecovery key: \S+/)
    const again = await runCustodia(['members', 'join', dir, '--code', code], { env: { CUSTODIA_NEW_PASSPHRASE: ANNA } })
    expect(again.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)

    const listed = await runCustodia(['members', 'ls', dir, '--member', 'anna kovalenko'], { env: { CUSTODIA_PASSPHRASE: ANNA } })
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toBe('Olena Admin\tadmin\tjoined\t\nAnna Kovalenko\tlegal-adviser\tjoined\tanna@example.org\n')

    // The member writes as themselves (a legal adviser keeps dossiers; the library is not theirs to edit).
    const dossier = await runCustodia(['dossier', 'add', dir, '--member', 'Anna Kovalenko'], {
      env: { CUSTODIA_PASSPHRASE: ANNA },
      stdin: DOSSIER,
    })
    expect(dossier.code, dossier.stderr).toBe(0)
    const shown = await runCustodia(['cat', dir, dossier.stdout.trim(), '--json'], { env: { CUSTODIA_PASSPHRASE: ADMIN } })
    expect(JSON.parse(shown.stdout)).toMatchObject({ author: 'Anna Kovalenko' })
    const note = await runCustodia(['add', dir, '--kind', 'note', '--title', 'Visit', '--member', 'Anna Kovalenko'], {
      env: { CUSTODIA_PASSPHRASE: ANNA },
      stdin: 'Visited the colony.',
    })
    expect(note).toMatchObject({
      code: EXIT_CODES.FORBIDDEN,
      stderr: 'custodia: Your role (Legal adviser) cannot edit the library. Ask an admin.\n',
    })

    // A member with another name is refused like a wrong passphrase.
    const misnamed = await runCustodia(['ls', dir, '--member', 'Olena Admin'], { env: { CUSTODIA_PASSPHRASE: ANNA } })
    expect(misnamed.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect(misnamed.stderr).toContain('The member name or the passphrase is wrong')

    // Not an admin: refused with the role's sentence and exit 13.
    const promote = await runCustodia(['members', 'role', dir, 'Anna Kovalenko', 'admin', '--member', 'Anna Kovalenko'], {
      env: { CUSTODIA_PASSPHRASE: ANNA },
    })
    expect(promote).toMatchObject({
      code: EXIT_CODES.FORBIDDEN,
      stderr: 'custodia: Your role (Legal adviser) cannot manage members. Ask an admin.\n',
    })

    // The last admin cannot remove themselves.
    const self = await runCustodia(['members', 'remove', dir, 'Olena Admin'], { env: { CUSTODIA_PASSPHRASE: ADMIN } })
    expect(self.code).toBe(EXIT_CODES.FORBIDDEN)
    expect(self.stderr).toContain('You are the last admin of this vault, so you cannot remove yourself.')

    // Suspended: refused at unlock; reinstated: back in.
    expect((await runCustodia(['members', 'suspend', dir, 'Anna Kovalenko'], { env: { CUSTODIA_PASSPHRASE: ADMIN } })).code).toBe(0)
    const suspended = await runCustodia(['ls', dir, '--member', 'Anna Kovalenko'], { env: { CUSTODIA_PASSPHRASE: ANNA } })
    expect(suspended).toMatchObject({
      code: EXIT_CODES.FORBIDDEN,
      stderr: 'custodia: Anna Kovalenko, your access to this vault is suspended. Ask an admin to reinstate you.\n',
    })
    expect((await runCustodia(['members', 'reinstate', dir, 'anna kovalenko'], { env: { CUSTODIA_PASSPHRASE: ADMIN } })).code).toBe(0)
    expect((await runCustodia(['ls', dir, '--member', 'Anna Kovalenko'], { env: { CUSTODIA_PASSPHRASE: ANNA } })).code).toBe(0)

    // Removed: the passphrase no longer opens the vault.
    const removed = await runCustodia(['members', 'remove', dir, 'Anna Kovalenko'], { env: { CUSTODIA_PASSPHRASE: ADMIN } })
    expect(removed.stdout).toBe('Anna Kovalenko\tlegal-adviser\tremoved\tanna@example.org\n')
    expect((await runCustodia(['ls', dir], { env: { CUSTODIA_PASSPHRASE: ANNA } })).code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    const unknown = await runCustodia(['members', 'suspend', dir, 'Nobody'], { env: { CUSTODIA_PASSPHRASE: ADMIN } })
    expect(unknown.code).toBe(EXIT_CODES.NOT_FOUND)
  })

  it('every command that unlocks a vault takes --member and says what it needs of the role', () => {
    const unlocking = COMMANDS.filter((c) => c.options?.['passphrase-file'] && c.words[0] !== 'init')
    expect(unlocking.length).toBeGreaterThan(20)
    expect(unlocking.filter((c) => !c.options?.['member']).map((c) => c.words.join(' '))).toEqual([])
    expect(unlocking.filter((c) => !(c.words.join(' ') in COMMAND_CAPABILITIES)).map((c) => c.words.join(' '))).toEqual([])
  })

  it('a viewer can read but not write through the CLI either, and cannot print a dossier whole', async () => {
    const added = await runCustodia(['members', 'add', dir, 'Vera Viewer', '--role', 'viewer'], { env: { CUSTODIA_PASSPHRASE: ADMIN } })
    const code = /Invitation code: (\S+)/.exec(added.stdout)![1]!
    const viewerEnv = { CUSTODIA_PASSPHRASE: 'vera reads but never writes', CUSTODIA_NEW_PASSPHRASE: 'vera reads but never writes' }
    expect((await runCustodia(['members', 'join', dir, '--code', code], { env: viewerEnv })).code).toBe(0)
    const before = snapshot(dir)
    const write = await runCustodia(['add', dir, '--kind', 'note', '--title', 'No', '--member', 'Vera Viewer'], {
      env: viewerEnv,
      stdin: 'x',
    })
    expect(write).toMatchObject({
      code: EXIT_CODES.FORBIDDEN,
      stderr: 'custodia: Your role (Viewer) cannot edit the library. Ask an admin.\n',
    })
    const dossier = await runCustodia(['dossier', 'add', dir, '--member', 'Vera Viewer'], { env: viewerEnv, stdin: DOSSIER })
    expect(dossier).toMatchObject({
      code: EXIT_CODES.FORBIDDEN,
      stderr: 'custodia: Your role (Viewer) cannot edit dossiers. Ask an admin.\n',
    })
    const dossierId = (await runCustodia(['dossier', 'ls', dir], { env: { CUSTODIA_PASSPHRASE: ADMIN } })).stdout.split('\t')[0]!
    const whole = await runCustodia(['cat', dir, dossierId, '--json', '--member', 'Vera Viewer'], { env: viewerEnv })
    expect(whole).toMatchObject({
      code: EXIT_CODES.FORBIDDEN,
      stderr: 'custodia: Your role (Viewer) cannot see sensitive dossier fields. Ask an admin.\n',
    })
    const ls = await runCustodia(['ls', dir, '--member', 'Vera Viewer'], { env: viewerEnv })
    expect(ls.code, ls.stderr).toBe(0)
    // Only the unlock and lock entries were added by the refused commands' sessions: no record changed.
    const rows = (await runCustodia(['ls', dir], { env: { CUSTODIA_PASSPHRASE: ADMIN } })).stdout
    expect(rows).toBe(ls.stdout)
    expect(Object.keys(snapshot(dir)).sort()).toEqual(Object.keys(before).sort())
  })
})
