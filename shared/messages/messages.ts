// Shared by the renderer (and anything else that shows a failure to a person): the ONE place where error codes and
// validation issues become sentences in the user's terms — what happened, which field, and the way out. Schema
// wording ("Too small: expected string…", "Invalid request", "malformed age header: …") never reaches a screen from
// here: it is kept, word for word, as the technical detail shown behind a "Details" toggle.
import type { ErrorCode } from '../errors'

/** One validation problem as it crosses IPC (shared/ipc/contract.ts IpcFailure.issues) or comes from a local zod check. */
export interface IssueInput {
  /** Dotted path ("document.recipients.0.name") or zod's path array. */
  readonly path: string | readonly PropertyKey[]
  readonly message: string
}

/** What a failure carries: an ApiError, an IpcFailure, or a local check. */
export interface FailureInput {
  readonly code: ErrorCode
  readonly message: string
  readonly issues?: readonly IssueInput[]
}

/** A problem to show at one field: `path` is dotted ("names.original"), so a form finds the input that shows it. */
export interface FieldProblem {
  readonly path: string
  readonly message: string
}

/** A failure in plain words: a sentence to show, the problems of single fields, and the technical detail (or null). */
export interface PlainFailure {
  readonly message: string
  readonly fields: readonly FieldProblem[]
  readonly details: string | null
}

/** How a screen names its fields and words the failures it expects (e.g. opening a bundle). */
export interface MessageContext {
  /**
   * The field's name in the form's words, for a dotted path with list positions ("detentions.1.to"). Return null to
   * fall back on the built-in names.
   */
  readonly fieldLabel?: (path: readonly (string | number)[]) => string | null
  /** Sentences for codes whose own message is technical (e.g. VALIDATION while opening a bundle file). */
  readonly codes?: Partial<Record<ErrorCode, string>>
}

/** A plain sentence for every error code: what happened and what to do next. */
export const CODE_MESSAGES: Readonly<Record<ErrorCode, string>> = {
  VALIDATION: 'Custodia cannot use this as it is. Check what you entered and try again.',
  VAULT_LOCKED: 'The vault is locked. Unlock it, then try again.',
  NOT_FOUND: 'This item is no longer in the vault: it may have been deleted. Go back to the list and open it again.',
  CONFLICT: 'This was changed elsewhere since you opened it. Reload it to see the latest version, then make your change again.',
  WRONG_PASSPHRASE: 'Wrong passphrase or recovery key. Check Caps Lock and the keyboard layout, then try again.',
  NOT_A_VAULT: 'This folder holds no Custodia vault. Choose the folder the vault was created in.',
  CORRUPT: 'Part of the vault cannot be read: it may be damaged. Restore the vault folder from a backup, or ask for help.',
  TAMPERED: 'Some data did not pass its integrity check: it was changed or damaged outside Custodia. Nothing was changed.',
  UNSUPPORTED: 'This was made by a newer version of Custodia or with settings it does not accept. Update Custodia, then try again.',
  CANCELLED: 'Cancelled. Nothing was changed.',
  FORBIDDEN: 'Your role in this vault does not allow this. Ask an admin of the vault.',
  INTERNAL: 'Something went wrong inside Custodia. A note of what failed was written to the application log (Security → Open log folder).',
}

/** What a bundle file that cannot be opened is, for every code the reader raises. */
export const BUNDLE_FILE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  VALIDATION: 'This file is not a Custodia bundle, or it is damaged. Ask the sender to export it again.',
  CORRUPT: 'This file is not a Custodia bundle, or it is damaged. Ask the sender to export it again.',
  TAMPERED: 'This bundle was changed or damaged after it was made. Nothing was imported: ask the sender to export it again.',
  UNSUPPORTED: 'This bundle was made by a newer version of Custodia or with settings it does not accept. Update Custodia, then try again.',
}

