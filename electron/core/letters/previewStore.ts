// Main process (core, Node only): the live-preview store — the exact letter HTML that would be printed, kept in
// memory under an unguessable token and served on our own origin at /letter-preview/<token> for a sandboxed iframe.
import { MemoryRoute, readRouteToken } from '../platform/memoryRoute'

export const LETTER_PREVIEW_PREFIX = '/letter-preview/'

/** How many previews are kept: the newest few, so a fast typist's older frames drop out and memory stays flat. */
export const DEFAULT_PREVIEW_CAPACITY = 8

/**
 * Token → HTML, newest `capacity` kept. Plaintext lives only in memory and only while the vault is open:
 * app/services.ts makes the app's one store and has the session clear it at every lock; main's protocol handler and
 * printer reach it through the services object.
 */
export class LetterPreviewStore {
  private readonly route: MemoryRoute<string>

  constructor(capacity = DEFAULT_PREVIEW_CAPACITY) {
    this.route = new MemoryRoute<string>(LETTER_PREVIEW_PREFIX, capacity)
  }

  /** Stores `html` and returns the URL path that serves it: "/letter-preview/<32 hex>" (128 random bits). */
  putPreview(html: string): string {
    return this.route.put(html)
  }

  /** The HTML for a URL path ("/letter-preview/<token>", query ignored), or null if unknown, dropped or malformed. */
  getPreview(pathname: string): string | null {
    return this.route.get(pathname)
  }

  /** Forgets every preview (called on lock). */
  clearPreviews(): void {
    this.route.clear()
  }

  get size(): number {
    return this.route.size
  }
}

/** The token of a preview path, or null when the path is not exactly "/letter-preview/<32 lower-case hex>". */
export function readPreviewToken(pathname: string): string | null {
  return readRouteToken(LETTER_PREVIEW_PREFIX, pathname)
}

/** True when a path belongs to the preview route (served from the store, never from the renderer folder). */
export function isLetterPreviewPath(pathname: string): boolean {
  return pathname.startsWith(LETTER_PREVIEW_PREFIX)
}
