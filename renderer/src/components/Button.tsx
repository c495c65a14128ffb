// Renderer: the one button. Variants by role (primary action, quiet secondary, danger, link-like text), type="button"
// unless asked otherwise, so a button inside a form never submits it by accident.
import type { ButtonHTMLAttributes, Ref } from 'react'

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet' | 'link'

export function Button({
  variant = 'secondary',
  size = 'md',
  type = 'button',
  className,
  ref,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: 'sm' | 'md'; ref?: Ref<HTMLButtonElement> }) {
  // 'secondary' is the plain button the stylesheet draws for every <button>; the others add a class.
  const classes = [variant === 'secondary' ? '' : variant, size === 'sm' ? 'small' : '', className ?? ''].filter(Boolean).join(' ')
  return <button ref={ref} type={type} className={classes || undefined} {...rest} />
}
