// Main process (core, Node only): loads the bundled letter fonts (resources/fonts) once, for embedding in HTML
// (as data: URLs) and DOCX.
import fs from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../../../shared/errors'

/** Font files of one family. Buffers are the TTF bytes, read once and shared: do not modify them. */
export type LetterFontFamily = {
  readonly name: string
  readonly regular: Buffer
  readonly bold: Buffer
  readonly italic: Buffer
}

/** The two families a letter uses: serif for the text, sans for the letterhead and small print. */
export type LetterFonts = { readonly serif: LetterFontFamily; readonly sans: LetterFontFamily }

const FILES = {
  serif: {
    name: 'Liberation Serif',
    regular: 'LiberationSerif-Regular.ttf',
    bold: 'LiberationSerif-Bold.ttf',
    italic: 'LiberationSerif-Italic.ttf',
  },
  sans: {
    name: 'Liberation Sans',
    regular: 'LiberationSans-Regular.ttf',
    bold: 'LiberationSans-Bold.ttf',
    italic: 'LiberationSans-Italic.ttf',
  },
} as const

const cache = new Map<string, LetterFonts>()

/** Reads one TTF, checking the sfnt version tag, so a wrong or truncated file fails here and not in print. */
function readFont(dir: string, file: string): Buffer {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(path.join(dir, file))
  } catch {
    throw new CustodiaError('NOT_FOUND', `letter font ${file} is missing from the fonts folder`)
  }
  const tag = bytes.subarray(0, 4).toString('hex')
  if (bytes.length < 1024 || (tag !== '00010000' && tag !== '74727565')) {
    throw new CustodiaError('CORRUPT', `letter font ${file} is not a TrueType font`)
  }
  return bytes
}

/**
 * Loads Liberation Serif and Sans (regular, bold, italic) from `fontsDir` (the app's resources/fonts).
 * Cached per folder. Throws CustodiaError NOT_FOUND or CORRUPT naming the file (never the folder path).
 */
export function loadLetterFonts(fontsDir: string): LetterFonts {
  const key = path.resolve(fontsDir)
  const cached = cache.get(key)
  if (cached) return cached
  const family = (spec: (typeof FILES)['serif' | 'sans']): LetterFontFamily =>
    Object.freeze({
      name: spec.name,
      regular: readFont(key, spec.regular),
      bold: readFont(key, spec.bold),
      italic: readFont(key, spec.italic),
    })
  const fonts = Object.freeze({ serif: family(FILES.serif), sans: family(FILES.sans) })
  cache.set(key, fonts)
  return fonts
}

const faceCss = new WeakMap<LetterFonts, string>()

/**
 * The faces a letter sets its text in: the serif's regular, bold and italic (text, names, emphasis and quotes) and the
 * sans's regular and bold (letterhead, dateline, headings, page header and footer). No letter style sets sans in
 * italic, so Liberation Sans Italic is left out of the HTML and the DOCX: 160 KB less for Chromium to read and
 * decode at every print (and for the DOCX to compress), 18 % of the fonts.
 */
export function usedFaces(fonts: LetterFonts): readonly { family: string; weight: 400 | 700; style: 'normal' | 'italic'; bytes: Buffer }[] {
  return [
    { family: fonts.serif.name, weight: 400, style: 'normal', bytes: fonts.serif.regular },
    { family: fonts.serif.name, weight: 700, style: 'normal', bytes: fonts.serif.bold },
    { family: fonts.serif.name, weight: 400, style: 'italic', bytes: fonts.serif.italic },
    { family: fonts.sans.name, weight: 400, style: 'normal', bytes: fonts.sans.regular },
    { family: fonts.sans.name, weight: 700, style: 'normal', bytes: fonts.sans.bold },
  ]
}

/**
 * Returns @font-face rules with the used faces (usedFaces) inlined as data: URLs (≈1 MB of CSS, built once per
 * LetterFonts).
 * Why data: URLs rather than relative url(): the exported HTML is a single file that must look the same wherever it
 * is opened or printed (Electron printToPDF, Chromium page.pdf(), a browser after export), and a strict
 * `font-src 'self' data:` CSP allows it without serving any files.
 */
export function buildFontFaceCss(fonts: LetterFonts): string {
  const cached = faceCss.get(fonts)
  if (cached) return cached
  const css = usedFaces(fonts)
    .map(
      ({ family, weight, style, bytes }) =>
        `@font-face{font-family:'${family}';font-weight:${weight};font-style:${style};font-display:block;` +
        `src:url(data:font/ttf;base64,${bytes.toString('base64')}) format('truetype')}`,
    )
    .join('\n')
  faceCss.set(fonts, css)
  return css
}
