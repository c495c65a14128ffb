// Main process (core, Node only): writes a composed letter as one standalone HTML document (embedded CSS and fonts,
// a CSP that allows no script), used both for the live preview and for printing to PDF.
import { CustodiaError } from '../../../../shared/errors'
import {
  PersonSchema,
  formatSchemaIssues,
  type AnnexTable,
  type LetterData,
  type LetterTemplate,
  type Person,
} from '../../../../shared/letters/templateModel'
import { z } from 'zod'
import { composeLetter, type ComposedLetter, type EmbeddedImage, type LetterPart } from './compose'
import type { LetterFontSource, LetterFonts } from './letterFonts'
import { buildLetterCss } from './letterCss'
import { buildPageMarginCss, buildRunningContent, opensSignOff } from './letterPages'
import { parseLetterTemplate } from '../../../../shared/letters/templateModel'
import { escapeHtml } from '../../../../shared/text/escapeHtml'

export type RenderHtmlOptions = {
  /** The annex table, already filtered by buildAnnex for the letter's audience. */
  readonly annex?: AnnexTable
  /** Bundled fonts (loadLetterFonts) to inline; without them the system's fonts of the same names are used. */
  readonly fonts?: LetterFonts
  /**
   * How the fonts reach the page (LetterFontSource): `embedded` (default) makes a self-contained file; `linked`
   * loads them from the letter's own origin (/letter-fonts/…), for a running Chromium that keeps them cached.
   */
  readonly fontSource?: LetterFontSource
  /** Refuse (CustodiaError VALIDATION) when a required field is empty. Off for the preview. */
  readonly strict?: boolean
}

/**
 * The document's own policy: nothing may load or run except inline styles, data: images and data: fonts. The
 * renderer sanitises, this file sanitises again, and this CSP is the third line if both failed (Electron security
 * checklist: "Define a Content Security Policy").
 */
export const LETTER_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src 'self' data:; base-uri 'none'; form-action 'none'"

const imageTag = (image: EmbeddedImage, className: string, alt: string): string =>
  `<img class="${className}" src="${image.dataUrl}" alt="${escapeHtml(alt)}">`

