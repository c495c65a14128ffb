// Benchmarks (Node): the whole-vault state commitment at 100k records — what it adds to an unlock (against raw
// Argon2id, the unlock's own floor), what a full check costs on the main thread, SQLite's quick_check for
// comparison, and what following each write adds to a save (p95, commitment on against off in the same vault).
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { loadSodium } from '../electron/core/platform/crypto/sodium'
import { createVault, DEFAULT_KDF, openVault, type Vault } from '../electron/core/vault/vault'
import { median, percentile, timeMs, type Figure } from './measure'

const BATCH = 1000

function content(i: number): { summary: Record<string, unknown>; body: unknown } {
  return {
    summary: { title: `Letter to the ministry no. ${i}`, tags: ['advocacy', i % 7 === 0 ? 'urgent' : 'routine'] },
    body: { text: `Dear Minister, we write about case ${i}. `.repeat(8) },
  }
}

async function timeSaves(vault: Vault, ids: string[], count: number): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    const id = ids[(i * 7919) % ids.length]!
    times.push(await timeMs(() => vault.updateRecord(id, content(i))))
  }
  return times
}

export async function runIntegrityBench(opts: { dir: string; records?: number }): Promise<Figure[]> {
  const records = opts.records ?? 100_000
  const sodium = await loadSodium('native')
  const passphrase = new TextEncoder().encode('bench passphrase for custodia')
  const vaultDir = join(opts.dir, 'vault')
  const { vault: created } = await createVault(vaultDir, passphrase, { sodium, kdf: DEFAULT_KDF })
  const ids: string[] = []
  for (let first = 0; first < records; first += BATCH) {
    created.transaction(() => {
      for (let i = first; i < Math.min(records, first + BATCH); i++) ids.push(created.createRecord('note', content(i)).id)
    })
  }
  // A third of the records get a second revision, as letters do.
  for (let first = 0; first < records; first += 3 * BATCH) {
    created.transaction(() => {
      for (let i = first; i < Math.min(records, first + 3 * BATCH); i += 3) created.updateRecord(ids[i]!, content(i + 1))
    })
  }
  created.lock()

  // Interleaved, so a busy moment of the machine falls on both: with the check, without it, and raw Argon2id.
  const unlockTimes: number[] = []
  const uncheckedTimes: number[] = []
  const rawTimes: number[] = []
  for (let i = 0; i < 5; i++) {
    unlockTimes.push(await timeMs(async () => (await openVault(vaultDir, passphrase, { sodium })).lock()))
    uncheckedTimes.push(await timeMs(async () => (await openVault(vaultDir, passphrase, { sodium, __benchSkipStateCheck: true })).lock()))
    rawTimes.push(await timeMs(() => sodium.pwhash(32, passphrase, randomBytes(16), DEFAULT_KDF.opslimit, DEFAULT_KDF.memlimit)))
  }
  const unlock = median(unlockTimes)
  const unchecked = median(uncheckedTimes)
  const raw = median(rawTimes)

  const vault = await openVault(vaultDir, passphrase, { sodium })
  const fullCheck = median([await timeMs(() => vault.checkIntegrity()), await timeMs(() => vault.checkIntegrity())])
  const db = new Database(join(vaultDir, 'vault.sqlite'), { readonly: true })
  const quickCheck = await timeMs(() => db.pragma('quick_check'))
  db.close()

  // Saves with the commitment and without it (bench hook), in the same vault, alternating blocks of 50 so the WAL's
  // growth and checkpoints fall on both alike.
  await timeSaves(vault, ids, 50)
  const withCommitment: number[] = []
  const without: number[] = []
  for (let block = 0; block < 8; block++) {
    vault.__followWritesForBench(true)
    withCommitment.push(...(await timeSaves(vault, ids, 50)))
    vault.__followWritesForBench(false)
    without.push(...(await timeSaves(vault, ids, 50)))
  }
  // The same, one save on and one off in turn: on a loaded machine a p95 is mostly other processes, while the median
  // of the differences between neighbouring saves shows what the commitment itself costs.
  const pairDeltas: number[] = []
  for (let i = 0; i < 400; i++) {
    const id = ids[(i * 104_729) % ids.length]!
    vault.__followWritesForBench(true)
    const on = await timeMs(() => vault.updateRecord(id, content(2 * i)))
    vault.__followWritesForBench(false)
    const off = await timeMs(() => vault.updateRecord(id, content(2 * i + 1)))
    pairDeltas.push(on - off)
  }
  vault.__followWritesForBench(true)
  vault.lock()

  const p95With = percentile(withCommitment, 95)
  const p95Without = percentile(without, 95)
  return [
    { name: `unlock with ${records} records (Argon2id 256 MiB, 3 passes), state checked`, value: unlock, unit: 'ms' },
    { name: `unlock with ${records} records, state check skipped (bench switch)`, value: unchecked, unit: 'ms' },
    { name: 'unlock: added by the state check', value: (unlock / unchecked - 1) * 100, unit: '%', goal: '≤ 10' },
    { name: 'raw Argon2id, same parameters', value: raw, unit: 'ms' },
    { name: `full state check on the main thread, ${records} records (vault.checkIntegrity)`, value: fullCheck, unit: 'ms' },
    // What the unlock pays when no second core is free: the scan cannot hide behind the derivation then.
    { name: 'full state check, as a share of one raw Argon2id', value: (fullCheck / raw) * 100, unit: '%', goal: '≤ 15' },
    { name: `SQLite PRAGMA quick_check, ${records} records (for comparison)`, value: quickCheck, unit: 'ms' },
    { name: 'save p95 with the commitment', value: p95With, unit: 'ms' },
    { name: 'save p95 without it (same vault)', value: p95Without, unit: 'ms' },
    { name: 'save p95: added by the commitment', value: p95With - p95Without, unit: 'ms', goal: '≤ 0.5' },
    { name: 'save: added by the commitment, median of 400 neighbouring on/off pairs', value: median(pairDeltas), unit: 'ms' },
  ]
}
