// Shared by every process: named, ordered lists of dossiers (e.g. "Annex to the letter of 12 May"). Stored as vault
// records of kind 'dossier-list'; a list holds dossier record ids only.
import { z } from 'zod'
import { CustodiaError } from '../errors'
import { RECORD_ID_PATTERN, formatDossierIssues } from './dossier'

export const DOSSIER_LIST_RECORD_KIND = 'dossier-list'

export const DossierListInputSchema = z
  .strictObject({
    name: z.string().trim().min(1, 'is empty').max(300),
    description: z.string().max(5000).optional(),
    /** Ordered; each dossier at most once. */
    dossierIds: z.array(z.string().regex(RECORD_ID_PATTERN, 'must be a dossier id')).max(10_000).default([]),
  })
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.dossierIds.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', message: 'lists a dossier twice', path: ['dossierIds', i] })
      seen.add(id)
    })
  })
export type DossierListContent = z.infer<typeof DossierListInputSchema>
export type DossierListInput = z.input<typeof DossierListInputSchema>

/** A list with its vault record id. */
export interface DossierList extends DossierListContent {
  id: string
}

/** Validates a list. VALIDATION naming the JSON path of each problem. */
export function parseDossierList(input: unknown): DossierListContent {
  const parsed = DossierListInputSchema.safeParse(input)
  if (!parsed.success) throw new CustodiaError('VALIDATION', `Invalid dossier list: ${formatDossierIssues(parsed.error)}`)
  return parsed.data
}

/** A list as a vault record's content: the summary lists show without opening it, and the list itself. */
export function dossierListContent(list: DossierListContent): { summary: Record<string, unknown>; body: DossierListContent } {
  return { summary: { v: 1, name: list.name, count: list.dossierIds.length }, body: list }
}
