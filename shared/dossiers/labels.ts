// Shared (renderer screens and printed lists): the words people read for the dossier model's codes.
import { worded, type MessageId } from '../i18n/sentence'
import type { ConsentLevel, CurrentStatus, DossierCategory, Gender, VulnerabilityFlag } from './dossier'

/**
 * Each current status's name in the message catalog (shared/i18n/en.json), the one place the names are worded. The
 * renderer shows `t(STATUS_NAME_IDS[status])`; printed lists and other output outside the renderer read STATUS_LABELS.
 */
export const STATUS_NAME_IDS = {
  missing: 'dossiers.status.missing',
  detained: 'dossiers.status.detained',
  charged: 'dossiers.status.charged',
  convicted: 'dossiers.status.convicted',
  deported: 'dossiers.status.deported',
  located: 'dossiers.status.located',
  released: 'dossiers.status.released',
  exchanged: 'dossiers.status.exchanged',
  returned: 'dossiers.status.returned',
  'found-alive': 'dossiers.status.foundAlive',
  'found-dead': 'dossiers.status.foundDead',
  deceased: 'dossiers.status.deceased',
  unknown: 'dossiers.status.unknown',
} as const satisfies Readonly<Record<CurrentStatus, MessageId>>

export const STATUS_LABELS: Readonly<Record<CurrentStatus, string>> = worded(STATUS_NAME_IDS)

export const CATEGORY_LABELS: Readonly<Record<DossierCategory, string>> = {
  'civilian-detainee': 'Civilian detainee',
  'political-prisoner': 'Political prisoner',
  'prisoner-of-war': 'Prisoner of war',
  'deported-child': 'Deported child',
  'missing-person': 'Missing person',
  other: 'Other',
}

export const FLAG_LABELS: Readonly<Record<VulnerabilityFlag, string>> = {
  ill: 'Ill health',
  elderly: 'Elderly',
  disabled: 'Disabled',
  minor: 'Minor',
  incommunicado: 'Held incommunicado',
  severeConditions: 'Severe conditions',
}

export const CONSENT_LABELS: Readonly<Record<ConsentLevel, string>> = {
  internal: 'Internal only',
  partners: 'Named partners',
  public: 'Public',
}

export const GENDER_LABELS: Readonly<Record<Gender, string>> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' }

export const SOURCE_TYPE_LABELS: Readonly<Record<string, string>> = {
  person: 'Person',
  organisation: 'Organisation',
  document: 'Document',
  other: 'Other',
}

export const RELIABILITY_LABELS: Readonly<Record<string, string>> = {
  A: 'A — reliable',
  B: 'B — usually reliable',
  C: 'C — fairly reliable',
  D: 'D — not usually reliable',
  E: 'E — unreliable',
  F: 'F — cannot be judged',
}

export const CREDIBILITY_LABELS: Readonly<Record<number, string>> = {
  1: '1 — confirmed',
  2: '2 — probably true',
  3: '3 — possibly true',
  4: '4 — doubtful',
  5: '5 — improbable',
  6: '6 — cannot be judged',
}
