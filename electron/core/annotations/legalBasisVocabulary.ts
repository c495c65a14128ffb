// Main process / CLI (Node): the vault's editable legal-basis vocabulary — one encrypted record, seeded with
// DEFAULT_LEGAL_BASES on first use. Entries are added, renamed or retired; ids never change or disappear, so an
// annotation classified years ago still names the same article.
import { z } from 'zod'
import { CustodiaError } from '../../../shared/errors'
import { DEFAULT_LEGAL_BASES, LegalBasisEntrySchema, type LegalBasisEntry } from '../../../shared/annotations/legalBasis'
import type { Vault } from '../vault/vault'

export const LEGAL_BASIS_RECORD_KIND = 'legal-basis-vocabulary'

/** One vocabulary entry; a retired entry stays (old annotations show it) but the picker no longer offers it. */
export type VocabularyEntry = LegalBasisEntry & { retired: boolean }

const StoredVocabularySchema = z.strictObject({
  v: z.literal(1),
  entries: z.array(LegalBasisEntrySchema.extend({ retired: z.boolean() })).max(10_000),
})
type StoredVocabulary = z.infer<typeof StoredVocabularySchema>

const MAX_ENTRIES = 10_000

function findVocabularyRecordId(vault: Vault): string | undefined {
  // There is one; if a crash or a merge ever left two, the oldest (lowest change sequence) wins, deterministically.
  const rows = vault.listRecords({ kind: LEGAL_BASIS_RECORD_KIND }).sort((a, b) => a.changeSeq - b.changeSeq)
  return rows[0]?.id
}

function readStored(vault: Vault, id: string): { revision: number; data: StoredVocabulary } {
  const record = vault.getRecord(id)
  const parsed = StoredVocabularySchema.safeParse(record.body)
  if (!parsed.success) throw new CustodiaError('CORRUPT', 'The legal-basis vocabulary record is malformed')
  return { revision: record.revision, data: parsed.data }
}

/** Every entry, in picker order (retired ones included, flagged). Seeds the vocabulary record on first use. */
export function listLegalBases(vault: Vault): VocabularyEntry[] {
  const id = findVocabularyRecordId(vault)
  if (id !== undefined) return readStored(vault, id).data.entries
  const entries = DEFAULT_LEGAL_BASES.map((e) => ({ ...e, retired: false }))
  vault.createRecord(LEGAL_BASIS_RECORD_KIND, { summary: { entries: entries.length }, body: { v: 1, entries } })
  vault.audit.append('legal_basis.seeded', { entries: entries.length })
  return entries
}

function writeEntries(vault: Vault, entries: VocabularyEntry[], event: string, entryId: string): VocabularyEntry[] {
  listLegalBases(vault)
  const id = findVocabularyRecordId(vault) as string
  const { revision } = readStored(vault, id)
  vault.updateRecord(id, { summary: { entries: entries.length }, body: { v: 1, entries } }, { expectedRevision: revision })
  vault.audit.append(event, { entry: entryId })
  return entries
}

function parseEntry(input: unknown): LegalBasisEntry {
  const r = LegalBasisEntrySchema.safeParse(input)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new CustodiaError('VALIDATION', `legal basis ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`)
  }
  return r.data
}

/** Adds an entry at the end. VALIDATION for a malformed entry, CONFLICT when the id is taken (also by a retired one). */
export function addLegalBasis(vault: Vault, input: unknown): VocabularyEntry[] {
  const entry = parseEntry(input)
  const entries = listLegalBases(vault)
  if (entries.some((e) => e.id === entry.id)) throw new CustodiaError('CONFLICT', 'A legal basis with this id already exists')
  if (entries.length >= MAX_ENTRIES) throw new CustodiaError('VALIDATION', 'The vocabulary is full')
  return writeEntries(vault, [...entries, { ...entry, retired: false }], 'legal_basis.added', entry.id)
}

export interface LegalBasisPatch {
  label?: string
  title?: string
  article?: string
  heading?: string
  retired?: boolean
}

/** Renames (label/title/article/heading) or retires/restores an entry; its id stays. NOT_FOUND, VALIDATION. */
export function updateLegalBasis(vault: Vault, id: string, patch: LegalBasisPatch): VocabularyEntry[] {
  const entries = listLegalBases(vault)
  const index = entries.findIndex((e) => e.id === id)
  if (index === -1) throw new CustodiaError('NOT_FOUND', 'No legal basis with this id')
  const current = entries[index] as VocabularyEntry
  const { retired, ...text } = patch
  if (retired !== undefined && typeof retired !== 'boolean') throw new CustodiaError('VALIDATION', 'retired must be true or false')
  const merged = parseEntry({
    id: current.id,
    label: text.label ?? current.label,
    title: text.title ?? current.title,
    article: text.article ?? current.article,
    heading: text.heading ?? current.heading,
  })
  const next = entries.slice()
  next[index] = { ...merged, retired: retired ?? current.retired }
  const event = retired === true && !current.retired ? 'legal_basis.retired' : 'legal_basis.updated'
  return writeEntries(vault, next, event, id)
}

/** The entry with this id (retired or not), or undefined. */
export function findVocabularyEntry(entries: readonly VocabularyEntry[], id: string): VocabularyEntry | undefined {
  return entries.find((e) => e.id === id)
}
