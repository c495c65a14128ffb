// Renderer: the legal bases a note cites — chosen one at a time from the vocabulary (a native select: keyboard and
// screen readers for free), shown as removable chips in the order chosen. Retired entries are offered only when the
// note already cites them (they stay; they cannot be newly chosen).
import { MAX_LEGAL_BASES } from '../../../../shared/annotations/annotationModel'
import type { VocabularyEntryView } from '../../../../shared/ipc/channels/annotationChannels'
import { t } from '../../i18n/intl'

export function LegalBasisPicker({
  id,
  value,
  onChange,
  vocabulary,
  cited = [],
}: {
  id: string
  value: readonly string[]
  onChange: (ids: string[]) => void
  vocabulary: readonly VocabularyEntryView[]
  /** The ids the stored note already cites (retired ones among them stay choosable). */
  cited?: readonly string[]
}) {
  const byId = new Map(vocabulary.map((v) => [v.id, v]))
  const choices = vocabulary.filter((v) => (!v.retired || cited.includes(v.id)) && !value.includes(v.id))
  const full = value.length >= MAX_LEGAL_BASES
  return (
    <div className="legal-basis-picker">
      <label htmlFor={id}>{t('annotations.legalBasisPicker.legalBasis')}</label>
      {value.length > 0 && (
        <ul className="anno-chips" aria-label={t('annotations.legalBasisPicker.legalBasesCited')}>
          {value.map((basisId) => {
            const entry = byId.get(basisId)
            const label = entry?.label ?? basisId
            return (
              <li key={basisId} className="chip basis" title={entry ? `${entry.heading} — ${entry.title}` : undefined}>
                {label}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={t('annotations.legalBasisPicker.remove', { label })}
                  onClick={() => onChange(value.filter((v) => v !== basisId))}
                >
                  ×
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <select
        id={id}
        value=""
        disabled={full || choices.length === 0}
        onChange={(e) => e.target.value && onChange([...value, e.target.value])}
      >
        <option value="">
          {full
            ? t('annotations.legalBasisPicker.atMost', { MAX_LEGAL_BASES })
            : value.length === 0
              ? t('annotations.legalBasisPicker.none')
              : t('annotations.legalBasisPicker.addAnother')}
        </option>
        {choices.map((v) => (
          <option key={v.id} value={v.id} title={`${v.heading} — ${v.title}`}>
            {v.label}: {v.heading}
          </option>
        ))}
      </select>
    </div>
  )
}
