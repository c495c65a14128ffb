// Main process / CLI (core, Node only): the annex of cases a letter lists, built from dossiers chosen in the
// letter's dossier-list fields. Consent is decided by shared/dossiers/consent.ts (the one rule for every export);
// the letter says how many cases were left out and why.
import type { LetterData, LetterTemplate, AnnexTable } from '../../../shared/letters/templateModel'
import { OMITTED_REASONS } from '../../../shared/letters/letterStrings'
import { mergeDossierAnnex, type Recipient } from '../../../shared/dossiers/consent'
import type { IdentifiedDossier } from '../../../shared/dossiers/dossier'
import { CustodiaError } from '../../../shared/errors'
import { getDossier } from '../dossiers/dossierService'
import { buildAnnex } from './render/render'
import type { Vault } from '../vault/vault'

/** Who will read the letter: our own organisation, one named partner, or anyone. */
export type LetterAudience = { kind: 'internal' } | { kind: 'partner'; partner: string } | { kind: 'public' }

/** Dossier ids named in the letter's dossier-list fields, in field order, each once. */
export function collectAnnexDossierIds(template: LetterTemplate, data: LetterData): string[] {
  const ids: string[] = []
  for (const field of template.fields) {
    if (field.type !== 'dossierList') continue
    const value = data[field.name]
    if (!Array.isArray(value)) continue
    for (const id of value) if (typeof id === 'string' && !ids.includes(id)) ids.push(id)
  }
  return ids
}

/**
 * The annex for `audience`, or undefined when the letter names no dossiers. Dossiers that are no longer in the
 * vault count as left out (a saved draft may outlive a dossier), unless `unknownIds` is 'refuse' (the CLI, where an
 * id is typed by hand): then the first such id throws CustodiaError('NOT_FOUND') naming it and its field. The rows are filtered twice — by the named-partner rule here, then by the template's
 * own audience check in buildAnnex — so a row can only ever be narrowed, never widened.
 */
export function buildLetterAnnex(
  vault: Vault,
  template: LetterTemplate,
  data: LetterData,
  audience: LetterAudience,
  opts: { unknownIds?: 'omit' | 'refuse' } = {},
): AnnexTable | undefined {
  const ids = collectAnnexDossierIds(template, data)
  if (ids.length === 0) return undefined
  const dossiers: IdentifiedDossier[] = []
  let missing = 0
  for (const id of ids) {
    try {
      dossiers.push({ id, dossier: getDossier(vault, id).dossier })
    } catch (error) {
      // A malformed id (VALIDATION from getDossier) names no dossier of this vault either.
      if (!(error instanceof CustodiaError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION'))) throw error
      if (opts.unknownIds === 'refuse') {
        const field = template.fields.find(
          (f) => f.type === 'dossierList' && Array.isArray(data[f.name]) && (data[f.name] as unknown[]).includes(id),
        )
        throw new CustodiaError(
          'NOT_FOUND',
          `There is no dossier with the id "${id.slice(0, 100)}" in this vault${field ? ` (named in ${field.label}, "${field.name}")` : ''}: check the id with \`custodia dossier ls\`.`,
        )
      }
      missing++
    }
  }
  const recipient: Recipient = audience.kind
  const merged = mergeDossierAnnex(dossiers, recipient, audience.kind === 'partner' ? audience.partner : undefined)
  const templateAudience = audience.kind === 'partner' ? 'partners' : audience.kind
  const table = buildAnnex(merged.rows, { audience: templateAudience, language: template.language })
  const omitted = table.omitted + merged.omitted + missing
  const reason =
    table.omittedReason || (omitted > 0 && templateAudience !== 'internal' ? OMITTED_REASONS[template.language][templateAudience] : '')
  return { rows: table.rows, omitted, omittedReason: reason }
}
