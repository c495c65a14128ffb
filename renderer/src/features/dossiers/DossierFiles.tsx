// Renderer: the files of a saved dossier — the Attachments section (list, "Attach files…", "Save a copy…" after a
// plain warning that the copy leaves the vault unencrypted, "Delete" after a confirmation, "Destroy for good…" (issue
// #16; admins only, checked in main) after its own confirmation), the photo slot of the
// Person section (one of the dossier's image attachments, shown from a data URL) and the attachment checkboxes of a
// timeline event. Files are encrypted into the vault as soon as they are attached, and deleted at once too; which one
// is the photo and which an event links are normal dossier fields, saved with the form.
import { useEffect, useRef, useState } from 'react'
import type { AttachmentView } from '../../../../shared/ipc/channels/libraryChannels'
import { ApiError, describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { formatSize } from '../../i18n/format'
import { useFileActions } from '../../hooks/useFileActions'
import { useAsync } from '../../hooks/useAsync'
import { ShredButton } from '../vault/ShredButton'
import { t } from '../../i18n/intl'

/** What the photo slot offers: the types main can show (it checks the bytes too). */
const PHOTO_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp'])

export function isPhotoCandidate(attachment: AttachmentView): boolean {
  return PHOTO_TYPES.has(attachment.mediaType)
}

/** An ISO timestamp as the local calendar date (YYYY-MM-DD, as every other date in the dossier). */
export function formatAddedDate(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

export function AttachmentsSection({
  dossierId,
  attachments,
  loadError,
  revision,
  onChange,
  onDeleted,
}: {
  /** null: a dossier not saved yet (files need its record). */
  dossierId: string | null
  /** null while loading. */
  attachments: AttachmentView[] | null
  loadError: string | null
  /** The dossier revision the form holds: a delete is refused (CONFLICT) if someone saved since. */
  revision: number | null
  onChange: (attachments: AttachmentView[]) => void
  /** After a delete: main also took the file out of the photo and timeline links, maybe as a new `revision`. */
  onDeleted: (attachmentId: string, revision: number, attachments: AttachmentView[]) => void
}) {
  const api = useApi()
  const { busy, error, details, setError, run } = useAsync()
  const [message, setMessage] = useState<string | null>(null)
  // Once a row is deleted, keyboard users land on the heading.
  const heading = useRef<HTMLHeadingElement>(null)

  const attach = async () => {
    if (dossierId === null) return
    setMessage(null)
    await run(async () => {
      const result = await api['dossiers:addAttachments']({ id: dossierId })
      onChange(result.attachments)
      if (result.added > 0) setMessage(t('dossiers.dossierFiles.attachedFileEncryptedIn', { added: result.added }))
    })
  }

  const exportCopy = async (attachment: AttachmentView) => {
    if (dossierId === null) return
    setError(null)
    setMessage(null)
    try {
      const { saved } = await api['dossiers:exportAttachment']({ id: dossierId, attachmentId: attachment.id })
      setMessage(saved ? t('dossiers.dossierFiles.savedAnUnencryptedCopy', { filename: attachment.filename }) : null)
    } catch (e) {
      setError(describeError(e))
    }
  }

  const deleteFile = async (attachment: AttachmentView) => {
    if (dossierId === null) return
    setMessage(null)
    await run(
      async () => {
        const result = await api['dossiers:deleteAttachment']({
          id: dossierId,
          attachmentId: attachment.id,
          ...(revision !== null ? { expectedRevision: revision } : {}),
        })
        onDeleted(attachment.id, result.revision, result.attachments)
        setMessage(t('dossiers.dossierFiles.deleted', { filename: attachment.filename }))
        heading.current?.focus()
      },
      (e) => (e instanceof ApiError && e.code === 'CONFLICT' ? t('dossiers.dossierFiles.notDeletedSomeoneSaved') : describeError(e)),
    )
  }

  // Main already wrote a dossier revision without the file's photo and timeline links (before destroying it): the
  // editor takes that revision and the new list, as after a delete.
  const afterShred = async (attachment: AttachmentView) => {
    if (dossierId === null) return
    setMessage(null)
    await run(async () => {
      const [list, view] = await Promise.all([api['dossiers:listAttachments']({ id: dossierId }), api['dossiers:get']({ id: dossierId })])
      onDeleted(attachment.id, view.revision, list.attachments)
      setMessage(t('dossiers.dossierFiles.destroyedForGood', { filename: attachment.filename }))
      heading.current?.focus()
    })
  }

  const { askSaveCopy, askDelete, openFile, dialogs } = useFileActions<AttachmentView>({
    warningIdPrefix: 'file-export-warning',
    alsoRemovedFrom: t('dossiers.dossierFiles.andFromThePhoto'),
    saveCopy: (a) => void exportCopy(a),
    deleteFile: (a) => void deleteFile(a),
    // The list (and so Open) is shown only once the dossier is saved and has an id.
    openFile: (a) => api['dossiers:openAttachment']({ id: dossierId ?? '', attachmentId: a.id }),
    onOpenError: setError,
  })

  return (
    <fieldset className="form-section dossier-files" aria-labelledby="sec-files" data-testid="dossier-files">
      <h2 id="sec-files" ref={heading} tabIndex={-1}>
        {t('dossiers.dossierFiles.attachments')}
      </h2>
      <p className="hint">{t('dossiers.dossierFiles.lettersSentAndReplies')}</p>
      {dossierId === null ? (
        <p className="hint" data-testid="files-unsaved">
          {t('dossiers.dossierFiles.saveTheDossierTo')}
        </p>
      ) : (
        <>
          <ErrorMessage message={error} details={details} />
          {loadError ? (
            <p className="hint">{t('dossiers.dossierFiles.theFilesOfThis', { loadError })}</p>
          ) : attachments === null ? (
            <p className="hint">{t('dossiers.dossierFiles.loading')}</p>
          ) : attachments.length === 0 ? (
            <p className="hint">{t('dossiers.dossierFiles.noFilesYet')}</p>
          ) : (
            <ul className="file-list">
              {attachments.map((a) => (
                <li key={a.id} data-testid="dossier-file">
                  <span className="filename">{a.filename}</span>
                  <span className="hint">{formatSize(a.size)}</span>
                  <span className="hint">{formatAddedDate(a.addedAt)}</span>
                  <button type="button" onClick={() => openFile(a)} aria-label={t('dossiers.dossierFiles.open2', { filename: a.filename })}>
                    {t('dossiers.dossierFiles.open')}
                  </button>
                  <button
                    type="button"
                    onClick={() => askSaveCopy(a)}
                    aria-label={t('dossiers.dossierFiles.saveACopyOf', { filename: a.filename })}
                  >
                    {t('dossiers.dossierFiles.saveACopy')}
                  </button>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={t('dossiers.dossierFiles.delete2', { filename: a.filename })}
                    onClick={(e) => askDelete(a, e.currentTarget)}
                  >
                    {t('dossiers.dossierFiles.delete')}
                  </button>
                  <ShredButton id={a.id} what="attachment" name={a.filename} onDestroyed={() => void afterShred(a)} />
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={() => void attach()} disabled={busy}>
            {busy ? t('dossiers.dossierFiles.attaching') : t('dossiers.dossierFiles.attachFiles')}
          </button>
          {dialogs}
          {message && (
            <p className="notice" role="status">
              {message}
            </p>
          )}
        </>
      )}
    </fieldset>
  )
}

/**
 * The person's photo: a choice among the dossier's PNG, JPEG and WebP attachments, previewed from main as a data
 * URL (also before the dossier is saved again), and "Remove photo" (the file itself stays attached).
 */
export function PhotoSlot({
  dossierId,
  attachments,
  value,
  onChange,
}: {
  dossierId: string | null
  attachments: AttachmentView[] | null
  value: string | undefined
  onChange: (attachmentId: string | undefined) => void
}) {
  const api = useApi()
  const [dataUrl, setDataUrl] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    setDataUrl(null)
    setError(null)
    if (dossierId === null || value === undefined) return
    let live = true
    api['dossiers:getPhoto']({ id: dossierId, attachmentId: value })
      .then((r) => live && setDataUrl(r.dataUrl))
      .catch((e: unknown) => live && setError(describeError(e)))
    return () => {
      live = false
    }
  }, [api, dossierId, value])

  const candidates = (attachments ?? []).filter(isPhotoCandidate)
  const current = attachments?.find((a) => a.id === value)
  return (
    <div className="photo-slot" data-testid="photo-slot">
      <div className="photo-frame">
        {dataUrl ? (
          <img src={dataUrl} alt={t('dossiers.dossierFiles.photoOfThePerson')} data-testid="dossier-photo" />
        ) : (
          <span className="hint">
            {value
              ? error
                ? t('dossiers.dossierFiles.cannotShow')
                : t('dossiers.dossierFiles.loading')
              : t('dossiers.dossierFiles.noPhoto')}
          </span>
        )}
      </div>
      <div className="field">
        {/* No select before the first save, so the label then names nothing. */}
        <label htmlFor={dossierId === null ? undefined : 'photo-choice'}>{t('dossiers.dossierFiles.photo')}</label>
        {dossierId === null ? (
          <span className="hint">{t('dossiers.dossierFiles.saveTheDossierTo2')}</span>
        ) : (
          <>
            <select
              id="photo-choice"
              value={value ?? ''}
              onChange={(e) => onChange(e.target.value || undefined)}
              disabled={candidates.length === 0 && value === undefined}
            >
              <option value="">
                {candidates.length === 0 && value === undefined
                  ? t('dossiers.dossierFiles.attachAPngJpeg')
                  : t('dossiers.dossierFiles.noPhoto')}
              </option>
              {/* The stored photo stays selectable even while the list loads or if it is no longer an image type. */}
              {value !== undefined && !candidates.some((a) => a.id === value) && (
                <option value={value}>{current?.filename ?? t('dossiers.dossierFiles.currentPhoto')}</option>
              )}
              {candidates.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.filename}
                </option>
              ))}
            </select>
            {value !== undefined && (
              <button type="button" className="link" onClick={() => onChange(undefined)}>
                {t('dossiers.dossierFiles.removePhoto')}
              </button>
            )}
          </>
        )}
        <ErrorMessage message={error} />
      </div>
    </div>
  )
}

/** Which of the dossier's files a timeline event links: one checkbox per attachment. */
export function AttachmentLinks({
  id,
  attachments,
  value,
  onChange,
}: {
  id: string
  attachments: AttachmentView[] | null
  value: string[]
  onChange: (ids: string[]) => void
}) {
  const known = attachments ?? []
  // Linked ids not (yet) in the list — still loading — are kept as they are, so a save never drops them silently.
  const unknown = value.filter((v) => !known.some((a) => a.id === v))
  if (known.length === 0 && unknown.length === 0) return null
  return (
    <fieldset className="cites attachment-links">
      <legend>{t('dossiers.dossierFiles.filesLinked')}</legend>
      {known.map((a) => (
        <label key={a.id} className="check">
          <input
            type="checkbox"
            id={`${id}-file-${a.id}`}
            checked={value.includes(a.id)}
            onChange={(e) => onChange(e.target.checked ? [...value, a.id] : value.filter((x) => x !== a.id))}
          />
          {a.filename}
        </label>
      ))}
      {unknown.length > 0 && (
        <span className="hint">
          {unknown.length === 1
            ? t('dossiers.dossierFiles.1MoreFile')
            : t('dossiers.dossierFiles.moreFiles', { unknownCount: unknown.length })}
        </span>
      )}
    </fieldset>
  )
}
