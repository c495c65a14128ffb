// Core test (Node): the dossier IPC area end to end through the real dispatcher, services and an encrypted vault —
// strict requests, filters and counts, family contacts kept out of every response unless revealed (and audited),
// updates that keep unfetched contacts, duplicates across scripts, merge, lists, printing and PDF export, and search.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-'))
let services: AppServices
const pdfCalls: { html: string; pageSize: string }[] = []
let nextSave: string | null = null

afterAll(() => {
  services?.session.lock('user')
  fs.rmSync(root, { recursive: true, force: true })
})
beforeAll(async () => {
  services = await startTestServices(root, {
    chooseSaveLocation: async () => nextSave,
    renderPdf: async (html, pageSize) => {
      pdfCalls.push({ html, pageSize })
      return Buffer.from(`%PDF-1.4 fake ${html.length}`)
    },
  })
})

const call = <T = Record<string, unknown>>(channel: string, request: unknown) => callChannel<T>(services, channel, request)
const fail = (channel: string, request: unknown) => failChannel(services, channel, request)
const auditTypes = () =>
  services.session
    .requireVault()
    .audit.list()
    .map((e) => e.type)

const FAMILY_SECRET = 'Mykola Secretfamilyname'
const olena = {
  names: { original: 'Олена Вигадана', transliteration: 'Olena Vyhadana', otherSpellings: ['Elena Vygadana'], aliases: ['Lena'] },
  birth: { year: 1971, approximate: true },
  category: 'civilian-detainee',
  homeRegion: 'Zaporizhzhia oblast (temporarily occupied)',
  statusHistory: [{ id: 'e1', date: '2023-06-02', status: 'detained', note: 'Taken at a checkpoint near Vasylivka.', sourceIds: ['s1'] }],
  detentions: [
    { id: 'd1', facility: 'SIZO-1 Simferopol', location: 'Simferopol', from: '2023-06-03', to: '2023-08-09' },
    { id: 'd2', facility: 'SIZO-2 Taganrog', location: 'Taganrog', from: '2023-08-10' },
  ],
  vulnerability: { ill: true, medicalNote: 'Needs insulin daily.' },
  sources: [{ id: 's1', type: 'person', name: 'Released cellmate', reliability: 'B', credibility: 2 }],
  consent: 'public',
  family: { contacts: [{ name: FAMILY_SECRET, relation: 'son', phone: '+380 00 000 0000' }] },
  timeline: [{ id: 't1', date: '2024-09-15', description: 'A released cellmate reports her transfer to Taganrog.' }],
}
let olenaId = ''
let ivanId = ''

