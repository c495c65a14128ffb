// Core (Node): bundle import is all or nothing — a bundle whose second item breaks a limit the vault checks only when
// writing (a dossier summary over 64 KiB, a rich-text tree 5,000 levels deep) is refused before the first write, a
// write failing inside the import's transaction undoes every other and removes the staged blobs, and a few hundred
// randomly damaged item payloads never leave a record, an audit entry or a blob behind when they fail. The same
// bundle twice is refused with the day of the first import, and an older bundle imported as revisions never
// overwrites what a newer one from the same sender brought: it is kept in the record's history, with a notice, and
// the whole-vault commitment covers it.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAnnotation, locateQuote, toAnnotationRecordId } from '../../../electron/core/annotations/annotationService'
import { updateDocument } from '../../../electron/core/library/documentService'
import { exportBundle } from '../../../electron/core/exchange/exportService'
import { importBundleItems, openBundleForImport, type OpenedImport } from '../../../electron/core/exchange/importService'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { openVault, type Vault } from '../../../electron/core/vault/vault'
import { CustodiaError } from '../../../shared/errors'
import { formatPlainDate } from '../../../shared/text/plainDate'
import {
  addDocument,
  exchangeIdentities,
  listBlobFiles,
  makeTempDir,
  makeVault,
  PASSPHRASE,
  writeCraftedBundle,
  type CraftedItem,
} from './helpers'

let root: string
let a: Vault
let b: Vault
let bInA: string
let bundleCount = 0

beforeAll(async () => {
  root = makeTempDir()
  a = await makeVault(root, 'Viasna', 'Human Rights Centre Viasna')
  b = await makeVault(root, 'Partner', 'Partner Org')
  ;({ bInA } = exchangeIdentities(a, b))
})
afterAll(() => {
  for (const v of [a, b]) if (!v.locked) v.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

/** What a refused import must leave exactly as it was. */
function snapshot(vault: Vault): { records: number; audit: number; blobs: string[] } {
  return { records: vault.listRecords().length, audit: vault.audit.list().length, blobs: listBlobFiles(vault) }
}

function nextBundlePath(): string {
  return path.join(root, `crafted-${++bundleCount}.custodia`)
}

function makeId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32)
}

const note = (title: string, extra: Record<string, unknown> = {}) => ({
  kind: 'note',
  title,
  date: '2026-05-12',
  text: `${title}.`,
  ...extra,
})

/** A dossier whose name forms fold to 202 distinct keys of 3-byte characters: a summary of about 150 KiB. */
function dossierWithHugeSummary(): Record<string, unknown> {
  const form = (i: number) => [0, 1, 2, 3, 4, 5].map((j) => `${'漢字'.repeat(20)}${i}x${j}`).join(' ')
  return {
    names: {
      original: form(0),
      otherSpellings: Array.from({ length: 50 }, (_, i) => form(i + 1)),
      aliases: Array.from({ length: 50 }, (_, i) => form(i + 100)),
    },
    category: 'political-prisoner',
    consent: 'public',
  }
}

/** A ProseMirror-shaped tree `depth` levels deep. */
function deepRichText(depth: number): unknown {
  let node: unknown = { type: 'text', text: 'deep' }
  for (let i = 0; i < depth; i++) node = { type: 'blockquote', content: [node] }
  return { type: 'doc', content: [node] }
}

async function openCrafted(items: readonly CraftedItem[], sender: Vault = a): Promise<OpenedImport> {
  return openBundleForImport(b, await writeCraftedBundle(sender, b, items, nextBundlePath()))
}

/** Locks the vault and opens it again: the next unlock removes orphan blobs and temp files. */
async function reopen(vault: Vault): Promise<Vault> {
  vault.lock()
  return openVault(vault.dir, Buffer.from(PASSPHRASE), { sodium: await loadSodium('native') })
}

