// Main process (core, Node only): the public surface of letter rendering, in one import.
export { validateLetterData, type LetterDataReport, type MissingField, type InvalidField } from './letterData'
export { renderLetterHtml, mergeLetters, LETTER_CSP, type RenderHtmlOptions } from './letterHtml'
export { renderLetterText } from './letterText'
export { renderLetterDocx } from './letterDocx'
export { formatLetterDate } from './letterDates'
export { buildAnnex } from './annexTable'
export { sanitizeRichtext } from './richTextSanitizer'
export {
  loadLetterFonts,
  readLetterFont,
  isLetterFontPath,
  letterFontPaths,
  LETTER_FONT_PREFIX,
  type LetterFonts,
  type LetterFontSource,
} from './letterFonts'
export { buildLetterCss } from './letterCss'
export { loadBuiltinTemplates, duplicateTemplate, BUILTIN_TEMPLATE_IDS } from './builtinTemplates'
