// Main process (core, Node only): writes a composed letter as a Word document with the docx package — real
// headings, numbered and bulleted lists (numbering definitions, restarted per list), a real table for the annex,
// Liberation fonts named (and embedded when given), A4 or US Letter pages.
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  SoftHyphen,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  convertInchesToTwip,
  convertMillimetersToTwip,
  type ParagraphChild,
} from 'docx'
import type { AnnexTable, LetterData, LetterTemplate, PageSize } from '../../../../shared/letters/templateModel'
import { composeLetter, type EmbeddedImage, type LetterPart } from './compose'
import type { LetterFonts } from './letterFonts'
import type { Rendered } from './mustacheRender'
import type { RichInline, RichParagraph } from './richTextSanitizer'
import { SOFT_HYPHEN } from './typeset'

const SERIF = 'Liberation Serif'
const SANS = 'Liberation Sans'
const NUMBERED = 'custodia-numbered'
const BULLETED = 'custodia-bulleted'

/** Page sizes in twips (1/20 pt) and margins matching letterCss.ts. */
const PAGES: Readonly<Record<PageSize, { width: number; height: number; margin: Record<'top' | 'right' | 'bottom' | 'left', number> }>> = {
  A4: {
    width: 11906,
    height: 16838,
    margin: {
      top: convertMillimetersToTwip(22),
      right: convertMillimetersToTwip(22),
      bottom: convertMillimetersToTwip(24),
      left: convertMillimetersToTwip(25),
    },
  },
  Letter: {
    width: 12240,
    height: 15840,
    margin: {
      top: convertInchesToTwip(0.9),
      right: convertInchesToTwip(0.9),
      bottom: convertInchesToTwip(1),
      left: convertInchesToTwip(1),
    },
  },
}

/** A run's text with the composer's soft hyphens as Word's own optional hyphens (Word prints a U+00AD as "-"). */
function textChildren(text: string): (string | SoftHyphen)[] {
  return text.split(SOFT_HYPHEN).flatMap((piece, i) => (i === 0 ? [piece] : [new SoftHyphen(), piece]))
}

/** Text runs for one Rendered piece; its line breaks become Word line breaks. */
function runsOf(piece: Rendered, style: { bold?: boolean; italics?: boolean; size?: number; font?: string } = {}): TextRun[] {
  return piece.text.split('\n').map((line, i) => new TextRun({ children: textChildren(line), ...(i > 0 ? { break: 1 } : {}), ...style }))
}

/** Runs for rich inlines, links as real hyperlinks. */
function inlineRuns(inlines: readonly RichInline[]): ParagraphChild[] {
  return inlines.map((inline) => {
    if (inline.text === '\n') return new TextRun({ break: 1 })
    const run = new TextRun({
      children: textChildren(inline.text),
      ...(inline.bold ? { bold: true } : {}),
      ...(inline.italic ? { italics: true } : {}),
      ...(inline.href ? { style: 'Hyperlink' } : {}),
    })
    return inline.href ? new ExternalHyperlink({ link: inline.href, children: [run] }) : run
  })
}

/** An inline picture scaled to a height in pixels (96 dpi), keeping its aspect ratio; none if unreadable. */
function imageRun(image: EmbeddedImage, height: number): ImageRun | undefined {
  if (!image.width || !image.height) return undefined
  const scaled = Math.min(height, image.height)
  return new ImageRun({
    type: image.type,
    data: image.bytes,
    transformation: { height: scaled, width: Math.round((image.width * scaled) / image.height) },
  })
}

/** Writer state: each list gets its own numbering instance, so every list counts from 1. */
class DocxWriter {
  private nextInstance = 1
  readonly children: (Paragraph | Table)[] = []

  private paragraph(children: ParagraphChild[], options: Omit<ConstructorParameters<typeof Paragraph>[0] & object, 'children'> = {}): void {
    this.children.push(new Paragraph({ ...options, children }))
  }

