// Main process (core, Node only): the measures and small building blocks of a letter in Word — letterCss.ts's type
// sizes, line heights and margins in twips, runs in the letter's language, pictures sized as CSS sizes them,
// borderless layout tables and the list numbering definitions. letterDocx.ts writes the letter with them.
import {
  AlignmentType,
  BorderStyle,
  type Document,
  ExternalHyperlink,
  ImageRun,
  LevelFormat,
  LineRuleType,
  SoftHyphen,
  type Paragraph,
  Table,
  TableBorders,
  type TableRow,
  TextRun,
  WidthType,
  convertMillimetersToTwip,
  type IRunOptions,
  type ParagraphChild,
} from 'docx'
import type { EmbeddedImage } from './letterParts'
import type { Rendered } from './mustacheRender'
import type { RichInline } from './richTextSanitizer'
import { SOFT_HYPHEN } from './typeset'

export const SERIF = 'Liberation Serif'
export const SANS = 'Liberation Sans'
export const NUMBERED = 'custodia-numbered'
export const BULLETED = 'custodia-bulleted'
/** Numbered "1)" (a joint statement's demands). */
export const NUMBERED_PAREN = 'custodia-numbered-paren'

/** Twips for a length in points. */
export const pt = (points: number): number => Math.round(points * 20)
/** Twips for a length in millimetres. */
export const mm = (millimetres: number): number => convertMillimetersToTwip(millimetres)

/** letterCss.ts sets every line at 1.38 times its type size; "at least" keeps a taller picture from being clipped. */
export const LINE_HEIGHT = 1.38
export const lineOf = (sizePt: number) => ({ line: pt(sizePt * LINE_HEIGHT), lineRule: LineRuleType.AT_LEAST })
export const BODY_PT = 11.5
/** A paragraph's bottom margin in letterCss.ts: .8em of the body size. */
export const PARAGRAPH_AFTER = pt(BODY_PT * 0.8)
/** Signature pictures are 18 mm high and at most 60 mm wide (letterCss.ts .signatory .signature). */
export const SIGNATURE_HEIGHT_MM = 18
export const SIGNATURE_MAX_WIDTH_MM = 60
/** Signatories per row and the gap between them (letterCss.ts .signatories: 60 mm items, 16 mm apart). */
export const SIGNATORIES_PER_ROW = 2
export const SIGNATORY_GAP_MM = 16
/** A last paragraph this short (about two lines) takes the one before it along with the closing (as letterHtml.ts). */
export const SHORT_PARAGRAPH_CHARS = 200
/** Pixels per millimetre for docx's picture sizes, which are in 96 dpi pixels. */
export const PX_PER_MM = 96 / 25.4

export type RunStyle = Pick<IRunOptions, 'bold' | 'italics' | 'size' | 'font' | 'color' | 'language'>

/** A run's text with the composer's soft hyphens as Word's own optional hyphens (Word prints a U+00AD as "-"). */
function textChildren(text: string): (string | SoftHyphen)[] {
  return text.split(SOFT_HYPHEN).flatMap((piece, i) => (i === 0 ? [piece] : [new SoftHyphen(), piece]))
}

/** Text runs for one Rendered piece; its line breaks become Word line breaks. */
export function runsOf(piece: Rendered, style: RunStyle = {}): TextRun[] {
  return piece.text.split('\n').map((line, i) => new TextRun({ children: textChildren(line), ...(i > 0 ? { break: 1 } : {}), ...style }))
}

/** Runs for rich inlines, links as real hyperlinks. */
export function inlineRuns(inlines: readonly RichInline[], language: IRunOptions['language']): ParagraphChild[] {
  return inlines.map((inline) => {
    if (inline.text === '\n') return new TextRun({ break: 1 })
    const run = new TextRun({
      children: textChildren(inline.text),
      language,
      ...(inline.bold ? { bold: true } : {}),
      ...(inline.italic ? { italics: true } : {}),
      ...(inline.href ? { style: 'Hyperlink' } : {}),
    })
    return inline.href ? new ExternalHyperlink({ link: inline.href, children: [run] }) : run
  })
}

/**
 * An inline picture `heightMm` high (at most `maxWidthMm` wide), keeping its aspect ratio, as CSS object-fit:contain
 * draws it; with `noUpscale` a small picture keeps its own size (CSS max-height). None if its size is unreadable.
 */
