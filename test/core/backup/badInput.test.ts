// Core test (Node): damaged backups are refused with the damaged item named, and nothing is restored — one flipped
// byte (in an attachment, in the database copy, in the manifest), a missing file, a manifest from another vault, a
// copy cut short; a wrong passphrase says so; a folder that is not empty is never restored into.
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { objectPath } from '../../../electron/core/backup/backupFormat'
import { createBackup } from '../../../electron/core/backup/createBackup'
import { restoreBackup } from '../../../electron/core/backup/restoreBackup'
import { verifyBackup } from '../../../electron/core/backup/verifyBackup'
import { loadSodium, type SodiumBackend } from '../../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../../electron/core/vault/vault'
import { createTempDir, listFilesRecursive, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

const root = createTempDir()
let sodium: SodiumBackend
let counter = 0
const fresh = (name: string): string => path.join(root, `${name}-${++counter}`)
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** A pristine backup of a vault with two attachments, made once; each test works on its own copy. */
let pristine: string
let otherVaultBackup: string
beforeAll(async () => {
  sodium = await loadSodium()
  pristine = await backUpNewVault(2)
  otherVaultBackup = await backUpNewVault(1)
})

async function backUpNewVault(attachments: number): Promise<string> {
  const { vault } = await createVault(fresh('vault'), TEST_PASSPHRASE, { kdf: MIN_KDF })
  for (let n = 0; n < attachments; n++) {
    const { id } = vault.createRecord('letter', { summary: { title: `Letter ${n}` }, body: { text: 'x' } })
    await vault.addAttachmentFromStream(id, Readable.from([Buffer.alloc(5000 + n, n + 1)]), {
      filename: `f${n}.bin`,
      mediaType: 'application/octet-stream',
    })
  }
  const target = fresh('backup')
  await createBackup(vault, target, { sodium })
  vault.lock()
  return target
}

function copyBackup(from = pristine): string {
  const target = fresh('copy')
  fs.cpSync(from, target, { recursive: true })
  return target
}

function manifestOf(target: string): {
  file: string
  json: Record<string, unknown> & { attachments: { id: string; sha256: string }[]; database: { sha256: string } }
} {
  const dir = path.join(target, 'manifests')
  const file = path.join(dir, fs.readdirSync(dir).sort().at(-1)!)
  return { file, json: JSON.parse(fs.readFileSync(file, 'utf8')) }
}

function flipByte(file: string, at: number): void {
  const bytes = fs.readFileSync(file)
  bytes[at] = bytes[at]! ^ 0x01
  fs.writeFileSync(file, bytes)
}

/** Expects both verify and restore to refuse with `code` and a message containing `named`; nothing is restored. */
async function expectRefused(target: string, code: string, named: string | RegExp): Promise<void> {
  const match = typeof named === 'string' ? expect.stringContaining(named) : expect.stringMatching(named)
  await expect(verifyBackup(target, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({ code, message: match })
  const dest = fresh('restored')
  await expect(restoreBackup(target, dest, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({ code, message: match })
  expect(fs.existsSync(dest)).toBe(false)
}

describe('damaged backups', () => {
  it('the pristine backup verifies (the cases below start from a good one)', async () => {
    await expect(verifyBackup(copyBackup(), TEST_PASSPHRASE, { sodium })).resolves.toMatchObject({
      manifest: { attachments: expect.any(Array) },
    })
  })

  it('refuses one flipped byte in an attachment, naming the attachment', async () => {
    const target = copyBackup()
    const { json } = manifestOf(target)
    const victim = json.attachments[1]!
    const file = path.join(target, objectPath(victim.sha256))
    flipByte(file, Math.floor(fs.statSync(file).size / 2))
    await expectRefused(target, 'TAMPERED', new RegExp(`attachment ${victim.id} .*is damaged`))
  })

  it('refuses one flipped byte in the database copy, naming it', async () => {
    const target = copyBackup()
    flipByte(path.join(target, objectPath(manifestOf(target).json.database.sha256)), 5000)
    await expectRefused(target, 'TAMPERED', 'the copy of the vault database')
  })

  it('refuses a manifest changed by one byte (its MAC fails)', async () => {
    const target = copyBackup()
    const { file } = manifestOf(target)
    const text = fs.readFileSync(file, 'utf8')
    // Change the recorded time by one digit: still valid JSON and a valid manifest, no longer the one the vault MACed.
    const edited = text.replace(/"createdAt": "(\d{4})/, (_m, year: string) => `"createdAt": "${Number(year) + 1}`)
    expect(edited).not.toBe(text)
    fs.writeFileSync(file, edited)
    await expectRefused(target, 'TAMPERED', /list of files \(manifests\/.*\) was changed/)
  })

  it('refuses a missing attachment file, naming it', async () => {
    const target = copyBackup()
    const victim = manifestOf(target).json.attachments[0]!
    fs.rmSync(path.join(target, objectPath(victim.sha256)))
    await expectRefused(target, 'CORRUPT', new RegExp(`attachment ${victim.id} .*is missing`))
  })

  it('refuses a manifest taken from another vault’s backup, saying so', async () => {
    const target = copyBackup()
    const { file } = manifestOf(target)
    const foreign = manifestOf(otherVaultBackup)
    fs.rmSync(file)
    fs.copyFileSync(foreign.file, path.join(target, 'manifests', path.basename(foreign.file)))
    await expectRefused(target, 'TAMPERED', 'belongs to another vault')
  })

  it('refuses a manifest of another vault even with that vault’s database copy beside it', async () => {
    const target = copyBackup()
    const foreign = manifestOf(otherVaultBackup)
    fs.rmSync(manifestOf(target).file)
    fs.copyFileSync(foreign.file, path.join(target, 'manifests', path.basename(foreign.file)))
    const db = objectPath(foreign.json.database.sha256)
    fs.mkdirSync(path.dirname(path.join(target, db)), { recursive: true })
    fs.copyFileSync(path.join(otherVaultBackup, db), path.join(target, db))
    await expectRefused(target, 'TAMPERED', 'belongs to another vault')
  })

  it('refuses a copy cut short (the last file truncated, the manifest half written), naming what is incomplete', async () => {
    const target = copyBackup()
    const files = listFilesRecursive(path.join(target, 'objects'))
    const last = files.at(-1)!
    fs.truncateSync(last, Math.floor(fs.statSync(last).size / 3))
    await expectRefused(target, 'CORRUPT', 'is incomplete')
    const cut = copyBackup()
    const { file } = manifestOf(cut)
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))
    await expectRefused(cut, 'CORRUPT', /list of files \(manifests\/.*\) is damaged or incomplete/)
  })

  it('says plainly when the passphrase is wrong, and restores nothing', async () => {
    const target = copyBackup()
    const wrong = Buffer.from('not the passphrase at all')
    await expect(verifyBackup(target, wrong, { sodium })).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
      message: expect.stringContaining('The passphrase does not open this backup'),
    })
    const dest = fresh('restored')
    await expect(restoreBackup(target, dest, wrong, { sodium })).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' })
    expect(fs.existsSync(dest)).toBe(false)
  })

  it('never restores into a folder that holds anything (a vault or any file), and leaves it as it was', async () => {
    const target = copyBackup()
    const occupied = fresh('occupied')
    fs.mkdirSync(occupied)
    fs.writeFileSync(path.join(occupied, 'vault.sqlite'), 'an existing vault')
    await expect(restoreBackup(target, occupied, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('must be new or empty'),
    })
    expect(fs.readdirSync(occupied)).toEqual(['vault.sqlite'])
    expect(fs.readFileSync(path.join(occupied, 'vault.sqlite'), 'utf8')).toBe('an existing vault')
    const empty = fresh('empty')
    fs.mkdirSync(empty)
    await expect(restoreBackup(target, empty, TEST_PASSPHRASE, { sodium })).resolves.toMatchObject({ attachments: 2 })
  })

  it('says when a folder holds no backup, or only an interrupted one', async () => {
    const empty = fresh('nothing')
    fs.mkdirSync(empty)
    await expect(verifyBackup(empty, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'This folder holds no Custodia backup.',
    })
    const target = copyBackup()
    fs.rmSync(manifestOf(target).file)
    await expect(verifyBackup(target, TEST_PASSPHRASE, { sodium })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no finished backup'),
    })
  })
})
