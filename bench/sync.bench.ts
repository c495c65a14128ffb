// Benchmarks (Node): sync (issue #18) — how long replica B takes to apply 1,000 change-sets of one small letter each
// that replica A wrote to a plain shared folder (delivery is the folder engine's business and is not timed), how long a
// run with nothing new over those files takes, and A's side (writing the 1,000 change-sets). Real vault files and real
// libsodium, as in test/core/sync. Size through the environment for a short run: CUSTODIA_BENCH_SYNC_CHANGES (1000).
// Then the large attachment against a plain file over real Syncthing instances (syncAttachment.bench.ts).
import fs from 'node:fs'
import path from 'node:path'
import { runSync } from '../electron/core/sync/syncEngine'
import { requireTeam } from '../electron/core/sync/syncState'
import { flushOutbox, recordLocalChanges } from '../electron/core/sync/syncWriter'
import { addLetter, makeFirstReplica, makeJoinedReplica } from '../test/helpers/syncReplicas'
import { timeMs, type Figure } from './measure'
import { runSyncAttachmentBench } from './syncAttachment.bench'

export async function runSyncBench(opts: { dir: string }): Promise<Figure[]> {
  const changes = Number(process.env['CUSTODIA_BENCH_SYNC_CHANGES'] ?? 1000)
  const folder = path.join(opts.dir, 'shared')
  fs.mkdirSync(folder)
  const a = await makeFirstReplica(opts.dir, 'Anna', folder)
  const b = await makeJoinedReplica(opts.dir, a, 'Bohdan', folder)
  runSync(b)
  runSync(a)
  // One change-set per change: the worst case for B (each is read, checked and applied on its own). A makes them in
  // one vault transaction (one commit instead of 1,000: the bench times B, not A's disk), then writes the files.
  const writeMs = await timeMs(() => {
    const ref = requireTeam(a.vault)
    a.vault.transaction(() => {
      for (let i = 0; i < changes; i++) {
        addLetter(a, `Letter ${i}`, `A short letter, number ${i}.`)
        recordLocalChanges(a, ref)
      }
    })
    flushOutbox(a, ref.team, folder)
  })
  let applied = 0
  const applyMs = await timeMs(() => {
    applied = runSync(b).applied
  })
  if (applied < changes) throw new Error(`only ${applied} of ${changes} change-sets were applied`)
  const idleMs = await timeMs(() => runSync(b))
  a.vault.lock()
  b.vault.lock()
  const n = changes.toLocaleString('en-GB')
  const attachmentDir = path.join(opts.dir, 'attachment')
  fs.mkdirSync(attachmentDir)
  const attachmentFigures = await runSyncAttachmentBench({ dir: attachmentDir })
  return [
    {
      name: `${n} small changes made on A are applied on B within 10 s of delivery (one run)`,
      value: applyMs / 1000,
      unit: 's',
      goal: '≤ 10',
    },
    { name: `per change-set applied on B`, value: applyMs / changes, unit: 'ms' },
    { name: `a run on B with nothing new over those ${n} files`, value: idleMs, unit: 'ms' },
    { name: `A makes ${n} change-sets (one transaction) and writes their files`, value: writeMs / 1000, unit: 's' },
    ...attachmentFigures,
  ]
}
