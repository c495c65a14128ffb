// Core tests (Node): attachments opened in the app through the real dispatcher, session and vault — what a file is
// comes from its bytes (a PDF named .txt is a PDF, an "image.png" that holds text is text, SVG is never an image);
// PDFs and pictures are kept in memory only, for main's route, and zeroed when they leave it or the vault locks;
// text and Word files come back as text; anything else is refused in words; a file of another record is NOT_FOUND.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { AttachmentViewStore, prepareAttachmentView, sniffViewableType } from '../../../electron/core/library/attachmentViewer'
import type { AttachmentContent, OpenedAttachment } from '../../../shared/ipc/channels/libraryChannels'
import { buildXssDocx } from '../../fixtures/import/xssDocx'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'
import { buildPng, buildTextPdf } from '../../helpers/sampleFiles'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-viewer-'))
const filesDir = path.join(root, 'files')
let services: AppServices
let nextFiles: string[] = []

const PDF = buildTextPdf('Reply of the ministry, case 4471')
const PNG = buildPng(4, 3, [200, 30, 30, 255])
const FILES: Record<string, Buffer | string> = {
  'reply.pdf': PDF,
  'scan named as text.txt': PDF,
  'portrait.png': PNG,
  'notes.txt': '\uFEFFВізит до колонії 12 березня.\nNo medical care since January.\n',
  'looks like a picture.png': 'plain words, not a picture',
  'drawing.svg': '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  'archive.bin': Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x10]),
  'not utf8.txt': Buffer.from([0x41, 0xc3, 0x28, 0x42]),
}

const call = <T = Record<string, unknown>>(channel: string, request: unknown) => callChannel<T>(services, channel, request)
let dossierId = ''
let otherDossierId = ''
let attached: Record<string, string> = {}

beforeAll(async () => {
  fs.mkdirSync(filesDir)
  for (const [name, content] of Object.entries(FILES)) fs.writeFileSync(path.join(filesDir, name), content)
  fs.writeFileSync(path.join(filesDir, 'statement.docx'), await buildXssDocx())
  services = await startTestServices(root, { chooseFiles: async () => nextFiles })
  dossierId = (
    await call<{ id: string }>('dossiers:create', { dossier: { names: { original: 'Olena Vyhadana' }, category: 'political-prisoner' } })
  ).id
  otherDossierId = (
    await call<{ id: string }>('dossiers:create', { dossier: { names: { original: 'Ivan Testovyi' }, category: 'political-prisoner' } })
  ).id
  nextFiles = fs.readdirSync(filesDir).map((name) => path.join(filesDir, name))
  const { attachments } = await call<{ attachments: { id: string; filename: string }[] }>('dossiers:addAttachments', { id: dossierId })
  attached = Object.fromEntries(attachments.map((a) => [a.filename, a.id]))
})

