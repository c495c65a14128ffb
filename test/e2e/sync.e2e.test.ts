// E2E (Chromium + real backend + real `syncthing serve`): Security → Sync — an admin sets up sync on the folder the
// dialog gave, makes an invitation (file saved owner-only, code shown once), a second office joins with it and writes
// a letter, "Sync now" brings it in and the page lists that office; then this computer's Syncthing address and key are
// saved and its state shown; axe-core finds nothing serious on the page, before and after. Screenshot test-results/sync-page.png at 1280×800 (the README's picture).
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { joinSyncTeam, runSync, type SyncContext } from '../../electron/core/sync/syncEngine'
import { shareFolder, startSyncthing, stopSyncthing, waitFor, type SyncthingInstance } from '../helpers/syncthing'
import { addLetter, makeVault, testSodium } from '../helpers/syncReplicas'
import { seriousAxeFindings } from './axe'
import { GOOD_PASSPHRASE, RESULTS_DIR, useHarness } from './harness'

describe('sync in Chromium', () => {
  const harness = useHarness()
  let office: SyncContext | undefined
  const engines: SyncthingInstance[] = []
  afterAll(async () => {
    office?.vault.lock()
    await Promise.all(engines.map((e) => stopSyncthing(e)))
  })

  it('sets up sync, invites an office, syncs its changes in and shows Syncthing’s state', async () => {
    const h = harness()
    const { page, services } = h
    await services.session.create(join(h.workDir, 'vault'), GOOD_PASSPHRASE, { adminName: 'Olena (Kyiv office)' })
    await page.reload()
    await page.getByRole('link', { name: 'Security' }).click()
    await page.getByRole('button', { name: 'Sync', exact: true }).click()
    await page.getByText('This vault is not shared with other offices').waitFor()
    expect(await seriousAxeFindings(page)).toEqual([])
    await h.screenshot('sync-not-set-up')

    const shared = join(h.workDir, 'Sync', 'custodia')
    mkdirSync(shared, { recursive: true })
    h.nextChosenFolder = shared
    await page.getByRole('button', { name: 'Set up sync…' }).click()
    await page.getByTestId('sync-summary').waitFor()
    expect(await page.getByTestId('sync-summary').textContent()).toContain('No other office has joined yet.')

    // The invitation, through the keyboard: name, role, then the button.
    const invitationFile = join(h.workDir, 'lviv.invitation')
    h.nextSaveLocation = invitationFile
    await page.getByLabel('Who will use the new copy').fill('Taras (Lviv office)')
    await page.getByLabel('Role of the new copy').selectOption('secretariat')
    await page.getByRole('button', { name: 'Make an invitation file…' }).focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('sync-invitation').waitFor()
    const code = (await page.locator('[data-testid="sync-invitation"] .recovery-key code').textContent())!.trim()
    expect(statSync(invitationFile).mode & 0o777).toBe(0o600)

    // The Lviv office joins (as `custodia sync join` does) and writes a letter into the shared folder.
    office = { vault: await makeVault(join(h.workDir, 'lviv'), 'Taras (Lviv office)'), sodium: await testSodium() }
    joinSyncTeam(office, readFileSync(invitationFile), code, shared)
    addLetter(office, 'Appeal for Mr. K.', 'To the prosecutor.')
    runSync(office)

    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.getByTestId('sync-result').waitFor()
    expect(await page.getByTestId('sync-result').textContent()).toContain('1 batch of changes received from other offices')
    await page.getByText(/^1, the last on/).waitFor()

    // This computer's Syncthing, paired with the Lviv office's, sharing the sync folder.
    const [here, lviv] = await Promise.all([startSyncthing(join(h.workDir, 'st-here')), startSyncthing(join(h.workDir, 'st-lviv'))])
    engines.push(here, lviv)
    const lvivFolder = join(h.workDir, 'lviv-sync')
    mkdirSync(lvivFolder)
    await shareFolder(here, shared, lviv, lvivFolder, 'custodia-team')
    await page.getByLabel('Syncthing address').fill(`http://127.0.0.1:${here.apiPort}`)
    await page.getByLabel('API key').fill(here.apiKey)
    await page.getByRole('button', { name: 'Save and check' }).click()
    await page.getByTestId('syncthing-state').waitFor()
    // Asked again (the page's "Check again") until the engines have met and copied everything: on a loaded machine
    // Syncthing has taken over 45 s to connect two devices, so the wait is long.
    await waitFor(
      'Syncthing to connect and be up to date',
      async () => {
        const text = (await page.getByTestId('syncthing-state').textContent()) ?? ''
        if (text.includes('1 of 1 other computer connected') && text.includes('is up to date')) return true
        await page.getByRole('button', { name: 'Check again' }).click()
        await page.locator('button:enabled', { hasText: 'Check again' }).waitFor()
        return false
      },
      120_000,
    )
    const state = await page.getByTestId('syncthing-state').textContent()
    expect(state).toContain('Syncthing is running on this computer.')
    expect(state).toContain('1 of 1 other computer connected now.')
    expect(state).toContain('The folder “custodia-team” is up to date.')
    expect(await page.getByLabel('API key').inputValue()).toBe('')
    expect(await page.content()).not.toContain(here.apiKey)
    expect(h.foreignRequests).toEqual([])
    expect(await seriousAxeFindings(page)).toEqual([])

    // The page as an office sees it after a sync: no toast over it.
    for (const close of await page.getByRole('button', { name: /close|dismiss/i }).all()) await close.click()
    await page.setViewportSize({ width: 1280, height: 800 })
    await page.getByRole('heading', { name: 'Sync with other offices' }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(RESULTS_DIR, 'sync-page.png') })
    await h.screenshot('sync-page-full')
  }, 240_000)
})
