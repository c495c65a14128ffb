// Renderer: the building blocks of the dossier form's sections — a titled fieldset, labelled text / lines / choice
// inputs, "Sources cited" checkboxes, the "Comments (n)" toggle of a saved field, and the head of a list item.
import type { ReactNode } from 'react'
import type { Dossier } from '../../../../shared/dossiers/dossier'
import { resolveJsonPointer } from '../../../../shared/annotations/jsonPointer'
import { Field } from '../../components/Field'
import { Select } from '../../components/Select'
import { useFieldError } from './fieldErrors'
import { t } from '../../i18n/intl'

/** Applies a change to the draft (and marks the form dirty): every section edits through it. */
export type Update = (change: (d: Dossier) => Dossier) => void

/** What a field needs to offer its comments: the saved body (annotations anchor there), counts, the open field. */
export interface CommentsContext {
  saved: Dossier
  counts: ReadonlyMap<string, number>
  open: string | null
  onToggle: (pointer: string, label: string) => void
}

/** A library document a source or timeline event can link to. */
export interface DocOption {
  id: string
  title: string
}

/** Replaces item `index` of a list with `patch` applied. */
export function patchAt<T>(items: readonly T[], index: number, patch: Partial<T>): T[] {
  return items.map((item, i) => (i === index ? { ...item, ...patch } : item))
}

export function Section({ title, id, children, hint }: { title: string; id: string; children: ReactNode; hint?: string }) {
  return (
    <fieldset className="form-section" aria-labelledby={`sec-${id}`}>
      <h2 id={`sec-${id}`}>{title}</h2>
      {hint && <p className="hint">{hint}</p>}
      {children}
    </fieldset>
  )
}

export function Text({
  id,
  label,
  value,
  onChange,
  type = 'text',
  list,
  required,
}: {
  id: string
  label: string
  value: string
  onChange: (v: string) => void
  type?: string
  list?: string
  required?: boolean
}) {
  return (
    <Field id={id} label={label} error={useFieldError(id)}>
      <input type={type} value={value} list={list} required={required} onChange={(e) => onChange(e.target.value)} />
    </Field>
  )
}

export function Lines({
  id,
  label,
  values,
  onChange,
  hint,
}: {
  id: string
  label: string
  values: string[]
  onChange: (v: string[]) => void
  hint?: string
}) {
  // Kept as typed (blank lines included) while editing; empty lines are dropped on save.
  return (
    <Field id={id} label={label} hint={hint} error={useFieldError(id)}>
      <textarea rows={Math.max(2, values.length + 1)} value={values.join('\n')} onChange={(e) => onChange(e.target.value.split('\n'))} />
    </Field>
  )
}

export function Choice<T extends string>({
  id,
  label,
  value,
  options,
  labels,
  onChange,
  blank,
}: {
  id: string
  label: string
  value: T | ''
  options: readonly T[]
  labels: Readonly<Record<string, string>>
  onChange: (v: T | '') => void
  blank?: string
}) {
  return (
    <Field id={id} label={label} error={useFieldError(id)}>
      <Select
        value={value}
        onChange={(v) => onChange(v)}
        placeholder={blank}
        options={options.map((o) => ({ value: o, label: labels[o] ?? o }))}
      />
    </Field>
  )
}

/** Which sources a fact cites: one checkbox per source of the dossier. */
export function Cites({
  id,
  sources,
  value,
  onChange,
}: {
  id: string
  sources: Dossier['sources']
  value: string[]
  onChange: (ids: string[]) => void
}) {
  if (sources.length === 0) return null
  return (
    <fieldset className="cites">
      <legend>{t('dossiers.dossierFormParts.sourcesCited')}</legend>
      {sources.map((s, i) => (
        <label key={s.id} className="check">
          <input
            type="checkbox"
            id={`${id}-cite-${s.id}`}
            checked={value.includes(s.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, s.id] : value.filter((x) => x !== s.id))}
          />
          {s.name.trim() || t('dossiers.dossierFormParts.source', { value: i + 1 })}
          {s.reliability ? ` (${s.reliability}${s.credibility ?? ''})` : ''}
        </label>
      ))}
    </fieldset>
  )
}

/**
 * The "Comments (n)" toggle of one field of a SAVED dossier. Shown only when the field exists in the saved body and,
 * for a list item (`item`), the item at that index is still the same one: pointers name positions, and a note must
 * not land on a neighbour after an unsaved removal or insertion.
 */
export function CommentsToggle({
  comments,
  pointer,
  label,
  item,
}: {
  comments: CommentsContext | null
  pointer: string
  label: string
  item?: { pointer: string; id: string }
}) {
  if (!comments) return null
  if (resolveJsonPointer(comments.saved, pointer) === undefined) return null
  if (item && (resolveJsonPointer(comments.saved, item.pointer) as { id?: unknown } | undefined)?.id !== item.id) return null
  const count = comments.counts.get(pointer) ?? 0
  const open = comments.open === pointer
  return (
    <button
      type="button"
      className="link comments-toggle"
      aria-expanded={open}
      // The visible text starts the accessible name, which also says which field (several toggles share a section).
      aria-label={t('dossiers.dossierFormParts.commentsOn', { count, label: label.toLowerCase() })}
      onClick={() => comments.onToggle(pointer, label)}
    >
      {t('dossiers.dossierFormParts.comments', { count })}
    </button>
  )
}

export function ItemHead({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <div className="item-head">
      <h3>{label}</h3>
      <button
        type="button"
        className="link"
        onClick={onRemove}
        aria-label={t('dossiers.dossierFormParts.remove2', { label: label.toLowerCase() })}
      >
        {t('dossiers.dossierFormParts.remove')}
      </button>
    </div>
  )
}
