// Main process (Node): guess title, date, sender, recipients, language and kind of an imported letter or statement.
// Heuristics over lines, no dependency. Everything returned is a suggestion for the import form: the user confirms.
import { foldToken } from '../../../../shared/text/fold'
import { detectDate, findDates } from './detectDate'
import { detectLanguages, type LanguageCode } from './detectLanguage'

export type { LanguageCode } from './detectLanguage'

export interface DetectedPerson {
  name: string
  title?: string
  organisation?: string
  email?: string
}

export type DocumentKind = 'letter' | 'correspondence' | 'statement' | 'note'
export type DocumentSubtype = 'press-release' | 'joint-statement' | 'standpoint' | 'letter'

export interface DetectedMetadata {
  title: string
  /** ISO yyyy-mm-dd */
  date: string | null
  /** The organisation (or, failing that, the person) the document comes from. */
  sender: string | null
  recipients: DetectedPerson[]
  cc: DetectedPerson[]
  /** People who signed (letters). */
  signatories: DetectedPerson[]
  /** Organisations listed as signing (joint statements). */
  signatoryOrganisations: string[]
  language: LanguageCode
  otherLanguages: LanguageCode[]
  kind: DocumentKind
  subtype?: DocumentSubtype
  /** 0 (nothing found / pure guess) … 1 (explicit in the text). */
  confidence: { title: number; date: number; sender: number; recipients: number; language: number; kind: number }
}

const SALUTATION = /^(?:dear|kjære|kære|käre|hei|шановн|уважаем|паважан|вельмишановн|to whom it may concern|your excellency|excellency)/iu
const CLOSING =
  /^(?:(?:yours\s+)?(?:sincerely|faithfully|truly)(?:\s+yours)?|(?:with\s+)?(?:(?:our|my)\s+)?(?:best|kind|warm|warmest)\s+regards|regards|respectfully(?:\s+yours)?|best wishes|(?:med\s+)?venn?lig(?:\s+hilsen)|med venlig hilsen|mvh|з повагою|с уважением|з павагай)[\s,.!]*$/iu
const SUBJECT = /^(?:subject|re|regarding|emne|sak|тема)\s*:\s*(.+)$/iu
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u
const LANGUAGE_SWITCH = /^(?:ua|uk|en|eng|no|nb|ru|by|be|pl|de|fr|ukr)$/i
const PRESS_RELEASE = /\bpress[\s-]?release\b|\bpressemelding\b|\bprese?s?-?реліз|\bпресс-релиз/iu
const STATEMENT_HEADING =
  /^(joint\s+)?(statement|standpoint|declaration|appeal|position(?:\s+paper)?|open\s+letter|заява|позиція|заявление|erklæring|uttalelse)\b/iu
const HONORIFIC =
  /^(?:the\s+hono(?:u)?rable|the\s+rt\.?\s+hon\.?|h\.\s?e\.|his\s+excellency|her\s+excellency|hon\.|mr\.?|mrs\.?|ms\.?|miss|dr\.?|prof\.?|sir|dame)\s+/iu
const TITLE_WORD =
  /(?:^|\s)(?:prime|minister|president|secretary|general|director|chair(?:man|woman|person)?|head|coordinator|ambassador|ombudsman|commissioner|rapporteur|deputy|executive|officer|manager|adviser|advisor|counsellor|senator|mayor|governor|editor|founder|member|spokesperson|lawyer|attorney|professor|leader|chief|representative|consul|envoy|statsminister|utenriksminister|generalsekretær|leder|direktør)(?=$|\s|,)/iu
const ORG_WORDS =
  'Committee|Forum|Group|Centre|Center|Ministry|Foundation|Fund|Union|Association|Network|Coalition|Movement|Council|Initiative|Institute|Organi[sz]ation|Society|Commission|Office|Agency|Embassy|Department|Federation|Platform|Campaign|Watch|SOS|NGO|CF|Services|Helsinki|Amnesty|Parliament|Government|Storting|Viasna|ГРУПА|Група'
const ORG_LINE = new RegExp(`(?:^|\\s)(?:${ORG_WORDS})(?=$|\\s|,)|\\p{L}SOS(?=$|\\s)`, 'u')
const CAP = `(?:\\p{Lu}[\\p{L}’'-]*)`
const ORG_MENTION = new RegExp(`(?:${CAP}\\s+){0,5}(?:${ORG_WORDS})(?:\\s+(?:of|for|on)(?:\\s+the)?(?:\\s+${CAP}){1,4})?(?![\\p{L}])`, 'gu')

const MAX_ANALYSED = 300_000

