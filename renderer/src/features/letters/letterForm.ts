// Renderer: pure helpers of the letter form — empty values per field type, and cleaning what a person typed into
// the data main validates (blank strings and nameless people are left out, so they count as "not filled in").
import type { FieldDef, LetterTemplate, Signatory } from '../../../../shared/letters/templateModel'
import { t } from '../../i18n/intl'

export type FormData = Record<string, unknown>

/** Person keys edited in the form, in the order shown. */
export const PERSON_KEYS = ['name', 'honorific', 'title', 'organisation', 'email', 'salutation'] as const
export const PERSON_LABELS: Record<(typeof PERSON_KEYS)[number], string> = {
  name: t('letters.letterForm.name'),
  honorific: t('letters.letterForm.honorific'),
  title: t('letters.letterForm.title'),
  organisation: t('letters.letterForm.organisation'),
  email: 'E-mail',
  salutation: t('letters.letterForm.salutation'),
}

export function createEmptyPerson(): Signatory {
  return { name: '' }
}

/** Dossier-list fields are filled by the dossier picker (it needs the API); every other type by FieldInput. */
export function isDossierField(field: FieldDef): boolean {
  return field.type === 'dossierList'
}

function cleanPerson(p: Signatory): Signatory | null {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(p)) {
    if (typeof value === 'string') {
      if (value.trim() !== '') out[key] = value
    } else if (Array.isArray(value)) {
      const items = (value as unknown[]).filter((v) => typeof v === 'string' && v.trim() !== '')
      if (items.length > 0) out[key] = items
    } else if (value !== undefined) out[key] = value
  }
  return typeof out['name'] === 'string' ? (out as Signatory) : null
}

/** True when rich text HTML holds no text (TipTap's empty document is "<p></p>"). */
function isBlankHtml(html: string): boolean {
  return (
    html
      .replace(/<[^>]*>/g, '')
      .replace(/&nbsp;/g, ' ')
      .trim() === ''
  )
}

/** The data to send to main: only the template's fields, with empty values left out. */
export function cleanLetterData(template: LetterTemplate, data: FormData): FormData {
  const out: FormData = {}
  for (const field of template.fields) {
    const value = data[field.name]
    if (value === undefined || value === null) continue
    switch (field.type) {
      case 'text':
      case 'multiline':
      case 'date':
        if (typeof value === 'string' && value.trim() !== '') out[field.name] = value
        break
      case 'richtext':
        if (typeof value === 'string' && !isBlankHtml(value)) out[field.name] = value
        break
      case 'person': {
        const person = cleanPerson(value as Signatory)
        if (person) out[field.name] = person
        break
      }
      case 'persons': {
        const people = (value as Signatory[]).map(cleanPerson).filter((p): p is Signatory => p !== null)
        if (people.length > 0) out[field.name] = people
        break
      }
      default: {
        const items = (value as unknown[]).filter((v) => typeof v === 'string' && v.trim() !== '')
        if (items.length > 0) out[field.name] = items
      }
    }
  }
  return out
}

/** Every person of the template's recipients field (for mail merge). */
export function countRecipients(template: LetterTemplate, data: FormData): number {
  const block = template.blocks.find((b) => b.type === 'recipients')
  if (!block || block.type !== 'recipients') return 0
  const value = cleanLetterData(template, data)[block.field]
  return Array.isArray(value) ? value.length : value ? 1 : 0
}
