// CLI (Node): vault commands — init, unlock-check, passwd, add, attach, cat, ls, audit verify.
import { basename } from 'node:path'
import { DOSSIER_RECORD_KIND } from '../../shared/dossiers/dossier'
import { CustodiaError } from '../../shared/errors'
import { encodePassphrase } from '../core/session/vaultSession'
import { loadSodium } from '../core/platform/crypto/sodium'
import { createDocument, isDocumentKind } from '../core/library/documentService'
import { deleteDossierAttachment } from '../core/dossiers/dossierAttachments'
import { deleteDocumentAttachment } from '../core/library/libraryService'
import { createVault, openVault, type Vault } from '../core/vault/vault'
import type { Command, CommandContext } from './command'
import { readSecret, readStdin, UsageError, writeLine } from './io'

const passphraseOption = { 'passphrase-file': { type: 'string' } } as const

/** Opens the vault at args[0] with the passphrase from the usual sources, runs `work`, and always locks. */
export async function withVault<T>(ctx: CommandContext, work: (vault: Vault) => Promise<T> | T): Promise<T> {
  const dir = ctx.args[0]!
  const passphrase = await readSecret(ctx.io, {
    file: ctx.options['passphrase-file'] as string | undefined,
    envName: 'CUSTODIA_PASSPHRASE',
    prompt: 'Passphrase: ',
  })
  const secret = encodePassphrase(passphrase)
  let vault: Vault
  try {
    vault = await openVault(dir, secret, { sodium: await loadSodium('native') })
  } finally {
    secret.fill(0)
  }
  try {
    return await work(vault)
  } finally {
    vault.lock()
  }
}

/** One line per record, tab-separated, with tabs and newlines in titles flattened so every record is one line. */
function flat(text: unknown): string {
  return String(text ?? '').replace(/[\t\r\n]+/g, ' ')
}

