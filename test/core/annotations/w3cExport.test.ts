// Core test (Node): the W3C Web Annotation export through the real dispatcher, services and an encrypted vault —
// every written file passes a structural check of the model's MUST rules (test/helpers/w3cModelValidator.ts), a
// record's collection keeps its ids from one export to the next, a search export spanning several records is one
// valid collection, an empty one has no page, and the offered file name is safe. Only the save dialog is replaced.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import type { Annotation } from '../../../shared/annotations/annotationModel'
import { callChannel, startTestServices } from '../../helpers/appServices'
import { validateAnnotationCollection } from '../../helpers/w3cModelValidator'

interface ExportedCollection {
  id: string
  total: number
  label: string
  first?: {
    id: string
    partOf: string
    startIndex: number
    items: { id: string; motivation: string; target: { source?: string } | string }[]
  }
  last?: string
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-w3c-'))
let services: AppServices
const offered: string[] = []
let nextSave: string | null = null
let saved = 0

const call = <T = Record<string, unknown>>(channel: string, request: unknown) => callChannel<T>(services, channel, request)

/** Exports through the channel into a new file and returns the parsed JSON-LD. */
async function exportTo(channel: 'annotations:exportW3C' | 'annotations:exportSearchW3C', request: unknown): Promise<ExportedCollection> {
  nextSave = path.join(root, `export-${++saved}.jsonld`)
  const result = await call<{ saved: boolean; count?: number }>(channel, request)
  expect(result.saved).toBe(true)
  const parsed = JSON.parse(fs.readFileSync(nextSave, 'utf8')) as ExportedCollection
  if (result.count !== undefined) expect(result.count).toBe(parsed.total)
  return parsed
}

const LETTER = 'Dear Minister,\n\nOn 4 June Mr Haddad was moved to Camp Delta without notice to his family. His lawyer was refused.'
const REPLY = 'Лубінець: the ombudsman confirms the transfer. Støre was informed.'
let letterId = ''
let replyId = ''
let casefileId = ''
let emptyId = ''

async function annotate(recordId: string, request: Record<string, unknown>): Promise<Annotation> {
  return (await call<{ annotation: Annotation }>('annotations:create', { recordId, ...request })).annotation
}

function selection(text: string, quote: string): { start: number; end: number } {
  const start = [...text.slice(0, text.indexOf(quote))].length
  return { start, end: start + [...quote].length }
}

beforeAll(async () => {
  services = await startTestServices(root, {
    chooseSaveLocation: async (name) => {
      offered.push(name)
      return nextSave
    },
  })
  letterId = (
    await call<{ id: string }>('library:create', {
      document: { kind: 'letter', title: 'Letter: "CON" <draft>/../Haddad', date: '2025-06-04', text: LETTER },
    })
  ).id
  replyId = (
    await call<{ id: string }>('library:create', {
      document: { kind: 'correspondence', title: 'Відповідь омбудсмена', date: '2025-06-10', text: REPLY },
    })
  ).id
  emptyId = (
    await call<{ id: string }>('library:create', {
      document: { kind: 'note', title: 'Nothing to say', date: '2025-06-11', text: 'No notes here.' },
    })
  ).id
  const vault = services.session.requireVault()
  casefileId = vault.createRecord('casefile', {
    summary: { name: 'Haddad' },
    body: { detentions: [{ facility: 'Camp Delta' }], medicalNote: 'Needs daily metoprolol.' },
  }).id

  const moved = await annotate(letterId, {
    selection: selection(LETTER, 'moved to Camp Delta'),
    body: 'Zanzibarian pattern: transfer without notice',
    tags: ['transfer'],
    legalBasisIds: ['gc4-art49'],
  })
  await call('annotations:reply', { id: moved.id, text: 'Zanzibarian, as in the 2024 cases.' })
  await annotate(letterId, { selection: selection(LETTER, 'His lawyer was refused'), body: 'Access to counsel' })
  await annotate(replyId, { selection: selection(REPLY, 'Лубінець'), body: 'Zanzibarian confirmation from the ombudsman' })
  await annotate(casefileId, { field: '/detentions/0', body: 'Zanzibarian facility, verify' })
  await annotate(casefileId, {
    field: '/medicalNote',
    selection: selection('Needs daily metoprolol.', 'daily metoprolol'),
    body: 'Medication',
  })
})

afterAll(() => {
  services?.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})

describe('W3C export of a record', () => {
  it('is a valid collection whose one page has an IRI, names its collection and is its first and last', async () => {
    const doc = await exportTo('annotations:exportW3C', { recordId: letterId })
    expect(validateAnnotationCollection(doc)).toEqual([])
    expect(doc.total).toBe(3) // two annotations and a reply
    expect(doc.first?.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
    expect(doc.first?.id).not.toBe(doc.id)
    expect(doc.first?.partOf).toBe(doc.id)
    expect(doc.last).toBe(doc.first?.id)
    expect(doc.first?.startIndex).toBe(0)
  })

  it('keeps the same collection and page ids on every export of the same record, and differs between records', async () => {
    const first = await exportTo('annotations:exportW3C', { recordId: letterId })
    const second = await exportTo('annotations:exportW3C', { recordId: letterId })
    expect(second.id).toBe(first.id)
    expect(second.first?.id).toBe(first.first?.id)
    // Still the record's collection once it has grown.
    await annotate(letterId, { selection: selection(LETTER, 'Dear Minister'), body: 'Addressee' })
    const grown = await exportTo('annotations:exportW3C', { recordId: letterId })
    expect(grown.id).toBe(first.id)
    expect(grown.total).toBe(first.total + 1)
    expect(validateAnnotationCollection(grown)).toEqual([])

    const other = await exportTo('annotations:exportW3C', { recordId: replyId })
    expect(other.id).not.toBe(first.id)
    expect(other.first?.id).not.toBe(first.first?.id)
    // The ids show neither the record nor the vault.
    const vaultId = services.session.requireVault().vaultId
    for (const id of [first.id, first.first!.id]) {
      expect(id).not.toContain(letterId)
      expect(id).not.toContain(vaultId)
      expect(id.replace(/-/g, '')).not.toContain(letterId.slice(0, 12))
    }
  })

  it('validates with whole-field and in-field targets of a dossier-like record', async () => {
    const doc = await exportTo('annotations:exportW3C', { recordId: casefileId })
    expect(validateAnnotationCollection(doc)).toEqual([])
    expect(doc.total).toBe(2)
  })

  it('has no page when the record has no annotations, and is still valid', async () => {
    const doc = await exportTo('annotations:exportW3C', { recordId: emptyId })
    expect(doc.total).toBe(0)
    expect(doc).not.toHaveProperty('first')
    expect(doc).not.toHaveProperty('last')
    expect(validateAnnotationCollection(doc)).toEqual([])
  })

  it('offers a safe file name made from a hostile title and writes the file for the user alone', async () => {
    await exportTo('annotations:exportW3C', { recordId: letterId })
    const name = offered.at(-1)!
    expect(name).toBe('Letter CON draft .. Haddad annotations.jsonld')
    expect(path.basename(name)).toBe(name)
    expect(fs.statSync(nextSave!).mode & 0o777).toBe(0o600)
    expect(fs.readdirSync(root).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})

describe('W3C export of a search', () => {
  it('puts the annotations of several records into one valid collection with a stable id', async () => {
    const doc = await exportTo('annotations:exportSearchW3C', { query: 'zanzibarian' })
    expect(validateAnnotationCollection(doc)).toEqual([])
    const sources = new Set(doc.first!.items.flatMap((i) => (typeof i.target === 'object' && i.target.source ? [i.target.source] : [])))
    expect(sources).toEqual(new Set([letterId, replyId, casefileId].map((id) => `urn:custodia:record:${id}`)))
    expect(new Set(doc.first!.items.map((i) => i.id)).size).toBe(doc.total)

    const again = await exportTo('annotations:exportSearchW3C', { query: 'zanzibarian' })
    expect(again.id).toBe(doc.id)
    expect(again.first?.id).toBe(doc.first?.id)
    const narrower = await exportTo('annotations:exportSearchW3C', { query: 'medication' })
    expect(validateAnnotationCollection(narrower)).toEqual([])
    expect(narrower.id).not.toBe(doc.id)
    // None of the record collections is mistaken for a search's.
    expect((await exportTo('annotations:exportW3C', { recordId: replyId })).id).not.toBe(doc.id)
  })

  it('exports a search that finds nothing as a valid empty collection', async () => {
    const doc = await exportTo('annotations:exportSearchW3C', { query: 'no-such-word-anywhere' })
    expect(doc.total).toBe(0)
    expect(validateAnnotationCollection(doc)).toEqual([])
  })
})
