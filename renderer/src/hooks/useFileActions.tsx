// Renderer: the "Open", "Save a copy…" and "Delete" flow shared by the library's and the dossiers' file lists: the
// file open in the viewer, which file is waiting for confirmation, the unencrypted-copy warning, the delete
// confirmation, and focus back on the Delete button after Cancel. Each list keeps its own buttons and does the work
// itself once the user confirmed.
import { useRef, useState, type ReactNode } from 'react'
import type { AttachmentView, OpenedAttachment } from '../../../shared/ipc/channels/libraryChannels'
import { describeError } from '../api/client'
import { DeleteFileDialog } from '../components/DeleteFileDialog'
import { UnencryptedCopyWarning } from '../components/UnencryptedCopyWarning'
import { AttachmentViewer } from '../components/AttachmentViewer'

export function useFileActions<T extends AttachmentView>(options: {
  /** Id prefix of the warning dialog (one per list, so the ids stay unique on a page). */
  warningIdPrefix: string
  /** The sentence after "is deleted from the vault" in the confirmation (see DeleteFileDialog). */
  alsoRemovedFrom: string
  saveCopy: (file: T) => void
  deleteFile: (file: T) => void
  /** Decrypts a file for the viewer (the list's own channel); a failure is handed to `onOpenError` in words. */
  openFile: (file: T) => Promise<OpenedAttachment>
  onOpenError: (message: string) => void
}): {
  askSaveCopy: (file: T) => void
  askDelete: (file: T, opener: HTMLElement) => void
  openFile: (file: T) => void
  dialogs: ReactNode
} {
  const [confirming, setConfirming] = useState<T | null>(null)
  const [deleting, setDeleting] = useState<T | null>(null)
  const [viewing, setViewing] = useState<{ file: T; opened: OpenedAttachment } | null>(null)
  // Keyboard users land back on the Delete button they pressed when they cancel.
  const opener = useRef<HTMLElement | null>(null)

  const dialogs = (
    <>
      {viewing && (
        <AttachmentViewer
          attachment={viewing.opened.attachment}
          content={viewing.opened.content}
          onClose={() => setViewing(null)}
          onSaveCopy={() => {
            setViewing(null)
            setConfirming(viewing.file)
          }}
        />
      )}
      {confirming && (
        <UnencryptedCopyWarning
          idPrefix={options.warningIdPrefix}
          filename={confirming.filename}
          onConfirm={() => {
            setConfirming(null)
            options.saveCopy(confirming)
          }}
          onCancel={() => setConfirming(null)}
        />
      )}
      {deleting && (
        <DeleteFileDialog
          filename={deleting.filename}
          alsoRemovedFrom={options.alsoRemovedFrom}
          onConfirm={() => {
            setDeleting(null)
            options.deleteFile(deleting)
          }}
          onCancel={() => {
            setDeleting(null)
            opener.current?.focus()
          }}
        />
      )}
    </>
  )
  return {
    openFile: (file) => {
      options
        .openFile(file)
        .then((opened) => setViewing({ file, opened }))
        .catch((error: unknown) => options.onOpenError(describeError(error)))
    },
    askSaveCopy: (file) => {
      setDeleting(null)
      setConfirming(file)
    },
    askDelete: (file, button) => {
      opener.current = button
      setConfirming(null)
      setDeleting(file)
    },
    dialogs,
  }
}
