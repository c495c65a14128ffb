// Main process (core, Node only): turns a template and its data into an ordered list of letter parts.
// HTML, plain text and DOCX are all written from these parts, so the three outputs say the same things in the
// same order.
import { CustodiaError } from '../../../../shared/errors'
import {
  AnnexTableSchema,
  formatSchemaIssues,
  type AnnexTable,
  type Block,
  type LetterData,
  type LetterTemplate,
  type Signatory,
} from '../../../../shared/letters/templateModel'
import { LETTER_STRINGS, type LetterStrings } from '../../../../shared/letters/letterStrings'
import type { ViewShape } from '../../../../shared/letters/placeholders'
import { ANNEX_WORDS } from '../../../../shared/dossiers/annexWords'
import { formatLetterDate } from './letterDates'
import { buildView, buildViewShape, prepareLetter, readPersons, type CheckedValues, type MissingField, type ViewObject } from './letterData'
import { createMarker, fromPlain, renderTemplateString, type Rendered } from './mustacheRender'
import { escapeHtml } from '../../../../shared/text/escapeHtml'
import { parseRichtext, sanitizeRichtext } from './richTextSanitizer'
import { createTypesetter, NO_BREAK_SPACE } from './typeset'
import { placeQuotes, plainToParagraphHtml } from './bodyParagraphs'
import type { EmbeddedImage, LetterPart, LineStyle, SignatoryPart } from './letterParts'
import { typesetPart } from './typesetParts'

export type { EmbeddedImage, LetterPart, LineStyle, SignatoryPart } from './letterParts'

export type ComposedLetter = {
  readonly template: LetterTemplate
  readonly strings: LetterStrings
  readonly parts: readonly LetterPart[]
  readonly unknownPlaceholders: readonly string[]
  readonly missing: readonly MissingField[]
  /**
   * The document title as plain text: the subject line; for a letter without one, "Letter – <recipients>" in the
   * letter's language; else the template name.
   */
  readonly title: string
  /** The letter's date as the letter writes it (first place-and-date or dateline block), when one is filled in. */
  readonly date?: string
}

export type ComposeOptions = {
  /** The annex table, already filtered for the audience by buildAnnex. */
  readonly annex?: AnnexTable
  /** Throw CustodiaError('VALIDATION') when required fields are empty (exports). */
  readonly strict?: boolean
}

/** Decodes a validated PNG/JPEG data: URL and reads its pixel size from the header. */
export function decodeImage(dataUrl: string): EmbeddedImage {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64')
  const type = dataUrl.startsWith('data:image/png') ? 'png' : 'jpg'
  return { dataUrl, type, bytes, ...readImageSize(bytes, type) }
}

/** Reads width and height from a PNG IHDR or a JPEG SOFn segment; {} when the header is not understood. */
function readImageSize(bytes: Buffer, type: 'png' | 'jpg'): { width?: number; height?: number } {
  if (type === 'png') {
    return bytes.length >= 24 ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) } : {}
  }
  let offset = 2
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return {}
    const marker = bytes[offset + 1] ?? 0
    const length = bytes.readUInt16BE(offset + 2)
    // SOF0..SOF15, except DHT (C4), JPG (C8) and DAC (CC), carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) }
    }
    offset += 2 + length
  }
  return {}
}

/**
 * Composes a letter. Invalid template or data throws CustodiaError('VALIDATION'); with `strict`, so do empty required
 * fields. Otherwise empty required fields appear as "[missing: Label]" markers, and unknown placeholders as
 * "[unknown: name]" markers, all reported.
 */
