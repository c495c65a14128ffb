// Main process / CLI (Node): "Destroy for good" on one item the user sees — a document, a dossier, an annotation thread
// or an attachment (issue #16). Resolves what the id is, takes a record's annotation threads with it (they quote the
// record's text), and shreds through the session, which also makes the search index forget it.

import { CustodiaError } from '../../../shared/errors'
import { DOSSIER_RECORD_KIND } from '../../../shared/dossiers/dossier'
import { dropAttachmentReferences } from '../../../shared/dossiers/attachmentRefs'
import { ANNOTATION_RECORD_KIND, toAnnotationRecordId } from '../annotations/annotationService'
import { getDossier, updateDossier } from '../dossiers/dossierService'
import type { VaultSession } from '../session/vaultSession'

/** What was destroyed, for the confirmation the user sees and the CLI prints. */
export interface ShredItemResult {
  kind: 'document' | 'dossier' | 'annotation' | 'attachment' | 'record'
  /** Records destroyed: the item itself and the annotation threads on it. */
  records: number
  attachments: number
  /** False when another program kept the database's log busy (docs/CRYPTO.md section 13). */
  logCleared: boolean
}

const RECORD_ID = /^[0-9a-f]{32}$/
const ANNOTATION_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Shreds the item with this id: a record id (32 hex characters: a document, dossier or other record), an attachment
 * id, or an annotation's id (a UUID). A record's annotation threads and attachments go with it. Neither → VALIDATION;
 * unknown → NOT_FOUND; nothing changes on either.
 */
export async function shredItem(session: VaultSession, id: string): Promise<ShredItemResult> {
  const vault = session.requireVault()
  if (typeof id !== 'string' || !(RECORD_ID.test(id) || ANNOTATION_UUID.test(id)))
    throw new CustodiaError('VALIDATION', 'This is not the id of a document, dossier, annotation or attachment')
  const recordId = ANNOTATION_UUID.test(id) ? toAnnotationRecordId(id) : id
  const ids = [recordId]
  let kind: ShredItemResult['kind'] = 'attachment'
  if (vault.hasRecord(recordId)) {
    const recordKind = vault.getRecord(recordId).kind
    kind = recordKind === ANNOTATION_RECORD_KIND ? 'annotation' : recordKind === DOSSIER_RECORD_KIND ? 'dossier' : 'document'
    if (kind !== 'annotation') {
      ids.push(
        ...vault
          .listRecords({ kind: ANNOTATION_RECORD_KIND })
          .filter((r) => r.summary['recordId'] === recordId)
          .map((r) => r.id),
      )
    }
  } else if (ANNOTATION_UUID.test(id)) {
    throw new CustodiaError('NOT_FOUND', 'There is no annotation with this id')
  } else {
    dropDossierPointers(session, recordId)
  }
  const result = await session.shredItems(ids)
  return { kind, records: result.records.length, attachments: result.attachments.length, logCleared: result.logCleared }
}

/**
 * A dossier file about to be shredded: first a new dossier revision without the pointers to it (its photo, timeline
 * links), written while the file still exists so the dossier's checks pass; then the shred. A crash in between leaves
 * the file without pointers, never pointers to nothing. Ids only: the pointers hold no content of the file.
 */
function dropDossierPointers(session: VaultSession, attachmentId: string): void {
  const vault = session.requireVault()
  const owner = vault.findAttachmentRecord(attachmentId)
  if (owner === null || !vault.hasRecord(owner) || vault.getRecord(owner).kind !== DOSSIER_RECORD_KIND) return
  const stored = getDossier(vault, owner)
  const cleaned = dropAttachmentReferences(stored.dossier, attachmentId)
  if (cleaned !== stored.dossier) updateDossier(vault, owner, cleaned, { expectedRevision: stored.revision, author: session.authorName() })
}
