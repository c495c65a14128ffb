// Renderer: the "Fields & vocabularies" editor — an administrator adds, renames and retires the custom fields of the
// dossier form and the entries of its vocabularies, and renames vocabularies, without code changes. Edits collect in a draft and are saved
// together with the revision they started from, so a change made elsewhere in between is never overwritten.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useSaveShortcut } from '../../hooks/useSaveShortcut'
import {
  CUSTOM_FIELD_TYPES,
  addCustomField,
  addVocabulary,
  addVocabularyEntry,
  changeVocabularyEntry,
  parseDossierSchemaConfig,
  renameCustomField,
  retireCustomField,
  type CustomFieldType,
  type DossierSchemaConfig,
} from '../../../../shared/dossiers/dossierSchema'
import { renameVocabulary } from '../../../../shared/dossiers/vocabularies'
import { CustodiaError } from '../../../../shared/errors'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { t } from '../../i18n/intl'

type SaveState = 'clean' | 'dirty' | 'saving' | 'saved'
type Renaming = { kind: 'field'; id: string } | { kind: 'entry'; vocabulary: string; id: string } | { kind: 'vocabulary'; id: string }

export const FIELD_TYPE_LABELS: Record<CustomFieldType, string> = {
  text: t('dossiers.schemaEditor.text'),
  date: t('dossiers.schemaEditor.date'),
  number: t('dossiers.schemaEditor.number'),
  choice: t('dossiers.schemaEditor.choiceFromAVocabulary'),
}

/** Brings a retired field back into the form (the domain retires; restoring is the same edit undone). */
export function restoreCustomField(schema: DossierSchemaConfig, fieldId: string): DossierSchemaConfig {
  if (!schema.fields.some((f) => f.id === fieldId)) throw new CustodiaError('NOT_FOUND', t('dossiers.schemaEditor.noCustomFieldWith'))
  return parseDossierSchemaConfig({
    ...schema,
    fields: schema.fields.map((f) => {
      if (f.id !== fieldId) return f
      const restored = { ...f }
      delete restored.retired
      return restored
    }),
  })
}

/**
 * Makes a schema error readable: `$.fields[2].type` becomes `Field “Health status”`, `$.vocabularies[0].entries[3]`
 * becomes `Vocabulary “Regions” › entry “Kyiv”`. Paths of removals name the stored schema, others the draft.
 */
export function describeSchemaError(message: string, stored: DossierSchemaConfig, draft: DossierSchemaConfig): string {
  const source = /cannot be removed/.test(message) ? stored : draft
  const named = (label: string | undefined, fallback: string) => (label && label.trim() ? `“${label}”` : fallback)
  return message
    .replace(/^Invalid dossier schema change: /, 'Not saved: ')
    .replace(/^Invalid dossier schema: /, 'Not saved: ')
    .replace(
      /\$\.(fields|vocabularies)\[(\d+)\](?:\.entries\[(\d+)\])?(?:\.(type|label|vocabulary|id))?/g,
      (_m, kind: string, i: string, j: string | undefined, prop: string | undefined) => {
        const index = Number(i)
        const suffix = prop === 'label' ? t('dossiers.schemaEditor.label') : prop === 'id' ? t('dossiers.schemaEditor.id') : ''
        if (kind === 'fields')
          return t('dossiers.schemaEditor.field', {
            named: named(source.fields[index]?.label, String(index + 1)),
            value: prop === 'vocabulary' ? t('dossiers.schemaEditor.vocabulary') : suffix,
          })
        const vocab = source.vocabularies[index]
        const head = t('dossiers.schemaEditor.vocabulary2', { named: named(vocab?.label, String(index + 1)) })
        if (j === undefined) return head + suffix
        return t('dossiers.schemaEditor.entry', { head, named: named(vocab?.entries[Number(j)]?.label, String(Number(j) + 1)), suffix })
      },
    )
}

