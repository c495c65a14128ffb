// Renderer: the attachments of a document (the imported original and anything added later) with "Save a copy…",
// which first says plainly that the copy leaves the vault unencrypted.
import { useEffect, useState } from 'react'
import type { AttachmentView } from '../../../../shared/ipc/channels/library'
import { describeError, type Api } from '../../api/client'
import { ErrorMessage } from '../../components/ErrorMessage'
import { UnencryptedCopyWarning } from '../../components/UnencryptedCopyWarning'

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function AttachmentList({ api, documentId }: { api: Api; documentId: string }) {
  const [attachments, setAttachments] = useState<AttachmentView[] | null>(null)
  const [confirming, setConfirming] = useState<AttachmentView | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    api['library:attachments']({ id: documentId })
      .then((r) => live && setAttachments(r.attachments))
      .catch((e) => live && setError(describeError(e)))
    return () => {
      live = false
    }
  }, [api, documentId])

  const exportCopy = async (attachment: AttachmentView) => {
    setConfirming(null)
    setError(null)
    try {
      const { saved } = await api['library:exportAttachment']({ documentId, attachmentId: attachment.id })
      setMessage(saved ? `Saved an unencrypted copy of ${attachment.filename}.` : null)
    } catch (e) {
      setError(describeError(e))
    }
  }

  return (
    <section className="attachments" aria-labelledby="attachments-title">
      <h3 id="attachments-title">Attachments</h3>
      <ErrorMessage message={error} />
      {attachments === null ? (
        <p className="hint">Loading…</p>
      ) : attachments.length === 0 ? (
        <p className="hint">No attachments.</p>
      ) : (
        <ul>
          {attachments.map((a) => (
            <li key={a.id}>
              <span className="filename">{a.filename}</span> <span className="hint">{formatSize(a.size)}</span>{' '}
              <button type="button" onClick={() => setConfirming(a)}>
                Save a copy…
              </button>
            </li>
          ))}
        </ul>
      )}
      {confirming && (
        <UnencryptedCopyWarning
          idPrefix="export-warning"
          filename={confirming.filename}
          onConfirm={() => void exportCopy(confirming)}
          onCancel={() => setConfirming(null)}
        />
      )}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
    </section>
  )
}
