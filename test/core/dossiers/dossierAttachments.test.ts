// Core test (Node): files of a dossier through the real dispatcher, handlers, service and an encrypted vault —
// attaching through a fake file dialog (audited by id only), listing, exporting an unencrypted copy byte for byte,
// attachments of one dossier refused for another (NOT_FOUND), the photo as a data URL checked by its bytes and size,
// and a timeline event's file link surviving a save.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import {
  MAX_PHOTO_BYTES,
  attachFilesToDossier,
  inferMediaType,
  proposeAttachmentName,
  readDossierPhoto,
  sniffPhotoType,
} from '../../../electron/core/dossiers/dossierAttachments'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'
import type { AttachmentView } from '../../../shared/ipc/channels/libraryChannels'

/** A valid 1×1 PNG (one opaque pixel). */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='
const PNG = Buffer.from(PNG_BASE64, 'base64')
const LETTER = 'Reply of the ombudsman, 2024-03-02: the request was forwarded.\n'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
const filesDir = path.join(root, 'files')
let services: AppServices
let nextFiles: string[] = []
let nextSave: string | null = null
const offeredNames: string[] = []
let dialogsOpened = 0

afterAll(() => {
  services?.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})
beforeAll(async () => {
  fs.mkdirSync(filesDir)
  fs.writeFileSync(path.join(filesDir, 'portrait.png'), PNG)
  fs.writeFileSync(path.join(filesDir, 'ombudsman reply.txt'), LETTER)
  // Named like an image but holding text: the photo check must look at the bytes, not the name.
  fs.writeFileSync(path.join(filesDir, 'not-really.png'), LETTER)
  services = await startTestServices(root, {
    chooseFiles: async () => {
      dialogsOpened++
      return nextFiles
    },
    chooseSaveLocation: async (name) => {
      offeredNames.push(name)
      return nextSave
    },
  })
})

const call = <T = Record<string, unknown>>(channel: string, request: unknown) => callChannel<T>(services, channel, request)
const fail = (channel: string, request: unknown) => failChannel(services, channel, request)
const vault = () => services.session.requireVault()

interface DossierView {
  revision: number
  dossier: { photoAttachmentId?: string; timeline: { id: string; attachmentIds: string[] }[] } & Record<string, unknown>
}

let olenaId = ''
let ivanId = ''
let pngId = ''
let letterId = ''
let ivanFileId = ''

