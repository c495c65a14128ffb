// Main process (and the e2e harness): handlers of the dossier area — dossiers, duplicates, merge, schema, lists and
// list printing. Family contacts leave main only from `dossiers:get` with revealFamily (logged as
// `dossier.family_revealed`); an update that did not fetch them keeps the stored ones.
import { CustodiaError } from '../../../../shared/errors'
import type { dossierChannels, DossierListView } from '../../../../shared/ipc/channels/dossierChannels'
import { findDuplicates } from '../../../../shared/dossiers/duplicates'
import { countBy, filterDossiers } from '../../../../shared/dossiers/filter'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'
import { prepareAttachmentView } from '../../library/attachmentViewer'
import {
  createDossier,
  createDossierList,
  createDossierMergedInto,
  deleteDossier,
  deleteDossierList,
  getDossier,
  getDossierList,
  getDossierSchema,
  listDossierLists,
  listDossierSummaries,
  mergeDossiers,
  renameDossierVocabulary,
  saveDossierSchema,
  updateDossier,
  updateDossierList,
  type DossierSummaryListing,
} from '../../dossiers/dossierService'
import {
  attachFilesToDossier,
  deleteDossierAttachment,
  exportDossierAttachment,
  findDossierAttachment,
  listDossierAttachments,
  readDossierPhoto,
} from '../../dossiers/dossierAttachments'
import { printDossierList } from '../../dossiers/listPrint'
import { writeUserFileSync } from '../../platform/fs/atomicWrite'
import { safeFileName } from '../../platform/fs/safeFileName'
import type { Vault } from '../../vault/vault'

function toListItem(entry: DossierSummaryListing) {
  const s = entry.summary
  return {
    id: entry.id,
    revision: entry.revision,
    savedAt: entry.savedAt,
    name: s.name,
    transliteration: s.transliteration,
    status: s.status,
    category: s.category,
    region: s.region,
    flags: s.flags,
    consent: s.consent,
    birthYear: s.birthYear,
  }
}

function viewList(vault: Vault, id: string, summaries = listDossierSummaries(vault)): DossierListView {
  const list = getDossierList(vault, id)
  return toListView(list, summaries)
}

function toListView(list: ReturnType<typeof getDossierList>, summaries: readonly DossierSummaryListing[]): DossierListView {
  const members = new Set(list.dossierIds)
  return {
    id: list.id,
    revision: list.revision,
    name: list.name,
    ...(list.description !== undefined ? { description: list.description } : {}),
    dossierIds: list.dossierIds,
    counts: countBy(summaries.filter((s) => members.has(s.id))),
  }
}

/** The PDF file name offered for a printed list: the list's name under the one file-name rule. */
function proposePdfName(listName: string): string {
  return `${safeFileName(listName, 'Dossier list', { maxBytes: 120 })}.pdf`
}

