// Main process / CLI (core, Node only): letter templates of the organisation — built-ins (read-only files) plus user
// templates, which are duplicated from a built-in or imported from JSON and kept encrypted in the vault as records
// of kind 'template'.
import { CustodiaError } from '../../../shared/errors'
import { parseLetterTemplate, type LetterTemplate, type PageSize, type TemplateLanguage } from '../../../shared/letters/templateModel'
import { listUnknownPlaceholders } from '../../../shared/letters/placeholders'
import { duplicateTemplate } from './render/render'
import { buildViewShape } from './render/letterData'
import type { Vault } from '../vault/vault'

export const TEMPLATE_RECORD_KIND = 'template'

/** Largest template JSON file accepted for import (a logo of up to 2 MiB plus the template). */
export const MAX_TEMPLATE_JSON_BYTES = 3 * 1024 * 1024

export interface TemplateListing {
  id: string
  name: string
  description: string
  language: TemplateLanguage
  pageSize: PageSize
  builtIn: boolean
  version: number
}

function describeTemplate(t: LetterTemplate): TemplateListing {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    language: t.language,
    pageSize: t.pageSize,
    builtIn: t.builtIn,
    version: t.version,
  }
}

/** The vault record holding a user template, or undefined. Few templates exist, so a scan of summaries is enough. */
function findTemplateRecord(vault: Vault, templateId: string): { id: string; revision: number } | undefined {
  return vault.listRecords({ kind: TEMPLATE_RECORD_KIND }).find((r) => r.summary['templateId'] === templateId)
}

/** Every template: built-ins first (in their fixed order), then user templates by name. `vault` null = built-ins only. */
export function listLetterTemplates(vault: Vault | null, builtins: readonly LetterTemplate[]): TemplateListing[] {
  const user = vault ? listUserTemplates(vault) : []
  return [...builtins.map(describeTemplate), ...user.map(describeTemplate).sort((a, b) => a.name.localeCompare(b.name))]
}

/** Every user template, decrypted and re-validated (a record that no longer validates is CORRUPT). */
export function listUserTemplates(vault: Vault): LetterTemplate[] {
  return vault.listRecords({ kind: TEMPLATE_RECORD_KIND }).map((r) => readTemplateRecord(vault, r.id))
}

function readTemplateRecord(vault: Vault, recordId: string): LetterTemplate {
  const body = vault.getRecord(recordId).body
  try {
    return parseLetterTemplate(body)
  } catch {
    throw new CustodiaError('CORRUPT', 'A stored letter template no longer matches the template format.')
  }
}

/** A template by id, built-in or user (`vault` null = built-ins only). Throws CustodiaError('NOT_FOUND'). */
export function findLetterTemplate(vault: Vault | null, builtins: readonly LetterTemplate[], templateId: string): LetterTemplate {
  const builtin = builtins.find((t) => t.id === templateId)
  if (builtin) return builtin
  const record = vault ? findTemplateRecord(vault, templateId) : undefined
  if (!record || !vault) throw new CustodiaError('NOT_FOUND', `There is no letter template with the id "${templateId.slice(0, 100)}".`)
  return readTemplateRecord(vault, record.id)
}

/**
 * Saves a user template (unknown input, validated against the template schema): creates its record, or saves a new
 * revision (version + 1) when a user template with that id exists. Throws CustodiaError VALIDATION (schema errors
 * listed by path; a template marked builtIn; a placeholder that names no field, see assertKnownPlaceholders), CONFLICT (the id of a built-in). Nothing is written on error.
 */
export function saveUserTemplate(vault: Vault, builtins: readonly LetterTemplate[], input: unknown): LetterTemplate {
  const template = parseLetterTemplate(input)
  if (template.builtIn) throw new CustodiaError('VALIDATION', 'Built-in templates are read-only: duplicate one to make your own.')
  assertKnownPlaceholders(template)
  if (builtins.some((b) => b.id === template.id)) {
    throw new CustodiaError('CONFLICT', `"${template.id}" is the id of a built-in template: give your template another id.`)
  }
  const existing = findTemplateRecord(vault, template.id)
  if (existing) {
    const current = readTemplateRecord(vault, existing.id)
    const next = { ...template, version: Math.max(current.version, template.version - 1) + 1 }
    vault.updateRecord(existing.id, { summary: summarise(next), body: next }, { expectedRevision: existing.revision })
    return next
  }
  vault.createRecord(TEMPLATE_RECORD_KIND, { summary: summarise(template), body: template })
  return template
}

