// CLI (Node): letter commands — list templates, render a letter from a data file to PDF (system Chromium), DOCX or TXT.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../shared/errors'
import { renderPdfWithChromium } from '../core/letters/chromiumPdf'
import { buildLetterAnnex, type LetterAudience } from '../core/letters/letterAnnex'
import { EXPORT_FORMATS, renderLetterExport, type ExportFormat } from '../core/letters/letterExport'
import { assertNoPlaceholders, findLetterPlaceholders, findLongCcLists, resolveLetter } from '../core/letters/letterProfile'
import { isPlaceholderRefusal, PLACEHOLDER_CONFIRM_HINT } from '../../shared/organisation/profile'
import { loadLetterAssets } from '../core/letters/resources'
import { listLetterTemplates } from '../core/letters/userTemplates'
import { writeUserFileSync } from '../core/platform/fs/atomicWrite'
import { TMP_DIR } from '../core/vault/files'
import { passphraseFileOption, withVault } from './cliSession'
import type { Command } from './command'
import { flattenField, UsageError, writeLine } from './io'

const passphraseOption = passphraseFileOption

/** Largest data file read (a few signature images fit). */
const MAX_DATA_BYTES = 16 * 1024 * 1024

/**
 * Reads a letter data file: either `{ "template": "<id>", "fields": { … } }` (the documented form, docs/LETTERS.md)
 * or a plain object of field values (then --template is needed). Returns the template id it names, if any.
 */
export function readLetterDataFile(file: string): { templateId?: string; fields: Record<string, unknown> } {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new CustodiaError('NOT_FOUND', 'Cannot read the data file.')
  }
  if (Buffer.byteLength(text) > MAX_DATA_BYTES) throw new CustodiaError('VALIDATION', 'The data file is larger than 16 MiB.')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new CustodiaError('VALIDATION', 'The data file is not valid JSON.')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new CustodiaError('VALIDATION', 'The data file must hold one JSON object.')
  const object = json as Record<string, unknown>
  if (typeof object['template'] !== 'string') return { fields: object }
  const fields = object['fields']
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new CustodiaError('VALIDATION', 'The data file names a template, so it needs a "fields" object with the field values.')
  }
  const extra = Object.keys(object).filter((k) => k !== 'template' && k !== 'fields')
  if (extra.length > 0)
    throw new CustodiaError(
      'VALIDATION',
      `The data file has unknown top-level keys: ${extra.join(', ')} (expected "template" and "fields").`,
    )
  return { templateId: object['template'], fields: fields as Record<string, unknown> }
}

/** The annex audience from --audience and --partner (default: the public, the narrowest). */
function readAudience(audience: unknown, partner: unknown): LetterAudience {
  if (audience === undefined || audience === 'public') {
    if (partner !== undefined) throw new UsageError('--partner goes with --audience partner.')
    return { kind: 'public' }
  }
  if (audience === 'internal') return { kind: 'internal' }
  if (audience === 'partner') {
    if (typeof partner !== 'string' || partner.trim() === '') throw new UsageError('--audience partner needs --partner NAME.')
    return { kind: 'partner', partner: partner.trim().slice(0, 200) }
  }
  throw new UsageError('--audience must be public, partner or internal.')
}

