// Shared by every process: which parts of a dossier are sensitive — family contacts, the medical note, the sources and
// every citation of them — and how a dossier splits into its open part and its sensitive part and joins again. The
// open part is exactly what redactDossier(…, REDACT_ALL) keeps, so it is a valid dossier on its own; the sensitive part
// is stored apart under a key only roles allowed to read it hold (docs/CRYPTO.md §16).
import { z } from 'zod'
import { CustodiaError } from '../errors'
import { REDACT_ALL, redactDossier } from './consent'
import { DOSSIER_RECORD_KIND, FamilyContactSchema, parseDossier, SourceSchema, type Dossier } from './dossier'

const citations = z.record(z.string(), z.array(z.string()).max(1000))

/** The sensitive part of a dossier, as sealed apart. `cites`: sourceIds of each fact, by the fact's item id. */
export const DossierSensitivePartSchema = z.strictObject({
  v: z.literal(1),
  familyContacts: z.array(FamilyContactSchema).max(50),
  medicalNote: z.string().max(20_000).optional(),
  sources: z.array(SourceSchema).max(1000),
  cites: z.strictObject({
    statusHistory: citations,
    detentions: citations,
    charges: citations,
    vulnerability: z.array(z.string()).max(1000),
  }),
})
export type DossierSensitivePart = z.infer<typeof DossierSensitivePartSchema>

const byId = (items: readonly { id: string; sourceIds: string[] }[]): Record<string, string[]> =>
  Object.fromEntries(items.filter((item) => item.sourceIds.length > 0).map((item) => [item.id, [...item.sourceIds]]))

/** Splits a dossier into its open part (a valid dossier without anything sensitive) and its sensitive part. */
export function splitDossier(d: Dossier): { open: Dossier; sensitive: DossierSensitivePart } {
  const sensitive: DossierSensitivePart = {
    v: 1,
    familyContacts: structuredClone(d.family.contacts),
    ...(d.vulnerability.medicalNote !== undefined ? { medicalNote: d.vulnerability.medicalNote } : {}),
    sources: structuredClone(d.sources),
    cites: {
      statusHistory: byId(d.statusHistory),
      detentions: byId(d.detentions),
      charges: byId(d.charges),
      vulnerability: [...d.vulnerability.sourceIds],
    },
  }
  return { open: redactDossier(d, REDACT_ALL), sensitive }
}

/** True when a dossier holds anything sensitive (a contact, a medical note, a source or a citation). */
export function hasSensitiveContent(d: Dossier): boolean {
  return (
    d.family.contacts.length > 0 ||
    d.vulnerability.medicalNote !== undefined ||
    d.sources.length > 0 ||
    d.vulnerability.sourceIds.length > 0 ||
    [...d.statusHistory, ...d.detentions, ...d.charges].some((item) => item.sourceIds.length > 0)
  )
}

/**
 * Joins an open part and a stored sensitive part back into the whole dossier (not yet validated: the caller parses it).
 * Citations of facts removed since are dropped. A sensitive part of the wrong shape → CORRUPT.
 */
export function joinDossier(open: Dossier, stored: unknown): Dossier {
  const parsed = DossierSensitivePartSchema.safeParse(stored)
  if (!parsed.success) throw new CustodiaError('CORRUPT', 'The sensitive part of a stored dossier is malformed')
  const part = parsed.data
  const whole = structuredClone(open)
  whole.family = { contacts: part.familyContacts }
  if (part.medicalNote !== undefined) whole.vulnerability.medicalNote = part.medicalNote
  whole.sources = part.sources
  whole.vulnerability.sourceIds = part.cites.vulnerability
  for (const item of whole.statusHistory) item.sourceIds = part.cites.statusHistory[item.id] ?? []
  for (const item of whole.detentions) item.sourceIds = part.cites.detentions[item.id] ?? []
  for (const item of whole.charges) item.sourceIds = part.cites.charges[item.id] ?? []
  return whole
}

/**
 * A stored record's body as its readers address it (annotations point into fields by JSON pointer): a dossier whose
 * sensitive part opened is joined back; anything else, or a part the reader cannot open, is the body as stored.
 */
export function readWholeBody(record: { kind: string; body: unknown; part?: { state: string; value?: unknown } }): unknown {
  if (record.kind !== DOSSIER_RECORD_KIND || record.part?.state !== 'open') return record.body
  try {
    return joinDossier(parseDossier(record.body), record.part.value)
  } catch {
    return record.body
  }
}
