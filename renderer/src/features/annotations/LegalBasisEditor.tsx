// Renderer: the legal-basis vocabulary editor — the controlled list annotations are tagged with (GC IV art. 49, …).
// Entries are added, renamed (label, article, heading, instrument title) or retired/restored; ids never change, so
// an annotation classified long ago still names the same article. Every change is saved at once in main.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { LegalBasisEntrySchema } from '../../../../shared/annotations/legalBasis'
import type { VocabularyEntryView } from '../../../../shared/ipc/channels/annotationChannels'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useAsync } from '../../hooks/useAsync'
import { describeIssue, type MessageContext } from '../../../../shared/messages/messages'
import { t } from '../../i18n/intl'

interface EntryText {
  label: string
  article: string
  heading: string
  title: string
}

const EMPTY: EntryText = { label: '', article: '', heading: '', title: '' }
const FIELD_NAMES: Record<string, string> = {
  id: t('annotations.legalBasisEditor.id'),
  label: t('annotations.legalBasisEditor.shortLabel'),
  article: t('annotations.legalBasisEditor.article'),
  heading: t('annotations.legalBasisEditor.subject'),
  title: t('annotations.legalBasisEditor.instrument'),
}

/** A stable id from the label, e.g. "UNCAT art. 1" → "uncat-art-1" (the same slug form the shipped entries use). */
export function createLegalBasisId(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '')
}

/** Checks an entry before it is sent: the first problem as a sentence (shared/messages), or null. */
export function checkLegalBasisEntry(entry: { id: string } & EntryText): string | null {
  const trimmed = {
    id: entry.id,
    label: entry.label.trim(),
    article: entry.article.trim(),
    heading: entry.heading.trim(),
    title: entry.title.trim(),
  }
  const words: MessageContext = { fieldLabel: (path) => FIELD_NAMES[String(path[0])]?.toLowerCase() ?? null }
  for (const key of ['label', 'article', 'heading', 'title'] as const)
    if (trimmed[key] === '') return describeIssue({ path: [key], message: t('annotations.legalBasisEditor.isEmpty') }, words)
  if (trimmed.id === '') return t('annotations.legalBasisEditor.theShortLabelNeeds')
  const r = LegalBasisEntrySchema.safeParse(trimmed)
  if (r.success) return null
  const issue = r.error.issues[0]!
  return describeIssue({ path: issue.path, message: issue.message }, words)
}

function EntryFields({ prefix, value, onChange }: { prefix: string; value: EntryText; onChange: (v: EntryText) => void }) {
  const input = (key: keyof EntryText, label: string, max: number, hint?: string) => (
    <div className={`field${key === 'title' || key === 'heading' ? ' wide' : ''}`}>
      <label htmlFor={`${prefix}-${key}`}>{label}</label>
      <input
        id={`${prefix}-${key}`}
        value={value[key]}
        maxLength={max}
        placeholder={hint}
        onChange={(e) => onChange({ ...value, [key]: e.target.value })}
      />
    </div>
  )
  return (
    <div className="basis-fields">
      {input('label', t('annotations.legalBasisEditor.shortLabel'), 40, t('annotations.legalBasisEditor.eGUncatArt'))}
      {input('article', t('annotations.legalBasisEditor.article'), 20, 'e.g. 1')}
      {input('heading', t('annotations.legalBasisEditor.subject'), 200, t('annotations.legalBasisEditor.eGDefinitionOf'))}
      {input('title', t('annotations.legalBasisEditor.instrument'), 300, t('annotations.legalBasisEditor.fullTitleOfThe'))}
    </div>
  )
}

