// Shared by every process: the prisoner dossier model (zod 4 schemas and types), its parser and status derivation.
// Stored as a vault record of kind 'dossier': `summary` (shared/dossiers/summary.ts) and `body` (a Dossier), both
// encrypted. Pure TypeScript: the renderer's dossier editor validates with the same schemas.
import { z } from 'zod'
import { CustodiaError } from '../errors'

export const DOSSIER_RECORD_KIND = 'dossier'

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const
export type Gender = (typeof GENDERS)[number]

export const DOSSIER_CATEGORIES = [
  'civilian-detainee',
  'political-prisoner',
  'prisoner-of-war',
  'deported-child',
  'missing-person',
  'other',
] as const
export type DossierCategory = (typeof DOSSIER_CATEGORIES)[number]

/**
 * Statuses in the order of precedence of a life cycle: on the same day a later entry in this list wins
 * (someone detained and charged on one day is "charged"; a child deported and located on one day is "located";
 * released, exchanged, returned, found and deceased end a story).
 */
export const DOSSIER_STATUSES = [
  'missing',
  'detained',
  'charged',
  'convicted',
  'deported',
  'located',
  'released',
  'exchanged',
  'returned',
  'found-alive',
  'found-dead',
  'deceased',
] as const
export type DossierStatus = (typeof DOSSIER_STATUSES)[number]

/**
 * The statuses the form offers for each category, in life-cycle order: a deported child is deported, located,
 * returned to family; a missing person is found alive or found dead. The model accepts any status in any category
 * (a person's category can change, and older records must keep opening); this is what the form proposes.
 */
export const STATUSES_BY_CATEGORY: Readonly<Record<DossierCategory, readonly DossierStatus[]>> = {
  'civilian-detainee': ['missing', 'detained', 'charged', 'convicted', 'deported', 'released', 'exchanged', 'deceased'],
  'political-prisoner': ['missing', 'detained', 'charged', 'convicted', 'released', 'exchanged', 'deceased'],
  'prisoner-of-war': ['missing', 'detained', 'charged', 'convicted', 'released', 'exchanged', 'deceased'],
  'deported-child': ['missing', 'deported', 'located', 'returned', 'deceased'],
  'missing-person': ['missing', 'detained', 'found-alive', 'found-dead'],
  other: DOSSIER_STATUSES,
}

/** The status a new event starts with: what usually happens first to a person of that category. */
export const FIRST_STATUS_BY_CATEGORY: Readonly<Record<DossierCategory, DossierStatus>> = {
  'civilian-detainee': 'detained',
  'political-prisoner': 'detained',
  'prisoner-of-war': 'detained',
  'deported-child': 'deported',
  'missing-person': 'missing',
  other: 'detained',
}

/** The statuses to offer for `category`, plus `current` when an event already holds one outside that list. */
export function statusChoices(category: DossierCategory, current?: DossierStatus): readonly DossierStatus[] {
  const offered = STATUSES_BY_CATEGORY[category]
  if (current === undefined || offered.includes(current)) return offered
  return DOSSIER_STATUSES.filter((s) => s === current || offered.includes(s))
}
/** What a dossier shows as its status: the derived one, or 'unknown' when the history is empty. */
export type CurrentStatus = DossierStatus | 'unknown'
export const CURRENT_STATUSES: readonly CurrentStatus[] = [...DOSSIER_STATUSES, 'unknown']

export const VULNERABILITY_FLAGS = ['ill', 'elderly', 'disabled', 'minor', 'incommunicado', 'severeConditions'] as const
export type VulnerabilityFlag = (typeof VULNERABILITY_FLAGS)[number]

export const SOURCE_TYPES = ['person', 'organisation', 'document', 'other'] as const
/** Admiralty-style grading: reliability of the source A (reliable) … F (cannot be judged). */
export const SOURCE_RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const

