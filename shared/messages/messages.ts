// Shared by the renderer (and anything else that shows a failure to a person): the ONE place where error codes and
// validation issues become sentences in the user's terms (worded in the catalog, shared/i18n/en.json) — what happened, which field, and the way out. Schema
// wording ("Too small: expected string…", "Invalid request", "malformed age header: …") never reaches a screen from
// here: it is kept, word for word, as the technical detail shown behind a "Details" toggle.
import type { ErrorCode } from '../errors'
import { sentence, worded } from '../i18n/sentence'

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
export const CODE_MESSAGES: Readonly<Record<ErrorCode, string>> = worded({
  VALIDATION: 'messages.code.VALIDATION',
  VAULT_LOCKED: 'messages.code.VAULT_LOCKED',
  NOT_FOUND: 'messages.code.NOT_FOUND',
  CONFLICT: 'messages.code.CONFLICT',
  WRONG_PASSPHRASE: 'messages.code.WRONG_PASSPHRASE',
  NOT_A_VAULT: 'messages.code.NOT_A_VAULT',
  CORRUPT: 'messages.code.CORRUPT',
  TAMPERED: 'messages.code.TAMPERED',
  UNSUPPORTED: 'messages.code.UNSUPPORTED',
  CANCELLED: 'messages.code.CANCELLED',
  FORBIDDEN: 'messages.code.FORBIDDEN',
  INTERNAL: 'messages.code.INTERNAL',
})

/** What a bundle file that cannot be opened is, for every code the reader raises. */
export const BUNDLE_FILE_MESSAGES: Partial<Record<ErrorCode, string>> = worded({
  VALIDATION: 'messages.bundleFile.VALIDATION',
  CORRUPT: 'messages.bundleFile.CORRUPT',
  TAMPERED: 'messages.bundleFile.TAMPERED',
  UNSUPPORTED: 'messages.bundleFile.UNSUPPORTED',
})

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
const FIELD_NAMES: Readonly<Record<string, string>> = worded({
  dir: 'messages.field.dir',
  passphrase: 'messages.field.passphrase',
  oldPassphrase: 'messages.field.oldPassphrase',
  newPassphrase: 'messages.field.newPassphrase',
  recoveryKey: 'messages.field.recoveryKey',
  title: 'messages.field.title',
  name: 'messages.field.name',
  date: 'messages.field.date',
  text: 'messages.field.text',
  tags: 'messages.field.tags',
  email: 'messages.field.email',
  phone: 'messages.field.phone',
  web: 'messages.field.web',
  address: 'messages.field.address',
  organisation: 'messages.field.organisation',
  authorOrganisation: 'messages.field.authorOrganisation',
  recipients: 'messages.field.recipients',
  cc: 'messages.field.cc',
  language: 'messages.field.language',
  status: 'messages.field.status',
  kind: 'messages.field.kind',
  note: 'messages.field.note',
  place: 'messages.field.place',
  relation: 'messages.field.relation',
  description: 'messages.field.description',
  article: 'messages.field.article',
  facility: 'messages.field.facility',
  location: 'messages.field.location',
  from: 'messages.field.from',
  to: 'messages.field.to',
  original: 'messages.field.original',
  transliteration: 'messages.field.transliteration',
  citizenship: 'messages.field.citizenship',
  sharePartners: 'messages.field.sharePartners',
  comment: 'messages.field.comment',
  body: 'messages.field.body',
  quote: 'messages.field.quote',
  query: 'messages.field.query',
})

/** One entry of a list, by the list's key: "recipients.1" is "recipient 2". */
const ITEM_NAMES: Readonly<Record<string, string>> = worded({
  recipients: 'messages.item.recipients',
  cc: 'messages.item.cc',
  signatories: 'messages.item.signatories',
  statusHistory: 'messages.item.statusHistory',
  detentions: 'messages.item.detentions',
  charges: 'messages.item.charges',
  sources: 'messages.item.sources',
  timeline: 'messages.item.timeline',
  contacts: 'messages.item.contacts',
  sharePartners: 'messages.item.sharePartners',
  citizenship: 'messages.item.citizenship',
  credentials: 'messages.item.credentials',
  tags: 'messages.item.tags',
})

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
      item = sentence('messages.field.itemNumber', { item: ITEM_NAMES[key], number: index + 1 })
      break
    }
  }
  if (last === undefined) return item ?? sentence('messages.field.entry')
  const field = FIELD_NAMES[last] ?? humanise(last)
  if (item && path.at(-1) !== last) return item
  return item && ITEM_NAMES[last] === undefined ? sentence('messages.field.ofItem', { field, item }) : field
}

/** Known custom messages of our own schemas, reworded as a way out. */
const KNOWN_CUSTOM: readonly { match: RegExp; sentence: (field: string) => string }[] = [
  {
    match: /names no partner although consent is 'partners'/,
    sentence: () => sentence('messages.issue.namePartner'),
  },
  { match: /^ends before it starts$/, sentence: (field) => sentence('messages.issue.endsBeforeStart', { field }) },
  {
    match: /^cites a source id that is not in sources$/,
    sentence: (field) => sentence('messages.issue.sourceGone', { field }),
  },
  { match: /^repeats an id used earlier in the list$/, sentence: (field) => sentence('messages.issue.repeated', { field }) },
  { match: /^is not a field id$/, sentence: () => sentence('messages.issue.unknownCustomField') },
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
    return sentence('messages.issue.missing', { field })
  if ((m = message.match(/^Too small: expected string to have >=(\d+) characters?$/)))
    return sentence('messages.issue.tooShort', { field, min: Number(m[1]) })
  if ((m = message.match(/^Too big: expected string to have <=(\d+) characters?$/)))
    return sentence('messages.issue.tooLong', { field, max: Number(m[1]) })
  if ((m = message.match(/^Too small: expected array to have >=(\d+) items?$/)))
    return sentence('messages.issue.tooFewEntries', { field, min: Number(m[1]) })
  if ((m = message.match(/^Too big: expected array to have <=(\d+) items?$/)))
    return sentence('messages.issue.tooManyEntries', { field, max: Number(m[1]) })
  if ((m = message.match(/^Too small: expected number to be >=?(-?[\d.]+)$/)))
    return sentence('messages.issue.tooSmallNumber', { field, min: m[1] })
  if ((m = message.match(/^Too big: expected number to be <=?(-?[\d.]+)$/)))
    return sentence('messages.issue.tooBigNumber', { field, max: m[1] })
  if (/^Invalid option/.test(message)) return sentence('messages.issue.chooseFromList', { field })
  if (/^Invalid (ISO )?date/.test(message)) return sentence('messages.issue.incompleteDate', { field })
  if (/^Invalid email/.test(message)) return sentence('messages.issue.notEmail', { field })
  if (/^Invalid (url|URL)/.test(message)) return sentence('messages.issue.notUrl', { field })
  if (/^Unrecognized key/.test(message)) return sentence('messages.issue.unknownKey')
  if (looksTechnical(message)) return sentence('messages.issue.technical', { field })
  // A message of our own schemas: a full sentence stays as written; a fragment ("must be one line") gets its field.
  if (/^[A-Z]/.test(message)) return /[.!?]$/.test(message) ? message : `${message}.`
  return sentence('messages.issue.fragment', { field, fragment: message.replace(/[.]$/, '') })
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
    const message =
      unique.length <= 2 ? unique.join(' ') : sentence('messages.failure.moreFields', { first: unique[0], more: unique.length - 1 })
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