/** Writes one part as HTML. All text in parts is already escaped (Rendered.html) or escaped here. */
function writePart(part: LetterPart): string {
  switch (part.kind) {
    case 'letterhead':
      return (
        '<header class="letterhead">' +
        (part.logo ? imageTag(part.logo, 'logo', part.organisation.text) : '') +
        `<div class="org-text"><div class="org">${part.organisation.html}</div>` +
        (part.lines ? `<div class="org-lines">${part.lines.html}</div>` : '') +
        '</div></header>'
      )
    case 'persons':
      return (
        `<section class="persons ${part.role}">` +
        (part.intro ? `<div class="intro">${part.intro.html}</div>` : '') +
        part.people.map((lines) => `<div class="person">${lines.map((l) => l.html).join('<br>')}</div>`).join('') +
        '</section>'
      )
    case 'line':
      switch (part.role) {
        case 'subject':
          return `<h1 class="subject${part.centred ? ' centred' : ''}">${part.content.html}</h1>`
        case 'placeDate':
          return `<p class="place-date">${part.content.html}</p>`
        case 'dateline':
          return `<p class="dateline">${part.content.html}</p>`
        case 'salutation':
          return `<p class="salutation${part.bold ? ' bold' : ''}">${part.content.html}</p>`
        case 'closing':
          return `<p class="closing">${part.content.html}</p>`
        case 'footer':
          return `<footer class="footer">${part.content.html}</footer>`
        case 'text':
          if (part.style === 'title') return `<h1 class="title">${part.content.html}</h1>`
          if (part.style === 'heading') return `<h2 class="heading">${part.content.html}</h2>`
          if (part.style === 'lead') return `<p class="lead">${part.content.html}</p>`
          return `<p class="${part.style === 'small' ? 'small' : 'text'}">${part.content.html}</p>`
      }
      return ''
    case 'richtext':
      return (
        `<section class="body${part.pressQuotes ? ' press-quotes' : ''}">` +
        `${part.intro ? `<p class="intro">${part.intro.html}</p>` : ''}${part.html}</section>`
      )
    case 'list': {
      const intro = part.intro ? `<p class="intro">${part.intro.html}</p>` : ''
      const items = part.items.map((i) => `<li>${i.html}</li>`).join('')
      if (part.role === 'quotes') {
        return `<section class="quotes">${intro}${part.items.map((i) => `<blockquote><p>${i.html}</p></blockquote>`).join('')}</section>`
      }
      const tag = part.role === 'requests' || part.parenNumbers ? 'ol' : 'ul'
      const listClass = part.parenNumbers ? ' class="paren"' : ''
      const sectionClass = part.setApart ? `${part.role} set-apart` : part.role
      return `<section class="${sectionClass}">${intro}<${tag}${listClass}>${items}</${tag}></section>`
    }
    case 'signatories':
      return (
        (part.intro ? `<p class="intro">${part.intro.html}</p>` : '') +
        '<section class="signatories">' +
        part.people
          .map(
            (p) =>
              '<div class="signatory">' +
              (p.signature ? imageTag(p.signature, 'signature', p.name.text) : '<div class="no-signature"></div>') +
              `<div class="name">${p.name.html}</div>` +
              p.lines.map((l) => `<div>${l.html}</div>`).join('') +
              (p.credentials.length ? `<p class="credentials">${p.credentials.map((c) => c.html).join('<br>')}</p>` : '') +
              '</div>',
          )
          .join('') +
        '</section>'
      )
    case 'annex':
      return (
        `<section class="annex"><h2>${part.heading.html}</h2>` +
        (part.rows.length
          ? '<table><thead><tr>' +
            part.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('') +
            '</tr></thead><tbody>' +
            part.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('') +
            '</tbody></table>'
          : '') +
        (part.omittedNote ? `<p class="omitted">${escapeHtml(part.omittedNote)}</p>` : '') +
        '</section>'
      )
  }
}

/** A last block this short (about two lines) takes the block before it along into the sign-off. */
const SHORT_BLOCK_CHARS = 200

/**
 * Splits sanitised rich text (top-level p, h2, h3, ul, ol, blockquote) before its last block, or its last two when
 * the last is short: [head, tail]. The tail never starts with a heading's text alone; [html, ''] when not splittable.
 */
export function splitLastBlocks(html: string): [string, string] {
  const starts: number[] = []
  let depth = 0
  for (const match of html.matchAll(/<(\/?)(p|h2|h3|ul|ol|blockquote)\b[^>]*>/g)) {
    if (match[1] === '/') depth--
    else {
      if (depth === 0) starts.push(match.index)
      depth++
    }
  }
  if (depth !== 0 || starts.length === 0) return [html, '']
  const textLength = (from: number, to?: number): number => html.slice(from, to).replace(/<[^>]*>/g, '').length
  let cut = starts.length - 1
  if (cut > 0 && textLength(starts[cut]!) < SHORT_BLOCK_CHARS) cut--
  // A heading stays with the text under it, which is in the tail already.
  while (cut > 0 && /^<h[23]\b/.test(html.slice(starts[cut - 1]!))) cut--
  return [html.slice(0, starts[cut]), html.slice(starts[cut])]
}

/**
 * Writes the parts in order. A closing and the signatures under it (or a date and the signing organisations) go in
 * one block with the end of the text above them — the last paragraph, or the last two when the last is short — that
 * never splits (letterCss.ts .sign-off): the closing never starts a page and no page holds only signatures.
 * (Chromium keeps break-inside:avoid, but does not look back into earlier paragraphs for break-before:avoid.)
 */
