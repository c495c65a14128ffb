// Renderer: a search hit's or facet's status code in words. The search index keeps one status field for documents
// (draft, sent …), dossiers (detained, missing …) and annotations (open, resolved); people read a word, never a code.
import { STATUS_LABELS } from '../../../../shared/dossiers/labels'
import { t } from '../../i18n/intl'

/** The status in words: a dossier status by the dossier labels, every other status from the catalog. */
export function describeStatus(status: string): string {
  const dossierLabel = (STATUS_LABELS as Readonly<Record<string, string>>)[status]
  return dossierLabel ?? t('library.statusName', { status })
}
