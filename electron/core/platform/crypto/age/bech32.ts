// Main process (Node only): BIP-173 bech32, the text encoding of age recipients (`age1…`) and identities
// (`AGE-SECRET-KEY-1…`).
// Like age (and unlike BIP-173) no 90-character limit is enforced: age's own encoder drops it. Bech32m is not used by age.
import { CustodiaError } from '../../../../../shared/errors'

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3]

function computePolymod(values: readonly number[]): number {
  let chk = 1
  for (const v of values) {
    const top = chk >>> 25
    chk = ((chk & 0x1ffffff) << 5) ^ v
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATORS[i] as number
  }
  return chk >>> 0
}

function expandHrp(hrp: string): number[] {
  const out: number[] = []
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5)
  out.push(0)
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31)
  return out
}

function createChecksum(hrp: string, words: readonly number[]): number[] {
  const mod = computePolymod([...expandHrp(hrp), ...words, 0, 0, 0, 0, 0, 0]) ^ 1
  const out: number[] = []
  for (let i = 0; i < 6; i++) out.push((mod >>> (5 * (5 - i))) & 31)
  return out
}

function fail(reason: string): never {
  throw new CustodiaError('VALIDATION', `invalid bech32 string: ${reason}`)
}

/** Regroups bits (8→5 with padding, or 5→8 strictly: padding must be < 5 zero bits, as BIP-173 requires). */
function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] {
  let acc = 0
  let bits = 0
  const out: number[] = []
  const maxv = (1 << to) - 1
  for (let i = 0; i < data.length; i++) {
    acc = (acc << from) | (data[i] as number)
    bits += from
    while (bits >= to) {
      bits -= to
      out.push((acc >>> bits) & maxv)
    }
    acc &= (1 << bits) - 1
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv)
  } else if (bits >= from || acc !== 0) {
    fail('non-zero or excess padding')
  }
  return out
}

/** Encodes 5-bit words under a human-readable part; returns lowercase text. */
export function encodeBech32Words(hrp: string, words: readonly number[]): string {
  const lower = hrp.toLowerCase()
  if (lower.length < 1) fail('empty human-readable part')
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i)
    if (c < 33 || c > 126) fail('human-readable part out of range')
  }
  const all = [...words, ...createChecksum(lower, words)]
  return `${lower}1${all.map((w) => CHARSET[w]).join('')}`
}

/**
 * Decodes and checks a bech32 string. Rejects mixed case, characters outside 33..126, a missing or misplaced separator,
 * characters outside the bech32 alphabet and a wrong checksum. Returns the lowercase hrp and the 5-bit data words.
 */
export function decodeBech32Words(text: string): { hrp: string; words: number[] } {
  let hasLower = false
  let hasUpper = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 33 || c > 126) fail('character out of range')
    if (c >= 97 && c <= 122) hasLower = true
    if (c >= 65 && c <= 90) hasUpper = true
  }
  if (hasLower && hasUpper) fail('mixed case')
  const s = text.toLowerCase()
  const sep = s.lastIndexOf('1')
  if (sep < 1) fail('missing human-readable part or separator')
  if (sep + 7 > s.length) fail('checksum too short')
  const hrp = s.slice(0, sep)
  const words: number[] = []
  for (const ch of s.slice(sep + 1)) {
    const v = CHARSET.indexOf(ch)
    if (v === -1) fail('character outside the bech32 alphabet')
    words.push(v)
  }
  if (computePolymod([...expandHrp(hrp), ...words]) !== 1) fail('checksum mismatch')
  return { hrp, words: words.slice(0, -6) }
}

/** Encodes bytes (e.g. a 32-byte X25519 key) as lowercase bech32 under `hrp`. */
export function encodeBech32(hrp: string, data: Uint8Array): string {
  return encodeBech32Words(hrp, convertBits(data, 8, 5, true))
}

/** Decodes bech32 text to its lowercase hrp and bytes; throws CustodiaError VALIDATION on any defect. */
export function decodeBech32(text: string): { hrp: string; data: Uint8Array } {
  const { hrp, words } = decodeBech32Words(text)
  return { hrp, data: Uint8Array.from(convertBits(words, 5, 8, false)) }
}
