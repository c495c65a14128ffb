// Shared (main and the dossier form): where a dossier points at one of its attachments — the person's photo and the
// files linked to timeline events — and the same dossier with those pointers to one attachment taken out, so that
// deleting a file never leaves a dossier naming an attachment that is gone.
import type { Dossier } from './dossier'

/** How many places of `dossier` name `attachmentId`: the photo (0 or 1) and each timeline event linking it. */
export function countAttachmentReferences(dossier: Readonly<Dossier>, attachmentId: string): { photo: boolean; events: number } {
  return {
    photo: dossier.photoAttachmentId === attachmentId,
    events: dossier.timeline.filter((t) => t.attachmentIds.includes(attachmentId)).length,
  }
}

/**
 * The dossier without any pointer to `attachmentId` (no photo if it was the photo; unlinked from every timeline event,
 * the events themselves kept). Returns the same object when nothing pointed at it, so a caller can skip a write.
 */
export function dropAttachmentReferences<D extends Dossier>(dossier: D, attachmentId: string): D {
  const refs = countAttachmentReferences(dossier, attachmentId)
  if (!refs.photo && refs.events === 0) return dossier
  const next: D = {
    ...dossier,
    timeline: dossier.timeline.map((t) =>
      t.attachmentIds.includes(attachmentId) ? { ...t, attachmentIds: t.attachmentIds.filter((id) => id !== attachmentId) } : t,
    ),
  }
  if (refs.photo) delete next.photoAttachmentId
  return next
}
