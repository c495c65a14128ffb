// Main process (core, Node only): loads the bundled letter fonts (resources/fonts) once, for letter HTML (linked from
// the letter's own origin, or embedded as data: URLs) and DOCX.
import { createHash } from 'node:crypto'
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
 * Where a letter's HTML takes its fonts from:
 * - `embedded`: inlined as data: URLs, so the HTML is one self-contained file (the CLI writes it to a file for a
 *   fresh headless Chromium, which has nothing to serve fonts from and no cache to keep them in);
 * - `linked`: `url(/letter-fonts/…)` on the origin that serves the letter (the app's app://custodia, the tests' local
 *   server), answered by readLetterFont. A running Chromium then reads and decodes each face once and keeps it in its
 *   cache for every later preview and print of that window, instead of parsing and decoding ~1 MB of base64 again
 *   at every print (most of a print's time before).
 * Both set the same bytes under the same rules, so a letter prints the same pages either way.
 */
export type LetterFontSource = 'embedded' | 'linked'

/** The URL path under which linked fonts are served (one file per face; see letterFontPath). */
export const LETTER_FONT_PREFIX = '/letter-fonts/'

type FaceFile = { family: string; weight: 400 | 700; style: 'normal' | 'italic'; bytes: Buffer; path: string }

const faceFiles = new WeakMap<LetterFonts, readonly FaceFile[]>()

/**
 * The used faces with the URL path each is served under: "/letter-fonts/<family>-<style>-<first 16 hex of the
 * SHA-256 of its bytes>.ttf". The hash names the bytes, so the path can be cached for good (`immutable`): fonts that
 * change get another path. Built once per LetterFonts.
 */
function listFaceFiles(fonts: LetterFonts): readonly FaceFile[] {
  const cached = faceFiles.get(fonts)
  if (cached) return cached
  const files = usedFaces(fonts).map((face) => {
    const name = `${face.family.replace(/\s+/g, '')}-${face.weight === 700 ? 'Bold' : face.style === 'italic' ? 'Italic' : 'Regular'}`
    const hash = createHash('sha256').update(face.bytes).digest('hex').slice(0, 16)
    return { ...face, path: `${LETTER_FONT_PREFIX}${name}-${hash}.ttf` }
  })
  faceFiles.set(fonts, files)
  return files
}

/** The URL paths of the linked faces (what a letter's linked @font-face rules load), in usedFaces order. */
export function letterFontPaths(fonts: LetterFonts): string[] {
  return listFaceFiles(fonts).map((f) => f.path)
}

/**
 * The TTF bytes served at `pathname` (a path from letterFontPaths; a query is not part of it), or null for any other
 * path: only the exact paths of the used faces answer, so nothing else of the fonts folder (or the disk) can be read
 * through the route. The bytes are shared: do not modify them.
 */
export function readLetterFont(fonts: LetterFonts, pathname: string): Buffer | null {
  return listFaceFiles(fonts).find((f) => f.path === pathname)?.bytes ?? null
}

/** True when a URL path belongs to the font route (answered by readLetterFont, never from the renderer folder). */
export function isLetterFontPath(pathname: string): boolean {
  return pathname.startsWith(LETTER_FONT_PREFIX)
}

const faceCss = { embedded: new WeakMap<LetterFonts, string>(), linked: new WeakMap<LetterFonts, string>() }

/**
 * Returns the @font-face rules of the used faces (usedFaces), built once per LetterFonts and source:
 * `embedded` inlines them as data: URLs (≈1 MB of CSS), `linked` names their paths on the letter's own origin
 * (letterFontPaths; under 1 KB). See LetterFontSource for which is used where and why. Both are allowed by the
 * letter's `font-src 'self' data:` policy, which allows nothing remote.
 */
export function buildFontFaceCss(fonts: LetterFonts, source: LetterFontSource = 'embedded'): string {
  const cached = faceCss[source].get(fonts)
  if (cached) return cached
  const css = listFaceFiles(fonts)
    .map(({ family, weight, style, bytes, path: urlPath }) => {
      const url = source === 'linked' ? urlPath : `data:font/ttf;base64,${bytes.toString('base64')}`
      return `@font-face{font-family:'${family}';font-weight:${weight};font-style:${style};font-display:block;src:url(${url}) format('truetype')}`
    })
    .join('\n')
  faceCss[source].set(fonts, css)
  return css
}
