// Shared by every process: the dossier schema — custom fields and vocabularies an organisation defines for its
// dossiers — and the checks that keep existing dossiers valid when it changes. Stored as ONE vault record of kind
// 'dossier-schema'. Ids are stable: renaming changes a label only, removing retires, so old values keep their meaning.
import { z } from 'zod'
import { CustodiaError } from '../errors'
import { CATEGORY_LABELS } from './labels'
import {
  DOSSIER_CATEGORIES,
  ITEM_ID_PATTERN,
  createItemId,
  formatDossierIssues,
  parseDossier,
  type CustomFieldValue,
  type Dossier,
} from './dossier'

export const DOSSIER_SCHEMA_RECORD_KIND = 'dossier-schema'
export const CUSTOM_FIELD_TYPES = ['text', 'date', 'number', 'choice'] as const
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number]

const id = z.string().regex(ITEM_ID_PATTERN, 'must be 1-64 letters, digits, _ or -')
const label = z.string().trim().min(1, 'is empty').max(200)

export const VocabularyEntrySchema = z.strictObject({ id, label, retired: z.boolean().optional() })
export type VocabularyEntry = z.infer<typeof VocabularyEntrySchema>

export const VocabularySchema = z.strictObject({ id, label, entries: z.array(VocabularyEntrySchema).max(5000) }).superRefine((v, ctx) => {
  const seen = new Set<string>()
  v.entries.forEach((e, i) => {
    if (seen.has(e.id)) ctx.addIssue({ code: 'custom', message: 'repeats an entry id', path: ['entries', i, 'id'] })
    seen.add(e.id)
  })
})
export type Vocabulary = z.infer<typeof VocabularySchema>

export const CustomFieldDefSchema = z
  .strictObject({
    id,
    label,
    type: z.enum(CUSTOM_FIELD_TYPES),
    /** For 'choice' fields: the vocabulary whose entry ids are the allowed values. */
    vocabulary: id.optional(),
    retired: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    if (f.type === 'choice' && f.vocabulary === undefined)
      ctx.addIssue({ code: 'custom', message: 'a choice field needs a vocabulary', path: ['vocabulary'] })
    if (f.type !== 'choice' && f.vocabulary !== undefined)
      ctx.addIssue({ code: 'custom', message: 'only a choice field has a vocabulary', path: ['vocabulary'] })
  })
export type CustomFieldDef = z.infer<typeof CustomFieldDefSchema>

export const DossierSchemaConfigSchema = z
  .strictObject({
    v: z.literal(1),
    fields: z.array(CustomFieldDefSchema).max(500),
    vocabularies: z.array(VocabularySchema).max(100),
  })
  .superRefine((s, ctx) => {
    const vocabIds = new Set<string>()
    s.vocabularies.forEach((v, i) => {
      if (vocabIds.has(v.id)) ctx.addIssue({ code: 'custom', message: 'repeats a vocabulary id', path: ['vocabularies', i, 'id'] })
      vocabIds.add(v.id)
    })
    const fieldIds = new Set<string>()
    s.fields.forEach((f, i) => {
      if (fieldIds.has(f.id)) ctx.addIssue({ code: 'custom', message: 'repeats a field id', path: ['fields', i, 'id'] })
      fieldIds.add(f.id)
      if (f.vocabulary !== undefined && !vocabIds.has(f.vocabulary)) {
        ctx.addIssue({ code: 'custom', message: 'names a vocabulary that does not exist', path: ['fields', i, 'vocabulary'] })
      }
    })
  })
export type DossierSchemaConfig = z.infer<typeof DossierSchemaConfigSchema>

/** The vocabularies every new vault starts with (ids fixed so that code and documentation can refer to them). */
export function createDefaultDossierSchema(): DossierSchemaConfig {
  const regions = [
    'Crimea (temporarily occupied)',
    'Donetsk oblast (temporarily occupied)',
    'Kherson oblast (temporarily occupied)',
    'Luhansk oblast (temporarily occupied)',
    'Zaporizhzhia oblast (temporarily occupied)',
    'Kharkiv oblast',
    'Kyiv',
    'Minsk',
    'Hrodna region',
    'Homel region',
  ]
  const facilities = [
    'SIZO-1 Simferopol',
    'SIZO-2 Taganrog',
    'Penal colony No. 2 Horki',
    'Prison No. 1 Hrodna',
    'Pre-trial detention centre Okrestina, Minsk',
  ]
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 64)
  return {
    v: 1,
    fields: [],
    vocabularies: [
      { id: 'facilities', label: 'Detention facilities', entries: facilities.map((l) => ({ id: slug(l), label: l })) },
      { id: 'regions', label: 'Regions', entries: regions.map((l) => ({ id: slug(l), label: l })) },
      { id: 'categories', label: 'Categories', entries: DOSSIER_CATEGORIES.map((c) => ({ id: c, label: CATEGORY_LABELS[c] })) },
    ],
  }
}

