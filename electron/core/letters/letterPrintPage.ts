// Main process / tests (core, Node only): the long-lived print page of a running Chromium. It is loaded once from the
// preview route and keeps the letter fonts loaded; each letter to print then replaces its document's content through
// the DevTools protocol (DOM.setOuterHTML), with no navigation, which is most of what a print used to cost.
import { escapeHtml } from '../../../shared/text/escapeHtml'
import { LETTER_CSP } from './render/letterHtml'
import { buildFontFaceCss, usedFaces, type LetterFonts } from './render/letterFonts'

/**
 * Sends one Chrome DevTools Protocol command and resolves with its result: Electron's
 * `webContents.debugger.sendCommand` in the app, playwright's `CDPSession.send` in the tests and the bench.
 */
export type CdpSend = (method: string, params?: Record<string, unknown>) => Promise<unknown>

/**
 * The page the print window loads once (from the preview route, so it has the preview's strict headers and our
 * origin) and shows between prints: no letter, the linked @font-face rules, and one invisible letter in each face.
 * Laying those out loads every face before the page's load event, and the page's own resource loader keeps them for
 * as long as the page lives, so a letter put into it later sets its text in faces already there.
 */
export function buildPrintShellHtml(fonts: LetterFonts): string {
  const samples = usedFaces(fonts)
    .map((f) => `<span style="font-family:'${escapeHtml(f.family)}';font-weight:${f.weight};font-style:${f.style}">a</span>`)
    .join('')
  return (
    '<!DOCTYPE html>\n<html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${LETTER_CSP}"><title></title>` +
    `<style>${buildFontFaceCss(fonts, 'linked')}\nbody{visibility:hidden}</style></head>` +
    `<body>${samples}</body></html>\n`
  )
}

type DomNode = { nodeId: number; nodeName: string; children?: DomNode[] }

/**
 * Replaces the whole document shown by the print page with `html` (a letter rendered with linked fonts, or the shell
 * again): DOM.setOuterHTML on the <html> element rebuilds the document from the markup — head, styles, body and
 * the <html> element's own attributes — in place. The page keeps its URL, origin and response headers (the preview
 * route's: no script at all, fonts only from our origin or data:, sandboxed), and markup set this way never runs a
 * script. Throws when the page has no document element (not loaded) or the protocol refuses the command.
 */
export async function showInPrintPage(send: CdpSend, html: string): Promise<void> {
  const { root } = (await send('DOM.getDocument', { depth: 1 })) as { root: DomNode }
  const element = root.children?.find((child) => child.nodeName === 'HTML')
  if (!element) throw new Error('the print page has no document to replace')
  await send('DOM.setOuterHTML', { nodeId: element.nodeId, outerHTML: html })
}
