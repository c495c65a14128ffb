// CLI (Node): `custodia check` — the whole vault verified to the last byte (vault/fullCheck.ts), and the one way to
// keep working with a vault found changed outside Custodia: `--accept`, which the activity log records.
import { CustodiaError } from '../../shared/errors'
import type { Command } from './command'
import { passphraseFileOption, withSession } from './cliSession'
import { writeLine } from './io'

// Only the commitment's findings can be accepted; damage to the database, the log or a ciphertext stays reported.
const COMMITMENT_AREAS = new Set(['meta', 'audit', 'keyslots', 'settings', 'records', 'revisions', 'attachments', 'tombstones'])

export const checkCommands: Command[] = [
  {
    words: ['check'],
    usage: 'check <dir> [--accept] [--allow-stronger-kdf] [--passphrase-file F]',
    summary:
      'verify the whole vault: the database, its integrity record, the activity log, every saved version and every attachment (changes nothing unless --accept)',
    options: {
      ...passphraseFileOption,
      accept: {
        type: 'boolean',
        help: 'after changes made outside Custodia were listed: keep working with what is there (recorded in the activity log)',
      },
      'allow-stronger-kdf': {
        type: 'boolean',
        help: 'unlock even though the passphrase slot asks for more key-derivation work than when the vault was created',
      },
    },
    arity: 1,
    run: (ctx) =>
      withSession(
        ctx,
        async (session) => {
          const vault = session.requireVault()
          const result = await vault.runFullCheck()
          const { records, revisions, attachments, auditEntries } = result.counts
          writeLine(
            ctx.io.stdout,
            `Checked ${records} records (${revisions} saved versions), ${attachments} attachments and ${auditEntries} activity-log entries.`,
          )
          if (result.ok) {
            writeLine(ctx.io.stdout, 'OK: everything verifies, and nothing was changed outside Custodia.')
            return
          }
          for (const problem of result.problems) {
            const ids = problem.ids.length === 0 ? '' : ` (${problem.ids.slice(0, 10).join(', ')}${problem.ids.length > 10 ? ', …' : ''})`
            writeLine(ctx.io.stdout, `- ${problem.message}${ids}`)
          }
          const acceptable = result.problems.filter((problem) => COMMITMENT_AREAS.has(problem.area))
          const remaining = result.problems.filter((problem) => !COMMITMENT_AREAS.has(problem.area))
          if (ctx.options['accept'] === true && acceptable.length > 0) {
            vault.acceptIntegrityReport()
            writeLine(ctx.io.stdout, 'Accepted: the vault now works with what is there; the activity log records this.')
            if (remaining.length === 0) return
          }
          if (remaining.length > 0) throw new CustodiaError('CORRUPT', 'Parts of the vault are damaged (listed above).')
          throw new CustodiaError(
            'TAMPERED',
            'The vault was changed outside Custodia (listed above). To keep working with what is there: custodia check <folder> --accept',
          )
        },
        { onTampered: 'review', allowStrongerKdf: ctx.options['allow-stronger-kdf'] === true },
      ),
  },
]
