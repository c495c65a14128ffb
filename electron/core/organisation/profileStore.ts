// Main process / CLI (core, Node only): the organisation profile, kept ENCRYPTED as the vault's one record of kind
// 'organisation-profile' (body: the checked profile; summary: no content). Letters take their letterhead and
// default signatories from it (letters/letterProfile.ts).
import { CustodiaError } from '../../../shared/errors'
import { parseOrganisationProfile, type OrganisationProfile } from '../../../shared/organisation/profile'
import type { Vault } from '../vault/vault'

export const ORGANISATION_PROFILE_KIND = 'organisation-profile'

export interface StoredOrganisationProfile {
  readonly profile: OrganisationProfile
  readonly revision: number
}

function findProfileRecord(vault: Vault): { id: string; revision: number } | null {
  const rows = vault.listRecords({ kind: ORGANISATION_PROFILE_KIND })
  if (rows.length > 1) throw new CustodiaError('CORRUPT', 'The vault holds more than one organisation profile')
  const row = rows[0]
  return row ? { id: row.id, revision: row.revision } : null
}

/**
 * The vault's organisation profile, or null when none was saved yet. A stored body that no longer passes the schema
 * throws CustodiaError('CORRUPT') (it was written checked, so only damage or a newer format gets here).
 */
export function getOrganisationProfile(vault: Vault): StoredOrganisationProfile | null {
  const found = findProfileRecord(vault)
  if (!found) return null
  const record = vault.getRecord<{ v: number; profile: unknown }>(found.id)
  if (record.body?.v !== 1) throw new CustodiaError('CORRUPT', 'The stored organisation profile is malformed')
  try {
    return { profile: parseOrganisationProfile(record.body.profile), revision: record.revision }
  } catch {
    throw new CustodiaError('CORRUPT', 'The stored organisation profile is malformed')
  }
}

/**
 * Checks and saves the profile (creating the record on first save). `expectedRevision`, when given, must be the
 * stored revision (CONFLICT otherwise; omit it on first save). Invalid input throws CustodiaError('VALIDATION') with
 * a sentence per problem naming the field. Audit `organisation.profile_saved` with the record id, revision and counts.
 */
export function saveOrganisationProfile(
  vault: Vault,
  input: unknown,
  opts: { expectedRevision?: number; author?: string } = {},
): StoredOrganisationProfile {
  const profile = parseOrganisationProfile(input)
  const content = { summary: { v: 1 }, body: { v: 1, profile } }
  const author = opts.author !== undefined ? { author: opts.author } : {}
  return vault.transaction(() => {
    const found = findProfileRecord(vault)
    const ref = found
      ? vault.updateRecord(found.id, content, { expectedRevision: opts.expectedRevision ?? found.revision, ...author })
      : vault.createRecord(ORGANISATION_PROFILE_KIND, content, author)
    vault.audit.append('organisation.profile_saved', {
      recordId: ref.id,
      revision: ref.revision,
      signatories: profile.signatories.length,
      logo: profile.logo !== undefined,
    })
    return { profile, revision: ref.revision }
  })
}