export function LegalBasisEditor() {
  const api = useApi()
  const [entries, setEntries] = useState<VocabularyEntryView[] | null>(null)
  const { busy, error, details, setError, run: runAction } = useAsync<boolean>()
  const [notice, setNotice] = useState<string | null>(null)
  const [filter, setFilter] = useState('')
  const [adding, setAdding] = useState<EntryText>(EMPTY)
  const [editing, setEditing] = useState<{ id: string; value: EntryText } | null>(null)

  const load = useCallback(async () => {
    try {
      setEntries((await api['annotations:listLegalBases']({})).entries)
    } catch (err) {
      setError(describeError(err))
    }
  }, [api, setError])

  useEffect(() => {
    void load()
  }, [load])

  const run = async (action: () => Promise<{ entries: VocabularyEntryView[] }>, done: string): Promise<boolean> => {
    setNotice(null)
    const succeeded = await runAction(
      async () => {
        setEntries((await action()).entries)
        setNotice(done)
        return true
      },
      (err) =>
        err instanceof ApiError && err.code === 'CONFLICT' ? t('annotations.legalBasisEditor.notAddedAnEntry') : describeError(err),
    )
    return succeeded === true
  }

  const add = async (e: FormEvent) => {
    e.preventDefault()
    const entry = {
      id: createLegalBasisId(adding.label),
      label: adding.label.trim(),
      article: adding.article.trim(),
      heading: adding.heading.trim(),
      title: adding.title.trim(),
    }
    const problem = checkLegalBasisEntry(entry)
    if (problem) return setError(problem)
    if (await run(() => api['annotations:createLegalBasis']({ entry }), t('annotations.legalBasisEditor.added', { label: entry.label })))
      setAdding(EMPTY)
  }

  const saveEdit = async (e: FormEvent) => {
    e.preventDefault()
    if (!editing) return
    const v = {
      label: editing.value.label.trim(),
      article: editing.value.article.trim(),
      heading: editing.value.heading.trim(),
      title: editing.value.title.trim(),
    }
    const problem = checkLegalBasisEntry({ id: editing.id, ...v })
    if (problem) return setError(problem)
    if (
      await run(
        () => api['annotations:updateLegalBasis']({ id: editing.id, ...v }),
        t('annotations.legalBasisEditor.saved', { label: v.label }),
      )
    )
      setEditing(null)
  }

  if (!entries) {
    return (
      <section className="panel" aria-busy={error ? undefined : 'true'}>
        <ErrorMessage message={error} details={details} />
        {!error && <p>{t('annotations.legalBasisEditor.openingTheLegalBases')}</p>}
      </section>
    )
  }

  const needle = filter.trim().toLowerCase()
  const shown = needle === '' ? entries : entries.filter((x) => `${x.label} ${x.heading} ${x.title}`.toLowerCase().includes(needle))

  return (
    <section className="panel legal-basis-editor" aria-labelledby="legal-basis-title">
      <h2 id="legal-basis-title">{t('annotations.legalBasisEditor.legalBases')}</h2>
      <p className="hint">{t('annotations.legalBasisEditor.theArticlesAComment')}</p>
      <ErrorMessage message={error} details={details} />
      {notice && (
        <p className="notice" role="status" data-testid="basis-notice">
          {notice}
        </p>
      )}

      <form className="basis-add" onSubmit={(e) => void add(e)} aria-labelledby="basis-add-title">
        <h3 id="basis-add-title">{t('annotations.legalBasisEditor.addALegalBasis')}</h3>
        <EntryFields prefix="basis-new" value={adding} onChange={setAdding} />
        <button type="submit" className="primary" disabled={busy}>
          {t('annotations.legalBasisEditor.addLegalBasis')}
        </button>
      </form>

      <div className="field basis-filter">
        <label htmlFor="basis-filter">{t('annotations.legalBasisEditor.find')}</label>
        <input id="basis-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <p className="hint" data-testid="basis-count">
        {t('annotations.legalBasisEditor.retired3', {
          value:
            shown.length === entries.length
              ? t('annotations.legalBasisEditor.entries', { entriesCount: entries.length })
              : t('annotations.legalBasisEditor.ofEntries', { shownCount: shown.length, entriesCount: entries.length }),
          count: entries.filter((x) => x.retired).length,
        })}
      </p>
      <ul className="basis-list" data-testid="basis-list">
        {shown.map((x) => (
          <li key={x.id} className={x.retired ? 'retired' : undefined}>
            {editing?.id === x.id ? (
              <form
                onSubmit={(e) => void saveEdit(e)}
                aria-label={t('annotations.legalBasisEditor.edit', { label: x.label })}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') setEditing(null)
                }}
              >
                <EntryFields prefix="basis-edit" value={editing.value} onChange={(value) => setEditing({ id: x.id, value })} />
                <div className="row">
                  <button type="submit" className="primary" disabled={busy}>
                    {t('annotations.legalBasisEditor.save')}
                  </button>
                  <button type="button" onClick={() => setEditing(null)}>
                    {t('annotations.legalBasisEditor.cancel')}
                  </button>
                </div>
              </form>
            ) : (
              <>
                <div className="basis-text">
                  <strong>{x.label}</strong> — {x.heading}
                  {x.retired && <span className="chip retired-chip">{t('annotations.legalBasisEditor.retired')}</span>}
                  <div className="hint">{t('annotations.legalBasisEditor.art', { article: x.article, title: x.title })}</div>
                </div>
                <span className="basis-tools">
                  <button
                    type="button"
                    className="link"
                    onClick={() =>
                      setEditing({ id: x.id, value: { label: x.label, article: x.article, heading: x.heading, title: x.title } })
                    }
                    aria-label={t('annotations.legalBasisEditor.edit', { label: x.label })}
                  >
                    {t('annotations.legalBasisEditor.edit2')}
                  </button>
                  <button
                    type="button"
                    className="link"
                    disabled={busy}
                    onClick={() =>
                      void run(
                        () => api['annotations:updateLegalBasis']({ id: x.id, retired: !x.retired }),
                        x.retired
                          ? t('annotations.legalBasisEditor.restored', { label: x.label })
                          : t('annotations.legalBasisEditor.retired2', { label: x.label }),
                      )
                    }
                    aria-label={`${x.retired ? t('annotations.legalBasisEditor.restore') : t('annotations.legalBasisEditor.retire')} ${x.label}`}
                  >
                    {x.retired ? t('annotations.legalBasisEditor.restore') : t('annotations.legalBasisEditor.retire')}
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