export function imageRun(image: EmbeddedImage, heightMm: number, maxWidthMm = Infinity, noUpscale = false): ImageRun | undefined {
  const size = pictureSizeMm(image, heightMm, maxWidthMm, noUpscale)
  if (!size) return undefined
  return new ImageRun({
    type: image.type,
    data: image.bytes,
    transformation: { height: Math.round(size.height * PX_PER_MM), width: Math.round(size.width * PX_PER_MM) },
  })
}

/** The size in millimetres imageRun gives a picture; undefined if its pixel size is unreadable. */
export function pictureSizeMm(
  image: EmbeddedImage,
  heightMm: number,
  maxWidthMm = Infinity,
  noUpscale = false,
): { width: number; height: number } | undefined {
  if (!image.width || !image.height) return undefined
  const natural = noUpscale ? 1 / PX_PER_MM : Infinity
  const scale = Math.min(heightMm / image.height, maxWidthMm / image.width, natural)
  return { width: image.width * scale, height: image.height * scale }
}

export type ParagraphOptions = Omit<ConstructorParameters<typeof Paragraph>[0] & object, 'children' | 'spacing'>

/** Where a paragraph sits: its CSS top and bottom margins (twips), its line, and whether it keeps with the next. */
export type Place = {
  before?: number
  after?: number
  line?: { line: number; lineRule: (typeof LineRuleType)[keyof typeof LineRuleType] }
  keep?: boolean
}

/** A table without borders or cell padding, columns in twips: the letterhead with a logo, the signatories. */
export function layoutTable(columnWidths: readonly number[], rows: TableRow[]): Table {
  return new Table({
    columnWidths: [...columnWidths],
    width: { size: columnWidths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    borders: TableBorders.NONE,
    margins: { top: 0, bottom: 0, left: 0, right: 0 },
    rows,
  })
}

/**
 * Writer state: each list gets its own numbering instance, so every list counts from 1. Vertical space is letterCss.ts's
 * margins: Word (and LibreOffice reading a .docx) put the larger of one paragraph's space after and the next one's
 * space before between them, as CSS collapses margins.
 */
/** Numbering definitions: decimal "1." and "1)" and bullets, three levels each, hanging indents. */
export function buildNumbering(): ConstructorParameters<typeof Document>[0]['numbering'] {
  const levels = (ordered: boolean, close = '.') =>
    [0, 1, 2].map((level) => ({
      level,
      format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
      text: ordered ? `%${level + 1}${close}` : (['•', '–', '◦'][level] ?? '•'),
      alignment: AlignmentType.LEFT,
      style: { paragraph: { indent: { left: convertMillimetersToTwip(7 + 7 * level), hanging: convertMillimetersToTwip(6) } } },
    }))
  return {
    config: [
      { reference: NUMBERED, levels: levels(true) },
      { reference: NUMBERED_PAREN, levels: levels(true, ')') },
      { reference: BULLETED, levels: levels(false) },
    ],
  }
}

/**
 * The document's styles: defaults in the letter's language (Word checks its spelling), the title and heading styles
 * (sans, bold, kept with the next paragraph), and the two quote styles — "Quote", italic and indented (a quote in the
 * text), and "PressQuote", upright behind a rule at the left (a press release's quotes, letterCss.ts .press-quotes).
 */
export function buildDocxStyles(
  language: NonNullable<IRunOptions['language']>,
): NonNullable<ConstructorParameters<typeof Document>[0]['styles']> {
  const heading = (size: number) => ({
    run: { font: SANS, bold: true, size, color: '000000' },
    paragraph: { spacing: { before: 0, after: 0 }, keepNext: true, keepLines: true },
  })
  return {
    default: {
      // The letter's language on the document defaults (and on every run), so Word checks its spelling.
      document: {
        run: { font: SERIF, size: 23, language },
        paragraph: { spacing: { after: PARAGRAPH_AFTER, ...lineOf(BODY_PT) } },
      },
      title: {
        run: { font: SANS, bold: true, size: 36, color: '000000', characterSpacing: pt(18 * 0.04) },
        paragraph: { spacing: { after: 0 } },
      },
      heading1: heading(28),
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
        paragraph: { indent: { left: pt(BODY_PT * 2) } },
      },
      {
        id: 'PressQuote',
        name: 'Press quote',
        basedOn: 'Normal',
        next: 'Normal',
        paragraph: {
          indent: { left: mm(4) },
          border: { left: { style: BorderStyle.SINGLE, size: 18, color: '444444', space: 8 } },
        },
      },
    ],
  }
}
