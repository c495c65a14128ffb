// Renderer: annotations in the library reader — the selection → comment box (a button near the selection and
// Ctrl+Alt+M), highlights in the text, and the side panel (document order, filters, orphans last, reply, resolve,
// edit, delete with confirmation, W3C and PDF export). Bodies are shown as React text only, never as HTML.
import { useCallback, useEffect, useMemo, useState, useId, type FormEvent } from 'react'
import { ShredButton } from '../vault/ShredButton'
import type { Editor } from '@tiptap/react'
import { describeSelection, reanchorAll, type AnchorResult } from '../../../../shared/annotations/anchor'
import type { AnchoredAnnotationView, VocabularyEntryView } from '../../../../shared/ipc/channels/annotationChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useAsync } from '../../hooks/useAsync'
import { findHighlight, flashHighlight, setHighlights, type HighlightRange } from './annotationHighlights'
import { mapPositionToOffset, mapRangeToPositions, projectDocument } from './textProjection'
import { LegalBasisPicker } from './LegalBasisPicker'
import { t } from '../../i18n/intl'

export const COMMENT_SHORTCUT = 'Control+Alt+M'
const FLASH_MS = 1500

type Annotation = AnchoredAnnotationView['annotation']
type StatusFilter = 'all' | 'open' | 'resolved'

/** Where an annotation is in the editor now: computed on the editor's own text, so it matches what is shown. */
interface Placed {
  item: AnchoredAnnotationView
  anchor: AnchorResult | { status: 'field' }
  quote: string
}

function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ]
}

/** Anchors every text annotation on the editor's current projection (the same engine main uses on the saved text). */
export function placeAnnotations(editor: Editor, items: readonly AnchoredAnnotationView[]): Placed[] {
  const projection = projectDocument(editor.state.doc)
  const textItems = items.filter(
    (x) => x.annotation.target.field === undefined && x.annotation.target.quote && x.annotation.target.position,
  )
  const results = reanchorAll(
    projection.text,
    textItems.map((x) => ({ quote: x.annotation.target.quote!, position: x.annotation.target.position! })),
  )
  const byId = new Map(textItems.map((x, i) => [x.annotation.id, results[i] as AnchorResult]))
  const chars = Array.from(projection.text)
  const placed = items.map((item): Placed => {
    const anchor = byId.get(item.annotation.id) ?? { status: 'field' as const }
    const quote = 'start' in anchor ? chars.slice(anchor.start, anchor.end).join('') : (item.annotation.target.quote?.exact ?? '')
    return { item, anchor, quote }
  })
  const rank = (p: Placed) => (p.anchor.status === 'orphaned' ? 2 : p.anchor.status === 'field' ? 1 : 0)
  return placed.sort((a, b) => rank(a) - rank(b) || ('start' in a.anchor && 'start' in b.anchor ? a.anchor.start - b.anchor.start : 0))
}

function describeAnchor(status: Placed['anchor']['status']): string {
  switch (status) {
    case 'exact':
    case 'relocated':
      // Found unchanged (text before it was edited): nothing to tell the reader.
      return ''
    case 'fuzzy':
      return t('annotations.annotationPanel.textChanged')
    case 'field':
      return t('annotations.annotationPanel.wholeDocument')
    case 'orphaned':
      return t('annotations.annotationPanel.passageNotFound')
  }
}

function AnnotationForm({
  initial,
  vocabulary,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  initial: { body: string; tags: string[]; legalBasisIds: string[] }
  vocabulary: readonly VocabularyEntryView[]
  submitLabel: string
  onSubmit: (value: { body: string; tags: string[]; legalBasisIds: string[] }) => Promise<void>
  onCancel: () => void
}) {
  const [body, setBody] = useState(initial.body)
  const [tags, setTags] = useState(initial.tags.join(', '))
  const [bases, setBases] = useState(initial.legalBasisIds)
  const { busy, error, details, run } = useAsync()
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    await run(() => onSubmit({ body, tags: parseTags(tags), legalBasisIds: bases }))
  }
  const pickerId = useId()
  return (
    <form className="anno-form" onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <label>
        {t('annotations.annotationPanel.comment')}
        <textarea autoFocus rows={3} value={body} maxLength={20_000} onChange={(e) => setBody(e.target.value)} />
      </label>
      <label>
        {t('annotations.annotationPanel.tags')}
        <input value={tags} placeholder={t('annotations.annotationPanel.commaSeparated')} onChange={(e) => setTags(e.target.value)} />
      </label>
      <LegalBasisPicker id={pickerId} value={bases} onChange={setBases} vocabulary={vocabulary} cited={initial.legalBasisIds} />
      <ErrorMessage message={error} details={details} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {t('annotations.annotationPanel.cancel')}
        </button>
      </div>
    </form>
  )
}

