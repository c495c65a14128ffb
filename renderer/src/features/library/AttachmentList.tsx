// Renderer: the attachments of a document (the imported original and anything added later) with "Open" (the viewer,
// in memory only), "Save a copy…",
// which first says plainly that the copy leaves the vault unencrypted, and "Delete", which asks first (for good: the
// document keeps its text).
import { useEffect, useRef, useState } from 'react'
import type { AttachmentView } from '../../../../shared/ipc/channels/libraryChannels'
import { describeError } from '../../api/client'
import { useApi } from '../../api/ApiProvider'
import { ErrorMessage } from '../../components/ErrorMessage'
import { useFileActions } from '../../hooks/useFileActions'
import { useAsync } from '../../hooks/useAsync'
import { formatSize } from '../../i18n/format'
import { ShredButton } from '../vault/ShredButton'
import { t } from '../../i18n/intl'

export function AttachmentList({ documentId }: { documentId: string }) {
  const api = useApi()
  const [attachments, setAttachments] = useState<AttachmentView[] | null>(null)
  const { busy, error, details, setError, run } = useAsync()
  // Once a row is deleted, keyboard users land on the heading.
  const heading = useRef<HTMLHeadingElement>(null)
  const [message, setMessage] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    api['library:listAttachments']({ id: documentId })
      .then((r) => live && setAttachments(r.attachments))
      .catch((e) => live && setError(describeError(e)))
    return () => {
      live = false
    }
  }, [api, documentId, setError])

  const exportCopy = async (attachment: AttachmentView) => {
    setError(null)
    try {
      const { saved } = await api['library:exportAttachment']({ documentId, attachmentId: attachment.id })
      setMessage(saved ? t('library.attachmentList.savedAnUnencryptedCopy', { filename: attachment.filename }) : null)
    } catch (e) {
      setError(describeError(e))
    }
  }

  const deleteFile = (attachment: AttachmentView) => {
    setMessage(null)
    return run(async () => {
      const result = await api['library:deleteAttachment']({ documentId, attachmentId: attachment.id })
      setAttachments(result.attachments)
      setMessage(t('library.attachmentList.deleted', { filename: attachment.filename }))
      heading.current?.focus()
    })
  }

  const { askSaveCopy, askDelete, openFile, dialogs } = useFileActions<AttachmentView>({
    warningIdPrefix: 'export-warning',
    alsoRemovedFrom: t('library.attachmentList.theDocumentKeepsIts'),
    saveCopy: (a) => void exportCopy(a),
    deleteFile: (a) => void deleteFile(a),
    openFile: (a) => api['library:openAttachment']({ documentId, attachmentId: a.id }),
    onOpenError: setError,
  })

  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h3 id="attachments-title" ref={heading} tabIndex={-1}>
        {t('library.attachmentList.attachments')}
      </h3>
      <ErrorMessage message={error} details={details} />
      {attachments === null ? (
        <p className="hint">{t('library.attachmentList.loading')}</p>
      ) : attachments.length === 0 ? (
        <p className="hint">{t('library.attachmentList.noAttachments')}</p>
      ) : (
        <ul>
          {attachments.map((a) => (
            <li key={a.id}>
              <span className="filename">{a.filename}</span> <span className="hint">{formatSize(a.size)}</span>{' '}
              <button type="button" aria-label={t('library.attachmentList.open2', { filename: a.filename })} onClick={() => openFile(a)}>
                {t('library.attachmentList.open')}
              </button>{' '}
              <button type="button" onClick={() => askSaveCopy(a)}>
                {t('library.attachmentList.saveACopy')}
              </button>{' '}
              <button
                type="button"
                disabled={busy}
                aria-label={t('library.attachmentList.delete2', { filename: a.filename })}
                onClick={(e) => askDelete(a, e.currentTarget)}
              >
                {t('library.attachmentList.delete')}
              </button>{' '}
              <ShredButton
                id={a.id}
                what="attachment"
                name={a.filename}
                onDestroyed={() => {
                  setAttachments((list) => list?.filter((x) => x.id !== a.id) ?? null)
                  setMessage(t('library.attachmentList.destroyedForGood', { filename: a.filename }))
                  heading.current?.focus()
                }}
              />
            </li>
          ))}
        </ul>
      )}
      {dialogs}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
    </section>
  )
}
