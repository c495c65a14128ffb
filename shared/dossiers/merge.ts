// Shared by every process: merging two dossiers of the same person into one (the "keep" dossier absorbs "drop").
// Nothing known about the person is lost: names, histories, sources, timeline and contacts are united; where the
// two disagree on a single value, keep's value wins and the path is reported. Consent never widens.
import { foldName } from '../text/fold'
import { CONSENT_LEVELS, createItemId, parseDossier, type ConsentLevel, type Dossier, type DossierSource } from './dossier'
import { normalizePartnerName } from './consent'

export interface MergeResult {
  dossier: Dossier
  /** JSON paths where the dossiers disagreed and keep's value was kept (e.g. `$.birth.year`). */
  conflicts: string[]
}

function uniteNameForms(values: readonly string[], exclude: readonly string[]): string[] {
  const seen = new Set(exclude.map(foldName))
  const out: string[] = []
  for (const v of values) {
    const key = foldName(v)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(v)
  }
  return out
}

/** Unites two item lists: items with the same content key are one (their citations united); id clashes get new ids. */
function uniteItems<T extends { id: string }>(
  keep: readonly T[],
  drop: readonly T[],
  contentKey: (item: T) => string,
  combine: (kept: T, dropped: T) => T = (kept) => kept,
): { items: T[]; idMap: Map<string, string> } {
  const items = keep.map((item) => ({ ...item }))
  const byContent = new Map(items.map((item, index) => [contentKey(item), index]))
  const ids = new Set(items.map((item) => item.id))
  const idMap = new Map<string, string>()
  for (const item of drop) {
    const same = byContent.get(contentKey(item))
    if (same !== undefined) {
      items[same] = combine(items[same]!, item)
      idMap.set(item.id, items[same]!.id)
      continue
    }
    let id = item.id
    while (ids.has(id)) id = createItemId()
    ids.add(id)
    idMap.set(item.id, id)
    byContent.set(contentKey(item), items.length)
    items.push({ ...item, id })
  }
  return { items, idMap }
}

const uniteStrings = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])]

function pickStricterConsent(a: Dossier, b: Dossier): { consent: ConsentLevel; sharePartners: string[] } {
  const rank = (c: ConsentLevel) => CONSENT_LEVELS.indexOf(c)
  const consent = rank(a.consent) <= rank(b.consent) ? a.consent : b.consent
  if (consent !== 'partners')
    return { consent, sharePartners: consent === 'internal' ? [] : uniteStrings(a.sharePartners, b.sharePartners) }
  if (a.consent === 'partners' && b.consent === 'partners') {
    // Only partners both dossiers named: sharing with one that only one of them named was never agreed for the other.
    const other = new Set(b.sharePartners.map(normalizePartnerName))
    const both = a.sharePartners.filter((p) => other.has(normalizePartnerName(p)))
    if (both.length > 0) return { consent: 'partners', sharePartners: both }
    return { consent: 'internal', sharePartners: [] }
  }
  return { consent, sharePartners: a.consent === 'partners' ? [...a.sharePartners] : [...b.sharePartners] }
}

/**
 * Merges `drop` into `keep`. `attachmentIdMap` maps drop's attachment ids to their copies on keep's record (the
 * service copies the files first); attachment references without a mapping are dropped.
 */
