// Main process (core, Node only): the lock scope — everything plaintext or key-derived that one unlock brought into
// being (the search index, an opened bundle's decrypted files, running export jobs) registers a disposer here, and
// the session closes the scope on every lock, before the vault wipes its keys.

/**
 * Wipes one resource. Synchronous on purpose: lock() runs from Electron event handlers (suspend, screen lock) that
 * cannot wait, so whatever a disposer leaves on disk must be gone when it returns (rmSync, an abort whose listener
 * removes the partial file).
 */
export type LockDisposer = () => void

/**
 * The resources of one unlock. Closing it runs every disposer, newest first; one that throws does not stop the
 * others. Once closed it stays closed: a resource that arrives later (a job that finished after the lock) is
 * disposed at once instead of being kept.
 */
export class LockScope {
  private readonly disposers = new Set<{ dispose: LockDisposer }>()
  private isClosed = false

  get closed(): boolean {
    return this.isClosed
  }

  /**
   * Keeps `dispose` until the scope closes and returns a release function for a resource that goes away earlier
   * (releasing runs nothing). When the scope is already closed, `dispose` runs now and null is returned instead.
   */
  hold(dispose: LockDisposer): (() => void) | null {
    if (this.isClosed) {
      dispose()
      return null
    }
    // A wrapper per call, so the same function held twice is disposed twice and released one hold at a time.
    const entry = { dispose }
    this.disposers.add(entry)
    return () => {
      this.disposers.delete(entry)
    }
  }

  /** Runs every disposer (newest first) and closes the scope. Returns what failed, for the log; never throws. */
  close(): unknown[] {
    this.isClosed = true
    const entries = [...this.disposers].reverse()
    this.disposers.clear()
    return runDisposers(entries.map((e) => e.dispose))
  }
}

/** Runs each disposer even when an earlier one throws; returns the errors. */
export function runDisposers(disposers: readonly LockDisposer[]): unknown[] {
  const failures: unknown[] = []
  for (const dispose of disposers) {
    try {
      dispose()
    } catch (error) {
      failures.push(error)
    }
  }
  return failures
}
