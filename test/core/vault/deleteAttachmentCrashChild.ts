// Test helper (child Node process): opens a vault and deletes one attachment, but dies by SIGKILL at the exact moment
// the vault tries to unlink the blob — after the transaction committed — to leave the orphan a real crash would.
// Usage: node --import tsx test/core/vault/deleteAttachmentCrashChild.ts <vaultDir> <attachmentId>;
// passphrase in CUSTODIA_TEST_PASSPHRASE. Only node:fs is intercepted; the vault, SQLite and crypto are the real ones.
import fs from 'node:fs'
import { openVault } from '../../../electron/core/vault/vault'

async function runChild(): Promise<void> {
  const [dir, attachmentId] = process.argv.slice(2)
  const passphrase = process.env.CUSTODIA_TEST_PASSPHRASE
  if (!dir || !attachmentId || !passphrase) throw new Error('usage: deleteAttachmentCrashChild <dir> <attachmentId>')
  const vault = await openVault(dir, Buffer.from(passphrase, 'utf8'))
  const unlink = fs.unlinkSync
  fs.unlinkSync = (target: fs.PathLike) => {
    if (String(target).endsWith(attachmentId)) process.kill(process.pid, 'SIGKILL')
    unlink(target)
  }
  vault.deleteAttachment(attachmentId)
  // Reaching this line means the unlink never ran: the parent sees a normal exit and fails.
  process.exit(3)
}

runChild().catch((err: unknown) => {
  process.stderr.write(`child failed: ${(err as Error).message}\n`)
  process.exit(1)
})
