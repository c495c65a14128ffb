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

export type ShredTarget = 'document' | 'dossier' | 'annotation thread' | 'attachment'

/** What else goes with the item, in the dialog's words. */
const GOES_WITH: Record<ShredTarget, string> = {
  document: ' and every saved version of it, with its attachments and the annotations on it',
  dossier: ' and every saved version of it, with its files and the annotations on it',
  'annotation thread': ' with all its replies',
  attachment: '',
}

/** "a document", "an attachment": the article the dialog needs before the item's kind. */
const ARTICLE: Record<ShredTarget, string> = { document: 'a', dossier: 'a', 'annotation thread': 'an', attachment: 'an' }

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
        aria-label={`Destroy for good… ${what} “${name}”`}
        onClick={() => setAsking(true)}
      >
        Destroy for good…
      </Button>
      <ErrorMessage message={error} details={details} />
      {asking && (
        <ConfirmDialog
          title={`Destroy “${name}” for good?`}
          confirmLabel="Destroy for good"
          cancelLabel="Keep it"
          danger
          onCancel={() => {
            setAsking(false)
            opener.current?.focus()
          }}
          onConfirm={() => void destroy()}
        >
          <p>
            Custodia destroys the key that locks this {what}
            {GOES_WITH[what]}. Nobody can open it again: not you, not an admin, not with the passphrase or the recovery key.
          </p>
          <p>
            <strong>This cannot be undone.</strong> The activity log keeps that {ARTICLE[what]} {what} was destroyed, by whom and when, but
            nothing of what it said.
          </p>
          <p>Copies made before are not reached: backups, bundles already sent to partners, and files saved outside the vault.</p>
        </ConfirmDialog>
      )}
    </>
  )
}
