// Shared (main and the fields & vocabularies editor): renaming a dossier vocabulary itself. The id stays, so every
// choice field backed by it and every stored value keep their meaning; only the label people read changes.
import { CustodiaError } from '../errors'
import { parseDossierSchemaConfig, type DossierSchemaConfig } from './dossierSchema'

/** The longest vocabulary label: the same limit as field and entry labels (dossierSchema.ts). */
export const MAX_VOCABULARY_LABEL = 200

/**
 * A copy of `schema` where vocabulary `vocabularyId` is called `newLabel` (trimmed); the input is not changed.
 * Empty or whitespace-only, or longer than MAX_VOCABULARY_LABEL → VALIDATION; unknown id → NOT_FOUND. Labels need
 * not be unique (they never were: adding a vocabulary does not require it).
 */
export function renameVocabulary(schema: DossierSchemaConfig, vocabularyId: string, newLabel: string): DossierSchemaConfig {
  if (typeof newLabel !== 'string') throw new CustodiaError('VALIDATION', 'A vocabulary label must be text')
  const label = newLabel.trim()
  if (label === '') throw new CustodiaError('VALIDATION', 'A vocabulary label cannot be empty')
  if (label.length > MAX_VOCABULARY_LABEL)
    throw new CustodiaError('VALIDATION', `A vocabulary label can have at most ${MAX_VOCABULARY_LABEL} characters`)
  if (!schema.vocabularies.some((v) => v.id === vocabularyId)) throw new CustodiaError('NOT_FOUND', 'No vocabulary with this id')
  return parseDossierSchemaConfig({
    ...schema,
    vocabularies: schema.vocabularies.map((v) => (v.id === vocabularyId ? { ...v, label } : v)),
  })
}
