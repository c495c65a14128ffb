// CLI (Node): library commands — `custodia import <dir> <files…>` extracts, detects and stores each file as an
// encrypted document with its original attached; one line per file, and a non-zero exit if any file failed.
import { CustodiaError } from '../../shared/errors'
import { importDocumentFiles } from '../core/library/libraryService'
import { authorName } from '../core/session/author'
import { passphraseFileOption, withVault } from './cliSession'
import type { Command } from './command'
import { flattenField, writeLine } from './io'

export const libraryCommands: Command[] = [
  {
    words: ['import'],
    usage: 'import <dir> <file…> [--passphrase-file F]',
    summary: 'import .txt/.md/.html/.docx/.pdf files as documents (prints id, kind, date, title per file)',
    options: passphraseFileOption,
    arity: [2, 500],
    run: (ctx) =>
      withVault(ctx, async (vault) => {
        const results = await importDocumentFiles(vault, ctx.args.slice(1), { author: authorName(vault) })
        for (const r of results) {
          if (r.ok) writeLine(ctx.io.stdout, [r.id, r.kind, r.date ?? '-', flattenField(r.title)].join('\t'))
          else writeLine(ctx.io.stderr, `custodia: ${flattenField(r.file)}: ${r.message}`)
        }
        const failed = results.filter((r) => !r.ok)
        if (failed.length > 0) {
          const first = failed[0]!
          throw new CustodiaError(first.ok ? 'INTERNAL' : first.code, `${failed.length} of ${results.length} files could not be imported`)
        }
      }),
  },
]