describe('dossier files', () => {
  it('attaches the files chosen in the dialog, encrypted, and logs ids only', async () => {
    olenaId = (
      await call<{ id: string }>('dossiers:create', { dossier: { names: { original: 'Олена Вигадана' }, category: 'civilian-detainee' } })
    ).id
    ivanId = (
      await call<{ id: string }>('dossiers:create', { dossier: { names: { original: 'Іван Петренко' }, category: 'prisoner-of-war' } })
    ).id
    expect(await call('dossiers:listAttachments', { id: olenaId })).toEqual({ attachments: [] })

    nextFiles = [path.join(filesDir, 'portrait.png'), path.join(filesDir, 'ombudsman reply.txt')]
    const result = await call<{ attachments: AttachmentView[]; added: number }>('dossiers:addAttachments', { id: olenaId })
    expect(result.added).toBe(2)
    expect(result.attachments.map((a) => [a.filename, a.mediaType, a.size, a.recordId])).toEqual([
      ['portrait.png', 'image/png', PNG.length, olenaId],
      ['ombudsman reply.txt', 'text/plain', Buffer.byteLength(LETTER), olenaId],
    ])
    pngId = result.attachments[0]!.id
    letterId = result.attachments[1]!.id
    expect((await call<{ attachments: AttachmentView[] }>('dossiers:listAttachments', { id: olenaId })).attachments).toEqual(
      result.attachments,
    )

    const added = vault()
      .audit.list()
      .filter((e) => e.type === 'dossier.attachment_added')
    expect(added.map((e) => e.details)).toEqual([
      { dossierId: olenaId, attachmentId: pngId },
      { dossierId: olenaId, attachmentId: letterId },
    ])
    // Encrypted at rest: the letter's text is in no file of the vault folder.
    const vaultDir = path.join(root, 'vault')
    const vaultFiles = (fs.readdirSync(vaultDir, { recursive: true }) as string[])
      .map((f) => path.join(vaultDir, f))
      .filter((f) => fs.statSync(f).isFile())
    expect(vaultFiles.length).toBeGreaterThan(2)
    for (const file of vaultFiles) expect(fs.readFileSync(file).includes('ombudsman')).toBe(false)

    nextFiles = [path.join(filesDir, 'not-really.png')]
    ivanFileId = (await call<{ attachments: AttachmentView[] }>('dossiers:addAttachments', { id: ivanId })).attachments[0]!.id
  })

  it('adds nothing when the dialog is cancelled or a chosen file is missing or a folder', async () => {
    nextFiles = []
    const opened = dialogsOpened
    expect(await call('dossiers:addAttachments', { id: olenaId })).toMatchObject({ added: 0 })
    expect(dialogsOpened).toBe(opened + 1)

    nextFiles = [path.join(filesDir, 'portrait.png'), path.join(filesDir, 'gone.pdf')]
    const missing = await fail('dossiers:addAttachments', { id: olenaId })
    expect(missing.code).toBe('NOT_FOUND')
    expect(missing.message).not.toContain(filesDir)
    nextFiles = [filesDir]
    expect((await fail('dossiers:addAttachments', { id: olenaId })).code).toBe('VALIDATION')
    expect(
      (await call<{ attachments: AttachmentView[] }>('dossiers:listAttachments', { id: olenaId })).attachments.map((a) => a.id),
    ).toEqual([pngId, letterId])

    // An unknown dossier is refused before any dialog opens.
    const before = dialogsOpened
    expect((await fail('dossiers:addAttachments', { id: 'f'.repeat(32) })).code).toBe('NOT_FOUND')
    expect(dialogsOpened).toBe(before)
    expect((await fail('dossiers:listAttachments', { id: olenaId, extra: true })).code).toBe('VALIDATION')
    expect((await fail('dossiers:listAttachments', { id: 'not-an-id' })).code).toBe('VALIDATION')
  })

  it('saves an unencrypted copy where the save dialog points, byte for byte', async () => {
    const dest = path.join(root, 'copy of reply.txt')
    nextSave = dest
    expect(await call('dossiers:exportAttachment', { id: olenaId, attachmentId: letterId })).toEqual({ saved: true })
    expect(fs.readFileSync(dest, 'utf8')).toBe(LETTER)
    expect(offeredNames.at(-1)).toBe('ombudsman reply.txt')
    expect(vault().audit.list().at(-1)).toMatchObject({
      type: 'attachment.exported',
      details: { recordId: olenaId, attachmentId: letterId },
    })

    nextSave = null
    expect(await call('dossiers:exportAttachment', { id: olenaId, attachmentId: pngId })).toEqual({ saved: false })
  })

  it('refuses an attachment of one dossier asked for through another (NOT_FOUND), before any dialog', async () => {
    const offered = offeredNames.length
    nextSave = path.join(root, 'should-not-exist')
    const crossed = await fail('dossiers:exportAttachment', { id: ivanId, attachmentId: letterId })
    expect(crossed.code).toBe('NOT_FOUND')
    expect(offeredNames.length).toBe(offered)
    expect(fs.existsSync(nextSave)).toBe(false)
    expect((await fail('dossiers:getPhoto', { id: olenaId, attachmentId: ivanFileId })).code).toBe('NOT_FOUND')
    expect((await fail('dossiers:listAttachments', { id: 'e'.repeat(32) })).code).toBe('NOT_FOUND')

    // A record that is not a dossier (a dossier list) has no dossier files.
    const listId = (await call<{ id: string }>('dossiers:createList', { name: 'Kherson detainees' })).id
    expect((await fail('dossiers:listAttachments', { id: listId })).code).toBe('NOT_FOUND')
  })

  it('gives the photo as a PNG data URL, checked by its bytes', async () => {
    expect(await call('dossiers:getPhoto', { id: olenaId })).toEqual({ dataUrl: null })
    // Preview of a candidate before the dossier is saved with it.
    expect(await call('dossiers:getPhoto', { id: olenaId, attachmentId: pngId })).toEqual({
      dataUrl: `data:image/png;base64,${PNG_BASE64}`,
    })

    const current = await call<DossierView>('dossiers:get', { id: olenaId })
    await call('dossiers:update', {
      id: olenaId,
      expectedRevision: current.revision,
      dossier: { ...current.dossier, photoAttachmentId: pngId },
      family: 'keep',
    })
    expect((await call<DossierView>('dossiers:get', { id: olenaId })).dossier.photoAttachmentId).toBe(pngId)
    expect(await call('dossiers:getPhoto', { id: olenaId })).toEqual({ dataUrl: `data:image/png;base64,${PNG_BASE64}` })

    const text = await fail('dossiers:getPhoto', { id: olenaId, attachmentId: letterId })
    expect(text).toMatchObject({ code: 'VALIDATION', message: 'The photo must be a PNG, JPEG or WebP image' })
    // Ivan's "not-really.png" is stored as image/png; its bytes say otherwise.
    expect((await fail('dossiers:getPhoto', { id: ivanId, attachmentId: ivanFileId })).code).toBe('VALIDATION')
  })

  it('refuses a photo over 5 MiB with a clear message', async () => {
    const big = path.join(filesDir, 'huge.png')
    fs.writeFileSync(big, Buffer.concat([PNG, Buffer.alloc(MAX_PHOTO_BYTES + 1 - PNG.length)]))
    const [info] = await attachFilesToDossier(vault(), ivanId, [big])
    const tooBig = await fail('dossiers:getPhoto', { id: ivanId, attachmentId: info!.id })
    expect(tooBig).toMatchObject({ code: 'VALIDATION', message: 'The photo is larger than 5 MiB: choose a smaller image' })
    await expect(readDossierPhoto(vault(), ivanId)).resolves.toBeNull()
  })

  it('keeps a timeline event’s linked file across a save, and refuses another dossier’s file', async () => {
    const current = await call<DossierView>('dossiers:get', { id: olenaId })
    const timeline = [
      { id: 'reply', date: '2024-03-02', description: 'The ombudsman replied.', documentIds: [], attachmentIds: [letterId] },
    ]
    await call('dossiers:update', {
      id: olenaId,
      expectedRevision: current.revision,
      dossier: { ...current.dossier, timeline },
      family: 'keep',
    })
    const reread = await call<DossierView>('dossiers:get', { id: olenaId })
    expect(reread.dossier.timeline.map((t) => [t.id, t.attachmentIds])).toEqual([['reply', [letterId]]])
    expect(reread.dossier.photoAttachmentId).toBe(pngId)

    const foreign = [{ ...timeline[0]!, attachmentIds: [ivanFileId] }]
    const refused = await fail('dossiers:update', {
      id: olenaId,
      expectedRevision: reread.revision,
      dossier: { ...reread.dossier, timeline: foreign },
      family: 'keep',
    })
    expect(refused.code).toBe('VALIDATION')
    expect((await call<DossierView>('dossiers:get', { id: olenaId })).revision).toBe(reread.revision)
  })
})

