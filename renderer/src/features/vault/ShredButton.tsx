// Renderer: "Destroy for good" on a document, dossier, annotation thread or attachment (issue #16). A confirmation says
// plainly what happens — the item's key and every saved version are destroyed, nobody can open it again — that it
// cannot be undone, and what it does not reach (copies made before); then vault:shredItem. Admins only: another role
// gets the dispatcher's refusal as the message.
import { useRef, useState } from 'react'
import { useApi } from '../../api/ApiProvider'
import { useAsync } from '../../hooks/useAsync'
import { Button } from '../../components/Button'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { ErrorMessage } from '../../components/ErrorMessage'
import { t } from '../../i18n/intl'

export type ShredTarget = 'document' | 'dossier' | 'annotation thread' | 'attachment'

/** The kind as an ICU select key (no spaces): the catalog words each kind with its own article and what goes with it. */
const KIND: Record<ShredTarget, string> = {
  document: 'document',
  dossier: 'dossier',
  'annotation thread': 'thread',
  attachment: 'attachment',
}

export function ShredButton({
  id,
  what,
  name,
  onDestroyed,
}: {
  /** The record or attachment id, or the annotation's id. */
  id: string
  what: ShredTarget
  /** How the user knows the item (title, file name); shown in the dialog only. */
  name: string
  /** Called once the item is gone (the caller closes or reloads what showed it). */
  onDestroyed: () => void
}) {
  const api = useApi()
  const { busy, error, details, run } = useAsync<boolean>()
  const [asking, setAsking] = useState(false)
  const opener = useRef<HTMLButtonElement>(null)

  const destroy = async () => {
    setAsking(false)
    const done = await run(async () => {
      await api['vault:shredItem']({ id })
      return true
    })
    if (done) onDestroyed()
    else opener.current?.focus()
  }

  return (
    <>
      <Button
        ref={opener}
        variant="danger"
        size="sm"
        disabled={busy}
        aria-label={t('vault.shredButton.destroyForGood2', { kind: KIND[what], name })}
        onClick={() => setAsking(true)}
      >
        {t('vault.shredButton.destroyForGood')}
      </Button>
      <ErrorMessage message={error} details={details} />
      {asking && (
        <ConfirmDialog
          title={t('vault.shredButton.destroyForGood3', { name })}
          confirmLabel={t('vault.shredButton.destroyForGood4')}
          cancelLabel={t('vault.shredButton.keepIt')}
          danger
          onCancel={() => {
            setAsking(false)
            opener.current?.focus()
          }}
          onConfirm={() => void destroy()}
        >
          <p>{t('vault.shredButton.custodiaDestroysTheKey', { kind: KIND[what] })}</p>
          <p>
            <strong>{t('vault.shredButton.thisCannotBeUndone')}</strong> {t('vault.shredButton.theActivityLogKeeps', { kind: KIND[what] })}
          </p>
          <p>{t('vault.shredButton.copiesMadeBeforeAre')}</p>
        </ConfirmDialog>
      )}
    </>
  )
}
