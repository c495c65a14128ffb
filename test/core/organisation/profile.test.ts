// Tests (core, Node): the organisation profile — one encrypted record read and written through the vault and over
// IPC, validation messages that name the field, an audit entry without content, and no plaintext on disk.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServices, type AppServices } from '../../../electron/core/app/services'
import { loadSodium } from '../../../electron/core/platform/crypto/sodium'
import {
  getOrganisationProfile,
  ORGANISATION_PROFILE_KIND,
  saveOrganisationProfile,
} from '../../../electron/core/organisation/profileStore'
import { profileImageDataUrl } from '../../../electron/core/organisation/profileImages'
import { MIN_KDF, type Vault } from '../../../electron/core/vault/vault'
import { PROFILE_IMAGE_BYTES } from '../../../shared/organisation/profile'
import { createTempDir, findMarkersInTree } from '../../helpers/vaultTestUtils'

/** A valid 1×1 PNG. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const NAME = 'Quillfeather Rights Committee'
const STREET = 'Marrowgate 17'

let dir: string
let services: AppServices
const vault = (): Vault => services.session.requireVault()

async function call<T = Record<string, unknown>>(channel: string, request: unknown): Promise<T> {
  const result = await services.dispatch(channel, request)
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.value as T
}

function errorOf(work: () => unknown): { code?: string; message: string } {
  try {
    work()
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected an error')
}

beforeAll(async () => {
  dir = createTempDir()
  services = createAppServices({
    userDataDir: path.join(dir, 'user'),
    sodium: await loadSodium('native'),
    kdf: MIN_KDF,
    app: { name: 'Custodia', version: 'test', platform: process.platform },
    platform: { chooseFolder: async () => null, chooseFiles: async () => [], chooseSaveLocation: async () => null },
  })
  await services.session.create(path.join(dir, 'vault'), 'correct horse battery staple')
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('organisation profile', () => {
  it('is absent in a new vault, then round-trips over IPC as one record of its own kind', async () => {
    expect(getOrganisationProfile(vault())).toBeNull()
    expect(await call('organisation:getProfile', {})).toEqual({ profile: null, revision: null })
    const logo = profileImageDataUrl(PNG_1X1, 'logo', 'the logo')
    const saved = await call('organisation:setProfile', {
      profile: {
        name: `  ${NAME} `,
        address: `${STREET}\r\n0150 Oslo`,
        phone: '+47 22 00 00 00',
        email: 'post@quillfeather.example.org',
        logo,
        defaultPlace: 'Oslo',
        defaultLanguage: 'nb-NO',
        signatories: [{ name: 'Kari Nordmann', title: 'Secretary General', credentials: ['LL.M.'], signature: logo }],
      },
    })
    expect(saved).toMatchObject({ revision: 1, profile: { name: NAME, address: `${STREET}\n0150 Oslo`, defaultLanguage: 'nb-NO', logo } })
    expect(await call('organisation:getProfile', {})).toEqual(saved)
    expect(vault().listRecords({ kind: ORGANISATION_PROFILE_KIND })).toHaveLength(1)

    // A second save is a new revision of the same record; a stale revision is refused.
    const again = await call<{ revision: number }>('organisation:setProfile', {
      profile: { name: NAME, address: STREET },
      expectedRevision: 1,
    })
    expect(again.revision).toBe(2)
    expect(vault().listRecords({ kind: ORGANISATION_PROFILE_KIND })).toHaveLength(1)
    await expect(call('organisation:setProfile', { profile: { name: NAME }, expectedRevision: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
    })
    expect(getOrganisationProfile(vault())?.profile).toEqual({ name: NAME, address: STREET, defaultLanguage: 'en-GB', signatories: [] })
  })

  it('says which field is wrong and what to do, and writes nothing', () => {
    const before = getOrganisationProfile(vault())?.revision
    expect(errorOf(() => saveOrganisationProfile(vault(), { name: '   ' }))).toMatchObject({
      code: 'VALIDATION',
      message: "Give the organisation's name.",
    })
    expect(errorOf(() => saveOrganisationProfile(vault(), {})).message).toBe("Give the organisation's name.")
    expect(errorOf(() => saveOrganisationProfile(vault(), { name: 'x'.repeat(201) })).message).toBe(
      "The organisation's name is too long: keep it under 200 characters.",
    )
    expect(errorOf(() => saveOrganisationProfile(vault(), { name: NAME, logo: 'data:image/svg+xml;base64,PHN2Zz4=' })).message).toBe(
      'The logo must be a PNG or JPEG image.',
    )
    expect(errorOf(() => saveOrganisationProfile(vault(), { name: NAME, signatories: [{ name: 'A' }, { name: '' }] })).message).toBe(
      "Give the signatory's name, or remove the signatory (signatory 2).",
    )
    expect(errorOf(() => saveOrganisationProfile(vault(), { name: NAME, defaultLanguage: 'fr-FR' })).message).toBe(
      "Choose the letters' language: en-GB, nb-NO, uk-UA, ru-RU.",
    )
    expect(getOrganisationProfile(vault())?.revision).toBe(before)
  })

  it('checks images by their bytes and size', () => {
    expect(profileImageDataUrl(PNG_1X1, 'signature', 'the signature')).toMatch(/^data:image\/png;base64,iVBORw0KGgo/)
    expect(profileImageDataUrl(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'logo', 'the logo')).toMatch(/^data:image\/jpeg;base64,\/9j\//)
    expect(errorOf(() => profileImageDataUrl(Buffer.from('<svg onload="x"/>'), 'logo', 'the logo')).message).toBe(
      'The logo must be a PNG or JPEG image.',
    )
    const big = Buffer.concat([PNG_1X1, Buffer.alloc(PROFILE_IMAGE_BYTES.signature)])
    expect(errorOf(() => profileImageDataUrl(big, 'signature', 'the signature')).message).toMatch(
      /^The signature is too large: choose an image under \d+ KiB\.$/,
    )
  })

  it('logs each save with ids and counts only', () => {
    const entries = vault()
      .audit.list()
      .filter((e) => e.type === 'organisation.profile_saved')
    expect(entries).toHaveLength(2)
    expect(entries[0]!.details).toEqual({ recordId: expect.stringMatching(/^[0-9a-f]{32}$/), revision: 1, signatories: 1, logo: true })
    expect(JSON.stringify(entries)).not.toContain(NAME)
  })

  it('leaves no name or address in plaintext in any file of the vault', () => {
    const vaultDir = path.join(dir, 'vault')
    expect(findMarkersInTree(vaultDir, [NAME, STREET])).toEqual([])
    services.session.lock('user')
    expect(findMarkersInTree(vaultDir, [NAME, STREET])).toEqual([])
  })
})