function writeParts(parts: readonly LetterPart[]): string {
  const out: string[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    const next = parts[i + 1]
    if (!next || !opensSignOff(part, next)) {
      out.push(writePart(part))
      continue
    }
    const previous = parts[i - 1]
    let lead = ''
    if (previous?.kind === 'richtext') {
      const [head, tail] = splitLastBlocks(previous.html)
      if (tail) {
        out.pop()
        if (head || previous.intro) out.push(writePart({ ...previous, html: head }))
        lead = `<section class="body${previous.pressQuotes ? ' press-quotes' : ''}">${tail}</section>\n`
      }
    } else if (previous?.kind === 'line' && previous.role === 'text') {
      lead = `${out.pop() ?? ''}\n`
    }
    out.push(`<div class="sign-off">${lead}${writePart(part)}\n${writePart(next)}</div>`)
    i++
  }
  return out.join('\n')
}

/** Writes a composed letter as a complete HTML document. */
export function writeLetterHtml(letter: ComposedLetter, fonts?: LetterFonts, fontSource: LetterFontSource = 'embedded'): string {
  const { template } = letter
  return (
    '<!DOCTYPE html>\n' +
    `<html lang="${template.language}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta http-equiv="Content-Security-Policy" content="${LETTER_CSP}">\n` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${escapeHtml(letter.title)}</title>\n` +
    `<style>\n${buildLetterCss(template.pageSize, fonts, fontSource)}${buildPageMarginCss(buildRunningContent(letter))}</style>\n</head>\n` +
    `<body class="page-${template.pageSize.toLowerCase()}">\n<article class="letter">\n` +
    writeParts(letter.parts) +
    '\n</article>\n</body>\n</html>\n'
  )
}

/**
 * Renders a letter as a standalone HTML document. Unknown placeholders are listed and shown as "[unknown: name]";
 * empty required fields show as "[missing: Label]" unless `strict`, which refuses them.
 * Throws CustodiaError('VALIDATION') for an invalid template, invalid data or annex.
 */
export function renderLetterHtml(
  template: LetterTemplate,
  data: LetterData,
  opts: RenderHtmlOptions = {},
): { html: string; unknownPlaceholders: string[] } {
  const letter = composeLetter(template, data, {
    ...(opts.annex ? { annex: opts.annex } : {}),
    strict: opts.strict ?? false,
  })
  return { html: writeLetterHtml(letter, opts.fonts, opts.fontSource), unknownPlaceholders: [...letter.unknownPlaceholders] }
}

/**
 * Mail merge: one HTML document per recipient, each addressed to that recipient alone, with its own salutation
 * (the person's `salutation`, or the language's default greeting with their name). The template must have a
 * recipients block; its field is replaced per document. Same options as renderLetterHtml; `strict` defaults to true
 * here since merged letters are sent. Throws CustodiaError('VALIDATION') for no recipients or a bad recipient.
 */
export function mergeLetters(
  template: LetterTemplate,
  data: LetterData,
  recipients: readonly Person[],
  opts: RenderHtmlOptions = {},
): { recipient: Person; html: string }[] {
  const checked = parseLetterTemplate(template)
  const block = checked.blocks.find((b) => b.type === 'recipients')
  if (!block) throw new CustodiaError('VALIDATION', 'mail merge needs a template with a recipients block')
  const parsed = z.array(PersonSchema).min(1, 'at least one recipient is needed').max(5000).safeParse(recipients)
  if (!parsed.success) throw new CustodiaError('VALIDATION', `invalid recipients: ${formatSchemaIssues(parsed.error)}`)
  const field = checked.fields.find((f) => f.name === block.field)
  const strict = opts.strict ?? true
  return parsed.data.map((recipient) => {
    const merged = { ...data, [block.field]: field?.type === 'person' ? recipient : [recipient] }
    const { html } = renderLetterHtml(checked, merged, { ...opts, strict })
    return { recipient, html }
  })
}
