// Main process (core, Node only): the page geometry and page furniture of a letter in Word — page size and margins
// as in letterCss.ts, the continuation line as a header from page 2 on (a different first-page header), the footer
// and "PAGE / NUMPAGES" on every page — placed where Chromium prints the @page margin boxes of letterPages.ts.
import {
  AlignmentType,
  Footer,
  Header,
  LineRuleType,
  PageNumber,
  Paragraph,
  TextRun,
  convertInchesToTwip,
  convertMillimetersToTwip,
  type ISectionOptions,
} from 'docx'
import type { PageSize } from '../../../../shared/letters/templateModel'
import { PAGE_NUMBER_SEPARATOR, type RunningContent } from './letterPages'

const SANS = 'Liberation Sans'
/** The margin boxes' type: 8.5 pt (17 half-points), line height 1.3, grey. */
const FURNITURE = { font: SANS, size: 17, color: '444444' } as const
const FURNITURE_LINE = Math.round(8.5 * 1.3 * 20)

type Margins = Record<'top' | 'right' | 'bottom' | 'left' | 'header' | 'footer', number>

/**
 * Page sizes in twips (1/20 pt) and margins matching letterCss.ts. `header` is the distance from the top edge to the
 * continuation line, so that it ends 5 mm above the text as Chromium's @top-left box does; `footer` the distance
 * from the bottom edge to the foot of the footer, which starts 5 mm below the text as @bottom-center does.
 */
export const PAGES: Readonly<Record<PageSize, { width: number; height: number; margin: Margins }>> = {
  A4: {
    width: 11906,
    height: 16838,
    margin: {
      top: convertMillimetersToTwip(22),
      right: convertMillimetersToTwip(22),
      bottom: convertMillimetersToTwip(24),
      left: convertMillimetersToTwip(25),
      header: convertMillimetersToTwip(13),
      footer: convertMillimetersToTwip(10),
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
      header: convertMillimetersToTwip(13),
      footer: convertMillimetersToTwip(10),
    },
  },
}

function furnitureParagraph(children: TextRun[], alignment: (typeof AlignmentType)[keyof typeof AlignmentType]): Paragraph {
  return new Paragraph({ alignment, spacing: { before: 0, after: 0, line: FURNITURE_LINE, lineRule: LineRuleType.AT_LEAST }, children })
}

/** The footer of every page: the template's footer text (when it has one) above "n / N" as PAGE and NUMPAGES fields. */
function buildFooter(running: RunningContent, language: string): Footer {
  const run = { ...FURNITURE, language: { value: language } }
  return new Footer({
    children: [
      ...(running.footer ? [furnitureParagraph([new TextRun({ ...run, text: running.footer })], AlignmentType.CENTER)] : []),
      furnitureParagraph(
        [new TextRun({ ...run, children: [PageNumber.CURRENT, PAGE_NUMBER_SEPARATOR, PageNumber.TOTAL_PAGES] })],
        AlignmentType.CENTER,
      ),
    ],
  })
}

/**
 * The section's page properties, headers and footers: the continuation line on every page but the first (Word's
 * "different first page" with an empty first-page header), the footer on all of them.
 */
export function buildDocxPageSetup(
  pageSize: PageSize,
  running: RunningContent,
  language: string,
): Pick<ISectionOptions, 'properties' | 'headers' | 'footers'> {
  const page = PAGES[pageSize]
  return {
    properties: { titlePage: true, page: { size: { width: page.width, height: page.height }, margin: page.margin } },
    headers: {
      first: new Header({ children: [furnitureParagraph([], AlignmentType.LEFT)] }),
      default: new Header({
        children: [
          furnitureParagraph(
            [new TextRun({ ...FURNITURE, language: { value: language }, text: running.continuation })],
            AlignmentType.LEFT,
          ),
        ],
      }),
    },
    footers: { default: buildFooter(running, language), first: buildFooter(running, language) },
  }
}