/** Validates unknown JSON as a dossier schema. VALIDATION naming the JSON path of each problem. */
export function parseDossierSchemaConfig(input: unknown): DossierSchemaConfig {
  const parsed = DossierSchemaConfigSchema.safeParse(input)
  if (!parsed.success) throw new CustodiaError('VALIDATION', `Invalid dossier schema: ${formatDossierIssues(parsed.error)}`)
  return parsed.data
}

/**
 * Checks that `next` only evolves `previous` in ways that keep existing dossiers meaningful: no field, vocabulary
 * or entry disappears (retire it instead) and no field changes type or vocabulary. VALIDATION naming the id's path.
 */
export function checkSchemaEvolution(previous: DossierSchemaConfig, next: DossierSchemaConfig): void {
  previous.fields.forEach((old, i) => {
    const now = next.fields.find((f) => f.id === old.id)
    if (!now)
      throw new CustodiaError('VALIDATION', `Invalid dossier schema change: $.fields[${i}]: a field cannot be removed, retire it instead`)
    if (now.type !== old.type || now.vocabulary !== old.vocabulary) {
      throw new CustodiaError(
        'VALIDATION',
        `Invalid dossier schema change: $.fields[${next.fields.indexOf(now)}].type: the type or vocabulary of a field cannot change`,
      )
    }
  })
  previous.vocabularies.forEach((old, i) => {
    const now = next.vocabularies.find((v) => v.id === old.id)
    if (!now) throw new CustodiaError('VALIDATION', `Invalid dossier schema change: $.vocabularies[${i}]: a vocabulary cannot be removed`)
    old.entries.forEach((entry, j) => {
      if (!now.entries.some((e) => e.id === entry.id)) {
        throw new CustodiaError(
          'VALIDATION',
          `Invalid dossier schema change: $.vocabularies[${i}].entries[${j}]: an entry cannot be removed, retire it instead`,
        )
      }
    })
  })
}

function requireField(schema: DossierSchemaConfig, fieldId: string): CustomFieldDef {
  const field = schema.fields.find((f) => f.id === fieldId)
  if (!field) throw new CustodiaError('NOT_FOUND', 'No custom field with this id')
  return field
}

function requireVocabulary(schema: DossierSchemaConfig, vocabularyId: string): Vocabulary {
  const vocab = schema.vocabularies.find((v) => v.id === vocabularyId)
  if (!vocab) throw new CustodiaError('NOT_FOUND', 'No vocabulary with this id')
  return vocab
}

/** Adds a field with a fresh random id. Returns the new schema (the input is not changed) and the field. */
export function addCustomField(
  schema: DossierSchemaConfig,
  def: { label: string; type: CustomFieldType; vocabulary?: string },
): { schema: DossierSchemaConfig; field: CustomFieldDef } {
  const field: CustomFieldDef = {
    id: `f${createItemId()}`,
    label: def.label,
    type: def.type,
    ...(def.vocabulary !== undefined ? { vocabulary: def.vocabulary } : {}),
  }
  const next = parseDossierSchemaConfig({ ...schema, fields: [...schema.fields, field] })
  return { schema: next, field: next.fields[next.fields.length - 1]! }
}

/** Changes only the label: the id, and so every stored value, stays. */
export function renameCustomField(schema: DossierSchemaConfig, fieldId: string, newLabel: string): DossierSchemaConfig {
  requireField(schema, fieldId)
  return parseDossierSchemaConfig({ ...schema, fields: schema.fields.map((f) => (f.id === fieldId ? { ...f, label: newLabel } : f)) })
}

/** "Removes" a field: it is hidden from editors but stored values stay valid and readable. */
export function retireCustomField(schema: DossierSchemaConfig, fieldId: string): DossierSchemaConfig {
  requireField(schema, fieldId)
  return parseDossierSchemaConfig({ ...schema, fields: schema.fields.map((f) => (f.id === fieldId ? { ...f, retired: true } : f)) })
}

/** Adds a vocabulary with a fresh random id. */
export function addVocabulary(schema: DossierSchemaConfig, vocabLabel: string): { schema: DossierSchemaConfig; vocabulary: Vocabulary } {
  const vocabulary: Vocabulary = { id: `v${createItemId()}`, label: vocabLabel, entries: [] }
  const next = parseDossierSchemaConfig({ ...schema, vocabularies: [...schema.vocabularies, vocabulary] })
  return { schema: next, vocabulary: next.vocabularies[next.vocabularies.length - 1]! }
}

