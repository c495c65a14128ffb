// CLI (Node): the organisation profile — `profile show` prints it, `profile set` replaces it from JSON on standard
// input, where the logo and the signature images are FILE PATHS (read here, checked by their magic bytes and size in
// core, stored as data: URLs). A thin layer over electron/core/organisation.
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { CustodiaError } from '../../shared/errors'
import { PROFILE_IMAGE_BYTES, type OrganisationProfile } from '../../shared/organisation/profile'
import { profileImageDataUrl } from '../core/organisation/profileImages'
import { getOrganisationProfile, saveOrganisationProfile } from '../core/organisation/profileStore'
import { authorName } from '../core/session/author'
import { passphraseFileOption, withVault } from './cliSession'
import type { Command } from './command'
import { readStdin, writeJson, writeLine } from './io'

/** The profile JSON is small: text plus a few image paths. */
const MAX_PROFILE_JSON_BYTES = 1024 * 1024

/** Reads an image the profile JSON names by path (relative to the current folder). */
function readImagePath(value: unknown, kind: keyof typeof PROFILE_IMAGE_BYTES, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CustodiaError('VALIDATION', `Give ${what} as the path of a PNG or JPEG file.`)
  }
  const file = path.resolve(value)
  let size: number
  try {
    size = statSync(file).size
  } catch {
    throw new CustodiaError('NOT_FOUND', `Cannot read ${what}: no such file.`)
  }
  // Refuse before reading a huge file whole; profileImageDataUrl checks again, with the type.
  if (size > PROFILE_IMAGE_BYTES[kind]) {
    throw new CustodiaError(
      'VALIDATION',
      `${what[0]!.toUpperCase()}${what.slice(1)} is too large: choose an image under ${Math.floor(PROFILE_IMAGE_BYTES[kind] / 1024)} KiB.`,
    )
  }
  return profileImageDataUrl(readFileSync(file), kind, what)
}

/**
 * The profile JSON of `profile set` with its image paths replaced by data: URLs. Anything else is left for the
 * profile schema to judge (saveOrganisationProfile), so the messages are the same as in the app.
 */
export function readProfileInput(text: string): unknown {
  if (Buffer.byteLength(text) > MAX_PROFILE_JSON_BYTES) throw new CustodiaError('VALIDATION', 'The profile JSON is larger than 1 MiB.')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new CustodiaError('VALIDATION', 'The profile is not valid JSON.')
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new CustodiaError('VALIDATION', 'The profile must be one JSON object.')
  const input: Record<string, unknown> = { ...(json as Record<string, unknown>) }
  if (input['logo'] !== undefined) input['logo'] = readImagePath(input['logo'], 'logo', 'the logo')
  if (Array.isArray(input['signatories'])) {
    input['signatories'] = input['signatories'].map((s: unknown, i) => {
      if (typeof s !== 'object' || s === null || Array.isArray(s)) return s
      const signatory = { ...(s as Record<string, unknown>) }
      if (signatory['signature'] !== undefined) {
        signatory['signature'] = readImagePath(signatory['signature'], 'signature', `the signature image of signatory ${i + 1}`)
      }
      return signatory
    })
  }
  return input
}

/** An image as "PNG image, 12.3 KiB" (what `show` prints instead of the data). */
function describeImage(dataUrl: string): { type: string; bytes: number } {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1)
  return { type: dataUrl.startsWith('data:image/png') ? 'PNG' : 'JPEG', bytes: Buffer.from(base64, 'base64').length }
}

function imageLine(dataUrl: string): string {
  const { type, bytes } = describeImage(dataUrl)
  return `${type} image, ${(bytes / 1024).toFixed(1)} KiB`
}

/** The profile for `show --json`: images as { type, bytes } rather than their data. */
function toShownJson(profile: OrganisationProfile, revision: number): unknown {
  return {
    revision,
    profile: {
      ...profile,
      ...(profile.logo ? { logo: describeImage(profile.logo) } : {}),
      signatories: profile.signatories.map((s) => ({ ...s, ...(s.signature ? { signature: describeImage(s.signature) } : {}) })),
    },
  }
}

export const profileCommands: Command[] = [
  {
    words: ['profile', 'show'],
    usage: 'profile show <dir> [--json] [--passphrase-file F]',
    summary: 'print the organisation profile (letterhead, default place, language and signatories); images by type and size',
    options: { ...passphraseFileOption, json: { type: 'boolean', help: 'print the profile as JSON' } },
    arity: 1,
    run: (ctx) =>
      withVault(ctx, (vault) => {
        const stored = getOrganisationProfile(vault)
        if (!stored) {
          throw new CustodiaError(
            'NOT_FOUND',
            'This vault has no organisation profile yet: set one with `custodia profile set <dir> < profile.json`.',
          )
        }
        if (ctx.options['json'] === true) {
          writeJson(ctx.io.stdout, toShownJson(stored.profile, stored.revision))
          return
        }
        const p = stored.profile
        const out = (label: string, value: string | undefined) => {
          if (value === undefined || value === '') return
          const [first, ...rest] = value.split('\n')
          writeLine(ctx.io.stdout, `${label}: ${first}`)
          for (const line of rest) writeLine(ctx.io.stdout, `${' '.repeat(label.length + 2)}${line}`)
        }
        out('Name', p.name)
        out('Address', p.address)
        out('Telephone', p.phone)
        out('E-mail', p.email)
        out('Web', p.web)
        out('Logo', p.logo ? imageLine(p.logo) : undefined)
        out('Default place', p.defaultPlace)
        out('Default language', p.defaultLanguage)
        p.signatories.forEach((s, i) => {
          out(`Signatory ${i + 1}`, [s.name, s.title].filter(Boolean).join(', '))
          for (const c of s.credentials ?? []) out('  credential', c)
          if (s.signature) out('  signature', imageLine(s.signature))
        })
      }),
  },
  {
    words: ['profile', 'set'],
    usage: 'profile set <dir> < profile.json [--passphrase-file F]',
    summary:
      'replace the organisation profile with the JSON on standard input; "logo" and each signatory\'s "signature" are paths of PNG or JPEG files (docs/LETTERS.md)',
    options: passphraseFileOption,
    arity: 1,
    run: async (ctx) => {
      // Read and check the input (and its image files) before asking for a passphrase: mistakes there are common.
      const input = readProfileInput(await readStdin(ctx.io, MAX_PROFILE_JSON_BYTES + 1))
      await withVault(ctx, (vault) => {
        const saved = saveOrganisationProfile(vault, input, { author: authorName(vault) })
        writeLine(ctx.io.stdout, `Saved the organisation profile of ${saved.profile.name} (revision ${saved.revision}).`)
      })
    },
  },
]
