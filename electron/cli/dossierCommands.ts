// CLI (Node): dossier commands — add (one dossier or a JSON array on stdin), ls, show. A thin layer over
// electron/core/dossiers; family contacts stay out of `show` unless --include-family is given.
import { CustodiaError } from '../../shared/errors'
import { parseDossier, readBirthYear, type Dossier } from '../../shared/dossiers/dossier'
import { assertCustomFieldsValid, describeProblem, validateCustomFields } from '../../shared/dossiers/dossierSchema'
import { redactDossier } from '../../shared/dossiers/consent'
import { findDuplicates } from '../../shared/dossiers/duplicates'
import { summarizeDossier, type DossierSummaryEntry } from '../../shared/dossiers/summary'
import { createDossier, getDossier, getDossierSchema, listDossierSummaries } from '../core/dossiers/dossierService'
import { authorName } from '../core/session/author'
import { passphraseFileOption, withVault } from './cliSession'
import type { Command } from './command'
import { flattenField, readStdin, writeJson, writeLine } from './io'

const passphraseOption = passphraseFileOption
/** Largest batch `dossier add` accepts in one call. */
const MAX_BATCH = 10_000

/** Parses stdin as one dossier or an array of them; every problem is reported with its JSON path, nothing is written. */
function parseDossierInput(text: string): { dossiers: Dossier[]; batch: boolean } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new CustodiaError('VALIDATION', 'The input is not valid JSON.')
  }
  if (!Array.isArray(json)) return { dossiers: [parseDossier(json)], batch: false }
  if (json.length === 0) throw new CustodiaError('VALIDATION', 'The input array holds no dossiers.')
  if (json.length > MAX_BATCH) throw new CustodiaError('VALIDATION', `The input holds more than ${MAX_BATCH} dossiers.`)
  const problems: string[] = []
  const dossiers: Dossier[] = []
  json.forEach((item, index) => {
    try {
      dossiers.push(parseDossier(item, `$[${index}]`))
    } catch (error) {
      if (!(error instanceof CustodiaError)) throw error
      problems.push(error.message.replace(/^Invalid dossier: /, ''))
    }
  })
  if (problems.length > 0) throw new CustodiaError('VALIDATION', `Invalid dossier: ${problems.slice(0, 20).join('; ')}`)
  return { dossiers, batch: true }
}

export const dossierCommands: Command[] = [
  {
    words: ['dossier', 'add'],
    usage: 'dossier add <dir> < dossier.json',
    summary: 'add one dossier (a JSON object) or many (a JSON array) from standard input; prints one id per line',
    options: passphraseOption,
    arity: 1,
    run: async (ctx) => {
      const { dossiers, batch } = parseDossierInput(await readStdin(ctx.io))
      await withVault(ctx, (vault) => {
        const schema = getDossierSchema(vault).schema
        // Check every entry before writing any, so a bad batch changes nothing.
        dossiers.forEach((d, index) => {
          const issues = validateCustomFields(d.customFields, schema).map((i) => ({
            ...i,
            path: batch ? i.path.replace(/^\$/, `$[${index}]`) : i.path,
          }))
          assertCustomFieldsValid(issues)
        })
        const known: DossierSummaryEntry[] = listDossierSummaries(vault)
        const label = (index: number) => (batch ? `entry ${index}` : 'the dossier')
        dossiers.forEach((d, index) => {
          const matches = findDuplicates(
            { names: d.names, birthYear: readBirthYear(d.birth), birthApproximate: d.birth.approximate === true },
            known,
          )
          for (const m of matches) {
            const other = m.id.startsWith('entry ') ? m.id : `dossier ${m.id}`
            writeLine(
              ctx.io.stderr,
              `custodia: warning: ${label(index)} may be the same person as ${other} (${m.reason === 'same-name' ? 'same name' : 'similar name'}).`,
            )
          }
          known.push({ id: `entry ${index}`, summary: summarizeDossier(d) })
        })
        // Recorded as the revision author, as when the app saves a dossier.
        const author = authorName(vault)
        for (const [index, d] of dossiers.entries()) {
          const result = createDossier(vault, d, { author })
          for (const w of result.warnings) {
            writeLine(ctx.io.stderr, `custodia: warning: ${label(index)}: ${w.path}: ${describeProblem(w.problem)}.`)
          }
          writeLine(ctx.io.stdout, result.id)
        }
      })
    },
  },
  {
    words: ['dossier', 'ls'],
    usage: 'dossier ls <dir>',
    summary: 'list dossiers, one per line: id, current status, name (tab-separated)',
    options: passphraseOption,
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const rows = listDossierSummaries(vault).sort((a, b) => a.summary.name.localeCompare(b.summary.name) || a.id.localeCompare(b.id))
        for (const r of rows) writeLine(ctx.io.stdout, [r.id, r.summary.status, flattenField(r.summary.name)].join('\t'))
      }),
  },
  {
    words: ['dossier', 'show'],
    usage: 'dossier show <dir> <id> [--include-family]',
    summary: 'print one dossier as JSON; family contacts only with --include-family',
    options: { ...passphraseOption, 'include-family': { type: 'boolean', help: 'include the family contacts (held back otherwise)' } },
    arity: 2,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const stored = getDossier(vault, ctx.args[1]!)
        const includeFamily = ctx.options['include-family'] === true
        // Only the family section is held back here: the person running show works inside the organisation.
        const dossier = includeFamily ? stored.dossier : redactDossier(stored.dossier, { family: false, medical: true, sources: true })
        const output = {
          id: stored.id,
          revision: stored.revision,
          savedAt: stored.savedAt,
          redacted: includeFamily ? [] : ['family'],
          issues: stored.issues.map((i) => ({ path: i.path, problem: i.problem })),
          dossier,
        }
        writeJson(ctx.io.stdout, output)
      }),
  },
]