  private list(items: readonly Rendered[], ordered: boolean): void {
    const instance = this.nextInstance++
    for (const item of items) {
      this.paragraph(runsOf(item), { numbering: { reference: ordered ? NUMBERED : BULLETED, level: 0, instance }, spacing: { after: 80 } })
    }
  }

  private richParagraphs(paragraphs: readonly RichParagraph[]): void {
    const instances = new Map<number, number>()
    for (const p of paragraphs) {
      const children = inlineRuns(p.inlines)
      if (p.kind === 'h2') this.paragraph(children, { heading: HeadingLevel.HEADING_2 })
      else if (p.kind === 'h3') this.paragraph(children, { heading: HeadingLevel.HEADING_3 })
      else if (p.kind === 'quote') this.paragraph(children, { style: 'Quote' })
      else if (p.kind === 'item') {
        let instance = instances.get(p.listId)
        if (instance === undefined) {
          instance = this.nextInstance++
          instances.set(p.listId, instance)
        }
        this.paragraph(children, { numbering: { reference: p.ordered ? NUMBERED : BULLETED, level: Math.min(p.level, 2), instance } })
      } else this.paragraph(children)
    }
  }

  writePart(part: LetterPart): void {
    switch (part.kind) {
      case 'letterhead': {
        const logo = part.logo ? imageRun(part.logo, 80) : undefined
        if (logo) this.paragraph([logo])
        this.paragraph(runsOf(part.organisation, { bold: true, size: 28, font: SANS }), { alignment: AlignmentType.RIGHT })
        if (part.lines)
          this.paragraph(runsOf(part.lines, { size: 18, font: SANS }), { alignment: AlignmentType.RIGHT, spacing: { after: 480 } })
        return
      }
      case 'persons':
        if (part.intro) this.paragraph(runsOf(part.intro, { bold: true }), { spacing: { after: 40 } })
        for (const lines of part.people) {
          this.paragraph(runsOf({ html: '', text: lines.map((l) => l.text).join('\n') }), { spacing: { after: 160 } })
        }
        return
      case 'line':
        switch (part.role) {
          case 'subject':
            this.paragraph(runsOf(part.content), { heading: HeadingLevel.HEADING_1 })
            return
          case 'placeDate':
            this.paragraph(runsOf(part.content), { alignment: AlignmentType.RIGHT, spacing: { before: 240, after: 240 } })
            return
          case 'dateline':
          case 'footer':
            this.paragraph(runsOf(part.content, { size: 18, font: SANS }), {
              alignment: part.role === 'footer' ? AlignmentType.CENTER : AlignmentType.LEFT,
              spacing: { before: part.role === 'footer' ? 480 : 0, after: 160 },
            })
            return
          case 'closing':
            this.paragraph(runsOf(part.content), { spacing: { before: 360, after: 120 } })
            return
          default:
            if (part.style === 'title')
              this.paragraph(runsOf(part.content), { heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER })
            else if (part.style === 'heading') this.paragraph(runsOf(part.content), { heading: HeadingLevel.HEADING_2 })
            else this.paragraph(runsOf(part.content, part.style === 'small' ? { size: 18 } : {}))
            return
        }
      case 'richtext':
        if (part.intro) this.paragraph(runsOf(part.intro))
        this.richParagraphs(part.paragraphs)
        return
      case 'list':
        if (part.intro) this.paragraph(runsOf(part.intro), { keepNext: true })
        if (part.role === 'requests') this.list(part.items, true)
        else if (part.role === 'demands') this.list(part.items, false)
        else if (part.role === 'quotes') for (const item of part.items) this.paragraph(runsOf(item), { style: 'Quote' })
        else for (const item of part.items) this.paragraph(runsOf(item), { spacing: { after: 20 } })
        return
      case 'signatories':
        if (part.intro) this.paragraph(runsOf(part.intro))
        for (const person of part.people) {
          const signature = person.signature ? imageRun(person.signature, 70) : undefined
          this.paragraph(signature ? [signature] : [new TextRun('')], { spacing: { before: 240 }, keepNext: true })
          this.paragraph(runsOf(person.name, { bold: true }), { keepNext: true, spacing: { after: 0 } })
          for (const line of person.lines) this.paragraph(runsOf(line), { keepNext: true, spacing: { after: 0 } })
          if (person.credentials.length) this.list(person.credentials, false)
        }
        return
      case 'annex': {
        this.paragraph(runsOf(part.heading), { heading: HeadingLevel.HEADING_2, pageBreakBefore: true })
        if (part.rows.length) {
          const cell = (text: string, header: boolean): TableCell =>
            new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold: header, size: 19 })] })] })
          this.children.push(
            new Table({
              width: { size: 100, type: WidthType.PERCENTAGE },
              rows: [
                new TableRow({ tableHeader: true, children: part.columns.map((c) => cell(c, true)) }),
                ...part.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c) => cell(c, false)) })),
              ],
            }),
          )
        }
        if (part.omittedNote) this.paragraph([new TextRun({ text: part.omittedNote, size: 19 })], { spacing: { before: 160 } })
      }
    }
  }
}

