// Main process (core, Node only): loads the built-in letter templates (resources/templates/*.json), validates and
// freezes them; duplicateTemplate gives an editable copy.
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { CustodiaError } from '../../../../shared/errors'
import { parseLetterTemplate, type LetterTemplate } from '../../../../shared/letters/templateModel'

/** The built-ins, in the order they are offered. Each is `<id>.json` in the templates folder. */
export const BUILTIN_TEMPLATE_IDS = [
  'head-of-government-letter',
  'coalition-letter',
  'joint-statement',
  'press-release',
  'standpoint',
] as const

/** Freezes an object graph in place, so a built-in can't be edited by accident anywhere it is shared. */
function freezeDeep<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) freezeDeep(child)
  }
  return value
}

/**
 * Reads and validates every built-in from `templatesDir` (the app's resources/templates). Each must say
 * builtIn: true and carry its file's id. Returns deeply frozen templates. Throws CustodiaError: NOT_FOUND for a
 * missing file, CORRUPT for unreadable JSON or a template that fails the schema (the message names the template and
 * the failing paths, never the folder).
 */
export function loadBuiltinTemplates(templatesDir: string): readonly LetterTemplate[] {
  const templates = BUILTIN_TEMPLATE_IDS.map((id) => {
    let json: unknown
    try {
      json = JSON.parse(fs.readFileSync(path.join(templatesDir, `${id}.json`), 'utf8'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CustodiaError('NOT_FOUND', `built-in template ${id} is missing`)
      }
      throw new CustodiaError('CORRUPT', `built-in template ${id} is not readable JSON`)
    }
    let template: LetterTemplate
    try {
      template = parseLetterTemplate(json)
    } catch (error) {
      throw new CustodiaError('CORRUPT', `built-in template ${id}: ${(error as Error).message}`)
    }
    if (template.id !== id || !template.builtIn) {
      throw new CustodiaError('CORRUPT', `built-in template ${id} must have id "${id}" and builtIn: true`)
    }
    return freezeDeep(template)
  })
  return Object.freeze(templates)
}

/**
 * Returns an editable deep copy of `template` with a new id (or `newId`), builtIn: false and version 1, named
 * "<name> (copy)". The original is untouched. Throws CustodiaError('VALIDATION') for an invalid template or id.
 */
export function duplicateTemplate(template: LetterTemplate, newId?: string): LetterTemplate {
  const copy = structuredClone(parseLetterTemplate(template)) as LetterTemplate
  return parseLetterTemplate({
    ...copy,
    id: newId ?? `${template.id.slice(0, 50)}-${randomUUID()}`,
    name: `${copy.name} (copy)`.slice(0, 500),
    version: 1,
    builtIn: false,
  })
}
