// Renderer: step 1 of the export wizard — the records to export in one table (title, kind, date, status; sortable),
// a filter, a choose-all box that acts on the rows shown, then dossier lists and full-text search results.
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ExportSourcesView } from '../../../../shared/ipc/channels/exchangeChannels'
import type { ConsentLevel } from '../../../../shared/dossiers/dossier'
import { CONSENT_LABELS } from '../../../../shared/dossiers/labels'
import { DOSSIER_RECORD_KIND } from '../../../../shared/dossiers/dossier'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { describeStatus, recordKindName } from '../../i18n/codeNames'
import { t } from '../../i18n/intl'

/** One record as the picker shows it: everything already in words. */
export interface PickerRow {
  readonly id: string
  readonly title: string
  readonly kind: string
  /** YYYY-MM-DD (a document's own date, a dossier's last save) or null. */
  readonly date: string | null
  readonly status: string
  readonly consent: ConsentLevel | null
}

type SortKey = 'title' | 'kind' | 'date' | 'status'
type SortOrder = { key: SortKey; ascending: boolean }

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'title', label: t('exchange.exportRecordPicker.title') },
  { key: 'kind', label: t('exchange.exportRecordPicker.kind') },
  { key: 'date', label: t('exchange.exportRecordPicker.date') },
  { key: 'status', label: t('exchange.exportRecordPicker.status') },
]

/** Documents and dossiers as picker rows, in the order the vault lists them. */
export function toPickerRows(sources: ExportSourcesView): PickerRow[] {
  return [
    ...sources.documents.map((d) => ({
      id: d.id,
      title: d.title || t('exchange.exportRecordPicker.untitled'),
      kind: recordKindName(d.kind),
      date: d.date,
      status: describeStatus(d.status),
      consent: null,
    })),
    ...sources.dossiers.map((d) => ({
      id: d.id,
      title: d.name,
      kind: recordKindName(DOSSIER_RECORD_KIND),
      date: d.savedAt.slice(0, 10),
      status: describeStatus(d.status),
      consent: d.consent,
    })),
  ]
}

/** A sorted copy; rows without a date go last whichever the direction. */
function sortRows(rows: readonly PickerRow[], order: SortOrder): PickerRow[] {
  const direction = order.ascending ? 1 : -1
  return [...rows].sort((a, b) => {
    if (order.key === 'date' && a.date !== b.date) {
      if (a.date === null) return 1
      if (b.date === null) return -1
    }
    const byKey = (a[order.key] ?? '').localeCompare(b[order.key] ?? '') * direction
    return byKey !== 0 ? byKey : a.title.localeCompare(b.title)
  })
}

function matchesFilter(row: PickerRow, words: readonly string[]): boolean {
  const text = `${row.title} ${row.kind} ${row.status} ${row.date ?? ''}`.toLocaleLowerCase()
  return words.every((word) => text.includes(word))
}

