// Shared (renderer and main): the annotation model (types + zod schemas) that the vault stores and the anchoring
// engine and W3C export read. Positions count Unicode code points of the record's plain-text projection.
import { z } from 'zod'
import { countCodePoints } from './codePoints'

export const TextQuoteSelectorSchema = z.strictObject({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().min(1, 'quote is empty'),
  prefix: z.string(),
  suffix: z.string(),
})
export type TextQuoteSelector = z.infer<typeof TextQuoteSelectorSchema>

export const TextPositionSelectorSchema = z
  .strictObject({
    type: z.literal('TextPositionSelector'),
    start: z.number().int().nonnegative(),
    end: z.number().int().nonnegative(),
  })
  .refine((p) => p.start <= p.end, 'position start is after its end')
export type TextPositionSelector = z.infer<typeof TextPositionSelectorSchema>

/** The pair of selectors that locate a text range; the quote is authoritative, the position a hint. */
export const AnchorSelectorsSchema = z.strictObject({
  quote: TextQuoteSelectorSchema,
  position: TextPositionSelectorSchema,
})
export type AnchorSelectors = z.infer<typeof AnchorSelectorsSchema>

/** RFC 6901 JSON pointer into a dossier record, e.g. `/vulnerability/medicalNote` or `/detentions/1`. */
export const JsonPointerSchema = z
  .string()
  .max(1024)
  .regex(/^(\/([^~/]|~[01])*)*$/, 'field is not a JSON pointer')

/** A dossier target: a whole field (no selectors) or a text range inside that field's text. */
export const DossierTargetSchema = z.strictObject({
  recordId: z.string().min(1),
  revision: z.number().int().nonnegative(),
  field: JsonPointerSchema,
  selectors: AnchorSelectorsSchema.optional(),
})
export type DossierTarget = z.infer<typeof DossierTargetSchema>

const IsoDateTime = z.iso.datetime({ offset: true })

export const PersonSchema = z.strictObject({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
})
export type Person = z.infer<typeof PersonSchema>

export const ReplySchema = z.strictObject({
  id: z.uuid(),
  author: PersonSchema,
  createdAt: IsoDateTime,
  text: z.string().min(1),
})
export type Reply = z.infer<typeof ReplySchema>

export const AnnotationTargetSchema = z
  .strictObject({
    field: JsonPointerSchema.optional(),
    quote: TextQuoteSelectorSchema.optional(),
    position: TextPositionSelectorSchema.optional(),
  })
  .refine((t) => (t.quote === undefined) === (t.position === undefined), 'quote and position go together')
  .refine((t) => t.quote !== undefined || t.field !== undefined, 'a target without a text range needs a field')
  .refine(
    (t) => t.quote === undefined || t.position === undefined || t.position.end - t.position.start === countCodePoints(t.quote.exact),
    'position length does not match the quote',
  )
export type AnnotationTarget = z.infer<typeof AnnotationTargetSchema>

/** How many legal bases one note may cite (a passage can breach several provisions, not a whole code). */
export const MAX_LEGAL_BASES = 10

export const LegalBasisRefSchema = z.strictObject({ id: z.string().min(1), label: z.string().min(1) })
export type LegalBasisRef = z.infer<typeof LegalBasisRefSchema>

/**
 * Notes stored before a note could cite several legal bases carry one `legalBasis`; it reads as a list of one.
 * Everything written since has `legalBases` only.
 */
function readLegacyLegalBasis(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('legalBasis' in input)) return input
  const { legalBasis, ...rest } = input as Record<string, unknown>
  const list = Array.isArray(rest['legalBases']) ? (rest['legalBases'] as unknown[]) : []
  return { ...rest, legalBases: legalBasis === undefined ? list : [legalBasis, ...list] }
}

const AnnotationFieldsSchema = z.strictObject({
  id: z.uuid(),
  recordId: z.string().min(1).max(200),
  revision: z.number().int().nonnegative(),
  target: AnnotationTargetSchema,
  body: z.strictObject({ html: z.string(), text: z.string() }),
  author: PersonSchema,
  createdAt: IsoDateTime,
  modifiedAt: IsoDateTime,
  tags: z.array(z.string().min(1).max(100)).max(100),
  legalBases: z
    .array(LegalBasisRefSchema)
    .max(MAX_LEGAL_BASES)
    .refine((list) => new Set(list.map((b) => b.id)).size === list.length, 'a legal basis is cited twice')
    .default([]),
  status: z.enum(['open', 'resolved']),
  replies: z.array(ReplySchema),
})
export const AnnotationSchema = z.preprocess(readLegacyLegalBasis, AnnotationFieldsSchema)
export type Annotation = z.infer<typeof AnnotationFieldsSchema>
