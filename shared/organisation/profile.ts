// Shared by every process: the organisation profile (Settings → Organisation) — the name, address, contacts, logo,
// default place, language and signatories every letter takes its letterhead and signatures from. One zod schema with
// plain-language messages that name the field and the way out; the limits are constants the UI sets at its inputs.
import { z } from 'zod'
import { CustodiaError } from '../errors'
import { ImageDataUrlSchema, SignatorySchema, TEMPLATE_LANGUAGES } from '../letters/templateModel'

/** Largest image file the pickers and the CLI accept, in bytes. */
export const PROFILE_IMAGE_BYTES = {
  logo: 300 * 1024,
  signature: 90 * 1024,
} as const

/** Length of an image of `bytes` bytes as a data: URL ("data:image/jpeg;base64," and 4 characters per 3 bytes). */
function dataUrlChars(bytes: number): number {
  return 'data:image/jpeg;base64,'.length + 4 * Math.ceil(bytes / 3)
}

/**
 * Input limits, in characters. The images are smaller than a template's 2 MiB logo because the whole profile travels
 * in one IPC request, which is at most 1 MiB (shared/ipc/contract.ts MAX_REQUEST_BYTES): a 300 KiB logo and four
 * 90 KiB signatures come to about 880 KiB of text, with room for the rest.
 */
export const PROFILE_LIMITS = {
  name: 200,
  address: 1000,
  phone: 100,
  email: 320,
  web: 300,
  place: 200,
  signatories: 4,
  signatoryName: 300,
  signatoryTitle: 500,
  credentials: 10,
  credential: 500,
  logoChars: dataUrlChars(PROFILE_IMAGE_BYTES.logo),
  signatureChars: dataUrlChars(PROFILE_IMAGE_BYTES.signature),
} as const

function optionalLine(max: number, what: string) {
  return z
    .string()
    .trim()
    .max(max, `${what} is too long: keep it under ${max} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${what} must be one line`)
    .optional()
}

function imageField(kind: keyof typeof PROFILE_IMAGE_BYTES, what: string) {
  const maxChars = kind === 'logo' ? PROFILE_LIMITS.logoChars : PROFILE_LIMITS.signatureChars
  return z.string().superRefine((value, ctx) => {
    if (value.length > maxChars) {
      ctx.addIssue({ code: 'custom', message: `The ${what} is too large: choose an image under ${PROFILE_IMAGE_BYTES[kind] / 1024} KiB` })
    } else if (!ImageDataUrlSchema.safeParse(value).success) {
      ctx.addIssue({ code: 'custom', message: `The ${what} must be a PNG or JPEG image` })
    }
  })
}

/** A default signatory: the letters' SignatorySchema with a required name and smaller limits. */
export const ProfileSignatorySchema = SignatorySchema.pick({ name: true, title: true, credentials: true, signature: true }).extend({
  name: z
    .string()
    .trim()
    .min(1, "Give the signatory's name, or remove the signatory")
    .max(PROFILE_LIMITS.signatoryName, `The signatory's name is too long: keep it under ${PROFILE_LIMITS.signatoryName} characters`),
  title: optionalLine(PROFILE_LIMITS.signatoryTitle, "The signatory's title"),
  credentials: z
    .array(
      z.string().trim().max(PROFILE_LIMITS.credential, `A credential is too long: keep it under ${PROFILE_LIMITS.credential} characters`),
    )
    .max(PROFILE_LIMITS.credentials, `Give at most ${PROFILE_LIMITS.credentials} credentials per signatory`)
    .optional(),
  signature: imageField('signature', 'signature image').optional(),
})
export type ProfileSignatory = z.infer<typeof ProfileSignatorySchema>

export const OrganisationProfileSchema = z.strictObject({
  name: z
    .string("Give the organisation's name")
    .trim()
    .min(1, "Give the organisation's name")
    .max(PROFILE_LIMITS.name, `The organisation's name is too long: keep it under ${PROFILE_LIMITS.name} characters`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "The organisation's name must be one line"),
  address: z
    .string()
    .max(PROFILE_LIMITS.address, `The address is too long: keep it under ${PROFILE_LIMITS.address} characters`)
    .transform((v) => v.replace(/\r\n?/g, '\n').trim())
    .optional(),
  phone: optionalLine(PROFILE_LIMITS.phone, 'The telephone number'),
  email: optionalLine(PROFILE_LIMITS.email, 'The e-mail address'),
  web: optionalLine(PROFILE_LIMITS.web, 'The web address'),
  logo: imageField('logo', 'logo').optional(),
  defaultPlace: optionalLine(PROFILE_LIMITS.place, 'The default place'),
  defaultLanguage: z.enum(TEMPLATE_LANGUAGES, `Choose the letters' language: ${TEMPLATE_LANGUAGES.join(', ')}`).default('en-GB'),
  signatories: z
    .array(ProfileSignatorySchema)
    .max(PROFILE_LIMITS.signatories, `Give at most ${PROFILE_LIMITS.signatories} default signatories`)
    .default([]),
})
export type OrganisationProfile = z.output<typeof OrganisationProfileSchema>
export type OrganisationProfileInput = z.input<typeof OrganisationProfileSchema>

/** One problem of a profile: the field's dotted path (e.g. "signatories.1.name") and a sentence to show at it. */
export type ProfileIssue = { readonly path: string; readonly message: string }

/** Checks a profile without throwing: the cleaned profile, or every problem at its field. */
export function checkOrganisationProfile(
  input: unknown,
): { ok: true; profile: OrganisationProfile } | { ok: false; issues: ProfileIssue[] } {
  const parsed = OrganisationProfileSchema.safeParse(input)
  if (parsed.success) return { ok: true, profile: parsed.data }
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message:
        issue.code === 'unrecognized_keys' ? `The profile has fields Custodia does not know: ${issue.keys.join(', ')}` : issue.message,
    })),
  }
}

/** The checked profile; throws CustodiaError('VALIDATION') whose message is every problem's sentence, joined. */
export function parseOrganisationProfile(input: unknown): OrganisationProfile {
  const checked = checkOrganisationProfile(input)
  if (!checked.ok) {
    const withWhere = checked.issues.map((i) => {
      const signatory = /^signatories\.(\d+)\./.exec(i.path)
      return signatory ? `${i.message} (signatory ${Number(signatory[1]) + 1})` : i.message
    })
    throw new CustodiaError('VALIDATION', `${[...new Set(withWhere)].join('. ')}.`)
  }
  return checked.profile
}

/** The contact line of the letterhead: telephone, e-mail and web, as given, joined by " · ". */
export function formatProfileContact(profile: Pick<OrganisationProfile, 'phone' | 'email' | 'web'>): string {
  return [profile.phone, profile.email, profile.web].filter((v): v is string => !!v && v.trim() !== '').join(' · ')
}

/**
 * How every refusal of a letter that still shows a placeholder ends (letters:export, letters:merge, `letter render`).
 * The renderer recognises the refusal by it and asks the user to confirm, then resends with confirmPlaceholders.
 */
export const PLACEHOLDER_CONFIRM_HINT = 'or confirm to export anyway.'

/** True for the VALIDATION message of a letter refused only because it still shows placeholders. */
export function isPlaceholderRefusal(message: string): boolean {
  return message.endsWith(PLACEHOLDER_CONFIRM_HINT)
}
