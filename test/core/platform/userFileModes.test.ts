// Core tests (Node, real vault, the app's real handlers with a fake save dialog): every file Custodia writes for the
// user is 0600 — exported letters and mail-merge files, template JSON, annotation reports (JSON-LD, PDF), dossier list
// PDFs, attachments, bundles, the identity file and the CLI's `letter render --out`. The umask is 0 throughout, so a
// 0600 can only come from the code asking for it; and an earlier 0644 file of the same name is replaced, not kept.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { createDocument } from '../../../electron/core/library/documentService'
import { callChannel, startTestServices, TEST_PASSPHRASE } from '../../helpers/appServices'
import { REPO_ROOT, runCustodia } from '../../helpers/cli'
import { createTempDir } from '../../helpers/vaultTestUtils'

const sample = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'resources/templates/samples/head-of-government-letter.json'), 'utf8'),
) as Record<string, unknown>

const root = createTempDir()
const out = path.join(root, 'out')
let services: AppServices
let savePath: string | null = null
let umask: number
let documentId: string

/** A file where the user's next save goes, there already with mode 0644, as an earlier export might be. */
function nextSaveOver(name: string): string {
  savePath = path.join(out, name)
  fs.writeFileSync(savePath, 'an older export, readable by everyone', { mode: 0o644 })
  expect(fs.statSync(savePath).mode & 0o777).toBe(0o644)
  return savePath
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777
}

beforeAll(async () => {
  umask = process.umask(0)
  fs.mkdirSync(out)
  const attachmentSource = path.join(root, 'evidence.txt')
  fs.writeFileSync(attachmentSource, 'attachment plaintext')
  services = await startTestServices(root, {
    chooseSaveLocation: async () => savePath,
    chooseExportFolder: async () => path.join(out, 'merge'),
    chooseFiles: async () => [attachmentSource],
    renderPdf: async () => Buffer.from('%PDF-1.7 stand-in for the printed page'),
  })
  documentId = createDocument(services.session.requireVault(), { kind: 'letter', title: 'Appeal', date: null, text: 'Release them.' }).id
})
afterAll(() => {
  services.session.lock('user')
  process.umask(umask)
  fs.rmSync(root, { recursive: true, force: true })
})

describe('files written for the user are 0600 (umask 0)', () => {
  it('letters: an export, the mail-merge files and a template JSON', async () => {
    const letter = nextSaveOver('letter.txt')
    await callChannel(services, 'letters:export', {
      templateId: 'head-of-government-letter',
      data: sample,
      format: 'txt',
      confirmPlaceholders: true,
    })
    expect(fs.readFileSync(letter, 'utf8')).toContain('Examplesen')
    expect(modeOf(letter)).toBe(0o600)

    fs.mkdirSync(path.join(out, 'merge'))
    const recipients = [
      { name: 'Ada Lovelace', title: 'Minister' },
      { name: 'Ivan Franko', title: 'Ambassador' },
    ]
    const { files } = await callChannel<{ files: string[] }>(services, 'letters:merge', {
      templateId: 'head-of-government-letter',
      data: { ...sample, recipients },
      format: 'txt',
      confirmPlaceholders: true,
    })
    expect(files).toHaveLength(2)
    for (const name of files) expect(modeOf(path.join(out, 'merge', name))).toBe(0o600)
    expect(fs.readdirSync(path.join(out, 'merge')).sort()).toEqual([...files].sort())

    const template = nextSaveOver('template.json')
    await callChannel(services, 'templates:export', { templateId: 'standpoint' })
    expect(modeOf(template)).toBe(0o600)
  })

  it('annotation reports: JSON-LD of a record, of a search, and the PDF', async () => {
    for (const [name, channel, request] of [
      ['record.jsonld', 'annotations:exportW3C', { recordId: documentId }],
      ['search.jsonld', 'annotations:exportSearchW3C', { query: 'Release' }],
      ['report.pdf', 'annotations:exportPdf', { recordId: documentId }],
    ] as const) {
      const file = nextSaveOver(name)
      expect(await callChannel(services, channel, request)).toMatchObject({ saved: true })
      expect(modeOf(file), name).toBe(0o600)
    }
  })

  it('a dossier list PDF and a dossier attachment', async () => {
    const { id: dossierId } = await callChannel<{ id: string }>(services, 'dossiers:create', {
      dossier: { names: { original: 'Olena Petrenko' }, category: 'civilian-detainee' },
    })
    const list = await callChannel<{ id: string }>(services, 'dossiers:createList', { name: 'Annex', dossierIds: [dossierId] })
    const pdf = nextSaveOver('list.pdf')
    expect(await callChannel(services, 'dossiers:exportListPdf', { id: list.id, audience: 'internal' })).toMatchObject({ saved: true })
    expect(modeOf(pdf)).toBe(0o600)

    const { attachments } = await callChannel<{ attachments: { id: string }[] }>(services, 'dossiers:addAttachments', { id: dossierId })
    const copy = nextSaveOver('dossier-attachment.txt')
    await callChannel(services, 'dossiers:exportAttachment', { id: dossierId, attachmentId: attachments[0]!.id })
    expect(fs.readFileSync(copy, 'utf8')).toBe('attachment plaintext')
    expect(modeOf(copy)).toBe(0o600)
  })

  it('a document attachment', async () => {
    const vault = services.session.requireVault()
    const info = await vault.addAttachment(documentId, path.join(root, 'evidence.txt'), {
      filename: 'evidence.txt',
      mediaType: 'text/plain',
    })
    const copy = nextSaveOver('document-attachment.txt')
    await callChannel(services, 'library:exportAttachment', { documentId, attachmentId: info.id })
    expect(modeOf(copy)).toBe(0o600)
  })

  it('a bundle and the identity file (public, but it names the organisation: 0600 like the rest)', async () => {
    // A bundle is never written over an existing file (CONFLICT): a new name.
    const bundle = path.join(out, 'out.custodia')
    savePath = bundle
    const exported = await callChannel(services, 'bundles:export', {
      jobId: 'a'.repeat(32),
      selection: { all: true },
      passphrase: 'four words read aloud twice',
    })
    expect(exported).toMatchObject({ saved: true })
    expect(modeOf(bundle)).toBe(0o600)

    const identity = nextSaveOver('identity.txt')
    expect(await callChannel(services, 'exchange:exportIdentityFile', {})).toEqual({ saved: true })
    expect(fs.readFileSync(identity, 'utf8')).toMatch(/^custodia-identity: 1$/m)
    expect(modeOf(identity)).toBe(0o600)
  })

  it('the CLI: letter render --out', async () => {
    const vaultDir = path.join(root, 'vault')
    services.session.lock('user')
    const data = path.join(root, 'letter.json')
    fs.writeFileSync(data, JSON.stringify({ template: 'head-of-government-letter', fields: sample }))
    for (const format of ['txt', 'docx']) {
      const file = nextSaveOver(`cli.${format}`)
      const result = await runCustodia(
        ['letter', 'render', vaultDir, '--data', data, '--format', format, '--out', file, '--allow-placeholders'],
        {
          env: { CUSTODIA_PASSPHRASE: TEST_PASSPHRASE },
        },
      )
      expect(result).toMatchObject({ code: 0, stderr: '' })
      expect(modeOf(file), format).toBe(0o600)
    }
    await services.session.unlock(vaultDir, TEST_PASSPHRASE)
  })
})