/** Adds an entry with a fresh random id to a vocabulary. */
export function addVocabularyEntry(
  schema: DossierSchemaConfig,
  vocabularyId: string,
  entryLabel: string,
): { schema: DossierSchemaConfig; entry: VocabularyEntry } {
  requireVocabulary(schema, vocabularyId)
  const entry: VocabularyEntry = { id: `e${createItemId()}`, label: entryLabel }
  const next = parseDossierSchemaConfig({
    ...schema,
    vocabularies: schema.vocabularies.map((v) => (v.id === vocabularyId ? { ...v, entries: [...v.entries, entry] } : v)),
  })
  return { schema: next, entry }
}

/** Renames (label only) or retires a vocabulary entry. */
export function changeVocabularyEntry(
  schema: DossierSchemaConfig,
  vocabularyId: string,
  entryId: string,
  change: { label?: string; retired?: boolean },
): DossierSchemaConfig {
  const vocab = requireVocabulary(schema, vocabularyId)
  if (!vocab.entries.some((e) => e.id === entryId)) throw new CustodiaError('NOT_FOUND', 'No vocabulary entry with this id')
  return parseDossierSchemaConfig({
    ...schema,
    vocabularies: schema.vocabularies.map((v) =>
      v.id !== vocabularyId ? v : { ...v, entries: v.entries.map((e) => (e.id === entryId ? { ...e, ...change } : e)) },
    ),
  })
}

export type CustomFieldProblem = 'unknown-field' | 'retired-field' | 'wrong-type' | 'unknown-choice' | 'retired-choice'

export interface CustomFieldIssue {
  fieldId: string
  /** JSON path of the value, e.g. `$.customFields.f1a2b`. */
  path: string
  problem: CustomFieldProblem
  /** Errors make a write fail; warnings are kept and shown (unknown ids, retired fields and entries). */
  severity: 'error' | 'warning'
}

function checkValueType(value: CustomFieldValue, field: CustomFieldDef): boolean {
  switch (field.type) {
    case 'number':
      return typeof value === 'number'
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(new Date(`${value}T00:00:00Z`).getTime())
    case 'text':
    case 'choice':
      return typeof value === 'string'
  }
}

/**
 * Checks the custom field values of a dossier against the schema. Unknown ids (a field from another vault, or one
 * defined later) and retired fields/entries are warnings: the values are kept. Wrong types and choices that are not
 * entries of the field's vocabulary are errors.
 */
export function validateCustomFields(
  customFields: Readonly<Record<string, CustomFieldValue>>,
  schema: DossierSchemaConfig,
): CustomFieldIssue[] {
  const issues: CustomFieldIssue[] = []
  for (const [fieldId, value] of Object.entries(customFields)) {
    const path = `$.customFields.${fieldId}`
    const field = schema.fields.find((f) => f.id === fieldId)
    if (!field) {
      issues.push({ fieldId, path, problem: 'unknown-field', severity: 'warning' })
      continue
    }
    if (field.retired) issues.push({ fieldId, path, problem: 'retired-field', severity: 'warning' })
    if (!checkValueType(value, field)) {
      issues.push({ fieldId, path, problem: 'wrong-type', severity: 'error' })
      continue
    }
    if (field.type === 'choice') {
      const entry = schema.vocabularies.find((v) => v.id === field.vocabulary)?.entries.find((e) => e.id === value)
      if (!entry) issues.push({ fieldId, path, problem: 'unknown-choice', severity: 'error' })
      else if (entry.retired) issues.push({ fieldId, path, problem: 'retired-choice', severity: 'warning' })
    }
  }
  return issues
}

/**
 * Brings a stored dossier body up to the current model (defaults for sections added since it was written) and
 * reports its custom-field issues against the current schema. Nothing is dropped: unknown field ids stay in
 * customFields. A body that is not a dossier at all → VALIDATION naming the path.
 */
export function migrateDossier(dossier: unknown, schema: DossierSchemaConfig): { dossier: Dossier; issues: CustomFieldIssue[] } {
  const current = parseDossier(dossier)
  return { dossier: current, issues: validateCustomFields(current.customFields, schema) }
}

/** Throws VALIDATION naming the path of the first custom-field error (warnings pass). */
export function assertCustomFieldsValid(issues: readonly CustomFieldIssue[]): void {
  const errors = issues.filter((i) => i.severity === 'error')
  if (errors.length > 0) {
    throw new CustodiaError('VALIDATION', `Invalid dossier: ${errors.map((e) => `${e.path}: ${describeProblem(e.problem)}`).join('; ')}`)
  }
}

export function describeProblem(problem: CustomFieldProblem): string {
  switch (problem) {
    case 'unknown-field':
      return 'no custom field with this id (kept)'
    case 'retired-field':
      return 'the custom field is retired (kept)'
    case 'wrong-type':
      return 'the value does not have the type of the field'
    case 'unknown-choice':
      return 'the value is not an entry of the field vocabulary'
    case 'retired-choice':
      return 'the vocabulary entry is retired (kept)'
  }
}
