// Renderer: import — choose a bundle (opened with our identity, a key file or a passphrase), see who signed it
// (verified / known / unknown) and whether it was imported here before, tick the items, import as new records or as
// new revisions, read the summary with the reason for every item left out.
import { useState } from 'react'
import type { BundlePreviewView } from '../../../../shared/ipc/channels/exchangeChannels'
import { formatPlainDate } from '../../../../shared/text/plainDate'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useAsync } from '../../hooks/useAsync'
import { BUNDLE_FILE_MESSAGES, type MessageContext } from '../../../../shared/messages/messages'

/** Opening a file that is not a bundle (or is damaged) is said as such, whatever the reader found wrong. */
const BUNDLE_MESSAGES: MessageContext = { codes: BUNDLE_FILE_MESSAGES }
import { Fingerprint } from './IdentityContacts'
import { SIGNER_LABELS } from './exchangeFormat'
import { t } from '../../i18n/intl'

type Opened = { token: string; fileName: string; preview: BundlePreviewView }
type KeyKind = 'own' | 'identityFile' | 'passphrase'

export function ImportFlow({ onClose }: { onClose: () => void }) {
  const api = useApi()
  const [keyKind, setKeyKind] = useState<KeyKind>('own')
  const [passphrase, setPassphrase] = useState('')
  const [opened, setOpened] = useState<Opened | null>(null)
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [asRevisions, setAsRevisions] = useState(false)
  const [trust, setTrust] = useState(false)
  const { busy, error, details, run } = useAsync(BUNDLE_MESSAGES)
  const [summary, setSummary] = useState<string | null>(null)
  const [leftOut, setLeftOut] = useState<string[]>([])

  const open = () => {
    setSummary(null)
    setLeftOut([])
    return run(async () => {
      const keys = keyKind === 'passphrase' ? { kind: 'passphrase' as const, passphrase } : { kind: keyKind }
      const result = await api['bundles:open']({ keys })
      if (result.opened) {
        setOpened(result)
        setChosen(new Set(result.preview.items.filter((i) => i.importable && !i.alreadyImported).map((i) => i.id)))
        setTrust(false)
      }
    })
  }
  const close = async () => {
    if (opened) await api['bundles:close']({ token: opened.token }).catch(() => undefined)
    setOpened(null)
    onClose()
  }
  const runImport = async () => {
    if (!opened) return
    await run(async () => {
      const r = await api['bundles:import']({ token: opened.token, ids: [...chosen], asRevisions, trustUnknownSigner: trust })
      setSummary(
        t('exchange.importFlow.importedNewRecords', {
          createdCount: r.created.length,
          revisedCount: r.revised.length,
          attachments: r.attachments,
        }) + (r.skipped.length > 0 ? t('exchange.importFlow.notImported', { skippedCount: r.skipped.length }) : '.'),
      )
      const titles = new Map(opened.preview.items.map((i) => [i.id, i.title || t('exchange.importFlow.untitled')]))
      setLeftOut([...r.keptInHistory.map((k) => k.notice), ...r.skipped.map((s) => `${titles.get(s.id) ?? s.id}: ${s.reason}.`)])
      setOpened(null)
    })
  }

  const signer = opened?.preview.signer
  const importedAt = opened?.preview.alreadyImportedAt ?? null
  const left = opened ? opened.preview.items.filter((i) => i.importable && !i.alreadyImported).length : 0
  return (
    <section className="card import-flow" aria-labelledby="import-heading">
      <h2 id="import-heading">{t('exchange.importFlow.importABundle')}</h2>
      <ErrorMessage message={error} details={details} />
      {summary && (
        <p className="notice" role="status" data-testid="import-result">
          {summary}
        </p>
      )}
      {leftOut.length > 0 && (
        <ul className="notice" data-testid="import-left-out">
          {leftOut.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
      )}
      {!opened && (
        <div className="wizard-body">
          <fieldset>
            <legend>{t('exchange.importFlow.openWith')}</legend>
            <label className="check">
              <input type="radio" name="keys" checked={keyKind === 'own'} onChange={() => setKeyKind('own')} />{' '}
              {t('exchange.importFlow.thisVaultSIdentity')}
            </label>
            <label className="check">
              <input type="radio" name="keys" checked={keyKind === 'identityFile'} onChange={() => setKeyKind('identityFile')} />{' '}
              {t('exchange.importFlow.anAgeIdentityFile')}
            </label>
            <label className="check">
              <input type="radio" name="keys" checked={keyKind === 'passphrase'} onChange={() => setKeyKind('passphrase')} />{' '}
              {t('exchange.importFlow.aPassphrase')}
            </label>
            {keyKind === 'passphrase' && (
              <input
                type="password"
                aria-label={t('exchange.importFlow.bundlePassphrase')}
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
              />
            )}
          </fieldset>
          <div className="actions">
            <button type="button" onClick={() => void close()}>
              {t('exchange.importFlow.close')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy || (keyKind === 'passphrase' && passphrase === '')}
              onClick={() => void open()}
            >
              {busy ? t('exchange.importFlow.openingAndVerifying') : t('exchange.importFlow.chooseBundle')}
            </button>
          </div>
        </div>
      )}
      {opened && signer && (
        <div className="wizard-body">
          <p>
            <strong>{opened.fileName}</strong>{' '}
            <span className="hint">{t('exchange.importFlow.signedEveryFileS', { createdAt: opened.preview.createdAt.slice(0, 10) })}</span>
          </p>
          <div className={`signer signer-${signer.status}`} data-testid="signer-status">
            <strong>{SIGNER_LABELS[signer.status]}</strong>: {signer.contactName ?? signer.name}
            <Fingerprint value={signer.fingerprint} label={t('exchange.importFlow.signerFingerprint')} />
            {signer.status === 'unknown' && (
              <label className="check">
                <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} />{' '}
                {t('exchange.importFlow.iComparedThisFingerprint')}
              </label>
            )}
            {signer.status === 'known' && <p className="hint">{t('exchange.importFlow.compareTheFingerprintWith')}</p>}
          </div>
          {importedAt !== null && (
            <p className="notice" role="status" data-testid="already-imported">
              {left === 0
                ? t('exchange.importFlow.thisBundleWasAlready', { plainDate: formatPlainDate(importedAt) })
                : t('exchange.importFlow.someItemsOfThis', { plainDate: formatPlainDate(importedAt) })}
            </p>
          )}
          <table className="preview-items">
            <thead>
              <tr>
                <th scope="col">{t('exchange.importFlow.import')}</th>
                <th scope="col">{t('exchange.importFlow.title')}</th>
                <th scope="col">{t('exchange.importFlow.kind')}</th>
                <th scope="col">{t('exchange.importFlow.consent')}</th>
                <th scope="col">{t('exchange.importFlow.attachments')}</th>
                <th scope="col">{t('exchange.importFlow.hereAlready')}</th>
              </tr>
            </thead>
            <tbody>
              {opened.preview.items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('exchange.importFlow.import2', { value: i.title || i.id })}
                      disabled={!i.importable || i.alreadyImported}
                      checked={chosen.has(i.id)}
                      onChange={() => {
                        const next = new Set(chosen)
                        if (next.has(i.id)) next.delete(i.id)
                        else next.add(i.id)
                        setChosen(next)
                      }}
                    />
                  </td>
                  <td>{i.title || t('exchange.importFlow.untitled')}</td>
                  <td>{i.kind}</td>
                  <td>{i.consent}</td>
                  <td>{i.attachments}</td>
                  <td>
                    {i.alreadyImported
                      ? t('exchange.importFlow.yesImportedFromThis')
                      : i.held
                        ? t('exchange.importFlow.yes')
                        : t('exchange.importFlow.no')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <fieldset>
            <legend>{t('exchange.importFlow.recordsWeAlreadyHold')}</legend>
            <label className="check">
              <input type="radio" name="mode" checked={!asRevisions} onChange={() => setAsRevisions(false)} />{' '}
              {t('exchange.importFlow.importAsNewRecords')}
            </label>
            <label className="check">
              <input type="radio" name="mode" checked={asRevisions} onChange={() => setAsRevisions(true)} />{' '}
              {t('exchange.importFlow.importAsNewRevisions')}
            </label>
          </fieldset>
          <div className="actions">
            <button type="button" onClick={() => void close()}>
              {t('exchange.importFlow.cancel')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={busy || left === 0 || chosen.size === 0 || (signer.status === 'unknown' && !trust)}
              onClick={() => void runImport()}
            >
              {t('exchange.importFlow.importItems', { chosenCount: chosen.size })}
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
