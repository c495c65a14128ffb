// Renderer: a readable, announced error line for forms and panels: a sentence for people (shared/messages), and the
// technical detail of the failure (code, original wording), if any, waiting behind a "Details" toggle.
export function ErrorMessage({ message, details }: { message: string | null | undefined; details?: string | null }) {
  if (!message) return null
  return (
    <div className="error" role="alert" data-testid="error">
      <p>{message}</p>
      {details && (
        <details className="error-details">
          <summary>Details</summary>
          <pre>{details}</pre>
        </details>
      )}
    </div>
  )
}
