// Tests (core, Node): a letter's annex of cases from dossiers — consent for the chosen audience, the count of
// cases left out, dossiers no longer in the vault — through the real letters channels and a real vault.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppServices } from '../../../electron/core/app/services'
import { createDossier, deleteDossier } from '../../../electron/core/dossiers/dossierService'
import { callChannel, failChannel, startTestServices } from '../../helpers/appServices'
import { createTempDir } from '../../helpers/vaultTestUtils'

const sample = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, '../../../resources/templates/samples/head-of-government-letter.json'), 'utf8'),
) as Record<string, unknown>

let dir: string
let services: AppServices
let saveTo: string | null = null
const ids: Record<string, string> = {}

const call = <T>(channel: string, request: unknown) => callChannel<T>(services, channel, request)

function person(name: string, consent: 'internal' | 'partners' | 'public', sharePartners: string[] = []) {
  return {
    names: { original: name },
    category: 'civilian-detainee',
    consent,
    sharePartners,
    statusHistory: [{ date: '2024-03-01', status: 'detained' }],
    detentions: [{ facility: 'SIZO-2', location: 'Simferopol', from: '2024-03-01' }],
  }
}

beforeAll(async () => {
  dir = createTempDir()
  services = await startTestServices(dir, { chooseSaveLocation: async () => saveTo })
  const vault = services.session.requireVault()
  ids.publicCase = createDossier(vault, person('Public Case Person', 'public')).id
  ids.partnerCase = createDossier(vault, person('Partner Case Person', 'partners', ['ICRC'])).id
  ids.internalCase = createDossier(vault, person('Internal Case Person', 'internal')).id
  ids.goneCase = createDossier(vault, person('Gone Case Person', 'public')).id
  deleteDossier(vault, ids.goneCase)
})
afterAll(() => {
  services.session.lock('user')
  fs.rmSync(dir, { recursive: true, force: true })
})

const data = () => ({ ...sample, cases: [ids.publicCase, ids.partnerCase, ids.internalCase, ids.goneCase] })

describe('letter annex from dossiers', () => {
  it('lists for the public only what may be published, and counts the rest as left out', async () => {
    const { url, annex } = await call<{ url: string; annex: { included: number; omitted: number } }>('letters:preview', {
      templateId: 'head-of-government-letter',
      data: data(),
    })
    expect(annex).toEqual({ included: 1, omitted: 3 })
    const html = services.letterPreviews.getPreview(url)!
    expect(html).toContain('Public Case Person')
    expect(html).not.toContain('Partner Case Person')
    expect(html).not.toContain('Internal Case Person')
  })

  it('adds partner cases only for the partner the dossier names', async () => {
    const forIcrc = await call<{ url: string; annex: unknown }>('letters:preview', {
      templateId: 'head-of-government-letter',
      data: data(),
      audience: { kind: 'partner', partner: 'ICRC' },
    })
    expect(forIcrc.annex).toEqual({ included: 2, omitted: 2 })
    expect(services.letterPreviews.getPreview(forIcrc.url)).toContain('Partner Case Person')
    const forOther = await call<{ annex: unknown }>('letters:preview', {
      templateId: 'head-of-government-letter',
      data: data(),
      audience: { kind: 'partner', partner: 'Ministry of Foreign Affairs' },
    })
    expect(forOther.annex).toEqual({ included: 1, omitted: 3 })
  })

  it('never lets an internal-only case out, even in an exported file', async () => {
    saveTo = path.join(dir, 'letter.txt')
    await call('letters:export', {
      templateId: 'head-of-government-letter',
      data: data(),
      format: 'txt',
      confirmPlaceholders: true,
      audience: { kind: 'partner', partner: 'ICRC' },
    })
    const text = fs.readFileSync(saveTo, 'utf8')
    expect(text).toContain('Public Case Person')
    expect(text).toContain('Partner Case Person')
    expect(text).not.toContain('Internal Case Person')
    expect(text).not.toContain('Gone Case Person')
  })

  it('keeps internal cases for an internal letter', async () => {
    const { annex } = await call<{ annex: unknown }>('letters:preview', {
      templateId: 'head-of-government-letter',
      data: data(),
      audience: { kind: 'internal' },
    })
    expect(annex).toEqual({ included: 3, omitted: 1 })
  })

  it('has no annex when the letter names no dossiers, and refuses a partner audience without a name', async () => {
    const { annex } = await call<{ annex: unknown }>('letters:preview', { templateId: 'head-of-government-letter', data: sample })
    expect(annex).toBeNull()
    expect(
      await failChannel(services, 'letters:preview', {
        templateId: 'head-of-government-letter',
        data: sample,
        audience: { kind: 'partner', partner: ' ' },
      }),
    ).toMatchObject({
      code: 'VALIDATION',
    })
  })
})
