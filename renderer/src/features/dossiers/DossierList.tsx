// Renderer: the dossier list — filters (text in any script, status, category, vulnerability, region, list,
// consent), counts by status and category over the filtered set, and a table of summaries to open.
import { useEffect, useState } from 'react'
import {
  CONSENT_LEVELS,
  CURRENT_STATUSES,
  DOSSIER_CATEGORIES,
  VULNERABILITY_FLAGS,
  type ConsentLevel,
  type CurrentStatus,
  type DossierCategory,
  type VulnerabilityFlag,
} from '../../../../shared/dossiers/dossier'
import type { DossierFilter } from '../../../../shared/dossiers/filter'
import type { DossierCountsView, DossierListItem, DossierListView } from '../../../../shared/ipc/channels/dossierChannels'
import { AddToListBar } from './AddToListBar'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { CATEGORY_LABELS, CONSENT_LABELS, FLAG_LABELS } from '../../../../shared/dossiers/labels'
import { EmptyState } from '../../components/EmptyState'
import { useCan } from '../../hooks/useRole'
import { t } from '../../i18n/intl'
import { dossierStatusName } from '../../i18n/codeNames'

export interface ListFilterState {
  text: string
  status: CurrentStatus | ''
  category: DossierCategory | ''
  flag: VulnerabilityFlag | ''
  region: string
  listId: string
  consent: ConsentLevel | ''
}

export const EMPTY_FILTER: ListFilterState = { text: '', status: '', category: '', flag: '', region: '', listId: '', consent: '' }

function toFilter(state: ListFilterState): DossierFilter {
  return {
    ...(state.text.trim() ? { text: state.text.trim() } : {}),
    ...(state.status ? { status: state.status } : {}),
    ...(state.category ? { category: state.category } : {}),
    ...(state.flag ? { vulnerability: [state.flag] } : {}),
    ...(state.region ? { region: state.region } : {}),
    ...(state.listId ? { listId: state.listId } : {}),
    ...(state.consent ? { consent: state.consent } : {}),
  }
}

