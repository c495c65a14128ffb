// Main process / CLI (Node only): the activity report a person takes out of the vault — the listed entries with the
// chain check, as signed JSON (Ed25519, the vault's exchange identity: the key partners already verify by
// fingerprint) and as a printable HTML page for PDF. Both name who made the report and with which filters.
import crypto from 'node:crypto'
import { CustodiaError } from '../../../shared/errors'
import { describeVerification } from '../../../shared/activity/activityLabels'
import { escapeHtml } from '../../../shared/text/escapeHtml'
import { formatFingerprint, verifyManifestSignature } from '../exchange/bundle/manifest'
import { disposeIdentity, loadOwnIdentity } from '../exchange/identity'
import type { Vault } from '../vault/vault'
import type { ActivityEntry, ActivityFilter, ActivityListing } from './activityLog'

export const ACTIVITY_REPORT_FORMAT = 'custodia-activity-report'
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

/** What is signed: the exact UTF-8 bytes of `payload` in the file. */
export interface ActivityReportPayload {
  readonly format: typeof ACTIVITY_REPORT_FORMAT
  readonly version: 1
  readonly vaultId: string
  /** ISO 8601 UTC. */
  readonly generatedAt: string
  readonly generatedBy: { readonly id: string; readonly name: string } | null
  readonly filter: ActivityFilter
  readonly verification: ActivityListing['verification'] & { readonly message: string }
  readonly matched: number
  readonly entries: readonly ActivityEntry[]
}

export interface SignedActivityReport {
  readonly format: 'custodia-activity-report-signed'
  /** The report as JSON text; the signature is over its UTF-8 bytes exactly as written here. */
  readonly payload: string
  readonly signature: {
    readonly algorithm: 'Ed25519'
    /** The vault's exchange identity that signed: its name and fingerprint (compare it by phone). */
    readonly signer: string
    readonly fingerprint: string
    /** Standard base64 of the 32-byte public key. */
    readonly publicKey: string
    /** Standard base64 of the 64-byte signature. */
    readonly value: string
  }
  readonly howToVerify: string
}

export const HOW_TO_VERIFY =
  'The signature is Ed25519 over the UTF-8 bytes of the "payload" text exactly as it stands. Check that the fingerprint is ' +
  'the one the organisation gave you for its Custodia exchange identity, then run `custodia audit verify-report FILE`, or with ' +
  'Node: crypto.verify(null, Buffer.from(r.payload, "utf8"), crypto.createPublicKey({key: Buffer.concat([Buffer.from(' +
  '"302a300506032b6570032100", "hex"), Buffer.from(r.signature.publicKey, "base64")]), format: "der", type: "spki"}), ' +
  'Buffer.from(r.signature.value, "base64")). Any changed character in the payload makes it fail.'

/** The report's payload for `listing`, made now by the member working in `vault`. */
export function buildActivityPayload(
  vault: Vault,
  listing: ActivityListing,
  filter: ActivityFilter,
  now = new Date(),
): ActivityReportPayload {
  const member = vault.member
  return {
    format: ACTIVITY_REPORT_FORMAT,
    version: 1,
    vaultId: vault.vaultId,
    generatedAt: now.toISOString(),
    generatedBy: member ? { id: member.id, name: member.name } : null,
    filter,
    verification: { ...listing.verification, message: describeVerification(listing.verification) },
    matched: listing.matched,
    entries: listing.entries,
  }
}

/**
 * Signs the payload with the vault's exchange identity (made on first use, as for bundles) and returns the file's
 * text and the signer's fingerprint. The identity's secret key is zeroed before this returns.
 */
export function signActivityReport(vault: Vault, payload: ActivityReportPayload): { text: string; fingerprint: string } {
  const identity = loadOwnIdentity(vault)
  try {
    const text = JSON.stringify(payload, null, 2)
    const key = crypto.createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, identity.signingSecretKey]),
      format: 'der',
      type: 'pkcs8',
    })
    const signature = crypto.sign(null, Buffer.from(text, 'utf8'), key)
    const report: SignedActivityReport = {
      format: 'custodia-activity-report-signed',
      payload: text,
      signature: {
        algorithm: 'Ed25519',
        signer: identity.name,
        fingerprint: identity.fingerprint,
        publicKey: identity.signingPublicKey.toString('base64'),
        value: signature.toString('base64'),
      },
      howToVerify: HOW_TO_VERIFY,
    }
    return { text: JSON.stringify(report, null, 2) + '\n', fingerprint: identity.fingerprint }
  } finally {
    disposeIdentity(identity)
  }
}

/**
 * Checks a signed report's text: its shape, that the fingerprint belongs to the public key, and the signature over the
 * payload. Returns the payload and who signed; anything wrong → TAMPERED (changed) or VALIDATION (not a report).
 */
