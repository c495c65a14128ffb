// Renderer: a readable, announced error line for forms and panels.
export function ErrorMessage({ message }: { message: string | null }) {
  if (!message) return null
  return (
    <p className="error" role="alert" data-testid="error">
      {message}
    </p>
  )
}
