// Renderer: the reader/editor pane — metadata form, rich-text body, autosave with a visible state, history and
// attachments. Imported HTML is sanitised here before the editor sees it; nothing is ever set as innerHTML.
import { ShredButton } from '../vault/ShredButton'
import { useCallback, useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react'
import type { Editor, JSONContent } from '@tiptap/react'
import {
  DOCUMENT_STATUSES,
  MAX_EMAIL_CHARS,
  MAX_NAME_CHARS,
  type Correspondent,
  type LibraryDocument,
} from '../../../../shared/library/document'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Splitter } from '../../components/Splitter'
import { AttachmentList } from './AttachmentList'
import { Autosaver, type AutosaveState } from './autosave'
import { RevisionPanel } from './RevisionPanel'
import { RichTextEditor, type EditorInitialContent } from './RichTextEditor'
import { sanitizeImportedHtml } from './sanitizeImportedHtml'
import { describeSaveFailure } from './saveFailure'
import { TitleInput } from './TitleInput'
import { AnnotationPanel } from '../annotations/AnnotationPanel'
import { AnnotationHighlights } from '../annotations/annotationHighlights'
import { describeStatus, recordKindName } from '../../i18n/codeNames'
import { formatLanguage } from '../../i18n/format'
import { t } from '../../i18n/intl'
import { ImportOrigin } from '../exchange/ImportOrigin'

const READER_EXTENSIONS = [AnnotationHighlights]

/** The languages a document can be marked as, by tag; each is named in the user's language by formatLanguage. */
const LANGUAGE_TAGS = ['en', 'uk', 'ru', 'be', 'nb', 'nn', 'no', 'pl', 'de', 'fr', 'es', 'sv', 'da', 'ka', 'hy', 'az'] as const

export function describeSaveState(state: AutosaveState): string {
  switch (state.status) {
    case 'idle':
      return ''
    case 'dirty':
      return t('library.documentEditor.unsavedChanges')
    case 'saving':
      return t('library.documentEditor.saving')
    case 'saved':
      return t('library.documentEditor.saved')
    case 'error':
      return t('library.documentEditor.notSaved')
  }
}

/**
 * An empty title is saved as "Untitled" (the box stays empty, with "Untitled" as its placeholder). The contract keeps
 * requiring a title, since lists, search hits and the CLI show it; but clearing the title to retype it is part of
 * normal editing, and a save refused for that would leave the body text unsaved meanwhile.
 */
export const UNTITLED = t('library.documentEditor.untitled')

/** What the editor hands the parent so it can ask before leaving a document with unsaved changes. */
export interface EditorHandle {
  /** Saves what is pending (waiting for a save in flight); true when nothing unsaved is left afterwards. */
  settle(): Promise<boolean>
  /** The current reason a save failed, or null. */
  problem(): string | null
  /** Drops the unsaved changes: leaving the document will not save them. */
  discard(): void
}

/** What the editor starts from: saved rich text, else the sanitised import HTML, else the plain text. */
export function chooseInitialContent(doc: LibraryDocument): EditorInitialContent {
  if (doc.richText && typeof doc.richText === 'object') return { json: doc.richText as JSONContent }
  if (doc.importedHtml) return { html: sanitizeImportedHtml(doc.importedHtml) }
  return { text: doc.text }
}

/** The two lists of people on a document; the catalog words each (its heading, one entry, adding one). */
type PeopleKind = 'recipients' | 'cc'

