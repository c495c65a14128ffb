// Renderer: the dossier editor's working copy. The form edits a Dossier in place (inputs leave empty strings for
// cleared optional fields); prepareDossierForSave turns that into what the contract accepts and checks it with the
// same schema main uses, so most mistakes are shown before anything is sent.
import {
  DossierSchema,
  FIRST_STATUS_BY_CATEGORY,
  createItemId,
  type Dossier,
  type DossierCategory,
  type DossierInput,
} from '../../../../shared/dossiers/dossier'
import type { IssueInput } from '../../../../shared/messages/messages'

export function createEmptyDraft(): Dossier {
  return {
    names: { original: '', otherSpellings: [], aliases: [] },
    birth: {},
    gender: 'unknown',
    citizenship: [],
    homeRegion: '',
    category: 'civilian-detainee',
    statusHistory: [],
    detentions: [],
    charges: [],
    vulnerability: {
      ill: false,
      elderly: false,
      disabled: false,
      minor: false,
      incommunicado: false,
      severeConditions: false,
      sourceIds: [],
    },
    sources: [],
    consent: 'internal',
    sharePartners: [],
    family: { contacts: [] },
    timeline: [],
    customFields: {},
  }
}

/** Today as YYYY-MM-DD in local time (what a person means by "today" when entering an event). */
export function readToday(): string {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

export const newStatusEvent = (category: DossierCategory): Dossier['statusHistory'][number] => ({
  id: createItemId(),
  date: readToday(),
  status: FIRST_STATUS_BY_CATEGORY[category],
  sourceIds: [],
})
export const newDetention = (): Dossier['detentions'][number] => ({ id: createItemId(), facility: '', location: '', sourceIds: [] })
export const newCharge = (): Dossier['charges'][number] => ({ id: createItemId(), article: '', sourceIds: [] })
export const newSource = (): Dossier['sources'][number] => ({ id: createItemId(), type: 'person', name: '' })
export const newTimelineEntry = (): Dossier['timeline'][number] => ({
  id: createItemId(),
  date: readToday(),
  description: '',
  documentIds: [],
  attachmentIds: [],
})
export const newFamilyContact = (): Dossier['family']['contacts'][number] => ({ name: '', relation: '' })

/** Splits a multi-line field into trimmed, non-empty lines. */
export function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
}

function blankToUndefined<T extends object>(item: T, keys: readonly (keyof T)[]): T {
  const copy = { ...item }
  for (const key of keys) {
    const value = copy[key]
    if (value === '' || value === null || (typeof value === 'number' && Number.isNaN(value))) delete copy[key]
  }
  return copy
}

const nonEmpty = (values: readonly string[]) => values.map((v) => v.trim()).filter(Boolean)

/**
 * The draft as the contract expects it: cleared optional fields removed, empty list entries dropped. Returns the
 * schema's issues (path and message, worded for people by shared/messages) when the dossier is not valid yet.
 */
export function prepareDossierForSave(draft: Dossier): { ok: true; dossier: DossierInput } | { ok: false; issues: IssueInput[] } {
  const dossier: Dossier = {
    ...draft,
    names: blankToUndefined(
      {
        ...draft.names,
        original: draft.names.original.trim(),
        otherSpellings: nonEmpty(draft.names.otherSpellings),
        aliases: nonEmpty(draft.names.aliases),
      },
      ['transliteration'],
    ),
    birth: blankToUndefined(draft.birth, ['date', 'year']),
    citizenship: nonEmpty(draft.citizenship),
    statusHistory: draft.statusHistory.map((e) => blankToUndefined(e, ['note'])),
    detentions: draft.detentions.map((e) => blankToUndefined(e, ['from', 'to'])),
    charges: draft.charges.map((e) => blankToUndefined(e, ['court', 'date', 'sentence'])),
    vulnerability: blankToUndefined(draft.vulnerability, ['medicalNote', 'lastReliableNews']),
    sources: draft.sources.map((s) => blankToUndefined(s, ['documentId', 'date', 'reliability', 'credibility'])),
    sharePartners: draft.consent === 'partners' ? nonEmpty(draft.sharePartners) : [],
    family: { contacts: draft.family.contacts.map((c) => blankToUndefined(c, ['phone', 'email', 'address', 'note'])) },
    customFields: Object.fromEntries(
      Object.entries(draft.customFields).filter(([, v]) => v !== '' && !(typeof v === 'number' && Number.isNaN(v))),
    ),
  }
  if (dossier.birth.approximate === false) delete dossier.birth.approximate
  // "Remove photo" leaves the key with no value; the contract wants it absent.
  if (!dossier.photoAttachmentId) delete dossier.photoAttachmentId
  const parsed = DossierSchema.safeParse(dossier)
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) }
  return { ok: true, dossier }
}
