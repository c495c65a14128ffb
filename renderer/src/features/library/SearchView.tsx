// Renderer: the full search view — query plus filters (kind, tag, status, language, date range) with counts from
// the index, paged results with highlighted marks, "Save search" for the library sidebar, and "Export annotations…"
// for the annotations the same query and filters find.
import { useEffect, useState } from 'react'
import { SEARCHABLE_KINDS, isSearchableKind } from '../../../../shared/library/searchable'
import type { SavedSearch, SearchFilterInput, SearchHitView } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { SearchAnnotationExport } from '../annotations/SearchAnnotationExport'
import { Highlighted } from '../../components/Highlighted'
import { useToast } from '../../components/Toast'
import { formatDay, formatLanguage } from '../../i18n/format'
import { describeStatus, recordKindName } from '../../i18n/codeNames'
import { t } from '../../i18n/intl'

type Facets = {
  kinds: Record<string, number>
  tags: Record<string, number>
  languages: Record<string, number>
  statuses: Record<string, number>
}

function FacetSelect({
  label,
  counts,
  value,
  onChange,
  name,
}: {
  label: string
  counts: Record<string, number>
  value: string
  onChange: (v: string) => void
  name?: (k: string) => string
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('library.searchView.any')}</option>
        {Object.entries(counts)
          .sort((a, b) => a[0].localeCompare(b[0]))
          .map(([k, n]) => (
            <option key={k} value={k}>
              {name ? name(k) : k} ({n})
            </option>
          ))}
      </select>
    </label>
  )
}

/** Turns the form's single choices into the search filter (empty choices are left out). */
export function buildFilter(f: {
  kind: string
  tag: string
  status: string
  language: string
  dateFrom: string
  dateTo: string
}): SearchFilterInput {
  const filter: SearchFilterInput = {}
  // Without a chosen kind, every library kind (the index also holds dossiers, which open elsewhere).
  filter.kinds = f.kind ? [f.kind] : [...SEARCHABLE_KINDS]
  if (f.tag) filter.tags = [f.tag]
  if (f.status) filter.status = [f.status]
  if (f.language) filter.language = [f.language]
  if (f.dateFrom) filter.dateFrom = f.dateFrom
  if (f.dateTo) filter.dateTo = f.dateTo
  return filter
}

export function SearchView({ initial, onOpen }: { initial: SavedSearch | null; onOpen: (hit: { id: string; kind: string }) => void }) {
  const api = useApi()
  const [query, setQuery] = useState(initial?.query ?? '')
  const [form, setForm] = useState({
    kind: initial?.filter.kinds?.[0] ?? '',
    tag: initial?.filter.tags?.[0] ?? '',
    status: initial?.filter.status?.[0] ?? '',
    language: initial?.filter.language?.[0] ?? '',
    dateFrom: initial?.filter.dateFrom ?? '',
    dateTo: initial?.filter.dateTo ?? '',
  })
  const [facets, setFacets] = useState<Facets | null>(null)
  const [hits, setHits] = useState<SearchHitView[]>([])
  const [total, setTotal] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const [saveName, setSaveName] = useState(initial?.name ?? '')
  const toast = useToast()

  useEffect(() => {
    api['search:getFacets']({})
      .then(setFacets)
      .catch((e) => setError(describeError(e)))
  }, [api])

  useEffect(() => {
    let live = true
    const timer = setTimeout(() => {
      api['search:query']({ query, filter: buildFilter(form), limit: 50 })
        .then((r) => {
          if (!live) return
          setHits(r.hits)
          setTotal(r.total)
          setError(null)
        })
        .catch((e) => live && setError(describeError(e)))
    }, 150)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [api, query, form])

  const save = async () => {
    try {
      const s = await api['search:createSaved']({ name: saveName, query, filter: buildFilter(form) })
      toast(t('library.searchView.savedOpenItFrom', { name: s.name }))
    } catch (e) {
      setError(describeError(e))
    }
  }

  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }))
  return (
    <section className="searchview" aria-labelledby="search-title">
      <h1 id="search-title">{t('library.searchView.search')}</h1>
      <input
        className="search-input"
        aria-label={t('library.searchView.searchQuery')}
        placeholder={t('library.searchView.wordsAPhrasePrefix')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="filters">
        <FacetSelect
          label={t('library.searchView.kind')}
          counts={Object.fromEntries(Object.entries(facets?.kinds ?? {}).filter(([k]) => isSearchableKind(k)))}
          value={form.kind}
          onChange={set('kind')}
          name={recordKindName}
        />
        <FacetSelect label={t('library.searchView.tag')} counts={facets?.tags ?? {}} value={form.tag} onChange={set('tag')} />
        <FacetSelect
          label={t('library.searchView.status')}
          counts={facets?.statuses ?? {}}
          value={form.status}
          onChange={set('status')}
          name={describeStatus}
        />
        <FacetSelect
          label={t('library.searchView.language')}
          counts={facets?.languages ?? {}}
          value={form.language}
          onChange={set('language')}
          name={(code) => formatLanguage(code) ?? t('library.searchView.languageNotKnown')}
        />
        <label>
          {t('library.searchView.from')}
          <input type="date" value={form.dateFrom} onChange={(e) => set('dateFrom')(e.target.value)} />
        </label>
        <label>
          {t('library.searchView.to')}
          <input type="date" value={form.dateTo} onChange={(e) => set('dateTo')(e.target.value)} />
        </label>
      </div>
      <div className="row savebar">
        <input
          aria-label={t('library.searchView.nameForThisSearch')}
          placeholder={t('library.searchView.nameThisSearch')}
          value={saveName}
          onChange={(e) => setSaveName(e.target.value)}
        />
        <button type="button" onClick={() => void save()} disabled={saveName.trim() === ''}>
          {t('library.searchView.saveSearch')}
        </button>
      </div>
      <SearchAnnotationExport query={query} filter={buildFilter(form)} />
      <ErrorMessage message={error} />
      <p className="hint">{t('library.resultCount', { count: total })}</p>
      <ul className="hits results">
        {hits.map((hit) => (
          <li key={hit.id} className="hit">
            <button type="button" className="hit-open" onClick={() => onOpen(hit)}>
              <span className="hit-title">
                <Highlighted text={hit.title} marks={hit.titleMarks} />
              </span>
            </button>
            <div className="hit-meta">
              {recordKindName(hit.kind)}
              {hit.date ? ` · ${formatDay(hit.date)}` : ''}
              {hit.status ? ` · ${describeStatus(hit.status)}` : ''}
              {formatLanguage(hit.language) ? ` · ${formatLanguage(hit.language)}` : ''}
              {hit.tags.map((t) => ` #${t}`).join('')}
            </div>
            {hit.snippet.text && (
              <div className="hit-snippet">
                <Highlighted text={hit.snippet.text} marks={hit.snippet.marks} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
