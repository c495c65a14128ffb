// Main process (and the e2e harness): handlers of the library area — documents, revisions, import, attachments,
// search and saved searches. Every call reaches the vault through the session (VAULT_LOCKED when locked).
import type { libraryChannels } from '../../../../shared/ipc/channels/libraryChannels'
import type { AreaHandlers } from '../dispatch'
import type { HandlerContext } from '../context'
import { prepareAttachmentView } from '../../library/attachmentViewer'
import { createDocument, getDocument } from '../../library/documentService'
import {
  deleteDocumentAttachment,
  deleteLibraryDocument,
  diffDocumentRevisions,
  exportDocumentAttachment,
  findDocumentAttachment,
  importDocumentFiles,
  listDocumentAttachments,
  listDocumentRevisions,
  listLibrary,
  restoreDocumentRevision,
  saveLibraryDocument,
} from '../../library/libraryService'
import { deleteSavedSearch, listSavedSearches, saveSearch } from '../../library/savedSearches'
import { safeFileName } from '../../platform/fs/safeFileName'

export function createLibraryHandlers(ctx: HandlerContext): AreaHandlers<typeof libraryChannels> {
  const { session } = ctx
  // Who saves revisions from this app: the account name, shown in the revision history (kept inside the vault).
  // The member working now (a new unlock may be someone else): named on every revision they save.
  const author = (): string => session.authorName()
  return {
    'library:list': () => ({ documents: listLibrary(session.requireVault()) }),
    'library:get': ({ id, revision }) => {
      const found = getDocument(session.requireVault(), id, revision)
      return {
        id: found.id,
        kind: found.document.kind,
        revision: found.revision,
        savedAt: found.savedAt,
        author: found.author,
        document: found.document,
      }
    },
    'library:create': ({ document }) => {
      const ref = createDocument(session.requireVault(), document, author())
      return { id: ref.id, revision: ref.revision }
    },
    'library:update': ({ id, expectedRevision, document }) =>
      saveLibraryDocument(session.requireVault(), id, document, { expectedRevision, author: author() }),
    'library:delete': ({ id }) => {
      deleteLibraryDocument(session.requireVault(), id)
      return {}
    },
    'library:listRevisions': ({ id }) => ({ revisions: listDocumentRevisions(session.requireVault(), id) }),
    'library:diffRevisions': ({ id, from, to }) => diffDocumentRevisions(session.requireVault(), id, from, to),
    'library:restoreRevision': ({ id, revision, expectedRevision }) =>
      restoreDocumentRevision(session.requireVault(), id, revision, { expectedRevision, author: author() }),
    'library:import': async ({ paths }) => ({ results: await importDocumentFiles(session.requireVault(), paths, { author: author() }) }),
    'library:chooseImportFiles': async () => {
      session.requireVault()
      return { paths: await ctx.platform.chooseFiles('import') }
    },
    'library:listAttachments': ({ id }) => ({ attachments: listDocumentAttachments(session.requireVault(), id) }),
    'library:exportAttachment': async ({ documentId, attachmentId }) => {
      const attachment = listDocumentAttachments(session.requireVault(), documentId).find((a) => a.id === attachmentId)
      // The stored name came from a file once imported (or a bundle): never let it steer the dialog to another folder.
      const proposed = safeFileName(attachment?.filename ?? '', 'attachment')
      const dest = await ctx.platform.chooseSaveLocation(proposed)
      if (dest === null) return { saved: false }
      // Re-checked inside: the vault may have locked while the dialog was open.
      await exportDocumentAttachment(session.requireVault(), documentId, attachmentId, dest)
      return { saved: true }
    },
    'library:openAttachment': async ({ documentId, attachmentId }) => {
      const vault = session.requireVault()
      const attachment = findDocumentAttachment(vault, documentId, attachmentId)
      return { attachment, content: await prepareAttachmentView(ctx.attachmentViews, attachment, await vault.readAttachment(attachmentId)) }
    },
    'library:deleteAttachment': ({ documentId, attachmentId }) => {
      const vault = session.requireVault()
      deleteDocumentAttachment(vault, documentId, attachmentId)
      return { attachments: listDocumentAttachments(vault, documentId) }
    },
    'search:query': async ({ query, filter, limit, offset }) => (await session.requireSearch()).search(query, filter, { limit, offset }),
    'search:getFacets': async () => (await session.requireSearch()).facets(),
    'search:listSaved': () => ({ searches: listSavedSearches(session.requireVault()) }),
    'search:createSaved': ({ name, query, filter }) => saveSearch(session.requireVault(), name, query, filter),
    'search:deleteSaved': ({ id }) => {
      deleteSavedSearch(session.requireVault(), id)
      return {}
    },
  }
}