export function mergeDossierBodies(keep: Dossier, drop: Dossier, attachmentIdMap: ReadonlyMap<string, string> = new Map()): MergeResult {
  const conflicts: string[] = []
  const note = (path: string, a: unknown, b: unknown): void => {
    if (a !== undefined && b !== undefined && JSON.stringify(a) !== JSON.stringify(b)) conflicts.push(path)
  }

  const sources = uniteItems<DossierSource>(keep.sources, drop.sources, (s) =>
    JSON.stringify([s.type, foldName(s.name), s.documentId ?? '', s.date ?? '']),
  )
  // Only drop's citations are renamed: idMap maps drop's source ids to their ids in the merged list.
  const remapSources = (ids: readonly string[]) => ids.map((id) => sources.idMap.get(id) ?? id)
  const citing = <T extends { sourceIds: string[] }>(items: readonly T[]) =>
    items.map((item) => ({ ...item, sourceIds: remapSources(item.sourceIds) }))
  const uniteCitations = <T extends { sourceIds: string[] }>(a: T, b: T): T => ({ ...a, sourceIds: uniteStrings(a.sourceIds, b.sourceIds) })
  const mapAttachment = (id: string) => attachmentIdMap.get(id)

  const names = keep.names
  const dropForms = [drop.names.original, ...(drop.names.transliteration ? [drop.names.transliteration] : []), ...drop.names.otherSpellings]
  const transliteration = names.transliteration ?? drop.names.transliteration
  const otherSpellings = uniteNameForms(
    [...names.otherSpellings, ...dropForms],
    [names.original, ...(transliteration ? [transliteration] : [])],
  )
  const aliases = uniteStrings(names.aliases, drop.names.aliases)

  note('$.birth.date', keep.birth.date, drop.birth.date)
  note('$.birth.year', keep.birth.year, drop.birth.year)
  if (keep.gender !== 'unknown' && drop.gender !== 'unknown') note('$.gender', keep.gender, drop.gender)
  note('$.category', keep.category, drop.category)
  if (keep.homeRegion && drop.homeRegion) note('$.homeRegion', keep.homeRegion, drop.homeRegion)

  // Birth facts hang together (date, year, approximate): take one side whole, keep's when it knows anything.
  const birth = keep.birth.date !== undefined || keep.birth.year !== undefined ? keep.birth : drop.birth

  const statusHistory = uniteItems(keep.statusHistory, citing(drop.statusHistory), (e) => `${e.date}|${e.status}`, uniteCitations)
  const detentions = uniteItems(
    keep.detentions,
    citing(drop.detentions),
    (e) => JSON.stringify([foldName(e.facility), foldName(e.location), e.from ?? '']),
    uniteCitations,
  )
  const charges = uniteItems(keep.charges, citing(drop.charges), (e) => JSON.stringify([foldName(e.article), e.date ?? '']), uniteCitations)
  const dropTimeline = drop.timeline.map((t) => ({ ...t, attachmentIds: t.attachmentIds.flatMap((id) => mapAttachment(id) ?? []) }))
  const timeline = uniteItems(
    keep.timeline,
    dropTimeline,
    (t) => `${t.date}|${t.description}`,
    (a, b) => ({
      ...a,
      documentIds: uniteStrings(a.documentIds, b.documentIds),
      attachmentIds: uniteStrings(a.attachmentIds, b.attachmentIds),
    }),
  )

  const kv = keep.vulnerability
  const dv = drop.vulnerability
  const medicalNotes = uniteStrings(kv.medicalNote ? [kv.medicalNote] : [], dv.medicalNote ? [dv.medicalNote] : [])
  const news = [kv.lastReliableNews, dv.lastReliableNews].filter((d): d is string => d !== undefined).sort()
  const vulnerability = {
    ill: kv.ill || dv.ill,
    elderly: kv.elderly || dv.elderly,
    disabled: kv.disabled || dv.disabled,
    minor: kv.minor || dv.minor,
    incommunicado: kv.incommunicado || dv.incommunicado,
    severeConditions: kv.severeConditions || dv.severeConditions,
    sourceIds: uniteStrings(kv.sourceIds, remapSources(dv.sourceIds)),
    ...(medicalNotes.length > 0 ? { medicalNote: medicalNotes.join('\n\n') } : {}),
    ...(news.length > 0 ? { lastReliableNews: news[news.length - 1]! } : {}),
  }

  const familyKey = (c: Dossier['family']['contacts'][number]) => JSON.stringify([foldName(c.name), c.relation.trim().toLowerCase()])
  const seenFamily = new Set(keep.family.contacts.map(familyKey))
  const contacts = [...keep.family.contacts, ...drop.family.contacts.filter((c) => !seenFamily.has(familyKey(c)))]

  for (const [fieldId, value] of Object.entries(drop.customFields)) note(`$.customFields.${fieldId}`, keep.customFields[fieldId], value)
  const photo = keep.photoAttachmentId ?? (drop.photoAttachmentId !== undefined ? mapAttachment(drop.photoAttachmentId) : undefined)

  const merged = parseDossier({
    names: { original: names.original, ...(transliteration ? { transliteration } : {}), otherSpellings, aliases },
    birth,
    gender: keep.gender !== 'unknown' ? keep.gender : drop.gender,
    citizenship: uniteStrings(keep.citizenship, drop.citizenship),
    homeRegion: keep.homeRegion || drop.homeRegion,
    category: keep.category,
    ...(photo !== undefined ? { photoAttachmentId: photo } : {}),
    statusHistory: statusHistory.items,
    detentions: detentions.items,
    charges: charges.items,
    vulnerability,
    sources: sources.items,
    ...pickStricterConsent(keep, drop),
    family: { contacts },
    timeline: timeline.items,
    customFields: { ...drop.customFields, ...keep.customFields },
  })
  return { dossier: merged, conflicts }
}
