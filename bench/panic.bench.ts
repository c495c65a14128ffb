// Benchmarks (Node): the panic lock at vault scale — from the call the global shortcut makes to a locked session,
// with a 100k-record search index loaded and changed since its snapshot (the worst case: an ordinary lock would write
// the snapshot first), against an ordinary lock in the same state. Electron's own part (the key press reaching the
// shortcut's callback, closing windows) is not here: it cannot run on this machine, and it is the operating system's.
import { join } from 'node:path'
import { createAppServices, type AppServices } from '../electron/core/app/services'
import { createDocument, updateDocument } from '../electron/core/library/documentService'
import { loadSodium } from '../electron/core/platform/crypto/sodium'
import { MIN_KDF } from '../electron/core/vault/vault'
import { generateDocument } from './search.bench'
import { median, timeMs, type Figure } from './measure'

const CREATE_BATCH = 1000
const PASSPHRASE = 'bench passphrase for the panic lock'

/** Unlocks, brings the index up to date, then changes one record and searches, so the index has unsaved changes. */
async function prepareDirtyIndex(services: AppServices, vaultDir: string, id: string, round: number): Promise<void> {
  if (!services.session.isUnlocked()) await services.session.unlock(vaultDir, PASSPHRASE)
  const vault = services.session.requireVault()
  updateDocument(vault, id, { ...generateDocument(0), title: `changed in round ${round}` })
  const search = await services.session.requireSearch()
  search.search(`round ${round}`)
}

export async function runPanicBench(opts: { dir: string; records?: number }): Promise<Figure[]> {
  const records = opts.records ?? 100_000
  const sodium = await loadSodium('native')
  let clipboard = ''
  const services = createAppServices({
    userDataDir: join(opts.dir, 'user-data'),
    sodium,
    // The derivation is not what is measured here; the lock is.
    kdf: MIN_KDF,
    app: { name: 'Custodia', version: 'bench', platform: process.platform },
    platform: {
      chooseFolder: async () => null,
      chooseFiles: async () => [],
      chooseSaveLocation: async () => null,
      panic: {
        registerShortcut: () => true,
        readClipboardText: async () => clipboard,
        clearClipboard: () => {
          clipboard = ''
        },
        closeOtherWindows: () => undefined,
      },
    },
  })
  const vaultDir = join(opts.dir, 'vault')
  await services.session.create(vaultDir, PASSPHRASE)
  const vault = services.session.requireVault()
  let firstId = ''
  for (let first = 0; first < records; first += CREATE_BATCH) {
    vault.transaction(() => {
      for (let i = first; i < Math.min(records, first + CREATE_BATCH); i++) {
        const { id } = createDocument(vault, generateDocument(i))
        if (i === 0) firstId = id
      }
    })
  }
  // The first search indexes every record; an ordinary lock then writes the snapshot later unlocks start from.
  const build = await timeMs(async () => (await services.session.requireSearch()).search('Bialiatski'))
  services.session.lock('user')

  const panicTimes: number[] = []
  const lockTimes: number[] = []
  for (let round = 0; round < 5; round++) {
    await prepareDirtyIndex(services, vaultDir, firstId, round)
    clipboard = `copied in round ${round}`
    await services.panicLock!.noteCopied()
    panicTimes.push(await timeMs(() => services.panicLock!.run()))
    if (clipboard !== '') throw new Error('the panic lock left the clipboard as it was')
    await prepareDirtyIndex(services, vaultDir, firstId, round + 100)
    lockTimes.push(await timeMs(() => services.session.lock('user')))
  }
  return [
    { name: `index build, ${records} records (set-up, for reference)`, value: build / 1000, unit: 's' },
    {
      name: `panic lock, ${records}-record index loaded with unsaved changes (median of 5)`,
      value: median(panicTimes),
      unit: 'ms',
      goal: '≤ 200',
    },
    { name: 'panic lock, slowest of 5', value: Math.max(...panicTimes), unit: 'ms' },
    { name: 'ordinary lock in the same state (writes the index snapshot)', value: median(lockTimes), unit: 'ms' },
  ]
}
