// Shared: IPC channels of the annotations area — create/edit/reply/resolve/delete, a record's annotations
// re-anchored to its current text, the legal-basis vocabulary, and exports (W3C JSON-LD, PDF report).
// Annotation ids are UUIDs; record ids are the vault's 32-hex ids. Positions count Unicode code points.
import { z } from 'zod'
import { AnchorSelectorsSchema, AnnotationSchema, JsonPointerSchema, MAX_LEGAL_BASES } from '../../annotations/annotationModel'
import { LegalBasisEntrySchema } from '../../annotations/legalBasis'
import { channel, empty, recordId } from './commonSchemas'
import { searchFilterSchema } from './libraryChannels'

const annotationId = z.uuid('must be an annotation id')
const codePoint = z.number().int().min(0).max(10_000_000)
const body = z.string().max(20_000)
const tags = z.array(z.string().max(100)).max(50)
const legalBasisIds = z.array(z.string().min(1).max(64)).max(MAX_LEGAL_BASES)

/** Where an annotation is now: a range of the current text, a whole field, or orphaned with its original quote. */
export const anchorViewSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.enum(['exact', 'relocated', 'fuzzy']), start: z.number().int(), end: z.number().int(), score: z.number() }),
  z.strictObject({ status: z.literal('orphaned'), quote: z.string() }),
  z.strictObject({ status: z.literal('field') }),
  z.strictObject({ status: z.literal('field-missing'), quote: z.string().optional() }),
])
export type AnchorViewData = z.infer<typeof anchorViewSchema>

export const anchoredAnnotationSchema = z.strictObject({ annotation: AnnotationSchema, anchor: anchorViewSchema })
export type AnchoredAnnotationView = z.infer<typeof anchoredAnnotationSchema>

export const vocabularyEntrySchema = LegalBasisEntrySchema.extend({ retired: z.boolean() })
export type VocabularyEntryView = z.infer<typeof vocabularyEntrySchema>

/** A selection: code points of the saved text, or selectors described on the client's copy (found again in main). */
const selectionSchema = z.union([
  z.strictObject({ start: codePoint, end: codePoint }),
  z.strictObject({ selectors: AnchorSelectorsSchema }),
])

const one = z.strictObject({ annotation: AnnotationSchema })
const vocabulary = z.strictObject({ entries: z.array(vocabularyEntrySchema) })
const saved = z.strictObject({ saved: z.boolean() })

export const annotationChannels = {
  /** A record's annotations in document order, orphans last; NOT_FOUND for a missing record. */
  'annotations:list': channel(
    z.strictObject({ recordId }),
    z.strictObject({ revision: z.number().int(), annotations: z.array(anchoredAnnotationSchema) }),
  ),
  /** The record an annotation is attached to, from the annotation's record id (what a search hit carries). */
  'annotations:locate': channel(
    z.strictObject({ annotationRecordId: recordId }),
    z.strictObject({ recordId: z.string(), kind: z.string() }),
  ),
  /** VALIDATION when the passage is not in the saved text, or the annotation would be empty. */
  'annotations:create': channel(
    z.strictObject({
      recordId,
      field: JsonPointerSchema.optional(),
      selection: selectionSchema.optional(),
      body: body.optional(),
      tags: tags.optional(),
      legalBasisIds: legalBasisIds.optional(),
    }),
    one,
  ),
  'annotations:update': channel(
    z.strictObject({
      id: annotationId,
      body: body.optional(),
      tags: tags.optional(),
      /** The whole new list; empty removes every legal basis. */
      legalBasisIds: legalBasisIds.optional(),
    }),
    one,
  ),
  'annotations:reply': channel(z.strictObject({ id: annotationId, text: body.min(1, 'reply is empty') }), one),
  'annotations:setStatus': channel(z.strictObject({ id: annotationId, status: z.enum(['open', 'resolved']) }), one),
  'annotations:delete': channel(z.strictObject({ id: annotationId }), z.strictObject({})),
  'annotations:listLegalBases': channel(empty, vocabulary),
  'annotations:createLegalBasis': channel(z.strictObject({ entry: LegalBasisEntrySchema }), vocabulary),
  /** Renames or retires (retired: true) / restores an entry; ids never change. */
  'annotations:updateLegalBasis': channel(
    z.strictObject({
      id: z.string().min(1).max(64),
      label: z.string().min(1).max(40).optional(),
      title: z.string().min(1).max(300).optional(),
      article: z.string().min(1).max(20).optional(),
      heading: z.string().min(1).max(200).optional(),
      retired: z.boolean().optional(),
    }),
    vocabulary,
  ),
  /** Asks where to save (native dialog) and writes the record's annotations as W3C JSON-LD; saved=false if cancelled. */
  'annotations:exportW3C': channel(z.strictObject({ recordId }), saved),
  /** The annotations a library search finds, as one W3C AnnotationCollection. */
  'annotations:exportSearchW3C': channel(
    z.strictObject({ query: z.string().max(1000), filter: searchFilterSchema.optional() }),
    z.strictObject({ saved: z.boolean(), count: z.number().int() }),
  ),
  /** Prints the annotation report of a document to PDF (no script in it) and saves it where the user chooses. */
  'annotations:exportPdf': channel(z.strictObject({ recordId }), saved),
} as const
