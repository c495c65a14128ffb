// CLI (Node): `profile set` reads the organisation profile from standard input with the logo and signatures as file
// paths (checked by their bytes), `profile show` prints it, and `letter render` then prints the organisation's name
// and address with no placeholder (TXT, and PDF through pdftotext when Chromium is installed).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { findChromium } from '../../electron/core/letters/chromiumPdf'
import { loadSodium } from '../../electron/core/platform/crypto/sodium'
import { createVault, MIN_KDF } from '../../electron/core/vault/vault'
import { REPO_ROOT, runCustodia } from '../helpers/cli'

const PASSPHRASE = 'correct horse battery staple'
const env = { CUSTODIA_PASSPHRASE: PASSPHRASE }
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')
const NAME = 'Quillfeather Rights Committee'
/** A bracketed placeholder such as "[Organisation name]" or a "[missing: …]" marker. */
const PLACEHOLDER = /\[[^\]\n]*\]/

let work: string
let vaultDir: string
let letterData: string
let fullLetterData: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'custodia-cli-profile-'))
  vaultDir = join(work, 'vault')
  const { vault } = await createVault(vaultDir, new TextEncoder().encode(PASSPHRASE), { sodium: await loadSodium('native'), kdf: MIN_KDF })
  vault.lock()
  writeFileSync(join(work, 'logo.png'), PNG)
  writeFileSync(join(work, 'signature.png'), PNG)
  writeFileSync(join(work, 'fake.png'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')
  letterData = join(work, 'letter.json')
  const sample = JSON.parse(readFileSync(join(REPO_ROOT, 'resources/templates/samples/head-of-government-letter.json'), 'utf8')) as Record<
    string,
    unknown
  >
  // Without signatories and place: they come from the profile.
  const { signatories: _s, place: _p, ...fields } = sample
  writeFileSync(letterData, JSON.stringify({ template: 'head-of-government-letter', fields }))
  fullLetterData = join(work, 'full-letter.json')
  writeFileSync(fullLetterData, JSON.stringify({ template: 'head-of-government-letter', fields: sample }))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const profileJson = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    name: NAME,
    address: 'Marrowgate 17\n5003 Bergen',
    phone: '+47 55 00 00 00',
    email: 'post@quillfeather.example.org',
    web: 'quillfeather.example.org',
    logo: join(work, 'logo.png'),
    defaultPlace: 'Bergen',
    defaultLanguage: 'en-GB',
    signatories: [
      { name: 'Astrid Profilesen', title: 'Secretary General', credentials: ['LL.M.'], signature: join(work, 'signature.png') },
    ],
    ...extra,
  })

describe('custodia profile', () => {
  it('show says there is no profile yet, and letter render refuses the placeholder letterhead', async () => {
    const shown = await runCustodia(['profile', 'show', vaultDir], { env })
    expect(shown.code).toBe(EXIT_CODES.NOT_FOUND)
    expect(shown.stderr).toContain('no organisation profile yet')
    const out = join(work, 'refused.txt')
    const render = await runCustodia(['letter', 'render', vaultDir, '--data', fullLetterData, '--format', 'txt', '--out', out], { env })
    expect(render.code).toBe(EXIT_CODES.VALIDATION)
    expect(render.stderr).toContain('The letterhead still says “[Organisation name]”')
    expect(existsSync(out)).toBe(false)
  })

  it('set refuses an image that is not a PNG or JPEG, a missing file and a profile without a name, changing nothing', async () => {
    const fake = await runCustodia(['profile', 'set', vaultDir], { env, stdin: profileJson({ logo: join(work, 'fake.png') }) })
    expect(fake.code).toBe(EXIT_CODES.VALIDATION)
    expect(fake.stderr).toContain('The logo must be a PNG or JPEG image.')
    const missing = await runCustodia(['profile', 'set', vaultDir], {
      env,
      stdin: profileJson({ signatories: [{ name: 'A', signature: join(work, 'nope.png') }] }),
    })
    expect(missing.code).toBe(EXIT_CODES.NOT_FOUND)
    expect(missing.stderr).toContain('Cannot read the signature image of signatory 1')
    const nameless = await runCustodia(['profile', 'set', vaultDir], { env, stdin: profileJson({ name: '' }) })
    expect(nameless.code).toBe(EXIT_CODES.VALIDATION)
    expect(nameless.stderr).toContain("Give the organisation's name.")
    expect((await runCustodia(['profile', 'show', vaultDir], { env })).code).toBe(EXIT_CODES.NOT_FOUND)
  })

  it('set then show prints the profile, images by type and size', async () => {
    const set = await runCustodia(['profile', 'set', vaultDir], { env, stdin: profileJson() })
    expect(set).toMatchObject({ code: 0, stdout: `Saved the organisation profile of ${NAME} (revision 1).\n` })
    const shown = await runCustodia(['profile', 'show', vaultDir], { env })
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain(`Name: ${NAME}\n`)
    expect(shown.stdout).toContain('Address: Marrowgate 17\n         5003 Bergen\n')
    expect(shown.stdout).toContain('Logo: PNG image, 0.1 KiB\n')
    expect(shown.stdout).toContain('Signatory 1: Astrid Profilesen, Secretary General\n')
    const json = await runCustodia(['profile', 'show', vaultDir, '--json'], { env })
    const parsed = JSON.parse(json.stdout) as { revision: number; profile: Record<string, unknown> }
    expect(parsed.revision).toBe(1)
    expect(parsed.profile).toMatchObject({ name: NAME, defaultPlace: 'Bergen', logo: { type: 'PNG', bytes: PNG.length } })
  })

  it('letter render --format txt prints the letterhead, signatory and place from the profile and no placeholder', async () => {
    const out = join(work, 'letter.txt')
    const result = await runCustodia(['letter', 'render', vaultDir, '--data', letterData, '--format', 'txt', '--out', out], { env })
    expect(result.code).toBe(0)
    const text = readFileSync(out, 'utf8')
    for (const wanted of [NAME, 'Marrowgate 17', '5003 Bergen', 'post@quillfeather.example.org', 'Astrid Profilesen', 'Bergen']) {
      expect(text).toContain(wanted)
    }
    expect(text).not.toMatch(PLACEHOLDER)
  })

  it.runIf(findChromium() !== null)('letter render --format pdf shows the same in pdftotext', async () => {
    const out = join(work, 'letter.pdf')
    const result = await runCustodia(['letter', 'render', vaultDir, '--data', letterData, '--format', 'pdf', '--out', out], { env })
    expect(result.code).toBe(0)
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' })
    for (const wanted of [NAME, 'Marrowgate 17', '5003 Bergen', 'Astrid Profilesen']) expect(text).toContain(wanted)
    expect(text).not.toMatch(PLACEHOLDER)
  })
})
