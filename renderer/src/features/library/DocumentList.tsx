// Renderer: the sortable document list with keyboard navigation (↑/↓ move, Home/End, Enter opens).
import { useRef, type KeyboardEvent } from 'react'
import type { LibraryListItem } from '../../../../shared/ipc/channels/libraryChannels'
import { t } from '../../i18n/intl'
import { describeStatus, recordKindName } from '../../i18n/codeNames'
import { formatDay, formatLanguage } from '../../i18n/format'

export type SortKey = 'title' | 'date' | 'kind' | 'status'
export interface SortOrder {
  key: SortKey
  descending: boolean
}

export const KIND_SHELF_LABELS: Record<string, string> = {
  letter: t('library.documentList.letters'),
  correspondence: t('library.documentList.correspondence'),
  statement: t('library.documentList.statements'),
  note: t('library.documentList.notes'),
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

const SORT_KEYS: { key: SortKey; label: string }[] = [
  { key: 'date', label: t('library.documentList.date') },
  { key: 'title', label: t('library.documentList.title') },
  { key: 'kind', label: t('library.documentList.kind') },
  { key: 'status', label: t('library.documentList.status') },
]

/**
 * One row per document: the title on up to two lines (broken between words, never inside one unless a single word is
 * wider than the pane), and date, kind, status and language on a quiet line under it — so a narrow pane shows whole
 * words instead of four squeezed columns.
 */
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
  const rowRefs = useRef(new Map<string, HTMLLIElement>())
  const focusRow = (index: number) => {
    const item = items[Math.max(0, Math.min(items.length - 1, index))]
    if (item) rowRefs.current.get(item.id)?.focus()
  }
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, index: number, id: string) => {
    if (e.key === 'ArrowDown') focusRow(index + 1)
    else if (e.key === 'ArrowUp') focusRow(index - 1)
    else if (e.key === 'Home') focusRow(0)
    else if (e.key === 'End') focusRow(items.length - 1)
    else if (e.key === 'Enter' || e.key === ' ') onOpen(id)
    else return
    e.preventDefault()
  }
  return (
    <>
      <div className="sortbar" role="group" aria-label={t('library.documentList.sortDocumentsBy')}>
        {SORT_KEYS.map((c) => (
          <button
            key={c.key}
            type="button"
            className="sort"
            aria-pressed={order.key === c.key}
            onClick={() => onOrder({ key: c.key, descending: order.key === c.key ? !order.descending : c.key === 'date' })}
          >
            {c.label}
            <span aria-hidden="true">{order.key === c.key ? (order.descending ? ' ↓' : ' ↑') : ''}</span>
            {order.key === c.key && (
              <span className="sr-only">
                {order.descending ? t('library.documentList.descending') : t('library.documentList.ascending')}
              </span>
            )}
          </button>
        ))}
      </div>
      <ul className="doclist" role="listbox" aria-label={t('library.documentList.documents')}>
        {items.map((d, i) => (
          <li
            key={d.id}
            ref={(el) => {
              if (el) rowRefs.current.set(d.id, el)
              else rowRefs.current.delete(d.id)
            }}
            role="option"
            tabIndex={d.id === activeId || (activeId === null && i === 0) ? 0 : -1}
            aria-selected={d.id === activeId}
            className={d.id === activeId ? 'docrow active' : 'docrow'}
            data-testid="document-row"
            onClick={() => onOpen(d.id)}
            onKeyDown={(e) => onKeyDown(e, i, d.id)}
          >
            <span className="clamp" title={d.title}>
              {d.title}
            </span>
            <span className="doc-meta">
              <span className="date">{d.date === null ? '—' : formatDay(d.date)}</span>
              <span className="kind">{recordKindName(d.kind)}</span>
              <span className="status">{describeStatus(d.status)}</span>
              {formatLanguage(d.language) && (
                <span className="lang" title={t('library.documentList.language')}>
                  {formatLanguage(d.language)}
                </span>
              )}
            </span>
          </li>
        ))}
      </ul>
    </>
  )
}
