// Shared: IPC channels of the letters area — templates (built-in and user), live preview, drafts, export, mail merge.
import { z } from 'zod'
import { PAGE_SIZES, TEMPLATE_LANGUAGES, TemplateSchema } from '../../letters/templateModel'
import { DOCUMENT_STATUSES } from '../../library/document'
import { channel, empty, recordId } from './commonSchemas'

const templateId = z.string().min(1, 'template id is empty').max(100)
/** Field values by field name; each value is checked against the template's field types in main. */
const letterData = z.record(z.string().max(64), z.unknown())
const exportFormat = z.enum(['pdf', 'docx', 'txt'])
const revision = z.number().int().min(1)
/** The user confirmed exporting a letter that still shows placeholders. */
const confirmPlaceholders = z.boolean().optional()
/** The user confirmed exporting a letter whose copy list (CC) is longer than 40 people. */
const confirmLongCc = z.boolean().optional()
/**
 * Who will read the letter; decides which dossiers its annex may list (consent). Defaults to the public: the
 * narrowest audience, so forgetting to choose never shares more.
 */
export const letterAudienceSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('internal') }),
    z.strictObject({ kind: z.literal('partner'), partner: z.string().trim().min(1, 'name the partner').max(200) }),
    z.strictObject({ kind: z.literal('public') }),
  ])
  .default({ kind: 'public' })
export type LetterAudienceChoice = z.output<typeof letterAudienceSchema>

export const templateListingSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  language: z.enum(TEMPLATE_LANGUAGES),
  pageSize: z.enum(PAGE_SIZES),
  builtIn: z.boolean(),
  version: z.number().int(),
})
export type TemplateListingView = z.infer<typeof templateListingSchema>

export const letterReportSchema = z.strictObject({
  missing: z.array(z.strictObject({ field: z.string(), label: z.string() })),
  /** tooLong: the value is over the field's limit (the message names the limit). */
  invalid: z.array(z.strictObject({ field: z.string(), message: z.string(), tooLong: z.literal(true).optional() })),
})
export type LetterReport = z.infer<typeof letterReportSchema>

export const letterDraftSchema = z.strictObject({
  id: z.string(),
  revision: z.number().int(),
  status: z.enum(DOCUMENT_STATUSES),
  title: z.string(),
  templateId: z.string(),
  letterData: z.record(z.string(), z.unknown()),
  savedAt: z.string(),
})
export type LetterDraftView = z.infer<typeof letterDraftSchema>

/** One letter of the library on the Letters page; templateId null for a letter not drafted here from a template. */
export const letterListingSchema = z.strictObject({
  id: z.string(),
  revision: z.number().int(),
  title: z.string(),
  date: z.string().nullable(),
  status: z.enum(DOCUMENT_STATUSES),
  firstRecipient: z.string().nullable(),
  recipientCount: z.number().int().min(0),
  templateId: z.string().nullable(),
  savedAt: z.string(),
})
export type LetterListingView = z.infer<typeof letterListingSchema>

const draftRef = z.strictObject({ id: z.string(), revision: z.number().int() })

export const lettersChannels = {
  /** Built-ins first, then the vault's user templates. */
  'letters:listTemplates': channel(empty, z.strictObject({ templates: z.array(templateListingSchema) })),
  'letters:getTemplate': channel(z.strictObject({ templateId }), z.strictObject({ template: TemplateSchema })),
  /**
   * Renders the letter (incomplete is fine) and stores the HTML for the preview route; returns the URL path of
   * the sandboxed preview ("/letter-preview/<token>") and what is missing or malformed. `template` (instead of
   * `templateId`) previews an unsaved template from the template editor.
   */
  'letters:preview': channel(
    z
      .strictObject({
        templateId: templateId.optional(),
        template: z.unknown().optional(),
        data: letterData,
        audience: letterAudienceSchema,
      })
      .refine((r) => (r.templateId === undefined) !== (r.template === undefined), 'give either templateId or template'),
    z.strictObject({
      url: z.string(),
      report: letterReportSchema,
      unknownPlaceholders: z.array(z.string()),
      /** Cases the annex lists and leaves out for this audience (null when the letter names no dossiers). */
      annex: z.strictObject({ included: z.number().int(), omitted: z.number().int() }).nullable(),
    }),
  ),
  /** Asks where to save (native dialog), then writes the file. path null = cancelled. */
  /**
   * A letter that still shows a placeholder ("[Organisation name]", "[missing: Date]") is refused with VALIDATION
   * naming it, unless `confirmPlaceholders` says the user saw that and wants it anyway; so is a copy list (CC) of more
   * than 40 people, unless `confirmLongCc`. Both are named in one message, so one confirmation sends both flags.
   */
  'letters:export': channel(
    z.strictObject({
      templateId,
      data: letterData,
      format: exportFormat,
      audience: letterAudienceSchema,
      confirmPlaceholders,
      confirmLongCc,
    }),
    z.strictObject({ path: z.string().nullable() }),
  ),
  /** Mail merge: one file per recipient into a folder the user chooses. dir null = cancelled. */
  'letters:merge': channel(
    z.strictObject({
      templateId,
      data: letterData,
      format: exportFormat,
      audience: letterAudienceSchema,
      confirmPlaceholders,
      confirmLongCc,
    }),
    z.strictObject({ dir: z.string().nullable(), files: z.array(z.string()) }),
  ),
  /**
   * Every letter of the library, newest first: drafts and sent letters made from a template (templateId set, they open
   * in the letter editor) and letters added otherwise (templateId null, they open in the library).
   */
  'letters:list': channel(empty, z.strictObject({ letters: z.array(letterListingSchema) })),
  'letters:getDraft': channel(z.strictObject({ id: recordId }), letterDraftSchema),
  /** Creates (no id) or saves a new revision of a draft; CONFLICT when stale or already sent. */
  'letters:saveDraft': channel(
    z.strictObject({ id: recordId.optional(), expectedRevision: revision.optional(), templateId, data: letterData }),
    draftRef,
  ),
  'letters:markSent': channel(z.strictObject({ id: recordId, expectedRevision: revision }), draftRef),
  /** A new draft with the same template and values (how a sent letter is edited). */
  'letters:copyDraft': channel(z.strictObject({ id: recordId }), draftRef),
  'templates:duplicate': channel(z.strictObject({ templateId }), z.strictObject({ template: TemplateSchema })),
  /** Saves a user template (validated in main; built-ins are read-only). */
  'templates:save': channel(z.strictObject({ template: z.unknown() }), z.strictObject({ template: TemplateSchema })),
  'templates:delete': channel(z.strictObject({ templateId }), z.strictObject({})),
  /** Imports the text of a template JSON file the user picked; malformed → VALIDATION listing paths. */
  'templates:import': channel(z.strictObject({ json: z.string().min(1).max(1_000_000) }), z.strictObject({ template: TemplateSchema })),
  /** Asks where to save, then writes the template as JSON. path null = cancelled. */
  'templates:export': channel(z.strictObject({ templateId }), z.strictObject({ path: z.string().nullable() })),
} as const
