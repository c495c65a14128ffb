// Main process / CLI (core, Node only): letters being drafted from a template, stored as library documents of kind
// 'letter' whose body carries { templateId, letterData } and whose text is the plain-text rendering (so search
// finds it). Every save is a new vault revision; a letter marked as sent is frozen.
import { CustodiaError } from '../../../shared/errors'
import type { Correspondent, LibraryDocument, LibraryDocumentInput } from '../../../shared/library/document'
import type { LetterData, LetterTemplate, Person } from '../../../shared/letters/templateModel'
import { createDocument, getDocument, listDocuments, updateDocument } from '../library/documentService'
import { renderLetterText, validateLetterData } from './render/render'
import { applyOrganisationProfile } from './letterProfile'
import { getOrganisationProfile } from '../organisation/profileStore'
import type { OrganisationProfile } from '../../../shared/organisation/profile'
import type { Vault } from '../vault/vault'

export interface LetterDraft {
  id: string
  revision: number
  status: LibraryDocument['status']
  title: string
  templateId: string
  letterData: Record<string, unknown>
  savedAt: string
}

/** One letter of the library as the Letters page lists it. */
export interface LetterListing {
  id: string
  revision: number
  title: string
  /** The letter's own date (YYYY-MM-DD), or null when it has none. */
  date: string | null
  status: LibraryDocument['status']
  /** The first recipient's name, or null when none is named. */
  firstRecipient: string | null
  recipientCount: number
  /** The template it was drafted from here; null for a letter added to the library otherwise (imported, typed in). */
  templateId: string | null
  savedAt: string
}

/** What the sender of a template would read as a frozen letter's explanation. */
const FROZEN_MESSAGE = 'This letter was marked as sent and can no longer be changed: make a new draft copy to edit it.'

/** Throws VALIDATION listing every field whose value has the wrong shape (never the values themselves). */
function assertWellFormed(template: LetterTemplate, data: LetterData): void {
  const { invalid } = validateLetterData(template, data)
  if (invalid.length > 0) {
    const labels = new Map(template.fields.map((f) => [f.name, f.label]))
    throw new CustodiaError(
      'VALIDATION',
      `Invalid letter data: ${invalid.map((i) => `${labels.get(i.field) ?? i.field}: ${i.message}`).join('; ')}`,
    )
  }
}

/** A person or persons field's value (already validated) as a list. */
function readPersons(value: unknown): Person[] {
  if (value === undefined || value === null) return []
  return (Array.isArray(value) ? value : [value]) as Person[]
}

function toCorrespondents(value: unknown): Correspondent[] {
  return readPersons(value)
    .filter((p) => p.name.trim() !== '')
    .slice(0, 200)
    .map((p) => ({
      name: p.name.slice(0, 300),
      ...(p.title ? { title: p.title.slice(0, 300) } : {}),
      ...(p.organisation ? { organisation: p.organisation.slice(0, 300) } : {}),
      ...(p.email ? { email: p.email.slice(0, 320) } : {}),
    }))
}

/** Library metadata derived from the letter: title = subject (or the template's name), date, recipients, cc. */
export function buildLetterDocument(
  template: LetterTemplate,
  data: LetterData,
  status: LibraryDocument['status'],
  profile: OrganisationProfile | null = null,
): LibraryDocumentInput {
  // What the library shows and searches (author, text) is the letter as exported, with the profile's letterhead,
  // place and signatories; the draft keeps only what the user typed.
  const shown = applyOrganisationProfile(template, data, profile)
  const fieldOf = (type: string): string | undefined => {
    const block = template.blocks.find((b) => b.type === type) as { field?: string; dateField?: string } | undefined
    return block?.field ?? block?.dateField
  }
  const subjectField = fieldOf('subject')
  const subject = subjectField && typeof data[subjectField] === 'string' ? (data[subjectField] as string).trim() : ''
  const dateField = fieldOf('placeDate') ?? fieldOf('dateline')
  const date =
    dateField && typeof data[dateField] === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data[dateField] as string)
      ? (data[dateField] as string)
      : null
  const recipientsField = fieldOf('recipients')
  const ccField = fieldOf('cc')
  return {
    kind: 'letter',
    title: (subject || `${template.name} (draft)`).replace(/\s+/g, ' ').slice(0, 500),
    date,
    authorOrganisation: shown.template.letterhead.organisation.slice(0, 300),
    recipients: recipientsField ? toCorrespondents(data[recipientsField]) : [],
    cc: ccField ? toCorrespondents(data[ccField]) : [],
    language: shown.template.language.slice(0, 2),
    status,
    text: renderLetterText(shown.template, shown.data, { strict: false }),
    draft: { templateId: template.id, letterData: { ...data } },
  }
}

