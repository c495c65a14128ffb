// Renderer: the dossier editor — one form in clear sections (person, status history, detention, charges,
// vulnerability, sources, consent, family, files, timeline, custom fields; each in sections/). Explicit save (button,
// Enter, Ctrl+S) with a visible state; family contacts of a stored dossier are neither fetched nor shown until
// "Reveal family contacts". Long text fields of a saved dossier carry a small "Comments (n)" toggle that opens their
// annotations beside the form. The draft and its writes live in useDossierDraft.ts.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { deriveCurrentStatus } from '../../../../shared/dossiers/dossier'
import type { DossierSchemaConfig } from '../../../../shared/dossiers/dossierSchema'
import type { DossierListView, DuplicateMatchView } from '../../../../shared/ipc/channels/dossierChannels'
import type { AttachmentView } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ShredButton } from '../vault/ShredButton'
import { useSaveShortcut } from '../../hooks/useSaveShortcut'
import { useRefusal } from '../../hooks/useRole'
import { AttachmentsSection, PhotoSlot } from './DossierFiles'
import { useFieldComments } from './DossierComments'
import { DuplicateWarning, useDuplicateCheck } from './DuplicateWarning'
import { useDossierDraft } from './useDossierDraft'
import { ChargesSection, VulnerabilitySection } from './ChargesVulnerabilitySections'
import { ConsentSection, FamilySection } from './ConsentContactsSections'
import { CustomFieldsSection } from './CustomFieldsSection'
import { PersonSection } from './IdentitySection'
import { SourcesSection } from './SourcesSection'
import { DetentionSection, StatusSection } from './StatusDetentionSections'
import { TimelineSection } from './TimelineSection'
import { Section, type DocOption } from './dossierFormParts'
import { FieldErrorsContext, mapFieldErrors } from './fieldErrors'
import { focusFirstInvalid } from '../../components/Field'
import { t } from '../../i18n/intl'
import { ImportOrigin } from '../exchange/ImportOrigin'
import { dossierStatusName } from '../../i18n/codeNames'

interface Confirmation {
  title: string
  body: string
  label: string
  danger?: boolean
  run: () => Promise<void>
}

