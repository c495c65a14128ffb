// Renderer: the activity log people can read (Security → Activity) — when, who by name, what in words, which record
// (its title where the reader's role may see it), filtered by member, action, record and dates; "Verify" checks the
// chain and says the result in words; the listed entries export as a signed JSON report or a PDF. Core does the
// reading, the wording of actions and of the check (shared/activity), and the signing.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { describeVerification } from '../../../../shared/activity/activityLabels'
import type { ActivityFilterRequest } from '../../../../shared/ipc/channels/auditChannels'
import type { ChannelResponse } from '../../../../shared/ipc/contract'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { EmptyState } from '../../components/EmptyState'
import { ErrorMessage } from '../../components/ErrorMessage'
import { Select } from '../../components/Select'
import { useToast } from '../../components/Toast'
import { useAsync } from '../../hooks/useAsync'
import { t } from '../../i18n/intl'

type Listing = ChannelResponse<'audit:list'>

function formatWhen(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ')
}

/** Only the filters that are set, so the request stays minimal and the report names only those. */
function cleanFilter(draft: ActivityFilterRequest): ActivityFilterRequest {
  return Object.fromEntries(Object.entries(draft).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as ActivityFilterRequest
}

export function ActivityPanel() {
  const api = useApi()
  const toast = useToast()
  const [draft, setDraft] = useState<ActivityFilterRequest>({})
  const [applied, setApplied] = useState<ActivityFilterRequest>({})
  const [listing, setListing] = useState<Listing | null>(null)
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null)
  const load = useAsync<void>()
  const action = useAsync<void>()

  const reload = useCallback(
    (filter: ActivityFilterRequest) =>
      load.run(async () => {
        setListing(await api['audit:list'](filter))
        setApplied(filter)
      }),
    // run is stable; api is one per window.
    [api], // eslint-disable-line react-hooks/exhaustive-deps
  )

  useEffect(() => {
    void reload({})
  }, [reload])

  const apply = (e: FormEvent) => {
    e.preventDefault()
    void reload(cleanFilter(draft))
  }

  const clear = () => {
    setDraft({})
    void reload({})
  }

  const verify = () =>
    void action.run(async () => {
      const result = await api['audit:verify']({})
      setVerdict({ ok: result.ok, text: describeVerification(result) })
    })

  const exportReport = (format: 'json' | 'pdf') =>
    void action.run(async () => {
      const result = await api['audit:exportReport']({ filter: applied, format })
      if (!result.saved) return
      toast(
        format === 'json'
          ? t('home.activityPanel.signedReportSavedIts', { fingerprint: result.fingerprint })
          : t('home.activityPanel.activityReportSavedAs'),
      )
      await reload(applied)
    })

  const set = (key: keyof ActivityFilterRequest) => (value: string) => setDraft((d) => ({ ...d, [key]: value }))
  const filtered = Object.keys(applied).length > 0

  return (
    <section className="activity-panel" aria-labelledby="activity-title">
      <div className="activity-head">
        <h2 id="activity-title">{t('home.activityPanel.activity')}</h2>
        <div className="activity-actions">
          <Button onClick={verify} disabled={action.busy}>
            {t('home.activityPanel.verify')}
          </Button>
          <Button onClick={() => exportReport('pdf')} disabled={action.busy || load.busy || !listing}>
            {t('home.activityPanel.exportPdf')}
          </Button>
          <Button onClick={() => exportReport('json')} disabled={action.busy || load.busy || !listing}>
            {t('home.activityPanel.exportSignedJson')}
          </Button>
        </div>
      </div>
      <p className="hint">{t('home.activityPanel.everythingDoneInThis')}</p>
      {verdict && (
        <p className={`verdict ${verdict.ok ? 'ok' : 'broken'}`} role="status" data-testid="activity-verdict">
          {verdict.text}
        </p>
      )}
      {listing && !listing.verification.ok && !verdict && (
        <p className="verdict broken" role="alert">
          {describeVerification(listing.verification)}
        </p>
      )}
      <ErrorMessage message={action.error} details={action.details} />

      <form className="filters activity-filters" onSubmit={apply} aria-label={t('home.activityPanel.filterTheActivity')}>
        <label>
          {t('home.activityPanel.member')}
          <Select
            aria-label={t('home.activityPanel.filterByMember')}
            value={draft.memberId ?? ''}
            onChange={set('memberId')}
            placeholder={t('home.activityPanel.everyone')}
            options={(listing?.members ?? []).map((m) => ({ value: m.id, label: m.name }))}
          />
        </label>
        <label>
          {t('home.activityPanel.action')}
          <Select
            aria-label={t('home.activityPanel.filterByAction')}
            value={draft.action ?? ''}
            onChange={set('action')}
            placeholder={t('home.activityPanel.anyAction')}
            options={(listing?.actions ?? []).map((a) => ({ value: a.action, label: a.label }))}
          />
        </label>
        <label>
          {t('home.activityPanel.record')}
          <input
            aria-label={t('home.activityPanel.filterByRecordTitle')}
            value={draft.record ?? ''}
            placeholder={t('home.activityPanel.title')}
            maxLength={200}
            onChange={(e) => set('record')(e.target.value)}
          />
        </label>
        <label>
          {t('home.activityPanel.from')}
          <input
            type="date"
            aria-label={t('home.activityPanel.fromDate')}
            value={draft.since ?? ''}
            onChange={(e) => set('since')(e.target.value)}
          />
        </label>
        <label>
          {t('home.activityPanel.until')}
          <input
            type="date"
            aria-label={t('home.activityPanel.untilDate')}
            value={draft.until ?? ''}
            onChange={(e) => set('until')(e.target.value)}
          />
        </label>
        <div className="filter-buttons">
          <Button type="submit" variant="primary" size="sm" disabled={load.busy}>
            {t('home.activityPanel.show')}
          </Button>
          <Button size="sm" onClick={clear} disabled={load.busy || (!filtered && Object.keys(draft).length === 0)}>
            {t('home.activityPanel.clear')}
          </Button>
        </div>
      </form>
      <ErrorMessage message={load.error} details={load.details} />

      {listing && listing.entries.length === 0 ? (
        <EmptyState title={filtered ? t('home.activityPanel.nothingMatchesTheseFilters') : t('home.activityPanel.noActivityYet')}>
          {filtered ? t('home.activityPanel.chooseAnotherMemberAction') : t('home.activityPanel.whatMembersDoIn')}
        </EmptyState>
      ) : null}
      {listing && listing.entries.length > 0 ? (
        <>
          <p className="hint" data-testid="activity-count">
            {listing.matched > listing.entries.length
              ? t('home.activityPanel.showingTheNewestOf', { entriesCount: listing.entries.length, matched: listing.matched })
              : t('home.activityPanel.entryCount', { count: listing.matched })}
          </p>
          <table className="data-table activity-table" aria-label={t('home.activityPanel.activity')}>
            <thead>
              <tr>
                <th scope="col">{t('home.activityPanel.whenUtc')}</th>
                <th scope="col">{t('home.activityPanel.who')}</th>
                <th scope="col">{t('home.activityPanel.what')}</th>
                <th scope="col">{t('home.activityPanel.record')}</th>
              </tr>
            </thead>
            <tbody>
              {listing.entries.map((e) => (
                <tr key={e.seq} data-testid="activity-row">
                  <td className="when">{formatWhen(e.at)}</td>
                  <td>{e.memberName ?? <span className="muted">{t('home.activityPanel.beforeMembers')}</span>}</td>
                  <td>
                    {e.actionLabel}
                    {e.origin ? (
                      <div className="muted" data-testid="activity-origin">
                        {t('home.activityPanel.doneThereAt', { when: formatWhen(e.origin.at) })}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {e.recordKind ? (
                      <>
                        <span className="muted">{e.recordKind}</span>
                        {e.recordTitle ? <> · {e.recordTitle}</> : null}
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}
