// Renderer: one hook for the busy / error / result state of calls to main, instead of a hand-written setBusy +
// setError + try/catch/finally in every component. The error is a sentence for people (an ApiError's safe message,
// else a generic one), shown with <ErrorMessage message={…error} />.
import { useCallback, useState } from 'react'
import { describeError } from '../api/client'

export interface AsyncState<T> {
  /** True while at least one run() is in progress. */
  busy: boolean
  /** The last failure's message; cleared when a run starts. */
  error: string | null
  /** What the last successful run returned. */
  result: T | undefined
  /**
   * Runs `work`: resolves with its value, or with undefined when it failed — the failure is then in `error`, never
   * thrown. `describe` words a failure this call expects (a CONFLICT, say); describeError is used otherwise.
   */
  run: (work: () => Promise<T>, describe?: (error: unknown) => string) => Promise<T | undefined>
  /** For messages that come from the form itself (a check before any call) or from a call made outside run(). */
  setError: (message: string | null) => void
}

export function useAsync<T = void>(): AsyncState<T> {
  const [pending, setPending] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<T | undefined>(undefined)

  const run = useCallback(async (work: () => Promise<T>, describe: (error: unknown) => string = describeError): Promise<T | undefined> => {
    setError(null)
    setPending((n) => n + 1)
    try {
      const value = await work()
      setResult(() => value)
      return value
    } catch (err) {
      setError(describe(err))
      return undefined
    } finally {
      setPending((n) => n - 1)
    }
  }, [])

  return { busy: pending > 0, error, result, run, setError }
}