/** Who may see a dossier outside the organisation: nobody, the named partners, or anyone. */
export const CONSENT_LEVELS = ['internal', 'partners', 'public'] as const
export type ConsentLevel = (typeof CONSENT_LEVELS)[number]

/** Vault record ids (documents, attachments): 32 lower-case hex characters. */
export const RECORD_ID_PATTERN = /^[0-9a-f]{32}$/
/** Ids of items inside a dossier (events, sources…): stable, chosen by the user or generated. */
export const ITEM_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** A fresh random item id (16 hex characters) from the platform CSPRNG (Web Crypto: Node and the renderer alike). */
export function createItemId(): string {
  const bytes = new Uint8Array(8)
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

function checkIsoDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso
}

export const DossierDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine(checkIsoDate, 'is not a calendar date')

const itemId = z
  .string()
  .regex(ITEM_ID_PATTERN, 'must be 1-64 letters, digits, _ or -')
  .default(() => createItemId())
const recordId = z.string().regex(RECORD_ID_PATTERN, 'must be a record id (32 lower-case hex characters)')
const sourceIds = z.array(z.string().regex(ITEM_ID_PATTERN, 'must be a source id')).max(100).default([])
const nameText = z.string().trim().min(1, 'is empty').max(300)
const shortText = z.string().max(500)
const note = z.string().max(20_000)

export const DossierNamesSchema = z.strictObject({
  /** The name in its original script (e.g. Алесь Бяляцкі). */
  original: nameText,
  transliteration: nameText.optional(),
  otherSpellings: z.array(nameText).max(50).default([]),
  aliases: z.array(nameText).max(50).default([]),
})
export type DossierNames = z.infer<typeof DossierNamesSchema>

export const BirthSchema = z
  .strictObject({
    date: DossierDateSchema.optional(),
    year: z.number().int().min(1850).max(2200).optional(),
    approximate: z.boolean().optional(),
  })
  .superRefine((birth, ctx) => {
    if (birth.date !== undefined && birth.year !== undefined && Number(birth.date.slice(0, 4)) !== birth.year) {
      ctx.addIssue({ code: 'custom', message: 'does not match the year of the birth date', path: ['year'] })
    }
  })
export type Birth = z.infer<typeof BirthSchema>

export const StatusEventSchema = z.strictObject({
  id: itemId,
  date: DossierDateSchema,
  status: z.enum(DOSSIER_STATUSES),
  note: note.optional(),
  sourceIds,
})
export type StatusEvent = z.infer<typeof StatusEventSchema>

export const DetentionSchema = z.strictObject({
  id: itemId,
  facility: shortText,
  location: shortText.default(''),
  from: DossierDateSchema.optional(),
  to: DossierDateSchema.optional(),
  sourceIds,
})
export type Detention = z.infer<typeof DetentionSchema>

export const ChargeSchema = z.strictObject({
  id: itemId,
  /** The article of the criminal code, as written (e.g. "Art. 111 Criminal Code of the Russian Federation"). */
  article: z.string().trim().min(1, 'is empty').max(500),
  court: shortText.optional(),
  date: DossierDateSchema.optional(),
  sentence: shortText.optional(),
  sourceIds,
})
export type Charge = z.infer<typeof ChargeSchema>

export const VulnerabilitySchema = z.strictObject({
  ill: z.boolean().default(false),
  /** Medical detail: sensitive, removed by redactDossier unless medical information is asked for. */
  medicalNote: note.optional(),
  elderly: z.boolean().default(false),
  disabled: z.boolean().default(false),
  minor: z.boolean().default(false),
  incommunicado: z.boolean().default(false),
  severeConditions: z.boolean().default(false),
  lastReliableNews: DossierDateSchema.optional(),
  sourceIds,
})
export type Vulnerability = z.infer<typeof VulnerabilitySchema>

