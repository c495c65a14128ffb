// Core (Node): annotations in bundles between two real vaults — they travel with their records in the `full` profile
// only (other profiles list them as excluded and carry not one), land on the right records and re-anchor exactly,
// get fresh ids when imported as copies, and are skipped with a reason when their record does not come along.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createAnnotation,
  getAnnotation,
  listAnnotations,
  locateQuote,
  replyToAnnotation,
  toAnnotationRecordId,
} from '../../../electron/core/annotations/annotationService'
import { decryptToFile } from '../../../electron/core/platform/crypto/age/age'
import { writeBundle } from '../../../electron/core/exchange/bundle/bundleFormat'
import { exportBundle, planExport } from '../../../electron/core/exchange/exportService'
import { importBundleItems, openBundleForImport } from '../../../electron/core/exchange/importService'
import { disposeIdentity, loadOwnIdentity } from '../../../electron/core/exchange/identity'
import type { Vault } from '../../../electron/core/vault/vault'
import type { Annotation } from '../../../shared/annotations/annotationModel'
import { addDocument, addDossier, exchangeIdentities, makeTempDir, makeVault } from './helpers'

const ALICE = { id: 'alice', name: 'Alice Monitor' }
const BOB = { id: 'bob', name: 'Bob Lawyer' }
const LETTER_TEXT = 'We urge the release of Ales. He has been denied access to his lawyer since March.'

let root: string
let a: Vault
let b: Vault
let c: Vault
let bInA: string
let docId: string
let dossierId: string
let onDoc: Annotation
let onField: Annotation
let fullBundle: string

beforeAll(async () => {
  root = makeTempDir()
  a = await makeVault(root, 'Viasna', 'Human Rights Centre Viasna')
  b = await makeVault(root, 'Partner', 'Partner Org')
  c = await makeVault(root, 'Other', 'Other Org')
  ;({ bInA } = exchangeIdentities(a, b))
  exchangeIdentities(a, c)

  docId = addDocument(a, 'Appeal for Ales', LETTER_TEXT)
  dossierId = addDossier(a, 'Partner Person', 'partners')
  const range = locateQuote(a, docId, 'denied access to his lawyer')
  createAnnotation(
    a,
    { recordId: docId, selection: range, body: 'No counsel for two months', tags: ['counsel'], legalBasisIds: ['gc4-art49'] },
    ALICE,
  )
  onDoc = replyToAnnotation(a, listAnnotations(a, docId)[0]!.annotation.id, 'Lawyer confirmed on 5 June.', BOB)
  const fieldRange = locateQuote(a, dossierId, 'needs insulin', undefined, '/vulnerability/medicalNote')
  onField = createAnnotation(
    a,
    { recordId: dossierId, field: '/vulnerability/medicalNote', selection: fieldRange, body: 'Ask the prison doctor' },
    ALICE,
  )

  fullBundle = path.join(root, 'full.custodia')
  await exportBundle(
    a,
    {
      selection: { recordIds: [docId, dossierId] },
      contactIds: [bInA],
      ageRecipients: [loadRecipient(c)],
      profile: 'full',
      includeHistory: true,
    },
    { outPath: fullBundle },
  )
})
afterAll(() => {
  for (const v of [a, b, c]) v.lock()
  fs.rmSync(root, { recursive: true, force: true })
})

