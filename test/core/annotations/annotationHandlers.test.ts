// Core test (Node): the annotations IPC area through the real dispatcher, services and an encrypted vault — strict
// requests, create → list → reply → resolve → delete, the vocabulary, W3C and PDF exports through the save dialog,
// and a search export. Only the Electron shell (dialogs, printing) is replaced.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import type { AnchoredAnnotationView } from '../../../shared/ipc/channels/annotationChannels'
import type { Annotation } from '../../../shared/annotations/annotationModel'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
let services: AppServices
const pdfCalls: string[] = []
let nextSave: string | null = null
const TEXT = 'First paragraph about the visit.\n\nThe guards confiscated the letters from his mother. Nobody signed a receipt.'

afterAll(() => {
  services?.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})
beforeAll(async () => {
  services = await startTestServices(root, {
    chooseSaveLocation: async () => nextSave,
    renderPdf: async (html) => {
      pdfCalls.push(html)
      return Buffer.from(`%PDF-1.4 fake ${html.length}`)
    },
  })
})

const call = <T = Record<string, unknown>>(channel: string, request: unknown) => callChannel<T>(services, channel, request)
const fail = (channel: string, request: unknown) => failChannel(services, channel, request)

describe('annotations over IPC', () => {
  let docId = ''
  let annotationId = ''

  it('creates, lists, replies, resolves and deletes', async () => {
    docId = (
      await call<{ id: string }>('library:create', {
        document: { kind: 'correspondence', title: 'Visit report', date: '2025-01-02', text: TEXT },
      })
    ).id
    const start = TEXT.indexOf('confiscated the letters')
    const created = await call<{ annotation: Annotation }>('annotations:create', {
      recordId: docId,
      selection: { start, end: start + 'confiscated the letters'.length },
      body: 'Correspondence withheld',
      tags: ['mail'],
      legalBasisIds: ['gc3-art71'],
    })
    annotationId = created.annotation.id
    const listed = await call<{ revision: number; annotations: AnchoredAnnotationView[] }>('annotations:list', { recordId: docId })
    expect(listed.revision).toBe(1)
    expect(listed.annotations.map((x) => [x.annotation.id, x.anchor])).toEqual([
      [annotationId, { status: 'exact', start, end: start + 23, score: 1 }],
    ])
    const replied = await call<{ annotation: Annotation }>('annotations:reply', { id: annotationId, text: 'Receipt requested.' })
    expect(replied.annotation.replies.map((r) => r.text)).toEqual(['Receipt requested.'])
    expect(
      (await call<{ annotation: Annotation }>('annotations:setStatus', { id: annotationId, status: 'resolved' })).annotation.status,
    ).toBe('resolved')
    expect(
      (await call<{ annotation: Annotation }>('annotations:update', { id: annotationId, legalBasisIds: [] })).annotation.legalBases,
    ).toEqual([])
  })

  it('refuses malformed requests before any handler runs', async () => {
    expect((await fail('annotations:create', { recordId: docId, selection: { start: 0, end: 4 }, body: 'x', extra: 1 })).code).toBe(
      'VALIDATION',
    )
    expect((await fail('annotations:create', { recordId: 'nope', selection: { start: 0, end: 4 }, body: 'x' })).code).toBe('VALIDATION')
    expect((await fail('annotations:setStatus', { id: annotationId, status: 'closed' })).code).toBe('VALIDATION')
    expect((await fail('annotations:reply', { id: 'not-a-uuid', text: 'x' })).code).toBe('VALIDATION')
    expect((await fail('annotations:create', { recordId: docId, selection: { start: -1, end: 4 }, body: 'x' })).code).toBe('VALIDATION')
    const e = await fail('annotations:create', {
      recordId: docId,
      selection: { start: 0, end: 5 },
      body: 'x',
      legalBasisIds: ['unknown-basis'],
    })
    expect(e).toEqual({ code: 'VALIDATION', message: 'Unknown legal basis id' })
    expect((await call<{ annotations: unknown[] }>('annotations:list', { recordId: docId })).annotations).toHaveLength(1)
  })

  it('edits the vocabulary: add, rename, retire', async () => {
    const entry = { id: 'local-rule-1', label: 'Prison rule 1', title: 'Prison regulations', article: '1', heading: 'Correspondence' }
    const added = await call<{ entries: { id: string }[] }>('annotations:createLegalBasis', { entry })
    expect(added.entries.at(-1)).toEqual({ ...entry, retired: false })
    expect((await fail('annotations:createLegalBasis', { entry })).code).toBe('CONFLICT')
    const renamed = await call<{ entries: { id: string; label: string; retired: boolean }[] }>('annotations:updateLegalBasis', {
      id: 'local-rule-1',
      label: 'Rule 1',
      retired: true,
    })
    expect(renamed.entries.find((e) => e.id === 'local-rule-1')).toMatchObject({ label: 'Rule 1', retired: true })
  })

  it('exports W3C JSON-LD and the PDF report where the user chooses; a cancelled dialog writes nothing', async () => {
    nextSave = null
    expect(await call('annotations:exportW3C', { recordId: docId })).toEqual({ saved: false })
    nextSave = path.join(root, 'out.jsonld')
    expect(await call('annotations:exportW3C', { recordId: docId })).toEqual({ saved: true })
    const json = JSON.parse(fs.readFileSync(nextSave, 'utf8')) as { type: string; total: number; first: { items: { id: string }[] } }
    expect(json.type).toBe('AnnotationCollection')
    expect(json.first.items.map((i) => i.id)).toEqual([`urn:uuid:${annotationId}`, expect.stringMatching(/^urn:uuid:/)])

    nextSave = path.join(root, 'report.pdf')
    expect(await call('annotations:exportPdf', { recordId: docId })).toEqual({ saved: true })
    expect(fs.readFileSync(nextSave, 'latin1')).toMatch(/^%PDF-/)
    expect(pdfCalls.at(-1)).toContain('<blockquote>confiscated the letters</blockquote>')
    expect(pdfCalls.at(-1)).not.toMatch(/<script/i)

    nextSave = path.join(root, 'search.jsonld')
    expect(await call('annotations:exportSearchW3C', { query: 'withheld' })).toEqual({ saved: true, count: 2 })
    const types = services.session
      .requireVault()
      .audit.list()
      .map((e) => e.type)
    expect(types.filter((t) => t === 'annotations.exported')).toHaveLength(3)
  })

  it('deletes an annotation', async () => {
    expect(await call('annotations:delete', { id: annotationId })).toEqual({})
    expect((await call<{ annotations: unknown[] }>('annotations:list', { recordId: docId })).annotations).toEqual([])
    expect((await fail('annotations:delete', { id: annotationId })).code).toBe('NOT_FOUND')
  })
})