export const SourceSchema = z.strictObject({
  id: itemId,
  type: z.enum(SOURCE_TYPES),
  name: z.string().trim().min(1, 'is empty').max(500),
  /** A library document (vault record id) the information comes from. */
  documentId: recordId.optional(),
  date: DossierDateSchema.optional(),
  reliability: z.enum(SOURCE_RELIABILITY).optional(),
  /** Credibility of the information 1 (confirmed) … 6 (cannot be judged). */
  credibility: z.number().int().min(1).max(6).optional(),
})
export type DossierSource = z.infer<typeof SourceSchema>

export const FamilyContactSchema = z.strictObject({
  name: nameText,
  relation: z.string().trim().min(1, 'is empty').max(200),
  phone: z.string().max(100).optional(),
  email: z.string().max(320).optional(),
  address: z.string().max(1000).optional(),
  note: note.optional(),
})
export type FamilyContact = z.infer<typeof FamilyContactSchema>

export const TimelineEntrySchema = z.strictObject({
  id: itemId,
  date: DossierDateSchema,
  description: z.string().trim().min(1, 'is empty').max(20_000),
  documentIds: z.array(recordId).max(200).default([]),
  attachmentIds: z.array(recordId).max(200).default([]),
})
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>

/** A custom field value: text, date and choice (a vocabulary entry id) are strings; number is a number. */
export const CustomFieldValueSchema = z.union([z.string().max(20_000), z.number().finite()])
export type CustomFieldValue = z.infer<typeof CustomFieldValueSchema>

const uniqueIds = <T extends { id: string }>(items: T[], ctx: z.RefinementCtx, key: string): void => {
  const seen = new Set<string>()
  items.forEach((item, index) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: 'repeats an id used earlier in the list', path: [key, index, 'id'] })
    seen.add(item.id)
  })
}

export const DossierSchema = z
  .strictObject({
    names: DossierNamesSchema,
    birth: BirthSchema.prefault({}),
    gender: z.enum(GENDERS).default('unknown'),
    citizenship: z.array(z.string().trim().min(1, 'is empty').max(100)).max(10).default([]),
    /** A region label, normally picked from the 'regions' vocabulary (e.g. "Zaporizhzhia oblast (temporarily occupied)"). */
    homeRegion: z.string().max(300).default(''),
    category: z.enum(DOSSIER_CATEGORIES),
    /** An attachment of this dossier's record. */
    photoAttachmentId: recordId.optional(),
    statusHistory: z.array(StatusEventSchema).max(1000).default([]),
    detentions: z.array(DetentionSchema).max(500).default([]),
    charges: z.array(ChargeSchema).max(500).default([]),
    vulnerability: VulnerabilitySchema.prefault({}),
    sources: z.array(SourceSchema).max(1000).default([]),
    consent: z.enum(CONSENT_LEVELS).default('internal'),
    /** Named partners who may receive the dossier when consent is 'partners'. */
    sharePartners: z.array(z.string().trim().min(1, 'is empty').max(200)).max(100).default([]),
    /** Extra sensitive: left out of everything produced for others unless explicitly asked for. */
    family: z.strictObject({ contacts: z.array(FamilyContactSchema).max(50).default([]) }).prefault({}),
    timeline: z.array(TimelineEntrySchema).max(5000).default([]),
    /** Values by custom field id (see shared/dossiers/dossierSchema.ts); unknown ids are kept and flagged. */
    customFields: z.record(z.string().regex(ITEM_ID_PATTERN, 'is not a field id'), CustomFieldValueSchema).default({}),
  })
  .superRefine((d, ctx) => {
    uniqueIds(d.statusHistory, ctx, 'statusHistory')
    uniqueIds(d.detentions, ctx, 'detentions')
    uniqueIds(d.charges, ctx, 'charges')
    uniqueIds(d.sources, ctx, 'sources')
    uniqueIds(d.timeline, ctx, 'timeline')
    // Every citation must point at a source of this dossier, so a fact never cites something that is not there.
    const known = new Set(d.sources.map((s) => s.id))
    const check = (ids: string[], path: (string | number)[]): void => {
      ids.forEach((id, i) => {
        if (!known.has(id))
          ctx.addIssue({ code: 'custom', message: 'cites a source id that is not in sources', path: [...path, 'sourceIds', i] })
      })
    }
    d.statusHistory.forEach((e, i) => check(e.sourceIds, ['statusHistory', i]))
    d.detentions.forEach((e, i) => check(e.sourceIds, ['detentions', i]))
    d.charges.forEach((e, i) => check(e.sourceIds, ['charges', i]))
    check(d.vulnerability.sourceIds, ['vulnerability'])
    d.detentions.forEach((e, i) => {
      if (e.from !== undefined && e.to !== undefined && e.to < e.from)
        ctx.addIssue({ code: 'custom', message: 'ends before it starts', path: ['detentions', i, 'to'] })
    })
    if (d.consent === 'partners' && d.sharePartners.length === 0) {
      ctx.addIssue({ code: 'custom', message: "names no partner although consent is 'partners'", path: ['sharePartners'] })
    }
  })
