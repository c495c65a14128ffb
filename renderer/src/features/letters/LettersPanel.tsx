// Renderer: the Letters section — template cards (built-in and the vault's own), the library's letters (title,
// recipient, status, date; newest first), and template management (duplicate, edit, import, export, delete); opens the
// letter editor, the template editor, or — for a letter not drafted from a template — the letter in the library.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { LetterListingView, TemplateListingView } from '../../../../shared/ipc/channels/letterChannels'
import type { LetterTemplate } from '../../../../shared/letters/templateModel'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { LetterEditor, type DraftRef } from './LetterEditor'
import { TemplateEditor } from './TemplateEditor'
import type { FormData } from './letterForm'
import { EmptyState } from '../../components/EmptyState'
import { formatDateTime, formatDay, formatLanguage } from '../../i18n/format'
import { t } from '../../i18n/intl'

type View =
  | { kind: 'home' }
  | { kind: 'letter'; template: LetterTemplate; data: FormData; draft: DraftRef | null; key: string }
  | { kind: 'template'; template: LetterTemplate }

/** "Ingrid Examplesen", "Ingrid Examplesen and 2 others", or "—" when no recipient is named. */
function describeRecipients(letter: LetterListingView): string {
  if (letter.firstRecipient === null) return '—'
  if (letter.recipientCount <= 1) return letter.firstRecipient
  return t('letters.lettersPanel.recipientAndOthers', { name: letter.firstRecipient, others: letter.recipientCount - 1 })
}

/**
 * `onOpenDocument` opens a letter that was not drafted from a template (imported, or added in the library) where it
 * can be read: the library.
 */
export function LettersPanel({ onOpenDocument }: { onOpenDocument?: (id: string) => void } = {}) {
  const api = useApi()
  const [view, setView] = useState<View>({ kind: 'home' })
  const [templates, setTemplates] = useState<TemplateListingView[] | null>(null)
  const [letters, setLetters] = useState<LetterListingView[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)

  const refresh = useCallback(async () => {
    try {
      const [t, l] = await Promise.all([api['letters:listTemplates']({}), api['letters:list']({})])
      setTemplates(t.templates)
      setLetters(l.letters)
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

  const openLetter = (letter: LetterListingView) => {
    if (letter.templateId !== null) void openDraft(letter.id)
    else onOpenDocument?.(letter.id)
  }

  const importTemplate = (file: File) =>
    act(async () => {
      // Requests stay under the IPC limit of 1 MiB.
      if (file.size > 1_000_000) {
        setError(t('letters.lettersPanel.theTemplateFileIs'))
        return
      }
      const { template } = await api['templates:import']({ json: await file.text() })
      setNotice(t('letters.lettersPanel.importedTheTemplate', { name: template.name }))
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
      <h1 id="letters-title">{t('letters.lettersPanel.letters')}</h1>
      <ErrorMessage message={error} />
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <h2>{t('letters.lettersPanel.startALetterFrom')}</h2>
      {!templates ? (
        <p aria-busy="true">{t('letters.lettersPanel.loadingTemplates')}</p>
      ) : (
        <ul className="template-cards">
          {templates.map((card) => (
            <li key={card.id} className="template-card">
              <h3>{card.name}</h3>
              <p className="hint">
                {card.builtIn ? t('letters.lettersPanel.builtIn') : t('letters.lettersPanel.yourTemplate')} ·{' '}
                {formatLanguage(card.language, { region: false }) ?? card.language} · {card.pageSize}
              </p>
              <p className="template-description">{card.description}</p>
              <div className="row">
                <button
                  type="button"
                  className="primary"
                  onClick={() => void startLetter(card.id)}
                  aria-label={t('letters.lettersPanel.useTheTemplate', { name: card.name })}
                  data-template-id={card.id}
                >
                  {t('letters.lettersPanel.use')}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void act(async () => {
                      const { template } = await api['templates:duplicate']({ templateId: card.id })
                      setView({ kind: 'template', template })
                    })
                  }
                  aria-label={t('letters.lettersPanel.duplicateTheTemplate', { name: card.name })}
                >
                  {t('letters.lettersPanel.duplicate')}
                </button>
                {!card.builtIn && (
                  <button
                    type="button"
                    onClick={() =>
                      void act(async () => {
                        const { template } = await api['letters:getTemplate']({ templateId: card.id })
                        setView({ kind: 'template', template })
                      })
                    }
                    aria-label={t('letters.lettersPanel.editTheTemplate', { name: card.name })}
                  >
                    {t('letters.lettersPanel.edit')}
                  </button>
                )}
                <button
                  type="button"
                  onClick={() =>
                    void act(async () => {
                      const { path } = await api['templates:export']({ templateId: card.id })
                      if (path) setNotice(t('letters.lettersPanel.savedTheTemplateTo', { path }))
                    })
                  }
                  aria-label={t('letters.lettersPanel.exportTheTemplate', { name: card.name })}
                >
                  {t('letters.lettersPanel.export')}
                </button>
                {!card.builtIn && (
                  <button
                    type="button"
                    className="link danger"
                    onClick={() =>
                      void act(async () => {
                        await api['templates:delete']({ templateId: card.id })
                        await refresh()
                      })
                    }
                    aria-label={t('letters.lettersPanel.deleteTheTemplate', { name: card.name })}
                  >
                    {t('letters.lettersPanel.delete')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <p>
        <button type="button" onClick={() => fileInput.current?.click()}>
          {t('letters.lettersPanel.importATemplateJson')}
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          aria-label={t('letters.lettersPanel.templateFileToImport')}
          tabIndex={-1}
          onChange={(e) => {
            const file = e.target.files?.[0]
            e.target.value = ''
            if (file) void importTemplate(file)
          }}
        />
      </p>
      <h2 id="letters-list-title">{t('letters.lettersPanel.lettersInTheLibrary')}</h2>
      {letters === null ? (
        <p aria-busy="true">{t('letters.lettersPanel.loadingLetters')}</p>
      ) : letters.length === 0 ? (
        <EmptyState title={t('letters.lettersPanel.noLettersYet')}>{t('letters.lettersPanel.startOneFromA')}</EmptyState>
      ) : (
        <table className="data-table letters-table" aria-labelledby="letters-list-title">
          <thead>
            <tr>
              <th scope="col">{t('letters.lettersPanel.title')}</th>
              <th scope="col">{t('letters.lettersPanel.recipient')}</th>
              <th scope="col">{t('letters.lettersPanel.status')}</th>
              <th scope="col">{t('letters.lettersPanel.date')}</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <tr key={letter.id} data-testid="letter-row">
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => openLetter(letter)}
                    title={
                      letter.templateId === null
                        ? t('letters.lettersPanel.opensInTheLibrary')
                        : letter.status === 'sent'
                          ? t('letters.lettersPanel.sentLettersOpenRead')
                          : undefined
                    }
                  >
                    {letter.title || t('letters.lettersPanel.untitledLetter')}
                  </button>
                </td>
                <td>{describeRecipients(letter)}</td>
                <td>
                  <span className={`status status-${letter.status}`}>{t('library.statusName', { status: letter.status })}</span>
                </td>
                <td className="when">
                  {letter.date
                    ? formatDay(letter.date)
                    : t('letters.lettersPanel.notDatedSaved', { dateTime: formatDateTime(letter.savedAt) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
