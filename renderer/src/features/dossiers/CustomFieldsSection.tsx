// Renderer: the dossier form's "Other information" — the custom fields of the vault's dossier schema (retired ones
// only where this dossier has a value).
import type { Dossier } from '../../../../shared/dossiers/dossier'
import type { DossierSchemaConfig } from '../../../../shared/dossiers/dossierSchema'
import { Section, Text, type Update } from './dossierFormParts'
import { t } from '../../i18n/intl'

export function CustomFieldsSection({ draft, update, schema }: { draft: Dossier; update: Update; schema: DossierSchemaConfig }) {
  // Retired fields stay visible only where this dossier has a value, so nothing stored is hidden.
  const fields = schema.fields.filter((f) => !f.retired || draft.customFields[f.id] !== undefined)
  if (fields.length === 0) return null
  const set = (fieldId: string, value: string | number) => update((d) => ({ ...d, customFields: { ...d.customFields, [fieldId]: value } }))
  return (
    <Section title={t('dossiers.customFieldsSection.otherInformation')} id="custom">
      <div className="grid-2">
        {fields.map((f) => {
          const value = draft.customFields[f.id]
          const id = `custom-${f.id}`
          const label = f.retired ? t('dossiers.customFieldsSection.retired', { label: f.label }) : f.label
          if (f.type === 'choice') {
            const entries = schema.vocabularies.find((v) => v.id === f.vocabulary)?.entries ?? []
            return (
              <div className="field" key={f.id}>
                <label htmlFor={id}>{label}</label>
                <select id={id} value={typeof value === 'string' ? value : ''} onChange={(e) => set(f.id, e.target.value)}>
                  <option value="">—</option>
                  {entries
                    .filter((e) => !e.retired || e.id === value)
                    .map((e) => (
                      <option key={e.id} value={e.id}>
                        {e.label}
                      </option>
                    ))}
                </select>
              </div>
            )
          }
          return (
            <Text
              key={f.id}
              id={id}
              label={label}
              type={f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text'}
              value={value === undefined ? '' : String(value)}
              onChange={(v) => set(f.id, f.type === 'number' && v !== '' ? Number(v) : v)}
            />
          )
        })}
      </div>
    </Section>
  )
}
