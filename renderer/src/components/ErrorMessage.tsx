// Renderer: a readable, announced error line for forms and panels: a sentence for people (shared/messages), and the
// technical detail of the failure (code, original wording), if any, waiting behind a "Details" toggle. A new message is
// scrolled into view: an action at the bottom of a long form must not fail where nobody sees it.
import { useEffect, useRef } from 'react'
import { t } from '../i18n/intl'

export function ErrorMessage({ message, details }: { message: string | null | undefined; details?: string | null }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (message) ref.current?.scrollIntoView?.({ block: 'nearest' })
  }, [message])
  if (!message) return null
  return (
    <div className="error" role="alert" data-testid="error" ref={ref}>
      <p>{message}</p>
      {details && (
        <details className="error-details">
          <summary>{t('components.errorMessage.details')}</summary>
          <pre>{details}</pre>
        </details>
      )}
    </div>
  )
}
