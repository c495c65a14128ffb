// Shared by every process: the letter template model (zod 4 schemas and their types) and the letter data it fills.
// Pure TypeScript, no node or electron imports: the renderer's template editor validates with the same schemas.
import { z } from 'zod'
import { CustodiaError } from '../errors'
import { parseTemplateString } from './placeholders'

export const TEMPLATE_LANGUAGES = ['en-GB', 'nb-NO', 'uk-UA', 'ru-RU'] as const
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number]

export const PAGE_SIZES = ['A4', 'Letter'] as const
export type PageSize = (typeof PAGE_SIZES)[number]

export const FIELD_TYPES = [
  'text',
  'multiline',
  'date',
  'person',
  'persons',
  'richtext',
  'requests',
  'dossierList',
  'organisations',
] as const
export type FieldType = (typeof FIELD_TYPES)[number]

/** Names the renderer computes itself; a field may not take them. */
export const COMPUTED_NAMES = ['letterhead', 'recipient', 'salutation'] as const

/**
 * Names a field may not take because every plain JavaScript object has them: Mustache keeps a lookup cache in a
 * plain object, and a field called `hasOwnProperty` would break it.
 */
export const OBJECT_MEMBER_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype)

/** Largest embedded image (logo, signature): 2 MiB of base64 text. */
export const MAX_IMAGE_DATA_URL_CHARS = 2 * 1024 * 1024

/**
 * An embedded PNG or JPEG as a base64 data: URL. SVG is refused on purpose: it can carry script.
 * The magic bytes must match the declared type (PNG "\x89PNG", JPEG FF D8 FF), so a renamed file is refused too.
 */
export const ImageDataUrlSchema = z
  .string()
  .max(MAX_IMAGE_DATA_URL_CHARS, 'image is larger than 2 MiB')
  .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/, 'must be a base64 data: URL of a PNG or JPEG image')
  .refine((url) => {
    const payload = url.slice(url.indexOf(',') + 1)
    return url.startsWith('data:image/png') ? payload.startsWith('iVBORw0KGgo') : payload.startsWith('/9j/')
  }, 'image content does not match its declared type')

/** A Mustache string. Unescaped output, partials and delimiter changes are schema errors, as is broken syntax. */
export const MustacheStringSchema = z
  .string()
  .max(20_000)
  .superRefine((template, ctx) => {
    try {
      parseTemplateString(template)
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `invalid template: ${error instanceof Error ? error.message : 'unreadable'}` })
    }
  })

const shortText = z.string().trim().min(1).max(500)

export const LetterheadSchema = z.strictObject({
  organisation: shortText,
  address: z.string().max(1000).optional(),
  contact: z.string().max(1000).optional(),
  logo: ImageDataUrlSchema.optional(),
})
export type Letterhead = z.infer<typeof LetterheadSchema>

export const FieldDefSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'must start with a letter and hold only letters, digits and _')
    .max(64)
    .refine((name) => !OBJECT_MEMBER_NAMES.includes(name), 'is a reserved name'),
  label: shortText,
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  help: z.string().max(1000).optional(),
})
export type FieldDef = z.infer<typeof FieldDefSchema>

const personLayout = z.enum(['nameFirst', 'titleFirst']).optional()
const template = MustacheStringSchema.optional()
/** How a numbered list counts: "1." (the default) or "1)" as joint statements often do. */
const numbering = z.enum(['1.', '1)']).optional()

/**
 * Blocks, rendered in array order. `template` (Mustache) means, per block:
 * - single-line blocks (placeDate, subject, salutation, closing, footer, dateline, text): the whole line;
 * - list blocks (recipients, cc, requests, demands, quotes, signatories, organisations, annexes, body): the intro
 *   line above the list (e.g. "We therefore urge you to:");
 * - letterhead: the lines under the organisation name (default: address and contact).
 * Layout options: a subject `align`ed to the centre (under a title); a salutation in `bold`; a body's `quotes` (a
 * requests field) set into its text, the first after its first paragraph, the second after the second …; requests and
 * demands with `numbering` "1)"; organisations `setApart` (a "Shared by" list set off from the text).
 */
