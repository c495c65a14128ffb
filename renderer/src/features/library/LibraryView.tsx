// Renderer: the library — the list pane (filters by kind and tag with counts, saved searches, the sortable list),
// the reader/editor and its annotations, in resizable, collapsible panes; import by button (native dialog) or by dropping files anywhere on the library.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MutableRefObject } from 'react'
import { DOCUMENT_KINDS } from '../../../../shared/library/document'
import type { ImportResultView, LibraryListItem, SavedSearch } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError, readDroppedPaths } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { EmptyState } from '../../components/EmptyState'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Select } from '../../components/Select'
import { Splitter } from '../../components/Splitter'
import { usePaneLayout, type PaneSpec } from '../../hooks/usePaneLayout'
import { useCan } from '../../hooks/useRole'
import { DocumentEditor, type EditorHandle } from './DocumentEditor'
import { DocumentList, KIND_SHELF_LABELS, sortDocuments, type SortOrder } from './DocumentList'
import { t } from '../../i18n/intl'

/**
 * The library's resizable panes. Starting widths follow the window (a quarter for the list, a little less for the
 * annotations), so the document keeps at least 600 px at 1280 px; afterwards the person's own widths are kept.
 */
function libraryPanes(): { list: PaneSpec; annotations: PaneSpec } {
  const w = typeof window === 'undefined' ? 1280 : window.innerWidth
  return {
    list: { initial: Math.round(Math.min(340, Math.max(240, w * 0.24))), min: 200, max: 560 },
    annotations: { initial: Math.round(Math.min(320, Math.max(240, w * 0.2))), min: 220, max: 480 },
  }
}
const PANES = libraryPanes()

type Shelf = { type: 'all' } | { type: 'kind'; kind: string } | { type: 'tag'; tag: string }

