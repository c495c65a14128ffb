// Main process (Node only): a dossier list as a printable table — one self-contained HTML page (inline styles, no
// scripts, no external resources) with name, category, current status, place of detention and vulnerability.
// Consent is applied first (filterForAudience) and the page states how many dossiers were left out; family
// contacts, medical notes and sources are never read into it (toAnnexRow carries none of them).
import type { IdentifiedDossier } from '../../../shared/dossiers/dossier'
import { CATEGORY_LABELS, FLAG_LABELS, STATUS_LABELS } from '../../../shared/dossiers/labels'
import { filterForAudience, redactDossier, REDACT_ALL, toAnnexRow, type Recipient } from '../../../shared/dossiers/consent'
import type { AnnexRow } from '../../../shared/letters/templateModel'
import { formatLetterDate } from '../letters/render/letterDates'
import { escapeHtml } from '../../../shared/text/escapeHtml'
import type { Vault } from '../vault/vault'
import { getDossier, getDossierList } from './dossierService'

export type PrintPageSize = 'A4' | 'Letter'

export interface ListPrintInput {
  listName: string
  description?: string
  /** The list's dossiers in list order (bodies; only annex fields and the category are printed). */
  dossiers: readonly IdentifiedDossier[]
  audience: Recipient
  partner?: string
  /** YYYY-MM-DD shown in the header. */
  printedOn: string
  pageSize?: PrintPageSize
}

export interface ListPrintResult {
  /** The whole page (head with its print styles, and body). */
  html: string
  /** The body's markup alone, for a preview inside the app (whose CSP refuses inline styles). */
  bodyHtml: string
  title: string
  included: number
  omitted: number
}

/** "Convicted (since 12 May 2023)": the current status and the date of the event that set it. */
function describeStatus(row: AnnexRow): string {
  const label = (STATUS_LABELS as Readonly<Record<string, string>>)[row.status ?? 'unknown'] ?? row.status ?? ''
  return row.statusSince ? `${label} (since ${formatLetterDate(row.statusSince, 'en-GB')})` : label
}

function describeAudience(audience: Recipient, partner?: string): string {
  if (audience === 'internal') return 'Internal use only'
  if (audience === 'public') return 'Public'
  return `Partner: ${partner ?? ''}`
}

/**
 * Builds the printable page. Dossiers the audience may not receive are left out and counted (the page says so);
 * a 'partner' audience without a partner name → VALIDATION (from filterForAudience).
 */
export function buildListPrintHtml(input: ListPrintInput): ListPrintResult {
  const { included, omitted } = filterForAudience(input.dossiers, input.audience, input.partner)
  const title = input.listName.trim() || 'Dossier list'
  const rows = included.map(({ dossier }, index) => {
    const row = toAnnexRow(redactDossier(dossier, REDACT_ALL))
    const cells = [
      String(index + 1),
      row.name,
      CATEGORY_LABELS[dossier.category],
      describeStatus(row),
      row.place ?? '—',
      row.vulnerability?.map((flag) => (FLAG_LABELS as Readonly<Record<string, string>>)[flag] ?? flag).join(', ') ?? '—',
    ]
    return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`
  })
  const omittedLine =
    omitted === 0
      ? ''
      : `<p class="omitted">${omitted} dossier${omitted === 1 ? ' was' : 's were'} left out: the people concerned did not consent to sharing with this audience.</p>`
  const size = input.pageSize ?? 'A4'
  const bodyHtml = [
    `<h1>${escapeHtml(title)}</h1>`,
    input.description ? `<p class="meta">${escapeHtml(input.description)}</p>` : '',
    `<p class="meta">${escapeHtml(describeAudience(input.audience, input.partner))} · ${included.length} dossier${included.length === 1 ? '' : 's'} · printed ${escapeHtml(input.printedOn)}</p>`,
    omittedLine,
    '<table><thead><tr><th>#</th><th>Name</th><th>Category</th><th>Current status</th><th>Place of detention</th><th>Vulnerability</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
  ].join('\n')
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>',
    `@page { size: ${size}; margin: 16mm 14mm; }`,
    "body { font-family: 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #111; }",
    'h1 { font-size: 15pt; margin: 0 0 4pt; } .meta, .omitted { color: #333; margin: 2pt 0 8pt; }',
    'table { width: 100%; border-collapse: collapse; } thead { display: table-header-group; }',
    'th, td { border: 0.6pt solid #777; padding: 3pt 5pt; text-align: left; vertical-align: top; }',
    'th { background: #e8e8e8; } tr { page-break-inside: avoid; } td:first-child { width: 2.2em; text-align: right; }',
    '</style></head><body>',
    bodyHtml,
    '</body></html>',
  ].join('\n')
  return { html, bodyHtml, title, included: included.length, omitted }
}

/**
 * Loads a stored list and builds its printable page for the audience. NOT_FOUND for an unknown list. Logs
 * `dossier_list.printed` (list id, audience, counts).
 */
export function printDossierList(
  vault: Vault,
  listId: string,
  opts: { audience: Recipient; partner?: string; pageSize?: PrintPageSize; now?: Date },
): ListPrintResult {
  const list = getDossierList(vault, listId)
  const dossiers = list.dossierIds.map((id) => ({ id, dossier: getDossier(vault, id).dossier }))
  const printedOn = (opts.now ?? new Date()).toISOString().slice(0, 10)
  const result = buildListPrintHtml({
    listName: list.name,
    ...(list.description !== undefined ? { description: list.description } : {}),
    dossiers,
    audience: opts.audience,
    ...(opts.partner !== undefined ? { partner: opts.partner } : {}),
    printedOn,
    ...(opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {}),
  })
  vault.audit.append('dossier_list.printed', { listId, audience: opts.audience, included: result.included, omitted: result.omitted })
  return result
}
