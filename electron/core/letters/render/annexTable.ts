// Main process (core, Node only): the annex of individual cases, filtered by each person's consent before a letter
// leaves the organisation.
import { z } from 'zod'
import { CustodiaError } from '../../../../shared/errors'
import {
  AUDIENCES,
  AnnexRowSchema,
  TEMPLATE_LANGUAGES,
  formatSchemaIssues,
  type AnnexRow,
  type AnnexTable,
  type Audience,
  type TemplateLanguage,
} from '../../../../shared/letters/templateModel'
import { OMITTED_REASONS } from '../../../../shared/letters/letterStrings'

/** Which consent levels each audience may see: public ⊂ partners ⊂ internal. */
const VISIBLE_CONSENT: Readonly<Record<Audience, readonly Audience[]>> = {
  internal: ['internal', 'partners', 'public'],
  partners: ['partners', 'public'],
  public: ['public'],
}

const optionsSchema = z.strictObject({
  audience: z.enum(AUDIENCES),
  language: z.enum(TEMPLATE_LANGUAGES).optional(),
})

/**
 * Keeps the rows whose consent allows the audience, in their original order, and counts the rest.
 * A row with consent 'internal' never leaves the organisation; 'partners' goes to partners but is never published.
 * `omittedReason` is a sentence fragment in the letter's language ('' when nothing was left out).
 * Throws CustodiaError('VALIDATION') naming the bad row and field if any row is malformed; nothing is returned then.
 */
export function buildAnnex(rows: readonly AnnexRow[], options: { audience: Audience; language?: TemplateLanguage }): AnnexTable {
  const opts = optionsSchema.safeParse(options)
  if (!opts.success) throw new CustodiaError('VALIDATION', `invalid annex options: ${formatSchemaIssues(opts.error)}`)
  const parsed = z.array(AnnexRowSchema).max(5000).safeParse(rows)
  if (!parsed.success) throw new CustodiaError('VALIDATION', `invalid annex rows: ${formatSchemaIssues(parsed.error)}`)
  const { audience, language = 'en-GB' } = opts.data
  const visible = VISIBLE_CONSENT[audience]
  const kept = parsed.data.filter((row) => visible.includes(row.consent))
  const omitted = parsed.data.length - kept.length
  return {
    rows: kept,
    omitted,
    omittedReason: omitted === 0 || audience === 'internal' ? '' : OMITTED_REASONS[language][audience],
  }
}
