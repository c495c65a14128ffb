// Renderer: the autosave controller behind the editor — debounced saves (500 ms after the last change), an
// immediate flush on blur/pagehide, one save in flight at a time, and a state a person can read.

export type AutosaveStatus = 'idle' | 'dirty' | 'saving' | 'saved' | 'error'
export interface AutosaveState {
  status: AutosaveStatus
  /** Set for 'error': a safe, readable reason. */
  message?: string
  /** Set for some errors: the way out the editor offers (e.g. 'title': focus the title box). */
  fix?: string
}

/** What a failed save means for the user: a sentence, and the way out when there is one. */
export type SaveProblem = string | { message: string; fix?: string }

export const AUTOSAVE_DELAY_MS = 500

export class Autosaver<T> {
  private latest: T | null = null
  private dirty = false
  private inFlight: Promise<void> | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private disposed = false
  private status: AutosaveStatus = 'idle'

  constructor(
    private readonly save: (value: T) => Promise<void>,
    private readonly onState: (state: AutosaveState) => void,
    private readonly describe: (error: unknown, value: T) => SaveProblem,
    private readonly delayMs = AUTOSAVE_DELAY_MS,
  ) {}

  /** Records a change and (re)starts the debounce timer. */
  change(value: T): void {
    if (this.disposed) return
    this.latest = value
    this.dirty = true
    if (!this.inFlight) this.emit({ status: 'dirty' })
    this.clearTimer()
    this.timer = setTimeout(() => void this.flush(), this.delayMs)
  }

  /** True while there is something not yet saved. */
  hasUnsavedChanges(): boolean {
    return this.dirty
  }

  /** Saves now if anything changed; waits for a save in flight first (saves never overlap: revisions would conflict). */
  async flush(): Promise<void> {
    this.clearTimer()
    while (this.inFlight) await this.inFlight
    if (!this.dirty || this.latest === null) return
    const value = this.latest
    this.dirty = false
    this.emit({ status: 'saving' })
    this.inFlight = (async () => {
      try {
        await this.save(value)
        if (!this.disposed) this.emit(this.dirty ? { status: 'dirty' } : { status: 'saved' })
      } catch (error) {
        // Keep the edit: it is still unsaved, and the next change or flush tries again.
        this.dirty = true
        if (!this.disposed) {
          const problem = this.describe(error, value)
          this.emit(typeof problem === 'string' ? { status: 'error', message: problem } : { status: 'error', ...problem })
        }
      }
    })()
    // Changes made during the save restarted the timer themselves; a failed save waits for the next change or flush
    // rather than retrying in a loop (a CONFLICT would only repeat).
    try {
      await this.inFlight
    } finally {
      this.inFlight = null
    }
  }

  /** Drops what is unsaved (the user chose "Discard changes") and stops: nothing more is saved. */
  discard(): void {
    this.dirty = false
    this.latest = null
    this.dispose()
  }

  /** Stops the timer; a pending change is flushed by the caller first if it should be kept. */
  dispose(): void {
    this.disposed = true
    this.clearTimer()
  }

  // Typing fires a change per keystroke: tell the UI only when the state actually changes.
  private emit(state: AutosaveState): void {
    if (state.status === this.status && state.status !== 'error') return
    this.status = state.status
    this.onState(state)
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }
}
