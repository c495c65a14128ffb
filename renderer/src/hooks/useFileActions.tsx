// Renderer: the "Save a copy…" and "Delete" flow shared by the library's and the dossiers' file lists: which file is
// waiting for confirmation, the unencrypted-copy warning, the delete confirmation, and focus back on the Delete button
// after Cancel. Each list keeps its own buttons and does the work itself once the user confirmed.
import { useRef, useState, type ReactNode } from 'react'
import { DeleteFileDialog } from '../components/DeleteFileDialog'
import { UnencryptedCopyWarning } from '../components/UnencryptedCopyWarning'

export function useFileActions<T extends { filename: string }>(options: {
  /** Id prefix of the warning dialog (one per list, so the ids stay unique on a page). */
  warningIdPrefix: string
  /** The sentence after "is deleted from the vault" in the confirmation (see DeleteFileDialog). */
  alsoRemovedFrom: string
  saveCopy: (file: T) => void
  deleteFile: (file: T) => void
}): { askSaveCopy: (file: T) => void; askDelete: (file: T, opener: HTMLElement) => void; dialogs: ReactNode } {
  const [confirming, setConfirming] = useState<T | null>(null)
  const [deleting, setDeleting] = useState<T | null>(null)
  // Keyboard users land back on the Delete button they pressed when they cancel.
  const opener = useRef<HTMLElement | null>(null)

  const dialogs = (
    <>
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