describe('a bundle whose second item breaks a write-time limit is refused before the first write', () => {
  for (const [label, second, message] of [
    ['a dossier summary over 64 KiB', { kind: 'dossier', body: dossierWithHugeSummary() }, /record summary is larger than 64 KiB/],
    [
      'a rich-text tree 5,000 levels deep',
      { kind: 'note', body: note('Deep', { richText: deepRichText(5000) }) },
      /record content is nested too deeply to store/,
    ],
  ] as const) {
    it(`${label}: VALIDATION naming the item; no record, no audit entry, no blob, then or after the next unlock`, async () => {
      const firstId = makeId(`${label} first`)
      const secondId = makeId(`${label} second`)
      const opened = await openCrafted([
        {
          kind: 'note',
          id: firstId,
          body: note('Fine first item'),
          attachments: [{ attachmentId: makeId(`${label} file`), filename: 'scan.bin', bytes: Buffer.alloc(300_000, 7) }],
        },
        { ...second, id: secondId },
      ])
      const before = snapshot(b)
      try {
        const refusal: unknown = await importBundleItems(b, opened).then(
          () => null,
          (err: unknown) => err,
        )
        // First what matters most: the first item was not stored, nor anything else.
        expect(b.hasRecord(firstId)).toBe(false)
        expect(snapshot(b)).toEqual(before)
        expect(refusal).toMatchObject({
          code: 'VALIDATION',
          message: expect.stringMatching(
            new RegExp(`^Nothing was imported: item ${secondId} of this bundle cannot be stored here: .*${message.source}`),
          ),
        })
      } finally {
        await opened.dispose()
      }
      b = await reopen(b)
      expect(b.hasRecord(firstId)).toBe(false)
      expect(listBlobFiles(b)).toEqual(before.blobs)
    })
  }

  it('a write failing inside the transaction (a record created meanwhile under the same id) undoes all and removes the staged blobs', async () => {
    const taken = makeId('taken meanwhile')
    const opened = await openCrafted([
      {
        kind: 'note',
        id: makeId('staged first'),
        body: note('First'),
        attachments: [{ attachmentId: makeId('staged file 1'), filename: 'one.bin', bytes: Buffer.alloc(200_000, 1) }],
      },
      {
        kind: 'note',
        id: taken,
        body: note('Second'),
        attachments: [{ attachmentId: makeId('staged file 2'), filename: 'two.bin', bytes: Buffer.alloc(200_000, 2) }],
      },
    ])
    // Another window creates a record under the second item's id while the attachments are being encrypted.
    const bundle = opened.bundle
    let sawStaging = false
    const racing: OpenedImport = {
      ...opened,
      bundle: {
        ...bundle,
        openFile: (p: string) => {
          if (!sawStaging) {
            sawStaging = true
            b.createRecord('note', { summary: { title: 'Mine' }, body: note('Mine') }, { id: taken })
          }
          return bundle.openFile(p)
        },
      },
    }
    const before = { ...snapshot(b), records: b.listRecords().length + 1 }
    try {
      await expect(importBundleItems(b, racing)).rejects.toMatchObject({ code: 'CONFLICT' })
    } finally {
      await opened.dispose()
    }
    expect(sawStaging).toBe(true)
    const after = snapshot(b)
    expect(after.records).toBe(before.records)
    // Exactly the record made meanwhile and its audit entry: nothing of the import.
    expect(after.audit).toBe(before.audit + 1)
    expect(after.blobs).toEqual(before.blobs)
    expect(b.getRecord(taken).body).toMatchObject({ title: 'Mine' })
    expect(b.audit.verify().ok).toBe(true)
  })
})

