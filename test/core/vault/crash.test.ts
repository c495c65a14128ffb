// Core test (Node): every acknowledged save survives SIGKILL. A child process writes records (every 10th with an
// attachment) and prints an ack after each call returns; we kill it at random moments, then reopen and check.

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { createVault, MIN_KDF, openVaultWithRecoveryKey } from '../../../electron/core/vault/vault'
import {
  createCrashAttachment,
  createCrashContent,
  createCrashRecordId,
  createTempDir,
  TEST_PASSPHRASE,
} from '../../helpers/vaultTestUtils'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const childScript = path.join(repoRoot, 'test/helpers/vaultCrashChild.ts')
const ROUNDS = 50
const RANGE = 1_000_000

interface CrashChild {
  /** Lets the child open the vault, kills it 20–300 ms after it is ready, resolves with the acknowledged indexes. */
  runAndKill(): Promise<number[]>
}

// Spawns a child that loads its modules and then waits, so its start-up overlaps the parent's checks.
function spawnCrashChild(dir: string, start: number): CrashChild {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, dir, String(start)], {
    cwd: repoRoot,
    env: { ...process.env, CUSTODIA_TEST_PASSPHRASE: TEST_PASSPHRASE.toString('utf8'), CUSTODIA_CRASH_WAIT_FOR_GO: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8')
  child.stderr.on('data', (data: Buffer) => {
    err += data.toString()
  })
  const exited = new Promise<NodeJS.Signals | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (_code, signal) => resolve(signal))
  })
  return {
    async runAndKill() {
      let timer: NodeJS.Timeout | undefined
      const delay = 20 + Math.floor(Math.random() * 281)
      child.stdout.on('data', (data: string) => {
        out += data
        if (!timer && out.includes('ready\n')) timer = setTimeout(() => child.kill('SIGKILL'), delay)
      })
      child.stdin.write('go\n')
      const signal = await exited
      if (timer) clearTimeout(timer)
      if (signal !== 'SIGKILL') throw new Error(`child exited on its own: ${err}`)
      return [...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]))
    },
  }
}

describe('crash safety', () => {
  const root = createTempDir()
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

  it(`keeps every acknowledged save across ${ROUNDS} SIGKILLs`, async () => {
    const dir = path.join(root, 'vault')
    const { vault, recoveryKey } = await createVault(dir, TEST_PASSPHRASE, { kdf: MIN_KDF })
    vault.lock()
    const allAcked: number[] = []
    let next = spawnCrashChild(dir, 0)
    for (let round = 0; round < ROUNDS; round++) {
      const acked = await next.runAndKill()
      if (round + 1 < ROUNDS) next = spawnCrashChild(dir, (round + 1) * RANGE)
      allAcked.push(...acked)
      // The parent reopens with the recovery key (no Argon2id) to keep 50 rounds well under a minute.
      const reopened = await openVaultWithRecoveryKey(dir, recoveryKey)
      try {
        expect(reopened.audit.verify()).toMatchObject({ ok: true })
        for (const index of acked) {
          const id = createCrashRecordId(index)
          const record = reopened.getRecord(id)
          const expected = createCrashContent(index)
          expect(record.summary).toEqual(expected.summary)
          expect(record.body).toEqual(expected.body)
          if (index % 10 === 0) {
            const [attachment] = reopened.listAttachments(id)
            expect(attachment).toBeDefined()
            expect((await reopened.readAttachment(attachment!.id)).equals(createCrashAttachment(index))).toBe(true)
          }
        }
        // No temp file or orphan blob survives a reopen.
        expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([])
      } finally {
        reopened.lock()
      }
    }
    // The test is only meaningful if the children really wrote between kills.
    expect(allAcked.length).toBeGreaterThan(ROUNDS)
    const final = await openVaultWithRecoveryKey(dir, recoveryKey)
    try {
      for (const index of allAcked) expect(final.hasRecord(createCrashRecordId(index))).toBe(true)
      const ackedAttachments = allAcked.filter((i) => i % 10 === 0).flatMap((i) => final.listAttachments(createCrashRecordId(i)))
      expect(ackedAttachments.length).toBe(allAcked.filter((i) => i % 10 === 0).length)
      // After reopening, blobs and attachment rows match one to one: no orphan blob, no row without its blob.
      const rows = final
        .listRecords()
        .flatMap((r) => final.listAttachments(r.id))
        .map((a) => a.id)
        .sort()
      const blobs = fs
        .readdirSync(path.join(dir, 'blobs'))
        .flatMap((shard) => fs.readdirSync(path.join(dir, 'blobs', shard)))
        .sort()
      expect(blobs).toEqual(rows)
      expect(final.audit.verify()).toMatchObject({ ok: true })
    } finally {
      final.lock()
    }
  }, 120_000)
})
