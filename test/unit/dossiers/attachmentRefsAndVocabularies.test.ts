// Unit test (Node, pure shared code): taking one attachment's pointers out of a dossier (photo, timeline links) and
// renaming a vocabulary of the dossier schema — inputs are never changed, and refusals name the problem.
import { describe, expect, it } from 'vitest'
import { parseDossier } from '../../../shared/dossiers/dossier'
import { createDefaultDossierSchema } from '../../../shared/dossiers/dossierSchema'
import { countAttachmentReferences, dropAttachmentReferences } from '../../../shared/dossiers/attachmentRefs'
import { MAX_VOCABULARY_LABEL, renameVocabulary } from '../../../shared/dossiers/vocabularies'

const A = 'a'.repeat(32)
const B = 'b'.repeat(32)
const C = 'c'.repeat(32)

const dossier = parseDossier({
  names: { original: 'Олена Вигадана' },
  category: 'civilian-detainee',
  photoAttachmentId: A,
  timeline: [
    { id: 't1', date: '2024-02-11', description: 'Letter sent.', attachmentIds: [A, B] },
    { id: 't2', date: '2024-03-02', description: 'Reply received.', attachmentIds: [B] },
    { id: 't3', date: '2024-04-01', description: 'Visit.' },
  ],
})

describe('attachment references of a dossier', () => {
  it('counts the photo and the events that link a file', () => {
    expect(countAttachmentReferences(dossier, A)).toEqual({ photo: true, events: 1 })
    expect(countAttachmentReferences(dossier, B)).toEqual({ photo: false, events: 2 })
    expect(countAttachmentReferences(dossier, C)).toEqual({ photo: false, events: 0 })
  })

  it('drops the photo and the links to one file only, keeping events and leaving the input as it was', () => {
    const snapshot = structuredClone(dossier)
    const withoutA = dropAttachmentReferences(dossier, A)
    expect('photoAttachmentId' in withoutA).toBe(false)
    expect(withoutA.timeline.map((t) => [t.id, t.attachmentIds])).toEqual([
      ['t1', [B]],
      ['t2', [B]],
      ['t3', []],
    ])
    const withoutB = dropAttachmentReferences(dossier, B)
    expect(withoutB.photoAttachmentId).toBe(A)
    expect(withoutB.timeline.map((t) => t.attachmentIds)).toEqual([[A], [], []])
    expect(dossier).toEqual(snapshot)
    // Nothing to drop: the very same object, so a caller can skip writing a revision.
    expect(dropAttachmentReferences(dossier, C)).toBe(dossier)
  })
})

describe('renameVocabulary', () => {
  const schema = createDefaultDossierSchema()

  it('changes the label only (trimmed), in a copy', () => {
    const next = renameVocabulary(schema, 'regions', '  Oblasts and cities ')
    expect(next.vocabularies.find((v) => v.id === 'regions')).toEqual({
      ...schema.vocabularies.find((v) => v.id === 'regions')!,
      label: 'Oblasts and cities',
    })
    expect(next.vocabularies.map((v) => v.id)).toEqual(schema.vocabularies.map((v) => v.id))
    expect(schema.vocabularies.find((v) => v.id === 'regions')!.label).toBe('Regions')
    // Labels need not be unique: adding a vocabulary never required it either.
    expect(renameVocabulary(schema, 'regions', 'Categories').vocabularies.filter((v) => v.label === 'Categories')).toHaveLength(2)
  })

  it('refuses an empty or over-long label and an unknown vocabulary', () => {
    expect(() => renameVocabulary(schema, 'regions', ' \t ')).toThrow(
      expect.objectContaining({ code: 'VALIDATION', message: 'A vocabulary label cannot be empty' }),
    )
    expect(renameVocabulary(schema, 'regions', 'r'.repeat(MAX_VOCABULARY_LABEL)).vocabularies[1]!.label).toHaveLength(MAX_VOCABULARY_LABEL)
    expect(() => renameVocabulary(schema, 'regions', 'r'.repeat(MAX_VOCABULARY_LABEL + 1))).toThrow(
      expect.objectContaining({ code: 'VALIDATION' }),
    )
    expect(() => renameVocabulary(schema, 'nope', 'Anything')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
    expect(() => renameVocabulary(schema, 'regions', 7 as unknown as string)).toThrow(expect.objectContaining({ code: 'VALIDATION' }))
  })
})
