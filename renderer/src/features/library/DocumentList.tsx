// Renderer: the sortable document table with keyboard navigation (↑/↓ move, Home/End, Enter opens).
import { useRef, type KeyboardEvent } from 'react'
import type { LibraryListItem } from '../../../../shared/ipc/channels/libraryChannels'
import { KIND_LABELS } from '../../../../shared/library/searchable'

export type SortKey = 'title' | 'date' | 'kind' | 'status'
export interface SortOrder {
  key: SortKey
  descending: boolean
}

export const KIND_SHELF_LABELS: Record<string, string> = {
  letter: 'Letters',
  correspondence: 'Correspondence',
  statement: 'Statements',
  note: 'Notes',
}

/** Sorts a copy; documents without a date go last whichever the direction. */
export function sortDocuments(items: readonly LibraryListItem[], order: SortOrder): LibraryListItem[] {
  const dir = order.descending ? -1 : 1
  return [...items].sort((a, b) => {
    if (order.key === 'date') {
      if (a.date === b.date) return a.title.localeCompare(b.title)
      if (a.date === null) return 1
      if (b.date === null) return -1
      return a.date.localeCompare(b.date) * dir
    }
    return (a[order.key].localeCompare(b[order.key], undefined, { sensitivity: 'base' }) || a.title.localeCompare(b.title)) * dir
  })
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'date', label: 'Date' },
  { key: 'kind', label: 'Kind' },
  { key: 'status', label: 'Status' },
]

export function DocumentList({
  items,
  order,
  onOrder,
  activeId,
  onOpen,
}: {
  items: readonly LibraryListItem[]
  order: SortOrder
  onOrder: (order: SortOrder) => void
  activeId: string | null
  onOpen: (id: string) => void
}) {
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>())
  const focusRow = (index: number) => {
    const item = items[Math.max(0, Math.min(items.length - 1, index))]
    if (item) rowRefs.current.get(item.id)?.focus()
  }
  const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    if (e.key === 'ArrowDown') focusRow(index + 1)
    else if (e.key === 'ArrowUp') focusRow(index - 1)
    else if (e.key === 'Home') focusRow(0)
    else if (e.key === 'End') focusRow(items.length - 1)
    else if (e.key === 'Enter' || e.key === ' ') onOpen(id)
    else return
    e.preventDefault()
  }
  return (
    <table className="doclist" aria-label="Documents">
      <colgroup>
        <col />
        <col className="c-date" />
        <col className="c-kind" />
        <col className="c-status" />
      </colgroup>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c.key} aria-sort={order.key === c.key ? (order.descending ? 'descending' : 'ascending') : 'none'}>
              <button
                type="button"
                className="sort"
                onClick={() => onOrder({ key: c.key, descending: order.key === c.key ? !order.descending : c.key === 'date' })}
              >
                {c.label}
                <span aria-hidden="true">{order.key === c.key ? (order.descending ? ' ▾' : ' ▴') : ''}</span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((d, i) => (
          <tr
            key={d.id}
            ref={(el) => {
              if (el) rowRefs.current.set(d.id, el)
              else rowRefs.current.delete(d.id)
            }}
            tabIndex={d.id === activeId || (activeId === null && i === 0) ? 0 : -1}
            aria-selected={d.id === activeId}
            className={d.id === activeId ? 'active' : undefined}
            data-testid="document-row"
            onClick={() => onOpen(d.id)}
            onKeyDown={(e) => onKeyDown(e, i, d.id)}
          >
            <td className="title">
              <span className="clamp">{d.title}</span>
              <span className="lang" title="Language">
                {d.language}
              </span>
            </td>
            <td className="date">{d.date ?? '—'}</td>
            <td>{KIND_LABELS[d.kind] ?? d.kind}</td>
            <td>{d.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