export function SchemaEditor({ onDirtyChange }: { onDirtyChange?: (dirty: boolean) => void }) {
  const api = useApi()
  const [stored, setStored] = useState<{ revision: number; schema: DossierSchemaConfig } | null>(null)
  const [draft, setDraft] = useState<DossierSchemaConfig | null>(null)
  const [state, setState] = useState<SaveState>('clean')
  const [error, setError] = useState<string | null>(null)
  const [conflict, setConflict] = useState(false)
  const [selected, setSelected] = useState<string>('')
  const [renaming, setRenaming] = useState<Renaming | null>(null)
  const [renameText, setRenameText] = useState('')
  const [fieldLabel, setFieldLabel] = useState('')
  const [fieldType, setFieldType] = useState<CustomFieldType>('text')
  const [fieldVocabulary, setFieldVocabulary] = useState('')
  const [entryLabel, setEntryLabel] = useState('')
  const [vocabLabel, setVocabLabel] = useState('')

  const load = useCallback(async () => {
    const r = await api['dossiers:getSchema']({})
    setStored(r)
    setDraft(r.schema)
    setState('clean')
    setConflict(false)
    setError(null)
    setRenaming(null)
    setSelected((s) => (r.schema.vocabularies.some((v) => v.id === s) ? s : (r.schema.vocabularies[0]?.id ?? '')))
  }, [api])

  useEffect(() => {
    load().catch((err: unknown) => setError(describeError(err)))
  }, [load])

  useEffect(() => onDirtyChange?.(state === 'dirty'), [state, onDirtyChange])

  /** Applies one edit to the draft; a refused edit (empty label, too long…) is shown and changes nothing. */
  const apply = (change: (s: DossierSchemaConfig) => DossierSchemaConfig): boolean => {
    if (!draft || !stored) return false
    try {
      setDraft(change(draft))
      setState('dirty')
      setError(null)
      return true
    } catch (err) {
      setError(
        err instanceof CustodiaError
          ? describeSchemaError(err.message, stored.schema, draft).replace(/^Not saved: /, 'Not changed: ')
          : t('dossiers.schemaEditor.somethingWentWrongPlease'),
      )
      return false
    }
  }

  const save = useCallback(async () => {
    if (!draft || !stored || state === 'saving') return
    setError(null)
    setState('saving')
    try {
      const r = await api['dossiers:updateSchema']({ schema: draft, expectedRevision: stored.revision })
      setStored({ revision: r.revision, schema: draft })
      setState('saved')
    } catch (err) {
      setState('dirty')
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        setConflict(true)
        setError(t('dossiers.schemaEditor.theFieldsAndVocabularies'))
      } else if (err instanceof ApiError && err.code === 'VALIDATION') {
        setError(describeSchemaError(err.message, stored.schema, draft))
      } else {
        setError(describeError(err))
      }
    }
  }, [api, draft, state, stored])

  useSaveShortcut(save)

  if (!draft || !stored) {
    return (
      <section className="panel" aria-busy={error ? undefined : 'true'}>
        <ErrorMessage message={error} />
        {!error && <p>{t('dossiers.schemaEditor.openingTheFieldsAnd')}</p>}
      </section>
    )
  }

  const vocabLabelOf = (id: string | undefined) => draft.vocabularies.find((v) => v.id === id)?.label ?? '—'
  const current = draft.vocabularies.find((v) => v.id === selected) ?? draft.vocabularies[0]
  const stateText = {
    clean: t('dossiers.schemaEditor.noChanges'),
    dirty: t('dossiers.schemaEditor.unsavedChanges'),
    saving: t('dossiers.schemaEditor.saving'),
    saved: t('dossiers.schemaEditor.allChangesSaved'),
  }[state]

  const startRename = (target: Renaming, label: string) => {
    setRenaming(target)
    setRenameText(label)
  }
  const submitRename = (e: FormEvent) => {
    e.preventDefault()
    if (!renaming) return
    if (renameText.trim() === '') {
      setError(t('dossiers.schemaEditor.notChangedALabel'))
      return
    }
    const r = renaming
    const ok = apply((s) =>
      r.kind === 'field'
        ? renameCustomField(s, r.id, renameText)
        : r.kind === 'vocabulary'
          ? renameVocabulary(s, r.id, renameText)
          : changeVocabularyEntry(s, r.vocabulary, r.id, { label: renameText }),
    )
    if (ok) setRenaming(null)
  }
  const renameForm = (what: string) => (
    <form
      className="row rename"
      onSubmit={submitRename}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return
        e.stopPropagation()
        setRenaming(null)
      }}
    >
      <label className="sr-only" htmlFor="schema-rename">
        {t('dossiers.schemaEditor.newLabelFor', { what })}
      </label>
      <input id="schema-rename" autoFocus value={renameText} maxLength={200} onChange={(e) => setRenameText(e.target.value)} />
      <button type="submit">{t('dossiers.schemaEditor.apply')}</button>
      <button type="button" onClick={() => setRenaming(null)}>
        {t('dossiers.schemaEditor.cancel')}
      </button>
    </form>
  )

  const submitField = (e: FormEvent) => {
    e.preventDefault()
    if (fieldLabel.trim() === '') return setError(t('dossiers.schemaEditor.notChangedGiveThe'))
    if (fieldType === 'choice' && !draft.vocabularies.some((v) => v.id === fieldVocabulary))
      return setError(t('dossiers.schemaEditor.notChangedAChoice'))
    const label = fieldLabel
    const ok = apply(
      (s) => addCustomField(s, { label, type: fieldType, ...(fieldType === 'choice' ? { vocabulary: fieldVocabulary } : {}) }).schema,
    )
    if (ok) setFieldLabel('')
  }
  const submitEntry = (e: FormEvent) => {
    e.preventDefault()
    if (!current) return
    if (entryLabel.trim() === '') return setError(t('dossiers.schemaEditor.notChangedGiveThe2'))
    const label = entryLabel
    if (apply((s) => addVocabularyEntry(s, current.id, label).schema)) setEntryLabel('')
  }
  const submitVocabulary = (e: FormEvent) => {
    e.preventDefault()
    if (vocabLabel.trim() === '') return setError(t('dossiers.schemaEditor.notChangedGiveThe3'))
    let createdId = ''
    const label = vocabLabel
    const ok = apply((s) => {
      const r = addVocabulary(s, label)
      createdId = r.vocabulary.id
      return r.schema
    })
    if (ok) {
      setVocabLabel('')
      setSelected(createdId)
    }
  }

  return (
    <section className="panel schema-editor" aria-labelledby="schema-title">
      <div className="form-head">
        <div>
          <h1 id="schema-title">{t('dossiers.schemaEditor.fieldsAmpVocabularies')}</h1>
          <p className="hint">{t('dossiers.schemaEditor.whatTheDossierForm')}</p>
        </div>
        <div className="form-tools">
          <span className={`save-state save-${state}`} role="status" data-testid="schema-state">
            {stateText}
          </span>
          <button
            type="button"
            className="primary"
            onClick={() => void save()}
            disabled={state === 'saving' || state === 'clean' || state === 'saved'}
            aria-keyshortcuts="Control+S"
            title={t('dossiers.schemaEditor.saveCtrlS')}
          >
            {t('dossiers.schemaEditor.saveChanges')}
          </button>
          <button
            type="button"
            onClick={() => void load().catch((err: unknown) => setError(describeError(err)))}
            disabled={state === 'saving'}
          >
            {conflict
              ? t('dossiers.schemaEditor.reload')
              : state === 'dirty'
                ? t('dossiers.schemaEditor.discardChanges')
                : t('dossiers.schemaEditor.reload')}
          </button>
        </div>
      </div>
      <ErrorMessage message={error} />

      <fieldset className="form-section" aria-labelledby="schema-fields">
        <h2 id="schema-fields">{t('dossiers.schemaEditor.customFields')}</h2>
        <p className="hint">{t('dossiers.schemaEditor.shownUnderOtherInformation')}</p>
        {draft.fields.length === 0 ? (
          <p className="empty" data-testid="no-fields">
            {t('dossiers.schemaEditor.noCustomFieldsYet')}
          </p>
        ) : (
          <table className="grid schema-table" data-testid="field-table">
            <thead>
              <tr>
                <th scope="col">{t('dossiers.schemaEditor.label2')}</th>
                <th scope="col">{t('dossiers.schemaEditor.type')}</th>
                <th scope="col">{t('dossiers.schemaEditor.vocabulary3')}</th>
                <th scope="col">
                  <span className="sr-only">{t('dossiers.schemaEditor.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.fields.map((f) => (
                <tr key={f.id} className={f.retired ? 'retired' : undefined}>
                  <td>
                    {renaming?.kind === 'field' && renaming.id === f.id ? (
                      renameForm(t('dossiers.schemaEditor.theField', { label: f.label }))
                    ) : (
                      <>
                        {f.label}
                        {f.retired && <span className="chip retired-chip">{t('dossiers.schemaEditor.retired')}</span>}
                      </>
                    )}
                  </td>
                  <td>{FIELD_TYPE_LABELS[f.type]}</td>
                  <td>{f.type === 'choice' ? vocabLabelOf(f.vocabulary) : '—'}</td>
                  <td className="actions-cell">
                    <button
                      type="button"
                      className="link"
                      onClick={() => startRename({ kind: 'field', id: f.id }, f.label)}
                      aria-label={t('dossiers.schemaEditor.renameField', { label: f.label })}
                    >
                      {t('dossiers.schemaEditor.rename')}
                    </button>
                    {f.retired ? (
                      <button
                        type="button"
                        className="link"
                        onClick={() => apply((s) => restoreCustomField(s, f.id))}
                        aria-label={t('dossiers.schemaEditor.restoreField', { label: f.label })}
                      >
                        {t('dossiers.schemaEditor.restore')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="link"
                        onClick={() => apply((s) => retireCustomField(s, f.id))}
                        aria-label={t('dossiers.schemaEditor.retireField', { label: f.label })}
                      >
                        {t('dossiers.schemaEditor.retire')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="add-row" onSubmit={submitField} aria-label={t('dossiers.schemaEditor.addAField')}>
          <div className="field grow">
            <label htmlFor="new-field-label">{t('dossiers.schemaEditor.newFieldLabel')}</label>
            <input id="new-field-label" value={fieldLabel} maxLength={200} onChange={(e) => setFieldLabel(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="new-field-type">{t('dossiers.schemaEditor.type')}</label>
            <select id="new-field-type" value={fieldType} onChange={(e) => setFieldType(e.target.value as CustomFieldType)}>
              {CUSTOM_FIELD_TYPES.map((t) => (
                <option key={t} value={t}>
                  {FIELD_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          </div>
          {fieldType === 'choice' && (
            <div className="field">
              <label htmlFor="new-field-vocabulary">{t('dossiers.schemaEditor.vocabulary3')}</label>
              <select id="new-field-vocabulary" value={fieldVocabulary} onChange={(e) => setFieldVocabulary(e.target.value)}>
                <option value="">{t('dossiers.schemaEditor.choose')}</option>
                {draft.vocabularies.map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button type="submit">{t('dossiers.schemaEditor.addField')}</button>
        </form>
        <p className="hint">{t('dossiers.schemaEditor.theTypeAndVocabulary')}</p>
      </fieldset>

      <fieldset className="form-section" aria-labelledby="schema-vocabularies">
        <h2 id="schema-vocabularies">{t('dossiers.schemaEditor.vocabularies')}</h2>
        <p className="hint">{t('dossiers.schemaEditor.regionsAndFacilitiesAre')}</p>
        <div className="vocab-layout">
          <div>
            <ul className="vocab-names" aria-label={t('dossiers.schemaEditor.vocabularies')}>
              {draft.vocabularies.map((v) => (
                <li key={v.id}>
                  <button type="button" className="shelf" aria-pressed={current?.id === v.id} onClick={() => setSelected(v.id)}>
                    {v.label} <span className="count">{v.entries.filter((e) => !e.retired).length}</span>
                  </button>
                </li>
              ))}
            </ul>
            <form className="add-row" onSubmit={submitVocabulary} aria-label={t('dossiers.schemaEditor.addAVocabulary')}>
              <div className="field grow">
                <label htmlFor="new-vocabulary-label">{t('dossiers.schemaEditor.newVocabulary')}</label>
                <input id="new-vocabulary-label" value={vocabLabel} maxLength={200} onChange={(e) => setVocabLabel(e.target.value)} />
              </div>
              <button type="submit">{t('dossiers.schemaEditor.addVocabulary')}</button>
            </form>
          </div>
          {current && (
            <div className="vocab-entries" role="region" aria-labelledby="vocab-entries-title">
              <div className="row vocab-head">
                <h3 id="vocab-entries-title">{current.label}</h3>
                {!(renaming?.kind === 'vocabulary' && renaming.id === current.id) && (
                  <button
                    type="button"
                    className="link"
                    onClick={() => startRename({ kind: 'vocabulary', id: current.id }, current.label)}
                    aria-label={t('dossiers.schemaEditor.renameVocabulary', { label: current.label })}
                  >
                    {t('dossiers.schemaEditor.rename')}
                  </button>
                )}
              </div>
              {renaming?.kind === 'vocabulary' &&
                renaming.id === current.id &&
                renameForm(t('dossiers.schemaEditor.theVocabulary', { label: current.label }))}
              {current.entries.length === 0 ? (
                <p className="empty">{t('dossiers.schemaEditor.noEntriesYet')}</p>
              ) : (
                <ul className="entry-list" data-testid="entry-list">
                  {current.entries.map((entry) => (
                    <li key={entry.id} className={entry.retired ? 'retired' : undefined}>
                      {renaming?.kind === 'entry' && renaming.vocabulary === current.id && renaming.id === entry.id ? (
                        renameForm(t('dossiers.schemaEditor.theEntry', { label: entry.label }))
                      ) : (
                        <span className="entry-label">
                          {entry.label}
                          {entry.retired && <span className="chip retired-chip">{t('dossiers.schemaEditor.retired')}</span>}
                        </span>
                      )}
                      <span className="entry-tools">
                        <button
                          type="button"
                          className="link"
                          onClick={() => startRename({ kind: 'entry', vocabulary: current.id, id: entry.id }, entry.label)}
                          aria-label={t('dossiers.schemaEditor.renameEntry', { label: entry.label })}
                        >
                          {t('dossiers.schemaEditor.rename')}
                        </button>
                        <button
                          type="button"
                          className="link"
                          onClick={() => apply((s) => changeVocabularyEntry(s, current.id, entry.id, { retired: !entry.retired }))}
                          aria-label={t('dossiers.schemaEditor.entry2', {
                            value: entry.retired ? t('dossiers.schemaEditor.restore') : t('dossiers.schemaEditor.retire'),
                            label: entry.label,
                          })}
                        >
                          {entry.retired ? t('dossiers.schemaEditor.restore') : t('dossiers.schemaEditor.retire')}
                        </button>
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              <form
                className="add-row"
                onSubmit={submitEntry}
                aria-label={t('dossiers.schemaEditor.addAnEntryTo', { label: current.label })}
              >
                <div className="field grow">
                  <label htmlFor="new-entry-label">{t('dossiers.schemaEditor.newEntryIn', { label: current.label })}</label>
                  <input id="new-entry-label" value={entryLabel} maxLength={200} onChange={(e) => setEntryLabel(e.target.value)} />
                </div>
                <button type="submit">{t('dossiers.schemaEditor.addEntry')}</button>
              </form>
            </div>
          )}
        </div>
      </fieldset>
    </section>
  )
}
