// Shared: IPC channels of the organisation profile (Settings → Organisation), stored encrypted in the vault.
import { z } from 'zod'
import { OrganisationProfileSchema } from '../../organisation/profile'
import { channel, empty } from './commonSchemas'

const storedProfile = z.strictObject({
  /** null until the profile is saved the first time (the home page then offers to fill it in). */
  profile: OrganisationProfileSchema.nullable(),
  revision: z.number().int().min(1).nullable(),
})

export const organisationChannels = {
  'organisation:getProfile': channel(empty, storedProfile),
  /**
   * Creates or replaces the profile. `expectedRevision`: the revision the form was loaded at (CONFLICT if someone
   * saved since); omit on first save. The renderer checks the profile with checkOrganisationProfile first, so the
   * user sees each problem at its field.
   */
  'organisation:setProfile': channel(
    z.strictObject({ profile: OrganisationProfileSchema, expectedRevision: z.number().int().min(1).optional() }),
    storedProfile,
  ),
} as const