export type Dossier = z.infer<typeof DossierSchema>
export type DossierInput = z.input<typeof DossierSchema>

/** A dossier with its vault record id (what lists, consent filters and annexes work on). */
export interface IdentifiedDossier {
  readonly id: string
  readonly dossier: Dossier
}

/** Formats a zod path as a JSON path: `$.statusHistory[0].date` (prefix `$[2]` for the third entry of an array). */
export function formatJsonPath(path: readonly PropertyKey[], prefix = '$'): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), prefix)
}

/** "path: message" for every issue, never echoing the offending values. */
export function formatDossierIssues(error: z.ZodError, prefix = '$'): string {
  return error.issues.map((issue) => `${formatJsonPath(issue.path, prefix)}: ${issue.message}`).join('; ')
}

/**
 * Validates unknown JSON as a dossier, filling defaults and generating missing item ids. Throws
 * CustodiaError('VALIDATION') whose message names the JSON path of every problem (`$.names.original: is empty`).
 */
export function parseDossier(input: unknown, pathPrefix = '$'): Dossier {
  const parsed = DossierSchema.safeParse(input)
  if (!parsed.success) throw new CustodiaError('VALIDATION', `Invalid dossier: ${formatDossierIssues(parsed.error, pathPrefix)}`)
  return parsed.data
}

/**
 * The current status from a status history: the latest event by date; on the same date the status later in the
 * life cycle (DOSSIER_STATUSES order) wins, so a terminal state (released/exchanged/deceased) beats an earlier one of
 * that day whatever order the events were entered in. An empty history → 'unknown'.
 */
export function deriveCurrentStatus(history: readonly Pick<StatusEvent, 'date' | 'status'>[]): CurrentStatus {
  return findCurrentStatusEvent(history)?.status ?? 'unknown'
}

/** The event that sets the current status (see deriveCurrentStatus): its date is "since when"; undefined when empty. */
export function findCurrentStatusEvent<E extends Pick<StatusEvent, 'date' | 'status'>>(history: readonly E[]): E | undefined {
  let best: E | undefined
  for (const event of history) {
    if (
      best === undefined ||
      event.date > best.date ||
      (event.date === best.date && DOSSIER_STATUSES.indexOf(event.status) > DOSSIER_STATUSES.indexOf(best.status))
    ) {
      best = event
    }
  }
  return best
}

/** Every name form of a person: original, transliteration, other spellings and aliases (duplicates removed). */
export function listNameForms(names: Pick<DossierNames, 'original' | 'transliteration' | 'otherSpellings' | 'aliases'>): string[] {
  const forms = [names.original, ...(names.transliteration ? [names.transliteration] : []), ...names.otherSpellings, ...names.aliases]
  return [...new Set(forms)]
}

/** The birth year if known (from the date or the year). */
export function readBirthYear(birth: Birth): number | null {
  if (birth.year !== undefined) return birth.year
  if (birth.date !== undefined) return Number(birth.date.slice(0, 4))
  return null
}
