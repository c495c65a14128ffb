// Shared (renderer and main): the legal-basis vocabulary annotations are classified with. This is the shipped
// default list; users may edit their own copy later, so ids are stable slugs (`gc4-art49`) that never change meaning.
import { z } from 'zod'
import { CustodiaError } from '../errors'

export const LegalBasisEntrySchema = z.strictObject({
  /** Stable slug: instrument + article, e.g. `gc4-art49`. */
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'legal basis id must be a lowercase slug')
    .max(64),
  /** Short label shown on annotation chips, e.g. "GC IV art. 49". */
  label: z.string().min(1).max(40),
  /** Full title of the instrument. */
  title: z.string().min(1).max(300),
  /** Article number as written in the instrument. */
  article: z.string().min(1).max(20),
  /** The article's subject, as headed in the instrument or its official commentary. */
  heading: z.string().min(1).max(200),
})
export type LegalBasisEntry = z.infer<typeof LegalBasisEntrySchema>

const GC3 = 'Geneva Convention (III) relative to the Treatment of Prisoners of War, 12 August 1949'
const GC4 = 'Geneva Convention (IV) relative to the Protection of Civilian Persons in Time of War, 12 August 1949'
const AP1 =
  'Protocol Additional to the Geneva Conventions of 12 August 1949, and relating to the Protection of Victims of ' +
  'International Armed Conflicts (Protocol I), 8 June 1977'
const ICCPR = 'International Covenant on Civil and Political Rights, 16 December 1966'
const ECHR = 'Convention for the Protection of Human Rights and Fundamental Freedoms (European Convention on Human Rights), 4 November 1950'
const CRC = 'Convention on the Rights of the Child, 20 November 1989'
const ICPPED = 'International Convention for the Protection of All Persons from Enforced Disappearance, 20 December 2006'
const ROME = 'Rome Statute of the International Criminal Court, 17 July 1998'

function defineEntry(prefix: string, short: string, title: string, article: string, heading: string): LegalBasisEntry {
  return { id: `${prefix}-art${article}`, label: `${short} art. ${article}`, title, article, heading }
}

/** The default vocabulary, in the order the picker shows it. Frozen: copy it to edit. */
export const DEFAULT_LEGAL_BASES: readonly LegalBasisEntry[] = Object.freeze(
  [
    defineEntry('gc3', 'GC III', GC3, '13', 'Humane treatment of prisoners'),
    defineEntry('gc3', 'GC III', GC3, '17', 'Questioning of prisoners'),
    defineEntry('gc3', 'GC III', GC3, '70', 'Capture card'),
    defineEntry('gc3', 'GC III', GC3, '71', 'Correspondence'),
    defineEntry('gc3', 'GC III', GC3, '118', 'Release and repatriation at the close of hostilities'),
    defineEntry('gc4', 'GC IV', GC4, '27', 'Treatment: general observations'),
    defineEntry('gc4', 'GC IV', GC4, '31', 'Prohibition of coercion'),
    defineEntry('gc4', 'GC IV', GC4, '32', 'Prohibition of corporal punishment, torture, etc.'),
    defineEntry('gc4', 'GC IV', GC4, '33', 'Individual responsibility, collective penalties, pillage, reprisals'),
    defineEntry('gc4', 'GC IV', GC4, '49', 'Deportations, transfers, evacuations'),
    defineEntry('gc4', 'GC IV', GC4, '76', 'Treatment of detainees'),
    defineEntry('gc4', 'GC IV', GC4, '78', 'Security measures: internment and assigned residence, right of appeal'),
    defineEntry('gc4', 'GC IV', GC4, '147', 'Grave breaches'),
    defineEntry('ap1', 'AP I', AP1, '75', 'Fundamental guarantees'),
    defineEntry('ap1', 'AP I', AP1, '85', 'Repression of breaches of this Protocol'),
    defineEntry('iccpr', 'ICCPR', ICCPR, '7', 'Prohibition of torture and cruel, inhuman or degrading treatment'),
    defineEntry('iccpr', 'ICCPR', ICCPR, '9', 'Liberty and security of person; no arbitrary arrest or detention'),
    defineEntry('iccpr', 'ICCPR', ICCPR, '14', 'Equality before the courts and the right to a fair trial'),
    defineEntry('iccpr', 'ICCPR', ICCPR, '19', 'Freedom of opinion and expression'),
    defineEntry('echr', 'ECHR', ECHR, '3', 'Prohibition of torture'),
    defineEntry('echr', 'ECHR', ECHR, '5', 'Right to liberty and security'),
    defineEntry('echr', 'ECHR', ECHR, '6', 'Right to a fair trial'),
    defineEntry('echr', 'ECHR', ECHR, '10', 'Freedom of expression'),
    defineEntry('crc', 'CRC', CRC, '8', 'Preservation of identity'),
    defineEntry('crc', 'CRC', CRC, '9', 'Separation from parents; contact with both parents'),
    defineEntry('crc', 'CRC', CRC, '20', 'Children deprived of their family environment'),
    defineEntry('crc', 'CRC', CRC, '38', 'Children in armed conflicts'),
    defineEntry('icpped', 'ICPPED', ICPPED, '2', 'Definition of enforced disappearance'),
    defineEntry('icpped', 'ICPPED', ICPPED, '17', 'Prohibition of secret detention; guarantees for persons deprived of liberty'),
    defineEntry('icpped', 'ICPPED', ICPPED, '24', 'Rights of victims: truth, reparation, fate of the disappeared'),
    defineEntry('rome', 'Rome Statute', ROME, '8', 'War crimes'),
  ].map((e) => Object.freeze(e)),
)

/** Validates a (user-edited) vocabulary: every entry well-formed, ids unique. Throws VALIDATION, returns a copy. */
export function parseLegalBasisList(input: unknown): LegalBasisEntry[] {
  const r = z.array(LegalBasisEntrySchema).max(10_000).safeParse(input)
  if (!r.success) throw new CustodiaError('VALIDATION', `legal basis list: ${r.error.issues[0]?.message ?? 'invalid'}`)
  const seen = new Set<string>()
  for (const e of r.data) {
    if (seen.has(e.id)) throw new CustodiaError('VALIDATION', 'legal basis list has a duplicate id')
    seen.add(e.id)
  }
  return r.data
}

/** The entry with this id in `list` (the default vocabulary unless given), or undefined. */
export function findLegalBasis(id: string, list: readonly LegalBasisEntry[] = DEFAULT_LEGAL_BASES): LegalBasisEntry | undefined {
  return list.find((e) => e.id === id)
}