function AnnotationCard({
  placed,
  vocabulary,
  onChanged,
  onJump,
}: {
  placed: Placed
  vocabulary: readonly VocabularyEntryView[]
  onChanged: () => Promise<void>
  onJump: (id: string) => void
}) {
  const api = useApi()
  const a: Annotation = placed.item.annotation
  const [mode, setMode] = useState<'view' | 'edit' | 'reply' | 'confirm-delete'>('view')
  const [reply, setReply] = useState('')
  const [error, setError] = useState<string | null>(null)
  const run = async (work: () => Promise<unknown>) => {
    setError(null)
    try {
      await work()
      setMode('view')
      await onChanged()
    } catch (e) {
      setError(describeError(e))
    }
  }
  const orphaned = placed.anchor.status === 'orphaned'
  return (
    <li className={`anno-card ${a.status}${orphaned ? ' orphaned' : ''}`} data-testid="annotation" data-annotation-id={a.id}>
      {placed.quote !== '' && (
        <button
          type="button"
          className="anno-quote"
          onClick={() => onJump(a.id)}
          disabled={orphaned}
          title={orphaned ? t('annotations.annotationPanel.thePassageIsNo') : t('annotations.annotationPanel.showInTheText')}
        >
          “{placed.quote}”
        </button>
      )}
      {mode === 'edit' ? (
        <AnnotationForm
          initial={{ body: a.body.text, tags: a.tags, legalBasisIds: a.legalBases.map((b) => b.id) }}
          vocabulary={vocabulary}
          submitLabel={t('annotations.annotationPanel.save')}
          onCancel={() => setMode('view')}
          onSubmit={async (v) => {
            await api['annotations:update']({ id: a.id, body: v.body, tags: v.tags, legalBasisIds: v.legalBasisIds })
            setMode('view')
            await onChanged()
          }}
        />
      ) : (
        <>
          {a.body.text !== '' && <p className="anno-body">{a.body.text}</p>}
          <p className="anno-chips">
            {a.legalBases.map((b) => (
              <span key={b.id} className="chip basis" title={vocabulary.find((v) => v.id === b.id)?.heading ?? ''}>
                {b.label}
              </span>
            ))}
            {a.tags.map((t) => (
              <span key={t} className="chip">
                #{t}
              </span>
            ))}
            <span className={`chip status ${a.status}`}>{a.status}</span>
            {describeAnchor(placed.anchor.status) && <span className="chip anchor">{describeAnchor(placed.anchor.status)}</span>}
          </p>
        </>
      )}
      <p className="anno-meta">
        {a.author.name} · {a.createdAt.slice(0, 10)}
      </p>
      {a.replies.length > 0 && (
        <ol className="anno-replies" aria-label={t('annotations.annotationPanel.replies')}>
          {a.replies.map((r) => (
            <li key={r.id}>
              <span className="anno-meta">{r.author.name}:</span> {r.text}
            </li>
          ))}
        </ol>
      )}
      {mode === 'reply' && (
        <form
          className="anno-form"
          onSubmit={(e) => {
            e.preventDefault()
            void run(async () => {
              await api['annotations:reply']({ id: a.id, text: reply })
              setReply('')
            })
          }}
        >
          <label>
            {t('annotations.annotationPanel.reply')}
            <textarea autoFocus rows={2} value={reply} onChange={(e) => setReply(e.target.value)} />
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={reply.trim() === ''}>
              {t('annotations.annotationPanel.sendReply')}
            </button>
            <button type="button" onClick={() => setMode('view')}>
              {t('annotations.annotationPanel.cancel')}
            </button>
          </div>
        </form>
      )}
      {mode === 'confirm-delete' && (
        <div className="anno-confirm" role="alertdialog" aria-label={t('annotations.annotationPanel.deleteAnnotation')}>
          <span>{t('annotations.annotationPanel.deleteThisAnnotationAnd')}</span>
          <button type="button" className="danger" onClick={() => void run(() => api['annotations:delete']({ id: a.id }))}>
            {t('annotations.annotationPanel.delete')}
          </button>
          <button type="button" autoFocus onClick={() => setMode('view')}>
            {t('annotations.annotationPanel.keep')}
          </button>
        </div>
      )}
      {mode === 'view' && (
        <div className="anno-actions">
          <button
            type="button"
            className="link"
            onClick={() => void run(() => api['annotations:setStatus']({ id: a.id, status: a.status === 'open' ? 'resolved' : 'open' }))}
          >
            {a.status === 'open' ? t('annotations.annotationPanel.resolve') : t('annotations.annotationPanel.reopen')}
          </button>
          <button type="button" className="link" onClick={() => setMode('reply')}>
            {t('annotations.annotationPanel.reply')}
          </button>
          <button type="button" className="link" onClick={() => setMode('edit')}>
            {t('annotations.annotationPanel.edit')}
          </button>
          <button type="button" className="link" onClick={() => setMode('confirm-delete')}>
            {t('annotations.annotationPanel.delete')}
          </button>
          <ShredButton
            id={a.id}
            what="annotation thread"
            name={a.body.text.length > 40 ? `${a.body.text.slice(0, 40)}…` : a.body.text || 'Annotation'}
            onDestroyed={() => void onChanged()}
          />
        </div>
      )}
      <ErrorMessage message={error} />
    </li>
  )
}