export function verifyActivityReport(text: string): { payload: ActivityReportPayload; signer: string; fingerprint: string } {
  let report: Partial<SignedActivityReport>
  try {
    report = JSON.parse(text) as Partial<SignedActivityReport>
  } catch {
    throw new CustodiaError('VALIDATION', 'This file is not a Custodia activity report.')
  }
  const sig = report.signature
  if (report.format !== 'custodia-activity-report-signed' || typeof report.payload !== 'string' || typeof sig !== 'object' || sig === null)
    throw new CustodiaError('VALIDATION', 'This file is not a Custodia activity report.')
  const publicKey = Buffer.from(String(sig.publicKey), 'base64')
  const value = Buffer.from(String(sig.value), 'base64')
  const fingerprintOk = publicKey.length === 32 && formatFingerprint(publicKey) === sig.fingerprint
  if (!fingerprintOk || !verifyManifestSignature(Buffer.from(report.payload, 'utf8'), value, publicKey))
    throw new CustodiaError('TAMPERED', 'This activity report was changed after it was signed, or its signature is not valid.')
  const payload = JSON.parse(report.payload) as ActivityReportPayload
  if (payload.format !== ACTIVITY_REPORT_FORMAT) throw new CustodiaError('VALIDATION', 'This file is not a Custodia activity report.')
  return { payload, signer: String(sig.signer), fingerprint: String(sig.fingerprint) }
}

function formatWhen(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ') + ' UTC'
}

function describeFilter(filter: ActivityFilter, memberNames: ReadonlyMap<string, string>, actionLabel: (a: string) => string): string {
  const parts: string[] = []
  if (filter.memberId) parts.push(`member ${memberNames.get(filter.memberId) ?? filter.memberId}`)
  if (filter.action) parts.push(`action “${actionLabel(filter.action)}”`)
  if (filter.record) parts.push(`record “${filter.record}”`)
  if (filter.since) parts.push(`from ${filter.since}`)
  if (filter.until) parts.push(`until ${filter.until}`)
  return parts.length === 0 ? 'all entries' : parts.join(', ')
}

/**
 * A standalone page of the report for printing to PDF: every value escaped, no script, no external resource, a CSP
 * that allows none (as the annotation and letter reports). Carries the signer's fingerprint when given.
 */
export function buildActivityReportHtml(payload: ActivityReportPayload, listing: ActivityListing, fingerprint: string | null): string {
  const names = new Map(listing.members.map((m) => [m.id, m.name]))
  const labels = new Map(listing.actions.map((a) => [a.action, a.label]))
  const rows = payload.entries
    .map((e) =>
      [
        '<tr>',
        `<td class="when">${escapeHtml(formatWhen(e.at))}</td>`,
        `<td>${escapeHtml(e.memberName ?? 'Before members')}</td>`,
        `<td>${escapeHtml(e.actionLabel)}</td>`,
        `<td>${e.recordKind ? escapeHtml(e.recordTitle ? `${e.recordKind}: ${e.recordTitle}` : e.recordKind) : ''}</td>`,
        '</tr>',
      ].join(''),
    )
    .join('\n')
  const by = payload.generatedBy ? ` by ${escapeHtml(payload.generatedBy.name)}` : ''
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<title>Activity report</title><style>',
    '@page { size: A4; margin: 16mm 14mm; }',
    'body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; color: #111; }',
    'h1 { font-size: 15pt; margin: 0 0 4pt; } .meta { color: #444; margin: 2pt 0; }',
    '.verdict { border: 1px solid #999; padding: 6pt 8pt; margin: 8pt 0; } .verdict.ok { border-color: #2d7a46; } .verdict.broken { border-color: #b3261e; }',
    'table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 3pt 5pt; border-bottom: 1px solid #ddd; vertical-align: top; }',
    'th { border-bottom: 1.5pt solid #555; } tr { break-inside: avoid; } .when { white-space: nowrap; }',
    '</style></head><body>',
    '<h1>Activity report</h1>',
    `<p class="meta">Made ${escapeHtml(formatWhen(payload.generatedAt))}${by}. Showing ${escapeHtml(describeFilter(payload.filter, names, (a) => labels.get(a) ?? a))}: ${payload.entries.length} of ${payload.matched} matching entries, newest first.</p>`,
    `<p class="verdict ${payload.verification.ok ? 'ok' : 'broken'}">${escapeHtml(payload.verification.message)}</p>`,
    fingerprint
      ? `<p class="meta">The JSON copy of this report is signed by the vault’s exchange identity, fingerprint ${escapeHtml(fingerprint)}.</p>`
      : '',
    payload.entries.length === 0
      ? '<p>No entries match.</p>'
      : `<table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Record</th></tr></thead><tbody>\n${rows}\n</tbody></table>`,
    '</body></html>',
  ].join('\n')
}