/** Words that belong to schemas, parsers and protocols, not to people. A message containing one is never shown as is. */
const TECHNICAL =
  /expected|received|invalid (request|input|option|string|type|union|key)|too (small|big)|unrecognized key|stanza|header:|\bage header\b|\bmac\b|\bnonce\b|\bzod\b|\bregex|pattern \/|\$\.|\[\d+\]|\bnull\b|\bundefined\b|\bNaN\b|\bJSON\b|errno|ENOENT|EACCES|stack|\bat [\w.]+ \(/i

/** Messages of the bundle and age readers, whatever their code: the file is not what it claims to be. */
const BUNDLE_WORDS = /\bage\b|stanza|bundle|manifest|\btar\b|ustar|pax header/i

/** True when `text` reads like a schema or parser message rather than a sentence for a person. */
export function looksTechnical(text: string): boolean {
  return TECHNICAL.test(text)
}

/** Names of fields that appear in more than one channel, in the user's words. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  dir: 'vault folder',
  passphrase: 'passphrase',
  oldPassphrase: 'current passphrase',
  newPassphrase: 'new passphrase',
  recoveryKey: 'recovery key',
  title: 'title',
  name: 'name',
  date: 'date',
  text: 'text',
  tags: 'tags',
  email: 'email address',
  phone: 'phone number',
  web: 'web address',
  address: 'address',
  organisation: 'organisation',
  authorOrganisation: 'author organisation',
  recipients: 'recipients',
  cc: 'CC',
  language: 'language',
  status: 'status',
  kind: 'kind',
  note: 'note',
  place: 'place',
  relation: 'relation',
  description: 'description',
  article: 'article of the code',
  facility: 'facility',
  location: 'location',
  from: 'start date',
  to: 'end date',
  original: 'name in original script',
  transliteration: 'transliteration',
  citizenship: 'citizenship',
  sharePartners: 'partners who may receive it',
  comment: 'comment',
  body: 'comment',
  quote: 'quoted passage',
  query: 'search words',
}

/** One entry of a list, by the list's key: "recipients.1" is "recipient 2". */
const ITEM_NAMES: Readonly<Record<string, string>> = {
  recipients: 'recipient',
  cc: 'CC',
  signatories: 'signatory',
  statusHistory: 'status event',
  detentions: 'detention period',
  charges: 'charge',
  sources: 'source',
  timeline: 'timeline event',
  contacts: 'family contact',
  sharePartners: 'partner',
  citizenship: 'citizenship',
  credentials: 'credential',
  tags: 'tag',
}

/** Path segments that wrap the real field and add nothing to its name. */
const WRAPPERS = new Set(['document', 'dossier', 'profile', 'request', 'family', 'names', 'birth', 'vulnerability', 'data', 'input'])

export function splitPath(path: IssueInput['path']): (string | number)[] {
  const parts = typeof path === 'string' ? (path === '(request)' || path === '' ? [] : path.split('.')) : path.map((p) => String(p))
  return parts.map((p) => (/^\d+$/.test(String(p)) ? Number(p) : String(p)))
}

/** "authorOrganisation" → "author organisation". */
function humanise(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

/** The field's name in plain words: "document.recipients.0.name" → "name of recipient 1". */
export function describeField(path: readonly (string | number)[], context: MessageContext = {}): string {
  const custom = context.fieldLabel?.(path)
  if (custom) return custom
  const keys = path.filter((p): p is string => typeof p === 'string' && !WRAPPERS.has(p))
  const last = keys.at(-1)
  // The innermost list entry the field sits in ("recipient 1"), unless the field is the entry itself.
  let item: string | null = null
  for (let i = path.length - 1; i > 0; i--) {
    const key = path[i - 1]
    const index = path[i]
    if (typeof index === 'number' && typeof key === 'string' && ITEM_NAMES[key]) {
      item = `${ITEM_NAMES[key]} ${index + 1}`
      break
    }
  }
  if (last === undefined) return item ?? 'entry'
  const field = FIELD_NAMES[last] ?? humanise(last)
  if (item && path.at(-1) !== last) return item
  return item && ITEM_NAMES[last] === undefined ? `${field} of ${item}` : field
}

/** Known custom messages of our own schemas, reworded as a way out. */
const KNOWN_CUSTOM: readonly { match: RegExp; sentence: (field: string) => string }[] = [
  {
    match: /names no partner although consent is 'partners'/,
    sentence: () => 'Name at least one partner who may receive this dossier, or choose another consent level.',
  },
  { match: /^ends before it starts$/, sentence: (field) => `The ${field} is before the start date. Correct one of the two dates.` },
  {
    match: /^cites a source id that is not in sources$/,
    sentence: (field) => `The ${field} cites a source that is no longer in the dossier. Untick it under “Sources cited”.`,
  },
  { match: /^repeats an id used earlier in the list$/, sentence: (field) => `The ${field} appears twice. Remove one of them.` },
  { match: /^is not a field id$/, sentence: () => 'A custom field is not known. Check the dossier fields under Vocabularies.' },
]

/**
 * One validation issue as a sentence that names the field and the way out. Works on zod's default messages (which
 * cross IPC without their code) and on the short custom ones of our schemas ("is empty").
 */
export function describeIssue(issue: IssueInput, context: MessageContext = {}): string {
  const path = splitPath(issue.path)
  const field = describeField(path, context)
  const message = issue.message.trim()
  for (const known of KNOWN_CUSTOM) if (known.match.test(message)) return known.sentence(field)

  let m: RegExpMatchArray | null
  if (
    /(^| )is empty$/.test(message) ||
    /^Too small: expected string to have >=1 characters?$/.test(message) ||
    /expected [\w ]+, received (undefined|null)$/.test(message)
  )
    return `Give the ${field}.`
  if ((m = message.match(/^Too small: expected string to have >=(\d+) characters?$/)))
    return `The ${field} is too short: use at least ${m[1]} characters.`
  if ((m = message.match(/^Too big: expected string to have <=(\d+) characters?$/)))
    return `The ${field} is too long: keep it to ${m[1]} characters or fewer.`
  if ((m = message.match(/^Too small: expected array to have >=(\d+) items?$/)))
    return m[1] === '1' ? `Add at least one ${field}.` : `Add at least ${m[1]} entries to ${field}.`
  if ((m = message.match(/^Too big: expected array to have <=(\d+) items?$/))) return `Keep ${field} to ${m[1]} entries or fewer.`
  if ((m = message.match(/^Too small: expected number to be >=?(-?[\d.]+)$/))) return `The ${field} must be at least ${m[1]}.`
  if ((m = message.match(/^Too big: expected number to be <=?(-?[\d.]+)$/))) return `The ${field} must be at most ${m[1]}.`
  if (/^Invalid option/.test(message)) return `Choose the ${field} from the list.`
  if (/^Invalid (ISO )?date/.test(message)) return `The ${field} is not a complete date: give the year, month and day.`
  if (/^Invalid email/.test(message)) return `The ${field} is not an email address. Check it for typing mistakes.`
  if (/^Invalid (url|URL)/.test(message)) return `The ${field} is not a web address. Check it for typing mistakes.`
  if (/^Unrecognized key/.test(message))
    return 'Custodia was sent something it does not know. Please try again; if it happens again, report it.'
  if (looksTechnical(message)) return `Check the ${field}: Custodia cannot save it as it is.`
  // A message of our own schemas: a full sentence stays as written; a fragment ("must be one line") gets its field.
  if (/^[A-Z]/.test(message)) return /[.!?]$/.test(message) ? message : `${message}.`
  return `The ${field} ${message.replace(/[.]$/, '')}.`
}

/** The field problems of a failure, in the order the issues came (the first is the one a form focuses). */
export function describeFieldProblems(issues: readonly IssueInput[], context: MessageContext = {}): FieldProblem[] {
  return issues.map((issue) => ({ path: splitPath(issue.path).join('.'), message: describeIssue(issue, context) }))
}

/** Technical detail for the "Details" toggle: the code, the original message and each issue's path. Never shown alone. */
function technicalDetail(failure: FailureInput): string {
  const lines = [`${failure.code}: ${failure.message}`]
  for (const issue of failure.issues ?? []) lines.push(`${splitPath(issue.path).join('.') || '(request)'}: ${issue.message}`)
  return lines.join('\n')
}

/** Turns a failure into what a person reads: a sentence, the field problems, and the detail behind "Details". */
export function describeFailure(failure: FailureInput, context: MessageContext = {}): PlainFailure {
  const issues = failure.issues ?? []
  if (failure.code === 'VALIDATION' && issues.length > 0) {
    const fields = describeFieldProblems(issues, context)
    const unique = [...new Set(fields.map((f) => f.message))]
    const message = unique.length <= 2 ? unique.join(' ') : `${unique[0]} ${unique.length - 1} more fields need attention: they are marked.`
    return { message, fields, details: technicalDetail(failure) }
  }
  if (!looksTechnical(failure.message) && failure.message.trim() !== '') {
    // Core's own messages are written for people ("Wrong passphrase…", "The list … already exists"): shown as they are.
    return { message: failure.message, fields: [], details: null }
  }
  const message =
    context.codes?.[failure.code] ??
    (BUNDLE_WORDS.test(failure.message) ? BUNDLE_FILE_MESSAGES[failure.code] : undefined) ??
    CODE_MESSAGES[failure.code]
  return { message, fields: [], details: technicalDetail(failure) }
}

/** For a field's hint: its problem, if any, from a failure's field list. */
export function problemAt(fields: readonly FieldProblem[], path: string): string | null {
  return fields.find((f) => f.path === path)?.message ?? null
}
