// Main process / CLI (Node only): plain-text renderings of exported records (letters and other documents, dossiers
// AFTER redaction, dossier lists, annotations) — the "readable copy" a recipient can open without Custodia.
import type { Annotation } from '../../../shared/annotations/annotationModel'
import type { LibraryDocument } from '../../../shared/library/document'
import { deriveCurrentStatus, type Dossier } from '../../../shared/dossiers/dossier'
import type { DossierListContent } from '../../../shared/dossiers/dossierList'

function joinParts(parts: (string | undefined | null)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(', ')
}

function underline(title: string): string[] {
  return [title, '='.repeat(Math.min(Math.max(title.length, 3), 80))]
}

/** A library document as text: heading, metadata lines, then its plain text. */
export function renderDocumentText(doc: LibraryDocument): string {
  const lines = [...underline(doc.title), '']
  lines.push(`Kind: ${doc.kind}`)
  if (doc.date) lines.push(`Date: ${doc.date}`)
  lines.push(`Status: ${doc.status}`)
  if (doc.authorOrganisation) lines.push(`From: ${doc.authorOrganisation}`)
  for (const r of doc.recipients) lines.push(`To: ${joinParts([r.name, r.title, r.organisation])}`)
  for (const r of doc.cc) lines.push(`Cc: ${joinParts([r.name, r.title, r.organisation])}`)
  if (doc.tags.length > 0) lines.push(`Tags: ${doc.tags.join(', ')}`)
  lines.push('', doc.text, '')
  return lines.join('\n')
}

/** A dossier as text. Call it on the REDACTED dossier: it prints whatever sections are present. */
export function renderDossierText(d: Dossier): string {
  const { names } = d
  const title =
    names.transliteration && names.transliteration !== names.original ? `${names.transliteration} (${names.original})` : names.original
  const lines = [...underline(title), '']
  const other = [...names.otherSpellings, ...names.aliases]
  if (other.length > 0) lines.push(`Also known as: ${other.join('; ')}`)
  const birth = d.birth.date ?? (d.birth.year !== undefined ? String(d.birth.year) : '')
  if (birth) lines.push(`Born: ${birth}${d.birth.approximate ? ' (approximate)' : ''}`)
  lines.push(`Gender: ${d.gender}`)
  if (d.citizenship.length > 0) lines.push(`Citizenship: ${d.citizenship.join(', ')}`)
  if (d.homeRegion) lines.push(`Home region: ${d.homeRegion}`)
  lines.push(`Category: ${d.category}`, `Current status: ${deriveCurrentStatus(d.statusHistory)}`, `Consent: ${d.consent}`)
  const section = (heading: string, rows: string[]): void => {
    if (rows.length === 0) return
    lines.push('', heading, '-'.repeat(heading.length), ...rows)
  }
  section(
    'Status history',
    [...d.statusHistory].sort((a, b) => a.date.localeCompare(b.date)).map((e) => `${e.date}  ${e.status}${e.note ? ` — ${e.note}` : ''}`),
  )
  section(
    'Detentions',
    d.detentions.map((x) => `${joinParts([x.facility, x.location])}${x.from ? ` from ${x.from}` : ''}${x.to ? ` to ${x.to}` : ''}`),
  )
  section(
    'Charges',
    d.charges.map((c) => joinParts([c.article, c.court, c.date, c.sentence])),
  )
  const v = d.vulnerability
  const flags = (['ill', 'elderly', 'disabled', 'minor', 'incommunicado', 'severeConditions'] as const).filter((f) => v[f])
  section('Vulnerability', [
    ...(flags.length > 0 ? [`Flags: ${flags.join(', ')}`] : []),
    ...(v.medicalNote ? [`Medical note: ${v.medicalNote}`] : []),
    ...(v.lastReliableNews ? [`Last reliable news: ${v.lastReliableNews}`] : []),
  ])
  section(
    'Sources',
    d.sources.map((s) => joinParts([s.name, s.type, s.date, s.reliability ? `reliability ${s.reliability}` : undefined])),
  )
  section(
    'Family contacts',
    d.family.contacts.map((c) => joinParts([c.name, c.relation, c.phone, c.email, c.address])),
  )
  section(
    'Timeline',
    d.timeline.map((t) => `${t.date}  ${t.description}`),
  )
  lines.push('')
  return lines.join('\n')
}

/** A dossier list as text: its name, description and the members' display names, in list order. */
export function renderDossierListText(list: DossierListContent, memberNames: readonly string[]): string {
  const lines = [...underline(list.name), '']
  if (list.description) lines.push(list.description, '')
  memberNames.forEach((name, i) => lines.push(`${i + 1}. ${name}`))
  lines.push('')
  return lines.join('\n')
}

/** An annotation as text: what it is on, the quoted passage, the comment, legal basis, status and the replies. */
export function renderAnnotationText(a: Annotation, recordTitle: string): string {
  const lines = [...underline(`Annotation on ${recordTitle || '(untitled)'}`), '']
  if (a.target.field !== undefined) lines.push(`Field: ${a.target.field}`)
  if (a.target.quote) lines.push(`Quote: "${a.target.quote.exact}"`)
  lines.push(`By: ${a.author.name}, ${a.createdAt}`, `Status: ${a.status}`)
  if (a.legalBases.length > 0) lines.push(`Legal basis: ${a.legalBases.map((b) => b.label).join('; ')}`)
  if (a.tags.length > 0) lines.push(`Tags: ${a.tags.join(', ')}`)
  if (a.body.text !== '') lines.push('', a.body.text)
  if (a.replies.length > 0) {
    lines.push('', 'Replies', '-------')
    for (const r of a.replies) lines.push(`${r.author.name}, ${r.createdAt}:`, r.text, '')
  }
  lines.push('')
  return lines.join('\n')
}