interface Line {
  readonly text: string
  readonly index: number
}

/** Strip Markdown-ish decoration that plain-text files carry (**bold**, [label](url), leading #), tidy spaces. */
function cleanLine(line: string): string {
  return line
    .replace(/[\u00a0\u2000-\u200b\u202f]/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__/g, '')
    .replace(/^#{1,6}\s+/, '')
    .replace(/^[*_](.+)[*_]$/, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim()
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '')
}

function isDateLine(text: string): boolean {
  const found = findDates(text)
  return found.length > 0 && found.some((d) => d.score >= 3)
}

function isNameToken(token: string): boolean {
  return /^(?:\p{Lu}[\p{Ll}’'-]*(?:-\p{Lu}[\p{Ll}’'-]*)*|\p{Lu}\.)$/u.test(token) || /^(?:van|von|de|der|den|da|di|la|le|af)$/.test(token)
}

/** A line that is just a person's name: 2–5 capitalised words (initials allowed), no title or organisation word. */
function isPersonName(text: string): boolean {
  const tokens = words(text.replace(/[,;]$/, ''))
  if (tokens.length < 2 || tokens.length > 5) return false
  if (TITLE_WORD.test(text) || ORG_LINE.test(text)) return false
  if (tokens.filter((t) => /^\p{Lu}/u.test(t)).length < 2) return false
  return tokens.every(isNameToken)
}

/** Split "Foreign Minister Espen Barth Eide" into title and name; null when the line has no trailing name. */
function splitTitleAndName(text: string): { title: string; name: string } | null {
  const tokens = words(text.replace(/[,;]$/, ''))
  let lastTitle = -1
  tokens.forEach((t, i) => {
    if (TITLE_WORD.test(t)) lastTitle = i
  })
  if (lastTitle < 0 || lastTitle >= tokens.length - 1) return null
  const name = tokens.slice(lastTitle + 1).join(' ')
  if (!isPersonName(name)) return null
  return { title: tokens.slice(0, lastTitle + 1).join(' '), name }
}

function isTitleLine(text: string): boolean {
  return TITLE_WORD.test(text) && words(text).length <= 10 && !/[.!?]$/.test(text)
}

/** Organisation names mentioned in running text ("… participants of the Belarus Democratic Forum"). */
function findOrganisations(text: string): string[] {
  const found: string[] = []
  for (const m of text.matchAll(ORG_MENTION)) {
    const name = m[0].replace(/^The\s+/, '').trim()
    if (words(name).length >= 2 || /^[\p{Lu}]{3,}$/u.test(name)) found.push(name)
  }
  return found
}

/** The letterhead: a first paragraph of at most 4 short capitalised lines ("Norwegian / Helsinki Committee"). */
function findLetterhead(paragraphs: readonly Line[][]): { name: string; lines: Set<number> } | null {
  const first = paragraphs[0]
  if (!first || first.length > 4) return null
  const all = first.map((l) => l.text).join(' ')
  const tokens = words(all)
  if (tokens.length === 0 || tokens.length > 10 || first.some((l) => words(l.text).length > 5)) return null
  if (/[\d@]/.test(all) || SALUTATION.test(all) || STATEMENT_HEADING.test(all) || PRESS_RELEASE.test(all)) return null
  if (first.length === 1 && LANGUAGE_SWITCH.test(all)) return null
  const significant = tokens.filter((t) => !/^(?:of|for|the|and|on|in|og|for|i|av|та|і|и)$/iu.test(t))
  if (significant.filter((t) => /^\p{Lu}/u.test(t)).length < significant.length * 0.75) return null
  return { name: all, lines: new Set(first.map((l) => l.index)) }
}

