// Renderer: the dossier form's sources — who says so, graded for reliability and credibility, optionally a library
// document. Removing a source removes the citations of it.
import { SOURCE_RELIABILITY, SOURCE_TYPES, type Dossier } from '../../../../shared/dossiers/dossier'
import { CREDIBILITY_LABELS, RELIABILITY_LABELS, SOURCE_TYPE_LABELS } from '../../../../shared/dossiers/labels'
import { newSource } from './draft'
import {
  Choice,
  CommentsToggle,
  ItemHead,
  Section,
  Text,
  patchAt,
  type CommentsContext,
  type DocOption,
  type Update,
} from './dossierFormParts'
import { t } from '../../i18n/intl'

export function SourcesSection({
  draft,
  update,
  documents,
  comments,
}: {
  draft: Dossier
  update: Update
  documents: DocOption[]
  comments: CommentsContext | null
}) {
  const set = (i: number, patch: Partial<Dossier['sources'][number]>) => update((d) => ({ ...d, sources: patchAt(d.sources, i, patch) }))
  const removeSource = (i: number) =>
    update((d) => {
      const gone = d.sources[i]!.id
      const strip = <T extends { sourceIds: string[] }>(x: T): T => ({ ...x, sourceIds: x.sourceIds.filter((s) => s !== gone) })
      // Citations of a removed source go with it, so no fact cites something that is not there.
      return {
        ...d,
        sources: d.sources.filter((_, j) => j !== i),
        statusHistory: d.statusHistory.map(strip),
        detentions: d.detentions.map(strip),
        charges: d.charges.map(strip),
        vulnerability: strip(d.vulnerability),
      }
    })
  return (
    <Section title={t('dossiers.sourcesSection.sources')} id="sources" hint={t('dossiers.sourcesSection.whoSaysSoReliability')}>
      {draft.sources.map((s, i) => (
        <div className="item" key={s.id}>
          <ItemHead label={t('dossiers.sourcesSection.source', { value: i + 1 })} onRemove={() => removeSource(i)} />
          <div className="grid-3">
            <Choice
              id={`source-type-${i}`}
              label={t('dossiers.sourcesSection.type')}
              value={s.type}
              options={SOURCE_TYPES}
              labels={SOURCE_TYPE_LABELS}
              onChange={(v) => v && set(i, { type: v })}
            />
            <Text id={`source-name-${i}`} label={t('dossiers.sourcesSection.name')} value={s.name} onChange={(v) => set(i, { name: v })} />
            <Text
              id={`source-date-${i}`}
              label={t('dossiers.sourcesSection.date')}
              type="date"
              value={s.date ?? ''}
              onChange={(v) => set(i, { date: v })}
            />
            <Choice
              id={`source-reliability-${i}`}
              label={t('dossiers.sourcesSection.reliability')}
              value={s.reliability ?? ''}
              options={SOURCE_RELIABILITY}
              labels={RELIABILITY_LABELS}
              blank={t('dossiers.sourcesSection.notGraded')}
              onChange={(v) => set(i, { reliability: v || undefined })}
            />
            <div className="field">
              <label htmlFor={`source-credibility-${i}`}>{t('dossiers.sourcesSection.credibility')}</label>
              <select
                id={`source-credibility-${i}`}
                value={s.credibility ?? ''}
                onChange={(e) => set(i, { credibility: e.target.value === '' ? undefined : Number(e.target.value) })}
              >
                <option value="">{t('dossiers.sourcesSection.notGraded')}</option>
                {[1, 2, 3, 4, 5, 6].map((n) => (
                  <option key={n} value={n}>
                    {CREDIBILITY_LABELS[n]}
                  </option>
                ))}
              </select>
            </div>
            {documents.length > 0 && (
              <div className="field">
                <label htmlFor={`source-document-${i}`}>{t('dossiers.sourcesSection.libraryDocument')}</label>
                <select
                  id={`source-document-${i}`}
                  value={s.documentId ?? ''}
                  onChange={(e) => set(i, { documentId: e.target.value || undefined })}
                >
                  <option value="">{t('dossiers.sourcesSection.none')}</option>
                  {documents.map((doc) => (
                    <option key={doc.id} value={doc.id}>
                      {doc.title}
                    </option>
                  ))}
                </select>
              </div>
            )}
          </div>
          <CommentsToggle
            comments={comments}
            pointer={`/sources/${i}`}
            label={t('dossiers.sourcesSection.source', { value: i + 1 })}
            item={{ pointer: `/sources/${i}`, id: s.id }}
          />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, sources: [...d.sources, newSource()] }))}>
        {t('dossiers.sourcesSection.addSource')}
      </button>
    </Section>
  )
}
