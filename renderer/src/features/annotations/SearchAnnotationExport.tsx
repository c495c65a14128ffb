// Renderer: "Export annotations…" in the search view — saves the annotations the current query and filters find as one
// W3C AnnotationCollection (JSON-LD), after the unencrypted-copy warning; shows how many match, progress and the result.
import { useEffect, useId, useRef, useState } from 'react'
import type { SearchFilterInput } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { UnencryptedCopyWarning } from '../../components/UnencryptedCopyWarning'
import { t } from '../../i18n/intl'

/** The search index's kind for annotations (shared/library/searchable lists it among the searchable kinds). */
const ANNOTATION_KIND = 'annotation'
/** The name main offers in the save dialog, so the warning names the file the user is about to create. */
const OFFERED_FILE_NAME = 'annotations.jsonld'

/** "1 annotation", "12 annotations". */
export function formatAnnotationCount(count: number): string {
  return t('annotations.searchAnnotationExport.annotationCount', { count })
}

/**
 * Why the export cannot run for this search, or null when it can. An empty query is refused so that a bare
 * click cannot put every annotation of the vault into a plain file; a Kind filter that leaves annotations out
 * would otherwise export hits the view does not show (main always searches annotations only).
 */
export function explainExportBlocked(query: string, filter: SearchFilterInput, count: number | null): string | null {
  if (query.trim() === '') return t('annotations.searchAnnotationExport.typeASearchFirst')
  if (filter.kinds && !filter.kinds.includes(ANNOTATION_KIND)) return t('annotations.searchAnnotationExport.theKindFilterLeaves')
  if (count === 0) return t('annotations.searchAnnotationExport.thisSearchFindsNo')
  return null
}

type Phase = 'idle' | 'confirming' | 'running'

export function SearchAnnotationExport({ query, filter }: { query: string; filter: SearchFilterInput }) {
  const api = useApi()
  const [count, setCount] = useState<number | null>(null)
  const [phase, setPhase] = useState<Phase>('idle')
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const warningRef = useRef<HTMLDivElement>(null)
  const restoreFocus = useRef(false)
  const reasonId = useId()
  // The filter object is rebuilt on every render of the view; its JSON is what identifies the search.
  const filterKey = JSON.stringify(filter)
  const searchable = query.trim() !== '' && (!filter.kinds || filter.kinds.includes(ANNOTATION_KIND))

  useEffect(() => {
    // A new search: the last export's result no longer describes what is on screen.
    setMessage(null)
    setError(null)
    if (!searchable) {
      setCount(null)
      return
    }
    let live = true
    const scoped: SearchFilterInput = { ...(JSON.parse(filterKey) as SearchFilterInput), kinds: [ANNOTATION_KIND] }
    const timer = setTimeout(() => {
      api['search:query']({ query, filter: scoped, limit: 1 }).then(
        (r) => live && setCount(r.total),
        // The view's own search reports the same failure; an unknown count leaves the button usable.
        () => live && setCount(null),
      )
    }, 150)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [api, query, filterKey, searchable])

  useEffect(() => {
    // Keyboard users land on the warning's confirm button; Escape (below) or Cancel brings them back to the export
    // button, as does the end of an export (the warning and the disabled button both drop focus to the page).
    if (phase === 'confirming') warningRef.current?.querySelector<HTMLButtonElement>('button.primary')?.focus()
    if (phase === 'idle' && restoreFocus.current) {
      restoreFocus.current = false
      const active = document.activeElement
      if (active === null || active === document.body) buttonRef.current?.focus()
    }
  }, [phase])

  const cancel = () => {
    restoreFocus.current = true
    setPhase('idle')
  }

  const runExport = async () => {
    setPhase('running')
    setMessage(null)
    setError(null)
    try {
      const result = await api['annotations:exportSearchW3C']({ query, filter })
      // A cancelled save dialog is the user's own choice: nothing to report.
      if (result.saved)
        setMessage(t('annotations.searchAnnotationExport.savedAsW3cJson', { annotationCount: formatAnnotationCount(result.count) }))
    } catch (e) {
      setError(describeError(e))
    } finally {
      restoreFocus.current = true
      setPhase('idle')
    }
  }

  const blocked = explainExportBlocked(query, filter, count)
  const running = phase === 'running'
  return (
    <div className="annotation-export" role="group" aria-label={t('annotations.searchAnnotationExport.exportAnnotations')}>
      {/* Inline because styles.css is shared: spacing below the save bar, the hint centred on the button. */}
      <div className="row" style={{ alignItems: 'center', marginTop: '0.5rem' }}>
        <button
          ref={buttonRef}
          type="button"
          onClick={() => setPhase('confirming')}
          disabled={blocked !== null || phase !== 'idle'}
          aria-busy={running}
          aria-describedby={reasonId}
        >
          {running
            ? t('annotations.searchAnnotationExport.exportingAnnotations')
            : t('annotations.searchAnnotationExport.exportAnnotations2')}
        </button>
        <span className="hint" id={reasonId} data-testid="annotation-export-reason">
          {blocked ??
            (count === null
              ? t('annotations.searchAnnotationExport.savesTheAnnotationsThis')
              : t('annotations.searchAnnotationExport.thisSearchFinds', { annotationCount: formatAnnotationCount(count) }))}
        </span>
      </div>
      {phase === 'confirming' && (
        <div
          ref={warningRef}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation()
              cancel()
            }
          }}
        >
          <UnencryptedCopyWarning
            idPrefix="annotation-export-warning"
            filename={OFFERED_FILE_NAME}
            onConfirm={() => void runExport()}
            onCancel={cancel}
          />
        </div>
      )}
      <ErrorMessage message={error} />
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
    </div>
  )
}
