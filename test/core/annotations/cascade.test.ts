// Tests (core, Node): annotations follow their record — deleting a document or a dossier deletes its annotations
// (none is left pointing at nothing), and a search hit on an annotation leads to the record it is attached to.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createAnnotation,
  deleteAnnotationsOf,
  findAnnotatedRecord,
  listStoredAnnotations,
  toAnnotationRecordId,
} from '../../../electron/core/annotations/annotationService'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createDocument } from '../../../electron/core/library/documentService'
import { createDossier, deleteDossier } from '../../../electron/core/dossiers/dossierService'
import { deleteLibraryDocument } from '../../../electron/core/library/libraryService'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir } from '../../helpers/vaultTestUtils'

const AUTHOR = { id: 'adviser', name: 'Legal Adviser' }
const TEXT = 'The detainee was transferred to an unknown place without notice to the family.'
let dir: string
let vault: Vault

function annotate(recordId: string, quote: string, field?: string) {
  const text = field ? 'Needs insulin every day.' : TEXT
  const start = [...text.slice(0, text.indexOf(quote))].length
  return createAnnotation(
    vault,
    { recordId, ...(field ? { field } : {}), selection: { start, end: start + [...quote].length }, body: 'Check' },
    AUTHOR,
  )
}

beforeAll(async () => {
  dir = createTempDir()
  ;({ vault } = await createVault(path.join(dir, 'vault'), new TextEncoder().encode('correct horse battery staple'), {
    sodium: await loadSodium('native'),
    kdf: MIN_KDF,
  }))
})
afterAll(() => {
  vault.lock()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('annotations follow their record', () => {
  it('locates the record an annotation is attached to, from the id a search hit carries', () => {
    const doc = createDocument(vault, { kind: 'correspondence', title: 'Reply', date: '2025-06-12', text: TEXT })
    const a = annotate(doc.id, 'without notice to the family')
    expect(findAnnotatedRecord(vault, toAnnotationRecordId(a.id))).toEqual({ recordId: doc.id, kind: 'correspondence' })
    expect(() => findAnnotatedRecord(vault, doc.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('deletes a document together with its annotations, and only those', () => {
    const doc = createDocument(vault, { kind: 'letter', title: 'Letter', date: null, text: TEXT })
    const other = createDocument(vault, { kind: 'note', title: 'Note', date: null, text: TEXT })
    const gone = [annotate(doc.id, 'transferred'), annotate(doc.id, 'unknown place')]
    const kept = annotate(other.id, 'transferred')
    deleteLibraryDocument(vault, doc.id)
    for (const a of gone) expect(vault.hasRecord(toAnnotationRecordId(a.id))).toBe(false)
    expect(vault.hasRecord(toAnnotationRecordId(kept.id))).toBe(true)
    expect(listStoredAnnotations(vault, other.id).map((a) => a.id)).toEqual([kept.id])
    expect(vault.audit.verify().ok).toBe(true)
  })

  it('deletes a dossier together with the annotations on its fields', () => {
    const dossier = createDossier(vault, {
      names: { original: 'Test Person' },
      category: 'civilian-detainee',
      vulnerability: { ill: true, medicalNote: 'Needs insulin every day.' },
    })
    const a = annotate(dossier.id, 'insulin', '/vulnerability/medicalNote')
    deleteDossier(vault, dossier.id)
    expect(vault.hasRecord(toAnnotationRecordId(a.id))).toBe(false)
    expect(deleteAnnotationsOf(vault, dossier.id)).toBe(0)
  })
})