/** Numbering definitions: decimal "1." and bullets, three levels each, hanging indents. */
function buildNumbering(): ConstructorParameters<typeof Document>[0]['numbering'] {
  const levels = (ordered: boolean) =>
    [0, 1, 2].map((level) => ({
      level,
      format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
      text: ordered ? `%${level + 1}.` : (['•', '–', '◦'][level] ?? '•'),
      alignment: AlignmentType.LEFT,
      style: { paragraph: { indent: { left: convertMillimetersToTwip(7 + 7 * level), hanging: convertMillimetersToTwip(6) } } },
    }))
  return {
    config: [
      { reference: NUMBERED, levels: levels(true) },
      { reference: BULLETED, levels: levels(false) },
    ],
  }
}

/**
 * Renders a letter as a .docx file. `strict` (default true: this is an export) refuses empty required fields.
 * With `fonts` the Liberation fonts are embedded in the file, so Word without them installed shows the same letter.
 * Throws CustodiaError('VALIDATION') for an invalid template, data or annex.
 */
export async function renderLetterDocx(
  template: LetterTemplate,
  data: LetterData,
  opts: { annex?: AnnexTable; fonts?: LetterFonts; strict?: boolean } = {},
): Promise<Buffer> {
  const letter = composeLetter(template, data, { ...(opts.annex ? { annex: opts.annex } : {}), strict: opts.strict ?? true })
  const writer = new DocxWriter()
  for (const part of letter.parts) writer.writePart(part)
  const page = PAGES[letter.template.pageSize]
  const heading = (size: number) => ({
    run: { font: SANS, bold: true, size, color: '000000' },
    paragraph: { spacing: { before: 240, after: 120 }, keepNext: true },
  })
  const doc = new Document({
    creator: letter.template.letterhead.organisation,
    title: letter.title,
    ...(opts.fonts
      ? {
          fonts: [opts.fonts.serif, opts.fonts.sans].map((f) => ({ name: f.name, data: f.regular, bold: f.bold, italic: f.italic })),
        }
      : {}),
    styles: {
      default: {
        document: { run: { font: SERIF, size: 23 }, paragraph: { spacing: { after: 160, line: 300 } } },
        title: { run: { font: SANS, bold: true, size: 36, color: '000000' }, paragraph: { spacing: { after: 120 } } },
        heading1: heading(26),
        heading2: heading(26),
        heading3: heading(23),
      },
      paragraphStyles: [
        {
          id: 'Quote',
          name: 'Quote',
          basedOn: 'Normal',
          next: 'Normal',
          run: { italics: true },
          paragraph: { indent: { left: convertMillimetersToTwip(10) } },
        },
      ],
    },
    numbering: buildNumbering(),
    sections: [
      {
        properties: { page: { size: { width: page.width, height: page.height }, margin: page.margin } },
        children: writer.children,
      },
    ],
  })
  return Packer.toBuffer(doc)
}
