// Renderer: the dossier form's "Person" section — names in every spelling, birth, gender, citizenship, home region,
// category, and the photo slot (given by the form, as it needs the dossier's files).
import type { ReactNode } from 'react'
import { DOSSIER_CATEGORIES, GENDERS, type Dossier } from '../../../../shared/dossiers/dossier'
import { CATEGORY_LABELS, GENDER_LABELS } from '../../../../shared/dossiers/labels'
import { Choice, Lines, Section, Text, type Update } from './dossierFormParts'
import { t } from '../../i18n/intl'

export function PersonSection({ draft, update, regions, photo }: { draft: Dossier; update: Update; regions: string[]; photo: ReactNode }) {
  const names = draft.names
  const setNames = (patch: Partial<Dossier['names']>) => update((d) => ({ ...d, names: { ...d.names, ...patch } }))
  return (
    <Section title={t('dossiers.identitySection.person')} id="person">
      {photo}
      <div className="grid-2">
        <Text
          id="name-original"
          label={t('dossiers.identitySection.nameInOriginalScript')}
          value={names.original}
          onChange={(v) => setNames({ original: v })}
          required
        />
        <Text
          id="name-transliteration"
          label={t('dossiers.identitySection.transliteration')}
          value={names.transliteration ?? ''}
          onChange={(v) => setNames({ transliteration: v })}
        />
        <Lines
          id="name-other"
          label={t('dossiers.identitySection.otherSpellings')}
          hint={t('dossiers.identitySection.onePerLine')}
          values={names.otherSpellings}
          onChange={(v) => setNames({ otherSpellings: v })}
        />
        <Lines
          id="name-aliases"
          label={t('dossiers.identitySection.aliases')}
          hint={t('dossiers.identitySection.onePerLine')}
          values={names.aliases}
          onChange={(v) => setNames({ aliases: v })}
        />
        <Text
          id="birth-date"
          label={t('dossiers.identitySection.dateOfBirth')}
          type="date"
          value={draft.birth.date ?? ''}
          onChange={(v) => update((d) => ({ ...d, birth: { ...d.birth, date: v } }))}
        />
        <div className="field">
          <label htmlFor="birth-year">{t('dossiers.identitySection.yearOfBirth')}</label>
          <div className="row">
            <input
              id="birth-year"
              type="number"
              min={1850}
              max={2200}
              value={draft.birth.year ?? ''}
              onChange={(e) =>
                update((d) => ({ ...d, birth: { ...d.birth, year: e.target.value === '' ? undefined : Number(e.target.value) } }))
              }
            />
            <label className="check">
              <input
                type="checkbox"
                checked={draft.birth.approximate === true}
                onChange={(e) => update((d) => ({ ...d, birth: { ...d.birth, approximate: e.target.checked } }))}
              />
              {t('dossiers.identitySection.approximate')}
            </label>
          </div>
        </div>
        <Choice
          id="gender"
          label={t('dossiers.identitySection.gender')}
          value={draft.gender}
          options={GENDERS}
          labels={GENDER_LABELS}
          onChange={(v) => update((d) => ({ ...d, gender: v || 'unknown' }))}
        />
        <Text
          id="citizenship"
          label={t('dossiers.identitySection.citizenship')}
          value={draft.citizenship.join(', ')}
          onChange={(v) => update((d) => ({ ...d, citizenship: v.split(',').map((s) => s.trimStart()) }))}
        />
        <Text
          id="home-region"
          label={t('dossiers.identitySection.homeRegion')}
          value={draft.homeRegion}
          list="region-options"
          onChange={(v) => update((d) => ({ ...d, homeRegion: v }))}
        />
        <Choice
          id="category"
          label={t('dossiers.identitySection.category')}
          value={draft.category}
          options={DOSSIER_CATEGORIES}
          labels={CATEGORY_LABELS}
          onChange={(v) => v && update((d) => ({ ...d, category: v }))}
        />
      </div>
      <datalist id="region-options">
        {regions.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
    </Section>
  )
}
