// Renderer: display helpers for the exchange area — time left, signer wording (sizes: i18n/format.ts).
import { t } from '../../i18n/intl'

export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return t('exchange.exchangeFormat.estimating')
  if (s < 1) return t('exchange.exchangeFormat.lessThanASecond')
  if (s < 90) return t('exchange.exchangeFormat.seconds', { seconds: Math.round(s) })
  return t('exchange.exchangeFormat.minutesSeconds', { minutes: Math.floor(s / 60), seconds: Math.round(s % 60) })
}

/** A random job id for one export (32 hex characters), so progress events and Cancel find it. */
export function createJobId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

export const SIGNER_LABELS = {
  verified: t('exchange.exchangeFormat.verifiedContact'),
  known: t('exchange.exchangeFormat.knownContactFingerprintNot'),
  unknown: t('exchange.exchangeFormat.unknownSignerNotIn'),
} as const

export const PROFILE_LABELS = {
  standard: t('exchange.exchangeFormat.fullDossierWithoutFamily'),
  full: t('exchange.exchangeFormat.fullDossierIncludingFamily'),
  'public-list': t('exchange.exchangeFormat.publicListNoFamily'),
} as const
