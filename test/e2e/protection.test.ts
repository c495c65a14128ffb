// E2E (Chromium + real backend): Security → "If the laptop is taken". An admin turns on the erase after wrong
// passphrases and sets a duress passphrase for a decoy vault prepared beside; after locking, the lock screen warns
// before the last wrong try, and the duress passphrase opens the decoy as an ordinary unlock would, the folder shown
// being the one the user opened. Screenshots in test-results/.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOOD_PASSPHRASE, useHarness } from './harness'

const DECOY_PASSPHRASE = 'harmless decoy passphrase words'

describe('protections in Chromium', () => {
  const harness = useHarness()

  it('sets the erase and the duress passphrase, warns before the last try, and the duress passphrase opens the decoy', async () => {
    const h = harness()
    const { page, services } = h
    const decoyDir = join(h.workDir, 'decoy')
    const realDir = join(h.workDir, 'vault')
    await services.session.create(decoyDir, DECOY_PASSPHRASE)
    const decoyId = services.session.requireVault().vaultId
    services.session.lock('user')
    await services.session.create(realDir, GOOD_PASSPHRASE)
    await page.reload()
    await page.getByRole('link', { name: 'Security' }).click()

    const panel = page.getByTestId('protection-settings')
    await panel.getByTestId('wipe-status').getByText('Off', { exact: false }).waitFor()
    await page.getByLabel('Erase after').selectOption('3')
    await panel.getByRole('button', { name: 'Save' }).click()
    await panel.getByTestId('wipe-status').getByText('after 3 wrong tries in a row', { exact: false }).waitFor()

    await page.getByLabel('Decoy vault folder').fill(decoyDir)
    await page.getByLabel('Duress passphrase (the decoy vault’s passphrase)').fill(DECOY_PASSPHRASE)
    await page.getByLabel('Repeat it').fill(DECOY_PASSPHRASE)
    await panel.getByRole('button', { name: 'Set duress passphrase' }).click()
    await panel.getByTestId('duress-status').getByText('opens your decoy vault', { exact: false }).waitFor()
    await panel.scrollIntoViewIfNeeded()
    await h.screenshot('security-protections')

    await page.getByRole('button', { name: 'Lock', exact: true }).click()
    await page.getByRole('heading', { name: 'Unlock vault' }).waitFor()
    for (const guess of ['first guess', 'second guess']) {
      await page.getByLabel('Passphrase').fill(guess)
      await page.getByRole('button', { name: 'Unlock' }).click()
      await page.getByText('Wrong passphrase', { exact: false }).waitFor()
    }
    await page.getByTestId('unlock-guard').getByText('1 try left before this vault is erased.').waitFor()
    await h.screenshot('unlock-last-try')

    await page.getByLabel('Passphrase').fill(DECOY_PASSPHRASE)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByRole('link', { name: 'Security' }).waitFor()
    expect(services.session.requireVault().vaultId).toBe(decoyId)
    expect(services.session.status().dir).toBe(realDir)
    // The decoy's own unlock reset the real vault's count, as an ordinary unlock does.
    const guard = await services.dispatch('vault:getUnlockGuard', { dir: realDir })
    expect(guard).toMatchObject({ ok: true, value: { failed: 0, triesLeft: 3 } })
  })
})
