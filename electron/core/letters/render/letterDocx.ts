// Main process (core, Node only): writes a composed letter as a Word document with the docx package — real
// headings, numbered and bulleted lists (numbering definitions, restarted per list), a real table for the annex,
// signatories side by side in a borderless table, Liberation fonts named (and embedded when given), the letter's
// language on the document and its runs, and the line heights and spacing of letterCss.ts, so Word (and LibreOffice)
// break the pages where Chromium does. Page size, header and footer: letterDocxPages.ts; measures: letterDocxStyle.ts.
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  HeightRule,
  LineRuleType,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
  type ParagraphChild,
} from 'docx'
import type { AnnexTable, LetterData, LetterTemplate } from '../../../../shared/letters/templateModel'
import { composeLetter, type LetterPart, type SignatoryPart } from './compose'
import { buildDocxPageSetup, PAGES } from './letterDocxPages'
import { packLetterDocx } from './docxZip'
import {
  BODY_PT,
  BULLETED,
  NUMBERED,
  NUMBERED_PAREN,
  PARAGRAPH_AFTER,
  SANS,
  SHORT_PARAGRAPH_CHARS,
  SIGNATORIES_PER_ROW,
  SIGNATORY_GAP_MM,
  SIGNATURE_HEIGHT_MM,
  SIGNATURE_MAX_WIDTH_MM,
  buildDocxStyles,
  buildNumbering,
  imageRun,
  inlineRuns,
  layoutTable,
  lineOf,
  mm,
  pictureSizeMm,
  pt,
  runsOf,
  type ParagraphOptions,
  type Place,
  type RunStyle,
} from './letterDocxStyle'
import { buildRunningContent, opensSignOff } from './letterPages'
import type { LetterFonts } from './letterFonts'
import type { Rendered } from './mustacheRender'
import type { RichParagraph } from './richTextSanitizer'

/**
 * Writer state: each list gets its own numbering instance, so every list counts from 1. Vertical space is letterCss.ts's
 * margins: Word (and LibreOffice reading a .docx) put the larger of one paragraph's space after and the next one's
 * space before between them, as CSS collapses margins.
 */
class DocxWriter {
  private nextInstance = 1
  readonly children: (Paragraph | Table)[] = []

  constructor(
    private readonly language: NonNullable<IRunOptions['language']>,
    /** The width between the page margins, in twips. */
    private readonly contentWidth: number,
  ) {}

  private runs(piece: Rendered, style: RunStyle = {}): TextRun[] {
    return runsOf(piece, { ...style, language: this.language })
  }

  /** A paragraph at `place`; returned, not added, when `detached` (table cells). */
  private build(children: ParagraphChild[], place: Place = {}, options: ParagraphOptions = {}): Paragraph {
    const after = place.after ?? PARAGRAPH_AFTER
    const before = place.before ?? 0
    return new Paragraph({
      ...options,
      // Never one line of a paragraph alone at the foot or the head of a page; with keepNext, at least two lines of
      // a paragraph go with what follows it.
      widowControl: true,
      ...(place.keep ? { keepNext: true } : {}),
      spacing: { before, after, ...(place.line ?? lineOf(BODY_PT)) },
      children,
    })
  }

  private paragraph(children: ParagraphChild[], place: Place = {}, options: ParagraphOptions = {}): void {
    this.children.push(this.build(children, place, options))
  }

  private list(items: readonly Rendered[], reference: string, itemAfter: number): void {
    const instance = this.nextInstance++
    items.forEach((item, i) => {
      const last = i === items.length - 1
      this.paragraph(
        this.runs(item),
        { after: last ? Math.max(itemAfter, PARAGRAPH_AFTER) : itemAfter },
        { numbering: { reference, level: 0, instance } },
      )
    })
  }

