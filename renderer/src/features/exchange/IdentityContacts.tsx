// Renderer: the Exchange page in plain words — our public key (named after the organisation profile, fingerprint in
// groups to read aloud, the file to send) and the partners' public keys (added from the file they sent, verified only
// after both fingerprints were compared by phone in a dialog that shows them side by side).
import { useCallback, useEffect, useState } from 'react'
import type { ContactView, IdentityView } from '../../../../shared/ipc/channels/exchangeChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { Dialog } from '../../components/Dialog'
import { ErrorMessage } from '../../components/ErrorMessage'
import { t } from '../../i18n/intl'

export function Fingerprint({ value, label }: { value: string; label: string }) {
  return (
    <span className="fingerprint" aria-label={`${label}: ${value}`} data-testid="fingerprint">
      {value.split(' ').map((group, i) => (
        <code key={i}>{group}</code>
      ))}
    </span>
  )
}

/** Our identity and the organisation's name from its profile (null when no profile is saved or it cannot be read). */
export function useOwnIdentity() {
  const api = useApi()
  const [identity, setIdentity] = useState<IdentityView | null>(null)
  const [organisationName, setOrganisationName] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    api['exchange:getIdentity']({}).then(
      (view) => live && setIdentity(view),
      (err: unknown) => live && setError(describeError(err)),
    )
    // The profile only names the key; without it the page says "your public key", so a failure here is not an error.
    api['organisation:getProfile']({}).then(
      (stored) => live && setOrganisationName(stored.profile?.name.trim() || null),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [api])
  return { identity, setIdentity, organisationName, error }
}

/** "Norwegian Helsinki Committee's public key", or "Your public key" before the organisation profile is filled in. */
function ownKeyTitle(organisationName: string | null): string {
  return organisationName ? t('exchange.identityContacts.ownKeyOf', { name: organisationName }) : t('exchange.identityContacts.ownKey')
}

