// Renderer: display helpers for the exchange area — time left, signer wording (sizes: i18n/format.ts).
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return 'estimating…'
  if (s < 1) return 'less than a second'
  if (s < 90) return `${Math.round(s)} s`
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`
}

/** A random job id for one export (32 hex characters), so progress events and Cancel find it. */
export function createJobId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export const SIGNER_LABELS = {
  verified: 'Verified contact',
  known: 'Known contact, fingerprint NOT verified',
  unknown: 'Unknown signer: not in your contacts',
} as const

export const PROFILE_LABELS = {
  standard: 'Full dossier without family contacts (e.g. for a ministry)',
  full: 'Full dossier including family contacts',
  'public-list': 'Public list: no family contacts, medical notes, sources or attachments',
} as const
