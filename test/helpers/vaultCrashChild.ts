// Test helper (child Node process): opens a vault and saves records in a loop (every 10th with an attachment),
// printing "ack <index>" on stdout only after each save returned. The parent SIGKILLs it at a random moment.
// Usage: node --import tsx test/helpers/vaultCrashChild.ts <vaultDir> <startIndex>; passphrase in CUSTODIA_TEST_PASSPHRASE.
// With CUSTODIA_CRASH_WAIT_FOR_GO=1 it loads its modules, then waits for a line on stdin before opening the vault,
// so the parent can start the next child while it is still checking the previous one.

import { Readable } from 'node:stream'
import { openVault } from '../../electron/core/vault/vault'
import { createCrashAttachment, createCrashContent, createCrashRecordId } from './vaultTestUtils'

function waitForLine(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once('data', () => {
      process.stdin.pause()
      resolve()
    })
  })
}

async function runChild(): Promise<void> {
  const [dir, startArg] = process.argv.slice(2)
  const passphrase = process.env.CUSTODIA_TEST_PASSPHRASE
  if (!dir || !startArg || !passphrase) throw new Error('usage: vaultCrashChild <dir> <startIndex>')
  if (process.env.CUSTODIA_CRASH_WAIT_FOR_GO === '1') await waitForLine()
  const vault = await openVault(dir, Buffer.from(passphrase, 'utf8'))
  process.stdout.write('ready\n')
  for (let index = Number(startArg); ; index++) {
    const id = createCrashRecordId(index)
    vault.createRecord('letter', createCrashContent(index), { id })
    if (index % 10 === 0) {
      await vault.addAttachmentFromStream(id, Readable.from([createCrashAttachment(index)]), {
        filename: `scan-${index}.bin`,
        mediaType: 'application/octet-stream',
      })
    }
    // Written synchronously so an "ack" is never buffered in the process when the kill arrives after it.
    process.stdout.write(`ack ${index}\n`)
  }
}

runChild().catch((err: unknown) => {
  process.stderr.write(`child failed: ${(err as Error).message}\n`)
  process.exit(1)
})
