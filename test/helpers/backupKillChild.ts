// Test helper (child Node process): opens a vault and backs it up into one folder again and again, adding one
// attachment before each run, printing "done <n>" after each backup returned. The parent SIGKILLs it at random moments.
// Usage: node --import tsx test/helpers/backupKillChild.ts <vaultDir> <target> <round>; passphrase in CUSTODIA_TEST_PASSPHRASE.
import { Readable } from 'node:stream'
import { createBackup } from '../../electron/core/backup/createBackup'
import { openVault } from '../../electron/core/vault/vault'
import { createCrashAttachment } from './vaultTestUtils'

async function runChild(): Promise<void> {
  const [dir, target, roundArg] = process.argv.slice(2)
  const passphrase = process.env['CUSTODIA_TEST_PASSPHRASE']
  if (!dir || !target || !roundArg || !passphrase) throw new Error('usage: backupKillChild <vaultDir> <target> <round>')
  const vault = await openVault(dir, Buffer.from(passphrase, 'utf8'))
  process.stdout.write('ready\n')
  for (let n = 0; ; n++) {
    const { id } = vault.createRecord('letter', { summary: { title: `Round ${roundArg} letter ${n}` }, body: { n } })
    const bytes = Buffer.concat(Array.from({ length: 40 }, (_, i) => createCrashAttachment(n * 40 + i)))
    await vault.addAttachmentFromStream(id, Readable.from([bytes]), { filename: `scan-${n}.bin`, mediaType: 'application/octet-stream' })
    await createBackup(vault, target)
    process.stdout.write(`done ${n}\n`)
  }
}

runChild().catch((err: unknown) => {
  process.stderr.write(`child failed: ${(err as Error).message}\n`)
  process.exit(1)
})