describe('dossier file helpers', () => {
  it('infers media types from extensions and keeps stored names safe', () => {
    expect(inferMediaType('Scan.JPG')).toBe('image/jpeg')
    expect(inferMediaType('letter.docx')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    expect(inferMediaType('README')).toBe('application/octet-stream')
    expect(proposeAttachmentName('/home/a/Лист до омбудсмена.pdf')).toBe('Лист до омбудсмена.pdf')
    expect(proposeAttachmentName('C:\\Users\\a\\reply.txt')).toBe('reply.txt')
    expect(proposeAttachmentName('/tmp/a\u0007b.txt')).toBe('a b.txt')
    const long = proposeAttachmentName(`/tmp/${'x'.repeat(400)}.pdf`)
    expect(long).toHaveLength(255)
    expect(long.endsWith('.pdf')).toBe(true)
  })

  it('recognises PNG, JPEG and WebP by their signature only', () => {
    expect(sniffPhotoType(PNG)).toBe('image/png')
    expect(sniffPhotoType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg')
    expect(sniffPhotoType(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 ', 'latin1'))).toBe('image/webp')
    expect(sniffPhotoType(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt ', 'latin1'))).toBeNull()
    expect(sniffPhotoType(Buffer.from('GIF89a'))).toBeNull()
    expect(sniffPhotoType(new Uint8Array())).toBeNull()
  })
})
