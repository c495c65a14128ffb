// Renderer: the export wizard — 1 choose records (library, dossiers, a dossier list, search results), 2 recipients
// (contacts or a passphrase), 3 review (what consent excludes and why, redaction profile, readable copies), 4 export
// with a progress bar (bytes, speed, time left) and Cancel.
import { useEffect, useState } from 'react'
import type { BundleProgress, ContactView, ExportPlanView, ExportSourcesView } from '../../../../shared/ipc/channels/exchangeChannels'
import { checkBundlePassphrase, MIN_BUNDLE_PASSPHRASE_CHARS } from '../../../../shared/passphrasePolicy'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { createJobId, formatSeconds, PROFILE_LABELS } from './exchangeFormat'
import { ExportRecordPicker } from './ExportRecordPicker'
import { recordKindName } from '../../i18n/codeNames'
import { formatNameList, formatSize } from '../../i18n/format'
import { t } from '../../i18n/intl'

type Step = 'records' | 'recipients' | 'review' | 'export'
type Profile = keyof typeof PROFILE_LABELS
type Outcome = { kind: 'done'; text: string; bytes: number } | { kind: 'cancelled' } | null

const STEPS: { id: Step; label: string }[] = [
  { id: 'records', label: t('exchange.exportWizard.1Records') },
  { id: 'recipients', label: t('exchange.exportWizard.2Recipients') },
  { id: 'review', label: t('exchange.exportWizard.3ConsentRedaction') },
  { id: 'export', label: t('exchange.exportWizard.4Export') },
]

/**
 * What the review checked consent against, as planExport checks it: with no partner named, public consent only; with
 * partners, each one's consent for every dossier, since every recipient can read the whole bundle.
 */
function describeAudience(audience: ExportPlanView['audience']): string {
  if (audience.kind === 'public') return t('exchange.exportWizard.checkedForThePublic')
  return t('exchange.exportWizard.checkedForPartners', { names: formatNameList(audience.names), count: audience.names.length })
}

