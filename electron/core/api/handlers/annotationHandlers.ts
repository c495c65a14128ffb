// Main process (and the e2e harness): handlers of the annotations area. Every call reaches the vault through the
// session (VAULT_LOCKED when locked); save dialogs and PDF printing come from `Platform`.
import { CustodiaError } from '../../../../shared/errors'
import type { annotationChannels } from '../../../../shared/ipc/channels/annotationChannels'
import {
  createAnnotation,
  deleteAnnotation,
  editAnnotation,
  listAnnotations,
  findAnnotatedRecord,
  replyToAnnotation,
  setAnnotationStatus,
} from '../../annotations/annotationService'
import { buildAnnotationReportHtml, exportRecordW3C, exportSearchW3C } from '../../annotations/annotationExport'
import { addLegalBasis, listLegalBases, updateLegalBasis } from '../../annotations/legalBasisVocabulary'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'
import { writeUserFileSync } from '../../platform/fs/atomicWrite'
import { safeFileName } from '../../platform/fs/safeFileName'
import { readAuthorPerson } from '../../session/author'

/** The start of an export's file name: the record's title under the one file-name rule. */
function buildFileStem(title: unknown): string {
  return safeFileName(typeof title === 'string' ? title : '', 'document', { maxBytes: 120 })
}

export function createAnnotationHandlers(ctx: HandlerContext): AreaHandlers<typeof annotationChannels> {
  const { session } = ctx
  // The person annotating: the member working now (kept inside the vault, like revision authors).
  const author = () => readAuthorPerson(session.member())
  const vault = () => session.requireVault()
  const titleOf = (recordId: string) => buildFileStem(vault().getRecord(recordId).summary['title'])
  return {
    'annotations:locate': ({ annotationRecordId }) => findAnnotatedRecord(vault(), annotationRecordId),
    'annotations:list': ({ recordId }) => {
      const v = vault()
      const annotations = listAnnotations(v, recordId)
      return { revision: v.getRecord(recordId).revision, annotations }
    },
    'annotations:create': (request) => ({ annotation: createAnnotation(vault(), request, author()) }),
    'annotations:update': ({ id, ...patch }) => ({ annotation: editAnnotation(vault(), id, patch) }),
    'annotations:reply': ({ id, text }) => ({ annotation: replyToAnnotation(vault(), id, text, author()) }),
    'annotations:setStatus': ({ id, status }) => ({ annotation: setAnnotationStatus(vault(), id, status) }),
    'annotations:delete': ({ id }) => {
      deleteAnnotation(vault(), id)
      return {}
    },
    'annotations:listLegalBases': () => ({ entries: listLegalBases(vault()) }),
    'annotations:createLegalBasis': ({ entry }) => ({ entries: addLegalBasis(vault(), entry) }),
    'annotations:updateLegalBasis': ({ id, ...patch }) => ({ entries: updateLegalBasis(vault(), id, patch) }),
    'annotations:exportW3C': async ({ recordId }) => {
      // Built before asking, so a failing export shows no dialog and writes nothing.
      const json = JSON.stringify(exportRecordW3C(vault(), recordId), null, 2)
      const dest = await ctx.platform.chooseSaveLocation(`${titleOf(recordId)} annotations.jsonld`)
      if (dest === null) return { saved: false }
      writeUserFileSync(dest, json)
      vault().audit.append('annotations.exported', { recordId, format: 'w3c' })
      return { saved: true }
    },
    'annotations:exportSearchW3C': async ({ query, filter }) => {
      const collection = exportSearchW3C(vault(), await session.requireSearch(), query, filter)
      const dest = await ctx.platform.chooseSaveLocation('annotations.jsonld')
      // `total` counts the page's items: the annotations found and their replies.
      if (dest === null) return { saved: false, count: collection.total }
      writeUserFileSync(dest, JSON.stringify(collection, null, 2))
      vault().audit.append('annotations.exported', { format: 'w3c', annotations: collection.total, search: true })
      return { saved: true, count: collection.total }
    },
    'annotations:exportPdf': async ({ recordId }) => {
      if (!ctx.platform.renderPdf) throw new CustodiaError('UNSUPPORTED', 'PDF export is not available in this window.')
      const html = buildAnnotationReportHtml(vault(), recordId)
      const pdf = await ctx.platform.renderPdf(html, 'A4')
      const dest = await ctx.platform.chooseSaveLocation(`${titleOf(recordId)} annotations.pdf`)
      if (dest === null) return { saved: false }
      writeUserFileSync(dest, pdf)
      vault().audit.append('annotations.exported', { recordId, format: 'pdf' })
      return { saved: true }
    },
  }
}
