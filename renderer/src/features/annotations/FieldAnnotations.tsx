// Renderer: annotations on one field of a record (a dossier field, named by JSON pointer) — the field's text with
// anchored passages marked, a note on the whole field or on a selected passage, and the field's notes with
// resolve/reopen. Self-contained so a form can mount it under any long text field. Text is rendered as React text.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { describeSelection, reanchorAll, type AnchorResult } from '../../../../shared/annotations/anchor'
import type { AnchoredAnnotationView, VocabularyEntryView } from '../../../../shared/ipc/channels/annotationChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { LegalBasisPicker } from './LegalBasisPicker'
import { t } from '../../i18n/intl'

/** Code-point range of the current DOM selection inside `container`, or null when it is empty or outside it. */
function readSelectionRange(container: HTMLElement): { start: number; end: number } | null {
  const selection = window.getSelection()
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null
  const range = selection.getRangeAt(0)
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null
  const before = document.createRange()
  before.setStart(container, 0)
  before.setEnd(range.startContainer, range.startOffset)
  const start = Array.from(before.toString()).length
  return { start, end: start + Array.from(range.toString()).length }
}

/** The field text split into plain and marked runs, for anchored ranges (code points; overlaps merged). */
export function splitFieldText(text: string, ranges: readonly { start: number; end: number }[]): { text: string; marked: boolean }[] {
  const chars = Array.from(text)
  const marked = new Array<boolean>(chars.length).fill(false)
  for (const r of ranges) for (let i = Math.max(0, r.start); i < Math.min(chars.length, r.end); i++) marked[i] = true
  const out: { text: string; marked: boolean }[] = []
  chars.forEach((c, i) => {
    const last = out[out.length - 1]
    if (last && last.marked === marked[i]) last.text += c
    else out.push({ text: c, marked: marked[i] as boolean })
  })
  return out
}

export function FieldAnnotations({
  recordId,
  field,
  text,
  label,
  onChanged,
}: {
  recordId: string
  field: string
  text: string
  label?: string
  /** After a note is added or its status changes (so counts elsewhere follow at once). */
  onChanged?: () => void
}) {
  const api = useApi()
  const [items, setItems] = useState<AnchoredAnnotationView[]>([])
  const [vocabulary, setVocabulary] = useState<VocabularyEntryView[]>([])
  const [form, setForm] = useState<{ range: { start: number; end: number } | null } | null>(null)
  const [body, setBody] = useState('')
  const [bases, setBases] = useState<string[]>([])
  const [error, setError] = useState<string | null>(null)
  const textRef = useRef<HTMLDivElement>(null)

  const reload = useCallback(async () => {
    try {
      const listed = await api['annotations:list']({ recordId })
      setItems(listed.annotations.filter((x) => x.annotation.target.field === field))
    } catch (e) {
      setError(describeError(e))
    }
  }, [api, recordId, field])
  const reloadAfterChange = useCallback(async () => {
    await reload()
    onChanged?.()
  }, [reload, onChanged])

  useEffect(() => {
    void reload()
    api['annotations:listLegalBases']({})
      .then((r) => setVocabulary(r.entries.filter((e) => !e.retired)))
      .catch(() => setVocabulary([]))
  }, [api, reload])

  // Anchored on the text as shown (it may hold unsaved edits), with the same engine main uses.
  const anchors = useMemo(() => {
    const ranged = items.filter((x) => x.annotation.target.quote && x.annotation.target.position)
    const results = reanchorAll(
      text,
      ranged.map((x) => ({ quote: x.annotation.target.quote!, position: x.annotation.target.position! })),
    )
    return new Map<string, AnchorResult>(ranged.map((x, i) => [x.annotation.id, results[i] as AnchorResult]))
  }, [items, text])
  const runs = splitFieldText(
    text,
    [...anchors.values()].flatMap((a) => ('start' in a ? [{ start: a.start, end: a.end }] : [])),
  )

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!form) return
    setError(null)
    try {
      await api['annotations:create']({
        recordId,
        field,
        ...(form.range ? { selection: { selectors: describeSelection(text, form.range.start, form.range.end) } } : {}),
        body,
        legalBasisIds: bases,
      })
      setForm(null)
      setBody('')
      setBases([])
      await reloadAfterChange()
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <div className="field-annotations" aria-label={t('annotations.fieldAnnotations.notesOn', { value: label ?? field })} role="group">
      {text !== '' && (
        <div className="field-text" ref={textRef} data-testid="field-text">
          {runs.map((r, i) => (r.marked ? <mark key={i}>{r.text}</mark> : <span key={i}>{r.text}</span>))}
        </div>
      )}
      <div className="row">
        <button type="button" className="link" onClick={() => setForm({ range: null })}>
          {t('annotations.fieldAnnotations.noteOnThisField')}
        </button>
        {text !== '' && (
          <button
            type="button"
            className="link"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              const range = textRef.current ? readSelectionRange(textRef.current) : null
              if (range) setForm({ range })
              else setError(t('annotations.fieldAnnotations.selectAPassageOf'))
            }}
          >
            {t('annotations.fieldAnnotations.noteOnSelectedPassage')}
          </button>
        )}
      </div>
      {form && (
        <form className="anno-form" onSubmit={(e) => void submit(e)}>
          {form.range && <p className="anno-quote">“{Array.from(text).slice(form.range.start, form.range.end).join('')}”</p>}
          <label>
            {t('annotations.fieldAnnotations.note')}
            <textarea autoFocus rows={2} value={body} onChange={(e) => setBody(e.target.value)} />
          </label>
          <LegalBasisPicker id={`legal-basis-${field}`} value={bases} onChange={setBases} vocabulary={vocabulary} />
          <div className="row">
            <button type="submit" className="primary">
              {t('annotations.fieldAnnotations.addNote')}
            </button>
            <button type="button" onClick={() => setForm(null)}>
              {t('annotations.fieldAnnotations.cancel')}
            </button>
          </div>
        </form>
      )}
      <ErrorMessage message={error} />
      {items.length > 0 && (
        <ul className="anno-list">
          {items.map(({ annotation: a, anchor }) => {
            const local = anchors.get(a.id)
            const orphaned = anchor.status === 'field-missing' || local?.status === 'orphaned'
            return (
              <li key={a.id} className={`anno-card ${a.status}${orphaned ? ' orphaned' : ''}`}>
                {a.target.quote && <p className="anno-quote">“{a.target.quote.exact}”</p>}
                {a.body.text !== '' && <p className="anno-body">{a.body.text}</p>}
                <p className="anno-chips">
                  {a.legalBases.map((b) => (
                    <span key={b.id} className="chip basis">
                      {b.label}
                    </span>
                  ))}
                  <span className={`chip status ${a.status}`}>{a.status}</span>
                  {orphaned && <span className="chip anchor">{t('annotations.fieldAnnotations.passageNotFound')}</span>}
                </p>
                <button
                  type="button"
                  className="link"
                  onClick={() =>
                    void api['annotations:setStatus']({ id: a.id, status: a.status === 'open' ? 'resolved' : 'open' }).then(
                      reloadAfterChange,
                      (e) => setError(describeError(e)),
                    )
                  }
                >
                  {a.status === 'open' ? t('annotations.fieldAnnotations.resolve') : t('annotations.fieldAnnotations.reopen')}
                </button>
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
