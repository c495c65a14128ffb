// Test helper (Node): one minimal valid request for every IPC channel of the contract, for tests that must call
// every channel (e.g. "everything answers VAULT_LOCKED after a lock"). Typed by the contract, so a channel added
// without an entry here is a compile error, and test/unit/ipc/sampleRequests.test.ts checks each against its schema.
import { createDefaultDossierSchema } from '../../shared/dossiers/dossierSchema'
import type { ChannelName, ChannelRequest } from '../../shared/ipc/contract'

/** Ids of nothing: well-formed, so a request passes its schema and the handler decides (locked, not found…). */
const ID = '0123456789abcdef0123456789abcdef'
const OTHER_ID = 'fedcba9876543210fedcba9876543210'
const ANNOTATION_ID = '00000000-0000-4000-8000-000000000000'
/** A folder that cannot exist (its parent is a device file), so dispatching vault:create with it creates nothing. */
const NO_VAULT_DIR = '/dev/null/custodia-sample-vault'
const PASSPHRASE = 'sample passphrase long enough'
const DOCUMENT = { kind: 'note', title: 'Sample', date: null, text: 'Sample text' } as const
const DOSSIER = { names: { original: 'Sample Person' }, category: 'political-prisoner' } as const

export type SampleRequests = { [C in ChannelName]: ChannelRequest<C> }

