// Tests (core, Node): letter drafts in a real vault — save creates revisions with the plain-text rendering, a sent
// letter is frozen (CONFLICT, vault unchanged), copies are new drafts, stale and malformed saves are refused.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CustodiaError } from '../../../shared/errors'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import { createDocument, getDocument } from '../../../electron/core/library/documentService'
import { copyLetterDraft, getLetterDraft, listLetters, markLetterSent, saveLetterDraft } from '../../../electron/core/letters/letterDrafts'
import { loadLetterAssets } from '../../../electron/core/letters/resources'
import { saveOrganisationProfile } from '../../../electron/core/organisation/profileStore'
import { createVault, MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import { createTempDir, hashTree, TEST_PASSPHRASE } from '../../helpers/vaultTestUtils'

/** Hashes of the vault's files; SQLite's -shm index changes on mere reads, so it is left out. */
function hashVault(vaultDir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(hashTree(vaultDir)).filter(([name]) => !name.endsWith('-shm')))
}

const template = loadLetterAssets().builtins.find((t) => t.id === 'head-of-government-letter')!
const sample = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../resources/templates/samples/head-of-government-letter.json'), 'utf8'),
) as Record<string, unknown>

let dir: string
let vault: Vault

beforeEach(async () => {
  dir = createTempDir()
  vault = (await createVault(path.join(dir, 'v'), TEST_PASSPHRASE, { sodium: await loadSodium('native'), kdf: MIN_KDF })).vault
})
afterEach(() => {
  vault.lock()
  fs.rmSync(dir, { recursive: true, force: true })
})

function expectError(fn: () => unknown, code: string, message?: RegExp): void {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(CustodiaError)
    expect((error as CustodiaError).code).toBe(code)
    if (message) expect((error as CustodiaError).message).toMatch(message)
    return
  }
  throw new Error(`expected ${code}`)
}