/**
 * Refuses a template whose Mustache text names something that is neither a field nor a computed name (a typo, or a
 * field that was removed): it would print "[unknown: name]" in every letter. Throws CustodiaError('VALIDATION')
 * naming each unknown placeholder once, with the first block (1-based, and its type) that uses it.
 */
export function assertKnownPlaceholders(template: LetterTemplate): void {
  const shape = buildViewShape(template)
  const found = new Map<string, string>()
  template.blocks.forEach((block, i) => {
    if (block.template === undefined) return
    for (const name of listUnknownPlaceholders(block.template, shape)) {
      if (!found.has(name)) found.set(name, `block ${i + 1}, ${block.type}`)
    }
  })
  if (found.size === 0) return
  const list = [...found].map(([name, where]) => `{{${name.slice(0, 80)}}} (${where})`).join(', ')
  throw new CustodiaError(
    'VALIDATION',
    `The template uses ${found.size === 1 ? 'a placeholder that is not one of its fields' : 'placeholders that are not among its fields'}: ${list}. Add a field of that name, or correct the placeholder.`,
  )
}

function summarise(t: LetterTemplate): Record<string, unknown> {
  return { templateId: t.id, name: t.name, language: t.language, version: t.version }
}

/** Duplicates any template (built-in or user) into a new user template "<name> (copy)" and saves it. */
export function duplicateLetterTemplate(vault: Vault, builtins: readonly LetterTemplate[], templateId: string): LetterTemplate {
  const source = findLetterTemplate(vault, builtins, templateId)
  return saveUserTemplate(vault, builtins, duplicateTemplate(source))
}

/** Deletes a user template. Built-ins cannot be deleted (VALIDATION); an unknown id is NOT_FOUND. */
export function deleteUserTemplate(vault: Vault, builtins: readonly LetterTemplate[], templateId: string): void {
  if (builtins.some((b) => b.id === templateId)) throw new CustodiaError('VALIDATION', 'Built-in templates cannot be deleted.')
  const record = findTemplateRecord(vault, templateId)
  if (!record) throw new CustodiaError('NOT_FOUND', `There is no user template with the id "${templateId.slice(0, 100)}".`)
  vault.deleteRecord(record.id)
}

/**
 * Imports a template from the text of a JSON file. It becomes a user template (builtIn false, version 1).
 * Throws CustodiaError: VALIDATION for text that is not JSON, a template that fails the schema (the message lists
 * every failing path) or uses an unknown placeholder (named), CONFLICT when a built-in or user template already has its id. Nothing changes on error.
 */
export function importUserTemplate(vault: Vault, builtins: readonly LetterTemplate[], jsonText: string): LetterTemplate {
  if (Buffer.byteLength(jsonText, 'utf8') > MAX_TEMPLATE_JSON_BYTES) {
    throw new CustodiaError('VALIDATION', 'The template file is larger than 3 MiB.')
  }
  let json: unknown
  try {
    json = JSON.parse(jsonText)
  } catch {
    throw new CustodiaError('VALIDATION', 'The template file is not valid JSON.')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CustodiaError('VALIDATION', 'The template file must hold one JSON object.')
  }
  const template = parseLetterTemplate({ ...(json as Record<string, unknown>), builtIn: false, version: 1 })
  if (builtins.some((b) => b.id === template.id) || findTemplateRecord(vault, template.id)) {
    throw new CustodiaError(
      'CONFLICT',
      `A template with the id "${template.id}" already exists: change the id in the file, or delete the existing template.`,
    )
  }
  return saveUserTemplate(vault, builtins, template)
}

/** The JSON text of a template for export (2-space indented, trailing newline); importUserTemplate reads it back. */
export function exportTemplateJson(template: LetterTemplate): string {
  return `${JSON.stringify(parseLetterTemplate(template), null, 2)}\n`
}
