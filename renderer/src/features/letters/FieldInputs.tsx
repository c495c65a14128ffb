// Renderer: one input per letter field type — text, multiline, date, person, list of persons (add/remove),
// rich text (the library's TipTap editor), and lists of requests or organisations (add/remove).
import { useMemo } from 'react'
import { generateHTML } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import type { FieldDef, Signatory } from '../../../../shared/letters/templateModel'
import { RichTextEditor } from '../library/RichTextEditor'
import { createEmptyPerson, PERSON_KEYS, PERSON_LABELS } from './letterForm'
import { t } from '../../i18n/intl'

/** The same schema the editor uses, to turn its JSON into the HTML the letter renderer sanitises again. */
const EDITOR_EXTENSIONS = [StarterKit]

type Props = {
  field: FieldDef
  value: unknown
  onChange: (value: unknown) => void
  idPrefix: string
  invalid?: string
  /** What the letter shows when this field is left empty (the organisation profile's place or signatories). */
  fallback?: string
}

function PersonInputs({ person, onChange, idPrefix }: { person: Signatory; onChange: (p: Signatory) => void; idPrefix: string }) {
  return (
    <div className="person-grid">
      {PERSON_KEYS.map((key) => (
        <div className="field" key={key}>
          <label htmlFor={`${idPrefix}-${key}`}>{PERSON_LABELS[key]}</label>
          <input
            id={`${idPrefix}-${key}`}
            value={(person[key] as string | undefined) ?? ''}
            type={key === 'email' ? 'email' : 'text'}
            onChange={(e) => onChange({ ...person, [key]: e.target.value })}
          />
        </div>
      ))}
    </div>
  )
}

function PersonsInput({ field, value, onChange, idPrefix }: Props) {
  const people = (Array.isArray(value) ? value : []) as Signatory[]
  const label = field.label
  return (
    <div className="persons-input">
      {people.map((person, i) => (
        <fieldset key={i} className="person-card">
          <legend>{`${label} ${i + 1}`}</legend>
          <PersonInputs
            person={person}
            idPrefix={`${idPrefix}-${i}`}
            onChange={(p) => onChange(people.map((old, j) => (j === i ? p : old)))}
          />
          <button
            type="button"
            className="link"
            onClick={() => onChange(people.filter((_, j) => j !== i))}
            aria-label={t('letters.fieldInputs.remove2', { label, value: i + 1 })}
          >
            {t('letters.fieldInputs.remove')}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        onClick={() => onChange([...people, createEmptyPerson()])}
        aria-label={t('letters.fieldInputs.addAPersonTo', { label })}
      >
        {t('letters.fieldInputs.addAPerson')}
      </button>
    </div>
  )
}

function ListInput({ field, value, onChange, idPrefix }: Props) {
  const items = (Array.isArray(value) ? value : []) as string[]
  const noun = field.type === 'organisations' ? 'organisation' : 'item'
  return (
    <div className="list-input">
      <ol>
        {items.map((item, i) => (
          <li key={i}>
            <label className="visually-hidden" htmlFor={`${idPrefix}-${i}`}>{`${field.label} ${i + 1}`}</label>
            {field.type === 'organisations' ? (
              <input
                id={`${idPrefix}-${i}`}
                value={item}
                onChange={(e) => onChange(items.map((old, j) => (j === i ? e.target.value : old)))}
              />
            ) : (
              <textarea
                id={`${idPrefix}-${i}`}
                rows={2}
                value={item}
                onChange={(e) => onChange(items.map((old, j) => (j === i ? e.target.value : old)))}
              />
            )}
            <button
              type="button"
              className="link"
              onClick={() => onChange(items.filter((_, j) => j !== i))}
              aria-label={t('letters.fieldInputs.remove2', { label: field.label, value: i + 1 })}
            >
              {t('letters.fieldInputs.remove')}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        onClick={() => onChange([...items, ''])}
        aria-label={t('letters.fieldInputs.addAnTo', { noun, label: field.label })}
      >
        {t('letters.fieldInputs.add', { noun })}
      </button>
    </div>
  )
}

function RichtextInput({ field, value, onChange }: Props) {
  // The editor is seeded once; later changes flow out of it, never back in (that would move the caret).
  const initial = useMemo(() => ({ html: typeof value === 'string' ? value : '' }), [field.name]) // eslint-disable-line react-hooks/exhaustive-deps
  return <RichTextEditor label={field.label} initial={initial} onChange={({ json }) => onChange(generateHTML(json, EDITOR_EXTENSIONS))} />
}

/** One field with its label, help text and the right input for its type. */
export function FieldInput(props: Props) {
  const { field, value, onChange, idPrefix, invalid, fallback } = props
  const id = `${idPrefix}-input`
  const labelText = `${field.label}${field.required ? ' *' : ''}`
  const grouped =
    field.type === 'persons' ||
    field.type === 'person' ||
    field.type === 'requests' ||
    field.type === 'organisations' ||
    field.type === 'richtext'
  const help =
    field.help || fallback ? (
      <p className="hint" id={`${id}-help`}>
        {field.help}
        {field.help && fallback ? ' ' : ''}
        {fallback && t('letters.fieldInputs.leftEmptyTheLetter', { fallback })}
      </p>
    ) : null
  const helpId = field.help || fallback ? `${id}-help` : ''
  const error = invalid ? (
    <p className="error" id={`${id}-error`}>
      {invalid}
    </p>
  ) : null

  if (grouped) {
    return (
      <fieldset className="letter-field" aria-describedby={helpId || undefined}>
        <legend>{labelText}</legend>
        {help}
        {field.type === 'persons' && <PersonsInput {...props} />}
        {field.type === 'person' && (
          <PersonInputs
            person={(value as Signatory | undefined) ?? createEmptyPerson()}
            idPrefix={idPrefix}
            onChange={(p) => onChange(p)}
          />
        )}
        {(field.type === 'requests' || field.type === 'organisations') && <ListInput {...props} />}
        {field.type === 'richtext' && <RichtextInput {...props} />}
        {error}
      </fieldset>
    )
  }
  const describedBy = [helpId, invalid ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className="field letter-field">
      <label htmlFor={id}>{labelText}</label>
      {help}
      {field.type === 'multiline' ? (
        <textarea
          id={id}
          rows={4}
          value={(value as string | undefined) ?? ''}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        <input
          id={id}
          type={field.type === 'date' ? 'date' : 'text'}
          value={(value as string | undefined) ?? ''}
          aria-required={field.required}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {error}
    </div>
  )
}