export function DossierList({
  filter,
  onFilter,
  onOpen,
  onNew,
}: {
  filter: ListFilterState
  onFilter: (f: ListFilterState) => void
  onOpen: (id: string) => void
  onNew: () => void
}) {
  const api = useApi()
  const [rows, setRows] = useState<DossierListItem[] | null>(null)
  const [counts, setCounts] = useState<DossierCountsView | null>(null)
  const [totalStored, setTotalStored] = useState(0)
  const [regions, setRegions] = useState<string[]>([])
  const [lists, setLists] = useState<DossierListView[]>([])
  const [error, setError] = useState<string | null>(null)
  // Ticked rows, kept only while they are shown: a filter change drops the ticks it hides.
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set())
  const shownTicked = rows ? rows.filter((r) => ticked.has(r.id)).map((r) => r.id) : []
  const allTicked = rows !== null && rows.length > 0 && shownTicked.length === rows.length
  const toggle = (id: string): void =>
    setTicked((prev) => {
      const next = new Set(prev)
      if (!next.delete(id)) next.add(id)
      return next
    })

  useEffect(() => {
    let live = true
    // Typing in the search box should not send one request per key.
    const timer = setTimeout(() => {
      api['dossiers:list']({ filter: toFilter(filter) })
        .then((result) => {
          if (!live) return
          setRows(result.dossiers)
          setCounts(result.counts)
          setTotalStored(result.totalStored)
          setRegions(result.regions)
          setError(null)
        })
        .catch((err: unknown) => live && setError(describeError(err)))
    }, 150)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [api, filter])

  useEffect(() => {
    api['dossiers:listLists']({})
      .then((r) => setLists(r.lists))
      .catch((err: unknown) => setError(describeError(err)))
  }, [api])

  const canWrite = useCan('dossiers.write')
  const set = <K extends keyof ListFilterState>(key: K, value: ListFilterState[K]) => onFilter({ ...filter, [key]: value })
  const filtered = Object.values(toFilter(filter)).length > 0

  return (
    <section className="panel dossiers" aria-labelledby="dossiers-title">
      <div className="panel-head">
        <h1 id="dossiers-title">{t('dossiers.dossierList.dossiers')}</h1>
        {canWrite && (
          <button className="primary" onClick={onNew}>
            {t('dossiers.dossierList.newDossier')}
          </button>
        )}
      </div>
      <ErrorMessage message={error} />

      <form className="filters" role="search" aria-label={t('dossiers.dossierList.filterDossiers')} onSubmit={(e) => e.preventDefault()}>
        <div className="field grow">
          <label htmlFor="dossier-filter-text">{t('dossiers.dossierList.nameAnyScriptOr')}</label>
          <input id="dossier-filter-text" type="search" value={filter.text} onChange={(e) => set('text', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="dossier-filter-status">{t('dossiers.dossierList.status')}</label>
          <select id="dossier-filter-status" value={filter.status} onChange={(e) => set('status', e.target.value as CurrentStatus | '')}>
            <option value="">{t('dossiers.dossierList.any')}</option>
            {CURRENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {dossierStatusName(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dossier-filter-category">{t('dossiers.dossierList.category')}</label>
          <select
            id="dossier-filter-category"
            value={filter.category}
            onChange={(e) => set('category', e.target.value as DossierCategory | '')}
          >
            <option value="">{t('dossiers.dossierList.any')}</option>
            {DOSSIER_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dossier-filter-flag">{t('dossiers.dossierList.vulnerability')}</label>
          <select id="dossier-filter-flag" value={filter.flag} onChange={(e) => set('flag', e.target.value as VulnerabilityFlag | '')}>
            <option value="">{t('dossiers.dossierList.any')}</option>
            {VULNERABILITY_FLAGS.map((f) => (
              <option key={f} value={f}>
                {FLAG_LABELS[f]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dossier-filter-region">{t('dossiers.dossierList.region')}</label>
          <select id="dossier-filter-region" value={filter.region} onChange={(e) => set('region', e.target.value)}>
            <option value="">{t('dossiers.dossierList.any')}</option>
            {regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dossier-filter-list">{t('dossiers.dossierList.list')}</label>
          <select id="dossier-filter-list" value={filter.listId} onChange={(e) => set('listId', e.target.value)}>
            <option value="">{t('dossiers.dossierList.any')}</option>
            {lists.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="dossier-filter-consent">{t('dossiers.dossierList.consent')}</label>
          <select id="dossier-filter-consent" value={filter.consent} onChange={(e) => set('consent', e.target.value as ConsentLevel | '')}>
            <option value="">{t('dossiers.dossierList.any')}</option>
            {CONSENT_LEVELS.map((c) => (
              <option key={c} value={c}>
                {CONSENT_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        {filtered && (
          <button type="button" className="link" onClick={() => onFilter(EMPTY_FILTER)}>
            {t('dossiers.dossierList.clearFilters')}
          </button>
        )}
      </form>

      {counts && <CountsBar counts={counts} totalStored={totalStored} filtered={filtered} />}

      {rows === null ? (
        <p aria-busy="true">{t('dossiers.dossierList.loading')}</p>
      ) : rows.length === 0 ? (
        <div data-testid="dossier-empty">
          {totalStored === 0 ? (
            <EmptyState title={t('dossiers.dossierList.noDossiersYet')}>
              {canWrite ? t('dossiers.dossierList.createTheFirstWith') : t('dossiers.dossierList.aLegalAdviserOr')}
            </EmptyState>
          ) : (
            <EmptyState title={t('dossiers.dossierList.noDossierMatchesThese')}>{t('dossiers.dossierList.clearAFilterTo')}</EmptyState>
          )}
        </div>
      ) : (
        <>
          {shownTicked.length > 0 && (
            <AddToListBar
              selectedIds={shownTicked}
              lists={lists}
              onDone={(list) => {
                setLists((all) => all.map((l) => (l.id === list.id ? list : l)))
                setTicked(new Set())
              }}
              onClear={() => setTicked(new Set())}
            />
          )}
          <table className="grid" data-testid="dossier-table">
            <thead>
              <tr>
                <th scope="col" className="tick">
                  <input
                    type="checkbox"
                    aria-label={
                      allTicked ? t('dossiers.dossierList.unselectEveryDossierShown') : t('dossiers.dossierList.selectEveryDossierShown')
                    }
                    checked={allTicked}
                    onChange={() => setTicked(allTicked ? new Set() : new Set(rows.map((r) => r.id)))}
                  />
                </th>
                <th scope="col">{t('dossiers.dossierList.name')}</th>
                <th scope="col">{t('dossiers.dossierList.status')}</th>
                <th scope="col">{t('dossiers.dossierList.category')}</th>
                <th scope="col">{t('dossiers.dossierList.region')}</th>
                <th scope="col">{t('dossiers.dossierList.vulnerability')}</th>
                <th scope="col">{t('dossiers.dossierList.consent')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className={ticked.has(row.id) ? 'ticked' : undefined}>
                  <td className="tick">
                    <input
                      type="checkbox"
                      aria-label={t('dossiers.dossierList.select', { name: row.name })}
                      checked={ticked.has(row.id)}
                      onChange={() => toggle(row.id)}
                    />
                  </td>
                  <td>
                    <button className="link" onClick={() => onOpen(row.id)}>
                      {row.name}
                    </button>
                    {row.transliteration && row.transliteration !== row.name && <span className="hint"> · {row.transliteration}</span>}
                    {row.birthYear !== null && <span className="hint"> {t('dossiers.dossierList.bornIn', { year: row.birthYear })}</span>}
                  </td>
                  <td>
                    <span className={`status status-${row.status}`}>{dossierStatusName(row.status)}</span>
                  </td>
                  <td>{CATEGORY_LABELS[row.category]}</td>
                  <td>{row.region || '—'}</td>
                  <td>{row.flags.length ? row.flags.map((f) => FLAG_LABELS[f]).join(', ') : '—'}</td>
                  <td>{CONSENT_LABELS[row.consent]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}

/** Counts by status and by category; zero entries are left out to keep the bar short. */
export function CountsBar({ counts, totalStored, filtered }: { counts: DossierCountsView; totalStored?: number; filtered?: boolean }) {
  const statuses = CURRENT_STATUSES.filter((s) => counts.byStatus[s] > 0)
  const categories = DOSSIER_CATEGORIES.filter((c) => counts.byCategory[c] > 0)
  return (
    <div className="counts" data-testid="dossier-counts" aria-label={t('dossiers.dossierList.counts')}>
      <strong>
        {t('dossiers.dossierList.dossier', {
          total: counts.total,
          value2: filtered && totalStored !== undefined ? t('dossiers.dossierList.of', { totalStored }) : '',
        })}
      </strong>
      {statuses.length > 0 && (
        <span>
          {statuses.map((s) => (
            <span key={s} className="count">
              {dossierStatusName(s)}: {counts.byStatus[s]}
            </span>
          ))}
        </span>
      )}
      {categories.length > 0 && (
        <span>
          {categories.map((c) => (
            <span key={c} className="count">
              {CATEGORY_LABELS[c]}: {counts.byCategory[c]}
            </span>
          ))}
        </span>
      )}
    </div>
  )
}
