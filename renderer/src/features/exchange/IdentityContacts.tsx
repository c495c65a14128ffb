// Renderer: the vault's own exchange identity (fingerprint in groups, save/copy the public identity file) and the
// contacts book (add from a pasted or opened identity file, mark verified after comparing fingerprints by phone).
import { useCallback, useEffect, useState } from 'react'
import type { ContactView, IdentityView } from '../../../../shared/ipc/channels/exchangeChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
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

export function IdentityCard() {
  const api = useApi()
  const [identity, setIdentity] = useState<IdentityView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [editing, setEditing] = useState(false)
  const [name, setName] = useState('')
  const [organisation, setOrganisation] = useState('')

  useEffect(() => {
    api['exchange:getIdentity']({}).then(setIdentity, (err) => setError(describeError(err)))
  }, [api])

  const save = async () => {
    setError(null)
    try {
      setIdentity(await api['exchange:renameIdentity']({ name, organisation }))
      setEditing(false)
    } catch (err) {
      setError(describeError(err))
    }
  }
  const saveFile = async () => {
    setError(null)
    try {
      const { saved } = await api['exchange:exportIdentityFile']({})
      setNotice(saved ? t('exchange.identityContacts.publicIdentityFileSaved') : null)
    } catch (err) {
      setError(describeError(err))
    }
  }

  return (
    <section className="card exchange-card" aria-labelledby="my-identity">
      <h2 id="my-identity">{t('exchange.identityContacts.myIdentity')}</h2>
      <ErrorMessage message={error} />
      {identity && !editing && (
        <>
          <p>
            <strong>{identity.name}</strong>
            {identity.organisation && <> — {identity.organisation}</>}{' '}
            <button
              type="button"
              className="link"
              onClick={() => (setName(identity.name), setOrganisation(identity.organisation), setEditing(true))}
            >
              {t('exchange.identityContacts.rename')}
            </button>
          </p>
          <p className="hint">{t('exchange.identityContacts.signingFingerprintReadIt')}</p>
          <Fingerprint value={identity.fingerprint} label={t('exchange.identityContacts.mySigningFingerprint')} />
          <p className="hint">
            {t('exchange.identityContacts.ageRecipient')} <code className="recipient">{identity.recipient}</code>
          </p>
          <div className="actions">
            <button type="button" onClick={() => void saveFile()}>
              {t('exchange.identityContacts.savePublicIdentityFile')}
            </button>
          </div>
          {notice && <p className="notice">{notice}</p>}
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

export function ContactsCard({ onChanged }: { onChanged?: (contacts: ContactView[]) => void }) {
  const api = useApi()
  const [contacts, setContacts] = useState<ContactView[]>([])
  const [error, setError] = useState<string | null>(null)
  const [text, setText] = useState('')
  const [adding, setAdding] = useState(false)

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
      <h2 id="contacts-heading">{t('exchange.identityContacts.contacts')}</h2>
      <ErrorMessage message={error} />
      {contacts.length === 0 && <p className="hint">{t('exchange.identityContacts.noContactsYetAdd')}</p>}
      <ul className="contact-list">
        {contacts.map((c) => (
          <li key={c.id} data-testid="contact">
            <div>
              <strong>{c.name}</strong> {c.organisation && <span className="hint">{c.organisation}</span>}{' '}
              <span className={`badge ${c.verified ? 'verified' : 'unverified'}`}>
                {c.verified ? t('exchange.identityContacts.verified') : t('exchange.identityContacts.notVerified')}
              </span>
            </div>
            <Fingerprint value={c.fingerprint} label={t('exchange.identityContacts.signingFingerprintOf', { name: c.name })} />
            <div className="actions">
              <button type="button" onClick={() => void run(() => api['contacts:setVerified']({ id: c.id, verified: !c.verified }))}>
                {c.verified
                  ? t('exchange.identityContacts.markNotVerified')
                  : t('exchange.identityContacts.markVerifiedFingerprintCompared')}
              </button>
              <button type="button" onClick={() => void run(() => api['contacts:remove']({ id: c.id }))}>
                {t('exchange.identityContacts.remove')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {!adding ? (
        <div className="actions">
          <button type="button" onClick={() => setAdding(true)}>
            {t('exchange.identityContacts.pasteIdentity')}
          </button>
          <button type="button" onClick={() => void openFile()}>
            {t('exchange.identityContacts.openIdentityFile')}
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
            {t('exchange.identityContacts.identityFileText')}
            <textarea
              rows={7}
              value={text}
              onChange={(e) => setText(e.target.value)}
              spellCheck={false}
              placeholder={t('exchange.identityContacts.custodiaIdentity1')}
            />
          </label>
          <p className="hint">{t('exchange.identityContacts.theContactIsAdded')}</p>
          <div className="actions">
            <button type="submit" disabled={text.trim() === ''}>
              {t('exchange.identityContacts.addContact')}
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
