// Renderer: the dossier form's timeline — dated events linked to library documents and to the dossier's own files.
import type { Dossier } from '../../../../shared/dossiers/dossier'
import type { AttachmentView } from '../../../../shared/ipc/channels/libraryChannels'
import { useContext } from 'react'
import { newTimelineEntry } from './draft'
import { FieldErrorsContext } from './fieldErrors'
import { AttachmentLinks } from './DossierFiles'
import { CommentsToggle, ItemHead, Section, Text, patchAt, type CommentsContext, type DocOption, type Update } from './dossierFormParts'
import { t } from '../../i18n/intl'

export function TimelineSection({
  draft,
  update,
  documents,
  attachments,
  comments,
}: {
  draft: Dossier
  update: Update
  documents: DocOption[]
  attachments: AttachmentView[] | null
  comments: CommentsContext | null
}) {
  const set = (i: number, patch: Partial<Dossier['timeline'][number]>) => update((d) => ({ ...d, timeline: patchAt(d.timeline, i, patch) }))
  const titleOf = (docId: string) => documents.find((d) => d.id === docId)?.title ?? t('dossiers.timelineSection.aLibraryDocument')
  const errors = useContext(FieldErrorsContext)
  return (
    <Section title={t('dossiers.timelineSection.timeline')} id="timeline">
      {draft.timeline.map((event, i) => (
        <div className="item" key={event.id}>
          <ItemHead
            label={t('dossiers.timelineSection.timelineEvent', { value: i + 1 })}
            onRemove={() => update((d) => ({ ...d, timeline: d.timeline.filter((_, j) => j !== i) }))}
          />
          <div className="grid-timeline">
            <Text
              id={`timeline-date-${i}`}
              label={t('dossiers.timelineSection.date')}
              type="date"
              value={event.date}
              onChange={(v) => set(i, { date: v })}
            />
            <div className="field">
              <label htmlFor={`timeline-description-${i}`}>{t('dossiers.timelineSection.description')}</label>
              <textarea
                id={`timeline-description-${i}`}
                rows={2}
                value={event.description}
                aria-invalid={errors.has(`timeline-description-${i}`) || undefined}
                aria-describedby={errors.has(`timeline-description-${i}`) ? `timeline-description-${i}-error` : undefined}
                onChange={(e) => set(i, { description: e.target.value })}
              />
              {errors.has(`timeline-description-${i}`) && (
                <span className="field-error" id={`timeline-description-${i}-error`} data-testid="field-error">
                  {errors.get(`timeline-description-${i}`)}
                </span>
              )}
              <CommentsToggle
                comments={comments}
                pointer={`/timeline/${i}/description`}
                label={t('dossiers.timelineSection.timelineEvent', { value: i + 1 })}
                item={{ pointer: `/timeline/${i}`, id: event.id }}
              />
            </div>
          </div>
          {event.documentIds.length > 0 && (
            <ul className="linked">
              {event.documentIds.map((docId) => (
                <li key={docId}>
                  {titleOf(docId)}{' '}
                  <button
                    type="button"
                    className="link"
                    onClick={() => set(i, { documentIds: event.documentIds.filter((x) => x !== docId) })}
                  >
                    {t('dossiers.timelineSection.unlink')}
                  </button>
                </li>
              ))}
            </ul>
          )}
          {documents.length > 0 && (
            <div className="field">
              <label htmlFor={`timeline-link-${i}`}>{t('dossiers.timelineSection.linkALibraryDocument')}</label>
              <select
                id={`timeline-link-${i}`}
                value=""
                onChange={(e) => e.target.value && set(i, { documentIds: [...event.documentIds, e.target.value] })}
              >
                <option value="">{t('dossiers.timelineSection.choose')}</option>
                {documents
                  .filter((doc) => !event.documentIds.includes(doc.id))
                  .map((doc) => (
                    <option key={doc.id} value={doc.id}>
                      {doc.title}
                    </option>
                  ))}
              </select>
            </div>
          )}
          <AttachmentLinks
            id={`timeline-${i}`}
            attachments={attachments}
            value={event.attachmentIds}
            onChange={(ids) => set(i, { attachmentIds: ids })}
          />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, timeline: [...d.timeline, newTimelineEntry()] }))}>
        {t('dossiers.timelineSection.addTimelineEvent')}
      </button>
    </Section>
  )
}