function PeopleField({ kind, people, onChange }: { kind: PeopleKind; people: Correspondent[]; onChange: (p: Correspondent[]) => void }) {
  const label = t('library.documentEditor.people', { kind })
  const update = (i: number, patch: Partial<Correspondent>) => onChange(people.map((p, j) => (j === i ? { ...p, ...patch } : p)))
  const fields: [keyof Correspondent, string][] = [
    ['name', t('library.documentEditor.name')],
    ['title', t('library.documentEditor.title')],
    ['organisation', t('library.documentEditor.organisation')],
    ['email', t('library.documentEditor.email')],
  ]
  return (
    <fieldset className="people">
      <legend>{label}</legend>
      {people.map((p, i) => (
        <div className="person" key={i}>
          {fields.map(([key, name]) => (
            <input
              key={key}
              maxLength={key === 'email' ? MAX_EMAIL_CHARS : MAX_NAME_CHARS}
              aria-label={t('library.documentEditor.personField', { kind, number: i + 1, field: name.toLowerCase() })}
              placeholder={name}
              type={key === 'email' ? 'email' : 'text'}
              value={p[key] ?? ''}
              onChange={(e) => update(i, { [key]: key === 'name' || e.target.value !== '' ? e.target.value : undefined })}
            />
          ))}
          <button
            type="button"
            className="link"
            onClick={() => onChange(people.filter((_, j) => j !== i))}
            aria-label={t('library.documentEditor.removePerson', { kind, number: i + 1 })}
          >
            {t('library.documentEditor.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...people, { name: '' }])}>
        {t('library.documentEditor.addPerson', { kind })}
      </button>
    </fieldset>
  )
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

interface Loaded {
  revision: number
  document: LibraryDocument
}

/** The annotations pane beside the text: its width and whether it is hidden, owned by the library's layout. */
export interface SidePane {
  width: number
  collapsed: boolean
  min: number
  max: number
  onWidth: (width: number) => void
  onCollapsed: (collapsed: boolean) => void
}

const DEFAULT_SIDE_PANE: SidePane = {
  width: 280,
  collapsed: false,
  min: 220,
  max: 480,
  onWidth: () => undefined,
  onCollapsed: () => undefined,
}

export function DocumentEditor({
  documentId,
  onSaved,
  handleRef,
  annotationsPane = DEFAULT_SIDE_PANE,
  onDestroyed,
}: {
  documentId: string
  onSaved: () => void
  /** Offers "Destroy for good"; called once the document is gone. */
  onDestroyed?: () => void
  handleRef?: MutableRefObject<EditorHandle | null>
  annotationsPane?: SidePane
}) {
  const api = useApi()
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [draft, setDraft] = useState<LibraryDocument | null>(null)
  const [tagsText, setTagsText] = useState('')
  const [saveState, setSaveState] = useState<AutosaveState>({ status: 'idle' })
  const [showHistory, setShowHistory] = useState(false)
  const [generation, setGeneration] = useState(0)
  const [editor, setEditor] = useState<Editor | null>(null)
  const revisionRef = useRef(0)
  const containerRef = useRef<HTMLDivElement>(null)
  const titleRef = useRef<HTMLTextAreaElement>(null)
  // The latest state at once (the leave dialog reads it right after a failed save, before React renders it).
  const saveStateRef = useRef(saveState)
  const onSavedRef = useRef(onSaved)
  onSavedRef.current = onSaved

  const autosaver = useMemo(
    () =>
      new Autosaver<LibraryDocument>(
        async (doc) => {
          // Once the editor holds the content, the import HTML is history (kept in revision 1 and the original file).
          const { importedHtml: _dropped, ...rest } = doc
          const kept = doc.richText !== null ? rest : doc
          const document = kept.title.trim() === '' ? { ...kept, title: UNTITLED } : kept
          const saved = await api['library:update']({ id: documentId, expectedRevision: revisionRef.current, document })
          revisionRef.current = saved.revision
          setLoaded((l) => (l ? { ...l, revision: saved.revision } : l))
          onSavedRef.current()
        },
        (state) => {
          saveStateRef.current = state
          setSaveState(state)
        },
        describeSaveFailure,
      ),
    [api, documentId],
  )

  useEffect(() => {
    let live = true
    setLoaded(null)
    api['library:get']({ id: documentId })
      .then((r) => {
        if (!live) return
        revisionRef.current = r.revision
        setLoaded({ revision: r.revision, document: r.document })
        setDraft(r.document)
        setTagsText(r.document.tags.join(', '))
        saveStateRef.current = { status: 'idle' }
        setSaveState(saveStateRef.current)
      })
      .catch((e) => live && setLoadError(describeError(e)))
    return () => {
      live = false
    }
  }, [api, documentId, generation])

  useEffect(() => {
    if (!handleRef) return
    handleRef.current = {
      settle: async () => {
        await autosaver.flush()
        return !autosaver.hasUnsavedChanges()
      },
      problem: () => (saveStateRef.current.status === 'error' ? (saveStateRef.current.message ?? null) : null),
      discard: () => autosaver.discard(),
    }
    return () => {
      handleRef.current = null
    }
  }, [autosaver, handleRef])

  // Leaving the document, the window or the page saves what is pending.
  useEffect(() => {
    const onPageHide = () => void autosaver.flush()
    window.addEventListener('pagehide', onPageHide)
    return () => {
      window.removeEventListener('pagehide', onPageHide)
      void autosaver.flush().finally(() => autosaver.dispose())
    }
  }, [autosaver])

  const change = useCallback(
    (patch: Partial<LibraryDocument>) => {
      setDraft((d) => {
        if (!d) return d
        const next = { ...d, ...patch }
        autosaver.change(next)
        return next
      })
    },
    [autosaver],
  )

  // Chosen again only when another document (or revision) is loaded, not on every edit.
  const loadedDocument = loaded?.document
  const initial = useMemo(() => (loadedDocument ? chooseInitialContent(loadedDocument) : null), [loadedDocument])

  if (loadError) return <ErrorMessage message={loadError} />
  if (!loaded || !draft || !initial)
    return (
      <p className="hint" aria-busy="true">
        {t('library.documentEditor.opening')}
      </p>
    )

  // A document marked in a language not on the list (imported, or from an older version) keeps its tag as a choice.
  const languages: readonly string[] = LANGUAGE_TAGS.includes(draft.language as (typeof LANGUAGE_TAGS)[number])
    ? LANGUAGE_TAGS
    : [...LANGUAGE_TAGS, draft.language]
  return (
    <div className="reader">
      <div
        className="editor"
        id="document-editor"
        ref={containerRef}
        onBlur={(e) => {
          if (!containerRef.current?.contains(e.relatedTarget as Node | null)) void autosaver.flush()
        }}
      >
        <div className="editor-head">
          <TitleInput
            value={draft.title}
            onChange={(title) => change({ title })}
            inputRef={titleRef}
            invalid={saveState.status === 'error' && saveState.fix === 'title'}
            describedBy={saveState.status === 'error' ? 'save-problem' : undefined}
          />
          <span className={`save-state ${saveState.status}`} role="status" data-testid="save-state">
            {describeSaveState(saveState)}
          </span>
          <Button size="sm" aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>
            {t('library.documentEditor.history')}
          </Button>
          <Button
            size="sm"
            aria-expanded={!annotationsPane.collapsed}
            aria-controls="document-annotations"
            onClick={() => annotationsPane.onCollapsed(!annotationsPane.collapsed)}
          >
            {t('library.documentEditor.annotations')}
          </Button>
          {onDestroyed && <ShredButton id={documentId} what="document" name={draft.title.trim() || UNTITLED} onDestroyed={onDestroyed} />}
        </div>
        <ImportOrigin recordId={documentId} />
        {saveState.status === 'error' && (
          // The text stays in the editor whatever failed; the next change saves again. Reload is offered only where
          // it is the way out (the document changed elsewhere), since it replaces the editor's text with the saved one.
          <div className="save-problem" role="alert" id="save-problem" data-testid="save-problem">
            <span>{saveState.message}</span>
            {saveState.fix === 'title' && (
              <button type="button" className="link" onClick={() => titleRef.current?.focus()}>
                {t('library.documentEditor.editTheTitle')}
              </button>
            )}
            {saveState.fix === 'reload' && (
              <button type="button" className="link" onClick={() => setGeneration((g) => g + 1)}>
                {t('library.documentEditor.reload')}
              </button>
            )}
          </div>
        )}
        <details className="metadata" open>
          <summary>{t('library.documentEditor.details')}</summary>
          <div className="meta-grid">
            <label>
              {t('library.documentEditor.date')}
              <input
                type="date"
                value={draft.date ?? ''}
                onChange={(e) => change({ date: e.target.value === '' ? null : e.target.value })}
              />
            </label>
            <label>
              {t('library.documentEditor.kind')}
              <select value={draft.kind} disabled title={t('library.documentEditor.theKindIsFixed')}>
                <option value={draft.kind}>{recordKindName(draft.kind)}</option>
              </select>
            </label>
            <label>
              {t('library.documentEditor.status')}
              <select value={draft.status} onChange={(e) => change({ status: e.target.value as LibraryDocument['status'] })}>
                {DOCUMENT_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {describeStatus(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('library.documentEditor.language')}
              <select value={draft.language} onChange={(e) => change({ language: e.target.value })}>
                {languages.map((tag) => (
                  <option key={tag} value={tag}>
                    {formatLanguage(tag) ?? tag}
                  </option>
                ))}
              </select>
            </label>
            <label className="wide">
              {t('library.documentEditor.authorOrganisation')}
              <input
                maxLength={MAX_NAME_CHARS}
                value={draft.authorOrganisation}
                onChange={(e) => change({ authorOrganisation: e.target.value })}
              />
            </label>
            <label className="wide">
              {t('library.documentEditor.tags')}
              <input
                value={tagsText}
                placeholder={t('library.documentEditor.commaSeparated')}
                onChange={(e) => {
                  setTagsText(e.target.value)
                  change({ tags: parseTags(e.target.value) })
                }}
              />
            </label>
          </div>
          <PeopleField kind="recipients" people={draft.recipients} onChange={(recipients) => change({ recipients })} />
          <PeopleField kind="cc" people={draft.cc} onChange={(cc) => change({ cc })} />
        </details>
        {showHistory && (
          <RevisionPanel
            documentId={documentId}
            currentRevision={loaded.revision}
            beforeRestore={async () => {
              await autosaver.flush()
              return revisionRef.current
            }}
            onRestored={() => {
              onSavedRef.current()
              setGeneration((g) => g + 1)
            }}
          />
        )}
        <RichTextEditor
          key={`${documentId}:${generation}`}
          label={t('library.documentEditor.documentText')}
          initial={initial}
          onChange={({ json, text }) => change({ richText: json, text })}
          extensions={READER_EXTENSIONS}
          onReady={setEditor}
        />
        <AttachmentList documentId={documentId} />
      </div>
      <Splitter
        label={t('library.documentEditor.annotationsWidth')}
        controls="document-annotations"
        side="end"
        width={annotationsPane.width}
        min={annotationsPane.min}
        max={annotationsPane.max}
        collapsed={annotationsPane.collapsed}
        onWidth={annotationsPane.onWidth}
        onCollapsed={annotationsPane.onCollapsed}
      />
      {/* Kept mounted when hidden, so its selection tracking and shortcut stay wired to the editor. */}
      <div className="anno-pane" id="document-annotations" hidden={annotationsPane.collapsed} style={{ width: annotationsPane.width }}>
        <AnnotationPanel
          key={`${documentId}:${generation}`}
          documentId={documentId}
          editor={editor}
          beforeCreate={() => autosaver.flush()}
        />
      </div>
    </div>
  )
}