export function DossierForm({
  id,
  onSaved,
  onClose,
  onOpen,
  onDirtyChange,
}: {
  /** null: a new dossier. */
  id: string | null
  /** After the first save of a new dossier (the form is then reopened on the stored one). */
  onSaved: (id: string) => void
  onClose: () => void
  onOpen: (id: string) => void
  onDirtyChange: (dirty: boolean) => void
}) {
  const api = useApi()
  // A role that may open but not edit dossiers sees no Save or Delete, and why (the dispatcher refuses them anyway).
  const readOnly = useRefusal('dossiers.write')
  const dossier = useDossierDraft({ id, onSaved })
  const { draft, state, error, setError, notice, setNotice, update, save, fieldErrors, focusRequest } = dossier
  const fieldErrorMap = useMemo(() => mapFieldErrors(fieldErrors), [fieldErrors])
  const formRef = useRef<HTMLFormElement>(null)
  const duplicates = useDuplicateCheck(draft, id)
  const { comments, aside } = useFieldComments(id, dossier.saved, draft)
  const [schema, setSchema] = useState<DossierSchemaConfig | null>(null)
  const [documents, setDocuments] = useState<DocOption[]>([])
  const [lists, setLists] = useState<DossierListView[]>([])
  const [confirm, setConfirm] = useState<Confirmation | null>(null)
  const [attachments, setAttachments] = useState<AttachmentView[] | null>(null)
  const [attachmentsError, setAttachmentsError] = useState<string | null>(null)

  useEffect(() => {
    api['dossiers:getSchema']({})
      .then((r) => setSchema(r.schema))
      .catch(() => setSchema(null))
    api['dossiers:listLists']({})
      .then((r) => setLists(r.lists))
      .catch(() => setLists([]))
    if (id !== null) {
      api['dossiers:listAttachments']({ id })
        .then((r) => setAttachments(r.attachments))
        .catch((err: unknown) => setAttachmentsError(describeError(err)))
    }
    // The library may be empty or unavailable: linking documents is then simply not offered.
    api['library:list']({})
      .then((r) => setDocuments(r.documents.map((d) => ({ id: d.id, title: d.title || t('dossiers.dossierForm.untitled') }))))
      .catch(() => setDocuments([]))
  }, [api, id])

  useEffect(() => onDirtyChange(state === 'dirty'), [state, onDirtyChange])

  // After a refused save: the first field with a problem is scrolled into view and focused, so the way out is in sight.
  useEffect(() => {
    if (focusRequest > 0) focusFirstInvalid(formRef.current)
  }, [focusRequest])

  useSaveShortcut(save)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    void save()
  }

  const merge = (match: DuplicateMatchView) => {
    const label = match.transliteration ? `${match.name} (${match.transliteration})` : match.name
    setConfirm(
      id === null
        ? {
            title: t('dossiers.dossierForm.addThisInformationTo'),
            body: t('dossiers.dossierForm.whatYouEnteredIs', { label }),
            label: t('dossiers.dossierForm.saveAndMerge'),
            run: async () => {
              // Stored straight into the other dossier (not through save()), so the form does not reopen on a dossier
              // of its own first.
              if (!(await dossier.saveInto(match.id))) return
              onDirtyChange(false)
              onOpen(match.id)
            },
          }
        : {
            title: t('dossiers.dossierForm.mergeTheOtherDossier'),
            body: t('dossiers.dossierForm.theDossierOfIs', { label }),
            label: t('dossiers.dossierForm.merge'),
            run: () => dossier.mergeFrom(match.id),
          },
    )
  }

  const remove = () =>
    setConfirm({
      title: t('dossiers.dossierForm.deleteThisDossier'),
      body: t('dossiers.dossierForm.theDossierItsHistory'),
      label: t('dossiers.dossierForm.deleteDossier'),
      danger: true,
      run: async () => {
        await api['dossiers:delete']({ id: id! })
        onDirtyChange(false)
        onClose()
      },
    })

  const addToList = async (listId: string) => {
    if (!id || !listId) return
    try {
      const view = await api['dossiers:addToList']({ id: listId, dossierIds: [id] })
      setLists((ls) => ls.map((l) => (l.id === view.id ? view : l)))
      setNotice(t('dossiers.dossierForm.addedToTheList', { name: view.name }))
    } catch (err) {
      setError(describeError(err))
    }
  }

  if (!draft) {
    return (
      <section className="panel" aria-busy="true">
        <ErrorMessage message={error} />
        {!error && <p>{t('dossiers.dossierForm.openingTheDossier')}</p>}
        <button onClick={onClose}>{t('dossiers.dossierForm.backToDossiers')}</button>
      </section>
    )
  }

  const current = deriveCurrentStatus(draft.statusHistory)
  const title = draft.names.original.trim() || t('dossiers.dossierForm.newDossier')
  const stateText = {
    clean: dossier.savedAt
      ? t('dossiers.dossierForm.allChangesSaved')
      : id === null
        ? t('dossiers.dossierForm.notSavedYet')
        : t('dossiers.dossierForm.noChanges'),
    dirty: t('dossiers.dossierForm.unsavedChanges'),
    saving: t('dossiers.dossierForm.saving'),
    saved: t('dossiers.dossierForm.allChangesSaved'),
  }[state]
  const regions = schema?.vocabularies.find((v) => v.id === 'regions')?.entries.filter((e) => !e.retired) ?? []
  const facilities = schema?.vocabularies.find((v) => v.id === 'facilities')?.entries.filter((e) => !e.retired) ?? []
  const memberOf = id ? lists.filter((l) => l.dossierIds.includes(id)) : []

  return (
    <section className="panel dossier-form" aria-labelledby="dossier-form-title">
      <div className="form-head">
        <div>
          <h1 id="dossier-form-title">{title}</h1>
          <p className="hint">
            {t('dossiers.dossierForm.currentStatus')}{' '}
            <span className={`status status-${current}`} data-testid="current-status">
              {dossierStatusName(current)}
            </span>
            {memberOf.length > 0 && <> {t('dossiers.dossierForm.in', { memberOf: memberOf.map((l) => `“${l.name}”`).join(', ') })}</>}
          </p>
          {id && <ImportOrigin recordId={id} />}
        </div>
        <div className="form-tools">
          <span className={`save-state save-${state}`} role="status" data-testid="save-state">
            {stateText}
          </span>
          {readOnly === null ? (
            <button
              type="submit"
              form="dossier-form"
              className="primary"
              disabled={state === 'saving'}
              aria-keyshortcuts="Control+S"
              title={t('dossiers.dossierForm.saveCtrlS')}
            >
              {t('dossiers.dossierForm.save')}
            </button>
          ) : (
            <span className="hint" data-testid="read-only">
              {t('dossiers.dossierForm.readOnly', { readOnly })}
            </span>
          )}
          <button type="button" onClick={onClose}>
            {t('dossiers.dossierForm.close')}
          </button>
        </div>
        {dossier.sensitiveHidden && (
          <p className="hint" data-testid="sensitive-hidden">
            {t('dossiers.dossierForm.familyContactsMedicalNotes')}
          </p>
        )}
        {/* Inside the sticky head, beside Save: whatever was refused is said where the button is. */}
        <ErrorMessage message={error} />
      </div>
      {notice && (
        <p className="notice" data-testid="message">
          {notice}
        </p>
      )}

      <DuplicateWarning matches={duplicates} onOpen={onOpen} onMerge={merge} />

      <div className={aside ? 'form-with-comments' : undefined}>
        {/* The Save button above belongs to this form (form=) and comes first, so Enter in a field saves. */}
        <FieldErrorsContext value={fieldErrorMap}>
          <form id="dossier-form" ref={formRef} onSubmit={submit} noValidate>
            <PersonSection
              draft={draft}
              update={update}
              regions={regions.map((r) => r.label)}
              photo={
                <PhotoSlot
                  dossierId={id}
                  attachments={attachments}
                  value={draft.photoAttachmentId}
                  onChange={(photoAttachmentId) => update((d) => ({ ...d, photoAttachmentId }))}
                />
              }
            />
            <StatusSection draft={draft} update={update} comments={comments} />
            <DetentionSection draft={draft} update={update} facilities={facilities.map((f) => f.label)} />
            <ChargesSection draft={draft} update={update} />
            <VulnerabilitySection draft={draft} update={update} comments={comments} />
            <SourcesSection draft={draft} update={update} documents={documents} comments={comments} />
            <ConsentSection draft={draft} update={update} />
            <FamilySection
              draft={draft}
              update={update}
              isNew={id === null}
              revealed={dossier.familyRevealed}
              count={dossier.familyCount}
              onReveal={() => void dossier.reveal()}
              onAddFirst={dossier.addFirstFamilyContact}
            />
            <AttachmentsSection
              dossierId={id}
              attachments={attachments}
              loadError={attachmentsError}
              revision={dossier.revision}
              onChange={(list) => {
                setAttachments(list)
                setAttachmentsError(null)
              }}
              onDeleted={(attachmentId, nextRevision, list) => {
                setAttachments(list)
                setAttachmentsError(null)
                dossier.forgetAttachment(attachmentId, nextRevision)
              }}
            />
            <TimelineSection draft={draft} update={update} documents={documents} attachments={attachments} comments={comments} />
            {schema && <CustomFieldsSection draft={draft} update={update} schema={schema} />}
          </form>
        </FieldErrorsContext>
        {/* Outside the dossier <form>: the notes have their own small form, and forms cannot nest. */}
        {aside}
      </div>

      {id !== null && (
        <Section title={t('dossiers.dossierForm.listsAndActions')} id="actions">
          <div className="row wrap">
            <label htmlFor="add-to-list" className="inline-label">
              {t('dossiers.dossierForm.addToList')}
            </label>
            <select id="add-to-list" defaultValue="" onChange={(e) => void addToList(e.target.value).then(() => (e.target.value = ''))}>
              <option value="">{t('dossiers.dossierForm.chooseAList')}</option>
              {lists
                .filter((l) => !l.dossierIds.includes(id))
                .map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
            </select>
            {readOnly === null && (
              <>
                <button type="button" className="danger" onClick={remove}>
                  {t('dossiers.dossierForm.deleteDossier2')}
                </button>
                <ShredButton
                  id={id!}
                  what="dossier"
                  name={title}
                  onDestroyed={() => {
                    onDirtyChange(false)
                    onClose()
                  }}
                />
              </>
            )}
          </div>
        </Section>
      )}

      {confirm && (
        <ConfirmDialog
          title={confirm.title}
          confirmLabel={confirm.label}
          danger={confirm.danger === true}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const run = confirm.run
            setConfirm(null)
            run().catch((err: unknown) => setError(describeError(err)))
          }}
        >
          <p>{confirm.body}</p>
        </ConfirmDialog>
      )}
    </section>
  )
}
