// Main process (and the e2e harness): handlers of the organisation profile (Settings → Organisation).
import type { organisationChannels } from '../../../../shared/ipc/channels/organisationChannels'
import { getOrganisationProfile, saveOrganisationProfile } from '../../organisation/profileStore'
import { readAuthorName } from '../../session/author'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'

export function createOrganisationHandlers(ctx: HandlerContext): AreaHandlers<typeof organisationChannels> {
  const { session } = ctx
  const author = readAuthorName()
  return {
    'organisation:getProfile': () => {
      const stored = getOrganisationProfile(session.requireVault())
      return stored ? { profile: stored.profile, revision: stored.revision } : { profile: null, revision: null }
    },
    'organisation:setProfile': ({ profile, expectedRevision }) => {
      const stored = saveOrganisationProfile(session.requireVault(), profile, {
        ...(expectedRevision !== undefined ? { expectedRevision } : {}),
        author,
      })
      return { profile: stored.profile, revision: stored.revision }
    },
  }
}
