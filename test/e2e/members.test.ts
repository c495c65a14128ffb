// E2E (Chromium + real backend): Security → Members on the built renderer — the admin adds a legal adviser, sees the
// one-time invitation code, and the new member joins with it through the real vault; the list then shows them joined.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, useHarness } from './harness'

describe('members page', () => {
  const harness = useHarness()

  it('an admin adds a member, who joins with the code shown once', async () => {
    const { page, services, workDir } = harness()
    const dir = join(workDir, 'vault-members')
    await services.session.create(dir, GOOD_PASSPHRASE, { adminName: 'Olena Admin' })
    await page.reload()
    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByText('Olena Admin (you)').waitFor()
    await page.getByLabel('Name', { exact: true }).fill('Anna Kovalenko')
    await page.getByLabel('Role of the new member').selectOption('legal-adviser')
    await page.getByRole('button', { name: 'Add member' }).click()
    const code = (await page.getByTestId('invitation').locator('code').textContent())!.trim()
    expect(code).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/)
    await page.getByText('Invited (code valid until', { exact: false }).waitFor()
    await harness().screenshot('members-page')

    services.session.lock('user')
    await services.session.join(dir, code, 'anna chooses her own long passphrase')
    expect(services.session.member()).toMatchObject({ name: 'Anna Kovalenko', role: 'legal-adviser' })
    await page.reload()
    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByText('Anna Kovalenko (you)').waitFor()
    expect(await page.getByRole('button', { name: 'Add member' }).count()).toBe(0)
    await page.getByText('Only an admin can add, suspend or remove members.').waitFor()
  })
})
