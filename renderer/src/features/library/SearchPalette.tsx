// Renderer: the Ctrl+K search palette — type, see ranked hits with highlighted title and snippet, ↑/↓ to move,
// Enter to open, Escape to close. Marks are React <mark> elements built from ranges, never HTML.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { SEARCHABLE_KINDS } from '../../../../shared/library/searchable'
import type { SearchHitView } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { Highlighted } from '../../components/Highlighted'
import { formatDay, formatLanguage } from '../../i18n/format'
import { t } from '../../i18n/intl'
import { recordKindName } from '../../i18n/codeNames'

const QUERY_DELAY_MS = 120

export function SearchPalette({ onOpen, onClose }: { onOpen: (hit: { id: string; kind: string }) => void; onClose: () => void }) {
  const api = useApi()
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<SearchHitView[]>([])
  const [total, setTotal] = useState(0)
  /** The query the shown hits answer; differs from `query` while an answer is on its way. */
  const [answered, setAnswered] = useState('')
  const [active, setActive] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const inputRef = useRef<HTMLInputElement>(null)
  const lastQuery = useRef(0)

  useEffect(() => inputRef.current?.focus(), [])

  useEffect(() => {
    const ticket = ++lastQuery.current
    if (query.trim() === '') {
      setHits([])
      setTotal(0)
      return
    }
    const timer = setTimeout(() => {
      api['search:query']({ query, filter: { kinds: [...SEARCHABLE_KINDS] }, limit: 20 })
        .then((r) => {
          // Answers can arrive out of order: only the latest query's results are shown.
          if (ticket !== lastQuery.current) return
          setHits(r.hits)
          setTotal(r.total)
          setAnswered(query)
          setActive(0)
          setError(null)
        })
        .catch((e) => ticket === lastQuery.current && setError(describeError(e)))
    }, QUERY_DELAY_MS)
    return () => clearTimeout(timer)
  }, [api, query])

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setActive((a) => Math.min(hits.length - 1, a + 1))
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1))
    else if (e.key === 'Enter') {
      const hit = hits[active]
      if (hit) onOpen(hit)
    } else if (e.key === 'Escape') onClose()
    else return
    e.preventDefault()
  }

  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label={t('library.searchPalette.searchDocuments')}
        onKeyDown={onKeyDown}
      >
        <input
          ref={inputRef}
          className="palette-input"
          aria-label={t('library.searchPalette.searchDocuments')}
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls="palette-results"
          aria-activedescendant={hits[active] ? `hit-${hits[active].id}` : undefined}
          placeholder={t('library.searchPalette.searchTitlesAndFull')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {error && <p className="error">{error}</p>}
        {!error && query.trim() !== '' && answered === query && hits.length === 0 && (
          <p className="hint palette-empty" role="status">
            {t('library.searchPalette.noMatches')}
          </p>
        )}
        <ul id="palette-results" role="listbox" aria-label={t('library.searchPalette.results')} className="hits">
          {hits.map((hit, i) => (
            <li
              key={hit.id}
              id={`hit-${hit.id}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'hit active' : 'hit'}
              data-testid="search-hit"
              onMouseEnter={() => setActive(i)}
              onClick={() => onOpen(hit)}
            >
              <div className="hit-title">
                <Highlighted text={hit.title} marks={hit.titleMarks} />
              </div>
              <div className="hit-meta">
                {recordKindName(hit.kind)}
                {hit.date ? ` · ${formatDay(hit.date)}` : ''}
                {formatLanguage(hit.language) ? ` · ${formatLanguage(hit.language)}` : ''}
              </div>
              {hit.snippet.text && (
                <div className="hit-snippet">
                  <Highlighted text={hit.snippet.text} marks={hit.snippet.marks} />
                </div>
              )}
            </li>
          ))}
        </ul>
        <p className="hint palette-foot">
          {t('library.searchPalette.toMoveEnterTo', {
            value: query.trim() === '' ? t('library.searchPalette.typeToSearch') : t('library.resultCount', { count: total }),
          })}
        </p>
      </div>
    </div>
  )
}