  /**
   * Rich text; with `keepTail` its last paragraph (two when the last is short) keeps with what follows. Quotes are
   * italic asides, or with `pressQuotes` a press release's quotes: upright, with a rule at the left.
   */
  private richParagraphs(paragraphs: readonly RichParagraph[], keepTail: boolean, pressQuotes = false): void {
    const instances = new Map<number, number>()
    const textOf = (p: RichParagraph | undefined) => (p ? p.inlines.map((i) => i.text).join('') : '')
    const lastIndex = paragraphs.length - 1
    const keepFrom = !keepTail ? Infinity : textOf(paragraphs[lastIndex]).length < SHORT_PARAGRAPH_CHARS ? lastIndex - 1 : lastIndex
    paragraphs.forEach((p, index) => {
      const children = inlineRuns(p.inlines, this.language)
      const keep = index >= keepFrom
      if (p.kind === 'h2')
        this.paragraph(children, { before: pt(13 * 1.1), after: pt(13 * 0.5), line: lineOf(13) }, { heading: HeadingLevel.HEADING_2 })
      else if (p.kind === 'h3')
        this.paragraph(children, { before: pt(BODY_PT), after: pt(BODY_PT * 0.4) }, { heading: HeadingLevel.HEADING_3 })
      else if (p.kind === 'quote') this.paragraph(children, { keep }, { style: pressQuotes ? 'PressQuote' : 'Quote' })
      else if (p.kind === 'item') {
        let instance = instances.get(p.listId)
        if (instance === undefined) {
          instance = this.nextInstance++
          instances.set(p.listId, instance)
        }
        const next = paragraphs[index + 1]
        const lastOfList = next?.kind !== 'item' || (next.listId !== p.listId && next.level <= p.level)
        this.paragraph(
          children,
          { after: lastOfList ? PARAGRAPH_AFTER : pt(BODY_PT * 0.35), keep },
          { numbering: { reference: p.ordered ? NUMBERED : BULLETED, level: Math.min(p.level, 2), instance } },
        )
      } else this.paragraph(children, { keep })
    })
  }

  private letterhead(part: Extract<LetterPart, { kind: 'letterhead' }>): void {
    const sans = { font: SANS }
    const logo = part.logo ? imageRun(part.logo, 22, 60, true) : undefined
    // Without a logo the text's last line carries the letterhead's 14 mm bottom margin; beside a logo, a spacer does.
    const lastAfter = logo ? 0 : mm(14)
    const text = [
      this.build(
        this.runs(part.organisation, { ...sans, bold: true, size: 28 }),
        { after: part.lines ? mm(2) : lastAfter, line: { line: pt(14 * 1.15), lineRule: LineRuleType.AT_LEAST } },
        { alignment: AlignmentType.RIGHT },
      ),
      ...(part.lines
        ? [
            this.build(
              this.runs(part.lines, { ...sans, size: 18, color: '444444' }),
              { after: lastAfter, line: lineOf(9) },
              { alignment: AlignmentType.RIGHT },
            ),
          ]
        : []),
    ]
    if (logo) {
      const width = this.contentWidth
      // The logo's own width and the letterhead's 12 mm gap, as the CSS flex row sets them.
      const logoWidth = mm((pictureSizeMm(part.logo!, 22, 60, true)?.width ?? 60) + 12)
      this.children.push(
        layoutTable(
          [logoWidth, width - logoWidth],
          [
            new TableRow({
              children: [
                new TableCell({ children: [new Paragraph({ spacing: { after: 0 }, children: [logo] })] }),
                new TableCell({ children: text }),
              ],
            }),
          ],
        ),
      )
      // The letterhead's 14 mm bottom margin, which the next paragraph's space before merges into.
      this.paragraph([], { after: mm(14) - pt(1), line: { line: pt(1), lineRule: LineRuleType.EXACT } })
    } else this.children.push(...text)
  }

  /**
   * A list set apart from the text (a standpoint's "Shared by"), as letterCss.ts .set-apart draws it: 10 pt type, a
   * rule at the left 4 mm from the text, 9 mm above (6 mm margin and 3 mm padding); never split over two pages.
   */
  private setApart(part: Extract<LetterPart, { kind: 'list' }>): void {
    const rule = { left: { style: BorderStyle.SINGLE, size: 18, color: '999999', space: 8 } }
    const lines = [...(part.intro ? [{ piece: part.intro, bold: true }] : []), ...part.items.map((piece) => ({ piece, bold: false }))]
    lines.forEach(({ piece, bold }, i) => {
      const first = i === 0
      const last = i === lines.length - 1
      this.paragraph(
        this.runs(piece, { size: 20, ...(bold ? { bold: true } : {}) }),
        {
          before: first ? mm(9) : 0,
          // The intro's 2 mm, .2em between names, the list's .8em after the last (letterCss.ts .intro, .organisations).
          after: last ? pt(10 * 0.8) : bold ? mm(2) : pt(10 * 0.2),
          line: lineOf(10),
          keep: !last,
        },
        { border: rule, indent: { left: mm(4) } },
      )
    })
  }