export function ExportWizard({ contacts, onClose }: { contacts: ContactView[]; onClose: () => void }) {
  const api = useApi()
  const [step, setStep] = useState<Step>('records')
  const [sources, setSources] = useState<ExportSourcesView | null>(null)
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const [contactIds, setContactIds] = useState<Set<string>>(new Set())
  const [usePassphrase, setUsePassphrase] = useState(false)
  const [passphrase, setPassphrase] = useState('')
  const [profile, setProfile] = useState<Profile>('standard')
  const [readable, setReadable] = useState(true)
  const [history, setHistory] = useState(false)
  const [plan, setPlan] = useState<ExportPlanView | null>(null)
  const [progress, setProgress] = useState<BundleProgress | null>(null)
  const [jobId, setJobId] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<Outcome>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    api['bundles:listSources']({}).then(setSources, (err) => setError(describeError(err)))
  }, [api])
  useEffect(() => {
    if (!jobId) return
    return api.on('bundles:progress', (p) => {
      if (p.jobId === jobId) setProgress(p)
    })
  }, [api, jobId])

  const toggle = (set: Set<string>, id: string, update: (s: Set<string>) => void) => {
    const next = new Set(set)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    update(next)
  }
  const request = () => ({
    selection: { recordIds: [...chosen] },
    contactIds: usePassphrase ? [] : [...contactIds],
    profile,
    readable,
    includeHistory: history,
  })

  const review = async (nextProfile = profile) => {
    setError(null)
    try {
      setPlan(await api['bundles:planExport']({ ...request(), profile: nextProfile, passphrase: usePassphrase }))
      setStep('review')
    } catch (err) {
      setError(describeError(err))
    }
  }
  const start = async () => {
    setError(null)
    setOutcome(null)
    setProgress(null)
    const id = createJobId()
    setJobId(id)
    setStep('export')
    try {
      const result = await api['bundles:export']({ jobId: id, ...request(), ...(usePassphrase ? { passphrase } : {}) })
      if (!result.saved) setStep('review')
      else {
        setOutcome({
          kind: 'done',
          text: t('exchange.exportWizard.savedItemsAttachment', {
            fileName: result.fileName,
            items: result.items,
            attachments: result.attachments,
            size: formatSize(result.bytes),
            excluded: result.excluded,
          }),
          bytes: result.bytes,
        })
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CANCELLED') setOutcome({ kind: 'cancelled' })
      else setError(describeError(err))
    } finally {
      setJobId(null)
    }
  }

  // The shared bundle passphrase policy (core refuses the same passphrases): Next stays off until it is met.
  const recipientsReady = usePassphrase ? checkBundlePassphrase(passphrase) === null : contactIds.size > 0
  const percent =
    outcome?.kind === 'done'
      ? 100
      : progress && progress.bytesTotal > 0
        ? Math.min(100, Math.round((progress.bytesDone / progress.bytesTotal) * 100))
        : 0
  // Time left is promised only while the export runs: once it is done, cancelled or failed, the line says what was
  // written or nothing at all.
  const progressText = (): string => {
    if (outcome?.kind === 'done') return t('exchange.exportWizard.written', { size: formatSize(outcome.bytes) })
    if (!jobId) return ''
    if (!progress) return t('exchange.exportWizard.preparing')
    return t('exchange.exportWizard.ofSLeft', {
      size: formatSize(progress.bytesDone),
      size2: formatSize(progress.bytesTotal),
      size3: formatSize(progress.bytesPerSecond),
      seconds: formatSeconds(progress.secondsLeft),
    })
  }

  return (
    <section className="card export-wizard" aria-labelledby="export-heading">
      <h2 id="export-heading">{t('exchange.exportWizard.exportABundle')}</h2>
      <ol className="wizard-steps">
        {STEPS.map((s) => (
          <li key={s.id} aria-current={s.id === step ? 'step' : undefined}>
            {s.label}
          </li>
        ))}
      </ol>
      <ErrorMessage message={error} />

      {step === 'records' && (
        <div className="wizard-body">
          {!sources && <p>{t('exchange.exportWizard.loading')}</p>}
          {sources && <ExportRecordPicker sources={sources} chosen={chosen} onChosenChange={setChosen} />}
          <div className="actions">
            <button type="button" onClick={onClose}>
              {t('exchange.exportWizard.close')}
            </button>
            <button type="button" className="primary" disabled={chosen.size === 0} onClick={() => setStep('recipients')}>
              {t('exchange.exportWizard.nextRecipientsChosen', { chosenCount: chosen.size })}
            </button>
          </div>
        </div>
      )}

      {step === 'recipients' && (
        <div className="wizard-body">
          <fieldset>
            <legend>{t('exchange.exportWizard.encryptTo')}</legend>
            <label className="check">
              <input type="radio" name="protection" checked={!usePassphrase} onChange={() => setUsePassphrase(false)} />{' '}
              {t('exchange.exportWizard.contactsTheirAgeKeys')}
            </label>
            <label className="check">
              <input type="radio" name="protection" checked={usePassphrase} onChange={() => setUsePassphrase(true)} />{' '}
              {t('exchange.exportWizard.aPassphraseSharedSeparately')}
            </label>
          </fieldset>
          {!usePassphrase && (
            <fieldset>
              <legend>{t('exchange.exportWizard.contacts')}</legend>
              {contacts.length === 0 && <p className="hint">{t('exchange.exportWizard.noContactsYetAdd')}</p>}
              {contacts.map((c) => (
                <label key={c.id} className="check">
                  <input type="checkbox" checked={contactIds.has(c.id)} onChange={() => toggle(contactIds, c.id, setContactIds)} /> {c.name}
                  {c.organisation && <span className="hint"> {c.organisation}</span>}{' '}
                  <span className={`badge ${c.verified ? 'verified' : 'unverified'}`}>
                    {c.verified ? t('exchange.exportWizard.verified') : t('exchange.exportWizard.notVerified')}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {usePassphrase && (
            <label>
              {t('exchange.exportWizard.passphraseAtLeastCharacters', { MIN_BUNDLE_PASSPHRASE_CHARS })}
              <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="new-password" />
              <span className="hint">{t('exchange.exportWizard.withAPassphraseNo')}</span>
            </label>
          )}
          <div className="actions">
            <button type="button" onClick={() => setStep('records')}>
              {t('exchange.exportWizard.back')}
            </button>
            <button type="button" className="primary" disabled={!recipientsReady} onClick={() => void review()}>
              {t('exchange.exportWizard.nextReviewConsent')}
            </button>
          </div>
        </div>
      )}

      {step === 'review' && plan && (
        <div className="wizard-body">
          <p data-testid="plan-audience">{describeAudience(plan.audience)}</p>
          <h3>{t('exchange.exportWizard.willBeExported', { itemsCount: plan.items.length })}</h3>
          <ul className="plan-list" data-testid="plan-items">
            {plan.items.map((i) => (
              <li key={i.id}>
                {i.title || t('exchange.exportWizard.untitled')} <span className="hint">{recordKindName(i.kind)}</span>
                {i.attachments > 0 && (
                  <span className="hint">
                    {' '}
                    {t('exchange.exportWizard.attachments', { attachments: i.attachments, size: formatSize(i.attachmentBytes) })}
                  </span>
                )}
              </li>
            ))}
          </ul>
          {plan.excluded.length > 0 && (
            <>
              <h3>{t('exchange.exportWizard.leftOutAndWhy', { excludedCount: plan.excluded.length })}</h3>
              <ul className="plan-list excluded" data-testid="plan-excluded">
                {plan.excluded.map((e) => (
                  <li key={e.id}>
                    <strong>{e.title || t('exchange.exportWizard.untitled')}</strong> — {e.explanation}
                  </li>
                ))}
              </ul>
            </>
          )}
          <fieldset>
            <legend>{t('exchange.exportWizard.redactionProfile')}</legend>
            {(Object.keys(PROFILE_LABELS) as Profile[]).map((p) => (
              <label key={p} className="check">
                <input
                  type="radio"
                  name="profile"
                  checked={profile === p}
                  onChange={() => {
                    setProfile(p)
                    void review(p)
                  }}
                />{' '}
                {PROFILE_LABELS[p]}
              </label>
            ))}
          </fieldset>
          <label className="check">
            <input type="checkbox" checked={readable} onChange={(e) => setReadable(e.target.checked)} />{' '}
            {t('exchange.exportWizard.includeReadableTextCopies')}
          </label>
          <label className="check">
            <input type="checkbox" checked={history} onChange={(e) => setHistory(e.target.checked)} />{' '}
            {t('exchange.exportWizard.includeEarlierRevisionsRedacted')}
          </label>
          <div className="actions">
            <button type="button" onClick={() => setStep('recipients')}>
              {t('exchange.exportWizard.back')}
            </button>
            <button type="button" className="primary" disabled={plan.items.length === 0} onClick={() => void start()}>
              {t('exchange.exportWizard.exportItems', { itemsCount: plan.items.length })}
            </button>
          </div>
        </div>
      )}

      {step === 'export' && (
        <div className="wizard-body">
          <div className="progress-block">
            <progress max={100} value={percent} aria-label={t('exchange.exportWizard.exportProgress')} />
            <p data-testid="export-progress">{progressText()}</p>
          </div>
          {outcome?.kind === 'done' && (
            <p className="notice" role="status" data-testid="export-result">
              {outcome.text}
            </p>
          )}
          {outcome?.kind === 'cancelled' && <p className="notice">{t('exchange.exportWizard.exportCancelledNoFile')}</p>}
          <div className="actions">
            {jobId && (
              <button type="button" onClick={() => void api['bundles:cancel']({ jobId })}>
                {t('exchange.exportWizard.cancel')}
              </button>
            )}
            {!jobId && (
              <button type="button" onClick={onClose}>
                {t('exchange.exportWizard.close')}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  )
}
