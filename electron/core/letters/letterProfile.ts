// Main process / CLI (core, Node only): the one place where a letter meets the organisation profile. The app's
// preview, its exports and the CLI's `letter render` all get their template and data through resolveLetter, and every
// export asks assertNoPlaceholders before it writes a file.
import { CustodiaError } from '../../../shared/errors'
import { LETTER_STRINGS } from '../../../shared/letters/letterStrings'
import type { AnnexTable, LetterData, LetterTemplate } from '../../../shared/letters/templateModel'
import { formatProfileContact, PLACEHOLDER_CONFIRM_HINT, type OrganisationProfile } from '../../../shared/organisation/profile'
import { getOrganisationProfile } from '../organisation/profileStore'
import type { Vault } from '../vault/vault'
import { renderLetterText } from './render/render'
import { findLetterTemplate } from './userTemplates'

/** A bracketed placeholder of a template's letterhead, such as "[Organisation name]" or "[Postcode and city]". */
const LETTERHEAD_PLACEHOLDER = /\[[^[\]\n]{1,80}\]/g

/** True when a template's letterhead still names no organisation (the built-ins' "[Organisation name]"). */
function hasPlaceholderLetterhead(template: LetterTemplate): boolean {
  return new RegExp(LETTERHEAD_PLACEHOLDER.source).test(template.letterhead.organisation)
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  )
}

/**
 * The template and data a letter is rendered from, with the organisation profile filled in:
 * - the letterhead (name, address, telephone · e-mail · web, logo) of every built-in template, and of a user template
 *   whose letterhead still names no organisation;
 * - for a built-in, the profile's default language;
 * - the default signatories into an empty signatories field, the default place into an empty place field.
 * Values the letter's data gives win over the profile. Without a profile both come back unchanged. Pure.
 */
export function applyOrganisationProfile(
  template: LetterTemplate,
  data: LetterData,
  profile: OrganisationProfile | null,
): { template: LetterTemplate; data: LetterData } {
  if (!profile) return { template, data }
  let resolved = template
  if (template.builtIn || hasPlaceholderLetterhead(template)) {
    const contact = formatProfileContact(profile)
    resolved = {
      ...template,
      ...(template.builtIn ? { language: profile.defaultLanguage } : {}),
      letterhead: {
        organisation: profile.name,
        ...(profile.address ? { address: profile.address } : {}),
        ...(contact ? { contact } : {}),
        ...(profile.logo ? { logo: profile.logo } : {}),
      },
    }
  }
  const fields = new Map(template.fields.map((f) => [f.name, f] as const))
  const filled: Record<string, unknown> = { ...data }
  for (const block of template.blocks) {
    if (block.type === 'signatories' && isEmpty(data[block.field]) && profile.signatories.length > 0) {
      const people = profile.signatories.map((s) => ({ ...s, organisation: profile.name }))
      filled[block.field] = fields.get(block.field)?.type === 'person' ? people[0] : people
    }
    if (
      (block.type === 'placeDate' || block.type === 'dateline') &&
      block.placeField &&
      isEmpty(data[block.placeField]) &&
      profile.defaultPlace
    ) {
      filled[block.placeField] = profile.defaultPlace
    }
  }
  return { template: resolved, data: filled }
}

/** A letter's template (built-in or the vault's own) and data, with the vault's organisation profile applied. */
export function resolveLetter(
  vault: Vault,
  builtins: readonly LetterTemplate[],
  templateId: string,
  data: LetterData,
): { template: LetterTemplate; data: LetterData } {
  const template = findLetterTemplate(vault, builtins, templateId)
  return applyOrganisationProfile(template, data, getOrganisationProfile(vault)?.profile ?? null)
}

/**
 * What a finished letter would still show in place of real text: the letterhead's bracketed placeholders
 * ("[Organisation name]") and the renderer's markers for empty required fields and unknown placeholders
 * ("[missing: Date]", "[unknown: x]"), each once, in order.
 */
export function findLetterPlaceholders(
  template: LetterTemplate,
  data: LetterData,
  annex?: AnnexTable,
): { letterhead: string[]; markers: string[] } {
  const { organisation, address, contact } = template.letterhead
  const letterhead = [...new Set([organisation, address ?? '', contact ?? ''].flatMap((t) => t.match(LETTERHEAD_PLACEHOLDER) ?? []))]
  const strings = LETTER_STRINGS[template.language]
  const text = renderLetterText(template, data, { strict: false, ...(annex ? { annex } : {}) })
  const markerPattern = new RegExp(`\\[(?:${escapeRegExp(strings.missing)}|${escapeRegExp(strings.unknown)}): [^\\]\\n]{1,200}\\]`, 'g')
  return { letterhead, markers: [...new Set(text.match(markerPattern) ?? [])] }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * Most copy recipients (CC) a letter takes without a confirmation. Each takes two to four lines above the text, so
 * 200 of them push the letter itself to page 18.
 */
export const MAX_CC_ENTRIES = 40

/** The CC blocks whose list is longer than MAX_CC_ENTRIES: the field's label and how many people it lists. */
export function findLongCcLists(template: LetterTemplate, data: LetterData): { label: string; count: number }[] {
  const long: { label: string; count: number }[] = []
  for (const block of template.blocks) {
    if (block.type !== 'cc') continue
    const value = data[block.field]
    const count = Array.isArray(value) ? value.length : 0
    if (count > MAX_CC_ENTRIES) long.push({ label: template.fields.find((f) => f.name === block.field)?.label ?? block.field, count })
  }
  return long
}

/**
 * Refuses to export a letter that still shows a placeholder, unless the user confirmed (`confirmed`), or one whose
 * copy list (CC) is longer than MAX_CC_ENTRIES, unless the user confirmed that (`longCcConfirmed`). Both problems
 * are named in one message, so one confirmation covers exactly what was shown. Throws CustodiaError('VALIDATION').
 */
export function assertNoPlaceholders(
  template: LetterTemplate,
  data: LetterData,
  opts: { confirmed?: boolean; longCcConfirmed?: boolean; annex?: AnnexTable } = {},
): void {
  const problems: string[] = []
  if (!opts.confirmed) {
    const { letterhead, markers } = findLetterPlaceholders(template, data, opts.annex)
    const quote = (items: string[]): string =>
      `“${items[0]}”${items.length > 1 ? ` and ${items.length - 1} other placeholder${items.length > 2 ? 's' : ''}` : ''}`
    if (letterhead.length > 0) problems.push(`The letterhead still says ${quote(letterhead)}: fill in Settings → Organisation`)
    if (markers.length > 0) problems.push(`The letter still shows ${quote(markers)}: fill in those fields`)
  }
  if (!opts.longCcConfirmed) {
    for (const { label, count } of findLongCcLists(template, data)) {
      problems.push(
        `“${label}” lists ${count} people, more than ${MAX_CC_ENTRIES}: the copy list would push the letter's own text pages down, so shorten the list`,
      )
    }
  }
  if (problems.length > 0) throw new CustodiaError('VALIDATION', `${problems.join('. ')}, ${PLACEHOLDER_CONFIRM_HINT}`)
}
