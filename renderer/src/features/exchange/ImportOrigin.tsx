// Renderer: where an imported document or dossier came from — one line under its title, "Imported from Viasna on
// 4 Dec 2026 (bundle 3f9a1c2e)", that opens the import details (partner, fingerprint, bundle, when, the sender's
// revision; every import of the record, newest first). Shows nothing for a record made here.
import { useEffect, useState } from 'react'
import type { RecordOriginView } from '../../../../shared/ipc/channels/exchangeChannels'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { Dialog } from '../../components/Dialog'
import { formatDate, formatDateTime } from '../../i18n/format'
import { t } from '../../i18n/intl'

/** The first 8 characters of a bundle id: enough to tell bundles apart at a glance; the dialog shows it whole. */
const shortBundleId = (bundleId: string) => bundleId.slice(0, 8)

/**
 * The partner's name; for a signer not among the contacts, the name the bundle gave its sender (unverified, so said
 * to be no partner of ours) with the start of the key's fingerprint, or the fingerprint alone for an import recorded
 * before the ledger kept the name.
 */
function describePartner(origin: RecordOriginView): string {
  if (origin.partner) return origin.partner.name
  const fingerprint = origin.signer.slice(0, 9)
  if (origin.senderName) return t('exchange.importOrigin.namedSenderNotAPartner', { name: origin.senderName, fingerprint })
  return t('exchange.importOrigin.unknownPartner', { fingerprint })
}

export function ImportOrigin({ recordId }: { recordId: string }) {
  const api = useApi()
  const [origins, setOrigins] = useState<readonly RecordOriginView[]>([])
  const [detailsOpen, setDetailsOpen] = useState(false)

  useEffect(() => {
    let live = true
    setOrigins([])
    // The line is extra information about the record: if it cannot be read, the record is still shown without it.
    api['bundles:listOrigins']({ recordId }).then(
      (found) => live && setOrigins(found.origins),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [api, recordId])

  const latest = origins[0]
  if (!latest) return null
  // One element around the line and its dialog, so a layout that styles its children (the editor's measure) sees one.
  return (
    <div className="import-origin">
      <p className="hint" data-testid="import-origin">
        <button type="button" className="link" onClick={() => setDetailsOpen(true)} aria-haspopup="dialog">
          {t('exchange.importOrigin.importedFrom', {
            partner: describePartner(latest),
            date: formatDate(latest.importedAt),
            bundle: shortBundleId(latest.bundleId),
          })}
        </button>
        {origins.length > 1 && <> {t('exchange.importOrigin.andEarlierImports', { count: origins.length - 1 })}</>}
      </p>
      {detailsOpen && (
        <Dialog
          title={t('exchange.importOrigin.importDetails')}
          onCancel={() => setDetailsOpen(false)}
          actions={<Button onClick={() => setDetailsOpen(false)}>{t('exchange.importOrigin.close')}</Button>}
        >
          {origins.map((origin) => (
            <dl key={`${origin.bundleId}-${origin.importedAt}`} className="import-details" data-testid="import-details">
              <dt>{t('exchange.importOrigin.partner')}</dt>
              <dd>
                {describePartner(origin)}
                {origin.partner?.organisation ? ` · ${origin.partner.organisation}` : ''}
                {origin.partner &&
                  ` · ${origin.partner.verified ? t('exchange.importOrigin.verified') : t('exchange.importOrigin.notVerified')}`}
              </dd>
              <dt>{t('exchange.importOrigin.fingerprint')}</dt>
              <dd className="mono">{origin.signer}</dd>
              <dt>{t('exchange.importOrigin.bundle')}</dt>
              <dd className="mono">{origin.bundleId}</dd>
              <dt>{t('exchange.importOrigin.imported')}</dt>
              <dd>
                {t('exchange.importOrigin.importedWhen', {
                  dateTime: formatDateTime(origin.importedAt),
                  count: origin.itemsInImport,
                })}
              </dd>
              <dt>{t('exchange.importOrigin.sendersVersion')}</dt>
              <dd>{t('exchange.importOrigin.revision', { revision: origin.revision })}</dd>
            </dl>
          ))}
        </Dialog>
      )}
    </div>
  )
}
