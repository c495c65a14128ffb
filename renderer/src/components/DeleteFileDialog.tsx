// Renderer: the one confirmation before an attachment is deleted from the vault (library documents, dossier files):
// names the file, says what else it leaves, and that it cannot be undone.
import { ConfirmDialog } from './ConfirmDialog'

export function DeleteFileDialog({
  filename,
  alsoRemovedFrom,
  onConfirm,
  onCancel,
}: {
  filename: string
  /** The sentence after "is deleted from the vault", e.g. "The document keeps its text and history." */
  alsoRemovedFrom: string
  onConfirm: () => void
  onCancel: () => void
}) {
  return (
    <ConfirmDialog title={`Delete ${filename}?`} confirmLabel="Delete file" danger onConfirm={onConfirm} onCancel={onCancel}>
      <p>
        The file “{filename}” is deleted from the vault{alsoRemovedFrom} This cannot be undone.
      </p>
    </ConfirmDialog>
  )
}
