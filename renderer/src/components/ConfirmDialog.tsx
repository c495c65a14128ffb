// Renderer: a small modal question ("Discard unsaved changes?", "Merge…?") on the one Dialog. Focus starts on the
// safe choice, Escape cancels, Tab stays inside, focus returns where it was.
import type { ReactNode } from 'react'
import { Button } from './Button'
import { Dialog } from './Dialog'
import { t } from '../i18n/intl'

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel = t('components.confirmDialog.cancel'),
  danger = false,
  onConfirm,
  onCancel,
}: {
  title: string
  children?: ReactNode
  confirmLabel: string
  cancelLabel?: string
  danger?: boolean
  onConfirm: () => void
  onCancel: () => void
}) {
  return (
    <Dialog
      title={title}
      onCancel={onCancel}
      actions={
        // type="button" (Button's default): the dialog may sit inside a form (the dossier's files) that must not submit.
        <>
          <Button data-autofocus onClick={onCancel}>
            {cancelLabel}
          </Button>
          <Button variant={danger ? 'danger' : 'primary'} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  )
}
