// Renderer: the names of the shared model's codes (member roles, dossier statuses, record kinds) in the user's language. The words
// live in the catalog (shared/i18n/en.json) under the ids shared/ names for each code; core and the CLI read the same.
import { CURRENT_STATUSES, type CurrentStatus } from '../../../shared/dossiers/dossier'
import { STATUS_NAME_IDS } from '../../../shared/dossiers/labels'
import { isNamedRecordKind, RECORD_KIND_NAME_IDS } from '../../../shared/library/searchable'
import { ROLE_NAME_IDS, type Role } from '../../../shared/members/roles'
import { t } from './intl'

/** "Legal adviser" for 'legal-adviser'. */
export function roleName(role: Role): string {
  return t(ROLE_NAME_IDS[role])
}

/** "Returned to family" for 'returned'. */
export function dossierStatusName(status: CurrentStatus): string {
  return t(STATUS_NAME_IDS[status])
}

/** Every current status by its name, for a select whose options are the codes. */
export function dossierStatusNames(): Readonly<Record<CurrentStatus, string>> {
  return Object.fromEntries(CURRENT_STATUSES.map((s) => [s, dossierStatusName(s)])) as Record<CurrentStatus, string>
}

const isDossierStatus = (status: string): status is CurrentStatus => (CURRENT_STATUSES as readonly string[]).includes(status)

/**
 * Any record's status code in words: a dossier status by its own name, a document's (draft, sent …) or an
 * annotation's (open, resolved) by library.statusName. The search index keeps one status field for all of them.
 */
export function describeStatus(status: string): string {
  return isDossierStatus(status) ? dossierStatusName(status) : t('library.statusName', { status })
}

/** "Dossier list" for 'dossier-list', "Letter" for 'letter'; a kind without a name yet is shown as its code. */
export function recordKindName(kind: string): string {
  return isNamedRecordKind(kind) ? t(RECORD_KIND_NAME_IDS[kind]) : kind
}