/**
 * Saves a draft: creates the letter (no id) or saves a new revision of it. `expectedRevision` guards against a
 * stale editor (CONFLICT). Throws CustodiaError: VALIDATION for malformed field values, CONFLICT for a sent letter
 * or a stale revision, NOT_FOUND for an unknown id. Missing required fields are fine in a draft.
 */
export function saveLetterDraft(
  vault: Vault,
  template: LetterTemplate,
  input: { id?: string; expectedRevision?: number; letterData: LetterData },
): { id: string; revision: number } {
  assertWellFormed(template, input.letterData)
  const next = buildLetterDocument(template, input.letterData, 'draft', getOrganisationProfile(vault)?.profile ?? null)
  if (!input.id) {
    const ref = createDocument(vault, next)
    return { id: ref.id, revision: ref.revision }
  }
  const current = readDraftDocument(vault, input.id)
  if (current.document.status === 'sent') throw new CustodiaError('CONFLICT', FROZEN_MESSAGE)
  const ref = updateDocument(
    vault,
    input.id,
    { ...next, tags: current.document.tags, links: current.document.links },
    input.expectedRevision === undefined ? {} : { expectedRevision: input.expectedRevision },
  )
  return { id: ref.id, revision: ref.revision }
}

function readDraftDocument(
  vault: Vault,
  id: string,
): ReturnType<typeof getDocument> & { document: { draft: NonNullable<LibraryDocument['draft']> } } {
  const doc = getDocument(vault, id)
  if (doc.kind !== 'letter' || !doc.document.draft) throw new CustodiaError('NOT_FOUND', 'No letter drafted from a template has that id.')
  return doc as ReturnType<typeof getDocument> & { document: { draft: NonNullable<LibraryDocument['draft']> } }
}

/** Reads a drafted letter. NOT_FOUND when the id is not a letter drafted from a template. */
export function getLetterDraft(vault: Vault, id: string): LetterDraft {
  const doc = readDraftDocument(vault, id)
  return {
    id: doc.id,
    revision: doc.revision,
    status: doc.document.status,
    title: doc.document.title,
    templateId: doc.document.draft.templateId,
    letterData: { ...doc.document.draft.letterData },
    savedAt: doc.savedAt,
  }
}

/**
 * Every letter of the library, newest first by the letter's date (else when it was last saved), as the library orders
 * documents: drafts and sent letters made here from a template, and letters added otherwise (templateId null).
 */
export function listLetters(vault: Vault): LetterListing[] {
  return listDocuments(vault, { kind: 'letter' }).map((row) => {
    const { document } = getDocument(vault, row.id)
    return {
      id: row.id,
      revision: row.revision,
      title: document.title,
      date: document.date,
      status: document.status,
      firstRecipient: document.recipients[0]?.name ?? null,
      recipientCount: document.recipients.length,
      templateId: document.draft?.templateId ?? null,
      savedAt: row.savedAt,
    }
  })
}

/**
 * Marks a complete draft as sent (a new revision with status 'sent'), after which it is frozen. Complete as exported:
 * a place or signatories the organisation profile supplies count as filled. Throws CustodiaError: VALIDATION listing
 * the empty required fields, CONFLICT when already sent or stale.
 */
export function markLetterSent(
  vault: Vault,
  template: LetterTemplate,
  id: string,
  expectedRevision: number,
): { id: string; revision: number } {
  const current = readDraftDocument(vault, id)
  if (current.document.status === 'sent') throw new CustodiaError('CONFLICT', 'This letter is already marked as sent.')
  const data = current.document.draft.letterData
  assertWellFormed(template, data)
  const asExported = applyOrganisationProfile(template, data, getOrganisationProfile(vault)?.profile ?? null).data
  const { missing } = validateLetterData(template, asExported)
  if (missing.length > 0) {
    throw new CustodiaError(
      'VALIDATION',
      `Fill in the required fields before marking the letter as sent: ${missing.map((m) => m.label).join(', ')}.`,
    )
  }
  const ref = updateDocument(
    vault,
    id,
    {
      ...buildLetterDocument(template, data, 'sent', getOrganisationProfile(vault)?.profile ?? null),
      tags: current.document.tags,
      links: current.document.links,
    },
    { expectedRevision },
  )
  return { id: ref.id, revision: ref.revision }
}

/** Makes a new draft with the same template and field values (to edit a sent letter). Returns the new letter. */
export function copyLetterDraft(vault: Vault, template: LetterTemplate, id: string): { id: string; revision: number } {
  const source = readDraftDocument(vault, id)
  const profile = getOrganisationProfile(vault)?.profile ?? null
  const ref = createDocument(vault, buildLetterDocument(template, source.document.draft.letterData, 'draft', profile))
  return { id: ref.id, revision: ref.revision }
}
