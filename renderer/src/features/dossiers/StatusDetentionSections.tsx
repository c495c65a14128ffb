// Renderer: the dossier form's status history (the current status is derived from its latest event) and detention
// periods, each fact citing the dossier's sources.
import { deriveCurrentStatus, statusChoices, type Dossier } from '../../../../shared/dossiers/dossier'
import { newDetention, newStatusEvent } from './draft'
import { Choice, Cites, CommentsToggle, ItemHead, Section, Text, patchAt, type CommentsContext, type Update } from './dossierFormParts'
import { t } from '../../i18n/intl'
import { dossierStatusName, dossierStatusNames } from '../../i18n/codeNames'

export function StatusSection({ draft, update, comments }: { draft: Dossier; update: Update; comments: CommentsContext | null }) {
  const set = (i: number, patch: Partial<Dossier['statusHistory'][number]>) =>
    update((d) => ({ ...d, statusHistory: patchAt(d.statusHistory, i, patch) }))
  const current = deriveCurrentStatus(draft.statusHistory)
  return (
    <Section
      title={t('dossiers.statusDetentionSections.statusHistory')}
      id="status"
      hint={t('dossiers.statusDetentionSections.currentStatusDerivedFrom', { value: dossierStatusName(current) })}
    >
      {draft.statusHistory.map((e, i) => (
        <div className="item" key={e.id}>
          <ItemHead
            label={t('dossiers.statusDetentionSections.statusEvent', { value: i + 1 })}
            onRemove={() => update((d) => ({ ...d, statusHistory: d.statusHistory.filter((_, j) => j !== i) }))}
          />
          <div className="grid-3">
            <Text
              id={`status-date-${i}`}
              label={t('dossiers.statusDetentionSections.date')}
              type="date"
              value={e.date}
              onChange={(v) => set(i, { date: v })}
            />
            <Choice
              id={`status-status-${i}`}
              label={t('dossiers.statusDetentionSections.status')}
              value={e.status}
              options={statusChoices(draft.category, e.status)}
              labels={dossierStatusNames()}
              onChange={(v) => v && set(i, { status: v })}
            />
            <Text
              id={`status-note-${i}`}
              label={t('dossiers.statusDetentionSections.note')}
              value={e.note ?? ''}
              onChange={(v) => set(i, { note: v })}
            />
          </div>
          <CommentsToggle
            comments={comments}
            pointer={`/statusHistory/${i}/note`}
            label={t('dossiers.statusDetentionSections.statusEventNote', { value: i + 1 })}
            item={{ pointer: `/statusHistory/${i}`, id: e.id }}
          />
          <Cites id={`status-${i}`} sources={draft.sources} value={e.sourceIds} onChange={(ids) => set(i, { sourceIds: ids })} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, statusHistory: [...d.statusHistory, newStatusEvent(d.category)] }))}>
        {t('dossiers.statusDetentionSections.addStatusEvent')}
      </button>
    </Section>
  )
}

export function DetentionSection({ draft, update, facilities }: { draft: Dossier; update: Update; facilities: string[] }) {
  const set = (i: number, patch: Partial<Dossier['detentions'][number]>) =>
    update((d) => ({ ...d, detentions: patchAt(d.detentions, i, patch) }))
  return (
    <Section
      title={t('dossiers.statusDetentionSections.detentionPeriods')}
      id="detention"
      hint={t('dossiers.statusDetentionSections.leaveToEmptyWhile')}
    >
      {draft.detentions.map((x, i) => (
        <div className="item" key={x.id}>
          <ItemHead
            label={t('dossiers.statusDetentionSections.detentionPeriod', { value: i + 1 })}
            onRemove={() => update((d) => ({ ...d, detentions: d.detentions.filter((_, j) => j !== i) }))}
          />
          <div className="grid-2">
            <Text
              id={`detention-facility-${i}`}
              label={t('dossiers.statusDetentionSections.facility')}
              list="facility-options"
              value={x.facility}
              onChange={(v) => set(i, { facility: v })}
            />
            <Text
              id={`detention-location-${i}`}
              label={t('dossiers.statusDetentionSections.location')}
              value={x.location}
              onChange={(v) => set(i, { location: v })}
            />
            <Text
              id={`detention-from-${i}`}
              label={t('dossiers.statusDetentionSections.from')}
              type="date"
              value={x.from ?? ''}
              onChange={(v) => set(i, { from: v })}
            />
            <Text
              id={`detention-to-${i}`}
              label={t('dossiers.statusDetentionSections.to')}
              type="date"
              value={x.to ?? ''}
              onChange={(v) => set(i, { to: v })}
            />
          </div>
          <Cites id={`detention-${i}`} sources={draft.sources} value={x.sourceIds} onChange={(ids) => set(i, { sourceIds: ids })} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, detentions: [...d.detentions, newDetention()] }))}>
        {t('dossiers.statusDetentionSections.addDetentionPeriod')}
      </button>
      <datalist id="facility-options">
        {facilities.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
    </Section>
  )
}
