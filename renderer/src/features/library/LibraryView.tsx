// Renderer: the library — sidebar (kinds and tags with counts, saved searches), the sortable list, and the
// reader/editor pane; import by button (native dialog) or by dropping files anywhere on the library.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MutableRefObject } from 'react'
import { DOCUMENT_KINDS } from '../../../../shared/library/document'
import type { ImportResultView, LibraryListItem, SavedSearch } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError, readDroppedPaths } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorMessage } from '../../components/ErrorMessage'
import { DocumentEditor, type EditorHandle } from './DocumentEditor'
import { DocumentList, KIND_SHELF_LABELS, sortDocuments, type SortOrder } from './DocumentList'

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
  const [documents, setDocuments] = useState<LibraryListItem[] | null>(null)
  const [saved, setSaved] = useState<SavedSearch[]>([])
  const [shelf, setShelf] = useState<Shelf>({ type: 'all' })
  const [order, setOrder] = useState<SortOrder>({ key: 'date', descending: true })
  const [error, setError] = useState<string | null>(null)
  const [importing, setImporting] = useState(false)
  const [results, setResults] = useState<ImportResultView[] | null>(null)
  const [dragging, setDragging] = useState(false)
  const editorRef = useRef<EditorHandle | null>(null)
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
        document: { kind: 'note', title: 'Untitled note', date: new Date().toISOString().slice(0, 10), text: '' },
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
    if (paths.length === 0) setError('These files cannot be imported from here: save them to a folder first, then use Import….')
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
  const isShelf = (s: Shelf) => JSON.stringify(s) === JSON.stringify(shelf)

  return (
    <div
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
      <aside className="shelves" aria-label="Library filters">
        <h2 className="sr-only">Library</h2>
        <ul>
          <li>
            <button type="button" className="shelf" aria-pressed={isShelf({ type: 'all' })} onClick={() => setShelf({ type: 'all' })}>
              All documents <span className="count">{documents?.length ?? 0}</span>
            </button>
          </li>
          {DOCUMENT_KINDS.map((kind) => (
            <li key={kind}>
              <button
                type="button"
                className="shelf"
                aria-pressed={isShelf({ type: 'kind', kind })}
                onClick={() => setShelf({ type: 'kind', kind })}
              >
                {KIND_SHELF_LABELS[kind]} <span className="count">{kindCounts.get(kind) ?? 0}</span>
              </button>
            </li>
          ))}
        </ul>
        {tagCounts.length > 0 && (
          <>
            <h3>Tags</h3>
            <ul>
              {tagCounts.map(([tag, n]) => (
                <li key={tag}>
                  <button
                    type="button"
                    className="shelf"
                    aria-pressed={isShelf({ type: 'tag', tag })}
                    onClick={() => setShelf({ type: 'tag', tag })}
                  >
                    #{tag} <span className="count">{n}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
        <h3>Saved searches</h3>
        {saved.length === 0 ? (
          <p className="hint">None yet. Save one from Search.</p>
        ) : (
          <ul>
            {saved.map((s) => (
              <li key={s.id}>
                <button type="button" className="shelf" onClick={() => afterLeave(() => onOpenSavedSearch(s))}>
                  {s.name}
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>
      <section className="listpane" aria-label="Document list">
        <div className="listbar">
          <button type="button" className="primary" onClick={() => afterLeave(chooseAndImport)} disabled={importing}>
            {importing ? 'Importing…' : 'Import…'}
          </button>
          <button type="button" onClick={() => afterLeave(createNote)}>
            New note
          </button>
          <span className="hint">or drop files here</span>
        </div>
        <ErrorMessage message={error} />
        {results && (
          <div className="import-results" role="status" aria-label="Import results">
            <p>
              Imported {results.filter((r) => r.ok).length} of {results.length} files.{' '}
              <button type="button" className="link" onClick={() => setResults(null)}>
                Dismiss
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
          <p className="hint">Loading…</p>
        ) : documents.length === 0 ? (
          <div className="empty">
            <p>The library is empty.</p>
            <p className="hint">
              Import letters, statements and correspondence (.txt, .md, .html, .docx, .pdf): they are encrypted into the vault with their
              originals.
            </p>
          </div>
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
      <section className="readpane" aria-label="Document">
        {selectedId ? (
          <DocumentEditor key={selectedId} documentId={selectedId} onSaved={() => void refresh()} handleRef={editorRef} />
        ) : (
          <p className="hint placeholder">Choose a document, or press Ctrl+K to search.</p>
        )}
      </section>
      {leaving && (
        <ConfirmDialog
          title="Leave without saving?"
          cancelLabel="Keep editing"
          confirmLabel="Discard changes"
          danger
          onCancel={() => leaving.answer(false)}
          onConfirm={() => leaving.answer(true)}
        >
          <p>{leaving.problem ?? 'The latest changes to this document are not saved yet.'}</p>
          <p>If you leave now, the changes since the last save are lost.</p>
        </ConfirmDialog>
      )}
    </div>
  )
}
