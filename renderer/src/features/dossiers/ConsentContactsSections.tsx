// Renderer: the dossier form's consent (who may receive the dossier) and family contacts, which stay sealed until
// "Reveal family contacts" (the form fetches them then).
import { CONSENT_LEVELS, type Dossier } from '../../../../shared/dossiers/dossier'
import { CONSENT_LABELS } from '../../../../shared/dossiers/labels'
import { newFamilyContact } from './draft'
import { Choice, ItemHead, Lines, Section, Text, patchAt, type Update } from './dossierFormParts'

export function ConsentSection({ draft, update }: { draft: Dossier; update: Update }) {
  return (
    <Section
      title="Consent"
      id="consent"
      hint="Who may receive this dossier outside the organisation. Lists, letters and exports follow it."
    >
      <div className="grid-2">
        <Choice
          id="consent-level"
          label="Consent"
          value={draft.consent}
          options={CONSENT_LEVELS}
          labels={CONSENT_LABELS}
          onChange={(v) => v && update((d) => ({ ...d, consent: v }))}
        />
        {draft.consent === 'partners' && (
          <Lines
            id="share-partners"
            label="Partners who may receive it"
            hint="One organisation per line."
            values={draft.sharePartners}
            onChange={(v) => update((d) => ({ ...d, sharePartners: v }))}
          />
        )}
      </div>
    </Section>
  )
}

export function FamilySection({
  draft,
  update,
  isNew,
  revealed,
  count,
  onReveal,
  onAddFirst,
}: {
  draft: Dossier
  update: Update
  isNew: boolean
  revealed: boolean
  count: number
  onReveal: () => void
  /** No contacts are stored: start the first one (nothing to reveal). */
  onAddFirst: () => void
}) {
  const set = (i: number, patch: Partial<Dossier['family']['contacts'][number]>) =>
    update((d) => ({ ...d, family: { contacts: patchAt(d.family.contacts, i, patch) } }))
  return (
    <Section
      title="Family contact"
      id="family"
      hint="Extra sensitive: never printed, exported or shared unless explicitly asked for. Revealing them is recorded in the audit log."
    >
      {!revealed ? (
        <div className="sealed" data-testid="family-hidden">
          {count === 0 ? (
            <>
              <span>No family contacts stored.</span>
              <button type="button" onClick={onAddFirst}>
                Add family contact
              </button>
            </>
          ) : (
            <>
              <span>{`${count} family contact${count === 1 ? '' : 's'} stored — hidden.`}</span>
              <button type="button" onClick={onReveal}>
                Reveal family contacts
              </button>
            </>
          )}
        </div>
      ) : (
        <div data-testid="family-contacts">
          {draft.family.contacts.map((c, i) => (
            <div className="item" key={i}>
              <ItemHead
                label={`Family contact ${i + 1}`}
                onRemove={() => update((d) => ({ ...d, family: { contacts: d.family.contacts.filter((_, j) => j !== i) } }))}
              />
              <div className="grid-2">
                <Text id={`family-name-${i}`} label="Name" value={c.name} onChange={(v) => set(i, { name: v })} />
                <Text id={`family-relation-${i}`} label="Relation" value={c.relation} onChange={(v) => set(i, { relation: v })} />
                <Text id={`family-phone-${i}`} label="Phone" type="tel" value={c.phone ?? ''} onChange={(v) => set(i, { phone: v })} />
                <Text id={`family-email-${i}`} label="Email" type="email" value={c.email ?? ''} onChange={(v) => set(i, { email: v })} />
                <Text id={`family-address-${i}`} label="Address" value={c.address ?? ''} onChange={(v) => set(i, { address: v })} />
                <Text id={`family-note-${i}`} label="Note" value={c.note ?? ''} onChange={(v) => set(i, { note: v })} />
              </div>
            </div>
          ))}
          <button type="button" onClick={() => update((d) => ({ ...d, family: { contacts: [...d.family.contacts, newFamilyContact()] } }))}>
            Add family contact
          </button>
          {!isNew && <p className="hint">These contacts are hidden again when you leave this dossier.</p>}
        </div>
      )}
    </Section>
  )
}
