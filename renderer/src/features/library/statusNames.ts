// Renderer: a search hit's or facet's status code in words. The search index keeps one status field for documents
// (draft, sent …), dossiers (detained, missing …) and annotations (open, resolved); people read a word, never a code.
import { CURRENT_STATUSES, type CurrentStatus } from '../../../../shared/dossiers/dossier'
import { dossierStatusName } from '../../i18n/codeNames'
import { t } from '../../i18n/intl'

const isDossierStatus = (status: string): status is CurrentStatus => (CURRENT_STATUSES as readonly string[]).includes(status)

/** The status in words, from the catalog: a dossier status by its own name, every other status by library.statusName. */
export function describeStatus(status: string): string {
  return isDossierStatus(status) ? dossierStatusName(status) : t('library.statusName', { status })
}