export function ExportRecordPicker({
  sources,
  chosen,
  onChosenChange,
}: {
  sources: ExportSourcesView
  chosen: ReadonlySet<string>
  onChosenChange: (next: Set<string>) => void
}) {
  const api = useApi()
  const [filter, setFilter] = useState('')
  const [order, setOrder] = useState<SortOrder>({ key: 'title', ascending: true })
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<{ id: string; kind: string; title: string }[]>([])
  const [error, setError] = useState<string | null>(null)
  const chooseAllRef = useRef<HTMLInputElement>(null)

  const rows = useMemo(() => toPickerRows(sources), [sources])
  const shown = useMemo(() => {
    const words = filter.toLocaleLowerCase().split(/\s+/).filter(Boolean)
    return sortRows(
      rows.filter((row) => matchesFilter(row, words)),
      order,
    )
  }, [rows, filter, order])
  const chosenShown = shown.filter((row) => chosen.has(row.id)).length
  const allShownChosen = shown.length > 0 && chosenShown === shown.length

  // `indeterminate` exists only as a DOM property: some, not all, of the rows shown are chosen.
  useEffect(() => {
    if (chooseAllRef.current) chooseAllRef.current.indeterminate = chosenShown > 0 && !allShownChosen
  }, [chosenShown, allShownChosen])

  const toggle = (id: string) => {
    const next = new Set(chosen)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    onChosenChange(next)
  }
  // Acts on the rows shown only: with a filter set, rows hidden by it keep their state.
  const toggleAllShown = () => {
    const next = new Set(chosen)
    for (const row of shown) {
      if (allShownChosen) next.delete(row.id)
      else next.add(row.id)
    }
    onChosenChange(next)
  }
  const sortBy = (key: SortKey) => setOrder((o) => ({ key, ascending: o.key === key ? !o.ascending : true }))

  const search = async () => {
    setError(null)
    try {
      const result = await api['search:query']({ query, limit: 50 })
      setHits(result.hits.map((h) => ({ id: h.id, kind: h.kind, title: h.title })))
    } catch (err) {
      setError(describeError(err))
    }
  }

  const filtering = filter.trim() !== ''
  return (
    <div className="record-picker">
      <ErrorMessage message={error} />
      <div className="record-filter">
        <label>
          {t('exchange.exportRecordPicker.filterLabel')} <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
        <span className="hint" data-testid="picker-count">
          {filtering
            ? t('exchange.exportRecordPicker.shownOfTotal', { shown: shown.length, total: rows.length, chosen: chosen.size })
            : t('exchange.exportRecordPicker.totalChosen', { total: rows.length, chosen: chosen.size })}
        </span>
      </div>
      {rows.length === 0 ? (
        <p className="hint">{t('exchange.exportRecordPicker.noRecords')}</p>
      ) : (
        <div className="record-table-wrap">
          <table className="record-table">
            <thead>
              <tr>
                <th scope="col" className="choose-cell">
                  <input
                    ref={chooseAllRef}
                    type="checkbox"
                    aria-label={
                      filtering
                        ? t('exchange.exportRecordPicker.chooseAllShown', { count: shown.length })
                        : t('exchange.exportRecordPicker.chooseAll')
                    }
                    checked={allShownChosen}
                    disabled={shown.length === 0}
                    onChange={toggleAllShown}
                  />
                </th>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    className={`col-${c.key}`}
                    aria-sort={order.key === c.key ? (order.ascending ? 'ascending' : 'descending') : undefined}
                  >
                    <button type="button" className="link sort-button" onClick={() => sortBy(c.key)}>
                      {c.label}
                      {order.key === c.key && <span aria-hidden="true">{order.ascending ? ' ▲' : ' ▼'}</span>}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr key={row.id} data-testid="picker-row" className={chosen.has(row.id) ? 'chosen' : undefined}>
                  <td className="choose-cell">
                    <input type="checkbox" aria-label={row.title} checked={chosen.has(row.id)} onChange={() => toggle(row.id)} />
                  </td>
                  <td className="col-title">{row.title}</td>
                  <td className="col-kind">{row.kind}</td>
                  <td className="col-date">{row.date ?? '—'}</td>
                  <td className="col-status">
                    {row.status}
                    {row.consent && (
                      <>
                        {' '}
                        <span className={`badge consent-${row.consent}`}>{CONSENT_LABELS[row.consent]}</span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
              {shown.length === 0 && (
                <tr>
                  <td colSpan={COLUMNS.length + 1} className="hint">
                    {t('exchange.exportRecordPicker.noRecordsMatch')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <div className="record-columns">
        <fieldset>
          <legend>{t('exchange.exportWizard.dossierLists')}</legend>
          {sources.lists.length === 0 && <p className="hint">{t('exchange.exportWizard.noLists')}</p>}
          {sources.lists.map((l) => (
            <label key={l.id} className="check">
              <input type="checkbox" checked={chosen.has(l.id)} onChange={() => toggle(l.id)} /> {l.name}{' '}
              <span className="hint">{t('exchange.exportWizard.dossiers2', { count: l.count })}</span>
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('exchange.exportWizard.fromSearchResults')}</legend>
          <form
            className="row"
            onSubmit={(e) => {
              e.preventDefault()
              void search()
            }}
          >
            <input
              aria-label={t('exchange.exportWizard.searchRecordsToExport')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder={t('exchange.exportWizard.search')}
            />
            <button type="submit">{t('exchange.exportWizard.search2')}</button>
          </form>
          {hits.map((h) => (
            <label key={h.id} className="check">
              <input type="checkbox" checked={chosen.has(h.id)} onChange={() => toggle(h.id)} /> {h.title}{' '}
              <span className="hint">{recordKindName(h.kind)}</span>
            </label>
          ))}
        </fieldset>
      </div>
    </div>
  )
}
