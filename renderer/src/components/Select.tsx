// Renderer: the one drop-down: a native <select> (keyboard, screen readers and the OS picker for free) with options
// from a list of values and their labels.
import type { Ref, SelectHTMLAttributes } from 'react'

export interface SelectOption<T extends string> {
  value: T
  label: string
  disabled?: boolean
}

export function Select<T extends string>({
  options,
  value,
  onChange,
  placeholder,
  ref,
  ...rest
}: Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
  options: readonly SelectOption<T>[]
  value: T | ''
  onChange: (value: T) => void
  /** A first, empty choice ("Choose a list…"). */
  placeholder?: string
  ref?: Ref<HTMLSelectElement>
}) {
  return (
    <select ref={ref} value={value} onChange={(e) => onChange(e.target.value as T)} {...rest}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </select>
  )
}
