// Shared by every process: the small summary stored (encrypted) beside each dossier, so lists, filters, counts and
// duplicate checks run over thousands of dossiers without decrypting bodies. Name forms are stored pre-folded.
import { z } from 'zod'
import { CustodiaError } from '../errors'
import { foldName } from '../text/fold'
import {
  CONSENT_LEVELS,
  CURRENT_STATUSES,
  DOSSIER_CATEGORIES,
  VULNERABILITY_FLAGS,
  deriveCurrentStatus,
  listNameForms,
  readBirthYear,
  type ConsentLevel,
  type CurrentStatus,
  type Dossier,
  type DossierCategory,
  type VulnerabilityFlag,
} from './dossier'

export interface DossierSummary {
  v: 1
  /** The name in its original script, for display. */
  name: string
  transliteration: string | null
  /**
   * foldName() of every name form, plus the same words sorted when that differs, so "Bialiatski Ales" and
   * "Ales Bialiatski" share a key. Unique, non-empty.
   */
  nameKeys: string[]
  status: CurrentStatus
  category: DossierCategory
  region: string
  /** The vulnerability flags that are set, in VULNERABILITY_FLAGS order. */
  flags: VulnerabilityFlag[]
  consent: ConsentLevel
  birthYear: number | null
  birthApproximate: boolean
}

/** A summary with its vault record id: what filterDossiers, countBy and findDuplicates take. */
export interface DossierSummaryEntry {
  readonly id: string
  readonly summary: DossierSummary
}

export const DossierSummarySchema = z.strictObject({
  v: z.literal(1),
  name: z.string(),
  transliteration: z.string().nullable(),
  nameKeys: z.array(z.string()),
  status: z.enum(CURRENT_STATUSES as [CurrentStatus, ...CurrentStatus[]]),
  category: z.enum(DOSSIER_CATEGORIES),
  region: z.string(),
  flags: z.array(z.enum(VULNERABILITY_FLAGS)),
  consent: z.enum(CONSENT_LEVELS),
  birthYear: z.number().int().nullable(),
  birthApproximate: z.boolean(),
})

/** Sorts the words of a folded name ("bialacki ales" → "ales bialacki"). */
export function sortNameWords(folded: string): string {
  return folded.split(' ').sort().join(' ')
}

/** The folded keys of a list of name forms (each as written and with its words sorted), unique, non-empty. */
export function buildNameKeys(forms: readonly string[]): string[] {
  const keys = new Set<string>()
  for (const form of forms) {
    const folded = foldName(form)
    if (!folded) continue
    keys.add(folded)
    keys.add(sortNameWords(folded))
  }
  return [...keys]
}

/** Computes the summary of a dossier (list membership is NOT part of it: lists are records of their own). */
export function summarizeDossier(d: Dossier): DossierSummary {
  return {
    v: 1,
    name: d.names.original,
    transliteration: d.names.transliteration ?? null,
    nameKeys: buildNameKeys(listNameForms(d.names)),
    status: deriveCurrentStatus(d.statusHistory),
    category: d.category,
    region: d.homeRegion,
    flags: VULNERABILITY_FLAGS.filter((flag) => d.vulnerability[flag]),
    consent: d.consent,
    birthYear: readBirthYear(d.birth),
    birthApproximate: d.birth.approximate === true,
  }
}

/** Checks a summary read back from the vault. CORRUPT if it is not one (written by something else). */
export function readDossierSummary(raw: unknown): DossierSummary {
  const parsed = DossierSummarySchema.safeParse(raw)
  if (!parsed.success) throw new CustodiaError('CORRUPT', 'A dossier summary is malformed')
  return parsed.data
}
