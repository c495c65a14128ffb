// Renderer: Ctrl+S (⌘S on macOS) saves in every editor, instead of the browser's "save page". One rule for which
// keys count: with Shift or Alt it is another shortcut.
import { useEffect } from 'react'

export function isSaveShortcut(e: KeyboardEvent): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's'
}

/** Calls `save` on Ctrl/⌘+S while the component is mounted (pass a stable or memoised function). */
export function useSaveShortcut(save: () => unknown): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isSaveShortcut(e)) return
      e.preventDefault()
      void save()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [save])
}