function parsePeople(lines: readonly Line[]): { recipients: DetectedPerson[]; cc: DetectedPerson[] } {
  const recipients: DetectedPerson[] = []
  const cc: DetectedPerson[] = []
  let target = recipients
  let current: DetectedPerson | null = null
  let pendingTitle: string | null = null
  let previousIndex = -2
  const handle = (text: string): void => {
    const email = EMAIL.exec(text)?.[0]
    if (email) {
      // "Name <address>" names a new person; a bare "E-mail: address" line belongs to the one above.
      const rest = text
        .replace(email, '')
        .replace(/[<>()"]/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
      if (isPersonName(rest)) {
        current = { name: rest, email }
        target.push(current)
      } else if (current && !current.email) current.email = email
      return
    }
    const withoutHonorific = text.replace(HONORIFIC, '')
    if (withoutHonorific !== text && (isPersonName(withoutHonorific) || /^\p{Lu}[\p{Ll}’'-]+$/u.test(withoutHonorific))) {
      current = { name: withoutHonorific.replace(/[,;]$/, '') }
      target.push(current)
      return
    }
    const split = splitTitleAndName(text)
    if (split) {
      current = { name: split.name, title: split.title }
      target.push(current)
      pendingTitle = null
      return
    }
    if (isTitleLine(text)) {
      if (current && !current.title) current.title = text.replace(/[,;]$/, '')
      else pendingTitle = text.replace(/[,;]$/, '')
      return
    }
    if (ORG_LINE.test(text) && words(text).length <= 8) {
      if (current && !current.organisation) current.organisation = text
      return
    }
    if (isPersonName(text)) {
      current = { name: text.replace(/[,;]$/, ''), ...(pendingTitle ? { title: pendingTitle } : {}) }
      target.push(current)
      pendingTitle = null
    }
  }
  for (const line of lines) {
    if (line.index !== previousIndex + 1) {
      current = null // a blank line ends a person's block
      pendingTitle = null
    }
    previousIndex = line.index
    const copy = /^(?:cc|c\.c\.|copy(?:\s+to)?|copies|kopi(?:\s+til)?|копія|копия)\s*:?\s*(.*)$/iu.exec(line.text)
    if (copy) {
      target = cc
      current = null
      if (copy[1]) handle(copy[1])
      continue
    }
    if (/^(?:from|fra|від|от|sent|sendt|date|dato)\s*:/iu.test(line.text)) {
      current = null
      continue
    }
    const to = /^(?:to|til|кому)\s*:\s*(.*)$/iu.exec(line.text)
    if (to) {
      target = recipients
      current = null
      if (to[1]) handle(to[1])
      continue
    }
    handle(line.text)
  }
  return { recipients, cc }
}

interface Signature {
  people: DetectedPerson[]
  organisations: string[]
  mentioned: string[]
}

function parseSignature(lines: readonly Line[]): Signature {
  const people: DetectedPerson[] = []
  const organisations: string[] = []
  const mentioned: string[] = []
  let current: DetectedPerson | null = null
  for (const { text } of lines) {
    const count = words(text).length
    if (count > 12) {
      // A description or a note about the signature: only organisations named in it are of use.
      mentioned.push(...findOrganisations(text))
      continue
    }
    const split = splitTitleAndName(text)
    if (isPersonName(text) || split) {
      current = split ? { name: split.name, title: split.title } : { name: text.replace(/[,;]$/, '') }
      people.push(current)
    } else if (EMAIL.test(text)) {
      if (current && !current.email) current.email = EMAIL.exec(text)?.[0] ?? ''
    } else if (isTitleLine(text)) {
      if (current && !current.title) current.title = text.replace(/[,;]$/, '')
    } else if (ORG_LINE.test(text) || (count <= 8 && /^\p{Lu}/u.test(text) && !/[.!?:]$/.test(text))) {
      if (current && !current.organisation && ORG_LINE.test(text)) current.organisation = text
      else organisations.push(text.replace(/[,;]$/, ''))
    }
  }
  return { people, organisations, mentioned }
}

function capitaliseHeading(text: string): string {
  return text.replace(/^(\p{Lu}{2,}(?:\s+\p{Lu}{2,})*)(?=\s|$)/u, (head) => head.charAt(0) + head.slice(1).toLowerCase())
}

function tidyTitle(text: string): string {
  const t = text
    .replace(/\s+/g, ' ')
    .replace(/[\s:;,]+$/, '')
    .trim()
  return t.length > 200 ? `${t.slice(0, 199).replace(/\s+\S*$/, '')}…` : t
}

function humaniseFilename(filename: string): string {
  const base = (filename.split(/[\\/]/).pop() ?? '').replace(/\.[^.]+$/, '')
  const t = base
    .replace(/\d{4}-\d{2}-\d{2}/, '')
    .replace(/[-_]+/g, ' ')
    .trim()
  return t === '' ? '' : t.charAt(0).toUpperCase() + t.slice(1)
}

function joinNames(people: readonly DetectedPerson[]): string {
  const names = people.map((p) => p.name)
  if (names.length <= 2) return names.join(' and ')
  return `${names.slice(0, 2).join(', ')} and others`
}

/** Guess the metadata of an imported document from its plain text (and optionally its file name). Never throws. */
export function detectMetadata(fullText: string, filename?: string): DetectedMetadata {
  // Headers and signatures are at the ends; the middle of a very long text adds time, not information.
  const text = fullText.length > MAX_ANALYSED ? `${fullText.slice(0, MAX_ANALYSED - 50_000)}\n${fullText.slice(-50_000)}` : fullText
  const rawLines = text.replace(/\r\n?/g, '\n').split('\n').map(cleanLine)
  const lines: Line[] = rawLines.map((t, index) => ({ text: t, index })).filter((l) => l.text !== '')
  const paragraphs: Line[][] = []
  let previous = -2
  for (const line of lines) {
    if (line.index !== previous + 1 || paragraphs.length === 0) paragraphs.push([])
    paragraphs[paragraphs.length - 1]?.push(line)
    previous = line.index
  }
  const head = lines.slice(0, 30)
  const languages = detectLanguages(rawLines.join('\n'))
  const date = detectDate(rawLines.join('\n'), filename)

  const salutation = head.find((l) => SALUTATION.test(l.text))
  const closing = [...lines].reverse().find((l) => CLOSING.test(l.text) && words(l.text).length <= 6)
  const pressRelease = lines.slice(0, 12).find((l) => l.text.split(/\s[|•·]\s/).some((s) => PRESS_RELEASE.test(s) && words(s).length <= 6))
  const statementHeading = lines.slice(0, 12).find((l) => STATEMENT_HEADING.test(l.text) && words(l.text).length <= 40)
  const emailHeaders = lines.slice(0, 12).filter((l) => /^(?:from|to|subject|sent|fra|til|emne|sendt)\s*:/i.test(l.text))
  const letterhead = findLetterhead(paragraphs)

  // Where the signatures are: after the closing formula, or after a date standing alone near the end.
  let signatureStart = -1
  if (closing) signatureStart = closing.index + 1
  else {
    const tail = lines.slice(-15)
    const dateLine = [...tail].reverse().find((l) => isDateLine(l.text) && words(l.text).length <= 5)
    if (dateLine) signatureStart = dateLine.index + 1
  }
  const signature = parseSignature(signatureStart >= 0 ? lines.filter((l) => l.index >= signatureStart) : [])

  // Kind: a press release says so near the top; a letter greets someone; a statement has a heading saying so.
  let kind: DocumentKind = 'note'
  let subtype: DocumentSubtype | undefined
  let kindConfidence = 0.3
  if (pressRelease) {
    kind = 'correspondence'
    subtype = 'press-release'
    kindConfidence = 0.9
  } else if (salutation) {
    kind = 'letter'
    subtype = 'letter'
    kindConfidence = closing ? 0.9 : 0.75
  } else if (statementHeading) {
    kind = 'statement'
    const heading = statementHeading.text.toLowerCase()
    if (/^(?:standpoint|position|позиція)/u.test(heading)) subtype = 'standpoint'
    else if (/^joint/.test(heading) || signature.organisations.length >= 2) subtype = 'joint-statement'
    kindConfidence = 0.85
  } else if (emailHeaders.length >= 2) {
    kind = 'correspondence'
    kindConfidence = 0.7
  }

  // Title.
  let title = ''
  let titleConfidence = 0
  const subjectLine = head.find((l) => SUBJECT.test(l.text))
  const subject = subjectLine ? SUBJECT.exec(subjectLine.text)?.[1] : undefined
  if (subject) {
    title = subject
    titleConfidence = 0.95
  } else if (kind === 'statement' && statementHeading) {
    const position = lines.indexOf(statementHeading)
    const next = lines[position + 1]
    title = capitaliseHeading(statementHeading.text)
    if (
      words(statementHeading.text).length <= 3 &&
      next &&
      words(next.text).length <= 40 &&
      /^(?:\p{Ll}|on\b|about\b|regarding\b|concerning\b)/u.test(next.text)
    ) {
      title = `${title} ${next.text}`
    }
    titleConfidence = 0.85
  } else if (kind === 'letter' && salutation) {
    // The subject of a letter is the short paragraph right before "Dear …".
    const before = lines.filter((l) => l.index < salutation.index)
    const last = before[before.length - 1]
    const paragraph = last ? paragraphs.find((p) => p.includes(last)) : undefined
    if (last && paragraph && paragraph.length === 1) {
      const t = last.text
      const looksLikeAddress = HONORIFIC.test(t) || isTitleLine(t) || isPersonName(t) || EMAIL.test(t) || isDateLine(t)
      const n = words(t).length
      if (!looksLikeAddress && n >= 3 && n <= 40 && !letterhead?.lines.has(last.index)) {
        title = t
        titleConfidence = 0.8
      }
    }
  } else {
    const heading = head.find((l) => {
      const n = words(l.text).length
      return (
        n >= 3 &&
        n <= 30 &&
        !LANGUAGE_SWITCH.test(l.text) &&
        !isDateLine(l.text) &&
        !SALUTATION.test(l.text) &&
        !/[,:.]$/.test(l.text) &&
        !/[.!?]\s+\p{Lu}/u.test(l.text) &&
        !letterhead?.lines.has(l.index) &&
        !l.text.includes(' | ')
      )
    })
    if (heading) {
      title = capitaliseHeading(heading.text)
      titleConfidence = 0.7
    }
  }

  // Recipients (letters and e-mails only: elsewhere a header block is not an address).
  let recipients: DetectedPerson[] = []
  let cc: DetectedPerson[] = []
  if (kind === 'letter' || (kind === 'correspondence' && subtype !== 'press-release')) {
    const end = salutation?.index ?? (lines[Math.min(lines.length - 1, 20)]?.index ?? 0) + 1
    const block = lines.filter(
      (l) => l.index < end && !letterhead?.lines.has(l.index) && !isDateLine(l.text) && l.text !== title && !SUBJECT.test(l.text),
    )
    ;({ recipients, cc } = parsePeople(block))
    if (recipients.length === 0 && salutation) {
      const greeting = salutation.text
        .replace(SALUTATION, '')
        .replace(/[,!:]+$/, '')
        .trim()
      const split = splitTitleAndName(greeting)
      if (split) recipients = [{ name: split.name, title: split.title }]
    }
  }

  // Sender: letterhead, the organisation field of a press release, the signature, or the organisation named most.
  let sender: string | null = null
  let senderConfidence = 0
  const headerSegments = lines.slice(0, 5).flatMap((l) => l.text.split(/\s[|•·]\s/))
  const headerOrganisation = headerSegments.find(
    (s) => !PRESS_RELEASE.test(s) && ORG_LINE.test(s) && words(s).length <= 8 && !isDateLine(s),
  )
  const signedOrganisation = signature.people.find((p) => p.organisation)?.organisation
  if (letterhead) {
    sender = letterhead.name
    senderConfidence = 0.85
  } else if (pressRelease && headerOrganisation) {
    sender = headerOrganisation.trim()
    senderConfidence = 0.85
  } else if (signedOrganisation) {
    sender = signedOrganisation
    senderConfidence = 0.8
  } else if (signature.mentioned.length > 0) {
    sender = signature.mentioned[signature.mentioned.length - 1] ?? null
    senderConfidence = 0.7
  } else if (signature.organisations.length > 0) {
    sender = signature.organisations[0] ?? null
    senderConfidence = 0.5
  } else if (signature.people.length > 0) {
    sender = signature.people[0]?.name ?? null
    senderConfidence = 0.6
  } else {
    const fileTokens = filename ? foldToken(filename.replace(/\.[^.]+$/, '')) : ''
    const counts = new Map<string, number>()
    for (const org of findOrganisations(rawLines.join('\n'))) {
      const bonus = fileTokens !== '' && fileTokens.includes(foldToken(org)) ? 3 : 0
      counts.set(org, (counts.get(org) ?? 0) + 1 + (counts.has(org) ? 0 : bonus))
    }
    const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1])
    if (top && top[1] >= 2) {
      sender = top[0]
      senderConfidence = 0.4
    }
  }

  if (title === '' && kind === 'letter') {
    const to = recipients.length > 0 ? ` to ${joinNames(recipients)}` : ''
    const from = sender ? ` from ${sender}` : ''
    if (to || from) {
      title = `Letter${from}${to}`
      titleConfidence = 0.5
    }
  }
  if (title === '') {
    const firstSentence = lines.find((l) => words(l.text).length >= 3 && !SALUTATION.test(l.text))?.text.split(/(?<=[.!?])\s/)[0]
    const fromName = filename ? humaniseFilename(filename) : ''
    title = firstSentence ?? (fromName || 'Untitled document')
    titleConfidence = firstSentence ? 0.3 : fromName ? 0.2 : 0
  }

  return {
    title: tidyTitle(title) || 'Untitled document',
    date: date.iso,
    sender,
    recipients,
    cc,
    signatories: signature.people,
    signatoryOrganisations: signature.organisations,
    language: languages.language,
    otherLanguages: languages.otherLanguages,
    kind,
    ...(subtype ? { subtype } : {}),
    confidence: {
      title: titleConfidence,
      date: date.confidence,
      sender: senderConfidence,
      recipients: recipients.length > 0 ? 0.7 : 0,
      language: languages.confidence,
      kind: kindConfidence,
    },
  }
}
