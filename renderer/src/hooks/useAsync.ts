// Renderer: one hook for the busy / error / result state of calls to main, instead of a hand-written setBusy +
// setError + try/catch/finally in every component. The error is a sentence for people (shared/messages through
// explainError), and its technical detail is kept apart for the "Details" toggle:
// <ErrorMessage message={…error} details={…details} />.
import { useCallback, useState } from 'react'
import type { MessageContext } from '../../../shared/messages/messages'
import { explainError } from '../api/client'

export interface AsyncState<T> {
  /** True while at least one run() is in progress. */
  busy: boolean
  /** The last failure's message; cleared when a run starts. */
  error: string | null
  /** The last failure's technical detail (code, original wording), or null; shown only behind "Details". */
  details: string | null
  /** What the last successful run returned. */
  result: T | undefined
  /**
   * Runs `work`: resolves with its value, or with undefined when it failed — the failure is then in `error`, never
   * thrown. `describe` words a failure this call expects (a CONFLICT, say); shared/messages is used otherwise.
   */
  run: (work: () => Promise<T>, describe?: (error: unknown) => string) => Promise<T | undefined>
  /** For messages that come from the form itself (a check before any call) or from a call made outside run(). */
  setError: (message: string | null) => void
}

/** `context`: how this screen words the failures it expects (e.g. BUNDLE_FILE_MESSAGES while opening a bundle). */
export function useAsync<T = void>(context?: MessageContext): AsyncState<T> {
  const [pending, setPending] = useState(0)
  const [failure, setFailure] = useState<{ message: string; details: string | null } | null>(null)
  const [result, setResult] = useState<T | undefined>(undefined)

  const run = useCallback(
    async (work: () => Promise<T>, describe?: (error: unknown) => string): Promise<T | undefined> => {
      setFailure(null)
      setPending((n) => n + 1)
      try {
        const value = await work()
        setResult(() => value)
        return value
      } catch (err) {
        const plain = explainError(err, context)
        setFailure({ message: describe ? describe(err) : plain.message, details: plain.details })
        return undefined
      } finally {
        setPending((n) => n - 1)
      }
    },
    [context],
  )

  const setError = useCallback((message: string | null) => setFailure(message === null ? null : { message, details: null }), [])

  return { busy: pending > 0, error: failure?.message ?? null, details: failure?.details ?? null, result, run, setError }
}
