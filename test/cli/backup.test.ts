// CLI (Node): `custodia backup`, `backup verify` and `restore` end to end — a restored vault passes `audit verify` and
// `check`; damaged backups, a wrong passphrase and a non-empty destination each end with their exit code and a
// message naming what is wrong, and nothing is restored.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { objectPath } from '../../electron/core/backup/backupFormat'
import { runCustodia } from '../helpers/cli'
import { createTempDir } from '../helpers/vaultTestUtils'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
const work = createTempDir()
let counter = 0
const fresh = (name: string): string => path.join(work, `${name}-${++counter}`)
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

let vaultDir: string
let recordId: string
let target: string
beforeAll(async () => {
  vaultDir = fresh('vault')
  expect((await runCustodia(['init', vaultDir], { env })).code).toBe(0)
  const added = await runCustodia(['add', vaultDir, '--kind', 'note', '--title', 'Visit report'], {
    env,
    stdin: 'Met the lawyer on Monday.',
  })
  expect(added.code).toBe(0)
  recordId = added.stdout.trim().split(/\s+/)[0]!
  const scan = path.join(work, 'scan.pdf')
  fs.writeFileSync(scan, Buffer.alloc(200_000, 7))
  expect((await runCustodia(['attach', vaultDir, recordId, scan], { env })).code).toBe(0)
  target = fresh('backup')
  const backup = await runCustodia(['backup', vaultDir, target], { env })
  expect(backup.stderr).toBe('')
  expect(backup.code).toBe(0)
  expect(backup.stdout).toContain('1 attachments (1 new)')
}, 60_000)

function copyBackup(): string {
  const copy = fresh('copy')
  fs.cpSync(target, copy, { recursive: true })
  return copy
}

function newestManifest(dir: string): {
  file: string
  json: { database: { sha256: string }; attachments: { id: string; sha256: string }[] }
} {
  const names = fs.readdirSync(path.join(dir, 'manifests')).sort()
  const file = path.join(dir, 'manifests', names.at(-1)!)
  return { file, json: JSON.parse(fs.readFileSync(file, 'utf8')) }
}

describe('custodia backup / backup verify / restore', () => {
  it('verifies, restores into a new folder, and the restored vault passes audit verify and check', async () => {
    const verify = await runCustodia(['backup', 'verify', target], { env })
    expect(verify.stderr).toBe('')
    expect(verify.code).toBe(0)
    expect(verify.stdout).toContain('OK: the backup of vault')
    const dest = fresh('restored')
    const restore = await runCustodia(['restore', target, dest], { env })
    expect(restore.stderr).toBe('')
    expect(restore.code).toBe(0)
    expect((await runCustodia(['audit', 'verify', dest], { env })).code).toBe(0)
    const check = await runCustodia(['check', dest], { env })
    expect(check.code).toBe(0)
    expect(check.stdout).toContain('1 attachments')
    const cat = await runCustodia(['cat', dest, recordId], { env })
    expect(cat.stdout).toContain('Met the lawyer on Monday.')
  }, 60_000)

  it('a second backup copies no attachment again', async () => {
    const again = await runCustodia(['backup', vaultDir, target], { env })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('1 attachments (0 new)')
  }, 30_000)

  it('a flipped byte: exit TAMPERED, the attachment named, nothing restored', async () => {
    const copy = copyBackup()
    const victim = newestManifest(copy).json.attachments[0]!
    const file = path.join(copy, objectPath(victim.sha256))
    const bytes = fs.readFileSync(file)
    bytes[1000] = bytes[1000]! ^ 0x40
    fs.writeFileSync(file, bytes)
    const verify = await runCustodia(['backup', 'verify', copy], { env })
    expect(verify.code).toBe(EXIT_CODES.TAMPERED)
    expect(verify.stderr).toContain(`attachment ${victim.id}`)
    const dest = fresh('restored')
    expect((await runCustodia(['restore', copy, dest], { env })).code).toBe(EXIT_CODES.TAMPERED)
    expect(fs.existsSync(dest)).toBe(false)
  }, 30_000)

  it('a missing file or a copy cut short: exit CORRUPT, the file named', async () => {
    const missing = copyBackup()
    const victim = newestManifest(missing).json.attachments[0]!
    fs.rmSync(path.join(missing, objectPath(victim.sha256)))
    const verify = await runCustodia(['backup', 'verify', missing], { env })
    expect(verify.code).toBe(EXIT_CODES.CORRUPT)
    expect(verify.stderr).toMatch(new RegExp(`attachment ${victim.id} .*is missing`))
    const cut = copyBackup()
    const db = path.join(cut, objectPath(newestManifest(cut).json.database.sha256))
    fs.truncateSync(db, 4096)
    const cutVerify = await runCustodia(['backup', 'verify', cut], { env })
    expect(cutVerify.code).toBe(EXIT_CODES.CORRUPT)
    expect(cutVerify.stderr).toContain('the copy of the vault database')
  }, 30_000)

  it('a manifest from another vault: exit TAMPERED, saying so', async () => {
    const otherVault = fresh('other')
    expect((await runCustodia(['init', otherVault], { env })).code).toBe(0)
    const otherTarget = fresh('other-backup')
    expect((await runCustodia(['backup', otherVault, otherTarget], { env })).code).toBe(0)
    const copy = copyBackup()
    for (const name of fs.readdirSync(path.join(copy, 'manifests'))) fs.rmSync(path.join(copy, 'manifests', name))
    const foreign = newestManifest(otherTarget).file
    fs.copyFileSync(foreign, path.join(copy, 'manifests', path.basename(foreign)))
    const verify = await runCustodia(['backup', 'verify', copy], { env })
    expect(verify.code).toBe(EXIT_CODES.TAMPERED)
    expect(verify.stderr).toContain('belongs to another vault')
  }, 60_000)

  it('the wrong passphrase: exit WRONG_PASSPHRASE, said plainly', async () => {
    const verify = await runCustodia(['backup', 'verify', target], { env: { CUSTODIA_PASSPHRASE: 'not the right one at all' } })
    expect(verify.code).toBe(EXIT_CODES.WRONG_PASSPHRASE)
    expect(verify.stderr).toContain('The passphrase does not open this backup')
  }, 30_000)

  it('a destination that is not empty: exit CONFLICT, left as it was', async () => {
    const result = await runCustodia(['restore', target, vaultDir], { env })
    expect(result.code).toBe(EXIT_CODES.CONFLICT)
    expect(result.stderr).toContain('must be new or empty')
    expect((await runCustodia(['audit', 'verify', vaultDir], { env })).code).toBe(0)
  }, 30_000)
})
