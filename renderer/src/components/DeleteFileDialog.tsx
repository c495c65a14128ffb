// Renderer: the one confirmation before an attachment is deleted from the vault (library documents, dossier files):
// names the file, says what else it leaves, and that it cannot be undone.
import { ConfirmDialog } from './ConfirmDialog'
import { t } from '../i18n/intl'

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
    <ConfirmDialog
      title={t('components.deleteFileDialog.delete', { filename })}
      confirmLabel={t('components.deleteFileDialog.deleteFile')}
      danger
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>{t('components.deleteFileDialog.theFileIsDeleted', { filename, alsoRemovedFrom })}</p>
    </ConfirmDialog>
  )
}