describe('dossier channels', () => {
  it('creates dossiers and lists them with filters and counts, never sending family contacts', async () => {
    const created = await call<{ id: string; revision: number; warnings: unknown[] }>('dossiers:create', { dossier: olena })
    olenaId = created.id
    expect(created).toMatchObject({ revision: 1, warnings: [] })
    ivanId = (
      await call<{ id: string }>('dossiers:create', {
        dossier: {
          names: { original: 'Іван Петренко' },
          category: 'prisoner-of-war',
          statusHistory: [
            { date: '2022-03-01', status: 'detained' },
            { date: '2024-01-03', status: 'exchanged' },
          ],
        },
      })
    ).id

    const all = await call<{
      dossiers: { id: string; status: string; flags: string[] }[]
      counts: { total: number; byStatus: Record<string, number> }
      totalStored: number
      regions: string[]
    }>('dossiers:list', {})
    expect(all.totalStored).toBe(2)
    expect(all.counts.byStatus).toMatchObject({ detained: 1, exchanged: 1, unknown: 0 })
    expect(all.regions).toEqual(['Zaporizhzhia oblast (temporarily occupied)'])
    expect(JSON.stringify(all)).not.toContain('Secretfamilyname')

    const byLatin = await call<{ dossiers: { id: string }[]; counts: { total: number } }>('dossiers:list', { filter: { text: 'vyhadana' } })
    expect(byLatin.dossiers.map((d) => d.id)).toEqual([olenaId])
    const byCyrillic = await call<{ dossiers: { id: string }[] }>('dossiers:list', { filter: { text: 'Вигадана' } })
    expect(byCyrillic.dossiers.map((d) => d.id)).toEqual([olenaId])
    const pows = await call<{ dossiers: { id: string }[]; counts: { total: number } }>('dossiers:list', {
      filter: { category: 'prisoner-of-war', status: ['exchanged'] },
    })
    expect(pows.dossiers.map((d) => d.id)).toEqual([ivanId])
    expect(pows.counts.total).toBe(1)
    const ill = await call<{ dossiers: { id: string }[] }>('dossiers:list', { filter: { vulnerability: ['ill'], consent: 'public' } })
    expect(ill.dossiers.map((d) => d.id)).toEqual([olenaId])
  })

  it('refuses malformed requests with the path and stores nothing', async () => {
    const before = (await call<{ totalStored: number }>('dossiers:list', {})).totalStored
    const bad = await fail('dossiers:create', { dossier: { names: { original: '  ' }, category: 'civilian-detainee' } })
    expect(bad.code).toBe('VALIDATION')
    expect(bad.message).toContain('dossier.names.original: is empty')
    expect((await fail('dossiers:list', { filter: { status: 'asleep' } })).code).toBe('VALIDATION')
    expect((await fail('dossiers:get', { id: olenaId, extra: 1 })).code).toBe('VALIDATION')
    expect((await fail('dossiers:get', { id: 'f'.repeat(32) })).code).toBe('NOT_FOUND')
    const uncited = await fail('dossiers:create', {
      dossier: {
        names: { original: 'X Y' },
        category: 'other',
        statusHistory: [{ date: '2024-01-01', status: 'missing', sourceIds: ['nope'] }],
      },
    })
    expect(uncited.message).toContain('cites a source id that is not in sources')
    expect((await call<{ totalStored: number }>('dossiers:list', {})).totalStored).toBe(before)
  })

  it('leaves family contacts out of dossiers:get unless revealed, and audits the reveal', async () => {
    const hidden = await call<{
      dossier: { family: { contacts: unknown[] }; vulnerability: { medicalNote?: string } }
      familyCount: number
      familyRevealed: boolean
    }>('dossiers:get', { id: olenaId })
    expect(hidden.dossier.family.contacts).toEqual([])
    expect(hidden.familyCount).toBe(1)
    expect(hidden.familyRevealed).toBe(false)
    expect(JSON.stringify(hidden)).not.toContain('Secretfamilyname')
    expect(auditTypes()).not.toContain('dossier.family_revealed')

    const revealed = await call<{ dossier: { family: { contacts: { name: string }[] } }; familyRevealed: boolean }>('dossiers:get', {
      id: olenaId,
      revealFamily: true,
    })
    expect(revealed.dossier.family.contacts.map((c) => c.name)).toEqual([FAMILY_SECRET])
    expect(revealed.familyRevealed).toBe(true)
    const entry = services.session
      .requireVault()
      .audit.list()
      .filter((e) => e.type === 'dossier.family_revealed')
      .pop()!
    expect(entry.details).toMatchObject({ dossierId: olenaId, contacts: 1 })
    expect(JSON.stringify(entry)).not.toContain('Secretfamilyname')
  })

  it("keeps the stored contacts on a 'keep' update, replaces them on 'replace', and detects stale revisions", async () => {
    const view = await call<{ revision: number; dossier: Record<string, unknown> & { names: Record<string, unknown> } }>('dossiers:get', {
      id: olenaId,
    })
    const edited = { ...view.dossier, names: { ...view.dossier.names, aliases: ['Lena', 'Olenka'] } }
    const saved = await call<{ revision: number }>('dossiers:update', {
      id: olenaId,
      expectedRevision: view.revision,
      dossier: edited,
      family: 'keep',
    })
    expect(saved.revision).toBe(view.revision + 1)
    const after = await call<{ dossier: { names: { aliases: string[] }; family: { contacts: { name: string }[] } } }>('dossiers:get', {
      id: olenaId,
      revealFamily: true,
    })
    expect(after.dossier.names.aliases).toEqual(['Lena', 'Olenka'])
    expect(after.dossier.family.contacts.map((c) => c.name)).toEqual([FAMILY_SECRET])

    expect((await fail('dossiers:update', { id: olenaId, expectedRevision: view.revision, dossier: edited, family: 'keep' })).code).toBe(
      'CONFLICT',
    )
    const smuggled = await fail('dossiers:update', {
      id: olenaId,
      expectedRevision: saved.revision,
      dossier: after.dossier,
      family: 'keep',
    })
    expect(smuggled.code).toBe('VALIDATION')

    const withTwo = {
      ...after.dossier,
      family: { contacts: [...after.dossier.family.contacts, { name: 'Oksana V.', relation: 'sister' }] },
    }
    const replaced = await call<{ revision: number }>('dossiers:update', {
      id: olenaId,
      expectedRevision: saved.revision,
      dossier: withTwo,
      family: 'replace',
    })
    expect((await call<{ familyCount: number }>('dossiers:get', { id: olenaId })).familyCount).toBe(2)
    expect(replaced.revision).toBe(saved.revision + 1)
  })

  it('finds possible duplicates across scripts and romanisations, with names and status', async () => {
    const { matches } = await call<{ matches: { id: string; reason: string; name: string; status: string }[] }>(
      'dossiers:checkDuplicates',
      {
        names: { original: 'Olena Wygadana' },
        birthYear: 1972,
      },
    )
    expect(matches).toEqual([expect.objectContaining({ id: olenaId, name: 'Олена Вигадана', status: 'detained' })])
    const excluded = await call<{ matches: unknown[] }>('dossiers:checkDuplicates', {
      names: { original: 'Олена Вигадана' },
      excludeId: olenaId,
    })
    expect(excluded.matches).toEqual([])
    const otherYear = await call<{ matches: unknown[] }>('dossiers:checkDuplicates', {
      names: { original: 'Olena Vyhadana' },
      birthYear: 1990,
    })
    expect(otherYear.matches).toEqual([])
  })

  it('manages lists: add, move, remove, counts; CONFLICT on a stale move', async () => {
    const list = await call<{ id: string; revision: number; dossierIds: string[] }>('dossiers:createList', { name: 'Annex — May letter' })
    let view = await call<{
      id: string
      revision: number
      dossierIds: string[]
      counts: { total: number; byStatus: Record<string, number> }
    }>('dossiers:addToList', {
      id: list.id,
      dossierIds: [olenaId, ivanId, olenaId],
    })
    expect(view.dossierIds).toEqual([olenaId, ivanId])
    expect(view.counts).toMatchObject({ total: 2, byStatus: { detained: 1, exchanged: 1 } })
    view = await call('dossiers:moveInList', { id: list.id, expectedRevision: view.revision, dossierId: ivanId, toIndex: 0 })
    expect(view.dossierIds).toEqual([ivanId, olenaId])
    expect((await fail('dossiers:moveInList', { id: list.id, expectedRevision: 1, dossierId: ivanId, toIndex: 1 })).code).toBe('CONFLICT')
    const members = await call<{ dossiers: { id: string }[] }>('dossiers:list', { filter: { listId: list.id } })
    expect(members.dossiers.map((d) => d.id)).toEqual([ivanId, olenaId])

    const { lists } = await call<{ lists: { id: string; name: string; counts: { total: number } }[] }>('dossiers:listLists', {})
    expect(lists).toEqual([
      expect.objectContaining({ id: list.id, name: 'Annex — May letter', counts: expect.objectContaining({ total: 2 }) }),
    ])

    view = await call('dossiers:removeFromList', { id: list.id, dossierId: ivanId })
    expect(view.dossierIds).toEqual([olenaId])
    expect((await fail('dossiers:removeFromList', { id: list.id, dossierId: ivanId })).code).toBe('NOT_FOUND')
    expect((await fail('dossiers:addToList', { id: list.id, dossierIds: ['a'.repeat(32)] })).code).toBe('VALIDATION')
    await call('dossiers:addToList', { id: list.id, dossierIds: [ivanId] })
  })

  it('prints a list as a consent-filtered table without family, medical notes or sources', async () => {
    const list = (await call<{ lists: { id: string }[] }>('dossiers:listLists', {})).lists[0]!
    // Ivan has consent 'internal' (the default): left out for the public, and the page says so.
    const page = await call<{ html: string; included: number; omitted: number; pdfAvailable: boolean }>('dossiers:printList', {
      id: list.id,
      audience: 'public',
    })
    expect(page).toMatchObject({ included: 1, omitted: 1, pdfAvailable: true })
    expect(page.html).toContain('Olena Vyhadana (Олена Вигадана)')
    expect(page.html).toContain('SIZO-2 Taganrog, Taganrog')
    expect(page.html).toContain('Civilian detainee')
    expect(page.html).toMatch(/Detained \(since 2 June 2023\)/)
    expect(page.html).toContain('1 dossier was left out')
    expect(page.html).not.toContain('Петренко')
    for (const secret of ['Secretfamilyname', 'Oksana', 'insulin', 'Released cellmate']) expect(page.html).not.toContain(secret)

    const internal = await call<{ html: string; included: number; omitted: number }>('dossiers:printList', {
      id: list.id,
      audience: 'internal',
    })
    expect(internal).toMatchObject({ included: 2, omitted: 0 })
    expect(internal.html).toContain('Іван Петренко')
    expect(internal.html).not.toContain('left out')
    expect((await fail('dossiers:printList', { id: list.id, audience: 'partner' })).code).toBe('VALIDATION')
    expect(auditTypes()).toContain('dossier_list.printed')
  })

  it('exports the printed list to PDF through the platform, or reports a cancelled dialog', async () => {
    const list = (await call<{ lists: { id: string }[] }>('dossiers:listLists', {})).lists[0]!
    nextSave = null
    expect(await call('dossiers:exportListPdf', { id: list.id, audience: 'internal' })).toEqual({ saved: false, included: 0, omitted: 0 })
    expect(pdfCalls).toHaveLength(0)
    nextSave = path.join(root, 'annex.pdf')
    expect(await call('dossiers:exportListPdf', { id: list.id, audience: 'public', pageSize: 'Letter' })).toEqual({
      saved: true,
      included: 1,
      omitted: 1,
    })
    expect(pdfCalls).toHaveLength(1)
    expect(pdfCalls[0]!.pageSize).toBe('Letter')
    expect(pdfCalls[0]!.html).toContain('size: Letter')
    expect(fs.readFileSync(nextSave, 'utf8')).toMatch(/^%PDF-1.4 fake/)
  })

  it('finds a dossier through the library search by a Cyrillic spelling, but never by a family contact', async () => {
    const byCyrillic = await call<{ hits: { id: string; kind: string; title: string }[] }>('search:query', { query: 'Вигадана' })
    expect(byCyrillic.hits).toEqual([expect.objectContaining({ id: olenaId, kind: 'dossier', title: 'Olena Vyhadana (Олена Вигадана)' })])
    const byAlias = await call<{ hits: { id: string }[] }>('search:query', { query: 'Olenka' })
    expect(byAlias.hits.map((h) => h.id)).toEqual([olenaId])
    const byTimeline = await call<{ hits: { id: string }[] }>('search:query', { query: 'Vasylivka' })
    expect(byTimeline.hits.map((h) => h.id)).toEqual([olenaId])
    expect((await call<{ hits: unknown[] }>('search:query', { query: 'Secretfamilyname' })).hits).toEqual([])
    expect((await call<{ hits: unknown[] }>('search:query', { query: 'insulin' })).hits).toEqual([])
  })

  it('merges a duplicate into the kept dossier and deletes it', async () => {
    const dup = await call<{ id: string }>('dossiers:create', {
      dossier: {
        names: { original: 'Olena Wygadana' },
        category: 'civilian-detainee',
        consent: 'public',
        birth: { year: 1971 },
        timeline: [{ date: '2024-10-01', description: 'Letter received.' }],
      },
    })
    const merged = await call<{ revision: number; conflicts: string[] }>('dossiers:merge', { keepId: olenaId, dropId: dup.id })
    expect(merged.revision).toBeGreaterThan(1)
    expect((await fail('dossiers:get', { id: dup.id })).code).toBe('NOT_FOUND')
    const kept = await call<{ dossier: { timeline: { description: string }[]; family: { contacts: unknown[] } }; familyCount: number }>(
      'dossiers:get',
      { id: olenaId },
    )
    expect(kept.dossier.timeline.map((t) => t.description)).toContain('Letter received.')
    expect(kept.dossier.family.contacts).toEqual([])
    expect(kept.familyCount).toBe(2)
    expect((await fail('dossiers:merge', { keepId: olenaId, dropId: olenaId })).code).toBe('VALIDATION')
  })

  it('reads and saves the dossier schema, refusing removals and stale revisions', async () => {
    const got = await call<{ revision: number; schema: { v: 1; fields: unknown[]; vocabularies: { id: string }[] } }>(
      'dossiers:getSchema',
      {},
    )
    expect(got.schema.vocabularies.map((v) => v.id)).toEqual(['facilities', 'regions', 'categories'])
    const next = { ...got.schema, fields: [{ id: 'fcase', label: 'Case number', type: 'text' }] }
    const saved = await call<{ revision: number }>('dossiers:updateSchema', { schema: next, expectedRevision: got.revision })
    expect(saved.revision).toBe(got.revision + 1)
    expect((await fail('dossiers:updateSchema', { schema: next, expectedRevision: got.revision })).code).toBe('CONFLICT')
    expect((await fail('dossiers:updateSchema', { schema: got.schema, expectedRevision: saved.revision })).message).toContain(
      'cannot be removed',
    )
  })

  it('deletes a dossier and removes it from lists; everything needs an unlocked vault', async () => {
    await call('dossiers:delete', { id: ivanId })
    const { lists } = await call<{ lists: { dossierIds: string[] }[] }>('dossiers:listLists', {})
    expect(lists[0]!.dossierIds).toEqual([olenaId])
    services.session.lock('user')
    expect((await fail('dossiers:list', {})).code).toBe('VAULT_LOCKED')
    expect((await fail('dossiers:get', { id: olenaId })).code).toBe('VAULT_LOCKED')
  })
})