describe('randomly damaged item payloads (seeded)', () => {
  /** mulberry32: a small seeded PRNG, so a failure can be replayed from its iteration number. */
  function createRandom(seed: number): () => number {
    let t = seed >>> 0
    return () => {
      t = (t + 0x6d2b79f5) >>> 0
      let r = Math.imul(t ^ (t >>> 15), 1 | t)
      r ^= r + Math.imul(r ^ (r >>> 7), 61 | r)
      return ((r ^ (r >>> 14)) >>> 0) / 4294967296
    }
  }

  it('every failing import leaves the record count, the audit log and the blob store unchanged', async () => {
    const random = createRandom(0x19_05)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
    const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('')
    const uuid = () => {
      const h = hex(32)
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
    }
    // A genuine annotation from the sender, re-aimed at each round's document.
    const annotatedDoc = addDocument(a, 'Annotated', 'He was denied access to his lawyer.')
    const annotation = createAnnotation(
      a,
      { recordId: annotatedDoc, selection: locateQuote(a, annotatedDoc, 'denied access'), body: 'No counsel' },
      { id: 'alice', name: 'Alice' },
    )
    const annotationBody = a.getRecord(toAnnotationRecordId(annotation.id)).body as Record<string, unknown>
    const HUGE_TEXT = '漢'.repeat(70_000)
    const values: (() => unknown)[] = [
      () => null,
      () => 0,
      () => -1,
      () => 1e308,
      () => '',
      () => 'x',
      () => true,
      () => [],
      () => ({}),
      () => HUGE_TEXT,
      () => deepRichText(5000),
      () => Array.from({ length: 300 }, () => HUGE_TEXT.slice(0, 300)),
    ]

    /** Every path to a value inside `value` (objects and arrays), the root excluded. */
    function listPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
      if (value === null || typeof value !== 'object' || prefix.length > 6) return out
      for (const key of Object.keys(value)) {
        const p = [...prefix, Array.isArray(value) ? Number(key) : key]
        out.push(p)
        listPaths((value as Record<string, unknown>)[key], p, out)
      }
      return out
    }
    /**
     * Damages one item of the round. A fifth of the rounds get a dossier summary over 64 KiB (the second item), a fifth
     * a rich-text tree thousands of levels deep (the last document): limits only the vault's write checks. The rest
     * change or delete one value, mostly inside a body, of a random item.
     */
    function damage(items: readonly CraftedItem[]): string {
      const roll = random()
      const recordOf = (item: CraftedItem) => item.record as Record<string, unknown>
      if (roll < 0.2) {
        const dossier = recordOf(items.find((i) => i.kind === 'dossier')!)
        dossier['body'] = { ...(dossier['body'] as object), names: (dossierWithHugeSummary() as { names: unknown }).names }
        return 'huge summary'
      }
      if (roll < 0.4) {
        const depth = 3000 + Math.floor(random() * 4000)
        ;(recordOf(items.findLast((i) => i.kind === 'note')!)['body'] as Record<string, unknown>)['richText'] = deepRichText(depth)
        return `rich text ${depth} deep`
      }
      const record = recordOf(pick(items))
      const paths = listPaths(record)
      const inBody = paths.filter((p) => p[0] === 'body')
      const target = pick(random() < 0.8 && inBody.length > 0 ? inBody : paths)
      const parent = target.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], record) as Record<
        string | number,
        unknown
      >
      const key = target[target.length - 1]!
      if (random() < 0.3 && !Array.isArray(parent)) {
        delete parent[key]
        return `${String(record['kind'])}: delete ${target.join('.')}`
      }
      parent[key] = pick(values)()
      return `${String(record['kind'])}: replace ${target.join('.')}`
    }

    let failures = 0
    let successes = 0
    const codes = new Set<string>()
    for (let round = 0; round < 240; round++) {
      const docId = hex(32)
      const dossierId = hex(32)
      const photoId = hex(32)
      const annotationId = uuid()
      const wrap = (kind: string, id: string, body: unknown): Record<string, unknown> => ({
        format: 'custodia-record',
        version: 1,
        kind,
        id,
        revision: 1,
        createdAt: '2026-05-12T10:00:00.000Z',
        savedAt: '2026-05-12T10:00:00.000Z',
        summary: {},
        body,
      })
      const listId = hex(32)
      const items: CraftedItem[] = [
        {
          kind: 'note',
          id: docId,
          body: note(`Round ${round}`),
          attachments: [{ attachmentId: hex(32), filename: 'scan.bin', bytes: Buffer.alloc(1000 + round, round % 256) }],
        },
        {
          kind: 'dossier',
          id: dossierId,
          body: { names: { original: `Person ${round}` }, category: 'political-prisoner', consent: 'public', photoAttachmentId: photoId },
          attachments: [{ attachmentId: photoId, filename: 'photo.jpg', bytes: Buffer.alloc(2000, 9) }],
        },
        { kind: 'dossier-list', id: listId, body: { name: `List ${round}`, dossierIds: [dossierId] } },
        {
          kind: 'annotation',
          id: toAnnotationRecordId(annotationId),
          body: { ...structuredClone(annotationBody), id: annotationId, recordId: docId },
        },
        { kind: 'note', id: hex(32), body: note(`Round ${round} later note`) },
      ].map((item) => ({ ...item, record: wrap(item.kind, item.id, item.body) }))
      const how = damage(items)
      const opened = await openCrafted(items)
      const before = snapshot(b)
      try {
        await importBundleItems(b, opened)
        successes += 1
      } catch (err) {
        failures += 1
        if (!(err instanceof CustodiaError)) throw new Error(`round ${round} (${how}): not a CustodiaError: ${String(err)}`, { cause: err })
        codes.add(err.code)
        expect(snapshot(b), `round ${round} (${how}): ${err.message}`).toEqual(before)
      } finally {
        await opened.dispose()
      }
    }
    // The damage must actually refuse most rounds, and some must still import (a harmless change).
    expect(failures).toBeGreaterThan(100)
    expect(successes).toBeGreaterThan(0)
    expect([...codes].every((c) => ['VALIDATION', 'NOT_FOUND', 'CONFLICT'].includes(c))).toBe(true)
    expect(b.audit.verify().ok).toBe(true)
    // No orphan blob: after the next unlock every blob belongs to an attachment, and every attachment has its blob.
    b = await reopen(b)
    const attached = b.listRecords().flatMap((r) => b.listAttachments(r.id).map((x) => x.id))
    expect(
      listBlobFiles(b)
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual(attached.sort())
  }, 300_000)
})

