// CLI (Node): `custodia audit ls` — the activity log in words (when, who, what, record), filtered as in the app's
// Security → Activity — and `custodia audit verify-report`, which checks a signed activity report without any vault.
// `--member` already says who unlocks, so the member filter is `--by NAME`.
import { readFileSync } from 'node:fs'
import { CustodiaError } from '../../shared/errors'
import { describeVerification } from '../../shared/activity/activityLabels'
import { listActivity, type ActivityFilter } from '../core/activity/activityLog'
import { verifyActivityReport } from '../core/activity/activityReport'
import { passphraseFileOption, withSession } from './cliSession'
import type { Command, OptionValues } from './command'
import { flattenField, writeJson, writeLine } from './io'

/** A signed report is a few hundred KiB at most (500 entries); anything far larger is not one. */
const MAX_REPORT_BYTES = 16 * 1024 * 1024

function text(options: OptionValues, name: string): string | undefined {
  const value = options[name]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

export const activityCommands: Command[] = [
  {
    words: ['audit', 'ls'],
    usage: 'audit ls <dir> [--by NAME] [--action TYPE] [--record TITLE] [--since DATE] [--until DATE] [--json]',
    summary: 'list the activity log, newest first: when, who, what was done and to which record (tab-separated)',
    options: {
      ...passphraseFileOption,
      by: { type: 'string', value: 'NAME', help: 'only what this member did (here, or in another office that syncs)' },
      action: { type: 'string', value: 'TYPE', help: 'only entries of this type, e.g. dossier.updated' },
      record: { type: 'string', value: 'TITLE', help: 'only entries about a record whose title contains this (or its id)' },
      since: { type: 'string', value: 'DATE', help: 'from this day on (YYYY-MM-DD, UTC)' },
      until: { type: 'string', value: 'DATE', help: 'up to and including this day (YYYY-MM-DD, UTC)' },
      json: { type: 'boolean', help: 'print the entries and the chain check as JSON' },
    },
    arity: 1,
    run: (ctx) =>
      withSession(ctx, (session) => {
        const vault = session.requireVault()
        const by = text(ctx.options, 'by')
        const filter: ActivityFilter = {
          ...(by ? { memberName: by } : {}),
          ...(text(ctx.options, 'action') ? { action: text(ctx.options, 'action') } : {}),
          ...(text(ctx.options, 'record') ? { record: text(ctx.options, 'record') } : {}),
          ...(text(ctx.options, 'since') ? { since: text(ctx.options, 'since') } : {}),
          ...(text(ctx.options, 'until') ? { until: text(ctx.options, 'until') } : {}),
        }
        const listing = listActivity(vault, session.member()?.role ?? null, filter)
        if (ctx.options['json'] === true) {
          writeJson(ctx.io.stdout, { verification: listing.verification, matched: listing.matched, entries: listing.entries })
        } else {
          for (const e of listing.entries) {
            const record = e.recordKind ? (e.recordTitle ? `${e.recordKind}: ${e.recordTitle}` : e.recordKind) : ''
            writeLine(ctx.io.stdout, [e.at, e.memberName ?? 'Before members', e.actionLabel, record].map(flattenField).join('\t'))
          }
          if (listing.matched > listing.entries.length)
            writeLine(ctx.io.stderr, `Showing the newest ${listing.entries.length} of ${listing.matched} entries.`)
          writeLine(ctx.io.stderr, describeVerification(listing.verification))
        }
        if (!listing.verification.ok) throw new CustodiaError('TAMPERED', describeVerification(listing.verification))
      }),
  },
  {
    words: ['audit', 'verify-report'],
    usage: 'audit verify-report <file>',
    summary: "check a signed activity report's signature; prints who signed it (compare the fingerprint) and what it covers",
    arity: 1,
    run: async (ctx) => {
      let raw: string
      try {
        const bytes = readFileSync(ctx.args[0]!)
        if (bytes.length > MAX_REPORT_BYTES) throw new CustodiaError('VALIDATION', 'This file is too large to be an activity report.')
        raw = bytes.toString('utf8')
      } catch (error) {
        if (error instanceof CustodiaError) throw error
        throw new CustodiaError('NOT_FOUND', 'Cannot read the report file.')
      }
      const { payload, signer, fingerprint } = verifyActivityReport(raw)
      writeLine(ctx.io.stdout, `Signature valid. Signed by “${flattenField(signer)}”, fingerprint ${fingerprint}.`)
      writeLine(
        ctx.io.stdout,
        `Made ${payload.generatedAt} by ${flattenField(payload.generatedBy?.name ?? 'an unknown member')}; ${payload.entries.length} entries.`,
      )
      writeLine(ctx.io.stdout, flattenField(payload.verification.message))
    },
  },
]