/** How much of a long passage the note box quotes: enough to recognise it, not a second copy of the page. */
const QUOTE_PREVIEW_CHARS = 280

export function AnnotationPanel({
  documentId,
  editor,
  beforeCreate,
}: {
  documentId: string
  editor: Editor | null
  /** Saves pending edits first, so the selected words are in the saved text the annotation is made on. */
  beforeCreate: () => Promise<void>
}) {
  const api = useApi()
  const [items, setItems] = useState<AnchoredAnnotationView[] | null>(null)
  const [vocabulary, setVocabulary] = useState<VocabularyEntryView[]>([])
  const [placed, setPlaced] = useState<Placed[]>([])
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [selection, setSelection] = useState<{ from: number; to: number; top: number; left: number } | null>(null)
  // The passage being commented: editor positions, and its text as the note box shows it.
  const [composer, setComposer] = useState<{ from: number; to: number; quote: string } | null>(null)
  const [status, setStatus] = useState<StatusFilter>('all')
  const [tag, setTag] = useState('')
  const [basis, setBasis] = useState('')
  const [author, setAuthor] = useState('')

  const reload = useCallback(async () => {
    try {
      const listed = await api['annotations:list']({ recordId: documentId })
      setItems(listed.annotations)
    } catch (e) {
      setError(describeError(e))
    }
  }, [api, documentId])

  useEffect(() => {
    void reload()
    api['annotations:listLegalBases']({})
      .then((r) => setVocabulary(r.entries))
      .catch((e) => setError(describeError(e)))
  }, [api, reload])

  // Highlights: anchor on the editor's text and hand the ranges to the decoration plugin.
  useEffect(() => {
    if (!editor || editor.isDestroyed || !items) return
    const next = placeAnnotations(editor, items)
    setPlaced(next)
    const projection = projectDocument(editor.state.doc)
    const ranges: HighlightRange[] = []
    for (const p of next) {
      if (!('start' in p.anchor)) continue
      const r = mapRangeToPositions(projection, p.anchor.start, p.anchor.end)
      if (r) ranges.push({ id: p.item.annotation.id, ...r, resolved: p.item.annotation.status === 'resolved' })
    }
    editor.view.dispatch(setHighlights(editor.state.tr, ranges))
  }, [editor, items])

  // The comment button follows a non-empty selection.
  useEffect(() => {
    if (!editor) return
    const update = () => {
      const { from, to, empty } = editor.state.selection
      if (empty || editor.isDestroyed) {
        setSelection(null)
        return
      }
      const end = editor.view.coordsAtPos(to)
      setSelection({ from, to, top: end.bottom + 6, left: end.left })
    }
    editor.on('selectionUpdate', update)
    return () => {
      editor.off('selectionUpdate', update)
    }
  }, [editor])

  const openComposer = useCallback(() => {
    if (!editor) return
    const { from, to, empty } = editor.state.selection
    if (empty) {
      setNotice(t('annotations.annotationPanel.selectAPassageIn'))
      return
    }
    setNotice(null)
    setComposer({ from, to, quote: editor.state.doc.textBetween(from, to, ' ') })
  }, [editor])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.altKey && e.code === 'KeyM') {
        e.preventDefault()
        openComposer()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [openComposer])

  const create = async (value: { body: string; tags: string[]; legalBasisIds: string[] }) => {
    if (!editor || !composer) return
    const projection = projectDocument(editor.state.doc)
    const start = mapPositionToOffset(projection, composer.from, 'start')
    const end = mapPositionToOffset(projection, composer.to, 'end')
    const selectors = describeSelection(projection.text, start, end)
    await beforeCreate()
    await api['annotations:create']({
      recordId: documentId,
      selection: { selectors },
      body: value.body,
      tags: value.tags,
      legalBasisIds: value.legalBasisIds,
    })
    setComposer(null)
    // The passage now has its note: the selection collapses, so the floating Comment button goes away with it.
    if (!editor.isDestroyed) editor.commands.setTextSelection(composer.to)
    setSelection(null)
    await reload()
  }

  const jump = (id: string) => {
    if (!editor) return
    const range = findHighlight(editor.state, id)
    if (!range) return
    editor.view.dom.querySelector(`[data-annotation-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' })
    // Off then on, so a second click on the same passage flashes it again; off after the animation.
    editor.view.dispatch(flashHighlight(editor.state.tr, id, false))
    requestAnimationFrame(() => {
      if (editor.isDestroyed) return
      editor.view.dispatch(flashHighlight(editor.state.tr, id, true))
      window.setTimeout(() => !editor.isDestroyed && editor.view.dispatch(flashHighlight(editor.state.tr, id, false)), FLASH_MS)
    })
  }

  const exportAs = async (kind: 'w3c' | 'pdf') => {
    setError(null)
    setNotice(null)
    try {
      const r =
        kind === 'w3c'
          ? await api['annotations:exportW3C']({ recordId: documentId })
          : await api['annotations:exportPdf']({ recordId: documentId })
      if (r.saved)
        setNotice(
          kind === 'w3c'
            ? t('annotations.annotationPanel.annotationsExportedAsW3c')
            : t('annotations.annotationPanel.annotationReportSavedAs'),
        )
    } catch (e) {
      setError(describeError(e))
    }
  }

  const tags = useMemo(() => [...new Set(placed.flatMap((p) => p.item.annotation.tags))].sort(), [placed])
  const bases = useMemo(() => {
    const m = new Map<string, string>()
    for (const p of placed) for (const b of p.item.annotation.legalBases) m.set(b.id, b.label)
    return [...m].sort((a, b) => a[1].localeCompare(b[1]))
  }, [placed])
  const authors = useMemo(() => [...new Set(placed.map((p) => p.item.annotation.author.name))].sort(), [placed])
  const visible = placed.filter((p) => {
    const a = p.item.annotation
    return (
      (status === 'all' || a.status === status) &&
      (tag === '' || a.tags.includes(tag)) &&
      (basis === '' || a.legalBases.some((b) => b.id === basis)) &&
      (author === '' || a.author.name === author)
    )
  })
  const anchored = visible.filter((p) => p.anchor.status !== 'orphaned')
  const orphaned = visible.filter((p) => p.anchor.status === 'orphaned')
  const card = (p: Placed) => (
    <AnnotationCard key={p.item.annotation.id} placed={p} vocabulary={vocabulary} onChanged={reload} onJump={jump} />
  )

  return (
    <aside className="anno-panel" aria-label={t('annotations.annotationPanel.annotations')}>
      <div className="anno-head">
        <h2>
          {t('annotations.annotationPanel.annotations')} <span className="count">{items?.length ?? 0}</span>
        </h2>
        <button
          type="button"
          onClick={openComposer}
          aria-keyshortcuts={COMMENT_SHORTCUT}
          title={t('annotations.annotationPanel.commentOnTheSelected')}
        >
          {t('annotations.annotationPanel.comment')}
        </button>
      </div>
      {selection && !composer && (
        <button
          type="button"
          className="anno-float primary"
          style={{ top: `${selection.top}px`, left: `${selection.left}px` }}
          onMouseDown={(e) => e.preventDefault()}
          onClick={openComposer}
          aria-keyshortcuts={COMMENT_SHORTCUT}
        >
          {t('annotations.annotationPanel.commentCtrlAltM')}
        </button>
      )}
      {composer && (
        <section className="anno-composer" aria-label={t('annotations.annotationPanel.newAnnotation')}>
          <blockquote className="anno-quote" data-testid="composer-quote">
            {composer.quote.length > QUOTE_PREVIEW_CHARS ? `${composer.quote.slice(0, QUOTE_PREVIEW_CHARS)}…` : composer.quote}
          </blockquote>
          <AnnotationForm
            initial={{ body: '', tags: [], legalBasisIds: [] }}
            vocabulary={vocabulary}
            submitLabel={t('annotations.annotationPanel.addAnnotation')}
            onSubmit={create}
            onCancel={() => setComposer(null)}
          />
        </section>
      )}
      <div className="anno-filters">
        <div role="group" aria-label={t('annotations.annotationPanel.statusFilter')} className="segmented">
          {(['all', 'open', 'resolved'] as const).map((s) => (
            <button key={s} type="button" aria-pressed={status === s} onClick={() => setStatus(s)}>
              {s === 'all'
                ? t('annotations.annotationPanel.all')
                : s === 'open'
                  ? t('annotations.annotationPanel.open')
                  : t('annotations.annotationPanel.resolved')}
            </button>
          ))}
        </div>
        <select aria-label={t('annotations.annotationPanel.tagFilter')} value={tag} onChange={(e) => setTag(e.target.value)}>
          <option value="">{t('annotations.annotationPanel.anyTag')}</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              #{t}
            </option>
          ))}
        </select>
        <select aria-label={t('annotations.annotationPanel.legalBasisFilter')} value={basis} onChange={(e) => setBasis(e.target.value)}>
          <option value="">{t('annotations.annotationPanel.anyLegalBasis')}</option>
          {bases.map(([id, label]) => (
            <option key={id} value={id}>
              {label}
            </option>
          ))}
        </select>
        <select aria-label={t('annotations.annotationPanel.authorFilter')} value={author} onChange={(e) => setAuthor(e.target.value)}>
          <option value="">{t('annotations.annotationPanel.anyone')}</option>
          {authors.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage message={error} />
      {notice && (
        <p className="hint" role="status">
          {notice}
        </p>
      )}
      {items === null ? (
        <p className="hint">{t('annotations.annotationPanel.loading')}</p>
      ) : visible.length === 0 ? (
        <p className="hint">
          {items.length === 0
            ? t('annotations.annotationPanel.noAnnotationsYetSelect')
            : t('annotations.annotationPanel.noAnnotationMatchesThese')}
        </p>
      ) : (
        <>
          <ol className="anno-list" aria-label={t('annotations.annotationPanel.annotationsInDocumentOrder')}>
            {anchored.map(card)}
          </ol>
          {orphaned.length > 0 && (
            <>
              <h3>{t('annotations.annotationPanel.orphanedPassageNoLonger')}</h3>
              <ol className="anno-list orphans" aria-label={t('annotations.annotationPanel.orphanedAnnotations')}>
                {orphaned.map(card)}
              </ol>
            </>
          )}
        </>
      )}
      <div className="anno-export">
        <button type="button" onClick={() => void exportAs('w3c')} disabled={!items || items.length === 0}>
          {t('annotations.annotationPanel.exportW3cJsonLd')}
        </button>
        <button type="button" onClick={() => void exportAs('pdf')} disabled={!items || items.length === 0}>
          {t('annotations.annotationPanel.pdfReport')}
        </button>
      </div>
    </aside>
  )
}
