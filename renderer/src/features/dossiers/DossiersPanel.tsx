// Renderer: the Dossiers section — switches between the filtered dossier list, one dossier's form, the lists view
// and the fields & vocabularies editor, and guards unsaved changes: leaving a form or the editor with edits asks
// first ("Discard" / "Keep editing").
import { useCallback, useEffect, useRef, useState } from 'react'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { DossierForm } from './DossierForm'
import { DossierList, EMPTY_FILTER, type ListFilterState } from './DossierList'
import { ListsView } from './ListsView'
import { SchemaEditor } from './SchemaEditor'
import { t } from '../../i18n/intl'

type View = { kind: 'list' } | { kind: 'lists' } | { kind: 'schema' } | { kind: 'form'; id: string | null; seq: number }

export function DossiersPanel({
  openId,
  openSchema,
}: {
  openId?: { id: string; seq: number } | null
  /** Changes (a new number) when another section asks for the fields & vocabularies editor. */
  openSchema?: number | null
}) {
  const [view, setView] = useState<View>({ kind: 'list' })
  const [filter, setFilter] = useState<ListFilterState>(EMPTY_FILTER)
  const [pending, setPending] = useState<View | null>(null)
  const dirty = useRef(false)
  const seq = useRef(0)

  const go = useCallback((next: View) => {
    if (dirty.current) setPending(next)
    else setView(next)
  }, [])
  const openForm = useCallback((id: string | null) => go({ kind: 'form', id, seq: ++seq.current }), [go])

  // Opened from elsewhere (the search palette): same guard as any other navigation.
  useEffect(() => {
    if (openId) openForm(openId.id)
  }, [openId, openForm])
  useEffect(() => {
    if (openSchema) go({ kind: 'schema' })
  }, [openSchema, go])

  const onDirtyChange = useCallback((d: boolean) => {
    dirty.current = d
  }, [])

  return (
    <div className="dossiers-area">
      <nav className="tabs" aria-label={t('dossiers.dossiersPanel.dossierViews')}>
        <button type="button" aria-pressed={view.kind === 'list' || view.kind === 'form'} onClick={() => go({ kind: 'list' })}>
          {t('dossiers.dossiersPanel.allDossiers')}
        </button>
        <button type="button" aria-pressed={view.kind === 'lists'} onClick={() => go({ kind: 'lists' })}>
          {t('dossiers.dossiersPanel.lists')}
        </button>
        <button type="button" aria-pressed={view.kind === 'schema'} onClick={() => go({ kind: 'schema' })}>
          {t('dossiers.dossiersPanel.fieldsAmpVocabularies')}
        </button>
      </nav>
      {view.kind === 'list' && (
        <DossierList filter={filter} onFilter={setFilter} onOpen={(id) => openForm(id)} onNew={() => openForm(null)} />
      )}
      {view.kind === 'lists' && <ListsView onOpen={(id) => openForm(id)} />}
      {view.kind === 'schema' && <SchemaEditor onDirtyChange={onDirtyChange} />}
      {view.kind === 'form' && (
        <DossierForm
          // A fresh form per dossier and per opening: nothing revealed in one survives into the next.
          key={`${view.id ?? 'new'}-${view.seq}`}
          id={view.id}
          onSaved={(id) => {
            dirty.current = false
            setView({ kind: 'form', id, seq: ++seq.current })
          }}
          onClose={() => go({ kind: 'list' })}
          onOpen={(id) => openForm(id)}
          onDirtyChange={onDirtyChange}
        />
      )}
      {pending && (
        <ConfirmDialog
          title={t('dossiers.dossiersPanel.discardUnsavedChanges')}
          confirmLabel={t('dossiers.dossiersPanel.discardChanges')}
          cancelLabel={t('dossiers.dossiersPanel.keepEditing')}
          danger
          onCancel={() => setPending(null)}
          onConfirm={() => {
            dirty.current = false
            setView(pending)
            setPending(null)
          }}
        >
          <p>
            {view.kind === 'schema'
              ? t('dossiers.dossiersPanel.theFieldsAndVocabularies')
              : t('dossiers.dossiersPanel.thisDossierHasChanges')}
          </p>
        </ConfirmDialog>
      )}
    </div>
  )
}