describe('annotations in the full profile', () => {
  it('the plan lists each annotation right after its record, with that record’s consent and a short quote as title', () => {
    const plan = planExport(a, { selection: { recordIds: [docId, dossierId] }, contactIds: [bInA], profile: 'full' })
    expect(plan.items.map((i) => [i.id, i.kind])).toEqual([
      [docId, 'letter'],
      [toAnnotationRecordId(onDoc.id), 'annotation'],
      [dossierId, 'dossier'],
      [toAnnotationRecordId(onField.id), 'annotation'],
    ])
    expect(plan.items[1]).toMatchObject({ title: 'denied access to his lawyer', consent: 'partners', revision: 2, attachments: 0 })
    expect(plan.items[3]).toMatchObject({ title: 'needs insulin', consent: 'partners' })
    expect(plan.excluded).toEqual([])
  })

  it('B imports them onto the right records, anchored exactly, with history, a readable copy and audit counts', async () => {
    const opened = await openBundleForImport(b, fullBundle)
    const readable = (await opened.bundle.readFile(`readable/${toAnnotationRecordId(onDoc.id)}.txt`)).toString('utf8')
    for (const part of [
      'Appeal for Ales',
      'denied access to his lawyer',
      'No counsel for two months',
      'GC IV art. 49',
      'Status: open',
      'Bob Lawyer',
      'Lawyer confirmed on 5 June.',
    ]) {
      expect(readable).toContain(part)
    }
    expect(opened.preview.items.filter((i) => i.kind === 'annotation').every((i) => i.importable && !i.held)).toBe(true)
    const result = await importBundleItems(b, opened)
    await opened.dispose()
    expect(result.skipped).toEqual([])
    // Annotations are stored after every other item.
    expect(result.created.map((x) => x.id)).toEqual([docId, dossierId, toAnnotationRecordId(onDoc.id), toAnnotationRecordId(onField.id)])

    expect(getAnnotation(b, onDoc.id)).toEqual(onDoc)
    expect(getAnnotation(b, onField.id)).toEqual(onField)
    expect(listAnnotations(b, docId)).toEqual(listAnnotations(a, docId))
    expect(listAnnotations(b, dossierId)).toEqual(listAnnotations(a, dossierId))
    const [docAnchor] = listAnnotations(b, docId)
    const start = [...LETTER_TEXT.slice(0, LETTER_TEXT.indexOf('denied'))].length
    expect(docAnchor!.anchor).toMatchObject({ status: 'exact', start, end: start + 'denied access to his lawyer'.length })
    expect(listAnnotations(b, dossierId)[0]!.anchor).toMatchObject({ status: 'exact' })
    // Same revisions and the summary the annotation service itself computes.
    const annId = toAnnotationRecordId(onDoc.id)
    expect(b.listRevisions(annId).map((r) => r.revision)).toEqual([1, 2])
    expect(b.getRecord(annId).summary).toEqual(a.getRecord(annId).summary)
    expect(b.getRecord(annId, 1).body).toEqual(a.getRecord(annId, 1).body)

    const imported = b.audit
      .list()
      .filter((e) => e.type === 'bundle.imported')
      .at(-1)!
    expect(imported.details).toMatchObject({ created: 4, revised: 0, skipped: 0 })
    const exported = a.audit
      .list()
      .filter((e) => e.type === 'bundle.exported')
      .at(-1)!
    expect(exported.details).toMatchObject({ items: 4, excluded: 0 })
  })

  it('imported as new records next to the ones B holds: annotations get fresh ids and point at the new copies', async () => {
    // The same bundle twice is refused; a second export of the same records is another bundle.
    const again = path.join(root, 'full-again.custodia')
    await exportBundle(
      a,
      { selection: { recordIds: [docId, dossierId] }, contactIds: [bInA], profile: 'full', includeHistory: true },
      { outPath: again },
    )
    const opened = await openBundleForImport(b, again)
    const result = await importBundleItems(b, opened)
    await opened.dispose()
    const newIdOf = new Map(result.created.map((x) => [x.bundleId, x.id]))
    const newDoc = newIdOf.get(docId)!
    const newDossier = newIdOf.get(dossierId)!
    expect(newDoc).not.toBe(docId)
    expect(newDossier).not.toBe(dossierId)
    for (const [original, target] of [
      [onDoc, newDoc],
      [onField, newDossier],
    ] as const) {
      const copyId = newIdOf.get(toAnnotationRecordId(original.id))!
      expect(copyId).not.toBe(toAnnotationRecordId(original.id))
      const copy = b.getRecord(copyId).body as Annotation
      expect(toAnnotationRecordId(copy.id)).toBe(copyId)
      expect(copy.recordId).toBe(target)
      expect(b.getRecord(copyId).summary).toMatchObject({ recordId: target })
      expect(b.listRevisions(copyId)).toHaveLength(b.listRevisions(toAnnotationRecordId(original.id)).length)
      const { id: _copyId, recordId: _copyRecord, ...restCopy } = copy
      const { id: _origId, recordId: _origRecord, ...restOrig } = original
      expect(restCopy).toEqual(restOrig)
    }
    expect(listAnnotations(b, newDoc).map((x) => x.anchor.status)).toEqual(['exact'])
    expect(listAnnotations(b, newDossier).map((x) => x.anchor.status)).toEqual(['exact'])
    // The first copies keep their own annotation, untouched.
    expect(listAnnotations(b, docId).map((x) => x.annotation)).toEqual([onDoc])
  })

  it('an annotation whose record is neither imported nor held is skipped with a reason', async () => {
    const opened = await openBundleForImport(c, fullBundle)
    const fieldAnnotation = toAnnotationRecordId(onField.id)
    const result = await importBundleItems(c, opened, { ids: [docId, toAnnotationRecordId(onDoc.id), fieldAnnotation] })
    await opened.dispose()
    expect(result.created.map((x) => x.id)).toEqual([docId, toAnnotationRecordId(onDoc.id)])
    expect(result.skipped).toEqual([
      { id: fieldAnnotation, reason: expect.stringMatching(/record this annotation is on was not imported/) },
    ])
    expect(c.hasRecord(fieldAnnotation)).toBe(false)
    expect(listAnnotations(c, docId).map((x) => x.annotation)).toEqual([onDoc])
    const imported = c.audit
      .list()
      .filter((e) => e.type === 'bundle.imported')
      .at(-1)!
    expect(imported.details).toMatchObject({ created: 2, skipped: 1 })
  })

  it('an annotation record whose id does not match its UUID refuses the whole bundle before anything is stored', async () => {
    const own = loadOwnIdentity(a)
    const out = path.join(root, 'forged.custodia')
    const wrongId = 'f'.repeat(32)
    const record = {
      format: 'custodia-record',
      version: 1,
      kind: 'annotation',
      id: wrongId,
      revision: 1,
      createdAt: onField.createdAt,
      savedAt: onField.createdAt,
      summary: {},
      body: { ...onField, recordId: docId },
    }
    const docRecord = await readRecordOf(fullBundle, docId)
    try {
      await writeBundle({
        items: [
          { kind: 'letter', id: docId, revision: 1, consent: 'partners', record: docRecord, files: [] },
          { kind: 'annotation', id: wrongId, revision: 1, consent: 'partners', record, files: [] },
        ],
        sender: { name: 'Viasna', signingSecretKey: own.signingSecretKey, signingPublicKey: own.signingPublicKey },
        recipients: { x25519: [loadRecipient(c)] },
        outPath: out,
      })
    } finally {
      disposeIdentity(own)
    }
    const before = c.listRecords().length
    const opened = await openBundleForImport(c, out)
    await expect(importBundleItems(c, opened, { asRevisions: true })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/annotation in the bundle is not valid/),
    })
    await opened.dispose()
    expect(c.listRecords().length).toBe(before)
  })
})