export const letterCommands: Command[] = [
  {
    words: ['templates', 'ls'],
    usage: 'templates ls <dir> [--passphrase-file F]',
    summary: 'list letter templates: id, name, language, built-in or user (tab-separated)',
    options: passphraseOption,
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        for (const t of listLetterTemplates(vault, loadLetterAssets().builtins)) {
          writeLine(ctx.io.stdout, [t.id, flattenField(t.name), t.language, t.builtIn ? 'built-in' : 'user'].join('\t'))
        }
      }),
  },
  {
    words: ['letter', 'render'],
    usage:
      'letter render <dir> --data F --format pdf|docx|txt --out F [--template ID] [--audience public|partner|internal] [--partner NAME] [--allow-placeholders] [--allow-long-cc] [--passphrase-file F]',
    summary: "render a letter from a JSON data file with the organisation profile's letterhead (docs/LETTERS.md); PDF needs Chromium",
    options: {
      ...passphraseOption,
      template: { type: 'string', value: 'ID', help: 'the template (or a "template" key in the data file)' },
      data: { type: 'string', value: 'FILE', help: 'the JSON data file with the field values (required; docs/LETTERS.md)' },
      format: { type: 'string', value: 'FORMAT', help: 'pdf, docx or txt (required)' },
      out: { type: 'string', value: 'FILE', help: 'the file to write (required)' },
      'allow-placeholders': {
        type: 'boolean',
        help: 'write the letter even if it still shows a placeholder such as "[Organisation name]" (no profile set)',
      },
      'allow-long-cc': { type: 'boolean', help: 'write the letter even if its copy list (CC) names more than 40 people' },
      audience: {
        type: 'string',
        value: 'WHO',
        help: 'who reads it, which decides the cases the annex may list: public (default), partner (with --partner) or internal',
      },
      partner: { type: 'string', value: 'NAME', help: 'the partner organisation, with --audience partner' },
    },
    arity: 1,
    run: async (ctx) => {
      const format = ctx.options['format']
      const dataFile = ctx.options['data']
      const out = ctx.options['out']
      if (typeof dataFile !== 'string' || typeof out !== 'string' || typeof format !== 'string') {
        throw new UsageError('letter render needs --data FILE, --format pdf|docx|txt and --out FILE.')
      }
      if (!(EXPORT_FORMATS as readonly string[]).includes(format))
        throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}.`)
      // Read and check the data file before asking for a passphrase: mistakes in it are the common case.
      const data = readLetterDataFile(dataFile)
      const option = ctx.options['template']
      if (typeof option === 'string' && data.templateId !== undefined && option !== data.templateId) {
        throw new CustodiaError('VALIDATION', `--template ${option} and the data file's template ${data.templateId} differ.`)
      }
      const templateId = typeof option === 'string' ? option : data.templateId
      if (!templateId) throw new UsageError('Name the template with --template ID or a "template" key in the data file.')
      const audience = readAudience(ctx.options['audience'], ctx.options['partner'])
      const bytes = await withVault(ctx, async (vault) => {
        const letter = resolveLetter(vault, loadLetterAssets().builtins, templateId, data.fields)
        // The cases named in the data's dossier-list fields, filtered by consent for the audience, as in the app;
        // an id typed by hand that names no dossier is an error here, never a silently shorter annex.
        const annex = buildLetterAnnex(vault, letter.template, letter.data, audience, { unknownIds: 'refuse' })
        const rendered = await renderLetterExport(letter.template, letter.data, format as ExportFormat, {
          fonts: loadLetterAssets().fonts,
          // The letter's HTML and Chromium's files stay inside the vault (tmp/), which the lock at the end empties.
          printPdf: (html) => renderPdfWithChromium(html, { workDir: path.join(vault.dir, TMP_DIR) }),
          ...(annex ? { annex } : {}),
        })
        const confirmed = ctx.options['allow-placeholders'] === true
        const longCcConfirmed = ctx.options['allow-long-cc'] === true
        try {
          assertNoPlaceholders(letter.template, letter.data, { confirmed, longCcConfirmed, ...(annex ? { annex } : {}) })
        } catch (error) {
          if (!(error instanceof CustodiaError && isPlaceholderRefusal(error.message))) throw error
          // The app asks; here the way out is a flag, named for each problem the message lists.
          const flags = [
            !confirmed && Object.values(findLetterPlaceholders(letter.template, letter.data, annex)).some((l) => l.length > 0)
              ? '--allow-placeholders'
              : '',
            !longCcConfirmed && findLongCcLists(letter.template, letter.data).length > 0 ? '--allow-long-cc' : '',
          ].filter(Boolean)
          throw new CustodiaError(
            'VALIDATION',
            `${error.message.slice(0, -PLACEHOLDER_CONFIRM_HINT.length)}or add ${flags.join(' and ')} to write it anyway.`,
          )
        }
        return rendered
      })
      writeUserFileSync(out, bytes)
      writeLine(ctx.io.stdout, `Wrote ${format.toUpperCase()} (${bytes.length} bytes)`)
    },
  },
]