function countBy(values: readonly string[]): [string, number][] {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

export function LibraryView({
  selectedId,
  onSelect,
  onOpenSavedSearch,
  leaveGuardRef,
}: {
  selectedId: string | null
  onSelect: (id: string | null) => void
  onOpenSavedSearch: (search: SavedSearch) => void
  /** Set while the library is shown: the workspace asks it before leaving the Library or opening another document. */
  leaveGuardRef?: MutableRefObject<(() => Promise<boolean>) | null>
}) {
  const api = useApi()
  // A role that cannot edit the library is not offered import or new notes (the dispatcher would refuse them).
  const canWrite = useCan('library.write')
  const [documents, setDocuments] = useState<LibraryListItem[] | null>(null)
  const [saved, setSaved] = useState<SavedSearch[]>([])
  const [shelf, setShelf] = useState<Shelf>({ type: 'all' })
  const [order, setOrder] = useState<SortOrder>({ key: 'date', descending: true })
  const [error, setError] = useState<string | null>(null)
  const [importing, setImporting] = useState(false)
  const [results, setResults] = useState<ImportResultView[] | null>(null)
  const [dragging, setDragging] = useState(false)
  const editorRef = useRef<EditorHandle | null>(null)
  const { panes, setWidth, setCollapsed } = usePaneLayout('library', PANES)
  const [leaving, setLeaving] = useState<{ problem: string | null; answer: (leave: boolean) => void } | null>(null)

  // Leaving the open document: a pending save is finished first; if one failed (or fails now), the user decides.
  const confirmLeave = useCallback(async (): Promise<boolean> => {
    const editor = editorRef.current
    if (!editor || (await editor.settle())) return true
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null
    return new Promise<boolean>((resolve) =>
      setLeaving({
        problem: editor.problem(),
        answer: (leave) => {
          setLeaving(null)
          if (leave) editor.discard()
          else returnTo?.focus()
          resolve(leave)
        },
      }),
    )
  }, [])

  useEffect(() => {
    if (!leaveGuardRef) return
    leaveGuardRef.current = confirmLeave
    return () => {
      leaveGuardRef.current = null
    }
  }, [leaveGuardRef, confirmLeave])

  /** Runs `action` once the open document may be left. */
  const afterLeave = (action: () => void | Promise<void>) => {
    void confirmLeave().then((leave) => (leave ? action() : undefined))
  }

  const refresh = useCallback(async () => {
    try {
      setDocuments((await api['library:list']({})).documents)
    } catch (e) {
      setError(describeError(e))
    }
  }, [api])

  useEffect(() => {
    void refresh()
    api['search:listSaved']({})
      .then((r) => setSaved(r.searches))
      .catch(() => setSaved([]))
  }, [api, refresh])

  const importPaths = async (paths: string[]) => {
    if (paths.length === 0) return
    setImporting(true)
    setError(null)
    try {
      const { results: out } = await api['library:import']({ paths })
      setResults(out)
      await refresh()
      const first = out.find((r) => r.ok)
      if (first?.ok) onSelect(first.id)
    } catch (e) {
      setError(describeError(e))
    } finally {
      setImporting(false)
    }
  }

  const chooseAndImport = async () => {
    try {
      await importPaths((await api['library:chooseImportFiles']({})).paths)
    } catch (e) {
      setError(describeError(e))
    }
  }

  const createNote = async () => {
    try {
      const { id } = await api['library:create']({
        document: { kind: 'note', title: t('library.libraryView.untitledNote'), date: new Date().toISOString().slice(0, 10), text: '' },
      })
      await refresh()
      onSelect(id)
    } catch (e) {
      setError(describeError(e))
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setDragging(false)
    if (e.dataTransfer.files.length === 0) return
    const paths = readDroppedPaths(e.dataTransfer.files)
    if (paths.length === 0) setError(t('library.libraryView.theseFilesCannotBe'))
    else afterLeave(() => importPaths(paths))
  }

  const visible = useMemo(() => {
    const all = documents ?? []
    const filtered =
      shelf.type === 'kind'
        ? all.filter((d) => d.kind === shelf.kind)
        : shelf.type === 'tag'
          ? all.filter((d) => d.tags.includes(shelf.tag))
          : all
    return sortDocuments(filtered, order)
  }, [documents, shelf, order])

  const kindCounts = new Map(countBy((documents ?? []).map((d) => d.kind)))
  const tagCounts = countBy((documents ?? []).flatMap((d) => d.tags))
  const shelfValue = shelf.type === 'all' ? 'all' : shelf.type === 'kind' ? `kind:${shelf.kind}` : `tag:${shelf.tag}`
  const shelfOptions = [
    { value: 'all', label: t('library.libraryView.allDocuments', { value: documents?.length ?? 0 }) },
    ...DOCUMENT_KINDS.map((kind) => ({ value: `kind:${kind}`, label: `${KIND_SHELF_LABELS[kind]} (${kindCounts.get(kind) ?? 0})` })),
    ...tagCounts.map(([tag, n]) => ({ value: `tag:${tag}`, label: `#${tag} (${n})` })),
  ]
  const chooseShelf = (value: string) =>
    setShelf(
      value.startsWith('kind:')
        ? { type: 'kind', kind: value.slice(5) }
        : value.startsWith('tag:')
          ? { type: 'tag', tag: value.slice(4) }
          : { type: 'all' },
    )
  const list = panes.list

  return (
    <main
      id="library"
      className={['library', dragging ? 'dragging' : '', selectedId ? 'reading' : ''].filter(Boolean).join(' ')}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault()
          setDragging(true)
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false)
      }}
      onDrop={onDrop}
    >
      {list.collapsed ? (
        <button
          type="button"
          className="pane-rail"
          onClick={() => setCollapsed('list', false)}
          aria-label={t('library.libraryView.showTheDocumentList')}
        >
          <span aria-hidden="true">›</span>
        </button>
      ) : (
        <section className="listpane" id="library-list" aria-labelledby="library-title" style={{ width: list.width }}>
          <div className="pane-head">
            <h1 id="library-title">{t('library.libraryView.library')}</h1>
            <span className="hint count">{visible.length}</span>
            <Button
              variant="quiet"
              size="sm"
              onClick={() => setCollapsed('list', true)}
              aria-label={t('library.libraryView.hideTheDocumentList')}
              title={t('library.libraryView.hideTheList')}
            >
              ‹
            </Button>
          </div>
          {canWrite && (
            <div className="listbar">
              <Button variant="primary" size="sm" onClick={() => afterLeave(chooseAndImport)} disabled={importing}>
                {importing ? t('library.libraryView.importing') : t('library.libraryView.import')}
              </Button>
              <Button size="sm" onClick={() => afterLeave(createNote)}>
                {t('library.libraryView.newNote')}
              </Button>
              <span className="hint drop-hint">{t('library.libraryView.orDropFilesHere')}</span>
            </div>
          )}
          <div className="listfilters" role="group" aria-label={t('library.libraryView.libraryFilters')}>
            <Select aria-label={t('library.libraryView.show')} value={shelfValue} onChange={chooseShelf} options={shelfOptions} />
            {saved.length > 0 && (
              <Select
                aria-label={t('library.libraryView.savedSearches')}
                value=""
                placeholder={t('library.libraryView.savedSearches2')}
                options={saved.map((s) => ({ value: s.id, label: s.name }))}
                onChange={(id) => {
                  const search = saved.find((s) => s.id === id)
                  if (search) afterLeave(() => onOpenSavedSearch(search))
                }}
              />
            )}
          </div>
          <ErrorMessage message={error} />
          {results && (
            <div className="import-results" role="status" aria-label={t('library.libraryView.importResults')}>
              <p>
                {t('library.libraryView.importedOfFiles', { count: results.filter((r) => r.ok).length, resultsCount: results.length })}{' '}
                <button type="button" className="link" onClick={() => setResults(null)}>
                  {t('library.libraryView.dismiss')}
                </button>
              </p>
              <ul>
                {results
                  .filter((r) => !r.ok)
                  .map((r, i) => (
                    <li key={i} className="error">
                      {r.file}: {r.ok ? '' : r.message}
                    </li>
                  ))}
              </ul>
            </div>
          )}
          {documents === null ? (
            <p className="hint pad">{t('library.libraryView.loading')}</p>
          ) : documents.length === 0 ? (
            <EmptyState title={t('library.libraryView.theLibraryIsEmpty')}>
              {t('library.libraryView.importLettersStatementsAnd')}
            </EmptyState>
          ) : (
            <DocumentList
              items={visible}
              order={order}
              onOrder={setOrder}
              activeId={selectedId}
              onOpen={(id) => (id === selectedId ? undefined : afterLeave(() => onSelect(id)))}
            />
          )}
        </section>
      )}
      <Splitter
        label={t('library.libraryView.documentListWidth')}
        controls="library-list"
        width={list.width}
        min={PANES.list.min}
        max={PANES.list.max}
        collapsed={list.collapsed}
        onWidth={(w) => setWidth('list', w)}
        onCollapsed={(c) => setCollapsed('list', c)}
      />
      <section className="readpane" aria-label={t('library.libraryView.document')}>
        {selectedId ? (
          <DocumentEditor
            key={selectedId}
            documentId={selectedId}
            onSaved={() => void refresh()}
            onDestroyed={() => {
              onSelect(null)
              void refresh()
            }}
            handleRef={editorRef}
            annotationsPane={{
              ...panes.annotations,
              min: PANES.annotations.min,
              max: PANES.annotations.max,
              onWidth: (w) => setWidth('annotations', w),
              onCollapsed: (c) => setCollapsed('annotations', c),
            }}
          />
        ) : (
          <EmptyState title={t('library.libraryView.noDocumentOpen')}>{t('library.libraryView.chooseADocumentFrom')}</EmptyState>
        )}
      </section>
      {leaving && (
        <ConfirmDialog
          title={t('library.libraryView.leaveWithoutSaving')}
          cancelLabel={t('library.libraryView.keepEditing')}
          confirmLabel={t('library.libraryView.discardChanges')}
          danger
          onCancel={() => leaving.answer(false)}
          onConfirm={() => leaving.answer(true)}
        >
          <p>{leaving.problem ?? t('library.libraryView.theLatestChangesTo')}</p>
          <p>{t('library.libraryView.ifYouLeaveNow')}</p>
        </ConfirmDialog>
      )}
    </main>
  )
}
