// Main process / CLI (core, Node only): turns image bytes given for the organisation profile (a logo, a signature)
// into the PNG/JPEG data: URL the profile stores, checking the type by its magic bytes and the size first.
import { CustodiaError } from '../../../shared/errors'
import { PROFILE_IMAGE_BYTES } from '../../../shared/organisation/profile'

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff]

/** 'image/png' or 'image/jpeg' from the first bytes, or null for anything else (SVG, WebP, a renamed file). */
export function sniffProfileImageType(bytes: Uint8Array): 'image/png' | 'image/jpeg' | null {
  const starts = (sig: readonly number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b)
  if (starts(PNG_SIGNATURE)) return 'image/png'
  if (starts(JPEG_SIGNATURE)) return 'image/jpeg'
  return null
}

/**
 * A `data:image/png|jpeg;base64,…` URL of `bytes`. `what` names the image in the messages ("the logo", "the
 * signature image of signatory 2"). Throws CustodiaError('VALIDATION') when the bytes are not a PNG or JPEG image or
 * are larger than the profile allows for that kind (PROFILE_IMAGE_BYTES).
 */
export function profileImageDataUrl(bytes: Uint8Array, kind: keyof typeof PROFILE_IMAGE_BYTES, what: string): string {
  const type = sniffProfileImageType(bytes)
  if (!type) throw new CustodiaError('VALIDATION', `${capitalise(what)} must be a PNG or JPEG image.`)
  const limit = PROFILE_IMAGE_BYTES[kind]
  if (bytes.length > limit) {
    throw new CustodiaError('VALIDATION', `${capitalise(what)} is too large: choose an image under ${Math.floor(limit / 1024)} KiB.`)
  }
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
