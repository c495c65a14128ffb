// Main process (core, Node only): checks letter data against a template's fields, and builds the Mustache view
// from it — null-prototype objects of own properties only, so no placeholder can reach a prototype member.
import { CustodiaError } from '../../../../shared/errors'
import {
  FIELD_VALUE_SCHEMAS,
  formatSchemaIssues,
  parseLetterTemplate,
  type FieldDef,
  type LetterData,
  type LetterTemplate,
  type Person,
  type Signatory,
} from '../../../../shared/letters/templateModel'
import { VALUE_SHAPE, createListShape, createObjectShape, type ViewShape } from '../../../../shared/letters/placeholders'
import { LETTER_STRINGS, LETTER_WORD_NAMES } from '../../../../shared/letters/letterStrings'
import { formatLetterDate } from './letterDates'
import { parseRichtext } from './richTextSanitizer'

export type MissingField = { readonly field: string; readonly label: string }
/** A value that does not fit its field; `tooLong` when it is over the field's limit (the message names the limit). */
export type InvalidField = { readonly field: string; readonly message: string; readonly tooLong?: true }
export type LetterDataReport = { readonly missing: MissingField[]; readonly invalid: InvalidField[] }

/** Field values after validation, by field name; an empty field has no entry. */
export type CheckedValues = ReadonlyMap<string, unknown>

/** Returns true when a validated value counts as not filled in. */
function isEmptyValue(field: FieldDef, value: unknown): boolean {
  if (value === undefined || value === null) return true
  switch (field.type) {
    case 'text':
    case 'multiline':
    case 'date':
      return String(value).trim() === ''
    case 'richtext':
      return parseRichtext(String(value)).length === 0
    case 'person':
      return (value as Person).name.trim() === ''
    default:
      return (value as readonly unknown[]).length === 0
  }
}

/**
 * Checks `data` against the template's fields without changing anything: every required field that is empty is
 * listed with its label (in field order), every value of the wrong shape with a message that names the problem but
 * never repeats the value, and every key that is not a field of the template.
 */
export function validateLetterData(template: LetterTemplate, data: LetterData): LetterDataReport {
  return checkLetterData(template, data).report
}

/** Validates data and returns the report together with the values that passed (used by the renderers). */
export function checkLetterData(template: LetterTemplate, data: LetterData): { report: LetterDataReport; values: CheckedValues } {
  const missing: MissingField[] = []
  const invalid: InvalidField[] = []
  const values = new Map<string, unknown>()
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    invalid.push({ field: '(data)', message: 'letter data must be an object of field values' })
    return { report: { missing, invalid }, values }
  }
  const names = new Set(template.fields.map((f) => f.name))
  for (const key of Object.keys(data)) {
    if (!names.has(key)) invalid.push({ field: key, message: 'is not a field of this template' })
  }
  for (const field of template.fields) {
    const raw = Object.hasOwn(data, field.name) ? data[field.name] : undefined
    if (raw !== undefined && raw !== null) {
      const parsed = FIELD_VALUE_SCHEMAS[field.type].safeParse(raw)
      if (!parsed.success) {
        const tooBig = parsed.error.issues.find((issue) => issue.code === 'too_big')
        if (tooBig && tooBig.code === 'too_big') {
          invalid.push({ field: field.name, message: describeTooLong(field, tooBig.path, Number(tooBig.maximum), raw), tooLong: true })
        } else {
          invalid.push({ field: field.name, message: formatSchemaIssues(parsed.error) })
        }
        continue
      }
      if (field.type === 'persons' && (parsed.data as Signatory[]).some((p) => p.name.trim() === '')) {
        invalid.push({ field: field.name, message: 'every person needs a name' })
        continue
      }
      if (!isEmptyValue(field, parsed.data)) {
        values.set(field.name, parsed.data)
        continue
      }
    }
    if (field.required) missing.push({ field: field.name, label: field.label })
  }
  return { report: { missing, invalid }, values }
}

