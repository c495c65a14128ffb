// Main process (core, Node only): the live-preview store — the exact letter HTML that would be printed, kept in
// memory under an unguessable token and served on our own origin at /letter-preview/<token> for a sandboxed iframe.
import { randomBytes } from 'node:crypto'

export const LETTER_PREVIEW_PREFIX = '/letter-preview/'
const TOKEN_PATTERN = /^[0-9a-f]{32}$/

/** How many previews are kept: the newest few, so a fast typist's older frames drop out and memory stays flat. */
export const DEFAULT_PREVIEW_CAPACITY = 8

/**
 * Token → HTML, newest `capacity` kept (insertion order; the oldest is dropped first). Plaintext lives only in memory
 * and only while the vault is open: app/services.ts makes the app's one store and has the session clear it at every
 * lock; main's protocol handler and printer reach it through the services object.
 */
export class LetterPreviewStore {
  private readonly entries = new Map<string, string>()

  constructor(private readonly capacity = DEFAULT_PREVIEW_CAPACITY) {}

  /** Stores `html` and returns the URL path that serves it: "/letter-preview/<32 hex>" (128 random bits). */
  putPreview(html: string): string {
    const token = randomBytes(16).toString('hex')
    this.entries.set(token, html)
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string
      this.entries.delete(oldest)
    }
    return `${LETTER_PREVIEW_PREFIX}${token}`
  }

  /** The HTML for a URL path ("/letter-preview/<token>", query ignored), or null if unknown, dropped or malformed. */
  getPreview(pathname: string): string | null {
    const token = readPreviewToken(pathname)
    return token === null ? null : (this.entries.get(token) ?? null)
  }

  /** Forgets every preview (called on lock). */
  clearPreviews(): void {
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}

/** The token of a preview path, or null when the path is not exactly "/letter-preview/<32 lower-case hex>". */
export function readPreviewToken(pathname: string): string | null {
  const clean = pathname.split(/[?#]/)[0] ?? ''
  if (!clean.startsWith(LETTER_PREVIEW_PREFIX)) return null
  const token = clean.slice(LETTER_PREVIEW_PREFIX.length)
  return TOKEN_PATTERN.test(token) ? token : null
}

/** True when a path belongs to the preview route (served from the store, never from the renderer folder). */
export function isLetterPreviewPath(pathname: string): boolean {
  return pathname.startsWith(LETTER_PREVIEW_PREFIX)
}
