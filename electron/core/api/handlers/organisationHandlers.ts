// Main process (and the e2e harness): handlers of the organisation profile (Settings → Organisation).
import type { organisationChannels } from '../../../../shared/ipc/channels/organisationChannels'
import { getOrganisationProfile, saveOrganisationProfile } from '../../organisation/profileStore'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'

export function createOrganisationHandlers(ctx: HandlerContext): AreaHandlers<typeof organisationChannels> {
  const { session } = ctx
  // The member working now (a new unlock may be someone else): named on every revision they save.
  const author = (): string => session.authorName()
  return {
    'organisation:getProfile': () => {
      const stored = getOrganisationProfile(session.requireVault())
      return stored ? { profile: stored.profile, revision: stored.revision } : { profile: null, revision: null }
    },
    'organisation:setProfile': ({ profile, expectedRevision }) => {
      const stored = saveOrganisationProfile(session.requireVault(), profile, {
        ...(expectedRevision !== undefined ? { expectedRevision } : {}),
        author: author(),
      })
      return { profile: stored.profile, revision: stored.revision }
    },
  }
}
