// Renderer: the first-run offer on the home page — while the vault has no organisation profile, a calm note that
// letters would carry the letterhead, with a way to Settings → Organisation and a way to put it away for now.
import { useEffect, useState } from 'react'
import { useApi } from '../../api/ApiProvider'
import { Button } from '../../components/Button'
import { t } from '../../i18n/intl'

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
    <aside
      className="notice organisation-prompt"
      aria-label={t('home.organisationPrompt.organisationProfile')}
      data-testid="organisation-prompt"
    >
      <p>{t('home.organisationPrompt.addYourOrganisationApos')}</p>
      <div className="actions">
        <Button variant="primary" size="sm" onClick={onOpen}>
          {t('home.organisationPrompt.addOrganisationDetails')}
        </Button>
        <Button size="sm" onClick={onDismiss}>
          {t('home.organisationPrompt.notNow')}
        </Button>
      </div>
    </aside>
  )
}
