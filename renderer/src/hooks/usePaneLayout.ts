// Renderer: the widths of a screen's resizable panes and which are collapsed, remembered between sessions.
// Kept in localStorage: it holds only pixel widths and on/off flags under a fixed key — never document content,
// titles, names or anything from the vault — so nothing sensitive is left outside the encrypted vault by it.
import { useCallback, useState } from 'react'

export interface PaneSpec {
  /** Starting width in px, before the person has resized anything. */
  initial: number
  min: number
  max: number
  /** Collapsed until opened, before the person chose. */
  collapsed?: boolean
}

export interface PaneState {
  width: number
  collapsed: boolean
}

const PREFIX = 'custodia.layout.'

function clamp(value: number, spec: PaneSpec): number {
  return Math.round(Math.min(spec.max, Math.max(spec.min, value)))
}

function readStored<K extends string>(key: string, specs: Record<K, PaneSpec>): Record<K, PaneState> {
  const out = {} as Record<K, PaneState>
  let stored: Record<string, unknown> = {}
  try {
    const raw = window.localStorage.getItem(PREFIX + key)
    const parsed: unknown = raw ? JSON.parse(raw) : {}
    if (parsed && typeof parsed === 'object') stored = parsed as Record<string, unknown>
  } catch {
    // Storage unavailable or unreadable: the starting layout.
  }
  for (const name of Object.keys(specs) as K[]) {
    const spec = specs[name]
    const saved = stored[name] as Partial<PaneState> | undefined
    const width = typeof saved?.width === 'number' && Number.isFinite(saved.width) ? clamp(saved.width, spec) : spec.initial
    const collapsed = typeof saved?.collapsed === 'boolean' ? saved.collapsed : spec.collapsed === true
    out[name] = { width, collapsed }
  }
  return out
}

/**
 * The panes of one screen (`key`, e.g. 'library'): their state, and setters that keep the width within its bounds and
 * store the change at once.
 */
export function usePaneLayout<K extends string>(key: string, specs: Record<K, PaneSpec>) {
  const [panes, setPanes] = useState<Record<K, PaneState>>(() => readStored(key, specs))

  const store = useCallback(
    (next: Record<K, PaneState>) => {
      try {
        window.localStorage.setItem(PREFIX + key, JSON.stringify(next))
      } catch {
        // A full or disabled storage only means the layout is not remembered.
      }
    },
    [key],
  )

  const update = useCallback(
    (name: K, patch: Partial<PaneState>) =>
      setPanes((current) => {
        const merged = { ...current[name], ...patch }
        const next = { ...current, [name]: { ...merged, width: clamp(merged.width, specs[name]) } }
        store(next)
        return next
      }),
    [specs, store],
  )

  return {
    panes,
    setWidth: useCallback((name: K, width: number) => update(name, { width }), [update]),
    setCollapsed: useCallback((name: K, collapsed: boolean) => update(name, { collapsed }), [update]),
  }
}
