// Renderer: short confirmations that need no answer ("Saved a copy…"), announced politely and gone after a while;
// errors are never toasts (they stay where the problem is, with ErrorMessage or at the field).
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react'
import { t } from '../i18n/intl'

interface ToastItem {
  id: number
  text: string
}

const ToastContext = createContext<(text: string) => void>(() => undefined)

/** How long a toast stays, in milliseconds: long enough to read two lines. */
const TOAST_MS = 5000

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([])
  const next = useRef(1)
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>())
  const show = useCallback((text: string) => {
    const id = next.current++
    setItems((list) => [...list.slice(-2), { id, text }])
    const timer = setTimeout(() => {
      timers.current.delete(timer)
      setItems((list) => list.filter((t) => t.id !== id))
    }, TOAST_MS)
    timers.current.add(timer)
  }, [])
  useEffect(() => {
    const pending = timers.current
    return () => pending.forEach((t) => clearTimeout(t))
  }, [])
  return (
    <ToastContext.Provider value={show}>
      {children}
      {/* Always mounted, so screen readers hear what appears in it; a status role only while a toast is shown. */}
      <div className="toasts" aria-live="polite">
        {items.map((toast) => (
          <div className="toast" role="status" key={toast.id}>
            <span>{toast.text}</span>
            <button
              type="button"
              className="quiet small"
              aria-label={t('components.toast.dismiss')}
              onClick={() => setItems((l) => l.filter((x) => x.id !== toast.id))}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  )
}

/** Shows a short confirmation: `toast('Copied.')`. Outside a ToastProvider it does nothing. */
export function useToast(): (text: string) => void {
  return useContext(ToastContext)
}