describe('annotations stay home in the other profiles', () => {
  for (const profile of ['standard', 'public-list'] as const) {
    it(`${profile}: not one annotation in the bundle, and the plan says why`, async () => {
      const request = {
        selection: { recordIds: [docId, dossierId] },
        passphrase: Buffer.from('a long shared passphrase'),
        partnerNames: ['Partner Org'],
        scryptWorkFactor: 10,
        profile,
      }
      const plan = planExport(a, request)
      expect(plan.items.map((i) => i.kind)).toEqual(['letter', 'dossier'])
      expect(plan.excluded).toEqual([
        expect.objectContaining({ id: docId, kind: 'annotation', title: 'Appeal for Ales', reason: 'annotation-not-in-profile' }),
        expect.objectContaining({ id: dossierId, kind: 'annotation', title: 'Partner Person', reason: 'annotation-not-in-profile' }),
      ])
      expect(plan.excluded[0]!.explanation).toMatch(
        /^1 annotation on it stays in the vault: annotations travel only with the "full" profile/,
      )

      const out = path.join(root, `${profile}.custodia`)
      await exportBundle(a, request, { outPath: out })
      const scratch = fs.mkdtempSync(path.join(root, 'scan-'))
      const { path: tarPath } = await decryptToFile(out, { passphrase: Buffer.from('a long shared passphrase') }, scratch)
      execFileSync('tar', ['-x', '-C', scratch, '-f', tarPath])
      const records = fs
        .readdirSync(path.join(scratch, 'records'))
        .map((f) => JSON.parse(fs.readFileSync(path.join(scratch, 'records', f), 'utf8')) as { kind: string })
      expect(records.map((r) => r.kind).sort()).toEqual(['dossier', 'letter'])
      const tar = fs.readFileSync(tarPath).toString('utf8')
      for (const text of ['No counsel for two months', 'Lawyer confirmed', 'Ask the prison doctor']) expect(tar).not.toContain(text)
    }, 30_000)
  }
})

async function readRecordOf(bundlePath: string, id: string): Promise<unknown> {
  const opened = await openBundleForImport(c, bundlePath)
  try {
    return await opened.bundle.readRecord(id)
  } finally {
    await opened.dispose()
  }
}

function loadRecipient(vault: Vault): string {
  const own = loadOwnIdentity(vault)
  disposeIdentity(own)
  return own.recipient
}
