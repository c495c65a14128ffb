// CLI test (Node, in-process, real vault files): `custodia audit ls` lists the activity log in words with its filters
// (--by, --action, --record, --since/--until, --json), names another office's member in entries that came with sync,
// and refuses a bad date in words; `custodia audit verify-report`
// checks a signed report without any vault and refuses one changed after signing.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../../electron/cli/io'
import { listActivity } from '../../electron/core/activity/activityLog'
import { buildActivityPayload, signActivityReport } from '../../electron/core/activity/activityReport'
import { createDossier, updateDossier } from '../../electron/core/dossiers/dossierService'
import { createVault, joinVault, MIN_KDF } from '../../electron/core/vault/vault'
import { runSync } from '../../electron/core/sync/syncEngine'
import { runCustodia } from '../helpers/cli'
import { addLetter, makeTwoOffices, SYNC_TEST_PASSPHRASE } from '../helpers/syncReplicas'
import { createTempDir } from '../helpers/vaultTestUtils'

const ADMIN = 'correct horse battery staple'
const ANNA = 'anna has her own long passphrase'
let work: string
let dir: string
let reportFile: string

beforeAll(async () => {
  work = createTempDir()
  dir = path.join(work, 'vault')
  const { vault: admin } = await createVault(dir, Buffer.from(ADMIN), { kdf: MIN_KDF, adminName: 'Olena Admin' })
  const dossier = createDossier(admin, { names: { original: 'Ales Bialiatski' }, category: 'political-prisoner' })
  const code = admin.addMember({ name: 'Anna Kovalenko', role: 'legal-adviser' }).invitationCode
  admin.lock()
  const { vault: anna } = await joinVault(dir, code, Buffer.from(ANNA))
  updateDossier(anna, dossier.id, { names: { original: 'Ales Bialiatski' }, category: 'political-prisoner', homeRegion: 'Minsk' })
  const listing = listActivity(anna, 'legal-adviser', {})
  reportFile = path.join(work, 'report.json')
  fs.writeFileSync(reportFile, signActivityReport(anna, buildActivityPayload(anna, listing, {})).text)
  anna.lock()
})
afterAll(() => fs.rmSync(work, { recursive: true, force: true }))

describe('custodia audit ls with another office', () => {
  it("names what another office's member did there, and --by finds them by that name", async () => {
    const { a, b } = await makeTwoOffices(path.join(work, 'offices'))
    const id = addLetter(a, 'Letter to the prosecutor', 'text')
    runSync(a)
    runSync(b)
    const bDir = b.vault.dir
    a.vault.lock()
    b.vault.lock()
    const env = { CUSTODIA_PASSPHRASE: SYNC_TEST_PASSPHRASE }
    const byAnna = await runCustodia(['audit', 'ls', bDir, '--by', 'anna', '--record', id], { env })
    expect(byAnna.code).toBe(0)
    expect(byAnna.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/\tAnna \(another office\)\tCreated a record\tLetter: Letter to the prosecutor$/),
    ])
    const json = await runCustodia(['audit', 'ls', bDir, '--by', 'Anna', '--record', id, '--json'], { env })
    const parsed = JSON.parse(json.stdout) as { entries: { action: string; memberId: string | null; origin: { member: string } }[] }
    expect(parsed.entries.map((e) => [e.action, e.memberId, e.origin.member])).toEqual([['record.created', null, 'Anna']])
  })
})

describe('custodia audit ls', () => {
  it('lists who did what to which record, newest first, and says the chain is intact', async () => {
    const result = await runCustodia(['audit', 'ls', dir], { env: { CUSTODIA_PASSPHRASE: ADMIN } })
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines.some((l) => /\tAnna Kovalenko\tEdited a dossier\tDossier: Ales Bialiatski$/.test(l))).toBe(true)
    expect(lines.some((l) => /\tOlena Admin\tCreated a dossier\tDossier: Ales Bialiatski$/.test(l))).toBe(true)
    const times = lines.map((l) => l.split('\t')[0]!)
    expect(times).toEqual([...times].sort().reverse())
    expect(result.stderr).toMatch(/The activity log is intact: all \d+ entries check out/)
  })

  it('filters by member (--by, case does not matter), action, record and dates; --json', async () => {
    const env = { CUSTODIA_PASSPHRASE: ANNA }
    const byAnna = await runCustodia(['audit', 'ls', dir, '--member', 'Anna Kovalenko', '--by', 'anna kovalenko'], { env })
    expect(byAnna.code).toBe(0)
    const annaLines = byAnna.stdout.trim().split('\n')
    expect(annaLines.length).toBeGreaterThan(1)
    expect(annaLines.every((l) => l.split('\t')[1] === 'Anna Kovalenko')).toBe(true)

    const json = await runCustodia(['audit', 'ls', dir, '--action', 'dossier.updated', '--record', 'bialiatski', '--json'], { env })
    const parsed = JSON.parse(json.stdout) as { matched: number; entries: { memberName: string; recordTitle: string }[] }
    expect(parsed.entries.map((e) => [e.memberName, e.recordTitle])).toEqual([['Anna Kovalenko', 'Ales Bialiatski']])

    const old = await runCustodia(['audit', 'ls', dir, '--until', '2020-01-01'], { env })
    expect(old.code).toBe(0)
    expect(old.stdout).toBe('')
  })

  it('refuses an unknown member and a date that is not one, in words', async () => {
    const env = { CUSTODIA_PASSPHRASE: ADMIN }
    const nobody = await runCustodia(['audit', 'ls', dir, '--by', 'Boris'], { env })
    expect(nobody.code).toBe(EXIT_CODES.NOT_FOUND)
    expect(nobody.stderr).toContain('No member of this vault is called "Boris".')
    const badDate = await runCustodia(['audit', 'ls', dir, '--since', '31.12.2026'], { env })
    expect(badDate.code).toBe(EXIT_CODES.VALIDATION)
    expect(badDate.stderr).toContain('The start date "31.12.2026" is not a date. Write it as 2026-12-31.')
  })
})

describe('custodia audit verify-report', () => {
  it('checks the signature without a vault, and refuses a report changed after signing', async () => {
    const good = await runCustodia(['audit', 'verify-report', reportFile])
    expect(good.code).toBe(0)
    expect(good.stdout).toMatch(/^Signature valid\. Signed by “Custodia user”, fingerprint [0-9A-Z]{4}( [0-9A-Z]{4}){7}\./)
    expect(good.stdout).toContain('by Anna Kovalenko')

    const forged = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { payload: string }
    forged.payload = forged.payload.replace('Edited a dossier', 'Deleted a dossier')
    const forgedFile = path.join(work, 'forged.json')
    fs.writeFileSync(forgedFile, JSON.stringify(forged))
    const bad = await runCustodia(['audit', 'verify-report', forgedFile])
    expect(bad.code).toBe(EXIT_CODES.TAMPERED)
    expect(bad.stderr).toContain('This activity report was changed after it was signed')
  })
})