describe('the same bundle twice', () => {
  it('is refused with CONFLICT naming the day of the first import; the preview says so; nothing changes', async () => {
    const id = makeId('replayed')
    const bundlePath = await writeCraftedBundle(a, b, [{ kind: 'note', id, body: note('Replayed') }], nextBundlePath())
    const first = await openBundleForImport(b, bundlePath)
    expect(first.preview.alreadyImportedAt).toBeNull()
    await importBundleItems(b, first)
    await first.dispose()

    const again = await openBundleForImport(b, bundlePath)
    const importedAt = again.preview.alreadyImportedAt!
    expect(Date.now() - Date.parse(importedAt)).toBeLessThan(60_000)
    expect(again.preview.items).toEqual([expect.objectContaining({ id, held: true, alreadyImported: true })])
    const before = snapshot(b)
    for (const choice of [{}, { asRevisions: true }, { ids: [id] }]) {
      await expect(importBundleItems(b, again, choice)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: `This bundle was already imported on ${formatPlainDate(importedAt)}.`,
      })
    }
    await again.dispose()
    expect(snapshot(b)).toEqual(before)
    expect(formatPlainDate(importedAt)).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}$/)
  })
})

describe('an older bundle from the same sender, imported as revisions', () => {
  it('never overwrites newer content: kept in the history with a notice, once; the same revision is skipped; a newer one applies', async () => {
    const docId = addDocument(a, 'Appeal v1', 'First wording.', 'note')
    const exportTo = async (name: string) => {
      const out = path.join(root, `${name}.custodia`)
      await exportBundle(a, { selection: { recordIds: [docId] }, contactIds: [bInA] }, { outPath: out })
      return out
    }
    const v1 = await exportTo('appeal-v1')
    const v1again = await exportTo('appeal-v1-again')
    updateDocument(a, docId, { kind: 'note', title: 'Appeal v2', date: '2026-05-12', text: 'Second wording.' })
    const v2 = await exportTo('appeal-v2')
    const v2again = await exportTo('appeal-v2-again')
    updateDocument(a, docId, { kind: 'note', title: 'Appeal v3', date: '2026-05-12', text: 'Third wording.' })
    const v3 = await exportTo('appeal-v3')

    const importFile = async (file: string) => {
      const opened = await openBundleForImport(b, file)
      try {
        return await importBundleItems(b, opened, { asRevisions: true })
      } finally {
        await opened.dispose()
      }
    }
    expect((await importFile(v2)).created).toEqual([{ bundleId: docId, id: docId }])
    const held = b.listRevisions(docId).length
    const current = b.getRecord(docId)
    const blobs = listBlobFiles(b)

    const older = await importFile(v1)
    expect(older).toEqual({
      created: [],
      revised: [],
      keptInHistory: [
        {
          id: docId,
          revision: held + 1,
          notice: 'An older version of “Appeal v1” from Viasna was kept in its history; the newer version stays current.',
        },
      ],
      attachments: 0,
      skipped: [],
    })
    // The newer version stays current; the older one is in the history, nothing of either is lost.
    expect(b.getRecord(docId)).toMatchObject({ revision: held + 2, summary: current.summary, body: current.body })
    expect(b.getRecord(docId, held + 1).body).toMatchObject({ title: 'Appeal v1', text: 'First wording.' })
    expect(b.listRevisions(docId)).toHaveLength(held + 2)
    expect(listBlobFiles(b)).toEqual(blobs)
    expect(b.checkIntegrity()).toEqual({ intact: true, problems: [] })

    // The same older version again, from another bundle: already kept, not stored twice.
    expect((await importFile(v1again)).skipped).toEqual([
      { id: docId, reason: `this older version was already imported from the same sender (revision 1); it is in the record's history` },
    ])
    expect(b.listRevisions(docId)).toHaveLength(held + 2)

    const same = await importFile(v2again)
    expect(same.skipped).toEqual([{ id: docId, reason: 'the same revision as the one you hold (revision 2 from the same sender)' }])
    expect(b.listRevisions(docId)).toHaveLength(held + 2)

    const newer = await importFile(v3)
    expect(newer.revised).toEqual([{ id: docId, revision: held + 3 }])
    expect(b.getRecord(docId).body).toMatchObject({ title: 'Appeal v3', text: 'Third wording.' })
    expect(b.getRecord(docId).revision).toBe(held + 3)
  })

  it('the kept older version brings the attachments the record does not already hold, and no second copy of the others', async () => {
    const docId = addDocument(a, 'Visit photos v1', 'With photos.', 'note')
    const attach = (name: string, text: string) =>
      a.addAttachmentFromStream(docId, Readable.from([Buffer.from(text)]), { filename: name, mediaType: 'text/plain' })
    await attach('kept.txt', 'in both versions')
    const dropped = await attach('dropped.txt', 'only in the older version')
    const exportTo = async (name: string) => {
      const out = path.join(root, `${name}.custodia`)
      await exportBundle(a, { selection: { recordIds: [docId] }, contactIds: [bInA] }, { outPath: out })
      return out
    }
    const v1 = await exportTo('photos-v1')
    a.deleteAttachment(dropped.id)
    updateDocument(a, docId, { kind: 'note', title: 'Visit photos v2', date: '2026-05-12', text: 'Without one.' })
    const v2 = await exportTo('photos-v2')
    const results = []
    for (const file of [v2, v1]) {
      const opened = await openBundleForImport(b, file)
      try {
        results.push(await importBundleItems(b, opened, { asRevisions: true }))
      } finally {
        await opened.dispose()
      }
    }
    expect(results[1]).toMatchObject({ keptInHistory: [{ id: docId }], attachments: 1 })
    expect(b.getRecord(docId).body).toMatchObject({ title: 'Visit photos v2' })
    expect(
      b
        .listAttachments(docId)
        .map((x) => x.filename)
        .sort(),
    ).toEqual(['dropped.txt', 'kept.txt'])
  })

  it('the kept older version is covered by the whole-vault commitment: removing it is reported at the next unlock', async () => {
    const docId = addDocument(a, 'Visit report v1', 'First.', 'note')
    const exportTo = async (name: string) => {
      const out = path.join(root, `${name}.custodia`)
      await exportBundle(a, { selection: { recordIds: [docId] }, contactIds: [bInA] }, { outPath: out })
      return out
    }
    const v1 = await exportTo('visit-v1')
    updateDocument(a, docId, { kind: 'note', title: 'Visit report v2', date: '2026-05-12', text: 'Second.' })
    const v2 = await exportTo('visit-v2')
    for (const file of [v2, v1]) {
      const opened = await openBundleForImport(b, file)
      try {
        await importBundleItems(b, opened, { asRevisions: true })
      } finally {
        await opened.dispose()
      }
    }
    const kept = b.listRevisions(docId).find((r) => r.summary['title'] === 'Visit report v1' && r.revision > 1)!.revision
    const dir = b.dir
    b.lock()
    b = await openVault(dir, Buffer.from(PASSPHRASE), { sodium: await loadSodium('native') })
    expect(b.integrity.intact).toBe(true)
    b.lock()
    // A copy of the closed vault, with the kept revision's row deleted as sqlite3 would: the copy is refused.
    const copy = path.join(root, 'partner-copy')
    fs.cpSync(dir, copy, { recursive: true })
    const db = new Database(path.join(copy, 'vault.sqlite'))
    expect(db.prepare('DELETE FROM revisions WHERE record_id = ? AND revision = ?').run(docId, kept).changes).toBe(1)
    db.close()
    await expect(openVault(copy, Buffer.from(PASSPHRASE), { sodium: await loadSodium('native') })).rejects.toMatchObject({
      code: 'TAMPERED',
    })
    b = await openVault(dir, Buffer.from(PASSPHRASE), { sodium: await loadSodium('native') })
  })
})
