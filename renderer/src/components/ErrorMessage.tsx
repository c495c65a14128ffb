// Renderer: a readable, announced error line for forms and panels. Takes a sentence, or a failure from
// shared/messages; the technical detail of a failure (codes, the original wording) waits behind "Details".
import type { PlainFailure } from '../../../shared/messages/messages'

export function ErrorMessage({ message, failure }: { message?: string | null; failure?: PlainFailure | null }) {
  const text = failure?.message ?? message
  if (!text) return null
  return (
    <div className="error" role="alert" data-testid="error">
      <p>{text}</p>
      {failure?.details && (
        <details className="error-details">
          <summary>Details</summary>
          <pre>{failure.details}</pre>
        </details>
      )}
    </div>
  )
}
