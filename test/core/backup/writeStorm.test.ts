// Core test (Node): a backup taken while another process writes records as fast as it can (every 10th with an
// attachment) restores to a vault that opens, passes its integrity check, `audit verify` and the full check, and
// holds every write the writer had acknowledged before the backup began.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createBackup } from '../../../electron/core/backup/createBackup'
import { restoreBackup } from '../../../electron/core/backup/restoreBackup'
import { createVault, MIN_KDF, openVault } from '../../../electron/core/vault/vault'
import {
  createCrashAttachment,
  createCrashContent,
  createCrashRecordId,
  createTempDir,
  TEST_PASSPHRASE,
} from '../../helpers/vaultTestUtils'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const childScript = path.join(repoRoot, 'test/helpers/vaultCrashChild.ts')
const root = createTempDir()
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** Starts the writer; `acked()` is every index it acknowledged so far; `until(n)` waits for n acknowledgements. */
function startWriter(dir: string): { acked(): number[]; until(count: number): Promise<void>; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir, '0'], {
    cwd: repoRoot,
    env: { ...process.env, CUSTODIA_TEST_PASSPHRASE: TEST_PASSPHRASE.toString('utf8') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const waiters: { count: number; resolve(): void; reject(e: Error): void }[] = []
  const acked = (): number[] => [...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (data: string) => {
    out += data
    const count = acked().length
    for (const w of waiters.splice(0)) (count >= w.count ? w.resolve : () => waiters.push(w))()
  })
  child.stderr.on('data', (data: Buffer) => (err += data.toString()))
  void exited.then(() => {
    for (const w of waiters.splice(0)) w.reject(new Error(`writer exited: ${err}`))
  })
  return {
    acked,
    until: (count) =>
      acked().length >= count ? Promise.resolve() : new Promise((resolve, reject) => waiters.push({ count, resolve, reject })),
    stop: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
}

describe('backup during a write storm', () => {
  it('restores every write acknowledged before the backup began, to a vault that verifies', async () => {
    const dir = path.join(root, 'vault')
    const { vault: created } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
    created.lock()
    // Unlocked before the storm starts: an unlock removes blob files no row names yet, which include the ones another
    // process is adding at that moment (a limit of unlocking during another process's writes, not of backups).
    const vault = await openVault(dir, TEST_PASSPHRASE)
    const writer = startWriter(dir)
    try {
      await writer.until(40)
      const before = writer.acked()
      const target = path.join(root, 'backup')
      await createBackup(vault, target)
      const during = writer.acked().length - before.length
      console.info(`backup during storm: ${before.length} acknowledged before, ${during} during`)
      vault.lock()
      // The writer runs through the backup and past it, unharmed by the backup's own writes (its setting and log
      // entry): it fails on a busy database or a refused commitment, and until() then rejects. How many writes fell
      // inside the backup depends on the machine's load (usually 20-30 here), so it is logged, not asserted.
      await writer.until(before.length + during + 20)
      await writer.stop()

      const dest = path.join(root, 'restored')
      await restoreBackup(target, dest, TEST_PASSPHRASE)
      const restored = await openVault(dest, TEST_PASSPHRASE)
      try {
        expect(restored.audit.verify()).toMatchObject({ ok: true })
        expect((await restored.runFullCheck()).ok).toBe(true)
        for (const index of before) {
          const id = createCrashRecordId(index)
          expect(restored.getRecord(id).body, `record ${index}`).toEqual(createCrashContent(index).body)
          if (index % 10 === 0) {
            const [file] = restored.listAttachments(id)
            expect(await restored.readAttachment(file!.id)).toEqual(createCrashAttachment(index))
          }
        }
      } finally {
        restored.lock()
      }
    } finally {
      await writer.stop()
    }
  }, 60_000)
})