export const BlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('letterhead'), template }),
  z.strictObject({ type: z.literal('recipients'), field: z.string(), template, personLayout }),
  z.strictObject({ type: z.literal('cc'), field: z.string(), template, personLayout }),
  z.strictObject({ type: z.literal('placeDate'), dateField: z.string(), placeField: z.string().optional(), template }),
  z.strictObject({ type: z.literal('subject'), field: z.string(), template, align: z.enum(['left', 'center']).optional() }),
  z.strictObject({ type: z.literal('salutation'), field: z.string().optional(), template, bold: z.boolean().optional() }),
  z.strictObject({ type: z.literal('body'), field: z.string(), template, quotes: z.string().optional() }),
  z.strictObject({ type: z.literal('requests'), field: z.string(), template, numbering }),
  z.strictObject({ type: z.literal('demands'), field: z.string(), template, numbering }),
  z.strictObject({ type: z.literal('quotes'), field: z.string(), template }),
  z.strictObject({ type: z.literal('closing'), field: z.string().optional(), template }),
  z.strictObject({ type: z.literal('signatories'), field: z.string(), template }),
  z.strictObject({ type: z.literal('organisations'), field: z.string(), template, setApart: z.boolean().optional() }),
  z.strictObject({ type: z.literal('annexes'), field: z.string().optional(), template }),
  z.strictObject({ type: z.literal('footer'), template }),
  z.strictObject({ type: z.literal('dateline'), dateField: z.string(), placeField: z.string().optional(), template }),
  z.strictObject({
    type: z.literal('text'),
    template: MustacheStringSchema,
    style: z.enum(['title', 'heading', 'lead', 'normal', 'small']).optional(),
  }),
])
export type Block = z.infer<typeof BlockSchema>
export type BlockType = Block['type']

/** Which field types each block's field references accept. */
const BLOCK_FIELD_TYPES: Readonly<Record<string, Readonly<Record<string, readonly FieldType[]>>>> = {
  recipients: { field: ['person', 'persons'] },
  cc: { field: ['person', 'persons'] },
  placeDate: { dateField: ['date'], placeField: ['text'] },
  dateline: { dateField: ['date'], placeField: ['text'] },
  subject: { field: ['text', 'multiline'] },
  salutation: { field: ['text'] },
  body: { field: ['richtext', 'multiline'], quotes: ['requests'] },
  requests: { field: ['requests'] },
  demands: { field: ['requests'] },
  quotes: { field: ['requests'] },
  closing: { field: ['text'] },
  signatories: { field: ['person', 'persons'] },
  organisations: { field: ['organisations'] },
  annexes: { field: ['dossierList'] },
}

export const TemplateSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and -')
      .max(100),
    version: z.number().int().min(1),
    name: shortText,
    description: z.string().max(2000),
    language: z.enum(TEMPLATE_LANGUAGES),
    builtIn: z.boolean(),
    pageSize: z.enum(PAGE_SIZES),
    letterhead: LetterheadSchema,
    fields: z.array(FieldDefSchema).max(100),
    blocks: z.array(BlockSchema).min(1).max(200),
  })
  .superRefine((t, ctx) => {
    const byName = new Map<string, FieldDef>()
    t.fields.forEach((field, i) => {
      if (byName.has(field.name)) {
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: `duplicate field name "${field.name}"` })
      }
      if ((COMPUTED_NAMES as readonly string[]).includes(field.name)) {
        ctx.addIssue({ code: 'custom', path: ['fields', i, 'name'], message: `"${field.name}" is reserved` })
      }
      byName.set(field.name, field)
    })
    t.blocks.forEach((block, i) => {
      const refs = BLOCK_FIELD_TYPES[block.type] ?? {}
      for (const [key, allowed] of Object.entries(refs)) {
        const ref = (block as Record<string, unknown>)[key]
        if (typeof ref !== 'string') continue
        const field = byName.get(ref)
        if (!field) {
          ctx.addIssue({ code: 'custom', path: ['blocks', i, key], message: `no field named "${ref}"` })
        } else if (!allowed.includes(field.type)) {
          ctx.addIssue({
            code: 'custom',
            path: ['blocks', i, key],
            message: `field "${ref}" is ${field.type}; a ${block.type} block needs ${allowed.join(' or ')}`,
          })
        }
      }
    })
  })
