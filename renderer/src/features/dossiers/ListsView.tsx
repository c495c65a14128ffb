// Renderer: named, ordered dossier lists — create, rename, delete, counts by status and category, add / remove /
// reorder members, and a consent-filtered print preview (HTML built in main) to print or export as PDF.
import DOMPurify from 'dompurify'
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react'
import type { DossierListItem, DossierListView } from '../../../../shared/ipc/channels/dossierChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { CountsBar } from './DossierList'
import { CATEGORY_LABELS } from '../../../../shared/dossiers/labels'
import { t } from '../../i18n/intl'
import { dossierStatusName } from '../../i18n/codeNames'

type Audience = 'internal' | 'partner' | 'public'

/** The body of the printable page, sanitised: main builds and escapes it, this is defence in depth. */
function sanitizePrintBody(bodyHtml: string): string {
  return DOMPurify.sanitize(bodyHtml, { FORBID_TAGS: ['style', 'script'], FORBID_ATTR: ['style'] })
}

export function ListsView({ onOpen }: { onOpen: (id: string) => void }) {
  const api = useApi()
  const [lists, setLists] = useState<DossierListView[] | null>(null)
  const [dossiers, setDossiers] = useState<DossierListItem[]>([])
  const [selectedId, setSelectedId] = useState<string | null>(null)
  const [newName, setNewName] = useState('')
  const [addId, setAddId] = useState('')
  const [audience, setAudience] = useState<Audience>('internal')
  const [partner, setPartner] = useState('')
  const [preview, setPreview] = useState<{ body: string; included: number; omitted: number; pdfAvailable: boolean } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)

  const refresh = useCallback(async () => {
    const [l, d] = await Promise.all([api['dossiers:listLists']({}), api['dossiers:list']({})])
    setLists(l.lists)
    setDossiers(d.dossiers)
  }, [api])

  useEffect(() => {
    refresh().catch((err: unknown) => setError(describeError(err)))
  }, [refresh])

  const selected = lists?.find((l) => l.id === selectedId) ?? null
  const byId = useMemo(() => new Map(dossiers.map((d) => [d.id, d])), [dossiers])

  const run = async (action: () => Promise<DossierListView | void>, done?: string) => {
    setError(null)
    setMessage(null)
    try {
      const view = await action()
      if (view) setLists((ls) => (ls ?? []).map((l) => (l.id === view.id ? view : l)))
      if (done) setMessage(done)
    } catch (err) {
      setError(describeError(err))
    }
  }

  const create = (e: FormEvent) => {
    e.preventDefault()
    if (!newName.trim()) return
    void run(async () => {
      const view = await api['dossiers:createList']({ name: newName.trim() })
      setLists((ls) => [...(ls ?? []), view].sort((a, b) => a.name.localeCompare(b.name)))
      setSelectedId(view.id)
      setNewName('')
    })
  }

  const move = (dossierId: string, toIndex: number) =>
    selected && void run(() => api['dossiers:moveInList']({ id: selected.id, expectedRevision: selected.revision, dossierId, toIndex }))

  const showPreview = () =>
    selected &&
    void run(async () => {
      const page = await api['dossiers:printList']({ id: selected.id, audience, ...(audience === 'partner' ? { partner } : {}) })
      setPreview({
        body: sanitizePrintBody(page.bodyHtml),
        included: page.included,
        omitted: page.omitted,
        pdfAvailable: page.pdfAvailable,
      })
    })

  const exportPdf = () =>
    selected &&
    void run(async () => {
      const result = await api['dossiers:exportListPdf']({ id: selected.id, audience, ...(audience === 'partner' ? { partner } : {}) })
      setMessage(
        result.saved
          ? t('dossiers.listsView.pdfSavedDossiers', {
              included: result.included,
              value: result.omitted ? t('dossiers.listsView.leftOutForConsent', { omitted: result.omitted }) : '',
            })
          : t('dossiers.listsView.pdfExportCancelled'),
      )
    })

  return (
    <section className="panel lists-view" aria-labelledby="lists-title">
      <h1 id="lists-title">{t('dossiers.listsView.dossierLists')}</h1>
      <ErrorMessage message={error} />
      {message && (
        <p className="notice" role="status" data-testid="message">
          {message}
        </p>
      )}
      <div className="lists-layout">
        <div className="lists-index">
          <form onSubmit={create} className="row">
            <label htmlFor="new-list-name" className="visually-hidden">
              {t('dossiers.listsView.newListName')}
            </label>
            <input
              id="new-list-name"
              placeholder={t('dossiers.listsView.newListName')}
              value={newName}
              onChange={(e) => setNewName(e.target.value)}
            />
            <button type="submit" disabled={!newName.trim()}>
              {t('dossiers.listsView.createList')}
            </button>
          </form>
          {lists === null ? (
            <p aria-busy="true">{t('dossiers.listsView.loading')}</p>
          ) : lists.length === 0 ? (
            <p className="hint">{t('dossiers.listsView.noListsYet')}</p>
          ) : (
            <ul className="list-names">
              {lists.map((l) => (
                <li key={l.id}>
                  <button
                    className={l.id === selectedId ? 'shelf current' : 'shelf'}
                    aria-current={l.id === selectedId ? 'true' : undefined}
                    onClick={() => {
                      setSelectedId(l.id)
                      setPreview(null)
                    }}
                  >
                    <span>{l.name}</span>
                    <span className="hint">{l.counts.total}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>

        {selected && (
          <div className="list-detail">
            <h2>{selected.name}</h2>
            {selected.description && <p className="hint">{selected.description}</p>}
            <CountsBar counts={selected.counts} />
            {selected.dossierIds.length === 0 ? (
              <p className="hint">{t('dossiers.listsView.thisListIsEmpty')}</p>
            ) : (
              <ol className="members" data-testid="list-members">
                {selected.dossierIds.map((id, index) => {
                  const d = byId.get(id)
                  const name = d ? d.name : t('dossiers.listsView.aDossier')
                  return (
                    <li key={id}>
                      <button className="link" onClick={() => onOpen(id)}>
                        {name}
                      </button>
                      {d && (
                        <span className="hint">
                          {' '}
                          · {dossierStatusName(d.status)} · {CATEGORY_LABELS[d.category]}
                        </span>
                      )}
                      <span className="member-tools">
                        <button
                          type="button"
                          disabled={index === 0}
                          onClick={() => move(id, index - 1)}
                          aria-label={t('dossiers.listsView.moveUp', { name })}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          disabled={index === selected.dossierIds.length - 1}
                          onClick={() => move(id, index + 1)}
                          aria-label={t('dossiers.listsView.moveDown', { name })}
                        >
                          ↓
                        </button>
                        <button
                          type="button"
                          onClick={() => void run(() => api['dossiers:removeFromList']({ id: selected.id, dossierId: id }))}
                          aria-label={t('dossiers.listsView.removeFromTheList', { name })}
                        >
                          {t('dossiers.listsView.remove')}
                        </button>
                      </span>
                    </li>
                  )
                })}
              </ol>
            )}
            <form
              className="row"
              onSubmit={(e) => {
                e.preventDefault()
                if (addId) void run(() => api['dossiers:addToList']({ id: selected.id, dossierIds: [addId] })).then(() => setAddId(''))
              }}
            >
              <label htmlFor="list-add" className="inline-label">
                {t('dossiers.listsView.addDossier')}
              </label>
              <select id="list-add" value={addId} onChange={(e) => setAddId(e.target.value)}>
                <option value="">{t('dossiers.listsView.choose')}</option>
                {dossiers
                  .filter((d) => !selected.dossierIds.includes(d.id))
                  .map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                      {d.transliteration ? ` (${d.transliteration})` : ''}
                    </option>
                  ))}
              </select>
              <button type="submit" disabled={!addId}>
                {t('dossiers.listsView.add')}
              </button>
            </form>

            <fieldset className="form-section">
              <h3>{t('dossiers.listsView.print')}</h3>
              <div className="row wrap">
                <div className="field">
                  <label htmlFor="print-audience">{t('dossiers.listsView.for')}</label>
                  <select id="print-audience" value={audience} onChange={(e) => setAudience(e.target.value as Audience)}>
                    <option value="internal">{t('dossiers.listsView.internalUse')}</option>
                    <option value="partner">{t('dossiers.listsView.aPartnerOrganisation')}</option>
                    <option value="public">{t('dossiers.listsView.thePublic')}</option>
                  </select>
                </div>
                {audience === 'partner' && (
                  <div className="field">
                    <label htmlFor="print-partner">{t('dossiers.listsView.partnerName')}</label>
                    <input id="print-partner" value={partner} onChange={(e) => setPartner(e.target.value)} />
                  </div>
                )}
              </div>
              <p className="hint">{t('dossiers.listsView.onlyDossiersWhoseConsent')}</p>
              <div className="row wrap">
                <button type="button" onClick={showPreview}>
                  {t('dossiers.listsView.printPreview')}
                </button>
                <button type="button" className="danger link-danger" onClick={() => setConfirmDelete(true)}>
                  {t('dossiers.listsView.deleteList')}
                </button>
              </div>
            </fieldset>
          </div>
        )}
      </div>

      {preview && (
        <div className="print-preview" role="region" aria-label={t('dossiers.listsView.printPreview')}>
          <div className="row wrap no-print">
            <strong>
              {t('dossiers.listsView.printPreviewDossier', {
                included: preview.included,
                value2: preview.omitted > 0 ? t('dossiers.listsView.leftOutForConsent', { omitted: preview.omitted }) : '',
              })}
            </strong>
            <button type="button" className="primary" onClick={() => window.print()}>
              {t('dossiers.listsView.print2')}
            </button>
            {preview.pdfAvailable && (
              <button type="button" onClick={exportPdf}>
                {t('dossiers.listsView.exportPdf')}
              </button>
            )}
            <button type="button" onClick={() => setPreview(null)}>
              {t('dossiers.listsView.closePreview')}
            </button>
          </div>
          <div className="print-sheet" data-testid="print-sheet" dangerouslySetInnerHTML={{ __html: preview.body }} />
        </div>
      )}

      {confirmDelete && selected && (
        <ConfirmDialog
          title={t('dossiers.listsView.deleteTheList', { name: selected.name })}
          confirmLabel={t('dossiers.listsView.deleteList2')}
          danger
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false)
            void run(async () => {
              await api['dossiers:deleteList']({ id: selected.id })
              setSelectedId(null)
              setPreview(null)
              await refresh()
            }, t('dossiers.listsView.listDeletedTheDossiers'))
          }}
        >
          <p>{t('dossiers.listsView.theDossiersInIt')}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
