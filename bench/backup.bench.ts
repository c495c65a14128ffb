// Benchmark (Node, main-process code): backups of a vault holding 2 GiB of attachments (CUSTODIA_BENCH_BACKUP_MIB for
// a quicker run) — a first backup against `cp -r` of the same vault folder, an incremental backup after 10 new
// records, and verifying the backup (passphrase + every hash) against `sha256sum` of the same bytes, in the same run.
import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { createBackup } from '../electron/core/backup/createBackup'
import { verifyBackup } from '../electron/core/backup/verifyBackup'
import { loadSodium } from '../electron/core/platform/crypto/sodium'
import { createVault, DEFAULT_KDF } from '../electron/core/vault/vault'
import { median, timeMs, type Figure } from './measure'

const run = promisify(execFile)
const MiB = 1024 * 1024
/** Attachments of 8 MiB each: scans and PDFs of a few pages. */
const FILE_MiB = 8

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? listFiles(full) : [full]
  })
}

export async function runBackupBench(opts: { dir: string; totalMiB?: number }): Promise<Figure[]> {
  const totalMiB = opts.totalMiB ?? Number(process.env['CUSTODIA_BENCH_BACKUP_MIB'] ?? 2048)
  const files = Math.max(1, Math.round(totalMiB / FILE_MiB))
  const sodium = await loadSodium('native')
  const passphrase = new TextEncoder().encode('bench passphrase for custodia')
  const vaultDir = path.join(opts.dir, 'vault')
  const { vault } = await createVault(vaultDir, passphrase, { sodium, kdf: DEFAULT_KDF })
  const source = path.join(opts.dir, 'scan.bin')
  fs.writeFileSync(source, crypto.randomBytes(FILE_MiB * MiB))
  for (let i = 0; i < files; i++) {
    const { id } = vault.createRecord('letter', { summary: { title: `Letter ${i}` }, body: { text: 'Dear Minister, '.repeat(40) } })
    await vault.addAttachment(id, source, { filename: `scan-${i}.bin`, mediaType: 'application/octet-stream' })
  }
  const vaultBytes = listFiles(vaultDir).reduce((sum, f) => sum + fs.statSync(f).size, 0)

  // Interleaved three times (the median is kept), so a busy moment of the shared machine falls on every kind of copy
  // alike; each into a fresh folder.
  const cpTimes: number[] = []
  const cpSyncTimes: number[] = []
  const backupTimes: number[] = []
  let target = ''
  for (let round = 0; round < 3; round++) {
    const copy = path.join(opts.dir, `cp-${round}`)
    cpTimes.push(await timeMs(() => run('cp', ['-r', vaultDir, copy])))
    fs.rmSync(copy, { recursive: true, force: true })
    // The same copy made as durable as a backup's: coreutils `sync FILE…` fsyncs each file (not the whole disk).
    cpSyncTimes.push(
      await timeMs(async () => {
        await run('cp', ['-r', vaultDir, copy])
        await run('sync', listFiles(copy))
      }),
    )
    fs.rmSync(copy, { recursive: true, force: true })
    if (target) fs.rmSync(target, { recursive: true, force: true })
    target = path.join(opts.dir, `backup-${round}`)
    const into = target
    backupTimes.push(await timeMs(() => createBackup(vault, into, { sodium })))
  }
  const cp = median(cpTimes)
  const cpSync = median(cpSyncTimes)
  const backup = median(backupTimes)

  for (let i = 0; i < 10; i++) vault.createRecord('note', { summary: { title: `New note ${i}` }, body: { text: 'A new note.' } })
  const incremental = await timeMs(() => createBackup(vault, target, { sodium }))
  vault.lock()

  const objects = listFiles(path.join(target, 'objects'))
  const verifyTimes: number[] = []
  const shaTimes: number[] = []
  for (let round = 0; round < 2; round++) {
    shaTimes.push(await timeMs(() => run('sha256sum', objects, { maxBuffer: 64 * MiB })))
    verifyTimes.push(await timeMs(() => verifyBackup(target, passphrase, { sodium })))
  }
  const verify = median(verifyTimes)
  const sha = median(shaTimes)
  const gib = vaultBytes / 1024 ** 3
  return [
    { name: `vault size for the backup figures (${files} attachments of ${FILE_MiB} MiB)`, value: vaultBytes / MiB, unit: 'MiB' },
    { name: 'first backup (online copy, kernel copies, fsync, manifest)', value: backup / 1000, unit: 's' },
    { name: 'cp -r of the same vault folder (no fsync)', value: cp / 1000, unit: 's' },
    { name: 'first backup speed / cp -r speed', value: cp / backup, unit: '×', goal: '≥ 0.7 (at 2 GiB)' },
    { name: 'cp -r, then sync of each copied file (the durability a backup has)', value: cpSync / 1000, unit: 's' },
    { name: 'first backup speed / (cp -r + sync) speed', value: cpSync / backup, unit: '×' },
    { name: 'first backup throughput', value: gib / (backup / 1000), unit: 'GiB/s' },
    { name: 'incremental backup after 10 new records', value: incremental / 1000, unit: 's', goal: '≤ 2' },
    { name: 'backup verify (Argon2id + every hash)', value: verify / 1000, unit: 's' },
    { name: 'sha256sum of the same files', value: sha / 1000, unit: 's' },
    { name: 'backup verify speed / sha256sum speed', value: sha / verify, unit: '×', goal: '≥ 0.7 (at 2 GiB)' },
  ]
}
