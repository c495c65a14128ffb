// Renderer: a labelled form field — label, the control, a hint and the field's error right under it. The control gets
// its id, aria-invalid and aria-describedby from here, so a screen reader reads the error with the field, and a form
// can find the first invalid field (focusFirstInvalid) to scroll it into view and focus it.
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react'

interface ControlProps {
  id?: string
  'aria-invalid'?: boolean
  'aria-describedby'?: string
}

export function Field({
  label,
  hint,
  error,
  id,
  className,
  children,
}: {
  label: ReactNode
  hint?: ReactNode
  /** The field's problem in plain words (shared/messages), or null. */
  error?: string | null
  /** The control's id; one is made up when absent. */
  id?: string
  className?: string
  /** One control: <input>, <select>, <textarea> or a component passing these props on. */
  children: ReactElement<ControlProps>
}) {
  const madeId = useId()
  const controlId = id ?? children.props.id ?? madeId
  const hintId = hint ? `${controlId}-hint` : undefined
  const errorId = error ? `${controlId}-error` : undefined
  const describedBy = [children.props['aria-describedby'], errorId, hintId].filter(Boolean).join(' ') || undefined
  const control = isValidElement(children)
    ? cloneElement(children, { id: controlId, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })
    : children
  return (
    <div className={['field', error ? 'invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={controlId}>{label}</label>
      {control}
      {error && (
        <span className="field-error" id={errorId} data-testid="field-error">
          {error}
        </span>
      )}
      {hint && (
        <div className="hint" id={hintId}>
          {hint}
        </div>
      )}
    </div>
  )
}

/**
 * Scrolls the first control marked aria-invalid inside `root` into view and focuses it; true when there was one.
 * Forms call it after a refused save, so the way out is where the eyes and the keyboard are.
 */
export function focusFirstInvalid(root: ParentNode | null): boolean {
  const first = root?.querySelector<HTMLElement>('[aria-invalid="true"]')
  if (!first) return false
  first.scrollIntoView?.({ block: 'center' })
  first.focus({ preventScroll: true })
  return true
}
