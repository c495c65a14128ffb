// Renderer: the handle between two panes (WAI-ARIA "window splitter"): drag it, or focus it and use ←/→ (Shift for
// bigger steps), Home/End for the smallest and largest width, and Enter to collapse or restore the pane.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react'
import { t } from '../i18n/intl'

const STEP = 16
const BIG_STEP = 64

export function Splitter({
  label,
  controls,
  width,
  min,
  max,
  collapsed,
  onWidth,
  onCollapsed,
  side = 'start',
}: {
  /** What the handle resizes, e.g. "Document list width". */
  label: string
  /** The id of the pane it resizes. */
  controls: string
  width: number
  min: number
  max: number
  collapsed: boolean
  onWidth: (width: number) => void
  onCollapsed: (collapsed: boolean) => void
  /** 'start': the pane is left of the handle (dragging right widens it); 'end': it is right of the handle. */
  side?: 'start' | 'end'
}) {
  const drag = useRef<{ x: number; width: number } | null>(null)
  const sign = side === 'start' ? 1 : -1

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? BIG_STEP : STEP
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const grow = (e.key === 'ArrowRight' ? 1 : -1) * sign
      if (collapsed) onCollapsed(false)
      else onWidth(width + grow * step)
    } else if (e.key === 'Home') onWidth(min)
    else if (e.key === 'End') onWidth(max)
    else if (e.key === 'Enter') onCollapsed(!collapsed)
    else return
    e.preventDefault()
  }

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (collapsed || e.button !== 0) return
    drag.current = { x: e.clientX, width }
    e.currentTarget.setPointerCapture(e.pointerId)
    e.preventDefault()
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return
    onWidth(drag.current.width + (e.clientX - drag.current.x) * sign)
  }
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = null
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId)
  }

  return (
    <div
      className={collapsed ? 'splitter collapsed' : 'splitter'}
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={collapsed ? 0 : width}
      aria-valuemin={0}
      aria-valuemax={max}
      tabIndex={0}
      title={t('components.splitter.dragOrUseThe', { label })}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => onCollapsed(!collapsed)}
    />
  )
}
