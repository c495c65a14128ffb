// Renderer: the dossier form's consent (who may receive the dossier) and family contacts, which stay sealed until
// "Reveal family contacts" (the form fetches them then).
import { CONSENT_LEVELS, type Dossier } from '../../../../shared/dossiers/dossier'
import { CONSENT_LABELS } from '../../../../shared/dossiers/labels'
import { newFamilyContact } from './draft'
import { Choice, ItemHead, Lines, Section, Text, patchAt, type Update } from './dossierFormParts'
import { t } from '../../i18n/intl'

export function ConsentSection({ draft, update }: { draft: Dossier; update: Update }) {
  return (
    <Section
      title={t('dossiers.consentContactsSections.consent')}
      id="consent"
      hint={t('dossiers.consentContactsSections.whoMayReceiveThis')}
    >
      <div className="grid-2">
        <Choice
          id="consent-level"
          label={t('dossiers.consentContactsSections.consent')}
          value={draft.consent}
          options={CONSENT_LEVELS}
          labels={CONSENT_LABELS}
          onChange={(v) => v && update((d) => ({ ...d, consent: v }))}
        />
        {draft.consent === 'partners' && (
          <Lines
            id="share-partners"
            label={t('dossiers.consentContactsSections.partnersWhoMayReceive')}
            hint={t('dossiers.consentContactsSections.oneOrganisationPerLine')}
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
      title={t('dossiers.consentContactsSections.familyContact')}
      id="family"
      hint={t('dossiers.consentContactsSections.extraSensitiveNeverPrinted')}
    >
      {!revealed ? (
        <div className="sealed" data-testid="family-hidden">
          {count === 0 ? (
            <>
              <span>{t('dossiers.consentContactsSections.noFamilyContactsStored')}</span>
              <button type="button" onClick={onAddFirst}>
                {t('dossiers.consentContactsSections.addFamilyContact')}
              </button>
            </>
          ) : (
            <>
              <span>{t('dossiers.consentContactsSections.familyContactStoredHidden', { count })}</span>
              <button type="button" onClick={onReveal}>
                {t('dossiers.consentContactsSections.revealFamilyContacts')}
              </button>
            </>
          )}
        </div>
      ) : (
        <div data-testid="family-contacts">
          {draft.family.contacts.map((c, i) => (
            <div className="item" key={i}>
              <ItemHead
                label={t('dossiers.consentContactsSections.familyContact2', { value: i + 1 })}
                onRemove={() => update((d) => ({ ...d, family: { contacts: d.family.contacts.filter((_, j) => j !== i) } }))}
              />
              <div className="grid-2">
                <Text
                  id={`family-name-${i}`}
                  label={t('dossiers.consentContactsSections.name')}
                  value={c.name}
                  onChange={(v) => set(i, { name: v })}
                />
                <Text
                  id={`family-relation-${i}`}
                  label={t('dossiers.consentContactsSections.relation')}
                  value={c.relation}
                  onChange={(v) => set(i, { relation: v })}
                />
                <Text
                  id={`family-phone-${i}`}
                  label={t('dossiers.consentContactsSections.phone')}
                  type="tel"
                  value={c.phone ?? ''}
                  onChange={(v) => set(i, { phone: v })}
                />
                <Text
                  id={`family-email-${i}`}
                  label={t('dossiers.consentContactsSections.email')}
                  type="email"
                  value={c.email ?? ''}
                  onChange={(v) => set(i, { email: v })}
                />
                <Text
                  id={`family-address-${i}`}
                  label={t('dossiers.consentContactsSections.address')}
                  value={c.address ?? ''}
                  onChange={(v) => set(i, { address: v })}
                />
                <Text
                  id={`family-note-${i}`}
                  label={t('dossiers.consentContactsSections.note')}
                  value={c.note ?? ''}
                  onChange={(v) => set(i, { note: v })}
                />
              </div>
            </div>
          ))}
          <button type="button" onClick={() => update((d) => ({ ...d, family: { contacts: [...d.family.contacts, newFamilyContact()] } }))}>
            {t('dossiers.consentContactsSections.addFamilyContact')}
          </button>
          {!isNew && <p className="hint">{t('dossiers.consentContactsSections.theseContactsAreHidden')}</p>}
        </div>
      )}
    </Section>
  )
}
