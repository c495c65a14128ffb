// Renderer: revision history of a document — who saved when, the differences between any two revisions (word
// level, text and metadata), and restore (which saves the old content as a new revision; nothing is lost).
import { useEffect, useState } from 'react'
import type { DiffPart, DocumentDiffView } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { formatDateTime } from '../../i18n/format'
import { t } from '../../i18n/intl'

interface RevisionRow {
  revision: number
  savedAt: string
  author: string
  title: string
}

export function DiffRuns({ parts }: { parts: readonly DiffPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'added' ? (
          <ins key={i}>{p.value}</ins>
        ) : p.kind === 'removed' ? (
          <del key={i}>{p.value}</del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </>
  )
}

export function RevisionPanel({
  documentId,
  currentRevision,
  beforeRestore,
  onRestored,
}: {
  documentId: string
  currentRevision: number
  /** Saves pending edits first, so the restore's expected revision is current. Returns the current revision. */
  beforeRestore: () => Promise<number>
  onRestored: () => void
}) {
  const api = useApi()
  const [revisions, setRevisions] = useState<RevisionRow[] | null>(null)
  const [from, setFrom] = useState<number | null>(null)
  const [to, setTo] = useState<number | null>(null)
  const [diff, setDiff] = useState<DocumentDiffView | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    api['library:listRevisions']({ id: documentId })
      .then(({ revisions: list }) => {
        if (!live) return
        setRevisions(list)
        setTo(list[0]?.revision ?? null)
        setFrom(list[1]?.revision ?? list[0]?.revision ?? null)
      })
      .catch((e) => live && setError(describeError(e)))
    return () => {
      live = false
    }
  }, [api, documentId, currentRevision])

  const showDiff = async () => {
    if (from === null || to === null) return
    setError(null)
    try {
      setDiff(await api['library:diffRevisions']({ id: documentId, from: Math.min(from, to), to: Math.max(from, to) }))
    } catch (e) {
      setError(describeError(e))
    }
  }

  const restore = async (revision: number) => {
    setError(null)
    try {
      const expectedRevision = await beforeRestore()
      await api['library:restoreRevision']({ id: documentId, revision, expectedRevision })
      onRestored()
    } catch (e) {
      setError(describeError(e))
    }
  }

  return (
    <section className="revisions" aria-labelledby="revisions-title">
      <h3 id="revisions-title">{t('library.revisionPanel.history')}</h3>
      <ErrorMessage message={error} />
      {revisions === null ? (
        <p className="hint">{t('library.revisionPanel.loading')}</p>
      ) : (
        <>
          <ol className="revision-list" aria-label={t('library.revisionPanel.revisions')}>
            {revisions.map((r) => (
              <li key={r.revision} data-testid="revision">
                <span className="rev">#{r.revision}</span> <span>{formatDateTime(r.savedAt)}</span>{' '}
                <span className="hint">{r.author || t('library.revisionPanel.unknownAuthor')}</span>
                {r.revision === currentRevision ? (
                  <span className="badge">{t('library.revisionPanel.current')}</span>
                ) : (
                  <button type="button" onClick={() => void restore(r.revision)}>
                    {t('library.revisionPanel.restore', { revision: r.revision })}
                  </button>
                )}
              </li>
            ))}
          </ol>
          {revisions.length > 1 && (
            <div className="row compare">
              <label>
                {t('library.revisionPanel.from')}{' '}
                <select
                  aria-label={t('library.revisionPanel.compareFrom')}
                  value={from ?? ''}
                  onChange={(e) => setFrom(Number(e.target.value))}
                >
                  {revisions.map((r) => (
                    <option key={r.revision} value={r.revision}>
                      #{r.revision}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('library.revisionPanel.to')}{' '}
                <select aria-label={t('library.revisionPanel.compareTo')} value={to ?? ''} onChange={(e) => setTo(Number(e.target.value))}>
                  {revisions.map((r) => (
                    <option key={r.revision} value={r.revision}>
                      #{r.revision}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => void showDiff()}>
                {t('library.revisionPanel.showChanges')}
              </button>
            </div>
          )}
        </>
      )}
      {diff && (
        <div className="diff" data-testid="diff" aria-label={t('library.revisionPanel.changes')}>
          {diff.fields.length === 0 && !diff.textChanged && <p className="hint">{t('library.revisionPanel.noDifferences')}</p>}
          {diff.fields.map((f) => (
            <p key={f.field} className="diff-field">
              <strong>{f.label}:</strong> <DiffRuns parts={f.parts} />
            </p>
          ))}
          {diff.textChanged && (
            <div className="diff-text">
              <DiffRuns parts={diff.text} />
            </div>
          )}
        </div>
      )}
    </section>
  )
}
