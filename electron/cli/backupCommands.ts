// CLI (Node): `custodia backup`, `backup verify` and `restore` — thin over electron/core/backup. A backup needs the
// vault unlocked (its manifest is MACed with the vault's key); verify and restore need only the backup folder and
// the passphrase the vault had when the backup was made.
import { createBackup } from '../core/backup/createBackup'
import { restoreBackup } from '../core/backup/restoreBackup'
import { verifyBackup } from '../core/backup/verifyBackup'
import { loadSodium } from '../core/platform/crypto/sodium'
import { passphraseFileOption, readVaultPassphrase, withVault } from './cliSession'
import type { Command, CommandContext } from './command'
import { writeLine } from './io'

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

/** Runs `work` with the passphrase as UTF-8 bytes, zeroed afterwards. */
async function withPassphraseBytes<T>(ctx: CommandContext, work: (passphrase: Buffer) => Promise<T>): Promise<T> {
  const passphrase = Buffer.from(await readVaultPassphrase(ctx), 'utf8')
  try {
    return await work(passphrase)
  } finally {
    passphrase.fill(0)
  }
}

const allowStrongerKdfOption = {
  'allow-stronger-kdf': {
    type: 'boolean' as const,
    help: 'check the passphrase even though the backup’s key slot asks for more key-derivation work than when the vault was created',
  },
}

export const backupCommands: Command[] = [
  {
    words: ['backup'],
    usage: 'backup <dir> <target> [--passphrase-file F]',
    summary:
      'back up the vault into the folder <target> (new, empty, or holding this vault’s earlier backups): still encrypted, with a signed list of its files; later backups add only what is new. Works while the app is open',
    options: passphraseFileOption,
    arity: 2,
    run: (ctx) =>
      withVault(ctx, async (vault) => {
        const summary = await createBackup(vault, ctx.args[1]!, { sodium: await loadSodium('native') })
        writeLine(
          ctx.io.stdout,
          `Backed up vault ${vault.vaultId}: ${summary.attachments} attachments (${summary.copied} new), ${mebibytes(summary.copiedBytes)} written.`,
        )
        writeLine(ctx.io.stdout, `Backup ${summary.manifest} is complete. Check it any time with: custodia backup verify <target>`)
      }),
  },
  {
    words: ['backup', 'verify'],
    usage: 'backup verify <target> [--passphrase-file F]',
    summary:
      'check the newest backup in <target> without restoring it: its signed list of files, and every file to the last byte (asks for the vault’s passphrase at the time of the backup)',
    options: { ...passphraseFileOption, ...allowStrongerKdfOption },
    arity: 1,
    run: (ctx) =>
      withPassphraseBytes(ctx, async (passphrase) => {
        const verified = await verifyBackup(ctx.args[0]!, passphrase, {
          sodium: await loadSodium('native'),
          allowStrongerKdf: ctx.options['allow-stronger-kdf'] === true,
        })
        const { manifest } = verified
        writeLine(
          ctx.io.stdout,
          `OK: the backup of vault ${manifest.vaultId} made ${manifest.createdAt} verifies: its list of files is genuine, and the database copy and all ${manifest.attachments.length} attachments (${mebibytes(verified.bytes)}) are intact.`,
        )
      }),
  },
  {
    words: ['restore'],
    usage: 'restore <target> <newdir> [--passphrase-file F]',
    summary:
      'restore the newest backup in <target> into <newdir>, which must be new or empty: everything is verified first, and nothing is written if anything fails',
    options: { ...passphraseFileOption, ...allowStrongerKdfOption },
    arity: 2,
    run: (ctx) =>
      withPassphraseBytes(ctx, async (passphrase) => {
        const restored = await restoreBackup(ctx.args[0]!, ctx.args[1]!, passphrase, {
          sodium: await loadSodium('native'),
          allowStrongerKdf: ctx.options['allow-stronger-kdf'] === true,
        })
        writeLine(
          ctx.io.stdout,
          `Restored vault ${restored.vaultId} as it was ${restored.createdAt} (${restored.attachments} attachments). It opens with the passphrase the vault had then.`,
        )
      }),
  },
]
