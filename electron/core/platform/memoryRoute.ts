// Main process (core, Node only): content kept in memory under an unguessable token and served on our own origin at
// <prefix><token> — letter previews for a sandboxed iframe, decrypted attachments for the viewer. Nothing of it is
// ever written to disk; the owner clears it at every lock.
import { randomBytes } from 'node:crypto'

const TOKEN_PATTERN = /^[0-9a-f]{32}$/

/**
 * Token → value, the newest `capacity` kept (insertion order; the oldest is dropped first). `wipe` runs on every
 * value that leaves (dropped, or cleared), so plaintext bytes can be zeroed rather than left to the collector.
 */
export class MemoryRoute<T> {
  private readonly entries = new Map<string, T>()

  constructor(
    readonly prefix: string,
    private readonly capacity: number,
    private readonly wipe: (value: T) => void = () => undefined,
  ) {}

  /** Stores `value` and returns the URL path that serves it: "<prefix><32 hex>" (128 random bits). */
  put(value: T): string {
    const token = randomBytes(16).toString('hex')
    this.entries.set(token, value)
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string
      this.wipe(this.entries.get(oldest)!)
      this.entries.delete(oldest)
    }
    return `${this.prefix}${token}`
  }

  /** The value for a URL path ("<prefix><token>", query ignored), or null if unknown, dropped or malformed. */
  get(pathname: string): T | null {
    const token = readRouteToken(this.prefix, pathname)
    return token === null ? null : (this.entries.get(token) ?? null)
  }

  /** True when a path belongs to this route (served from memory, never from the renderer folder). */
  owns(pathname: string): boolean {
    return pathname.startsWith(this.prefix)
  }

  /** Forgets (and wipes) every value. */
  clear(): void {
    for (const value of this.entries.values()) this.wipe(value)
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }
}

/** The token of a path, or null when the path is not exactly "<prefix><32 lower-case hex>" (query and hash ignored). */
export function readRouteToken(prefix: string, pathname: string): string | null {
  const clean = pathname.split(/[?#]/)[0] ?? ''
  if (!clean.startsWith(prefix)) return null
  const token = clean.slice(prefix.length)
  return TOKEN_PATTERN.test(token) ? token : null
}
