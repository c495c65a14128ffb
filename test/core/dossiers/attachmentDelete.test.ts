// Core test (Node): deleting a dossier's file through the real dispatcher, handlers, service and an encrypted vault —
// the photo pointer and timeline links to it go in the same transaction (a new revision only when there were any,
// family contacts kept), files of other dossiers and other links stay, the audit names ids only, a stale revision is
// CONFLICT and a foreign file NOT_FOUND with nothing changed, a dossier that cannot be rewritten keeps the file, bad
// payloads are refused by the schema, and a locked vault answers VAULT_LOCKED.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { deleteDossierAttachment } from '../../../electron/core/dossiers/dossierAttachments'
import { getDossier, getDossierSchema, saveDossierSchema } from '../../../electron/core/dossiers/dossierService'
import { addCustomField } from '../../../shared/dossiers/dossierSchema'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'

/** A valid 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const FAMILY_SECRET = 'Mykola Secretfamilyname'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
const filesDir = path.join(root, 'files')
let services: AppServices
let nextFiles: string[] = []

beforeAll(async () => {
  fs.mkdirSync(filesDir)
  fs.writeFileSync(path.join(filesDir, 'portrait.png'), PNG)
  fs.writeFileSync(path.join(filesDir, 'letter to ombudsman.txt'), 'To the ombudsman: where is Olena Vyhadana held?\n')
  fs.writeFileSync(path.join(filesDir, 'reply scan.txt'), 'Reply: the request was forwarded.\n')
  fs.writeFileSync(path.join(filesDir, 'wrong file.txt'), 'Attached to the wrong dossier by mistake.\n')
  fs.writeFileSync(path.join(filesDir, 'ivan.txt'), 'A file of another dossier.\n')
  services = await startTestServices(root, { chooseFiles: async () => nextFiles })
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

const call = <T = Record<string, unknown>>(channel: string, request: unknown) => callChannel<T>(services, channel, request)
const fail = (channel: string, request: unknown) => failChannel(services, channel, request)
const vault = () => services.session.requireVault()
const blobOf = (id: string) => path.join(root, 'vault', 'blobs', id.slice(0, 2), id)
const attachedIds = async (id: string) => (await call<Files>('dossiers:listAttachments', { id })).attachments.map((a) => a.id)

interface Files {
  attachments: { id: string; filename: string }[]
}
interface Deleted extends Files {
  revision: number
}
interface DossierView {
  revision: number
  dossier: { photoAttachmentId?: string; timeline: { id: string; description: string; attachmentIds: string[] }[] } & Record<
    string,
    unknown
  >
}

let olenaId = ''
let ivanId = ''
const file: Record<string, string> = {}

async function attachFiles(dossierId: string, names: string[]): Promise<void> {
  nextFiles = names.map((n) => path.join(filesDir, n))
  const { attachments } = await call<Files>('dossiers:addAttachments', { id: dossierId })
  for (const a of attachments) file[a.filename] = a.id
}

describe('dossiers:deleteAttachment', () => {
  it('sets up a dossier whose photo and timeline point at its files', async () => {
    olenaId = (
      await call<{ id: string }>('dossiers:create', {
        dossier: {
          names: { original: 'Олена Вигадана' },
          category: 'civilian-detainee',
          family: { contacts: [{ name: FAMILY_SECRET, relation: 'son' }] },
        },
      })
    ).id
    ivanId = (
      await call<{ id: string }>('dossiers:create', { dossier: { names: { original: 'Іван Петренко' }, category: 'prisoner-of-war' } })
    ).id
    await attachFiles(olenaId, ['portrait.png', 'letter to ombudsman.txt', 'reply scan.txt', 'wrong file.txt'])
    await attachFiles(ivanId, ['ivan.txt'])
    const current = await call<DossierView>('dossiers:get', { id: olenaId })
    const timeline = [
      {
        id: 'sent',
        date: '2024-02-11',
        description: 'Letter sent to the ombudsman.',
        documentIds: [],
        attachmentIds: [file['letter to ombudsman.txt']],
      },
      {
        id: 'reply',
        date: '2024-03-02',
        description: 'The ombudsman replied.',
        documentIds: [],
        attachmentIds: [file['letter to ombudsman.txt'], file['reply scan.txt']],
      },
    ]
    const saved = await call<{ revision: number }>('dossiers:update', {
      id: olenaId,
      expectedRevision: current.revision,
      dossier: { ...current.dossier, photoAttachmentId: file['portrait.png'], timeline },
      family: 'keep',
    })
    expect(saved.revision).toBe(2)
  })

  it('deletes the photo file and clears the photo in a new revision, keeping family contacts', async () => {
    const before = vault().audit.list().length
    const result = await call<Deleted>('dossiers:deleteAttachment', {
      id: olenaId,
      attachmentId: file['portrait.png'],
      expectedRevision: 2,
    })
    expect(result.revision).toBe(3)
    expect(result.attachments.map((a) => a.filename)).toEqual(['letter to ombudsman.txt', 'reply scan.txt', 'wrong file.txt'])
    expect(fs.existsSync(blobOf(file['portrait.png']!))).toBe(false)

    const view = await call<DossierView>('dossiers:get', { id: olenaId })
    expect(view.revision).toBe(3)
    expect('photoAttachmentId' in view.dossier).toBe(false)
    expect(view.dossier.timeline.map((t) => t.attachmentIds)).toEqual([
      [file['letter to ombudsman.txt']],
      [file['letter to ombudsman.txt'], file['reply scan.txt']],
    ])
    expect(await call('dossiers:getPhoto', { id: olenaId })).toEqual({ dataUrl: null })
    // The editor never fetched the family contacts; the cleaning revision must not have dropped them.
    expect(getDossier(vault(), olenaId).dossier.family.contacts.map((c) => c.name)).toEqual([FAMILY_SECRET])

    const entries = vault().audit.list().slice(before)
    expect(entries.map((e) => [e.type, e.details])).toEqual([
      ['attachment.deleted', { recordId: olenaId, attachmentId: file['portrait.png'] }],
      ['record.updated', { recordId: olenaId, revision: 3 }],
      ['dossier.updated', { dossierId: olenaId, revision: 3 }],
      ['dossier.attachment_deleted', { dossierId: olenaId, attachmentId: file['portrait.png'] }],
    ])
    expect(JSON.stringify(entries)).not.toContain('portrait')
  })

  it('unlinks a deleted file from every timeline event and keeps the events and their other links', async () => {
    const result = await call<Deleted>('dossiers:deleteAttachment', {
      id: olenaId,
      attachmentId: file['letter to ombudsman.txt'],
      expectedRevision: 3,
    })
    expect(result.revision).toBe(4)
    const view = await call<DossierView>('dossiers:get', { id: olenaId })
    expect(view.dossier.timeline.map((t) => [t.id, t.description, t.attachmentIds])).toEqual([
      ['sent', 'Letter sent to the ombudsman.', []],
      ['reply', 'The ombudsman replied.', [file['reply scan.txt']]],
    ])
    expect((await vault().readAttachment(file['reply scan.txt']!)).toString()).toBe('Reply: the request was forwarded.\n')
  })

  it('deletes a file nothing points at without a new dossier revision', async () => {
    const result = await call<Deleted>('dossiers:deleteAttachment', { id: olenaId, attachmentId: file['wrong file.txt'] })
    expect(result.revision).toBe(4)
    expect((await call<DossierView>('dossiers:get', { id: olenaId })).revision).toBe(4)
    expect(await attachedIds(olenaId)).toEqual([file['reply scan.txt']])
    expect(vault().audit.list().at(-1)).toMatchObject({
      type: 'dossier.attachment_deleted',
      details: { dossierId: olenaId, attachmentId: file['wrong file.txt'] },
    })
  })

  it('refuses a stale revision, another dossier’s file, a deleted file and a non-dossier, changing nothing', async () => {
    const auditBefore = vault().audit.list().length
    const stale = await fail('dossiers:deleteAttachment', { id: olenaId, attachmentId: file['reply scan.txt'], expectedRevision: 3 })
    expect(stale.code).toBe('CONFLICT')
    expect((await fail('dossiers:deleteAttachment', { id: olenaId, attachmentId: file['ivan.txt'] })).code).toBe('NOT_FOUND')
    expect((await fail('dossiers:deleteAttachment', { id: ivanId, attachmentId: file['reply scan.txt'] })).code).toBe('NOT_FOUND')
    expect((await fail('dossiers:deleteAttachment', { id: olenaId, attachmentId: file['portrait.png'] })).code).toBe('NOT_FOUND')
    const listId = (await call<{ id: string }>('dossiers:createList', { name: 'Kherson detainees' })).id
    expect((await fail('dossiers:deleteAttachment', { id: listId, attachmentId: file['reply scan.txt'] })).code).toBe('NOT_FOUND')
    // Only the list creation was written.
    expect(
      vault()
        .audit.list()
        .slice(auditBefore)
        .map((e) => e.type),
    ).toEqual(['record.created', 'dossier_list.created'])
    expect(await attachedIds(olenaId)).toEqual([file['reply scan.txt']])
    expect(await attachedIds(ivanId)).toEqual([file['ivan.txt']])
    expect(fs.existsSync(blobOf(file['reply scan.txt']!))).toBe(true)
    expect((await call<DossierView>('dossiers:get', { id: olenaId })).revision).toBe(4)
  })

  it('keeps the file, its blob and the dossier when the cleaned dossier cannot be stored', async () => {
    // A stored dossier that no longer validates (a number field holding text, written below the dossier service):
    // the new revision is refused, so the whole transaction — the attachment row included — rolls back.
    const { schema, revision } = getDossierSchema(vault())
    const { schema: next, field } = addCustomField(schema, { label: 'Cell number', type: 'number' })
    saveDossierSchema(vault(), next, { expectedRevision: revision })
    const stored = getDossier(vault(), olenaId)
    vault().updateRecord(olenaId, {
      summary: vault().getRecord(olenaId).summary,
      body: { ...stored.dossier, customFields: { [field.id]: 'not a number' } },
    })
    const revisionBefore = vault().getRecord(olenaId).revision
    const auditBefore = vault().audit.list().length

    const refused = await fail('dossiers:deleteAttachment', { id: olenaId, attachmentId: file['reply scan.txt'] })
    expect(refused.code).toBe('VALIDATION')
    expect(await attachedIds(olenaId)).toEqual([file['reply scan.txt']])
    expect(fs.existsSync(blobOf(file['reply scan.txt']!))).toBe(true)
    expect((await vault().readAttachment(file['reply scan.txt']!)).toString()).toBe('Reply: the request was forwarded.\n')
    expect(vault().getRecord(olenaId).revision).toBe(revisionBefore)
    expect(getDossier(vault(), olenaId).dossier.timeline[1]!.attachmentIds).toEqual([file['reply scan.txt']])
    expect(vault().audit.list()).toHaveLength(auditBefore)
    // Through the service directly too: the same refusal.
    expect(() => deleteDossierAttachment(vault(), olenaId, file['reply scan.txt']!)).toThrow(/type of the field/)
  })

  it('rejects malformed payloads before the handler runs', async () => {
    for (const bad of [
      { id: olenaId },
      { id: olenaId, attachmentId: 'x' },
      { id: olenaId, attachmentId: file['reply scan.txt'], expectedRevision: 0 },
      { id: olenaId, attachmentId: file['reply scan.txt'], expectedRevision: '4' },
      { id: olenaId, attachmentId: file['reply scan.txt'], extra: 1 },
      { documentId: olenaId, attachmentId: file['reply scan.txt'] },
    ]) {
      expect((await fail('dossiers:deleteAttachment', bad)).code).toBe('VALIDATION')
    }
    expect(await attachedIds(olenaId)).toEqual([file['reply scan.txt']])
  })

  it('answers VAULT_LOCKED when the vault is locked', async () => {
    services.session.lock('user')
    expect((await fail('dossiers:deleteAttachment', { id: ivanId, attachmentId: file['ivan.txt'] })).code).toBe('VAULT_LOCKED')
    expect(fs.existsSync(blobOf(file['ivan.txt']!))).toBe(true)
  })
})
