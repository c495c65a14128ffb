// Main process (core, Node only): the one stylesheet for letters — print (A4 / US Letter via @page) and the live
// preview use the same rules, so what is previewed is what prints.
import type { PageSize } from '../../../../shared/letters/templateModel'
import { buildFontFaceCss, type LetterFontSource, type LetterFonts } from './letterFonts'

/** Page box per size; margins leave room for a punched binder edge and a window envelope's address area. */
const PAGE_RULES: Readonly<Record<PageSize, string>> = {
  A4: '@page{size:A4;margin:22mm 22mm 24mm 25mm}',
  Letter: '@page{size:letter;margin:0.9in 0.9in 1in 1in}',
}

/** Screen preview width matching the printable width of each page size. */
const SHEET_WIDTH: Readonly<Record<PageSize, string>> = { A4: '210mm', Letter: '8.5in' }

const BASE_CSS = `
:root{--ink:#111;--muted:#444;--rule:#999}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;color:var(--ink);font-family:'Liberation Serif','Times New Roman',serif;font-size:11.5pt;line-height:1.38;
  font-kerning:normal;hyphens:manual;orphans:3;widows:3}
.letter{margin:0 auto;overflow-wrap:anywhere}
@media screen{body{background:#e9e9e9}.letter{background:#fff;padding:22mm 22mm 24mm 25mm;margin:12px auto;
  box-shadow:0 1px 4px rgba(0,0,0,.25)}}
p{margin:0 0 .8em}
h1,h2,h3{font-family:'Liberation Sans',Arial,sans-serif;break-after:avoid;page-break-after:avoid}
h2{font-size:13pt;margin:1.1em 0 .5em}
h3{font-size:11.5pt;margin:1em 0 .4em}
a{color:inherit}
ul,ol{margin:0 0 .8em;padding-left:1.6em}
li{margin:0 0 .35em}
blockquote{margin:0 0 .8em 1.2em;padding-left:.8em;border-left:2px solid var(--rule);font-style:italic}
.letterhead{display:flex;align-items:flex-start;justify-content:space-between;gap:12mm;margin-bottom:14mm;
  font-family:'Liberation Sans',Arial,sans-serif}
.letterhead .logo{max-height:22mm;max-width:60mm}
.letterhead .org{font-weight:700;font-size:14pt;line-height:1.15}
.letterhead .org-lines{font-size:9pt;color:var(--muted);margin-top:2mm}
.letterhead .org-text{text-align:right;margin-left:auto}
.persons{margin-bottom:6mm}
.persons .person{margin-bottom:3mm}
.cc .person{margin-bottom:1mm}
.persons .intro{font-weight:700;margin-bottom:1mm;break-after:avoid;page-break-after:avoid}
.place-date{text-align:right;margin:6mm 0}
.dateline{font-family:'Liberation Sans',Arial,sans-serif;font-size:9.5pt;color:var(--muted);margin-bottom:4mm}
.subject{font-family:'Liberation Sans',Arial,sans-serif;font-size:14pt;font-weight:700;margin:2mm 0 6mm}
.subject.centred{text-align:center}
.lead{font-size:12.5pt;font-weight:700;margin:0 0 5mm}
.title{font-family:'Liberation Sans',Arial,sans-serif;font-size:18pt;font-weight:700;letter-spacing:.04em;
  text-align:center;margin:0 0 3mm}
.heading{font-family:'Liberation Sans',Arial,sans-serif;font-size:13pt;font-weight:700;margin:5mm 0 3mm}
.small{font-size:9pt;color:var(--muted)}
.salutation{margin:0 0 4mm}
.salutation.bold{font-weight:700}
.intro{margin:0 0 2mm;break-after:avoid;page-break-after:avoid}
.requests li,.demands li{margin-bottom:.5em}
.quotes blockquote,.press-quotes blockquote{font-style:normal}
.press-quotes blockquote{margin-left:0;padding-left:4mm;border-left:3px solid var(--muted)}
ol.paren>li::marker{content:counter(list-item) ") "}
.closing{margin:8mm 0 2mm;break-after:avoid;page-break-after:avoid}
.sign-off{break-inside:avoid;page-break-inside:avoid}
.signatories{display:flex;flex-wrap:wrap;gap:6mm 16mm;break-inside:avoid;page-break-inside:avoid}
.signatory{min-width:60mm;max-width:100%;flex:1 1 60mm}
.signatory .signature{display:block;height:18mm;max-width:60mm;object-fit:contain;margin-bottom:1mm}
.signatory .no-signature{height:18mm;margin-bottom:1mm}
.signatory .name{font-weight:700}
.signatory .credentials{margin:1mm 0 0;font-size:10pt}
.organisations{break-before:avoid;break-inside:avoid;page-break-inside:avoid}
.organisations ul{list-style:none;padding-left:0}
.organisations li{margin:0 0 .2em}
.organisations.set-apart{margin:6mm 0 0;padding:3mm 0 0 4mm;border-left:3px solid var(--rule);font-size:10pt}
.organisations.set-apart .intro{font-weight:700}
.footer{margin-top:10mm;padding-top:2mm;border-top:1px solid var(--rule);font-family:'Liberation Sans',Arial,sans-serif;
  font-size:8.5pt;color:var(--muted);text-align:center}
.annex{break-before:page;page-break-before:always}
.annex table{width:100%;border-collapse:collapse;font-size:9.5pt;table-layout:fixed}
.annex th:nth-child(1){width:22%}.annex th:nth-child(2){width:20%}.annex th:nth-child(3){width:25%}.annex th:nth-child(4){width:14%}
.annex th,.annex td{border:1px solid var(--rule);padding:1.5mm 2mm;text-align:left;vertical-align:top}
.annex thead{display:table-header-group}
.annex tr{break-inside:avoid;page-break-inside:avoid}
.annex td:nth-child(2){white-space:nowrap}
.annex .omitted{margin-top:3mm;font-size:9.5pt}
.missing,.unknown-placeholder{background:#fff3b0;color:#7a4b00;font-family:'Liberation Sans',Arial,sans-serif;
  font-size:.9em;padding:0 .2em;border-radius:2px}
@media print{.missing,.unknown-placeholder{background:none;outline:1px dashed #7a4b00}.footer{display:none}}
`

/**
 * Returns the complete stylesheet for a letter on `pageSize`, with @font-face rules for the bundled fonts when given,
 * embedded or linked (`fontSource`, see LetterFontSource). Without fonts the same family names are used and the
 * system's copies (if any) apply.
 */
export function buildLetterCss(pageSize: PageSize, fonts?: LetterFonts, fontSource: LetterFontSource = 'embedded'): string {
  const faces = fonts ? `${buildFontFaceCss(fonts, fontSource)}\n` : ''
  const sheet = `@media screen{.letter{width:${SHEET_WIDTH[pageSize]}}}`
  return `${faces}${PAGE_RULES[pageSize]}\n${BASE_CSS}${sheet}\n`
}