export type LetterTemplate = z.infer<typeof TemplateSchema>

// ---- letter data ---------------------------------------------------------------------------------------------

export const PersonSchema = z.strictObject({
  honorific: z.string().max(100).optional(),
  name: z.string().max(300),
  title: z.string().max(500).optional(),
  organisation: z.string().max(500).optional(),
  email: z.string().max(320).optional(),
  salutation: z.string().max(500).optional(),
})
export type Person = z.infer<typeof PersonSchema>

/** A person who signs: credentials are listed under the title; the signature is a scanned image. */
export const SignatorySchema = PersonSchema.extend({
  credentials: z.array(z.string().max(1000)).max(50).optional(),
  signature: ImageDataUrlSchema.optional(),
})
export type Signatory = z.infer<typeof SignatorySchema>

/** An ISO calendar date (YYYY-MM-DD) that exists. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((iso) => {
    const d = new Date(`${iso}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso
  }, 'is not a calendar date')

/** The schema a field's value must match, per field type. */
export const FIELD_VALUE_SCHEMAS = {
  text: z.string().max(2000),
  multiline: z.string().max(50_000),
  date: IsoDateSchema,
  person: SignatorySchema,
  persons: z.array(SignatorySchema).max(200),
  richtext: z.string().max(1_000_000),
  requests: z.array(z.string().max(10_000)).max(200),
  dossierList: z.array(z.string().min(1).max(200)).max(5000),
  organisations: z.array(z.string().max(500)).max(1000),
} satisfies Record<FieldType, z.ZodType>

export type FieldValue = z.infer<(typeof FIELD_VALUE_SCHEMAS)[FieldType]>
/** The values filled into a template, by field name. Missing keys are empty fields. */
export type LetterData = Readonly<Record<string, unknown>>

// ---- annex ---------------------------------------------------------------------------------------------------

export const AUDIENCES = ['internal', 'partners', 'public'] as const
export type Audience = (typeof AUDIENCES)[number]

export const AnnexRowSchema = z.strictObject({
  name: z.string().min(1).max(300),
  detainedSince: IsoDateSchema.optional(),
  /** The date of the event that set the current status ("Convicted since 12 May 2023"). */
  statusSince: IsoDateSchema.optional(),
  place: z.string().max(500).optional(),
  status: z.string().max(500).optional(),
  vulnerability: z.array(z.string().max(200)).max(20).optional(),
  consent: z.enum(AUDIENCES),
})
export type AnnexRow = z.infer<typeof AnnexRowSchema>

/** Rows already filtered for the audience (by buildAnnex), and how many were left out and why (shown in the letter). */
export const AnnexTableSchema = z.strictObject({
  rows: z.array(AnnexRowSchema).max(5000),
  omitted: z.number().int().min(0),
  omittedReason: z.string().max(1000),
})
export type AnnexTable = {
  readonly rows: readonly AnnexRow[]
  readonly omitted: number
  readonly omittedReason: string
}

// ---- parsing -------------------------------------------------------------------------------------------------

/** Formats zod issues as "path: message" lines, never echoing the offending values. */
export function formatSchemaIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message))
    .join('; ')
}

/**
 * Validates unknown JSON as a letter template. Throws CustodiaError('VALIDATION') whose message lists every
 * problem with its path (e.g. "blocks.3.field: no field named \"subjct\"").
 */
export function parseLetterTemplate(json: unknown): LetterTemplate {
  const result = TemplateSchema.safeParse(json)
  if (!result.success) throw new CustodiaError('VALIDATION', `invalid letter template: ${formatSchemaIssues(result.error)}`)
  return result.data
}
