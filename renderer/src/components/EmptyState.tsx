// Renderer: what a pane shows when it has nothing yet — one short title, one sentence of what to do, and the action.
import type { ReactNode } from 'react'

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children && <div className="hint">{children}</div>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  )
}
