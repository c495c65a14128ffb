// Main process (core, Node only): the parts a composed letter is made of (compose.ts makes them; the HTML, DOCX and
// plain-text writers write them), so every output says the same things in the same order.
import type { Rendered } from './mustacheRender'
import type { RichParagraph } from './richTextSanitizer'

/** An image from a data: URL, decoded. Width and height in pixels when the header could be read. */
export type EmbeddedImage = {
  readonly dataUrl: string
  readonly type: 'png' | 'jpg'
  readonly bytes: Buffer
  readonly width?: number
  readonly height?: number
}

export type SignatoryPart = {
  readonly name: Rendered
  readonly lines: readonly Rendered[]
  readonly credentials: readonly Rendered[]
  readonly signature?: EmbeddedImage
}

export type LetterPart =
  | { readonly kind: 'letterhead'; readonly organisation: Rendered; readonly lines?: Rendered; readonly logo?: EmbeddedImage }
  | {
      readonly kind: 'persons'
      readonly role: 'recipients' | 'cc'
      readonly intro?: Rendered
      readonly people: readonly (readonly Rendered[])[]
    }
  | {
      readonly kind: 'line'
      readonly role: 'placeDate' | 'subject' | 'salutation' | 'closing' | 'footer' | 'dateline' | 'text'
      readonly style: LineStyle
      readonly content: Rendered
      /** A subject centred under a title (joint statement). */
      readonly centred?: true
      /** A salutation set in bold (coalition letter). */
      readonly bold?: true
    }
  | {
      readonly kind: 'richtext'
      readonly intro?: Rendered
      readonly html: string
      readonly paragraphs: readonly RichParagraph[]
      /** Its quotes are a press release's quotes set into the text: upright, with a rule, not italic asides. */
      readonly pressQuotes?: true
    }
  | {
      readonly kind: 'list'
      readonly role: 'requests' | 'demands' | 'quotes' | 'organisations'
      readonly intro?: Rendered
      readonly items: readonly Rendered[]
      /** A numbered list counting "1)" instead of "1.". */
      readonly parenNumbers?: true
      /** Organisations set apart from the text (a standpoint's "Shared by" list). */
      readonly setApart?: true
    }
  | { readonly kind: 'signatories'; readonly intro?: Rendered; readonly people: readonly SignatoryPart[] }
  | {
      readonly kind: 'annex'
      readonly heading: Rendered
      readonly columns: readonly string[]
      readonly rows: readonly (readonly string[])[]
      readonly omittedNote?: string
    }

/** How a line is set: a title, a heading, a lead paragraph (larger, bold), running text or small print. */
export type LineStyle = 'title' | 'heading' | 'lead' | 'normal' | 'small'