afterAll(() => {
  services.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

const open = (filename: string) => call<OpenedAttachment>('dossiers:openAttachment', { id: dossierId, attachmentId: attached[filename] })
const content = async (filename: string): Promise<AttachmentContent> => (await open(filename)).content

describe('opening attachments in the app', () => {
  it('serves a PDF and a picture from memory, with the type their bytes say', async () => {
    const pdf = await open('reply.pdf')
    expect(pdf.attachment).toMatchObject({ filename: 'reply.pdf', size: PDF.length })
    expect(pdf.content.kind).toBe('pdf')
    const pdfUrl = (pdf.content as { url: string }).url
    expect(pdfUrl).toMatch(/^\/attachment-view\/[0-9a-f]{32}$/)
    expect(services.attachmentViews.get(pdfUrl)).toEqual({ bytes: PDF, contentType: 'application/pdf' })

    // The stored name does not decide: a PDF called .txt is still a PDF.
    expect((await content('scan named as text.txt')).kind).toBe('pdf')
    const png = await content('portrait.png')
    expect(png.kind).toBe('image')
    expect(services.attachmentViews.get((png as { url: string }).url)).toEqual({ bytes: PNG, contentType: 'image/png' })
  })

  it('answers text and Word files as text, and refuses what it cannot show in words', async () => {
    expect(await content('notes.txt')).toEqual({
      kind: 'text',
      source: 'text',
      text: 'Візит до колонії 12 березня.\nNo medical care since January.\n',
      truncated: false,
    })
    expect(await content('looks like a picture.png')).toEqual({
      kind: 'text',
      source: 'text',
      text: 'plain words, not a picture',
      truncated: false,
    })
    // SVG can carry script: it is shown as its text, never as a picture.
    expect(await content('drawing.svg')).toMatchObject({ kind: 'text', text: expect.stringContaining('<script>') })
    const word = await content('statement.docx')
    expect(word).toMatchObject({ kind: 'text', source: 'docx', truncated: false })
    expect((word as { text: string }).text).toContain('Hostile Word sample')
    for (const name of ['archive.bin', 'not utf8.txt']) {
      expect(await content(name)).toEqual({
        kind: 'unsupported',
        reason: 'Custodia can show PDFs, pictures, text and Word files. Save a copy to open this one.',
      })
    }
  })

  it('refuses a file of another dossier as not found', async () => {
    const failure = await failChannel(services, 'dossiers:openAttachment', { id: otherDossierId, attachmentId: attached['reply.pdf'] })
    expect(failure.code).toBe('NOT_FOUND')
  })

  it('opens a library document’s imported original the same way', async () => {
    const pdfPath = path.join(filesDir, 'reply.pdf')
    const { results } = await call<{ results: { ok: boolean; id: string }[] }>('library:import', { paths: [pdfPath] })
    const documentId = results[0]!.id
    const { attachments } = await call<{ attachments: { id: string }[] }>('library:listAttachments', { id: documentId })
    const opened = await call<OpenedAttachment>('library:openAttachment', { documentId, attachmentId: attachments[0]!.id })
    expect(opened.content.kind).toBe('pdf')
    expect((await failChannel(services, 'library:openAttachment', { documentId, attachmentId: attached['notes.txt'] })).code).toBe(
      'NOT_FOUND',
    )
  })

  it('forgets and zeroes every opened file at lock', async () => {
    const pdf = await content('reply.pdf')
    const url = (pdf as { url: string }).url
    const served = services.attachmentViews.get(url)!
    expect(services.attachmentViews.size).toBeGreaterThan(0)
    services.session.lock('user')
    expect(services.attachmentViews.size).toBe(0)
    expect(services.attachmentViews.get(url)).toBeNull()
    expect(served.bytes.every((b) => b === 0)).toBe(true)
    await services.session.unlock(path.join(root, 'vault'), 'correct horse battery staple')
  })
})

describe('attachment view store', () => {
  it('keeps the newest three and zeroes the one it drops', async () => {
    const store = new AttachmentViewStore()
    const info = { id: 'a', recordId: 'r', filename: 'x.pdf', mediaType: 'application/pdf', size: PDF.length, addedAt: '' }
    const first = Buffer.from(PDF)
    const firstUrl = ((await prepareAttachmentView(store, info, first)) as { url: string }).url
    for (let i = 0; i < 3; i++) await prepareAttachmentView(store, info, Buffer.from(PDF))
    expect(store.size).toBe(3)
    expect(store.get(firstUrl)).toBeNull()
    expect(first.every((b) => b === 0)).toBe(true)
  })

  it('zeroes the bytes of what it answers as text', async () => {
    const bytes = Buffer.from('secret words')
    const info = { id: 'a', recordId: 'r', filename: 'x.txt', mediaType: 'text/plain', size: bytes.length, addedAt: '' }
    expect(await prepareAttachmentView(new AttachmentViewStore(), info, bytes)).toMatchObject({ kind: 'text', text: 'secret words' })
    expect(bytes.every((b) => b === 0)).toBe(true)
  })

  it('recognises only the signatures it serves', () => {
    expect(sniffViewableType(Buffer.from('%PDF-1.7'))).toBe('application/pdf')
    expect(sniffViewableType(Buffer.from('GIF89a'))).toBe('image/gif')
    expect(sniffViewableType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffViewableType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(sniffViewableType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull()
    expect(sniffViewableType(Buffer.from('<svg'))).toBeNull()
    expect(sniffViewableType(Buffer.from(' %PDF-1.7'))).toBeNull()
  })
})