export function createDossierHandlers(ctx: HandlerContext): AreaHandlers<typeof dossierChannels> {
  const { session } = ctx
  // The member working now (a new unlock may be someone else): named on every revision they save.
  const author = (): string => session.authorName()

  const writeMembers = (id: string, change: (ids: string[]) => string[], expectedRevision?: number): DossierListView => {
    const vault = session.requireVault()
    const list = getDossierList(vault, id)
    if (expectedRevision !== undefined && expectedRevision !== list.revision)
      throw new CustodiaError('CONFLICT', 'The list was changed since it was read')
    updateDossierList(
      vault,
      id,
      {
        name: list.name,
        ...(list.description !== undefined ? { description: list.description } : {}),
        dossierIds: change([...list.dossierIds]),
      },
      { expectedRevision: list.revision, author: author() },
    )
    return viewList(vault, id)
  }

  return {
    'dossiers:list': ({ filter }) => {
      const vault = session.requireVault()
      const all = listDossierSummaries(vault)
      const lists = filter?.listId !== undefined ? [getDossierList(vault, filter.listId)] : []
      const matching = filter ? (filterDossiers(all, filter, lists) as DossierSummaryListing[]) : all
      const sorted = filter?.listId !== undefined ? matching : [...matching].sort((a, b) => a.summary.name.localeCompare(b.summary.name))
      const regions = [...new Set(all.map((s) => s.summary.region).filter((r) => r !== ''))].sort((a, b) => a.localeCompare(b))
      return { dossiers: sorted.map(toListItem), counts: countBy(matching), totalStored: all.length, regions }
    },
    'dossiers:get': ({ id, revision, revealFamily }) => {
      const vault = session.requireVault()
      const stored = getDossier(vault, id, revision)
      const contacts = stored.dossier.family.contacts
      const reveal = revealFamily === true
      if (reveal) vault.audit.append('dossier.family_revealed', { dossierId: id, revision: stored.revision, contacts: contacts.length })
      return {
        id: stored.id,
        revision: stored.revision,
        savedAt: stored.savedAt,
        author: stored.author,
        dossier: { ...stored.dossier, family: { contacts: reveal ? contacts : [] } },
        familyCount: contacts.length,
        familyRevealed: reveal,
        sensitiveHidden: stored.sensitiveHidden,
        issues: stored.issues,
      }
    },
    'dossiers:create': ({ dossier }) => {
      const ref = createDossier(session.requireVault(), dossier, { author: author() })
      return { id: ref.id, revision: ref.revision, warnings: ref.warnings }
    },
    'dossiers:update': ({ id, expectedRevision, dossier, family }) => {
      const vault = session.requireVault()
      let next = dossier
      if (family === 'keep') {
        if (dossier.family.contacts.length > 0) {
          throw new CustodiaError(
            'VALIDATION',
            "Family contacts were sent with family: 'keep': reveal them first or send family: 'replace'",
          )
        }
        const current = getDossier(vault, id)
        if (current.revision !== expectedRevision) throw new CustodiaError('CONFLICT', 'The dossier was changed since it was read')
        next = { ...dossier, family: current.dossier.family }
      }
      const ref = updateDossier(vault, id, next, { expectedRevision, author: author() })
      return { id: ref.id, revision: ref.revision, warnings: ref.warnings }
    },
    'dossiers:delete': ({ id }) => {
      deleteDossier(session.requireVault(), id, { author: author() })
      return {}
    },
    'dossiers:checkDuplicates': ({ names, birthYear, birthApproximate, excludeId }) => {
      const summaries = listDossierSummaries(session.requireVault())
      const byId = new Map(summaries.map((s) => [s.id, s]))
      const matches = findDuplicates(
        { names, birthYear: birthYear ?? null, birthApproximate: birthApproximate === true },
        summaries,
        excludeId !== undefined ? { excludeId } : {},
      )
      return {
        matches: matches.slice(0, 20).map((m) => {
          const s = byId.get(m.id)!.summary
          return {
            id: m.id,
            reason: m.reason,
            distance: m.distance,
            name: s.name,
            transliteration: s.transliteration,
            status: s.status,
            birthYear: s.birthYear,
          }
        }),
      }
    },
    'dossiers:merge': async ({ keepId, dropId }) => mergeDossiers(session.requireVault(), keepId, dropId, { author: author() }),
    'dossiers:createMerged': ({ dossier, keepId }) =>
      createDossierMergedInto(session.requireVault(), dossier, keepId, { author: author() }),
    'dossiers:getSchema': () => getDossierSchema(session.requireVault(), { author: author() }),
    'dossiers:updateSchema': ({ schema, expectedRevision }) =>
      saveDossierSchema(session.requireVault(), schema, { expectedRevision, author: author() }),
    'dossiers:renameVocabulary': ({ vocabularyId, label, expectedRevision }) =>
      renameDossierVocabulary(session.requireVault(), vocabularyId, label, { expectedRevision, author: author() }),
    'dossiers:listLists': () => {
      const vault = session.requireVault()
      const summaries = listDossierSummaries(vault)
      return {
        lists: listDossierLists(vault)
          .map((list) => toListView(list, summaries))
          .sort((a, b) => a.name.localeCompare(b.name)),
      }
    },
    'dossiers:createList': ({ name, description, dossierIds }) => {
      const vault = session.requireVault()
      const ref = createDossierList(
        vault,
        { name, ...(description !== undefined ? { description } : {}), dossierIds: dossierIds ?? [] },
        { author: author() },
      )
      return viewList(vault, ref.id)
    },
    'dossiers:renameList': ({ id, expectedRevision, name, description }) => {
      const vault = session.requireVault()
      const list = getDossierList(vault, id)
      updateDossierList(
        vault,
        id,
        { name, ...(description !== undefined ? { description } : {}), dossierIds: list.dossierIds },
        { expectedRevision, author: author() },
      )
      return viewList(vault, id)
    },
    'dossiers:deleteList': ({ id }) => {
      deleteDossierList(session.requireVault(), id)
      return {}
    },
    'dossiers:addToList': ({ id, dossierIds }) =>
      writeMembers(id, (ids) => [...ids, ...[...new Set(dossierIds)].filter((d) => !ids.includes(d))]),
    'dossiers:removeFromList': ({ id, dossierId }) =>
      writeMembers(id, (ids) => {
        if (!ids.includes(dossierId)) throw new CustodiaError('NOT_FOUND', 'This dossier is not in the list')
        return ids.filter((d) => d !== dossierId)
      }),
    'dossiers:moveInList': ({ id, expectedRevision, dossierId, toIndex }) =>
      writeMembers(
        id,
        (ids) => {
          const from = ids.indexOf(dossierId)
          if (from === -1) throw new CustodiaError('NOT_FOUND', 'This dossier is not in the list')
          ids.splice(from, 1)
          ids.splice(Math.min(toIndex, ids.length), 0, dossierId)
          return ids
        },
        expectedRevision,
      ),
    'dossiers:printList': ({ id, audience, partner, pageSize }) => {
      const result = printDossierList(session.requireVault(), id, {
        audience,
        ...(partner !== undefined ? { partner } : {}),
        ...(pageSize ? { pageSize } : {}),
      })
      return { ...result, pdfAvailable: ctx.platform.renderPdf !== undefined }
    },
    'dossiers:exportListPdf': async ({ id, audience, partner, pageSize }) => {
      const renderPdf = ctx.platform.renderPdf?.bind(ctx.platform)
      if (!renderPdf) throw new CustodiaError('UNSUPPORTED', 'PDF export is not available here: use Print instead.')
      const vault = session.requireVault()
      const name = getDossierList(vault, id).name
      const dest = await ctx.platform.chooseSaveLocation(proposePdfName(name))
      if (dest === null) return { saved: false, included: 0, omitted: 0 }
      // Re-read after the dialog: the vault may have locked or the list changed while it was open.
      const result = printDossierList(session.requireVault(), id, {
        audience,
        ...(partner !== undefined ? { partner } : {}),
        pageSize: pageSize ?? 'A4',
      })
      const pdf = await renderPdf(result.html, pageSize ?? 'A4')
      writeUserFileSync(dest, pdf)
      session
        .requireVault()
        .audit.append('dossier_list.exported', { listId: id, audience, included: result.included, omitted: result.omitted })
      return { saved: true, included: result.included, omitted: result.omitted }
    },
    'dossiers:listAttachments': ({ id }) => ({ attachments: listDossierAttachments(session.requireVault(), id) }),
    'dossiers:addAttachments': async ({ id }) => {
      // Checked before the dialog opens: no point choosing files for a dossier that is not there.
      listDossierAttachments(session.requireVault(), id)
      const paths = await ctx.platform.chooseFiles('attach')
      // Re-read after the dialog: the vault may have locked or the dossier gone while it was open.
      const vault = session.requireVault()
      const added = paths.length === 0 ? [] : await attachFilesToDossier(vault, id, paths)
      return { attachments: listDossierAttachments(session.requireVault(), id), added: added.length }
    },
    'dossiers:exportAttachment': async ({ id, attachmentId }) => {
      const attachment = findDossierAttachment(session.requireVault(), id, attachmentId)
      // The stored name may come from anywhere (an imported file, a bundle): it must not name another folder.
      const dest = await ctx.platform.chooseSaveLocation(safeFileName(attachment.filename, 'attachment'))
      if (dest === null) return { saved: false }
      await exportDossierAttachment(session.requireVault(), id, attachmentId, dest)
      return { saved: true }
    },
    'dossiers:openAttachment': async ({ id, attachmentId }) => {
      const vault = session.requireVault()
      const attachment = findDossierAttachment(vault, id, attachmentId)
      return { attachment, content: await prepareAttachmentView(ctx.attachmentViews, attachment, await vault.readAttachment(attachmentId)) }
    },
    'dossiers:deleteAttachment': ({ id, attachmentId, expectedRevision }) => {
      const vault = session.requireVault()
      const { revision } = deleteDossierAttachment(vault, id, attachmentId, {
        ...(expectedRevision !== undefined ? { expectedRevision } : {}),
        author: author(),
      })
      return { revision, attachments: listDossierAttachments(vault, id) }
    },
    'dossiers:getPhoto': async ({ id, attachmentId }) => ({ dataUrl: await readDossierPhoto(session.requireVault(), id, attachmentId) }),
  }
}