export function IdentityCard({
  identity,
  organisationName,
  loadError,
  onRenamed,
}: {
  identity: IdentityView | null
  organisationName: string | null
  loadError: string | null
  onRenamed: (identity: IdentityView) => void
}) {
  const api = useApi()
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState('')
  const [organisation, setOrganisation] = useState('')

  const save = async () => {
    setError(null)
    try {
      onRenamed(await api['exchange:renameIdentity']({ name, organisation }))
      setEditing(false)
    } catch (err) {
      setError(describeError(err))
    }
  }
  const saveFile = async () => {
    setError(null)
    try {
      const { saved } = await api['exchange:exportIdentityFile']({})
      setNotice(saved ? t('exchange.identityContacts.publicKeyFileSaved') : null)
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <section className="card exchange-card" aria-labelledby="my-identity">
      <h2 id="my-identity">{ownKeyTitle(organisationName)}</h2>
      <ErrorMessage message={error ?? loadError} />
      {identity && !editing && (
        <>
          <p className="hint">{t('exchange.identityContacts.ownKeyExplained')}</p>
          <p className="fingerprint-label">{t('exchange.identityContacts.fingerprintReadItAloud')}</p>
          <Fingerprint value={identity.fingerprint} label={t('exchange.identityContacts.yourFingerprint')} />
          <p>
            {t('exchange.identityContacts.partnersSeeYouAs')}{' '}
            <strong>{identity.organisation ? `${identity.name} — ${identity.organisation}` : identity.name}</strong>{' '}
            <button
              type="button"
              className="link"
              onClick={() => (setName(identity.name), setOrganisation(identity.organisation), setEditing(true))}
            >
              {t('exchange.identityContacts.rename')}
            </button>
          </p>
          <div className="actions">
            <button type="button" onClick={() => void saveFile()}>
              {t('exchange.identityContacts.savePublicKeyFile')}
            </button>
          </div>
          {notice && <p className="notice">{notice}</p>}
          <details className="technical-details">
            <summary>{t('exchange.identityContacts.technicalDetails')}</summary>
            <p className="hint">
              {t('exchange.identityContacts.encryptionKey')} <code className="recipient">{identity.recipient}</code>
            </p>
            <p className="hint">
              {t('exchange.identityContacts.encryptionKeyFingerprint')} <code>{identity.recipientFingerprint}</code>
            </p>
          </details>
        </>
      )}
      {editing && (
        <form
          className="field-stack"
          onSubmit={(e) => {
            e.preventDefault()
            void save()
          }}
        >
          <label>
            {t('exchange.identityContacts.name')} <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </label>
          <label>
            {t('exchange.identityContacts.organisation')}{' '}
            <input value={organisation} onChange={(e) => setOrganisation(e.target.value)} maxLength={200} />
          </label>
          <div className="actions">
            <button type="submit">{t('exchange.identityContacts.save')}</button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('exchange.identityContacts.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}

/**
 * Both fingerprints side by side, to read out over the phone; the contact is marked verified only on "they match".
 * Cancel (or Escape) changes nothing; the Dialog puts focus back on the button that opened it.
 */
export function VerifyContactDialog({
  contact,
  ownFingerprint,
  organisationName,
  onConfirm,
  onCancel,
}: {
  contact: ContactView
  ownFingerprint: string
  organisationName: string | null
  onConfirm: () => void
  onCancel: () => void
}) {
  const partner = contact.name
  return (
    <Dialog
      wide
      title={t('exchange.identityContacts.compareFingerprintsWith', { partner })}
      onCancel={onCancel}
      actions={
        <>
          <Button data-autofocus onClick={onCancel}>
            {t('exchange.identityContacts.cancel')}
          </Button>
          <Button variant="primary" onClick={onConfirm}>
            {t('exchange.identityContacts.theyMatchMarkVerified')}
          </Button>
        </>
      }
    >
      <p>{t('exchange.identityContacts.compareByPhoneHow', { partner })}</p>
      <div className="fingerprint-pair">
        <div data-testid="own-fingerprint">
          <h3>
            {organisationName
              ? t('exchange.identityContacts.fingerprintOf', { name: organisationName })
              : t('exchange.identityContacts.yourFingerprint')}
          </h3>
          <p className="hint">{t('exchange.identityContacts.youReadThisOut')}</p>
          <Fingerprint value={ownFingerprint} label={t('exchange.identityContacts.yourFingerprint')} />
        </div>
        <div data-testid="partner-fingerprint">
          <h3>{t('exchange.identityContacts.fingerprintOf', { name: partner })}</h3>
          <p className="hint">{t('exchange.identityContacts.theyReadThisOut', { partner })}</p>
          <Fingerprint value={contact.fingerprint} label={t('exchange.identityContacts.fingerprintOf', { name: partner })} />
        </div>
      </div>
      <p>
        <strong>{t('exchange.identityContacts.doTheFingerprintsMatch', { partner })}</strong>
      </p>
    </Dialog>
  )
}

export function ContactsCard({
  identity,
  organisationName,
  onChanged,
}: {
  identity: IdentityView | null
  organisationName: string | null
  onChanged?: (contacts: ContactView[]) => void
}) {
  const api = useApi()
  const [contacts, setContacts] = useState<ContactView[]>([])
  const [removing, setRemoving] = useState<ContactView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [text, setText] = useState('')
  const [adding, setAdding] = useState(false)
  const [verifying, setVerifying] = useState<ContactView | null>(null)

  const refresh = useCallback(async () => {
    try {
      const { contacts: list } = await api['contacts:list']({})
      setContacts(list)
      onChanged?.(list)
    } catch (err) {
      setError(describeError(err))
    }
  }, [api, onChanged])
  useEffect(() => {
    void refresh()
  }, [refresh])

  const run = async (work: () => Promise<unknown>) => {
    setError(null)
    try {
      await work()
      await refresh()
    } catch (err) {
      setError(describeError(err))
    }
  }

  const openFile = () =>
    run(async () => {
      const { text: opened } = await api['contacts:openIdentityFile']({})
      if (opened !== null) {
        setText(opened)
        setAdding(true)
      }
    })

  return (
    <section className="card exchange-card" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">{t('exchange.identityContacts.partnersKeys')}</h2>
      <ErrorMessage message={error} />
      {contacts.length === 0 && <p className="hint">{t('exchange.identityContacts.noPartnersYet')}</p>}
      <ul className="contact-list">
        {contacts.map((c) => (
          <li key={c.id} data-testid="contact">
            <div>
              <strong>{c.name}</strong> {c.organisation && <span className="hint">{c.organisation}</span>}{' '}
              <span className={`badge ${c.verified ? 'verified' : 'unverified'}`}>
                {c.verified ? t('exchange.identityContacts.verified') : t('exchange.identityContacts.notVerified')}
              </span>
            </div>
            <Fingerprint value={c.fingerprint} label={t('exchange.identityContacts.fingerprintOf', { name: c.name })} />
            <div className="actions">
              {c.verified ? (
                <button type="button" onClick={() => void run(() => api['contacts:setVerified']({ id: c.id, verified: false }))}>
                  {t('exchange.identityContacts.markNotVerified')}
                </button>
              ) : (
                <button type="button" disabled={!identity} onClick={() => setVerifying(c)}>
                  {t('exchange.identityContacts.compareFingerprints')}
                </button>
              )}
              <button type="button" onClick={() => setRemoving(c)}>
                {t('exchange.identityContacts.remove')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {removing && (
        <ConfirmDialog
          title={t('exchange.identityContacts.removeTitle', { name: removing.name })}
          confirmLabel={t('exchange.identityContacts.removeConfirm')}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const id = removing.id
            setRemoving(null)
            void run(() => api['contacts:remove']({ id }))
          }}
        >
          <p>{t('exchange.identityContacts.removeExplained', { name: removing.name })}</p>
        </ConfirmDialog>
      )}
      {verifying && identity && (
        <VerifyContactDialog
          contact={verifying}
          ownFingerprint={identity.fingerprint}
          organisationName={organisationName}
          onCancel={() => setVerifying(null)}
          onConfirm={() => {
            setVerifying(null)
            void run(() => api['contacts:setVerified']({ id: verifying.id, verified: true }))
          }}
        />
      )}
      {!adding ? (
        <div className="actions">
          <button type="button" onClick={() => setAdding(true)}>
            {t('exchange.identityContacts.pastePartnersKey')}
          </button>
          <button type="button" onClick={() => void openFile()}>
            {t('exchange.identityContacts.openPartnersKeyFile')}
          </button>
        </div>
      ) : (
        <form
          className="field-stack"
          onSubmit={(e) => {
            e.preventDefault()
            void run(async () => {
              await api['contacts:add']({ text, verified: false })
              setText('')
              setAdding(false)
            })
          }}
        >
          <label>
            {t('exchange.identityContacts.partnersKeyText')}
            <textarea
              rows={7}
              value={text}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
              placeholder={t('exchange.identityContacts.custodiaIdentity1')}
            />
          </label>
          <p className="hint">{t('exchange.identityContacts.addedAsNotVerified')}</p>
          <div className="actions">
            <button type="submit" disabled={text.trim() === ''}>
              {t('exchange.identityContacts.addPartner')}
            </button>
            <button type="button" onClick={() => (setAdding(false), setText(''))}>
              {t('exchange.identityContacts.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
