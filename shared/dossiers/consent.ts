// Shared by every process: what of a dossier may leave the organisation, and to whom. Every function that produces
// output for others (export, letter annex, printed list) goes through filterForAudience and redactDossier; family
// contacts are never part of that output unless a caller asks for them explicitly.
import type { AnnexRow } from '../letters/templateModel'
import { CustodiaError } from '../errors'
import {
  DOSSIER_STATUSES,
  deriveCurrentStatus,
  findCurrentStatusEvent,
  type Dossier,
  type IdentifiedDossier,
  VULNERABILITY_FLAGS,
} from './dossier'

/** Who output is for: our own organisation, one named partner organisation, or the public. */
export type Recipient = 'internal' | 'partner' | 'public'
export const RECIPIENTS: readonly Recipient[] = ['internal', 'partner', 'public']

export type OmitReason =
  /** consent 'internal': never leaves the organisation. */
  | 'internal-only'
  /** consent 'partners': never published. */
  | 'partners-only'
  /** consent 'partners', but this partner is not among sharePartners. */
  | 'partner-not-named'

export interface AudienceResult {
  included: IdentifiedDossier[]
  omitted: number
  reasons: { id: string; reason: OmitReason }[]
}

/** Partner names compare trimmed, NFC and case-insensitively ("Amnesty Norway" ≡ "amnesty norway "). */
export function normalizePartnerName(name: string): string {
  return name.trim().normalize('NFC').toLowerCase()
}

/**
 * Splits dossiers into those the recipient may receive and those it may not (with the reason, by id), in input order.
 * internal → everything; partner → consent 'public', or 'partners' naming this partner; public → consent 'public'.
 * A 'partner' audience without a partner name → VALIDATION.
 */
export function filterForAudience(dossiers: readonly IdentifiedDossier[], audience: Recipient, partner?: string): AudienceResult {
  if (!RECIPIENTS.includes(audience)) throw new CustodiaError('VALIDATION', "The audience must be 'internal', 'partner' or 'public'")
  if (audience === 'partner' && (typeof partner !== 'string' || partner.trim() === '')) {
    throw new CustodiaError('VALIDATION', 'Output for a partner needs the name of that partner')
  }
  const wanted = audience === 'partner' ? normalizePartnerName(partner!) : ''
  const result: AudienceResult = { included: [], omitted: 0, reasons: [] }
  for (const entry of dossiers) {
    const reason = decideOmission(entry.dossier, audience, wanted)
    if (reason === null) {
      result.included.push(entry)
    } else {
      result.omitted += 1
      result.reasons.push({ id: entry.id, reason })
    }
  }
  return result
}

function decideOmission(d: Dossier, audience: Recipient, partner: string): OmitReason | null {
  if (audience === 'internal' || d.consent === 'public') return null
  if (d.consent === 'internal') return 'internal-only'
  if (audience === 'public') return 'partners-only'
  return d.sharePartners.some((p) => normalizePartnerName(p) === partner) ? null : 'partner-not-named'
}

/** Which sensitive sections to KEEP: `true` keeps the section, `false` removes it. */
export interface RedactionProfile {
  /** family.contacts */
  family: boolean
  /** vulnerability.medicalNote (the `ill` flag itself stays: it is what an annex shows). */
  medical: boolean
  /** sources, and every sourceIds citation pointing at them. */
  sources: boolean
}

/** Keeps nothing sensitive: what output for others gets unless a caller asks for more. */
export const REDACT_ALL: Readonly<RedactionProfile> = Object.freeze({ family: false, medical: false, sources: false })

/** A copy of the dossier without the sections the profile does not keep (the input is not changed). */
export function redactDossier(d: Dossier, profile: RedactionProfile): Dossier {
  const copy = structuredClone(d)
  if (!profile.family) copy.family = { contacts: [] }
  if (!profile.medical) delete copy.vulnerability.medicalNote
  if (!profile.sources) {
    copy.sources = []
    copy.vulnerability.sourceIds = []
    for (const item of [...copy.statusHistory, ...copy.detentions, ...copy.charges]) item.sourceIds = []
  }
  return copy
}

const CUSTODY = new Set(['detained', 'charged', 'convicted'])

/**
 * Since when the person has been in custody: the earliest custody event after the last release/exchange/missing
 * report (else the start of an open detention); undefined when not in custody.
 */
function findDetainedSince(d: Dossier): string | undefined {
  const events = [...d.statusHistory].sort(
    (a, b) => a.date.localeCompare(b.date) || DOSSIER_STATUSES.indexOf(a.status) - DOSSIER_STATUSES.indexOf(b.status),
  )
  const current = deriveCurrentStatus(events)
  if (!CUSTODY.has(current)) return undefined
  let since: string | undefined
  for (const e of events) {
    if (CUSTODY.has(e.status)) since ??= e.date
    else since = undefined
  }
  // The status history is the authority; an open detention only fills in when no custody event is dated.
  return since ?? d.detentions.flatMap((x) => (x.to === undefined && x.from !== undefined ? [x.from] : [])).sort()[0]
}

/** The current place of detention: the open detention that started last ("facility, location"). */
function findPlace(d: Dossier): string | undefined {
  const open = d.detentions.filter((x) => x.to === undefined)
  if (open.length === 0) return undefined
  const latest = open.reduce((a, b) => ((b.from ?? '') >= (a.from ?? '') ? b : a))
  const place = [latest.facility, latest.location].filter((s) => s.trim() !== '').join(', ')
  return place === '' ? undefined : place.slice(0, 500)
}

/**
 * One row of a letter annex. Carries the name (transliteration first, original script in brackets), detention
 * start and place, current status, vulnerability flags and consent — never family, medical notes or sources.
 */
export function toAnnexRow(d: Dossier): AnnexRow {
  const { original, transliteration } = d.names
  const name = transliteration && transliteration !== original ? `${transliteration} (${original})` : original
  const current = findCurrentStatusEvent(d.statusHistory)
  const row: AnnexRow = { name: name.slice(0, 300), status: current?.status ?? 'unknown', consent: d.consent }
  if (current !== undefined) row.statusSince = current.date
  const since = findDetainedSince(d)
  if (since !== undefined) row.detainedSince = since
  const place = findPlace(d)
  if (place !== undefined) row.place = place
  // Codes, not words: each output writes them in its own language (annexWords.ts, FLAG_LABELS).
  const flags: string[] = VULNERABILITY_FLAGS.filter((f) => d.vulnerability[f])
  if (flags.length > 0) row.vulnerability = flags
  return row
}

/** Annex rows for the dossiers the recipient may receive (consent filter first), with the count and reasons left out. */
export function mergeDossierAnnex(
  dossiers: readonly IdentifiedDossier[],
  audience: Recipient,
  partner?: string,
): { rows: AnnexRow[]; omitted: number; reasons: AudienceResult['reasons'] } {
  const { included, omitted, reasons } = filterForAudience(dossiers, audience, partner)
  return { rows: included.map((entry) => toAnnexRow(entry.dossier)), omitted, reasons }
}