/** What a list field holds, in words, for "can hold at most 200 people". */
const LIST_UNITS: Readonly<Partial<Record<FieldDef['type'], string>>> = {
  persons: 'people',
  requests: 'items',
  organisations: 'organisations',
  dossierList: 'cases',
}
/** The parts of a person, in words. */
const PERSON_PARTS: Readonly<Record<string, string>> = {
  honorific: 'honorific',
  name: 'name',
  title: 'title',
  organisation: 'organisation',
  email: 'e-mail address',
  salutation: 'salutation',
  credentials: 'list of credentials',
  signature: 'signature image',
}

/**
 * "can hold at most 2,000 characters (this has 2,345)", or for a part of the value "person 3: the title can hold at
 * most 500 characters". Counts only, never the value itself.
 */
function describeTooLong(field: FieldDef, path: readonly PropertyKey[], maximum: number, raw: unknown): string {
  const count = (n: number): string => n.toLocaleString('en-GB')
  // Walk to the value that is too long, to say how long it is.
  let value: unknown = raw
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined
  const isList = Array.isArray(value)
  const unit = isList ? (path.length === 0 ? (LIST_UNITS[field.type] ?? 'entries') : 'entries') : 'characters'
  const length = isList ? (value as unknown[]).length : typeof value === 'string' ? value.length : undefined
  const limit = `can hold at most ${count(maximum)} ${unit}${length !== undefined ? ` (this has ${count(length)})` : ''}`
  if (path.length === 0) return limit
  const [first, second, third] = path
  if (field.type === 'persons' && typeof first === 'number') {
    const part = typeof second === 'string' ? (PERSON_PARTS[second] ?? second) : 'entry'
    const where = typeof third === 'number' ? `${part}, entry ${third + 1}` : part
    return `person ${first + 1}: the ${where} ${limit}`
  }
  if (field.type === 'person' && typeof first === 'string') return `the ${PERSON_PARTS[first] ?? first} ${limit}`
  if (typeof first === 'number') return `entry ${first + 1} ${limit}`
  return limit
}

/**
 * Validates a template (unknown input, e.g. from IPC) and data for rendering. Invalid data always throws
 * CustodiaError('VALIDATION') listing each field; missing required fields throw only when `strict` (exports),
 * since the live preview must show an incomplete letter.
 */
export function prepareLetter(
  templateInput: LetterTemplate,
  data: LetterData,
  strict: boolean,
): { template: LetterTemplate; values: CheckedValues; missing: MissingField[] } {
  const template = parseLetterTemplate(templateInput)
  const { report, values } = checkLetterData(template, data)
  if (report.invalid.length > 0) {
    const labels = new Map(template.fields.map((f) => [f.name, f.label]))
    throw new CustodiaError(
      'VALIDATION',
      `invalid letter data: ${report.invalid.map((i) => `${labels.get(i.field) ?? i.field}: ${i.message}`).join('; ')}`,
    )
  }
  if (strict && report.missing.length > 0) {
    throw new CustodiaError('VALIDATION', `required fields are empty: ${report.missing.map((m) => m.label).join(', ')}`)
  }
  return { template, values, missing: report.missing }
}

// ---- the Mustache view ---------------------------------------------------------------------------------------

/** A view object: no prototype, so only the keys we put in exist. */
export type ViewObject = { [key: string]: ViewValue }
export type ViewValue = string | ViewObject | readonly ViewValue[]

/** Creates a null-prototype object holding only the given own properties. */
export function createViewObject(entries: Iterable<readonly [string, ViewValue]>): ViewObject {
  const object = Object.create(null) as ViewObject
  for (const [key, value] of entries) object[key] = value
  return object
}

/** Creates a list Mustache can iterate (Array.isArray holds) that has no Array.prototype behind it. */
export function createViewList(items: readonly ViewValue[]): readonly ViewValue[] {
  const list = [...items]
  Object.setPrototypeOf(list, null)
  return list
}

const PERSON_KEYS = ['honorific', 'name', 'title', 'organisation', 'email', 'salutation'] as const

export const PERSON_SHAPE: ViewShape = createObjectShape([
  ...PERSON_KEYS.map((key) => [key, VALUE_SHAPE] as const),
  ['credentials', createListShape(VALUE_SHAPE)],
])

const LETTERHEAD_SHAPE: ViewShape = createObjectShape(['organisation', 'address', 'contact'].map((key) => [key, VALUE_SHAPE] as const))

