// Renderer: the first-run offer on the home page — while the vault has no organisation profile, a calm note that
// letters would carry the letterhead, with a way to Settings → Organisation and a way to put it away for now.
import { useEffect, useState } from 'react'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'

export function OrganisationPrompt({ onOpen, onDismiss }: { onOpen: () => void; onDismiss: () => void }) {
  const api = useApi()
  const [missing, setMissing] = useState(false)

  useEffect(() => {
    let live = true
    // A failure to ask is not worth an error here: the prompt just stays away.
    api['organisation:getProfile']({}).then(
      (stored) => live && setMissing(stored.profile === null),
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [api])

  if (!missing) return null
  return (
    <aside className="notice organisation-prompt" aria-label="Organisation profile" data-testid="organisation-prompt">
      <p>Add your organisation&apos;s name and address so your letters carry your letterhead.</p>
      <div className="actions">
        <Button variant="primary" size="sm" onClick={onOpen}>
          Add organisation details
        </Button>
        <Button size="sm" onClick={onDismiss}>
          Not now
        </Button>
      </div>
    </aside>
  )
}
