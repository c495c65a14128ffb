// Renderer: a form's problems at its fields. After each refusal the first invalid field is scrolled into view and
// focused (Field.tsx focusFirstInvalid), so a person sees at once what to mend. One place for the vault screens' forms.
import { useCallback, useEffect, useRef, useState } from 'react'
import { focusFirstInvalid } from '../components/Field'

export function useFieldErrors<F extends string>() {
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<F, string>>>({})
  const [focusRequest, setFocusRequest] = useState(0)
  const formRef = useRef<HTMLFormElement>(null)

  useEffect(() => {
    if (focusRequest > 0) focusFirstInvalid(formRef.current)
  }, [focusRequest])

  /** Shows these problems (and only these) at their fields and moves to the first. */
  const refuse = useCallback((fields: Partial<Record<F, string>>) => {
    setFieldErrors(fields)
    setFocusRequest((n) => n + 1)
  }, [])
  const clearFieldErrors = useCallback(() => setFieldErrors({}), [])

  return { fieldErrors, refuse, clearFieldErrors, formRef }
}
