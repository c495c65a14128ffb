// E2E (Chromium + real backend): members in the app, issue #17's done-when — an admin invites a legal adviser on
// Security → Members, who joins from the unlock screen with the one-time code and their own passphrase (and confirms
// their recovery key), sees their name and role in the top bar and only the sections their role can use, edits a
// dossier; Security → Activity then shows both by name, the chain verifies in words, and the signed JSON report and
// the PDF are saved. The admin then unlocks by name. Screenshots of the members page and the activity log at
// 1280×800 go to test-results/; axe-core finds nothing serious on the new screens.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { verifyActivityReport } from '../../electron/core/activity/activityReport'
import { GOOD_PASSPHRASE, RESULTS_DIR, useHarness } from './harness'
import { seriousAxeFindings } from './axe'

const ANNA_PASSPHRASE = 'anna chooses her own long passphrase today'

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`) })
}

describe('members in the app', () => {
  const harness = useHarness()

  it('an admin invites a legal adviser, who joins, edits a dossier, and the activity log names both', async () => {
    const h = harness()
    const { page, services, workDir } = h
    const dir = join(workDir, 'vault-members')
    await services.session.create(dir, GOOD_PASSPHRASE, { adminName: 'Olena Admin' })
    const created = await services.dispatch('dossiers:create', {
      dossier: { names: { original: 'Ivan Petrenko' }, category: 'political-prisoner' },
    })
    expect(created.ok).toBe(true)
    await page.reload()

    // The admin: name and role in the top bar, every section and every action.
    await expect.poll(() => page.getByTestId('signed-in').textContent()).toBe('Olena AdminAdmin')
    await page.getByRole('link', { name: 'Vocabularies' }).waitFor()
    await page.getByRole('button', { name: 'Import…' }).waitFor()
    await page.getByText('so your letters carry your letterhead', { exact: false }).waitFor()

    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByRole('button', { name: 'Members', exact: true }).click()
    await page.getByText('Olena Admin (you)').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('Anna Kovalenko')
    await page.getByLabel('Role of the new member').selectOption('legal-adviser')
    await page.getByRole('button', { name: 'Add member' }).click()
    const code = (await page.getByTestId('invitation').locator('code').textContent())!.trim()
    expect(code).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/)
    await page.getByText('Invited (code valid until', { exact: false }).waitFor()
    await shoot(page, 'members-page')
    const axe: Record<string, unknown> = {}
    const check = async (screen: string) => {
      const findings = await seriousAxeFindings(page)
      if (findings.length > 0) axe[screen] = findings
    }
    await check('members page')

    // Anna joins from the unlock screen with the code and her own passphrase.
    await page.getByRole('button', { name: 'Lock' }).click()
    await page.getByRole('button', { name: 'Join with an invitation code' }).click()
    await check('join screen')
    await shoot(page, 'join-screen')
    await page.getByLabel('Invitation code').fill(code.replace(/-/g, ' ').toLowerCase())
    await page.getByLabel('Your new passphrase').fill(ANNA_PASSPHRASE)
    await page.getByLabel('Repeat passphrase').fill(ANNA_PASSPHRASE)
    await page.getByRole('button', { name: 'Join the vault' }).click()
    const recoveryKey = (await page.getByTestId('recovery-key').textContent())!.trim()
    await page.getByRole('button', { name: 'I have written it down' }).click()
    await page.getByLabel('Type the last group of the recovery key').fill(recoveryKey.split('-').pop()!)
    await page.getByRole('button', { name: 'Confirm' }).click()

    // Signed in as herself; the sections her role cannot use are not there, and her name says why.
    await expect.poll(() => page.getByTestId('signed-in').textContent()).toBe('Anna KovalenkoLegal adviser')
    expect(services.session.member()).toMatchObject({ name: 'Anna Kovalenko', role: 'legal-adviser' })
    expect(await page.getByRole('link', { name: 'Vocabularies' }).count()).toBe(0)
    expect(await page.getByRole('link', { name: 'Exchange' }).count()).toBe(0)
    await page.getByTestId('signed-in').click()
    const roleDialog = page.getByRole('dialog', { name: 'Signed in as Anna Kovalenko' })
    await roleDialog.getByRole('heading', { name: 'Your role (Legal adviser) cannot' }).waitFor()
    await roleDialog.getByText('exchange bundles', { exact: true }).waitFor()
    await roleDialog.getByText('Create, edit, merge and delete dossiers and their lists').waitFor()
    await check('role dialog')
    await shoot(page, 'role-dialog')
    await roleDialog.getByRole('button', { name: 'Close' }).click()

    // Inside the sections too: the organisation profile is read only, and says why; no import or new note in the
    // library (she may read it); dossiers she may create.
    expect(await page.getByText('so your letters carry your letterhead', { exact: false }).count()).toBe(0)
    await page.getByRole('link', { name: 'Organisation' }).click()
    await expect
      .poll(() => page.getByTestId('read-only').textContent())
      .toBe('Read only. Your role (Legal adviser) cannot change the vault settings. Ask an admin.')
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0)
    await page.getByRole('link', { name: 'Library' }).click()
    await page.getByRole('heading', { name: 'Library' }).waitFor()
    expect(await page.getByRole('button', { name: 'Import…' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'New note' }).count()).toBe(0)

    // She edits the dossier.
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByRole('button', { name: 'New dossier' }).waitFor()
    await page.getByRole('button', { name: 'Ivan Petrenko' }).click()
    await page.getByLabel('Home region').fill('Homel region')
    await page.getByLabel('Home region').press('Enter')
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('All changes saved')
    await page.getByRole('button', { name: 'Close' }).click()

    // The activity log shows both by name, in words, with the dossier's title.
    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByRole('button', { name: 'Activity', exact: true }).click()
    const rows = page.getByTestId('activity-row')
    await rows.first().waitFor()
    const table = await rows.allTextContents()
    expect(table).toContainEqual(expect.stringMatching(/Anna KovalenkoEdited a dossierDossier · Ivan Petrenko$/))
    expect(table).toContainEqual(expect.stringMatching(/Anna KovalenkoJoined the vault$/))
    expect(table).toContainEqual(expect.stringMatching(/Olena AdminCreated a dossierDossier · Ivan Petrenko$/))
    expect(table).toContainEqual(expect.stringMatching(/Olena AdminAdded a member$/))
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect
      .poll(() => page.getByTestId('activity-verdict').textContent())
      .toMatch(/^The activity log is intact: all \d+ entries check out\./)
    await shoot(page, 'activity-log')
    await check('activity log')
    expect(axe).toEqual({})

    // Filter by member: only Anna's entries.
    await page.getByLabel('Filter by member').selectOption({ label: 'Anna Kovalenko' })
    await page.getByRole('button', { name: 'Show' }).click()
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('Anna Kovalenko'))).toBe(true)
    await shoot(page, 'activity-log-filtered')

    // The signed report of what is listed, and the PDF.
    h.nextSaveLocation = join(workDir, 'activity.json')
    await page.getByRole('button', { name: 'Export signed JSON…' }).click()
    await page.getByText('Signed report saved.', { exact: false }).waitFor()
    const checked = verifyActivityReport(readFileSync(h.nextSaveLocation, 'utf8'))
    expect(checked.payload.generatedBy?.name).toBe('Anna Kovalenko')
    expect(checked.payload.entries.length).toBeGreaterThan(0)
    expect(checked.payload.entries.every((e) => e.memberName === 'Anna Kovalenko')).toBe(true)
    // Kept under test-results/ to look at (pdftoppm).
    h.nextSaveLocation = join(RESULTS_DIR, 'activity-report.pdf')
    await page.getByRole('button', { name: 'Export PDF…' }).click()
    await page.getByText('Activity report saved as PDF.').waitFor()
    expect(readFileSync(h.nextSaveLocation).subarray(0, 5).toString('latin1')).toBe('%PDF-')

    // The admin unlocks by name: only her keyslot is tried.
    await page.getByRole('button', { name: 'Lock' }).click()
    await page.getByLabel('Your name').fill('olena admin')
    await shoot(page, 'unlock-as-member')
    await page.getByLabel('Passphrase', { exact: true }).fill(ANNA_PASSPHRASE)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByText('That name and passphrase do not open this vault.', { exact: false }).waitFor()
    await page.getByLabel('Passphrase', { exact: true }).fill(GOOD_PASSPHRASE)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await expect.poll(() => page.getByTestId('signed-in').textContent()).toBe('Olena AdminAdmin')
  })

  it('a viewer opens a dossier read only, told why, and is offered no way to create one', async () => {
    const { page, services, workDir } = harness()
    const dir = join(workDir, 'vault-viewer')
    await services.session.create(dir, GOOD_PASSPHRASE, { adminName: 'Olena Admin' })
    await services.dispatch('dossiers:create', {
      dossier: {
        names: { original: 'Ivan Petrenko' },
        category: 'political-prisoner',
        vulnerability: { ill: true, medicalNote: 'needs insulin daily' },
      },
    })
    const added = await services.dispatch('members:add', { name: 'Vera Viewer', role: 'viewer' })
    if (!added.ok) throw new Error(added.error.message)
    services.session.lock('user')
    await services.session.join(dir, (added.value as { invitationCode: string }).invitationCode, 'vera reads but never writes a thing')
    await page.reload()
    await expect.poll(() => page.getByTestId('signed-in').textContent()).toBe('Vera ViewerViewer')
    await page.getByRole('link', { name: 'Dossiers' }).click()
    await page.getByRole('button', { name: 'Ivan Petrenko' }).click()
    await expect
      .poll(() => page.getByTestId('read-only').textContent())
      .toBe('Read only. Your role (Viewer) cannot edit dossiers. Ask an admin.')
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0)
    expect(await page.getByRole('button', { name: 'Delete dossier…' }).count()).toBe(0)
    // Her keys do not open the sensitive parts (CRYPTO.md §16): the form says so, and the medical note is nowhere.
    expect(await page.getByTestId('sensitive-hidden').textContent()).toBe(
      'Family contacts, medical notes and sources are hidden for your role.',
    )
    expect(await page.content()).not.toContain('needs insulin daily')
    await page.getByRole('button', { name: 'Close' }).click()
    await page.getByTestId('dossier-table').waitFor()
    expect(await page.getByRole('button', { name: 'New dossier' }).count()).toBe(0)
  })
})