export const vaultCommands: Command[] = [
  {
    words: ['init'],
    usage: 'init <dir> [--passphrase-file F]',
    summary: 'create a new vault in an empty or new folder; prints the recovery key once',
    options: passphraseOption,
    arity: 1,
    run: async (ctx) => {
      const passphrase = await readSecret(ctx.io, {
        file: ctx.options['passphrase-file'] as string | undefined,
        envName: 'CUSTODIA_PASSPHRASE',
        prompt: 'New passphrase: ',
        confirm: true,
      })
      if ([...passphrase].length < 12) throw new CustodiaError('VALIDATION', 'The passphrase must be at least 12 characters.')
      const secret = encodePassphrase(passphrase)
      try {
        const { vault, recoveryKey } = await createVault(ctx.args[0]!, secret, { sodium: await loadSodium('native') })
        vault.lock()
        writeLine(ctx.io.stdout, `Created vault ${vault.vaultId}`)
        writeLine(ctx.io.stdout, `Recovery key: ${recoveryKey}`)
        writeLine(ctx.io.stderr, 'Write the recovery key on paper and keep it away from this computer. It is not shown again.')
      } finally {
        secret.fill(0)
      }
    },
  },
  {
    words: ['unlock-check'],
    usage: 'unlock-check <dir> [--passphrase-file F]',
    summary: 'check that the passphrase opens the vault (exit 0) without changing anything',
    options: passphraseOption,
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        writeLine(ctx.io.stdout, `OK ${vault.vaultId}`)
      }),
  },
  {
    words: ['passwd'],
    usage: 'passwd <dir> [--passphrase-file F] [--new-passphrase-file F]',
    summary: 'change the passphrase (re-wraps the vault key; records are untouched)',
    options: { ...passphraseOption, 'new-passphrase-file': { type: 'string' } },
    arity: 1,
    run: async (ctx) => {
      const oldPassphrase = await readSecret(ctx.io, {
        file: ctx.options['passphrase-file'] as string | undefined,
        envName: 'CUSTODIA_PASSPHRASE',
        prompt: 'Current passphrase: ',
      })
      const newPassphrase = await readSecret(ctx.io, {
        file: ctx.options['new-passphrase-file'] as string | undefined,
        envName: 'CUSTODIA_NEW_PASSPHRASE',
        prompt: 'New passphrase: ',
        confirm: true,
      })
      if ([...newPassphrase].length < 12) throw new CustodiaError('VALIDATION', 'The new passphrase must be at least 12 characters.')
      const oldSecret = encodePassphrase(oldPassphrase)
      const newSecret = encodePassphrase(newPassphrase)
      try {
        const vault = await openVault(ctx.args[0]!, oldSecret, { sodium: await loadSodium('native') })
        try {
          await vault.changePassphrase(oldSecret, newSecret)
        } finally {
          vault.lock()
        }
        writeLine(ctx.io.stdout, 'Passphrase changed.')
      } finally {
        oldSecret.fill(0)
        newSecret.fill(0)
      }
    },
  },
  {
    words: ['add'],
    usage: 'add <dir> --kind KIND --title TITLE [--date YYYY-MM-DD] < body.txt',
    summary: 'add a document (letter, correspondence, statement, note) with the text from standard input',
    options: { ...passphraseOption, kind: { type: 'string' }, title: { type: 'string' }, date: { type: 'string' } },
    arity: 1,
    run: async (ctx) => {
      const kind = ctx.options['kind']
      const title = ctx.options['title']
      if (typeof kind !== 'string' || !isDocumentKind(kind)) throw new UsageError('--kind must be one of letter, correspondence, statement, note')
      if (typeof title !== 'string' || !title.trim()) throw new UsageError('--title is required')
      const text = await readStdin(ctx.io)
      const date = typeof ctx.options['date'] === 'string' ? ctx.options['date'] : null
      await withVault(ctx, (vault) => {
        const ref = createDocument(vault, { kind, title: title.trim(), date, text })
        writeLine(ctx.io.stdout, ref.id)
      })
    },
  },
  {
    words: ['attach'],
    usage: 'attach <dir> <recordId> <file>',
    summary: 'encrypt a file of any size into the vault as an attachment of a record',
    options: { ...passphraseOption, 'media-type': { type: 'string' } },
    arity: 3,
    run: (ctx) =>
      withVault(ctx, async (vault) => {
        const [, recordId, file] = ctx.args as [string, string, string]
        const mediaType = typeof ctx.options['media-type'] === 'string' ? ctx.options['media-type'] : 'application/octet-stream'
        const info = await vault.addAttachment(recordId, file, { filename: basename(file), mediaType })
        writeLine(ctx.io.stdout, `${info.id}\t${info.size}\t${flat(info.filename)}`)
      }),
  },
  {
    words: ['files'],
    usage: 'files <dir> <recordId>',
    summary: "list a record's attachments, one per line: id, size in bytes, file name",
    options: passphraseOption,
    arity: 2,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        for (const a of vault.listAttachments(ctx.args[1]!)) writeLine(ctx.io.stdout, `${a.id}\t${a.size}\t${flat(a.filename)}`)
      }),
  },
  {
    words: ['detach'],
    usage: 'detach <dir> <recordId> <attachmentId>',
    summary: 'delete one attachment of a document or dossier for good (a dossier stops pointing at it in the same step)',
    options: passphraseOption,
    arity: 3,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const [, recordId, attachmentId] = ctx.args as [string, string, string]
        // The same core calls as the app's Delete buttons, so a dossier's photo and timeline links go with the file.
        const { kind } = vault.getRecord(recordId)
        if (kind === DOSSIER_RECORD_KIND) deleteDossierAttachment(vault, recordId, attachmentId)
        else if (isDocumentKind(kind)) deleteDocumentAttachment(vault, recordId, attachmentId)
        else throw new CustodiaError('VALIDATION', 'Only documents and dossiers have attachments that can be deleted.')
        writeLine(ctx.io.stdout, `deleted ${attachmentId}`)
      }),
  },
  {
    words: ['cat'],
    usage: 'cat <dir> <recordId> [--json]',
    summary: 'print a record: its text, or the whole record as JSON with --json',
    options: { ...passphraseOption, json: { type: 'boolean' }, revision: { type: 'string' } },
    arity: 2,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const revision = typeof ctx.options['revision'] === 'string' ? Number(ctx.options['revision']) : undefined
        if (revision !== undefined && !(Number.isInteger(revision) && revision > 0)) throw new UsageError('--revision must be a positive whole number')
        const record = vault.getRecord(ctx.args[1]!, revision)
        const body = record.body as { text?: unknown }
        if (ctx.options['json'] || typeof body?.text !== 'string') {
          writeLine(ctx.io.stdout, JSON.stringify({ id: record.id, kind: record.kind, revision: record.revision, savedAt: record.savedAt, author: record.author, summary: record.summary, body: record.body }, null, 2))
        } else {
          ctx.io.stdout.write(body.text.endsWith('\n') ? body.text : `${body.text}\n`)
        }
      }),
  },
  {
    words: ['ls'],
    usage: 'ls <dir> [--kind KIND]',
    summary: 'list records, one per line: id, kind, date, title',
    options: { ...passphraseOption, kind: { type: 'string' } },
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const kind = typeof ctx.options['kind'] === 'string' ? ctx.options['kind'] : undefined
        const rows = vault.listRecords(kind ? { kind } : undefined)
        for (const r of rows) {
          const s = r.summary as { title?: unknown; date?: unknown; name?: unknown }
          const date = typeof s.date === 'string' && s.date ? s.date : r.savedAt.slice(0, 10)
          writeLine(ctx.io.stdout, [r.id, r.kind, date, flat(s.title ?? s.name ?? '')].join('\t'))
        }
      }),
  },
  {
    words: ['audit', 'verify'],
    usage: 'audit verify <dir>',
    summary: 'verify the audit chain; reports the first broken entry',
    options: passphraseOption,
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const result = vault.audit.verify()
        if (result.ok) {
          writeLine(ctx.io.stdout, `OK ${result.entries} entries`)
          return
        }
        writeLine(ctx.io.stdout, `BROKEN at entry ${result.firstBrokenSeq}: ${result.reason}`)
        throw new CustodiaError('TAMPERED', `The audit log is broken at entry ${result.firstBrokenSeq}.`)
      }),
  },
]