  /** Signatories side by side, two to a row, in a borderless table whose rows never split; keeps with `keep`. */
  private signatories(people: readonly SignatoryPart[]): void {
    const width = this.contentWidth
    const columns = people.length === 1 ? 1 : SIGNATORIES_PER_ROW
    const cellWidth = columns === 1 ? width : Math.floor((width - mm(SIGNATORY_GAP_MM)) / columns)
    const widths = columns === 1 ? [width] : [cellWidth + mm(SIGNATORY_GAP_MM), cellWidth]
    const cell = (person: SignatoryPart | undefined, lastRow: boolean): TableCell => {
      if (!person) return new TableCell({ children: [new Paragraph({ children: [] })] })
      const keep = !lastRow
      const picture = person.signature ? imageRun(person.signature, SIGNATURE_HEIGHT_MM, SIGNATURE_MAX_WIDTH_MM) : undefined
      const paragraphs = [
        // A picture's line grows to the picture ("auto"); an empty line keeps the place of a missing signature.
        picture
          ? new Paragraph({
              keepNext: true,
              keepLines: true,
              spacing: { before: 0, after: mm(1), line: 240, lineRule: LineRuleType.AUTO },
              children: [picture],
            })
          : new Paragraph({
              keepNext: true,
              spacing: { before: 0, after: mm(1), line: mm(SIGNATURE_HEIGHT_MM), lineRule: LineRuleType.EXACT },
              children: [],
            }),
        new Paragraph({
          keepNext: true,
          spacing: { before: 0, after: 0, ...lineOf(BODY_PT) },
          children: this.runs(person.name, { bold: true }),
        }),
        ...person.lines.map(
          (line) => new Paragraph({ keepNext: true, spacing: { before: 0, after: 0, ...lineOf(BODY_PT) }, children: this.runs(line) }),
        ),
        // Credentials are lines of prose under the title (letterCss.ts .signatory .credentials), not a list.
        ...person.credentials.map(
          (credential, i) =>
            new Paragraph({
              keepNext: keep,
              spacing: { before: i === 0 ? mm(1) : 0, after: 0, ...lineOf(10) },
              children: this.runs(credential, { size: 20 }),
            }),
        ),
      ]
      return new TableCell({ children: paragraphs })
    }
    const rows: TableRow[] = []
    for (let i = 0; i < people.length; i += columns) {
      const lastRow = i + columns >= people.length
      const row = Array.from({ length: columns }, (_, c) => cell(people[i + c], lastRow))
      rows.push(new TableRow({ cantSplit: true, children: row }))
      if (!lastRow)
        rows.push(
          new TableRow({
            cantSplit: true,
            height: { value: mm(6), rule: HeightRule.EXACT },
            children: row.map(() => new TableCell({ children: [new Paragraph({ keepNext: true, children: [] })] })),
          }),
        )
    }
    this.nextInstance++
    this.children.push(layoutTable(widths, rows))
  }

