// CLI (Node): vault commands — init, unlock-check, passwd, add, attach, cat, ls, shred, audit verify.
import { basename } from 'node:path'
import { DOSSIER_RECORD_KIND } from '../../shared/dossiers/dossier'
import { CustodiaError } from '../../shared/errors'
import { sentence } from '../../shared/i18n/sentence'
import { createDocument, isDocumentKind } from '../core/library/documentService'
import { deleteDossierAttachment } from '../core/dossiers/dossierAttachments'
import { getDossier } from '../core/dossiers/dossierService'
import { deleteDocumentAttachment } from '../core/library/libraryService'
import { shredItem } from '../core/library/shredItem'
import { authorName } from '../core/session/author'
import {
  createCliSession,
  newPassphraseFileOption,
  readNewPassphrase,
  memberOption,
  passphraseFileOption,
  readVaultPassphrase,
  withSession,
  withVault,
} from './cliSession'
import type { Command } from './command'
import { requireCapability } from './commandCapabilities'
import { flattenField, readSecret, readStdin, UsageError, writeJson, writeLine, writeText } from './io'

const passphraseOption = passphraseFileOption

export const vaultCommands: Command[] = [
  {
    words: ['init'],
    usage: 'init <dir> [--name NAME] [--passphrase-file F]',
    summary: 'create a new vault in an empty or new folder; prints the recovery key once',
    options: {
      'passphrase-file': {
        type: 'string',
        value: 'FILE',
        help: 'read the new passphrase from the first line of FILE (otherwise CUSTODIA_PASSPHRASE, or a prompt asked twice)',
      },
      name: {
        type: 'string',
        value: 'NAME',
        help: "your name as the vault's first member, an admin (default: this computer account's name)",
      },
    },
    arity: 1,
    run: async (ctx) => {
      const passphrase = await readSecret(ctx.io, {
        file: ctx.options['passphrase-file'] as string | undefined,
        envName: 'CUSTODIA_PASSPHRASE',
        prompt: 'New passphrase: ',
        confirm: true,
      })
      // The session applies the passphrase policy before anything is created, as for the app's Create button.
      const session = await createCliSession()
      const name = typeof ctx.options['name'] === 'string' && ctx.options['name'].trim() ? ctx.options['name'] : undefined
      const { recoveryKey } = await session.create(ctx.args[0]!, passphrase, { adminName: name })
      const { vaultId } = session.requireVault()
      session.lock('user')
      writeLine(ctx.io.stdout, `Created vault ${vaultId}`)
      writeLine(ctx.io.stdout, `Recovery key: ${recoveryKey}`)
      writeLine(ctx.io.stderr, 'Write the recovery key on paper and keep it away from this computer. It is not shown again.')
    },
  },
  {
    words: ['unlock-check'],
    usage: 'unlock-check <dir> [--passphrase-file F]',
    // Not "without changing anything": the check is a real unlock, and the vault records every unlock (issue #19).
    summary:
      'check that the passphrase opens the vault (exit 0). A wrong one changes no file. The right one unlocks it as the app does: it adds an unlock and a lock entry to the audit log, clears what an interrupted write left, and upgrades an older vault format',
    options: passphraseOption,
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        writeLine(ctx.io.stdout, `OK ${vault.vaultId}`)
      }),
  },
  {
    words: ['passwd'],
    usage: 'passwd <dir> [--member NAME] [--passphrase-file F] [--new-passphrase-file F]',
    summary: 'change the passphrase (re-wraps the vault key; records are untouched)',
    options: {
      'passphrase-file': {
        type: 'string',
        value: 'FILE',
        help: 'read the current passphrase from the first line of FILE (otherwise CUSTODIA_PASSPHRASE, or a hidden prompt)',
      },
      ...newPassphraseFileOption,
      ...memberOption,
    },
    arity: 1,
    run: async (ctx) => {
      const oldPassphrase = await readVaultPassphrase(ctx, 'Current passphrase: ')
      const newPassphrase = await readNewPassphrase(ctx, 'New passphrase: ')
      await withSession(ctx, (session) => session.changePassphrase(oldPassphrase, newPassphrase), { passphrase: oldPassphrase })
      writeLine(ctx.io.stdout, 'Passphrase changed.')
    },
  },
  {
    words: ['add'],
    usage: 'add <dir> --kind KIND --title TITLE [--date YYYY-MM-DD] < body.txt',
    summary: 'add a document (letter, correspondence, statement, note) with the text from standard input',
    options: {
      ...passphraseOption,
      kind: { type: 'string', value: 'KIND', help: 'letter, correspondence, statement or note' },
      title: { type: 'string', value: 'TITLE', help: 'the document title (required)' },
      date: { type: 'string', value: 'YYYY-MM-DD', help: 'the date of the document' },
    },
    arity: 1,
    run: async (ctx) => {
      const kind = ctx.options['kind']
      const title = ctx.options['title']
      if (typeof kind !== 'string' || !isDocumentKind(kind))
        throw new UsageError('--kind must be one of letter, correspondence, statement, note')
      if (typeof title !== 'string' || !title.trim()) throw new UsageError('--title is required')
      const text = await readStdin(ctx.io)
      const date = typeof ctx.options['date'] === 'string' ? ctx.options['date'] : null
      await withVault(ctx, (vault) => {
        // Recorded as the revision author, as when the app saves (the account name, kept inside the vault).
        const ref = createDocument(vault, { kind, title: title.trim(), date, text }, authorName(vault))
        writeLine(ctx.io.stdout, ref.id)
      })
    },
  },
  {
    words: ['attach'],
    usage: 'attach <dir> <recordId> <file>',
    summary: 'encrypt a file of any size into the vault as an attachment of a record',
    options: {
      ...passphraseOption,
      'media-type': {
        type: 'string',
        value: 'TYPE',
        help: 'the media type to record, e.g. application/pdf (default application/octet-stream)',
      },
    },
    arity: 3,
    run: (ctx) =>
      withVault(ctx, async (vault) => {
        const [, recordId, file] = ctx.args as [string, string, string]
        const mediaType = typeof ctx.options['media-type'] === 'string' ? ctx.options['media-type'] : 'application/octet-stream'
        const info = await vault.addAttachment(recordId, file, { filename: basename(file), mediaType })
        writeLine(ctx.io.stdout, `${info.id}\t${info.size}\t${flattenField(info.filename)}`)
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
        for (const a of vault.listAttachments(ctx.args[1]!)) writeLine(ctx.io.stdout, `${a.id}\t${a.size}\t${flattenField(a.filename)}`)
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
    words: ['shred'],
    usage: 'shred <dir> <id>',
    summary:
      'destroy a document, dossier, annotation or attachment for good (with its versions, attachments and annotations); cannot be undone',
    options: passphraseOption,
    arity: 2,
    run: (ctx) =>
      // With the search index open, so it forgets the item at once and its file on disk is written again without it.
      withSession(
        ctx,
        async (session) => {
          const result = await shredItem(session, ctx.args[1]!)
          const parts = [`destroyed ${result.kind} ${ctx.args[1]}`]
          if (result.records > 1) parts.push(sentence('cli.shred.annotationThreads', { count: result.records - 1 }))
          if (result.kind !== 'attachment' && result.attachments > 0)
            parts.push(sentence('cli.shred.attachments', { count: result.attachments }))
          writeLine(ctx.io.stdout, parts.join(', '))
          if (!result.logCleared)
            writeLine(
              ctx.io.stderr,
              'Another program has the vault open, so old copies may remain in its log file until that program closes it.',
            )
        },
        { search: true },
      ),
  },
  {
    words: ['cat'],
    usage: 'cat <dir> <recordId> [--json]',
    summary: 'print a record: its text, or the whole record as JSON with --json',
    options: {
      ...passphraseOption,
      json: { type: 'boolean', help: 'print the whole record (summary, body, author) as JSON' },
      revision: { type: 'string', value: 'N', help: 'print revision N instead of the latest' },
    },
    arity: 2,
    run: (ctx) =>
      withSession(ctx, (session) => {
        const vault = session.requireVault()
        const revision = typeof ctx.options['revision'] === 'string' ? Number(ctx.options['revision']) : undefined
        if (revision !== undefined && !(Number.isInteger(revision) && revision > 0))
          throw new UsageError('--revision must be a positive whole number')
        const record = vault.getRecord(ctx.args[1]!, revision)
        // A dossier printed whole shows its sensitive fields (family contacts): only for roles that may see them.
        if (record.kind === DOSSIER_RECORD_KIND) requireCapability(session, 'dossiers.readSensitive')
        // A dossier's sensitive sections are sealed apart (CRYPTO.md §16): printed joined back, as the app shows it.
        const body = (record.kind === DOSSIER_RECORD_KIND ? getDossier(vault, record.id, record.revision).dossier : record.body) as {
          text?: unknown
        }
        if (ctx.options['json'] || typeof body?.text !== 'string') {
          writeJson(ctx.io.stdout, {
            id: record.id,
            kind: record.kind,
            revision: record.revision,
            savedAt: record.savedAt,
            author: record.author,
            summary: record.summary,
            body,
          })
        } else {
          writeText(ctx.io.stdout, body.text.endsWith('\n') ? body.text : `${body.text}\n`)
        }
      }),
  },
  {
    words: ['ls'],
    usage: 'ls <dir> [--kind KIND]',
    summary: 'list records, one per line: id, kind, date, title',
    options: {
      ...passphraseOption,
      kind: { type: 'string', value: 'KIND', help: 'only records of this kind (e.g. letter, dossier, annotation)' },
    },
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const kind = typeof ctx.options['kind'] === 'string' ? ctx.options['kind'] : undefined
        const rows = vault.listRecords(kind ? { kind } : undefined)
        for (const r of rows) {
          const s = r.summary as { title?: unknown; date?: unknown; name?: unknown }
          const date = typeof s.date === 'string' && s.date ? s.date : r.savedAt.slice(0, 10)
          writeLine(ctx.io.stdout, [r.id, r.kind, date, flattenField(s.title ?? s.name ?? '')].join('\t'))
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