export function composeLetter(templateInput: LetterTemplate, data: LetterData, options: ComposeOptions = {}): ComposedLetter {
  const { template, values, missing } = prepareLetter(templateInput, data, options.strict ?? false)
  if (options.annex !== undefined) {
    const annex = AnnexTableSchema.safeParse(options.annex)
    if (!annex.success) throw new CustodiaError('VALIDATION', `invalid annex: ${formatSchemaIssues(annex.error)}`)
  }
  const strings = LETTER_STRINGS[template.language]
  const labels = new Map(template.fields.map((f) => [f.name, f] as const))
  const missingMarker = (label: string): string => `[${strings.missing}: ${label}]`

  const recipientsBlock = template.blocks.find((b) => b.type === 'recipients')
  const recipients = recipientsBlock ? readPersons(values.get(recipientsBlock.field)) : []
  const salutationBlock = template.blocks.find((b) => b.type === 'salutation')
  const override = salutationBlock?.field ? values.get(salutationBlock.field) : undefined
  const salutation = typeof override === 'string' ? override : buildSalutation(recipients, strings, template.language)

  const view = buildView(template, values, { recipient: recipients[0], salutation, missingMarker })
  const shape = buildViewShape(template)
  const unknown: string[] = []
  const render = (source: string | undefined): Rendered | undefined => {
    if (source === undefined) return undefined
    const { rendered, unknown: names } = renderTemplateString(source, view, shape, strings.unknown)
    for (const name of names) if (!unknown.includes(name)) unknown.push(name)
    return rendered
  }
  // A field's text, or a visible marker if it is required and empty, or undefined if optional and empty.
  const fieldText = (name: string | undefined): Rendered | undefined => {
    if (name === undefined) return undefined
    const value = values.get(name)
    if (typeof value === 'string') return fromPlain(value)
    const field = labels.get(name)
    return field?.required ? createMarker(missingMarker(field.label), 'missing') : undefined
  }
  const dateText = (name: string): Rendered | undefined => {
    const value = values.get(name)
    return typeof value === 'string' ? fromPlain(formatLetterDate(value, template.language)) : fieldText(name)
  }
  const missingList = (name: string): Rendered[] => {
    const field = labels.get(name)
    return field?.required ? [createMarker(missingMarker(field.label), 'missing')] : []
  }

  const ctx: BlockContext = { template, values, view, shape, strings, options, render, fieldText, dateText, missingList }
  const parts: LetterPart[] = []
  const typesetter = createTypesetter(template.language)
  for (const block of template.blocks) {
    const part = composeBlock(block, ctx)
    if (part) parts.push(typesetPart(part, typesetter))
  }
  const subjectBlock = template.blocks.find((b) => b.type === 'subject')
  const subject = subjectBlock ? values.get(subjectBlock.field) : undefined
  const recipientNames = recipients.map((p) => p.name.trim()).filter(Boolean)
  const untitled =
    recipientNames.length > 0
      ? strings.letterTo(new Intl.ListFormat(template.language, { type: 'conjunction' }).format(recipientNames))
      : template.name
  const dateBlock = template.blocks.find(
    (b): b is Extract<Block, { type: 'placeDate' | 'dateline' }> => b.type === 'placeDate' || b.type === 'dateline',
  )
  const dateValue = dateBlock ? values.get(dateBlock.dateField) : undefined
  return {
    template,
    strings,
    parts,
    unknownPlaceholders: unknown,
    missing,
    // Document properties, the continuation line and <title> are one line of plain text: no soft hyphen an author
    // typed, no line break.
    title: (typeof subject === 'string' ? subject : untitled)
      .replace(/\u00AD/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
    ...(typeof dateValue === 'string' ? { date: formatLetterDate(dateValue, template.language) } : {}),
  }
}

type BlockContext = {
  readonly template: LetterTemplate
  readonly values: CheckedValues
  readonly view: ViewObject
  readonly shape: ViewShape
  readonly strings: LetterStrings
  readonly options: ComposeOptions
  readonly render: (source: string | undefined) => Rendered | undefined
  readonly fieldText: (name: string | undefined) => Rendered | undefined
  readonly dateText: (name: string) => Rendered | undefined
  readonly missingList: (name: string) => Rendered[]
}

/** The default salutation: the recipient's own, or a greeting naming every recipient, or a general greeting. */
function buildSalutation(recipients: readonly Signatory[], strings: LetterStrings, language: string): string {
  if (recipients.length === 1 && recipients[0]?.salutation) return recipients[0].salutation
  const names = recipients.map((p) => [p.honorific, p.name].filter(Boolean).join(' ')).filter(Boolean)
  if (names.length === 0) return strings.greetingGroup
  return strings.salute(new Intl.ListFormat(language, { type: 'conjunction' }).format(names))
}

/**
 * Lines for one person: name (with honorific), title, organisation, e-mail; title first when asked. `compact` (the
 * copy list) puts title and name on one line ("Minister of Foreign Affairs Tor Placeholder", or "Kari Mal, State Secretary,
 * Ministry of Foreign Affairs" when the title has a comma of its own).
 */
function personLines(
  person: Signatory,
  layout: 'nameFirst' | 'titleFirst' | undefined,
  strings: LetterStrings,
  compact = false,
): Rendered[] {
  const name = [person.honorific, person.name].filter(Boolean).join(' ')
  const title = person.title?.trim()
  const ordered = !compact
    ? layout === 'titleFirst'
      ? [person.title, name]
      : [name, person.title]
    : // A title that names its office ("Statssekretær, Utenriksdepartementet") reads better after the name.
      [title ? (layout === 'titleFirst' && !title.includes(',') ? `${title} ${name}` : `${name}, ${title}`) : name]
  return [...ordered, person.organisation, person.email ? `${strings.email}: ${person.email}` : undefined]
    .filter((line): line is string => typeof line === 'string' && line.trim() !== '')
    .map(fromPlain)
}

function composeBlock(block: Block, ctx: BlockContext): LetterPart | undefined {
  const { template, values, strings } = ctx
  const line = (
    role: Extract<LetterPart, { kind: 'line' }>['role'],
    content: Rendered | undefined,
    style: LineStyle = 'normal',
  ): Extract<LetterPart, { kind: 'line' }> | undefined =>
    content && content.text.trim() !== '' ? { kind: 'line', role, style, content } : undefined
  const listOf = (name: string): Rendered[] => {
    const items = values.get(name) as string[] | undefined
    return items ? items.map(fromPlain) : ctx.missingList(name)
  }
  switch (block.type) {
    case 'letterhead': {
      const { organisation, address, contact, logo } = template.letterhead
      const lines = ctx.render(block.template) ?? fromPlain([address, contact].filter(Boolean).join('\n'))
      return {
        kind: 'letterhead',
        organisation: fromPlain(organisation),
        ...(lines.text.trim() ? { lines } : {}),
        ...(logo ? { logo: decodeImage(logo) } : {}),
      }
    }
    case 'recipients':
    case 'cc': {
      const persons = readPersons(values.get(block.field))
      const people = persons.map((p) => personLines(p, block.personLayout, strings, block.type === 'cc'))
      const intro = ctx.render(block.template) ?? (block.type === 'cc' ? fromPlain(strings.cc) : undefined)
      if (people.length === 0) {
        const marker = ctx.missingList(block.field)
        if (marker.length === 0) return undefined
        people.push(marker)
      }
      return { kind: 'persons', role: block.type, ...(intro ? { intro } : {}), people }
    }
    case 'placeDate':
    case 'dateline': {
      const rendered = ctx.render(block.template)
      if (rendered) return line(block.type, rendered, block.type === 'dateline' ? 'small' : 'normal')
      const place = ctx.fieldText(block.placeField)
      const date = ctx.dateText(block.dateField)
      const placeValue = block.placeField ? values.get(block.placeField) : undefined
      // A dateline shouts its place ("OSLO, 12 June 2025"); upper-case the value, never the escaped HTML.
      const shownPlace = block.type === 'dateline' && typeof placeValue === 'string' ? fromPlain(placeValue.toUpperCase()) : place
      const pieces = [shownPlace, date].filter((p): p is Rendered => p !== undefined)
      const separator = block.type === 'dateline' ? ', ' : ' '
      return line(
        block.type,
        {
          html: pieces.map((p) => p.html).join(escapeHtml(separator)),
          text: pieces.map((p) => p.text).join(separator),
        },
        block.type === 'dateline' ? 'small' : 'normal',
      )
    }
    case 'subject': {
      const subject = line('subject', ctx.render(block.template) ?? ctx.fieldText(block.field))
      return subject && block.align === 'center' ? { ...subject, centred: true } : subject
    }
    case 'salutation': {
      const salutation = line('salutation', ctx.render(block.template) ?? fromPlain(String(ctx.view.salutation)))
      return salutation && block.bold ? { ...salutation, bold: true } : salutation
    }
    case 'closing':
      return line('closing', ctx.render(block.template) ?? ctx.fieldText(block.field) ?? fromPlain(strings.closing))
    case 'footer': {
      const { address, contact } = template.letterhead
      return line(
        'footer',
        ctx.render(block.template) ?? fromPlain([address, contact].filter(Boolean).join(' · ').replace(/\n/g, ', ')),
        'small',
      )
    }
    case 'text':
      return line('text', ctx.render(block.template), block.style ?? 'normal')
    case 'body': {
      const intro = ctx.render(block.template)
      const value = values.get(block.field)
      const field = template.fields.find((f) => f.name === block.field)
      if (typeof value !== 'string') {
        const marker = ctx.missingList(block.field)[0]
        if (!marker) return undefined
        return {
          kind: 'richtext',
          ...(intro ? { intro } : {}),
          html: `<p>${marker.html}</p>`,
          paragraphs: [{ kind: 'p', inlines: [{ text: marker.text, bold: false, italic: false }] }],
        }
      }
      const html = field?.type === 'richtext' ? sanitizeRichtext(value) : plainToParagraphHtml(value)
      const quotes = block.quotes ? ((values.get(block.quotes) as string[] | undefined) ?? []).filter((q) => q.trim() !== '') : []
      const placed = placeQuotes(html, quotes)
      return {
        kind: 'richtext',
        ...(intro ? { intro } : {}),
        html: placed,
        paragraphs: parseRichtext(placed),
        ...(block.quotes ? { pressQuotes: true as const } : {}),
      }
    }
    case 'requests':
    case 'demands':
    case 'quotes':
    case 'organisations': {
      const items = listOf(block.field)
      if (items.length === 0) return undefined
      const intro = ctx.render(block.template)
      return {
        kind: 'list',
        role: block.type,
        ...(intro ? { intro } : {}),
        items,
        ...((block.type === 'requests' || block.type === 'demands') && block.numbering === '1)' ? { parenNumbers: true as const } : {}),
        ...(block.type === 'organisations' && block.setApart ? { setApart: true as const } : {}),
      }
    }
    case 'signatories': {
      const persons = readPersons(values.get(block.field))
      const intro = ctx.render(block.template)
      const people: SignatoryPart[] = persons.map((p) => ({
        name: fromPlain([p.honorific, p.name].filter(Boolean).join(' ')),
        lines: [p.title, p.organisation].filter((l): l is string => !!l && l.trim() !== '').map(fromPlain),
        credentials: (p.credentials ?? []).filter((c) => c.trim() !== '').map(fromPlain),
        ...(p.signature ? { signature: decodeImage(p.signature) } : {}),
      }))
      if (people.length === 0) {
        const marker = ctx.missingList(block.field)[0]
        if (!marker) return undefined
        people.push({ name: marker, lines: [], credentials: [] })
      }
      return { kind: 'signatories', ...(intro ? { intro } : {}), people }
    }
    case 'annexes': {
      const annex = ctx.options.annex
      if (!annex) return undefined
      const heading = ctx.render(block.template) ?? fromPlain(strings.annexHeading)
      const rows = annex.rows.map((row) => [
        row.name,
        // A date never wraps inside its cell: no-break spaces hold it on one line in every output.
        row.detainedSince ? formatLetterDate(row.detainedSince, template.language).replace(/ /g, NO_BREAK_SPACE) : '',
        row.place ?? '',
        // Rows from dossiers carry codes, written in the letter's language; words a user typed pass through.
        row.status === undefined ? '' : (lookup(ANNEX_WORDS[template.language].statuses, row.status) ?? row.status),
        (row.vulnerability ?? []).map((flag) => lookup(ANNEX_WORDS[template.language].flags, flag) ?? flag).join(', '),
      ])
      return {
        kind: 'annex',
        heading,
        columns: strings.annexColumns,
        rows,
        ...(annex.omitted > 0 ? { omittedNote: strings.omitted(annex.omitted, annex.omittedReason) } : {}),
      }
    }
  }
}

/** `table[key]` for a key that is one of its own (never an inherited property such as "constructor"). */
function lookup(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}