  /** Writes one part; `keepWithNext` when it ends the text right above a sign-off or opens one (closing, signing date). */
  writePart(part: LetterPart, keepWithNext = false): void {
    switch (part.kind) {
      case 'letterhead':
        this.letterhead(part)
        return
      case 'persons':
        if (part.intro) this.paragraph(this.runs(part.intro, { bold: true }), { after: mm(1), keep: true })
        part.people.forEach((lines, i) => {
          const last = i === part.people.length - 1
          // A copy list is compact (letterCss.ts .cc .person): 1 mm between people, 3 mm in a list of recipients.
          const between = part.role === 'cc' ? mm(1) : mm(3)
          this.paragraph(this.runs({ html: '', text: lines.map((l) => l.text).join('\n') }), { after: last ? mm(6) : between })
        })
        return
      case 'line':
        switch (part.role) {
          case 'subject':
            this.paragraph(
              this.runs(part.content),
              { before: mm(2), after: mm(6), line: lineOf(14) },
              { heading: HeadingLevel.HEADING_1, ...(part.centred ? { alignment: AlignmentType.CENTER } : {}) },
            )
            return
          case 'placeDate':
            this.paragraph(this.runs(part.content), { before: mm(6), after: mm(6), keep: keepWithNext }, { alignment: AlignmentType.RIGHT })
            return
          case 'dateline':
            this.paragraph(this.runs(part.content, { size: 19, font: SANS, color: '444444' }), { after: mm(4), line: lineOf(9.5) })
            return
          case 'footer':
            // Printed as the page footer of every page (letterDocxPages.ts), as the PDF prints it.
            return
          case 'salutation':
            this.paragraph(this.runs(part.content, part.bold ? { bold: true } : {}), { after: mm(4) })
            return
          case 'closing':
            this.paragraph(this.runs(part.content), { before: mm(8), after: mm(2), keep: true })
            return
          default:
            if (part.style === 'title')
              this.paragraph(
                this.runs(part.content),
                { after: mm(3), line: lineOf(18) },
                { heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER },
              )
            else if (part.style === 'heading')
              this.paragraph(
                this.runs(part.content),
                { before: mm(5), after: mm(3), line: lineOf(13) },
                { heading: HeadingLevel.HEADING_2 },
              )
            else if (part.style === 'lead')
              this.paragraph(this.runs(part.content, { bold: true, size: 25 }), { after: mm(5), line: lineOf(12.5), keep: keepWithNext })
            else if (part.style === 'small')
              this.paragraph(this.runs(part.content, { size: 18, color: '444444' }), { line: lineOf(9), keep: keepWithNext })
            else this.paragraph(this.runs(part.content), { keep: keepWithNext })
            return
        }
      case 'richtext':
        if (part.intro) this.paragraph(this.runs(part.intro), { after: mm(2), keep: true })
        this.richParagraphs(part.paragraphs, keepWithNext, part.pressQuotes)
        return
      case 'list':
        if (part.setApart) {
          this.setApart(part)
          return
        }
        if (part.intro) this.paragraph(this.runs(part.intro), { after: mm(2), keep: true })
        if (part.role === 'requests' || part.parenNumbers)
          this.list(part.items, part.parenNumbers ? NUMBERED_PAREN : NUMBERED, pt(BODY_PT * 0.5))
        else if (part.role === 'demands') this.list(part.items, BULLETED, pt(BODY_PT * 0.5))
        else if (part.role === 'quotes')
          for (const item of part.items) this.paragraph(this.runs(item, { italics: false }), {}, { style: 'Quote' })
        else {
          // Signing organisations: one line each, never split over two pages.
          part.items.forEach((item, i) => {
            const last = i === part.items.length - 1
            this.paragraph(this.runs(item), { after: last ? PARAGRAPH_AFTER : pt(BODY_PT * 0.2), keep: !last })
          })
        }
        return
      case 'signatories':
        if (part.intro) this.paragraph(this.runs(part.intro), { after: mm(2), keep: true })
        this.signatories(part.people)
        return
      case 'annex': {
        this.paragraph(
          this.runs(part.heading),
          { before: pt(13 * 1.1), after: pt(13 * 0.5), line: lineOf(13) },
          { heading: HeadingLevel.HEADING_2, pageBreakBefore: true },
        )
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
        if (part.omittedNote)
          this.paragraph([new TextRun({ text: part.omittedNote, size: 19, language: this.language })], { before: mm(3) })
      }
    }
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
  const language = { value: letter.template.language }
  const page = PAGES[letter.template.pageSize]
  const writer = new DocxWriter(language, page.width - page.margin.left - page.margin.right)
  // Keep with next: the end of the text above a sign-off, and the line that opens one (a closing, a signing date).
  letter.parts.forEach((part, i) =>
    writer.writePart(part, opensSignOff(letter.parts[i + 1], letter.parts[i + 2]) || opensSignOff(part, letter.parts[i + 1])),
  )
  const doc = new Document({
    creator: letter.template.letterhead.organisation,
    title: letter.title,
    ...(opts.fonts
      ? {
          // The faces the letter uses (usedFaces in letterFonts.ts): no sans italic.
          fonts: [
            { name: opts.fonts.serif.name, data: opts.fonts.serif.regular, bold: opts.fonts.serif.bold, italic: opts.fonts.serif.italic },
            { name: opts.fonts.sans.name, data: opts.fonts.sans.regular, bold: opts.fonts.sans.bold },
          ],
        }
      : {}),
    styles: buildDocxStyles(language),
    numbering: buildNumbering(),
    sections: [
      { ...buildDocxPageSetup(letter.template.pageSize, buildRunningContent(letter), letter.template.language), children: writer.children },
    ],
  })
  return packLetterDocx(doc)
}