/** `{{words.statement}}` and the other fixed words of the letter's language (shared/letters/letterStrings.ts). */
const WORDS_SHAPE: ViewShape = createObjectShape(LETTER_WORD_NAMES.map((key) => [key, VALUE_SHAPE] as const))

/**
 * The view name of the fixed words. Not a reserved field name (templates saved before it existed may have a field
 * called so): a field of that name shadows the words.
 */
const WORDS_NAME = 'words'

/** Builds a person for the view: every key present (empty string when unset), so lookups never fall through. */
export function createPersonView(person: Signatory | undefined): ViewObject {
  return createViewObject([
    ...PERSON_KEYS.map((key) => [key, person?.[key] ?? ''] as const),
    ['credentials', createViewList(person?.credentials ?? [])],
  ])
}

/** Returns a field's persons as a list, whether the field holds one person or several. */
export function readPersons(value: unknown): Signatory[] {
  if (value === undefined) return []
  return Array.isArray(value) ? (value as Signatory[]) : [value as Signatory]
}

/** The view's top-level shape: every field by name plus the computed names. */
export function buildViewShape(template: LetterTemplate): ViewShape {
  const entries: (readonly [string, ViewShape])[] = template.fields.map((field) => {
    switch (field.type) {
      case 'person':
        return [field.name, PERSON_SHAPE] as const
      case 'persons':
        return [field.name, createListShape(PERSON_SHAPE)] as const
      case 'requests':
      case 'organisations':
      case 'dossierList':
        return [field.name, createListShape(VALUE_SHAPE)] as const
      default:
        return [field.name, VALUE_SHAPE] as const
    }
  })
  entries.push(['letterhead', LETTERHEAD_SHAPE], ['recipient', PERSON_SHAPE], ['salutation', VALUE_SHAPE])
  if (!template.fields.some((f) => f.name === WORDS_NAME)) entries.push([WORDS_NAME, WORDS_SHAPE])
  return createObjectShape(entries)
}

/**
 * Builds the view: dates formatted in the template's language, rich text as its plain text, persons with every key.
 * An empty required scalar field shows as "[missing: Label]" rather than a blank.
 */
export function buildView(
  template: LetterTemplate,
  values: CheckedValues,
  computed: { recipient: Signatory | undefined; salutation: string; missingMarker: (label: string) => string },
): ViewObject {
  const entries: (readonly [string, ViewValue])[] = template.fields.map((field) => {
    const value = values.get(field.name)
    switch (field.type) {
      case 'person':
        return [field.name, createPersonView(value as Signatory | undefined)] as const
      case 'persons':
        return [field.name, createViewList(readPersons(value).map(createPersonView))] as const
      case 'requests':
      case 'organisations':
      case 'dossierList':
        return [field.name, createViewList((value as string[] | undefined) ?? [])] as const
      case 'date':
        return [
          field.name,
          value === undefined ? emptyScalar(field, computed.missingMarker) : formatLetterDate(String(value), template.language),
        ] as const
      case 'richtext':
        return [field.name, value === undefined ? emptyScalar(field, computed.missingMarker) : richtextToPlain(String(value))] as const
      default:
        return [field.name, value === undefined ? emptyScalar(field, computed.missingMarker) : String(value)] as const
    }
  })
  entries.push(
    [
      'letterhead',
      createViewObject([
        ['organisation', template.letterhead.organisation],
        ['address', template.letterhead.address ?? ''],
        ['contact', template.letterhead.contact ?? ''],
      ]),
    ],
    ['recipient', createPersonView(computed.recipient)],
    ['salutation', computed.salutation],
  )
  if (!template.fields.some((f) => f.name === WORDS_NAME)) {
    const words = LETTER_STRINGS[template.language].words
    entries.push([WORDS_NAME, createViewObject(LETTER_WORD_NAMES.map((name) => [name, words[name]] as const))])
  }
  return createViewObject(entries)
}

function emptyScalar(field: FieldDef, marker: (label: string) => string): string {
  return field.required ? marker(field.label) : ''
}

/** Plain text of rich text: paragraphs joined by blank lines. */
export function richtextToPlain(html: string): string {
  return parseRichtext(html)
    .map((p) => p.inlines.map((i) => i.text).join(''))
    .join('\n\n')
}