export const SAMPLE_REQUESTS: SampleRequests = {
  'app:getInfo': {},
  'app:openLogFolder': {},
  'vault:status': {},
  'vault:listRecent': {},
  'vault:chooseFolder': { purpose: 'open' },
  'vault:create': { dir: NO_VAULT_DIR, passphrase: PASSPHRASE },
  'vault:unlock': { dir: NO_VAULT_DIR, passphrase: PASSPHRASE },
  'vault:unlockWithRecoveryKey': { dir: NO_VAULT_DIR, recoveryKey: 'sample-recovery-key' },
  'vault:lock': {},
  'vault:acceptIntegrity': {},
  'vault:changePassphrase': { oldPassphrase: PASSPHRASE, newPassphrase: `${PASSPHRASE} new` },
  'vault:setAutoLock': { minutes: 5 },
  'audit:verify': {},

  'library:list': {},
  'library:get': { id: ID },
  'library:create': { document: DOCUMENT },
  'library:update': { id: ID, expectedRevision: 1, document: DOCUMENT },
  'library:delete': { id: ID },
  'library:listRevisions': { id: ID },
  'library:diffRevisions': { id: ID, from: 1, to: 2 },
  'library:restoreRevision': { id: ID, revision: 1, expectedRevision: 2 },
  'library:import': { paths: ['/nonexistent/sample.txt'] },
  'library:chooseImportFiles': {},
  'library:listAttachments': { id: ID },
  'library:exportAttachment': { documentId: ID, attachmentId: OTHER_ID },
  'library:deleteAttachment': { documentId: ID, attachmentId: OTHER_ID },
  'search:query': { query: 'sample' },
  'search:getFacets': {},
  'search:listSaved': {},
  'search:createSaved': { name: 'Sample', query: 'sample', filter: {} },
  'search:deleteSaved': { id: ID },

  'dossiers:list': {},
  'dossiers:get': { id: ID },
  'dossiers:create': { dossier: DOSSIER },
  'dossiers:update': { id: ID, expectedRevision: 1, dossier: DOSSIER, family: 'keep' },
  'dossiers:delete': { id: ID },
  'dossiers:checkDuplicates': { names: { original: 'Sample Person' } },
  'dossiers:merge': { keepId: ID, dropId: OTHER_ID },
  'dossiers:createMerged': { dossier: DOSSIER, keepId: ID },
  'dossiers:getSchema': {},
  'dossiers:updateSchema': { schema: createDefaultDossierSchema(), expectedRevision: 1 },
  'dossiers:renameVocabulary': { vocabularyId: 'regions', label: 'Regions', expectedRevision: 1 },
  'dossiers:listLists': {},
  'dossiers:createList': { name: 'Sample list' },
  'dossiers:renameList': { id: ID, expectedRevision: 1, name: 'Sample list' },
  'dossiers:deleteList': { id: ID },
  'dossiers:addToList': { id: ID, dossierIds: [OTHER_ID] },
  'dossiers:removeFromList': { id: ID, dossierId: OTHER_ID },
  'dossiers:moveInList': { id: ID, expectedRevision: 1, dossierId: OTHER_ID, toIndex: 0 },
  'dossiers:printList': { id: ID, audience: 'internal' },
  'dossiers:exportListPdf': { id: ID, audience: 'internal' },
  'dossiers:listAttachments': { id: ID },
  'dossiers:addAttachments': { id: ID },
  'dossiers:exportAttachment': { id: ID, attachmentId: OTHER_ID },
  'dossiers:deleteAttachment': { id: ID, attachmentId: OTHER_ID },
  'dossiers:getPhoto': { id: ID },

  'letters:listTemplates': {},
  'letters:getTemplate': { templateId: 'standpoint' },
  'letters:preview': { templateId: 'standpoint', data: {} },
  'letters:export': { templateId: 'standpoint', data: {}, format: 'txt' },
  'letters:merge': { templateId: 'standpoint', data: {}, format: 'txt' },
  'letters:listDrafts': {},
  'letters:getDraft': { id: ID },
  'letters:saveDraft': { templateId: 'standpoint', data: {} },
  'letters:markSent': { id: ID, expectedRevision: 1 },
  'letters:copyDraft': { id: ID },
  'templates:duplicate': { templateId: 'standpoint' },
  'templates:save': { template: {} },
  'templates:delete': { templateId: 'sample-template' },
  'templates:import': { json: '{}' },
  'templates:export': { templateId: 'standpoint' },

  'exchange:getIdentity': {},
  'exchange:renameIdentity': { name: 'Sample', organisation: 'Sample Org' },
  'exchange:getIdentityFile': {},
  'exchange:exportIdentityFile': {},
  'contacts:list': {},
  'contacts:openIdentityFile': {},
  'contacts:add': { text: 'sample identity file' },
  'contacts:setVerified': { id: ID, verified: true },
  'contacts:remove': { id: ID },
  'bundles:listSources': {},
  'bundles:planExport': { selection: { all: true } },
  'bundles:export': { jobId: ID, selection: { all: true } },
  'bundles:cancel': { jobId: ID },
  'bundles:open': { keys: { kind: 'own' } },
  'bundles:import': { token: ID, ids: [ID] },
  'bundles:close': { token: ID },

  'annotations:list': { recordId: ID },
  'annotations:locate': { annotationRecordId: ID },
  'annotations:create': { recordId: ID, body: 'Sample' },
  'annotations:update': { id: ANNOTATION_ID, body: 'Sample' },
  'annotations:reply': { id: ANNOTATION_ID, text: 'Sample' },
  'annotations:setStatus': { id: ANNOTATION_ID, status: 'resolved' },
  'annotations:delete': { id: ANNOTATION_ID },
  'annotations:listLegalBases': {},
  'annotations:createLegalBasis': {
    entry: { id: 'sample-art1', label: 'Sample art. 1', title: 'Sample instrument', article: '1', heading: 'Sample heading' },
  },
  'annotations:updateLegalBasis': { id: 'sample-art1', retired: true },
  'annotations:exportW3C': { recordId: ID },
  'annotations:exportSearchW3C': { query: 'sample' },
  'annotations:exportPdf': { recordId: ID },
  'organisation:getProfile': {},
  'organisation:setProfile': { profile: { name: 'Sample Committee', defaultLanguage: 'en-GB', signatories: [] } },

  'members:list': {},
  'members:add': { name: 'Sample Member', role: 'viewer' },
  'members:createInvitation': { id: ID },
  'members:setRole': { id: ID, role: 'archivist' },
  'members:suspend': { id: ID },
  'members:reinstate': { id: ID },
  'members:remove': { id: ID },
  'members:join': { dir: NO_VAULT_DIR, code: 'sample-invitation-code', newPassphrase: PASSPHRASE },
}
