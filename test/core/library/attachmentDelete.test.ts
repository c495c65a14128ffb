// Core test (Node): deleting a library document's attachment through the real dispatcher, handlers and an encrypted
// vault — the imported original can go and the document keeps its text and history, the other attachment and other
// documents stay, the audit names ids only, another document's file is NOT_FOUND, malformed payloads are refused by
// the schema before any handler runs, and a locked vault answers VAULT_LOCKED.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { deleteDocumentAttachment } from '../../../electron/core/library/libraryService'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'

const LETTER = 'To the Ombudsman of Ukraine\n\n12 March 2025\n\nRequest about the detention of Olena Vyhadana since June 2023.\n'
const NOTE = 'Working note: call the family on Friday about the reply.\n'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
let services: AppServices

beforeAll(async () => {
  fs.writeFileSync(path.join(root, 'request to ombudsman.txt'), LETTER)
  fs.writeFileSync(path.join(root, 'working note.txt'), NOTE)
  services = await startTestServices(root)
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

const call = <T = Record<string, unknown>>(channel: string, request: unknown) => callChannel<T>(services, channel, request)
const fail = (channel: string, request: unknown) => failChannel(services, channel, request)
const vault = () => services.session.requireVault()
const blobOf = (id: string) => path.join(root, 'vault', 'blobs', id.slice(0, 2), id)

interface Imported {
  results: { ok: boolean; id: string; attachmentId: string }[]
}
interface Files {
  attachments: { id: string; filename: string }[]
}

let letterId = ''
let originalId = ''
let laterId = ''
let noteId = ''
let noteFileId = ''

describe('library:deleteAttachment', () => {
  it('deletes the imported original; the document keeps its text, its history and its other attachment', async () => {
    const imported = await call<Imported>('library:import', {
      paths: [path.join(root, 'request to ombudsman.txt'), path.join(root, 'working note.txt')],
    })
    expect(imported.results.map((r) => r.ok)).toEqual([true, true])
    ;({ id: letterId, attachmentId: originalId } = imported.results[0]!)
    ;({ id: noteId, attachmentId: noteFileId } = imported.results[1]!)
    laterId = (
      await vault().addAttachmentFromStream(letterId, Readable.from([Buffer.from('scan of the reply')]), {
        filename: 'reply scan.txt',
        mediaType: 'text/plain',
      })
    ).id
    const before = await call<{ revision: number; document: { text: string; title: string } }>('library:get', { id: letterId })

    const result = await call<Files>('library:deleteAttachment', { documentId: letterId, attachmentId: originalId })
    expect(result.attachments.map((a) => [a.id, a.filename])).toEqual([[laterId, 'reply scan.txt']])
    expect((await call<Files>('library:listAttachments', { id: letterId })).attachments.map((a) => a.id)).toEqual([laterId])
    expect(fs.existsSync(blobOf(originalId))).toBe(false)
    expect(fs.existsSync(blobOf(laterId))).toBe(true)

    const after = await call<{ revision: number; document: { text: string; title: string } }>('library:get', { id: letterId })
    expect(after.revision).toBe(before.revision)
    expect(after.document.text).toBe(before.document.text)
    expect(after.document.text).toContain('detention of Olena Vyhadana')
    expect((await call<{ revisions: unknown[] }>('library:listRevisions', { id: letterId })).revisions).toHaveLength(1)
    // The other document and its original are untouched.
    expect((await call<Files>('library:listAttachments', { id: noteId })).attachments.map((a) => a.id)).toEqual([noteFileId])
    expect((await vault().readAttachment(noteFileId)).toString()).toBe(NOTE)

    const entry = vault().audit.list().at(-1)!
    expect(entry).toMatchObject({ type: 'attachment.deleted', details: { recordId: letterId, attachmentId: originalId } })
    expect(JSON.stringify(entry)).not.toContain('ombudsman')
  })

  it('refuses another document’s file, an unknown one and an unknown document (NOT_FOUND), changing nothing', async () => {
    const crossed = await fail('library:deleteAttachment', { documentId: letterId, attachmentId: noteFileId })
    expect(crossed).toMatchObject({ code: 'NOT_FOUND', message: 'No attachment with this id on this document' })
    expect((await fail('library:deleteAttachment', { documentId: letterId, attachmentId: originalId })).code).toBe('NOT_FOUND')
    expect((await fail('library:deleteAttachment', { documentId: 'e'.repeat(32), attachmentId: laterId })).code).toBe('NOT_FOUND')
    expect(() => deleteDocumentAttachment(vault(), noteId, laterId)).toThrow('No attachment with this id on this document')
    expect((await call<Files>('library:listAttachments', { id: noteId })).attachments.map((a) => a.id)).toEqual([noteFileId])
    expect((await call<Files>('library:listAttachments', { id: letterId })).attachments.map((a) => a.id)).toEqual([laterId])
  })

  it('rejects malformed payloads before the handler runs', async () => {
    const auditBefore = vault().audit.list().length
    for (const bad of [
      { documentId: letterId },
      { documentId: letterId, attachmentId: 'not-an-id' },
      { documentId: letterId, attachmentId: laterId, extra: true },
      { documentId: letterId.toUpperCase(), attachmentId: laterId },
      { id: letterId, attachmentId: laterId },
    ]) {
      expect((await fail('library:deleteAttachment', bad)).code).toBe('VALIDATION')
    }
    expect(vault().audit.list()).toHaveLength(auditBefore)
    expect(fs.existsSync(blobOf(laterId))).toBe(true)
  })

  it('answers VAULT_LOCKED when the vault is locked', async () => {
    services.session.lock('user')
    expect((await fail('library:deleteAttachment', { documentId: letterId, attachmentId: laterId })).code).toBe('VAULT_LOCKED')
    expect(fs.existsSync(blobOf(laterId))).toBe(true)
  })
})
