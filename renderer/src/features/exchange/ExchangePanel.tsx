// Renderer: the Exchange section — our public key, the partners' public keys, and the export wizard and import flow
// for bundles.
import { useState } from 'react'
import type { ContactView } from '../../../../shared/ipc/channels/exchangeChannels'
import { ExportWizard } from './ExportWizard'
import { ContactsCard, IdentityCard, useOwnIdentity } from './IdentityContacts'
import { ImportFlow } from './ImportFlow'
import { t } from '../../i18n/intl'

export function ExchangePanel() {
  const [mode, setMode] = useState<'home' | 'export' | 'import'>('home')
  const [contacts, setContacts] = useState<ContactView[]>([])
  const { identity, setIdentity, organisationName, error } = useOwnIdentity()
  return (
    <div className="exchange">
      <div className="actions exchange-actions">
        <button type="button" className="primary" onClick={() => setMode('export')} disabled={mode === 'export'}>
          {t('exchange.exchangePanel.exportBundle')}
        </button>
        <button type="button" onClick={() => setMode('import')} disabled={mode === 'import'}>
          {t('exchange.exchangePanel.importBundle')}
        </button>
      </div>
      {mode === 'export' && <ExportWizard contacts={contacts} onClose={() => setMode('home')} />}
      {mode === 'import' && <ImportFlow onClose={() => setMode('home')} />}
      <div className="exchange-grid">
        <IdentityCard identity={identity} organisationName={organisationName} loadError={error} onRenamed={setIdentity} />
        <ContactsCard identity={identity} organisationName={organisationName} onChanged={setContacts} />
      </div>
    </div>
  )
}