describe('letter drafts', () => {
  it('saves an incomplete draft as a library letter whose text is the plain rendering', () => {
    const ref = saveLetterDraft(vault, template, { letterData: { subject: 'Release the detained', place: 'Oslo' } })
    expect(ref.revision).toBe(1)
    const doc = getDocument(vault, ref.id)
    expect(doc.kind).toBe('letter')
    expect(doc.document.status).toBe('draft')
    expect(doc.document.title).toBe('Release the detained')
    expect(doc.document.language).toBe('en')
    expect(doc.document.text).toContain('Release the detained')
    expect(doc.document.text).toContain('[missing: Recipient]')
    expect(doc.document.draft).toEqual({ templateId: template.id, letterData: { subject: 'Release the detained', place: 'Oslo' } })
  })

  it('each save is a new revision, with recipients, cc and date in the library metadata', () => {
    const first = saveLetterDraft(vault, template, { letterData: { subject: 'First' } })
    const second = saveLetterDraft(vault, template, { id: first.id, expectedRevision: 1, letterData: sample })
    expect(second).toEqual({ id: first.id, revision: 2 })
    expect(vault.listRevisions(first.id)).toHaveLength(2)
    const doc = getDocument(vault, first.id).document
    expect(doc.date).toBe('2025-05-26')
    expect(doc.recipients).toEqual([{ name: 'Ingrid Examplesen', title: 'Prime Minister', email: 'office@pm.example.org' }])
    expect(doc.cc.map((c) => c.name)).toEqual(['Tor Placeholder'])
    expect(doc.text).toContain('26 May 2025')
    const draft = getLetterDraft(vault, first.id)
    expect(draft.letterData).toEqual(sample)
    expect(listLetters(vault).map((d) => d.id)).toEqual([first.id])
  })

  it('lists every letter of the library newest first, with its first recipient, status and the template it came from', () => {
    const sent = saveLetterDraft(vault, template, { letterData: sample })
    markLetterSent(vault, template, sent.id, 1)
    const typedIn = createDocument(vault, {
      kind: 'letter',
      title: 'Reply from the ministry',
      date: '2024-01-10',
      status: 'received',
      recipients: [{ name: 'Kari Nordmann' }, { name: 'Ola Testesen' }],
      text: 'We have received your letter.',
    })
    const undated = saveLetterDraft(vault, template, { letterData: { subject: 'Not dated yet' } })
    createDocument(vault, { kind: 'note', title: 'Not a letter', date: '2026-01-01', text: 'A note.' })

    expect(listLetters(vault)).toEqual([
      // No date of its own: ordered by when it was saved (now), so it comes first.
      expect.objectContaining({
        id: undated.id,
        title: 'Not dated yet',
        date: null,
        status: 'draft',
        firstRecipient: null,
        recipientCount: 0,
        templateId: template.id,
      }),
      expect.objectContaining({
        id: sent.id,
        revision: 2,
        date: '2025-05-26',
        status: 'sent',
        firstRecipient: 'Ingrid Examplesen',
        recipientCount: 1,
        templateId: template.id,
      }),
      expect.objectContaining({
        id: typedIn.id,
        date: '2024-01-10',
        status: 'received',
        firstRecipient: 'Kari Nordmann',
        recipientCount: 2,
        templateId: null,
      }),
    ])
  })

  it('refuses a stale save (CONFLICT) and malformed values (VALIDATION, naming the field), changing nothing', () => {
    const ref = saveLetterDraft(vault, template, { letterData: { subject: 'One' } })
    saveLetterDraft(vault, template, { id: ref.id, expectedRevision: 1, letterData: { subject: 'Two' } })
    const before = hashVault(path.join(dir, 'v'))
    expectError(() => saveLetterDraft(vault, template, { id: ref.id, expectedRevision: 1, letterData: { subject: 'Three' } }), 'CONFLICT')
    expectError(() => saveLetterDraft(vault, template, { id: ref.id, letterData: { letterDate: '2025-02-30' } }), 'VALIDATION', /Date: /)
    expectError(
      () => saveLetterDraft(vault, template, { id: ref.id, letterData: { nonsense: 'x' } }),
      'VALIDATION',
      /nonsense: is not a field/,
    )
    expect(hashVault(path.join(dir, 'v'))).toEqual(before)
    expect(getLetterDraft(vault, ref.id).letterData).toEqual({ subject: 'Two' })
  })

  it('marks only a complete letter as sent, listing what is missing', () => {
    const ref = saveLetterDraft(vault, template, { letterData: { subject: 'Incomplete' } })
    expectError(() => markLetterSent(vault, template, ref.id, 1), 'VALIDATION', /Recipient, Place, Date, Letter text, Signatories/)
    expect(getLetterDraft(vault, ref.id).status).toBe('draft')
  })

  it('counts the place and signatories the organisation profile supplies as filled when marking as sent', () => {
    const { place: _place, signatories: _signatories, ...rest } = sample
    const ref = saveLetterDraft(vault, template, { letterData: rest })
    expectError(() => markLetterSent(vault, template, ref.id, 1), 'VALIDATION', /: Place, Signatories\.$/)
    saveOrganisationProfile(vault, {
      name: 'Nordic Helsinki Committee',
      defaultPlace: 'Oslo',
      defaultLanguage: 'en-GB',
      signatories: [{ name: 'Kari Nordmann', title: 'Secretary General' }],
    })
    expect(markLetterSent(vault, template, ref.id, 1).revision).toBe(2)
    expect(getLetterDraft(vault, ref.id).status).toBe('sent')
    // The library's copy (searched, listed) is the letter as exported: the letterhead and signatory, no marker.
    const doc = getDocument(vault, ref.id).document
    expect(doc.authorOrganisation).toBe('Nordic Helsinki Committee')
    expect(doc.text).toContain('Kari Nordmann')
    expect(doc.text).not.toContain('[')
    // What the user typed stays as typed: the profile's values are not written into the draft.
    expect(getLetterDraft(vault, ref.id).letterData).toEqual(rest)
  })

  it('freezes a sent letter: saving again is a CONFLICT and changes nothing; a copy is an editable draft', () => {
    const ref = saveLetterDraft(vault, template, { letterData: sample })
    const sent = markLetterSent(vault, template, ref.id, 1)
    expect(sent.revision).toBe(2)
    expect(getLetterDraft(vault, ref.id).status).toBe('sent')
    const before = hashVault(path.join(dir, 'v'))
    expectError(() => saveLetterDraft(vault, template, { id: ref.id, letterData: { ...sample, subject: 'Changed' } }), 'CONFLICT', /sent/)
    expectError(() => markLetterSent(vault, template, ref.id, 2), 'CONFLICT', /already/)
    expect(hashVault(path.join(dir, 'v'))).toEqual(before)

    const copy = copyLetterDraft(vault, template, ref.id)
    expect(copy.id).not.toBe(ref.id)
    const copied = getLetterDraft(vault, copy.id)
    expect(copied.status).toBe('draft')
    expect(copied.letterData).toEqual(sample)
    const edited = saveLetterDraft(vault, template, { id: copy.id, expectedRevision: 1, letterData: { ...sample, subject: 'Changed' } })
    expect(edited.revision).toBe(2)
    expect(getLetterDraft(vault, ref.id).letterData['subject']).toBe(sample['subject'])
  })

  it('reports NOT_FOUND for an id that is not a drafted letter', () => {
    const note = vault.createRecord('note', { summary: { title: 'n' }, body: { kind: 'note', title: 'n', date: null, text: 'x' } })
    expectError(() => getLetterDraft(vault, note.id), 'NOT_FOUND')
    expectError(() => getLetterDraft(vault, '0'.repeat(32)), 'NOT_FOUND')
  })
})
