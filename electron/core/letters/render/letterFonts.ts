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
 * Returns @font-face rules with the fonts inlined as data: URLs (≈1.2 MB of CSS, built once per LetterFonts).
 * Why data: URLs rather than relative url(): the exported HTML is a single file that must look the same wherever it
 * is opened or printed (Electron printToPDF, Chromium page.pdf(), a browser after export), and a strict
 * `font-src 'self' data:` CSP allows it without serving any files.
 */
export function buildFontFaceCss(fonts: LetterFonts): string {
  const cached = faceCss.get(fonts)
  if (cached) return cached
  const rules: string[] = []
  for (const family of [fonts.serif, fonts.sans]) {
    for (const [bytes, weight, style] of [
      [family.regular, 400, 'normal'],
      [family.bold, 700, 'normal'],
      [family.italic, 400, 'italic'],
    ] as const) {
      rules.push(
        `@font-face{font-family:'${family.name}';font-weight:${weight};font-style:${style};font-display:block;` +
          `src:url(data:font/ttf;base64,${bytes.toString('base64')}) format('truetype')}`,
      )
    }
  }
  const css = rules.join('\n')
  faceCss.set(fonts, css)
  return css
}
