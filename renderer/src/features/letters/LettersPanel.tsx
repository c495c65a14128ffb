// Renderer: the Letters section — template cards (built-in and the vault's own), recent drafts, and template
// management (duplicate, edit, import, export, delete); opens the letter editor or the template editor.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { TemplateListingView } from '../../../../shared/ipc/channels/letterChannels'
import type { LetterTemplate } from '../../../../shared/letters/templateModel'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { LetterEditor, type DraftRef } from './LetterEditor'
import { TemplateEditor } from './TemplateEditor'
import type { FormData } from './letterForm'
import { EmptyState } from '../../components/EmptyState'
import { formatDateTime } from '../../i18n/format'

type DraftListing = { id: string; title: string; date: string | null; status: string; templateId: string; savedAt: string }

type View =
  | { kind: 'home' }
  | { kind: 'letter'; template: LetterTemplate; data: FormData; draft: DraftRef | null; key: string }
  | { kind: 'template'; template: LetterTemplate }

const LANGUAGE_NAMES: Record<string, string> = { 'en-GB': 'English', 'nb-NO': 'Norsk bokmål', 'uk-UA': 'Українська', 'ru-RU': 'Русский' }

export function LettersPanel() {
  const api = useApi()
  const [view, setView] = useState<View>({ kind: 'home' })
  const [templates, setTemplates] = useState<TemplateListingView[] | null>(null)
  const [drafts, setDrafts] = useState<DraftListing[]>([])
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)

  const refresh = useCallback(async () => {
    try {
      const [t, d] = await Promise.all([api['letters:listTemplates']({}), api['letters:listDrafts']({})])
      setTemplates(t.templates)
      setDrafts(d.drafts)
    } catch (err) {
      setError(describeError(err))
    }
  }, [api])

  useEffect(() => {
    if (view.kind === 'home') void refresh()
  }, [view.kind, refresh])

  const act = async (work: () => Promise<void>) => {
    setError(null)
    setNotice(null)
    try {
      await work()
    } catch (err) {
      setError(describeError(err))
    }
  }

  const startLetter = (templateId: string) =>
    act(async () => {
      const { template } = await api['letters:getTemplate']({ templateId })
      setView({ kind: 'letter', template, data: {}, draft: null, key: `new-${Date.now()}` })
    })

  const openDraft = (id: string) =>
    act(async () => {
      const draft = await api['letters:getDraft']({ id })
      const { template } = await api['letters:getTemplate']({ templateId: draft.templateId })
      setView({
        kind: 'letter',
        template,
        data: draft.letterData,
        draft: { id: draft.id, revision: draft.revision, status: draft.status },
        key: draft.id,
      })
    })

  const importTemplate = (file: File) =>
    act(async () => {
      // Requests stay under the IPC limit of 1 MiB.
      if (file.size > 1_000_000) {
        setError('The template file is larger than 1 MB.')
        return
      }
      const { template } = await api['templates:import']({ json: await file.text() })
      setNotice(`Imported the template “${template.name}”.`)
      await refresh()
    })

  if (view.kind === 'letter') {
    return (
      <LetterEditor
        key={view.key}
        template={view.template}
        initialData={view.data}
        initialDraft={view.draft}
        onClose={() => setView({ kind: 'home' })}
        onOpenDraft={(id) => void openDraft(id)}
      />
    )
  }
  if (view.kind === 'template') {
    return <TemplateEditor template={view.template} onClose={() => setView({ kind: 'home' })} />
  }

  return (
    <section className="letters-home" aria-labelledby="letters-title">
      <h1 id="letters-title">Letters</h1>
      <ErrorMessage message={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <h2>Start a letter from a template</h2>
      {!templates ? (
        <p aria-busy="true">Loading templates…</p>
      ) : (
        <ul className="template-cards">
          {templates.map((t) => (
            <li key={t.id} className="template-card">
              <h3>{t.name}</h3>
              <p className="hint">
                {t.builtIn ? 'Built-in' : 'Your template'} · {LANGUAGE_NAMES[t.language] ?? t.language} · {t.pageSize}
              </p>
              <p className="template-description">{t.description}</p>
              <div className="row">
                <button
                  type="button"
                  className="primary"
                  onClick={() => void startLetter(t.id)}
                  aria-label={`Use the template ${t.name}`}
                  data-template-id={t.id}
                >
                  Use
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void act(async () => {
                      const { template } = await api['templates:duplicate']({ templateId: t.id })
                      setView({ kind: 'template', template })
                    })
                  }
                  aria-label={`Duplicate the template ${t.name}`}
                >
                  Duplicate
                </button>
                {!t.builtIn && (
                  <button
                    type="button"
                    onClick={() =>
                      void act(async () => {
                        const { template } = await api['letters:getTemplate']({ templateId: t.id })
                        setView({ kind: 'template', template })
                      })
                    }
                    aria-label={`Edit the template ${t.name}`}
                  >
                    Edit
                  </button>
                )}
                <button
                  type="button"
                  onClick={() =>
                    void act(async () => {
                      const { path } = await api['templates:export']({ templateId: t.id })
                      if (path) setNotice(`Saved the template to ${path}.`)
                    })
                  }
                  aria-label={`Export the template ${t.name}`}
                >
                  Export
                </button>
                {!t.builtIn && (
                  <button
                    type="button"
                    className="link danger"
                    onClick={() =>
                      void act(async () => {
                        await api['templates:delete']({ templateId: t.id })
                        await refresh()
                      })
                    }
                    aria-label={`Delete the template ${t.name}`}
                  >
                    Delete
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <p>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import a template (JSON)…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          aria-label="Template file to import"
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            if (file) void importTemplate(file)
          }}
        />
      </p>
      <h2>Drafts and sent letters</h2>
      {drafts.length === 0 ? (
        <EmptyState title="No letters yet.">Start one from a template above.</EmptyState>
      ) : (
        <ul className="draft-list">
          {drafts.map((d) => (
            <li key={d.id}>
              <button type="button" className="link" onClick={() => void openDraft(d.id)}>
                {d.title}
              </button>{' '}
              <span className="hint">
                {d.status === 'sent' ? 'sent' : 'draft'} · saved {formatDateTime(d.savedAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
