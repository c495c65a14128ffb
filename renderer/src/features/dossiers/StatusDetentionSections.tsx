// Renderer: the dossier form's status history (the current status is derived from its latest event) and detention
// periods, each fact citing the dossier's sources.
import { deriveCurrentStatus, statusChoices, type Dossier } from '../../../../shared/dossiers/dossier'
import { STATUS_LABELS } from '../../../../shared/dossiers/labels'
import { newDetention, newStatusEvent } from './draft'
import { Choice, Cites, CommentsToggle, ItemHead, Section, Text, patchAt, type CommentsContext, type Update } from './dossierFormParts'

export function StatusSection({ draft, update, comments }: { draft: Dossier; update: Update; comments: CommentsContext | null }) {
  const set = (i: number, patch: Partial<Dossier['statusHistory'][number]>) =>
    update((d) => ({ ...d, statusHistory: patchAt(d.statusHistory, i, patch) }))
  const current = deriveCurrentStatus(draft.statusHistory)
  return (
    <Section title="Status history" id="status" hint={`Current status (derived from the latest event): ${STATUS_LABELS[current]}.`}>
      {draft.statusHistory.map((e, i) => (
        <div className="item" key={e.id}>
          <ItemHead
            label={`Status event ${i + 1}`}
            onRemove={() => update((d) => ({ ...d, statusHistory: d.statusHistory.filter((_, j) => j !== i) }))}
          />
          <div className="grid-3">
            <Text id={`status-date-${i}`} label="Date" type="date" value={e.date} onChange={(v) => set(i, { date: v })} />
            <Choice
              id={`status-status-${i}`}
              label="Status"
              value={e.status}
              options={statusChoices(draft.category, e.status)}
              labels={STATUS_LABELS}
              onChange={(v) => v && set(i, { status: v })}
            />
            <Text id={`status-note-${i}`} label="Note" value={e.note ?? ''} onChange={(v) => set(i, { note: v })} />
          </div>
          <CommentsToggle
            comments={comments}
            pointer={`/statusHistory/${i}/note`}
            label={`Status event ${i + 1} note`}
            item={{ pointer: `/statusHistory/${i}`, id: e.id }}
          />
          <Cites id={`status-${i}`} sources={draft.sources} value={e.sourceIds} onChange={(ids) => set(i, { sourceIds: ids })} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, statusHistory: [...d.statusHistory, newStatusEvent(d.category)] }))}>
        Add status event
      </button>
    </Section>
  )
}

export function DetentionSection({ draft, update, facilities }: { draft: Dossier; update: Update; facilities: string[] }) {
  const set = (i: number, patch: Partial<Dossier['detentions'][number]>) =>
    update((d) => ({ ...d, detentions: patchAt(d.detentions, i, patch) }))
  return (
    <Section title="Detention periods" id="detention" hint="Leave “To” empty while the person is still held there.">
      {draft.detentions.map((x, i) => (
        <div className="item" key={x.id}>
          <ItemHead
            label={`Detention period ${i + 1}`}
            onRemove={() => update((d) => ({ ...d, detentions: d.detentions.filter((_, j) => j !== i) }))}
          />
          <div className="grid-2">
            <Text
              id={`detention-facility-${i}`}
              label="Facility"
              list="facility-options"
              value={x.facility}
              onChange={(v) => set(i, { facility: v })}
            />
            <Text id={`detention-location-${i}`} label="Location" value={x.location} onChange={(v) => set(i, { location: v })} />
            <Text id={`detention-from-${i}`} label="From" type="date" value={x.from ?? ''} onChange={(v) => set(i, { from: v })} />
            <Text id={`detention-to-${i}`} label="To" type="date" value={x.to ?? ''} onChange={(v) => set(i, { to: v })} />
          </div>
          <Cites id={`detention-${i}`} sources={draft.sources} value={x.sourceIds} onChange={(ids) => set(i, { sourceIds: ids })} />
        </div>
      ))}
      <button type="button" onClick={() => update((d) => ({ ...d, detentions: [...d.detentions, newDetention()] }))}>
        Add detention period
      </button>
      <datalist id="facility-options">
        {facilities.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
    </Section>
  )
}
